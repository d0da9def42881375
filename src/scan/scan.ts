// The scan pipeline: unique PyPI packages -> metadata -> maintainer domains -> RDAP verdicts
// -> findings -> Report. A pipeline, not two phases: a package's domains are looked up as soon
// as its metadata arrives, each unique domain once per run, all within one deadline.
import type { Transport } from "../net/transport.js";
import { performance } from "node:perf_hooks";
import { domainsToCheck, markProviders } from "../domains/emails.js";
import { HttpClient, type OriginCredentials, type OriginDown } from "../net/http.js";
import type { Options } from "../options/options.js";
import {
  createSkipList,
  DEFAULT_LINK_SKIP_DOMAINS,
  DEFAULT_MX_SKIP_DOMAINS,
  DEFAULT_SKIP_DOMAINS,
} from "../domains/providers.js";
import { markPlatforms } from "../domains/links.js";
import { classifyMailHosts } from "../domains/mail.js";
import { normalizeName } from "../names.js";
import { indexIdentity } from "../words.js";
import { lookUpPackage, userAgent, type PackageEntry, type Validators } from "../pypi/client.js";
import { createIndexRouting, stripCredentials, type IndexTarget } from "../pypi/indexes.js";
import { checkDelegation, lookUpMx } from "../rdap/dns.js";
import {
  createRdapChecker,
  DNS_TIMEOUT_CAP_MS,
  loadBootstrap,
  type RdapChecker,
} from "../rdap/client.js";
import {
  judgeVerdict,
  LAPSED_STATES,
  needsRegistrarRecord,
  TAKES_MAIL,
} from "../assess/lifecycle.js";
import { applyPolicy, assess } from "../assess/risk.js";
import type {
  AnswerStat,
  DependencySet,
  DomainVerdict,
  Finding,
  Log,
  MailServers,
  PackageMeta,
  Report,
} from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";
import { computeCoverage, unreadLockfiles, withShortfall } from "./coverage.js";
import { Scheduler, type DomainRequest } from "./scheduler.js";

/** Verdicts and metadata kept between runs. The implementation decides how long each is trusted. */
export interface VerdictCache {
  getVerdict(domain: string, now: Date): DomainVerdict | undefined;
  /**
   * A lapsed verdict past its own time to live but within the cache's ceiling: what is told
   * instead of a lookup that failed, so that a lapse found before does not vanish with it.
   */
  getLapsedVerdict?(domain: string, now: Date): DomainVerdict | undefined;
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
  /** How requests are sent (`transportForEnv`; tests: `directTransport()` to loopback). */
  transport: Transport;
  onProgress?: (p: ScanProgress) => void;
  log?: Log;
  cache?: VerdictCache;
  /** PR mode, from the action: whether the change introduced the finding's package. */
  introduced?: (f: Finding) => boolean;
  /** Directory a bootstrap given as a relative file path is read from. */
  cwd?: string;
  /**
   * A stop request (SIGINT, SIGTERM, a cancelled job): nothing more is sent, and the scan returns
   * at once with what it has (`stats.interrupted`); verdicts already fetched are in the cache.
   */
  signal?: AbortSignal;
  /**
   * A line every `intervalMs` with counts and what the scan waits on ("312/579 packages,
   * 80/140 domains; waiting on rdap.example (429, retry in 2 s)"), the first after `intervalMs`.
   * For logs that are not a terminal (CI); the CLI and the action use 15 s.
   */
  heartbeat?: { intervalMs: number; write: (line: string) => void };
}

/** The heartbeat interval the CLI and the action use when stderr is not a terminal. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** Progress is reported at most this often (real time), plus once at the end. */
const PROGRESS_INTERVAL_MS = 100;
const DEADLINE_REASON = "deadline reached";
/**
 * Unknown verdicts that are an answer, not a lookup that failed: no registry to ask, a registry
 * "not found" that DNS contradicts, a stop request. A lapsed verdict kept from before does not
 * stand in for these.
 */
const NOT_A_FAILURE = new Set(["no-rdap", "dns-contradicts", "interrupted"]);
const INTERRUPTED_REASON = "interrupted";

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
  /** Mail providers and mail hosting: MX hosts under these are not looked up. */
  readonly mailSkip: ReturnType<typeof createSkipList>;
  /** Code hosts and platforms: project links there are not looked up. */
  readonly linkSkip: ReturnType<typeof createSkipList>;
  /** What DNS said about each maintainer domain's mail servers. */
  readonly mail: Map<string, MailServers>;
  mxQueries: number;
  /** Index answers over LARGE_ANSWER_BYTES read this run (for `stats.largestAnswers`). */
  readonly largeAnswers: AnswerStat[];
  /** The MX warning has been given (once per run). */
  mxWarned: boolean;
  readonly scheduler: Scheduler;
  /** Unique PyPI packages by normalised name, in first-seen order. */
  readonly names: string[];
  /** The private index a lockfile names for a package: such a name never goes to pypi-url. */
  readonly privateIndex: Map<string, string>;
  /**
   * For a name of more than one project (from PyPI and a private index, or from two private
   * indexes): the lookup key (in `names`) of the project of each private index, so that each
   * line is looked up where it comes from and judged by that project.
   */
  readonly projectKeys: Map<string, Map<string, string>>;
  /** The name each such key stands for (a key is never parsed: a hostile name could look like one). */
  readonly shadowNames: Map<string, string>;
  /** Where a package from an index (undefined: PyPI) is looked up. */
  readonly routeIndex: (index: string | undefined) => IndexTarget;
  readonly packages: Map<string, PackageMeta>;
  readonly verdicts: Map<string, DomainVerdict>;
  readonly cacheStats: { verdictHits: number; verdictMisses: number; metadataHits: number };
  dnsQueries: number;
  /** The RDAP checker, built on first need. */
  checker: Promise<RdapChecker> | undefined;
  lastProgress: number;
  /** The DNS warning has been given (once per run). */
  dnsWarned: boolean;
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
  const stopHeartbeat = startHeartbeat(state);
  let outcome;
  try {
    outcome = await state.scheduler.run(state.names, {
      fetchPackage: (name) => fetchPackageStep(state, name),
      lookUpDomain: (domain) => lookUpDomainStep(state, domain),
      ...(options.checkMx ? { lookUpMail: (domain: string) => lookUpMailStep(state, domain) } : {}),
      onSettled: () => reportProgress(state),
    });
  } finally {
    stopHeartbeat();
  }
  if (outcome.stopped) settleUnfinished(state, outcome.stopped, outcome);
  reportProgress(state, true);
  return buildReport(set, state, outcome.domains.length);
}

/** Between a name and its index in a lookup key: no package name holds it. */
const KEY_SEPARATOR = "\u0000";

/** The lookup key of the private project of a name that other lockfiles take from PyPI. */
function shadowKey(name: string, index: string): string {
  return `${name}${KEY_SEPARATOR}${index}`;
}

/** The package name a lookup key stands for. */
function nameOfKey(state: Pick<ScanState, "shadowNames">, key: string): string {
  return state.shadowNames.get(key) ?? key;
}

/** The run's clock, HTTP client, skip list, scheduler and the unique package names. */
function startState(set: DependencySet, options: Options, env: ScanEnvironment): ScanState {
  const deadlineAt = Date.now() + options.deadlineMs;
  const names: string[] = [];
  const seen = new Set<string>();
  const indexesOf = new Map<string, string[]>();
  const fromPypi = new Set<string>();
  for (const dep of set.dependencies) {
    if (dep.kind !== "pypi") continue;
    const name = normalizeName(dep.name);
    if (dep.index === undefined) fromPypi.add(name);
    else {
      // One index however it is spelled: its first spelling is the one looked up.
      const list = indexesOf.get(name);
      const same = (i: string) => indexIdentity(i) === indexIdentity(dep.index!);
      if (!list) indexesOf.set(name, [dep.index]);
      else if (!list.some(same)) list.push(dep.index);
    }
    if (seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  // One name from PyPI and from private indexes (or from two private indexes) is as many
  // projects: PyPI's (or the first index's) under the name, each other under a key of its own.
  const privateIndex = new Map<string, string>();
  const projectKeys = new Map<string, Map<string, string>>();
  const shadowNames = new Map<string, string>();
  for (const [name, list] of indexesOf) {
    const keys = new Map<string, string>();
    list.forEach((index, i) => {
      let key = name;
      if (fromPypi.has(name) || i > 0) {
        key = shadowKey(name, index);
        while (seen.has(key)) key += KEY_SEPARATOR; // taken by a (hostile) name of that spelling
        seen.add(key);
        shadowNames.set(key, name);
        names.push(key);
      }
      privateIndex.set(key, index);
      keys.set(indexIdentity(index), key);
    });
    if (fromPypi.has(name) || list.length > 1) projectKeys.set(name, keys);
  }
  return {
    options,
    env,
    startedAt: env.now(),
    startedMs: performance.now(),
    deadlineAt,
    http: new HttpClient({
      transport: env.transport,
      userAgent: userAgent(),
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      maxRetryWaitMs: options.maxRetryWaitMs,
      deadlineAt,
      credentials: indexCredentials(options),
      onOriginDown: (down) => env.log?.({ level: "warning", text: originDownText(down, options) }),
      ...(env.signal ? { signal: env.signal } : {}),
    }),
    skip: createSkipList(options),
    mailSkip: createSkipList(options, [...DEFAULT_SKIP_DOMAINS, ...DEFAULT_MX_SKIP_DOMAINS]),
    linkSkip: createSkipList(options, DEFAULT_LINK_SKIP_DOMAINS),
    mail: new Map(),
    mxQueries: 0,
    largeAnswers: [],
    mxWarned: false,
    scheduler: new Scheduler({
      concurrency: options.pypiConcurrency,
      deadlineMs: options.deadlineMs,
      ...(env.signal ? { signal: env.signal } : {}),
    }),
    names,
    privateIndex,
    projectKeys,
    shadowNames,
    routeIndex: createIndexRouting(options),
    packages: new Map(),
    verdicts: new Map(),
    cacheStats: { verdictHits: 0, verdictMisses: 0, metadataHits: 0 },
    dnsQueries: 0,
    checker: undefined,
    lastProgress: -Infinity,
    dnsWarned: false,
  };
}

/** The index's credentials: `pypi-token` as Bearer, else `user:password@` of `pypi-url` as Basic. */
function indexCredentials(options: Options): OriginCredentials[] {
  let origin: string;
  try {
    origin = new URL(options.pypiUrl).origin;
  } catch {
    return [];
  }
  if (options.pypiToken) return [{ origin, authorization: `Bearer ${options.pypiToken}` }];
  if (options.pypiBasicAuth) {
    const basic = Buffer.from(options.pypiBasicAuth, "utf8").toString("base64");
    return [{ origin, authorization: `Basic ${basic}` }];
  }
  return [];
}

/** The one line said when an origin is given up on: which, why, and what to check. */
export function originDownText(down: OriginDown, options: Pick<Options, "pypiUrl">): string {
  const what =
    down.status !== undefined
      ? `${down.host} refused access (HTTP ${down.status})`
      : `${down.host} unreachable: ${down.reason}`;
  const check =
    down.kind === "pypi"
      ? down.status !== undefined
        ? isPypiOrigin(down.origin, options.pypiUrl)
          ? `check the credentials for --pypi-url ${options.pypiUrl} (user:password@ in the URL, or pypi-token / MDG_PYPI_TOKEN)`
          : `check the credentials for the private index ${down.host} (user:password@ in its index-urls entry, or index-token / MDG_INDEX_TOKEN)`
        : `check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and --pypi-url ${options.pypiUrl}`
      : down.kind === "bootstrap"
        ? "check the network, the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) and --rdap-bootstrap"
        : "check the network and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)";
  return `${what}; stopped asking it, its remaining ${down.kind === "pypi" ? "packages" : "lookups"} are not checked; ${check}`;
}

/** Whether `origin` is pypi-url's. */
function isPypiOrigin(origin: string, pypiUrl: string): boolean {
  try {
    return new URL(pypiUrl).origin === origin;
  } catch {
    return true;
  }
}

/** The heartbeat timer, when asked for; returns its stop. */
function startHeartbeat(state: ScanState): () => void {
  const beat = state.env.heartbeat;
  if (!beat) return () => {};
  const timer = setInterval(() => beat.write(heartbeatLine(state)), beat.intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

/** "312/579 packages, 80/140 domains; waiting on rdap.example (429, retry in 2 s)". */
function heartbeatLine(state: ScanState): string {
  const counts = `${state.packages.size}/${state.names.length} packages, ${state.verdicts.size}/${state.scheduler.domainsStarted} domains`;
  const waiting = state.http.waitingOn();
  return waiting ? `${counts}; waiting on ${waiting}` : counts;
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
      wantsRegistrar: needsRegistrarRecord,
      checkDelegation: (domain: string) => {
        state.dnsQueries++;
        return checkDelegation(domain, {
          ...(options.dnsServer ? { server: options.dnsServer } : {}),
          timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
          signal: state.scheduler.stopSignal,
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
  verdict = standIn(state, verdict);
  state.verdicts.set(domain, verdict);
  if (verdict.state !== "unknown" && !verdict.lookupFailed)
    env.cache?.putVerdict(verdict, env.now());
  if (verdict.dns === "not-consulted" && verdict.source === "rdap" && !state.dnsWarned) {
    state.dnsWarned = true;
    const server = state.options.dnsServer ?? "the system resolver";
    env.log?.({
      level: "warning",
      text: `the DNS server (${server}) did not answer: an RDAP "not found" could not be cross-checked with DNS; such findings say "DNS could not be consulted" (dns: "not-consulted" in JSON)`,
    });
  }
}

/**
 * One maintainer domain's mail servers, once its own verdict is in: asked of DNS when the
 * domain takes mail; returns the domains of the MX hosts to look up (not under the domain
 * itself, not at a large mail provider). A failed query is kept (coverage counts it), never a
 * finding.
 */
async function lookUpMailStep(state: ScanState, domain: string): Promise<readonly string[]> {
  const { env, options } = state;
  const verdict = state.verdicts.get(domain);
  if (!verdict || !TAKES_MAIL.has(verdict.state)) return [];
  state.mxQueries++;
  const answer = await lookUpMx(domain, {
    ...(options.dnsServer ? { server: options.dnsServer } : {}),
    timeoutMs: Math.min(options.timeoutMs, DNS_TIMEOUT_CAP_MS),
    signal: state.scheduler.stopSignal,
  });
  if (state.scheduler.stopped) return [];
  if (!answer.ok) {
    state.mail.set(domain, { status: "failed", error: answer.error, errorCode: answer.errorCode });
    if (!state.mxWarned) {
      state.mxWarned = true;
      env.log?.({
        level: "warning",
        text: `the mail servers (MX) of ${domain} could not be looked up: ${answer.error}; such domains are counted as not checked (coverage.mx in JSON); check --dns-server / dns-server`,
      });
    }
    return [];
  }
  const hosts = classifyMailHosts(domain, answer.exchanges, state.mailSkip);
  state.mail.set(domain, { status: "answered", hosts });
  return domainsToCheck(hosts);
}

/** One package: the cache first, else the index; returns the domains to look up. */
async function fetchPackageStep(state: ScanState, key: string): Promise<readonly DomainRequest[]> {
  const { env, options, scheduler } = state;
  // Private-index metadata is not cached: the cache is keyed by name, and PyPI's is another project.
  const index = state.privateIndex.get(key);
  const name = nameOfKey(state, key);
  const cache = index === undefined ? env.cache : undefined;
  let meta = cache?.getPackage(name, env.now());
  if (meta) {
    state.cacheStats.metadataHits++;
    meta = { ...meta, cached: true };
  } else {
    const revalidate = cache?.getStalePackage?.(name, env.now());
    const entry = await lookUpPackage(name, state.routeIndex(index), {
      http: state.http,
      concurrency: options.pypiConcurrency,
      ...(revalidate ? { revalidate } : {}),
    });
    meta = entry.meta;
    noteLargeAnswer(state, name, entry);
    if (meta.status === "ok")
      cache?.putPackage(meta, env.now(), entry.maxAgeSeconds, entry.validators);
  }
  if (scheduler.stopped) return [];
  if (meta.status === "error" && pastDeadline(state)) {
    scheduler.stop("deadline");
    return [];
  }
  meta = { ...meta, emails: markProviders(meta.emails, state.skip) };
  if (meta.links) meta.links = markPlatforms(meta.links, state.linkSkip);
  state.packages.set(key, meta);
  const requests: DomainRequest[] = domainsToCheck(meta.emails).map((domain) => ({
    domain,
    mail: true,
  }));
  if (options.checkProjectUrls && meta.links) {
    for (const domain of domainsToCheck(meta.links)) requests.push({ domain });
  }
  return requests;
}

/** Answers over this many decoded bytes are listed in `stats.largestAnswers`. */
const LARGE_ANSWER_BYTES = 1024 * 1024;
/** How many of them. */
const LARGEST_ANSWERS = 5;

function noteLargeAnswer(state: ScanState, name: string, entry: PackageEntry): void {
  const { size, ms } = entry;
  if (!size || ms === undefined || size.decodedBytes <= LARGE_ANSWER_BYTES) return;
  const list = state.largeAnswers;
  list.push({
    name,
    ...(size.wireBytes !== undefined ? { wireBytes: size.wireBytes } : {}),
    decodedBytes: size.decodedBytes,
    ms: Math.round(ms),
  });
  list.sort((a, b) => b.decodedBytes - a.decodedBytes || a.name.localeCompare(b.name));
  if (list.length > LARGEST_ANSWERS) list.length = LARGEST_ANSWERS;
}

/**
 * A lapse the registry showed before must not vanish because it did not answer this time: for a
 * lookup that failed (not an answer: see NOT_A_FAILURE; a record whose expiry could not be read
 * is an answer too), the cache's lapsed verdict of the domain, marked with why this run's lookup
 * failed. Otherwise the verdict as it is.
 */
function standIn(state: ScanState, verdict: DomainVerdict): DomainVerdict {
  const { env } = state;
  if (
    verdict.state !== "unknown" ||
    NOT_A_FAILURE.has(verdict.errorCode ?? "") ||
    verdict.unreadableExpiry !== undefined
  )
    return verdict;
  const lapsed = env.cache?.getLapsedVerdict?.(verdict.domain, env.now());
  if (!lapsed) return verdict;
  // Judged again today it may no longer be a lapse (a recent-expiry window has closed): then it
  // says nothing of today, and the failed lookup stands.
  const judged = judgeVerdict(lapsed, env.now());
  if (!LAPSED_STATES.has(judged.state)) return verdict;
  return {
    ...judged,
    source: "cache",
    lookupFailed: {
      error: verdict.error ?? "no verdict was reached",
      errorCode: verdict.errorCode ?? "unknown",
    },
  };
}

/** The pipeline stopped early: what it did not finish is reported as not checked. */
function settleUnfinished(
  state: ScanState,
  reason: "deadline" | "interrupted",
  outcome: { domains: readonly string[]; mailDomains: readonly string[] },
): void {
  const { env, options } = state;
  if (reason === "deadline")
    env.log?.({
      level: "warning",
      text: `the scan reached its deadline (${options.deadlineMs} ms); unfinished lookups are reported as not checked: raise deadline, or run again with a cache file (--cache) so that what finished is not asked again`,
    });
  const error = reason === "deadline" ? DEADLINE_REASON : INTERRUPTED_REASON;
  const now = env.now();
  for (const key of state.names) {
    if (!state.packages.has(key)) {
      state.packages.set(key, { name: nameOfKey(state, key), status: "error", error, emails: [] });
    }
  }
  const unsettled = (domain: string) => {
    if (!state.verdicts.has(domain))
      state.verdicts.set(domain, standIn(state, unknownVerdict(domain, error, reason, now)));
  };
  outcome.domains.forEach(unsettled);
  // Mail servers not asked about in time are not checked, and neither are the domains of those
  // that answered whose own lookups never started.
  for (const domain of outcome.mailDomains) {
    const servers = state.mail.get(domain);
    if (servers?.status === "answered") domainsToCheck(servers.hosts).forEach(unsettled);
    else if (!servers && TAKES_MAIL.has(state.verdicts.get(domain)?.state ?? ""))
      state.mail.set(domain, { status: "failed", error, errorCode: reason });
  }
}

/** Assess, apply the run's policy and put the report together. */
function buildReport(set: DependencySet, state: ScanState, domainCount: number): Report {
  const { env, options, packages, verdicts } = state;
  const now = env.now();
  // Each line is judged by the project it comes from: the private lines of a name that is also
  // taken from PyPI by the private project's lookup key.
  const judged = set.dependencies.map((d) => {
    const name = normalizeName(d.name);
    const key =
      d.kind === "pypi" && d.index !== undefined
        ? state.projectKeys.get(name)?.get(indexIdentity(d.index))
        : undefined;
    return { ...d, name: key ?? name };
  });
  const assessed = assess({
    dependencies: judged,
    packages,
    verdicts,
    now,
    expiryWarningDays: options.expiryWarningDays,
    ...(options.checkMx ? { mail: state.mail } : {}),
    checkProjectUrls: options.checkProjectUrls,
  });
  const findings = applyPolicy(
    assessed.map((f) => ({ ...f, package: nameOfKey(state, f.package) })),
    {
      failOn: options.failOn,
      allow: options.allow,
      onLookupError: options.onLookupError,
      now,
      ...(env.introduced ? { introduced: env.introduced } : {}),
    },
  );

  const s = state.http.stats;
  return {
    tool: { name: TOOL_NAME, version: VERSION },
    startedAt: state.startedAt.toISOString(),
    root: set.root,
    dependencies: set.dependencies,
    lockfiles: set.lockfiles,
    errors: set.errors,
    packages: state.names
      .map((key) => {
        const meta = packages.get(key);
        // The private project of a name that is also taken from PyPI says where it comes from.
        const index = state.projectKeys.has(nameOfKey(state, key))
          ? state.privateIndex.get(key)
          : undefined;
        return meta && index !== undefined ? { ...meta, index: stripCredentials(index) } : meta;
      })
      .filter((p): p is PackageMeta => p !== undefined),
    domains: [...verdicts.values()]
      .map((v) => {
        const mx = state.mail.get(v.domain);
        return mx ? { ...v, mx } : v;
      })
      .sort((a, b) => a.domain.localeCompare(b.domain)),
    findings,
    coverage: withShortfall(
      computeCoverage({
        dependencies: set.dependencies,
        names: state.names,
        packages,
        verdicts,
        mail: state.mail,
        indexUrl: options.pypiUrl,
        lockfiles: { read: set.lockfiles.length, unread: unreadLockfiles(set) },
      }),
      options.minCoverage,
    ),
    stats: {
      lockfiles: set.lockfiles.length,
      dependencies: set.dependencies.length,
      packages: state.names.length,
      domains: domainCount,
      requests: {
        pypi: s.pypi,
        rdap: s.rdap,
        bootstrap: s.bootstrap,
        dns: state.dnsQueries + state.mxQueries,
        mx: state.mxQueries,
        retries: s.retries,
      },
      cache: state.cacheStats,
      ...(state.largeAnswers.length > 0 ? { largestAnswers: [...state.largeAnswers] } : {}),
      durationMs: Math.round(performance.now() - state.startedMs),
      deadlineReached: state.scheduler.stopped === "deadline",
      ...(state.scheduler.stopped === "interrupted" ? { interrupted: true } : {}),
    },
    failOn: options.failOn,
  };
}
