// The one HTTP request policy: timeouts (headers and body), retries with backoff and jitter,
// Retry-After, a body-size cap (also after decompression), redirects with loop detection, an
// limit per key (default: the URL's origin) on requests in flight and, once the key has answered
// 429, on request starts per window (learned from the 429s, see Gate), and a scan-wide deadline.
// `get` never throws: every outcome is an HttpResult with a stable code.

export type RequestKind = "pypi" | "rdap" | "bootstrap";

export type HttpErrorCode =
  | "timeout"
  | "rate-limited"
  | "server-error"
  | "network"
  | "too-large"
  | "redirect-loop"
  | "deadline"
  | "http-status"
  | "bad-url";

/** Refuse bodies larger than this (bytes, counted after decompression) unless the policy says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
/** First backoff step after a failure; doubles each retry, with jitter, clamped to maxRetryWaitMs. */
export const DEFAULT_BACKOFF_BASE_MS = 500;
/** Redirects followed before giving up with `redirect-loop`. */
export const MAX_REDIRECTS = 5;

export interface HttpPolicy {
  fetch: typeof fetch;
  userAgent: string;
  /** One request, from sending it to the last byte of its body, milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts, resets and truncated bodies. */
  retries: number;
  /** The longest single wait (Retry-After or backoff), milliseconds. */
  maxRetryWaitMs: number;
  /** Default 5 MiB; also enforced after decompression. */
  maxBodyBytes?: number;
  /** Epoch ms: no request is sent and no wait runs past it. */
  deadlineAt?: number;
  /** Default 500 ms. */
  backoffBaseMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1); inject a fixed one in tests. */
  random?: () => number;
}

export type HttpResult =
  | { ok: true; status: number; url: string; headers: Headers; body: string; attempts: number }
  | {
      ok: false;
      status?: number;
      url: string;
      code: HttpErrorCode;
      error: string;
      attempts: number;
      headers?: Headers;
      body?: string;
    };

export interface GetOptions {
  kind: RequestKind;
  accept?: string;
  /** Limit in-flight requests sharing `key` (default key: the URL's origin, default limit: none). */
  concurrency?: { key: string; limit: number };
}

export interface HttpStats {
  pypi: number;
  rdap: number;
  bootstrap: number;
  /** Requests sent again after a failure (already counted in their kind). */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Redirects followed (each is also a request counted in its kind). */
  redirects: number;
}

/** One attempt's outcome before the retry decision. */
type Attempt =
  | { type: "done"; result: HttpResult }
  | { type: "redirect"; location: string }
  | { type: "retry"; result: Extract<HttpResult, { ok: false }>; retryAfterMs?: number };

class BodyTooLarge extends Error {}

/**
 * 429s that arrive within this long of the one that set the rate cap were caused by requests
 * already sent under the old rate: they say nothing new. Also the span over which the first 429
 * counts the starts the origin accepted.
 */
const RATE_WINDOW_MS = 1_000;
/** The window a learned rate cap applies to: a second plus a margin for clock and network jitter. */
const PACE_WINDOW_MS = 1_050;
/** After this long without a 429, allow one more start per window (probing for a higher rate). */
const PACE_PROBE_AFTER_MS = 10_000;

/** A request start as the rate cap sees it. */
interface Start {
  /** Epoch ms; reserved, so possibly in the future. */
  at: number;
  /** Its place in the order of reservations (several may share one millisecond). */
  order: number;
  /** The request failed to get an answer (429, 5xx, timeout, reset). */
  failed: boolean;
}

/**
 * The limit for one key (an RDAP origin, or PyPI): at most `limit` requests in flight, and,
 * once the origin has answered 429, at most `rateCap` request starts in any window of
 * PACE_WINDOW_MS.
 *
 * Backing off is done on the rate, not on the concurrency: registries limit requests per
 * second, so halving concurrency would only lower throughput by latency, while the cap stops
 * the origin's refusals. The cap is learned from the first 429 (the starts the origin accepted
 * in the second before the refused one), lowered by one on each further 429 (one per second at
 * most: 429s for requests already in flight say nothing new), and raised by one after
 * PACE_PROBE_AFTER_MS without a 429, so it recovers when the origin allows more again.
 * A Retry-After pauses every request for the key on top of this (`pausedUntil`).
 */
class Gate {
  active = 0;
  readonly limit: number;
  pausedUntil = 0;
  /** Request starts allowed per PACE_WINDOW_MS; infinite until the origin first answers 429. */
  rateCap = Number.POSITIVE_INFINITY;
  /** Request starts within the last window, sorted by time (some reserved in the future). */
  private readonly starts: Start[] = [];
  private reserved = 0;
  private lastThrottleAt = Number.NEGATIVE_INFINITY;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: (() => void)[] = [];

  constructor(max: number) {
    this.limit = max;
  }

  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.active--;
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }

  /**
   * Reserve a start within the rate cap: when (epoch ms, `now` or later; the caller waits until
   * then) and its place in the order of reservations.
   */
  reserveStart(now: number): Start {
    const starts = this.starts;
    while (starts.length > 0 && starts[0]!.at <= now - PACE_WINDOW_MS) starts.shift();
    let at = now;
    // Already `rateCap` starts in the window: this one goes a window after the start that
    // would otherwise make it the (rateCap + 1)-th in a window.
    if (starts.length >= this.rateCap)
      at = Math.max(now, starts[starts.length - this.rateCap]!.at + PACE_WINDOW_MS);
    const start: Start = { at, order: this.reserved++, failed: false };
    let i = starts.length;
    while (i > 0 && starts[i - 1]!.at > at) i--;
    starts.splice(i, 0, start);
    return start;
  }

  /**
   * The request is being sent now: if waiting for its start ran late, move it to when it really
   * starts, so the starts after it keep a whole window from it.
   */
  markSent(start: Start, now: number): void {
    if (now <= start.at) return;
    this.cancelStart(start);
    start.at = now;
    let i = this.starts.length;
    while (i > 0 && this.starts[i - 1]!.at > now) i--;
    this.starts.splice(i, 0, start);
  }

  /** A reserved start that will not be made (the deadline comes first): free its place. */
  cancelStart(start: Start): void {
    const i = this.starts.indexOf(start);
    if (i >= 0) this.starts.splice(i, 1);
  }

  /** The origin answered 429 to the request whose start was `refused`. */
  throttle(now: number, refused: Start): void {
    if (now - this.lastThrottleAt < RATE_WINDOW_MS) return;
    this.lastThrottleAt = now;
    if (Number.isFinite(this.rateCap)) {
      this.rateCap = Math.max(1, this.rateCap - 1);
      return;
    }
    // The first 429: the origin accepted the starts made in the second before the refused one
    // (those still in flight included; those that failed, with a 429 or otherwise, not).
    const accepted = this.starts.filter(
      (s) => !s.failed && s.order < refused.order && s.at > refused.at - RATE_WINDOW_MS,
    ).length;
    // Refused with nothing accepted says nothing about the rate: the Retry-After pause is all.
    if (accepted === 0) return;
    this.rateCap = accepted;
  }

  /** An answer arrived (anything but a 429 or a failure to answer). */
  succeed(now: number): void {
    if (!Number.isFinite(this.rateCap)) return;
    if (now - Math.max(this.lastThrottleAt, this.lastProbeAt) < PACE_PROBE_AFTER_MS) return;
    this.rateCap++;
    this.lastProbeAt = now;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const causeText =
    cause instanceof Error
      ? `${(cause as NodeJS.ErrnoException).code ?? ""} ${cause.message}`.trim()
      : cause
        ? String(cause)
        : "";
  return causeText && causeText !== error.message
    ? `${error.message} (${causeText})`
    : error.message;
}

export class HttpClient {
  readonly stats: HttpStats = {
    pypi: 0,
    rdap: 0,
    bootstrap: 0,
    retries: 0,
    rateLimited: 0,
    redirects: 0,
  };
  private readonly gates = new Map<string, Gate>();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly maxBodyBytes: number;

  constructor(private readonly policy: HttpPolicy) {
    this.now = policy.now ?? Date.now;
    this.sleep = policy.sleep ?? defaultSleep;
    this.random = policy.random ?? Math.random;
    this.maxBodyBytes = policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** The concurrency limit of a key (requests in flight), for reports and tests. */
  currentLimit(key: string): number | undefined {
    return this.gates.get(key)?.limit;
  }

  /**
   * The rate cap of a key: request starts allowed per `windowMs`, learned from its 429s
   * (infinite until the first one), for reports and tests.
   */
  currentRateCap(key: string): { starts: number; windowMs: number } | undefined {
    const gate = this.gates.get(key);
    return gate && { starts: gate.rateCap, windowMs: PACE_WINDOW_MS };
  }

  async get(url: string, opts: GetOptions): Promise<HttpResult> {
    try {
      return await this.run(url, opts);
    } catch (error) {
      // Defensive: run() handles every failure it knows; anything else is still a result.
      return { ok: false, url, code: "network", error: describe(error), attempts: 0 };
    }
  }

  private gateFor(url: URL, opts: GetOptions): Gate {
    const key = opts.concurrency?.key ?? url.origin;
    const max = opts.concurrency?.limit ?? Number.POSITIVE_INFINITY;
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new Gate(Math.max(1, max));
      this.gates.set(key, gate);
    }
    return gate;
  }

  private async run(url: string, opts: GetOptions): Promise<HttpResult> {
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return {
        ok: false,
        url,
        code: "bad-url",
        error: `not a URL: ${JSON.stringify(url)}`,
        attempts: 0,
      };
    }
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      return {
        ok: false,
        url,
        code: "bad-url",
        error: `not an http(s) URL: ${current.href}`,
        attempts: 0,
      };
    }
    const seen = new Set<string>([current.href]);
    let attempts = 0;
    let failures = 0;
    let redirects = 0;
    // The latest origin-wide pause this request has already waited out.
    let pauseHonoured = 0;
    for (;;) {
      const deadlineLeft = this.deadlineLeft();
      if (deadlineLeft <= 0) {
        return {
          ok: false,
          url: current.href,
          code: "deadline",
          error: `the scan deadline passed before ${current.href} could be ${attempts ? "retried" : "requested"}`,
          attempts,
        };
      }
      const gate = this.gateFor(current, opts);
      await gate.acquire();
      const pause = gate.pausedUntil - this.now();
      if (pause > 0 && gate.pausedUntil > pauseHonoured) {
        // The origin asked everyone to wait (429/503 with Retry-After): wait without holding a slot.
        gate.release();
        if (pause >= this.deadlineLeft()) {
          return {
            ok: false,
            url: current.href,
            code: "deadline",
            error: `${current.origin} asked to wait ${Math.ceil(pause / 1000)} s, past the scan deadline`,
            attempts,
          };
        }
        pauseHonoured = gate.pausedUntil;
        await this.sleep(Math.min(pause, this.policy.maxRetryWaitMs));
        continue;
      }
      // Waiting for a slot may have used up the time left.
      const timeLeft = this.deadlineLeft();
      if (timeLeft <= 0) {
        gate.release();
        continue;
      }
      const reservedAt = this.now();
      const start = gate.reserveStart(reservedAt);
      const paceWait = start.at - reservedAt;
      if (paceWait > 0 && paceWait >= timeLeft) {
        gate.cancelStart(start);
        gate.release();
        return {
          ok: false,
          url: current.href,
          code: "deadline",
          error: `the scan deadline passed while pacing requests to ${current.origin}`,
          attempts,
        };
      }
      let outcome: Attempt;
      try {
        // Waiting for the rate cap holds the slot: the origin's rate is the limit now.
        if (paceWait > 0) await this.sleep(Math.min(paceWait, this.policy.maxRetryWaitMs));
        gate.markSent(start, this.now());
        attempts++;
        this.stats[opts.kind]++;
        if (failures > 0) this.stats.retries++;
        const budget = Math.max(1, this.deadlineLeft());
        outcome = await this.attempt(
          current,
          opts,
          Math.min(this.policy.timeoutMs, budget),
          budget < this.policy.timeoutMs,
        );
      } finally {
        gate.release();
      }
      if (outcome.type === "done") {
        gate.succeed(this.now());
        return { ...outcome.result, attempts };
      }
      if (outcome.type === "redirect") {
        this.stats.redirects++;
        let next: URL;
        try {
          next = new URL(outcome.location, current);
        } catch {
          return {
            ok: false,
            url: current.href,
            code: "http-status",
            error: `redirect from ${current.href} to an invalid location ${JSON.stringify(outcome.location)}`,
            attempts,
          };
        }
        if (next.protocol !== "http:" && next.protocol !== "https:") {
          return {
            ok: false,
            url: current.href,
            code: "bad-url",
            error: `redirect from ${current.href} to a non-http(s) location ${next.href}`,
            attempts,
          };
        }
        redirects++;
        if (seen.has(next.href) || redirects > MAX_REDIRECTS) {
          return {
            ok: false,
            url: current.href,
            code: "redirect-loop",
            error: seen.has(next.href)
              ? `redirect loop: ${current.href} -> ${next.href}, already visited`
              : `more than ${MAX_REDIRECTS} redirects, last ${current.href} -> ${next.href}`,
            attempts,
          };
        }
        seen.add(next.href);
        current = next;
        continue;
      }
      // A retryable failure.
      start.failed = true;
      failures++;
      const failed = { ...outcome.result, attempts };
      if (failed.status === 429) {
        this.stats.rateLimited++;
        gate.throttle(this.now(), start);
      }
      const wait = Math.min(
        this.policy.maxRetryWaitMs,
        outcome.retryAfterMs ?? this.backoff(failures, failed.status === 429),
      );
      // The origin asked to slow down: everyone queued for it waits too, not only this request.
      if (outcome.retryAfterMs !== undefined || failed.status === 429) {
        gate.pausedUntil = Math.max(gate.pausedUntil, this.now() + wait);
        pauseHonoured = gate.pausedUntil;
      }
      if (failures > this.policy.retries) {
        return {
          ...failed,
          error: `${failed.error}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
        };
      }
      if (wait >= this.deadlineLeft()) {
        return {
          ...failed,
          error: `${failed.error}; not retried: the scan deadline is too close`,
        };
      }
      await this.sleep(wait);
    }
  }

  private deadlineLeft(): number {
    return this.policy.deadlineAt === undefined
      ? Number.POSITIVE_INFINITY
      : this.policy.deadlineAt - this.now();
  }

  private backoff(failures: number, rateLimited: boolean): number {
    const base = (this.policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS) * (rateLimited ? 2 : 1);
    // Exponential with jitter in [0.5, 1.5).
    return Math.round(base * 2 ** (failures - 1) * (0.5 + this.random()));
  }

  /** Send one request and read its body under one timer. */
  private async attempt(
    url: URL,
    opts: GetOptions,
    timeoutMs: number,
    cutByDeadline: boolean,
  ): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const href = url.href;
    const fail = (
      code: HttpErrorCode,
      error: string,
      extra?: { status?: number; headers?: Headers; body?: string },
    ) => ({
      ok: false as const,
      url: href,
      code,
      error,
      attempts: 0,
      ...extra,
    });
    try {
      let response: Response;
      try {
        response = await this.policy.fetch(href, {
          method: "GET",
          redirect: "manual",
          signal: controller.signal,
          headers: {
            accept: opts.accept ?? "application/json",
            "user-agent": this.policy.userAgent,
          },
        });
      } catch (error) {
        if (timedOut && cutByDeadline) {
          return {
            type: "done",
            result: fail("deadline", `the scan deadline passed while waiting for ${href}`),
          };
        }
        if (timedOut)
          return {
            type: "retry",
            result: fail("timeout", `no answer from ${href} within ${timeoutMs} ms`),
          };
        return {
          type: "retry",
          result: fail("network", `request to ${href} failed: ${describe(error)}`),
        };
      }
      const { status, headers } = response;
      if (status >= 300 && status < 400 && status !== 304) {
        await response.body?.cancel().catch(() => undefined);
        const location = headers.get("location");
        if (location) return { type: "redirect", location };
        return {
          type: "done",
          result: fail("http-status", `${href} answered ${status} without a Location`, {
            status,
            headers,
          }),
        };
      }
      if (status === 429 || status >= 500) {
        await response.body?.cancel().catch(() => undefined);
        const retryAfterMs =
          status === 429 || status === 503
            ? parseRetryAfter(headers.get("retry-after"), this.now())
            : undefined;
        const code: HttpErrorCode = status === 429 ? "rate-limited" : "server-error";
        const what = status === 429 ? "rate-limited the request" : `answered ${status}`;
        const after = headers.get("retry-after");
        return {
          type: "retry",
          result: fail(
            code,
            `${url.origin} ${what}${after ? ` (Retry-After: ${after.slice(0, 40)})` : ""}`,
            {
              status,
              headers,
            },
          ),
          retryAfterMs,
        };
      }
      let body: string;
      try {
        body = await this.readBody(response);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          return {
            type: "done",
            result: fail("too-large", `${href}: ${error.message}`, { status, headers }),
          };
        }
        if (timedOut && cutByDeadline) {
          return {
            type: "done",
            result: fail("deadline", `the scan deadline passed while reading ${href}`, {
              status,
              headers,
            }),
          };
        }
        if (timedOut) {
          return {
            type: "retry",
            result: fail("timeout", `the body of ${href} did not arrive within ${timeoutMs} ms`, {
              status,
              headers,
            }),
          };
        }
        return {
          type: "retry",
          result: fail("network", `the body of ${href} was cut off: ${describe(error)}`, {
            status,
            headers,
          }),
        };
      }
      if (status >= 200 && status < 300) {
        return {
          type: "done",
          result: { ok: true, status, url: href, headers, body, attempts: 0 },
        };
      }
      return {
        type: "done",
        result: fail("http-status", `${href} answered ${status}`, { status, headers, body }),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Read the (already decompressed) body, refusing it as soon as it passes the cap. */
  private async readBody(response: Response): Promise<string> {
    const cap = this.maxBodyBytes;
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > cap) {
      await response.body?.cancel().catch(() => undefined);
      throw new BodyTooLarge(`body of ${declared} bytes is over the ${cap}-byte limit`);
    }
    if (!response.body) return "";
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLarge(`body is over the ${cap}-byte limit (after decompression)`);
      }
      chunks.push(value);
    }
    return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
  }
}
