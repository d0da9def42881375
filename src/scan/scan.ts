// The scan pipeline: unique PyPI packages -> metadata -> maintainer domains -> RDAP verdicts
// -> findings -> Report. A pipeline, not two phases: a package's domains are looked up as soon
// as its metadata arrives, each unique domain once per run, all within one deadline.
import { performance } from "node:perf_hooks";
import { domainsToCheck, markProviders } from "../domains/emails.js";
import { HttpClient } from "../net/http.js";
import type { Options } from "../options/options.js";
import { createSkipList } from "../domains/providers.js";
import { normalizeName } from "../names.js";
import { fetchPackageEntry, userAgent } from "../pypi/client.js";
import { checkDelegation } from "../rdap/dns.js";
import {
  createRdapChecker,
  DNS_TIMEOUT_CAP_MS,
  loadBootstrap,
  type RdapChecker,
} from "../rdap/client.js";
import { judgeVerdict } from "../assess/lifecycle.js";
import { applyPolicy, assess } from "../assess/risk.js";
import type { DependencySet, DomainVerdict, Finding, Log, PackageMeta, Report } from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";
import { computeCoverage } from "./coverage.js";
import { Scheduler } from "./scheduler.js";

/** Verdicts and metadata kept between runs. The implementation decides how long each is trusted. */
export interface VerdictCache {
  getVerdict(domain: string, now: Date): DomainVerdict | undefined;
  putVerdict(verdict: DomainVerdict, now: Date): void;
  getPackage(name: string, now: Date): PackageMeta | undefined;
  putPackage(meta: PackageMeta, now: Date, maxAgeSeconds: number | undefined): void;
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

/** Everything one scan keeps while it runs: the steps below read and fill it. */
interface ScanState {
  readonly options: Options;
  readonly env: ScanEnvironment;
  readonly startedAt: Date;
  readonly startedMs: number;
  readonly deadlineAt: number;
  readonly http: HttpClient;
  readonly skip: ReturnType<typeof createSkipList>;
  readonly scheduler: Scheduler;
  /** Unique PyPI packages by normalised name, in first-seen order. */
  readonly names: string[];
  readonly packages: Map<string, PackageMeta>;
  readonly verdicts: Map<string, DomainVerdict>;
  readonly cacheStats: { verdictHits: number; verdictMisses: number; metadataHits: number };
  dnsQueries: number;
  /** The RDAP checker, built on first need. */
  checker: Promise<RdapChecker> | undefined;
  lastProgress: number;
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
  const state = startState(set, options, env);
  const outcome = await state.scheduler.run(state.names, {
    fetchPackage: (name) => fetchPackageStep(state, name),
    lookUpDomain: (domain) => lookUpDomainStep(state, domain),
    onSettled: () => reportProgress(state),
  });
  if (outcome.stopped) settleUnfinished(state, outcome.domains);
  reportProgress(state, true);
  return buildReport(set, state, outcome.domains.length);
}

/** The run's clock, HTTP client, skip list, scheduler and the unique package names. */
function startState(set: DependencySet, options: Options, env: ScanEnvironment): ScanState {
  const deadlineAt = Date.now() + options.deadlineMs;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const dep of set.dependencies) {
    if (dep.kind !== "pypi") continue;
    const name = normalizeName(dep.name);
    if (seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  return {
    options,
    env,
    startedAt: env.now(),
    startedMs: performance.now(),
    deadlineAt,
    http: new HttpClient({
      fetch: env.fetch,
      userAgent: userAgent(),
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      maxRetryWaitMs: options.maxRetryWaitMs,
      deadlineAt,
    }),
    skip: createSkipList(options),
    scheduler: new Scheduler({
      concurrency: options.pypiConcurrency,
      deadlineMs: options.deadlineMs,
    }),
    names,
    packages: new Map(),
    verdicts: new Map(),
    cacheStats: { verdictHits: 0, verdictMisses: 0, metadataHits: 0 },
    dnsQueries: 0,
    checker: undefined,
    lastProgress: -Infinity,
  };
}

function pastDeadline(state: ScanState): boolean {
  return Date.now() >= state.deadlineAt;
}

/** Progress, throttled (`force` for the last one). */
function reportProgress(state: ScanState, force = false): void {
  const { env } = state;
  if (!env.onProgress) return;
  const t = performance.now();
  if (!force && t - state.lastProgress < PROGRESS_INTERVAL_MS) return;
  state.lastProgress = t;
  env.onProgress({
    packages: state.packages.size,
    packagesTotal: state.names.length,
    domains: state.verdicts.size,
    domainsTotal: state.scheduler.domainsStarted,
  });
}

/**
 * The RDAP checker, built on first need: a scan whose domains all come from the cache (or that
 * has none) never fetches the bootstrap.
 */
function rdapChecker(state: ScanState): Promise<RdapChecker> {
  const { options, env, http } = state;
  state.checker ??= (async () => {
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
      checkDelegation: (domain: string) => {
        state.dnsQueries++;
        return checkDelegation(domain, {
          ...(options.dnsServer ? { server: options.dnsServer } : {}),
          timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
        });
      },
    });
  })();
  return state.checker;
}

/** One domain: the cache first, else RDAP; the verdict judged and kept (and cached when known). */
async function lookUpDomainStep(state: ScanState, domain: string): Promise<void> {
  const { env, scheduler } = state;
  const cached = env.cache?.getVerdict(domain, env.now());
  if (cached) {
    state.cacheStats.verdictHits++;
    state.verdicts.set(domain, judgeVerdict({ ...cached, source: "cache" }, env.now()));
    return;
  }
  if (env.cache) state.cacheStats.verdictMisses++;
  let verdict: DomainVerdict;
  try {
    verdict = judgeVerdict(await (await rdapChecker(state)).check(domain), env.now());
  } catch (error) {
    verdict = unknownVerdict(
      domain,
      `the lookup failed: ${(error as Error).message}`,
      "internal",
      env.now(),
    );
  }
  if (scheduler.stopped) return; // the deadline already settled this domain
  if (verdict.state === "unknown" && (verdict.errorCode === "deadline" || pastDeadline(state))) {
    // The request layer stopped at the same deadline a moment before the scan's timer.
    scheduler.stop("deadline");
    verdict = unknownVerdict(domain, DEADLINE_REASON, "deadline", env.now());
  }
  state.verdicts.set(domain, verdict);
  if (verdict.state !== "unknown") env.cache?.putVerdict(verdict, env.now());
}

/** One package: the cache first, else the index; returns the domains to look up. */
async function fetchPackageStep(state: ScanState, name: string): Promise<readonly string[]> {
  const { env, options, scheduler } = state;
  let meta = env.cache?.getPackage(name, env.now());
  if (meta) {
    state.cacheStats.metadataHits++;
    meta = { ...meta, cached: true };
  } else {
    const entry = await fetchPackageEntry(name, {
      http: state.http,
      baseUrl: options.pypiUrl,
      concurrency: options.pypiConcurrency,
    });
    meta = entry.meta;
    if (meta.status === "ok") env.cache?.putPackage(meta, env.now(), entry.maxAgeSeconds);
  }
  if (scheduler.stopped) return [];
  if (meta.status === "error" && pastDeadline(state)) {
    scheduler.stop("deadline");
    return [];
  }
  meta = { ...meta, emails: markProviders(meta.emails, state.skip) };
  state.packages.set(name, meta);
  return domainsToCheck(meta.emails);
}

/** The pipeline stopped early: what it did not finish is reported as not checked. */
function settleUnfinished(state: ScanState, domains: readonly string[]): void {
  const { env, options } = state;
  env.log?.({
    level: "warning",
    text: `the scan reached its deadline (${options.deadlineMs} ms); unfinished lookups are reported as not checked`,
  });
  const now = env.now();
  for (const name of state.names) {
    if (!state.packages.has(name)) {
      state.packages.set(name, { name, status: "error", error: DEADLINE_REASON, emails: [] });
    }
  }
  for (const domain of domains) {
    if (!state.verdicts.has(domain))
      state.verdicts.set(domain, unknownVerdict(domain, DEADLINE_REASON, "deadline", now));
  }
}

/** Assess, apply the run's policy and put the report together. */
function buildReport(set: DependencySet, state: ScanState, domainCount: number): Report {
  const { env, options, packages, verdicts } = state;
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

  const s = state.http.stats;
  return {
    tool: { name: TOOL_NAME, version: VERSION },
    startedAt: state.startedAt.toISOString(),
    root: set.root,
    dependencies: set.dependencies,
    lockfiles: set.lockfiles,
    errors: set.errors,
    packages: state.names
      .map((n) => packages.get(n))
      .filter((p): p is PackageMeta => p !== undefined),
    domains: [...verdicts.values()].sort((a, b) => a.domain.localeCompare(b.domain)),
    findings,
    coverage: computeCoverage({
      dependencies: set.dependencies,
      names: state.names,
      packages,
      verdicts,
      indexUrl: options.pypiUrl,
    }),
    stats: {
      lockfiles: set.lockfiles.length,
      dependencies: set.dependencies.length,
      packages: state.names.length,
      domains: domainCount,
      requests: {
        pypi: s.pypi,
        rdap: s.rdap,
        bootstrap: s.bootstrap,
        dns: state.dnsQueries,
        retries: s.retries,
      },
      cache: state.cacheStats,
      durationMs: Math.round(performance.now() - state.startedMs),
      deadlineReached: state.scheduler.stopped === "deadline",
    },
    failOn: options.failOn,
  };
}
