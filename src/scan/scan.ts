// The scan pipeline: unique PyPI packages -> metadata -> maintainer domains -> RDAP verdicts
// -> findings -> Report. A pipeline, not two phases: a package's domains are looked up as soon
// as its metadata arrives, each unique domain once per run, all within one deadline.
import { performance } from "node:perf_hooks";
import { domainsToCheck, markProviders } from "../domains/emails.js";
import { HttpClient } from "../net/http.js";
import type { Options } from "../options/options.js";
import { createSkipList } from "../domains/providers.js";
import { normalizeName } from "../names.js";
import { lookUpPackage, userAgent, type Validators } from "../pypi/client.js";
import { createIndexRouting } from "../pypi/indexes.js";
import { checkDelegation } from "../rdap/dns.js";
import {
  createRdapChecker,
  DNS_TIMEOUT_CAP_MS,
  loadBootstrap,
  type RdapChecker,
} from "../rdap/client.js";
import { judgeVerdict, needsRegistrarRecord } from "../assess/lifecycle.js";
import { applyPolicy, assess } from "../assess/risk.js";
import type { DependencySet, DomainVerdict, Finding, Log, PackageMeta, Report } from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";

/** Verdicts and metadata kept between runs. The implementation decides how long each is trusted. */
export interface VerdictCache {
  getVerdict(domain: string, now: Date): DomainVerdict | undefined;
  putVerdict(verdict: DomainVerdict, now: Date): void;
  getPackage(name: string, now: Date): PackageMeta | undefined;
  putPackage(
    meta: PackageMeta,
    now: Date,
    maxAgeSeconds: number | undefined,
    validators?: Validators,
  ): void;
  /** An entry past its max-age that can be revalidated (it has an ETag or Last-Modified). */
  getStalePackage?(
    name: string,
    now: Date,
  ): { meta: PackageMeta; validators: Validators } | undefined;
}

export interface ScanProgress {
  packages: number;
  packagesTotal: number;
  domains: number;
  domainsTotal: number;
}

export interface ScanEnvironment {
  now: () => Date;
  fetch: typeof fetch;
  onProgress?: (p: ScanProgress) => void;
  log?: Log;
  cache?: VerdictCache;
  /** PR mode, from the action: whether the change introduced the finding's package. */
  introduced?: (f: Finding) => boolean;
  /** Directory a bootstrap given as a relative file path is read from. */
  cwd?: string;
}

/** Progress is reported at most this often (real time), plus once at the end. */
const PROGRESS_INTERVAL_MS = 100;
const DEADLINE_REASON = "deadline reached";

/** Run `task` over `items` with at most `limit` in flight; stops taking new items once `stopped()`. */
async function forEachLimited<T>(
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

function unknownVerdict(
  domain: string,
  error: string,
  errorCode: string,
  now: Date,
): DomainVerdict {
  return {
    domain,
    state: "unknown",
    statuses: [],
    error,
    errorCode,
    source: "rdap",
    checkedAt: now.toISOString(),
  };
}

/**
 * Scan a parsed dependency set: fetch each unique PyPI package's metadata once, look up each
 * unique maintainer domain once (cache first), assess and apply the run's policy.
 * Never throws for network trouble: what could not be checked is `lookup-failed`.
 */
export async function scan(
  set: DependencySet,
  options: Options,
  env: ScanEnvironment,
): Promise<Report> {
  const startedAt = env.now();
  const startedMs = performance.now();
  const deadlineAt = Date.now() + options.deadlineMs;
  let deadlineReached = false;
  const pastDeadline = () => Date.now() >= deadlineAt;

  const http = new HttpClient({
    fetch: env.fetch,
    userAgent: userAgent(),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    maxRetryWaitMs: options.maxRetryWaitMs,
    deadlineAt,
  });
  const skip = createSkipList(options);

  // Unique PyPI packages by normalised name, in first-seen order; and the private index a
  // lockfile names for one (such a name is never sent to pypi-url).
  const names: string[] = [];
  const seenNames = new Set<string>();
  const privateIndex = new Map<string, string>();
  const routeIndex = createIndexRouting(options);
  for (const dep of set.dependencies) {
    if (dep.kind !== "pypi") continue;
    const name = normalizeName(dep.name);
    if (dep.index !== undefined && !privateIndex.has(name)) privateIndex.set(name, dep.index);
    if (seenNames.has(name)) continue;
    seenNames.add(name);
    names.push(name);
  }

  const packages = new Map<string, PackageMeta>();
  const verdicts = new Map<string, DomainVerdict>();
  const lookups = new Map<string, Promise<void>>();
  const cacheStats = { verdictHits: 0, verdictMisses: 0, metadataHits: 0 };
  let dnsQueries = 0;

  // Progress, throttled.
  let lastProgress = -Infinity;
  const progress = (force = false) => {
    if (!env.onProgress) return;
    const t = performance.now();
    if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = t;
    env.onProgress({
      packages: packages.size,
      packagesTotal: names.length,
      domains: verdicts.size,
      domainsTotal: lookups.size,
    });
  };

  // The RDAP checker is built on first need: a scan whose domains all come from the cache
  // (or that has none) never fetches the bootstrap.
  let checker: Promise<RdapChecker> | undefined;
  const getChecker = (): Promise<RdapChecker> => {
    checker ??= (async () => {
      const loaded = await loadBootstrap(options.rdapBootstrap, http, env.cwd ?? process.cwd());
      if (!loaded.ok)
        env.log?.({
          level: "warning",
          text: `the RDAP bootstrap could not be loaded: ${loaded.error}`,
        });
      return createRdapChecker({
        http,
        bootstrap: loaded.ok ? loaded.data : undefined,
        ...(loaded.ok ? {} : { bootstrapError: loaded.error }),
        ...(options.dnsServer ? { dnsServer: options.dnsServer } : {}),
        now: env.now,
        timeoutMs: options.timeoutMs,
        perOriginConcurrency: options.rdapConcurrency,
        wantsRegistrar: needsRegistrarRecord,
        checkDelegation: (domain: string) => {
          dnsQueries++;
          return checkDelegation(domain, {
            ...(options.dnsServer ? { server: options.dnsServer } : {}),
            timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
          });
        },
      });
    })();
    return checker;
  };

  const lookUp = (domain: string): void => {
    if (lookups.has(domain)) return;
    const run = async () => {
      const cached = env.cache?.getVerdict(domain, env.now());
      if (cached) {
        cacheStats.verdictHits++;
        verdicts.set(domain, judgeVerdict({ ...cached, source: "cache" }, env.now()));
        return;
      }
      if (env.cache) cacheStats.verdictMisses++;
      let verdict: DomainVerdict;
      try {
        verdict = judgeVerdict(await (await getChecker()).check(domain), env.now());
      } catch (error) {
        verdict = unknownVerdict(
          domain,
          `the lookup failed: ${(error as Error).message}`,
          "internal",
          env.now(),
        );
      }
      if (deadlineReached) return; // the deadline already settled this domain
      if (verdict.state === "unknown" && (verdict.errorCode === "deadline" || pastDeadline())) {
        // The request layer stopped at the same deadline a moment before the scan's timer.
        deadlineReached = true;
        verdict = unknownVerdict(domain, DEADLINE_REASON, "deadline", env.now());
      }
      verdicts.set(domain, verdict);
      if (verdict.state !== "unknown") env.cache?.putVerdict(verdict, env.now());
    };
    lookups.set(
      domain,
      run().finally(() => progress()),
    );
  };

  const fetchOne = async (name: string): Promise<void> => {
    // Private-index metadata is not cached: the cache is keyed by name, and PyPI's is another project.
    const index = privateIndex.get(name);
    const cache = index === undefined ? env.cache : undefined;
    let meta = cache?.getPackage(name, env.now());
    if (meta) {
      cacheStats.metadataHits++;
      meta = { ...meta, cached: true };
    } else {
      const revalidate = cache?.getStalePackage?.(name, env.now());
      const entry = await lookUpPackage(name, routeIndex(index), {
        http,
        concurrency: options.pypiConcurrency,
        ...(revalidate ? { revalidate } : {}),
      });
      meta = entry.meta;
      if (meta.status === "ok")
        cache?.putPackage(meta, env.now(), entry.maxAgeSeconds, entry.validators);
    }
    if (deadlineReached) return;
    if (meta.status === "error" && pastDeadline()) {
      deadlineReached = true;
      return;
    }
    meta = { ...meta, emails: markProviders(meta.emails, skip) };
    packages.set(name, meta);
    for (const domain of domainsToCheck(meta.emails)) lookUp(domain);
    progress();
  };

  const work = (async () => {
    await forEachLimited(names, options.pypiConcurrency, () => deadlineReached, fetchOne);
    // Lookups started while packages were still arriving; wait for all of them (the map may
    // not grow any more once every package is in).
    await Promise.all(lookups.values());
  })();

  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      deadlineReached = true;
      resolve();
    }, options.deadlineMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }

  if (deadlineReached) {
    env.log?.({
      level: "warning",
      text: `the scan reached its deadline (${options.deadlineMs} ms); unfinished lookups are reported as not checked`,
    });
    const now = env.now();
    for (const name of names) {
      if (!packages.has(name)) {
        packages.set(name, { name, status: "error", error: DEADLINE_REASON, emails: [] });
      }
    }
    for (const domain of lookups.keys()) {
      if (!verdicts.has(domain))
        verdicts.set(domain, unknownVerdict(domain, DEADLINE_REASON, "deadline", now));
    }
  }
  progress(true);

  const now = env.now();
  const assessed = assess({
    dependencies: set.dependencies.map((d) => ({ ...d, name: normalizeName(d.name) })),
    packages,
    verdicts,
    now,
    expiryWarningDays: options.expiryWarningDays,
  });
  const findings = applyPolicy(assessed, {
    failOn: options.failOn,
    allow: options.allow,
    onLookupError: options.onLookupError,
    now,
    ...(env.introduced ? { introduced: env.introduced } : {}),
  });

  const s = http.stats;
  return {
    tool: { name: TOOL_NAME, version: VERSION },
    startedAt: startedAt.toISOString(),
    root: set.root,
    dependencies: set.dependencies,
    lockfiles: set.lockfiles,
    errors: set.errors,
    packages: names.map((n) => packages.get(n)).filter((p): p is PackageMeta => p !== undefined),
    domains: [...verdicts.values()].sort((a, b) => a.domain.localeCompare(b.domain)),
    findings,
    stats: {
      lockfiles: set.lockfiles.length,
      dependencies: set.dependencies.length,
      packages: names.length,
      domains: lookups.size,
      requests: {
        pypi: s.pypi,
        rdap: s.rdap,
        bootstrap: s.bootstrap,
        dns: dnsQueries,
        retries: s.retries,
      },
      cache: cacheStats,
      durationMs: Math.round(performance.now() - startedMs),
      deadlineReached,
    },
    failOn: options.failOn,
  };
}
