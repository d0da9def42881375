// The scheduler of the scan: packages are fetched with a bounded number in flight, each
// domain a package names is looked up as soon as it is known (once per run), and the whole
// pipeline stops at one deadline or when asked to (an interrupt). It knows names and domains,
// not what fetching or looking up means: those are the tasks it is given.

import { setMaxListeners } from "node:events";

/** Why the pipeline stopped before every task finished. */
export type StopReason = "deadline" | "interrupted";

export interface SchedulerConfig {
  /** Package tasks in flight at once. */
  concurrency: number;
  /** The pipeline's deadline, milliseconds from `run()`. */
  deadlineMs: number;
  /** Aborting it stops the pipeline as `interrupted`. */
  signal?: AbortSignal;
}

/** A domain a package names: `mail` when its mail servers are to be asked about too. */
export interface DomainRequest {
  domain: string;
  mail?: boolean;
}

export interface PipelineTasks {
  /** Fetch one package; the domains it names, to look up (each once per run). */
  fetchPackage(name: string): Promise<readonly (string | DomainRequest)[]>;
  /** Look up one domain. */
  lookUpDomain(domain: string): Promise<void>;
  /**
   * Ask about one domain's mail servers, once per run, after its own lookup settled; the domains
   * they sit under, to look up in turn (each once per run, as every domain).
   */
  lookUpMail?(domain: string): Promise<readonly string[]>;
  /** After each task settles (for progress). */
  onSettled?(): void;
}

export interface PipelineOutcome {
  /** Set when the pipeline stopped before every task finished. */
  stopped: StopReason | undefined;
  /** Every domain handed to `lookUpDomain`, in the order first named. */
  domains: string[];
  /** Every domain whose mail servers were to be asked about (asked, or waiting for its lookup). */
  mailDomains: string[];
}

/** Run `task` over `items` with at most `limit` in flight; stops taking new items once `stopped()`. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  stopped: () => boolean,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopped()) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export class Scheduler {
  private reason: StopReason | undefined;
  private readonly stopping = new AbortController();
  private readonly lookups = new Map<string, Promise<void>>();
  private readonly mail = new Map<string, Promise<void>>();

  constructor(private readonly config: SchedulerConfig) {
    // One listener per DNS query in flight, as many as the scan asks at once: no leak to warn of.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Why the pipeline stopped, once it has; tasks finishing later should drop their result. */
  get stopped(): StopReason | undefined {
    return this.reason;
  }

  /** Stop taking new work (the first reason sticks). */
  stop(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.stopping.abort();
  }

  /** Aborted when the pipeline stops: for work that would outlive it (a DNS query). */
  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Domains handed out so far. */
  get domainsStarted(): number {
    return this.lookups.size;
  }

  /**
   * Fetch every package, look up every domain they name, until all are done, the deadline
   * passes or the signal aborts. Resolves at once when stopped: unfinished tasks are abandoned
   * (their results are for the caller to drop, see `stopped`).
   */
  async run(names: readonly string[], tasks: PipelineTasks): Promise<PipelineOutcome> {
    const lookUp = (domain: string): void => {
      if (this.lookups.has(domain)) return;
      this.lookups.set(
        domain,
        tasks.lookUpDomain(domain).finally(() => tasks.onSettled?.()),
      );
    };
    const askMail = (domain: string): void => {
      const task = tasks.lookUpMail;
      if (!task || this.mail.has(domain)) return;
      const own = this.lookups.get(domain) ?? Promise.resolve();
      this.mail.set(
        domain,
        own
          .then(() => (this.reason === undefined ? task(domain) : []))
          .then((more) => {
            if (this.reason === undefined) for (const d of more) lookUp(d);
          })
          .finally(() => tasks.onSettled?.()),
      );
    };
    const work = (async () => {
      await forEachLimited(
        names,
        this.config.concurrency,
        () => this.reason !== undefined,
        async (name) => {
          const requests = await tasks.fetchPackage(name);
          if (this.reason === undefined) {
            for (const request of requests) {
              const r = typeof request === "string" ? { domain: request } : request;
              lookUp(r.domain);
              if (r.mail) askMail(r.domain);
            }
          }
          tasks.onSettled?.();
        },
      );
      // Lookups started while packages were still arriving, and the mail servers' domains they
      // lead to: wait until no more are started.
      for (;;) {
        const started = this.lookups.size + this.mail.size;
        await Promise.all([...this.lookups.values(), ...this.mail.values()]);
        if (this.lookups.size + this.mail.size === started) break;
      }
    })();

    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.stop("deadline");
        resolve();
      }, this.config.deadlineMs);
      const signal = this.config.signal;
      if (signal) {
        onAbort = () => {
          this.stop("interrupted");
          resolve();
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    try {
      await Promise.race([work, stop]);
    } finally {
      clearTimeout(timer);
      if (onAbort) this.config.signal?.removeEventListener("abort", onAbort);
    }
    return {
      stopped: this.reason,
      domains: [...this.lookups.keys()],
      mailDomains: [...this.mail.keys()],
    };
  }
}
