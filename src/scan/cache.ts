// Usage:
//   const cache = await openCache(".domain-guard-cache.json", {
//     maxAgeMs: options.cacheMaxAgeMs, log, scope: cacheScope(options) });
//   const report = await scan(set, options, { now, fetch, cache });   // reads and fills it
//   await cache.save();                                               // temp file + rename
//
// The verdict cache across runs: RDAP verdicts keyed by registrable domain and PyPI metadata
// keyed by normalised package name, stored as one versioned JSON file. How long a verdict is
// trusted depends on what was seen (see verdictTtlMs); `unknown` is never stored. Metadata is
// trusted for the index's max-age, then kept (up to the cache-max-age ceiling) with its ETag /
// Last-Modified so the next run revalidates it: a 304 refreshes it without a body. A cache file
// is untrusted input: a corrupt, mistyped or future-version file, or an entry that does not
// have the expected shape, is dropped with a warning and never fails the scan. A file holds the
// answers of one scope (the index, RDAP bootstrap and DNS server they came from): a run with
// other settings does not use it. Only what a live answer can give is read back: every field is
// checked, and what is derived (an address's domain, a link's host) is derived again. A path
// that is a symbolic link, not a regular file, or a file that is not a cache of this tool is
// neither read nor written.
import { lstat, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import type { VerdictCache } from "./scan.js";
import { LAPSED_STATES } from "../assess/lifecycle.js";
import { writeWhole } from "../discover/write.js";
import type { Validators } from "../pypi/client.js";
import type { Options } from "../options/options.js";
import { canonicalDomain } from "../domains/canonical.js";
import { EMAIL_FIELDS, hostOf, registrableDomain } from "../domains/emails.js";
import { httpUrl } from "../domains/links.js";
import type {
  DomainState,
  DomainVerdict,
  EmailField,
  Log,
  LogEvent,
  MaintainerEmail,
  PackageMeta,
  PackageOwnership,
  ProjectLink,
  RegistrarRecord,
} from "../types.js";

/**
 * The file format version this build reads and writes. 3: the file names its scope (the
 * settings its answers came from); a version 2 file is not read (it does not say which index
 * or registry answered). 2: metadata carries the project's links and the maintainers' names.
 */
export const CACHE_VERSION = 3;

/**
 * The settings that decide what the index and the registries answer, each as a short hash (a
 * URL may carry credentials; the file must not): a cache written under other ones is not used.
 */
export type CacheScope = Record<string, string>;

/** The settings a cache's answers depend on, by their option names. */
export function cacheScope(
  options: Pick<Options, "pypiUrl" | "rdapBootstrap" | "dnsServer" | "indexUrls">,
): CacheScope {
  const hash = (value: unknown) =>
    createHash("sha256")
      .update(JSON.stringify(value ?? null))
      .digest("hex")
      .slice(0, 16);
  return {
    "pypi-url": hash(options.pypiUrl),
    "rdap-bootstrap": hash(options.rdapBootstrap),
    "dns-server": hash(options.dnsServer),
    "index-urls": hash(options.indexUrls),
  };
}

/** The settings whose hash differs between two scopes (a setting missing from either counts). */
function scopeDifference(a: CacheScope, b: CacheScope): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((n) => a[n] !== b[n]).sort();
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A registered domain whose expiry is further away than this is "stable". */
export const STABLE_EXPIRY_MARGIN_MS = 90 * DAY_MS;
/** Longest trust for a stable registered domain (the configured ceiling may lower it). */
export const STABLE_TTL_MS = 7 * DAY_MS;
/** Registered but expiring within 90 days, or with no expiry date at all. */
export const UNSTABLE_TTL_MS = 6 * HOUR_MS;
/** Expired, on hold or unregistered: the state may be changing, check again soon. */
export const CHANGING_TTL_MS = 1 * HOUR_MS;

/** A cache file larger than this is not read (it is not one we wrote for a sane scan). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** An entry stored further in the future than this (clock skew, an edited file) is not trusted. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** A stored key must look like what the scan stores: an ASCII registrable domain, a PEP 503 name. */
const DOMAIN_SHAPE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const PACKAGE_SHAPE = /^[a-z0-9](?:[a-z0-9-]{0,200}[a-z0-9])?$/;

const STATES: readonly DomainState[] = [
  "registered",
  "unregistered",
  "expired",
  "grace",
  "on-hold",
  "unknown",
];

export interface CacheOptions {
  /** Ceiling for how long any entry is trusted, milliseconds (`cache-max-age`). */
  maxAgeMs: number;
  /** Warnings (a corrupt file, a write that failed): one line each. */
  log: Log;
  /** Where this run's answers come from (`cacheScope(options)`); a file of another is not used. */
  scope: CacheScope;
  /**
   * The path is this tool's own (the action's temporary file, restored from the Actions cache):
   * whatever is there may be replaced. Otherwise a file that is not a cache of ours is left alone.
   */
  ownPath?: boolean;
}

export interface CacheStats {
  verdictHits: number;
  verdictMisses: number;
  packageHits: number;
  packageMisses: number;
  /** Stale entries handed out for revalidation (If-None-Match / If-Modified-Since). */
  packageRevalidations: number;
}

interface StoredVerdict {
  verdict: DomainVerdict;
  storedAt: string;
  expiresAt: string;
}

interface StoredPackage {
  meta: PackageMeta;
  storedAt: string;
  expiresAt: string;
  /** ETag, Last-Modified and serial of the answer, for revalidation once it is stale. */
  validators?: Validators;
}

/** The file as written: `{ version, scope, verdicts: {domain: entry}, packages: {name: entry} }`. */
export interface CacheFile {
  version: number;
  scope: CacheScope;
  verdicts: Record<string, StoredVerdict>;
  packages: Record<string, StoredPackage>;
}

/**
 * How long a verdict may be trusted from `now`, or 0 for "do not store". Capped by `ceilingMs`
 * and by the domain's own expiry date when that is still ahead: a verdict is never trusted past
 * the moment the registry said the registration ends.
 */
export function verdictTtlMs(verdict: DomainVerdict, now: Date, ceilingMs: number): number {
  const nowMs = now.getTime();
  const expiresMs = verdict.expires ? Date.parse(verdict.expires) : NaN;
  let ttl: number;
  switch (verdict.state) {
    case "registered":
      ttl =
        Number.isFinite(expiresMs) && expiresMs - nowMs > STABLE_EXPIRY_MARGIN_MS
          ? STABLE_TTL_MS
          : UNSTABLE_TTL_MS;
      break;
    case "expired":
    case "grace":
    case "on-hold":
    case "unregistered":
      ttl = CHANGING_TTL_MS;
      break;
    default:
      return 0;
  }
  ttl = Math.min(ttl, ceilingMs);
  if (Number.isFinite(expiresMs) && expiresMs > nowMs) ttl = Math.min(ttl, expiresMs - nowMs);
  return ttl > 0 ? ttl : 0;
}

/** A VerdictCache kept in memory and written back to one JSON file by `save()`. */
export class FileVerdictCache implements VerdictCache {
  readonly file: string;
  readonly stats: CacheStats = {
    verdictHits: 0,
    verdictMisses: 0,
    packageHits: 0,
    packageMisses: 0,
    packageRevalidations: 0,
  };
  private readonly verdicts = new Map<string, StoredVerdict>();
  private readonly packages = new Map<string, StoredPackage>();
  private readonly maxAgeMs: number;
  private readonly log: Log;
  private readonly scope: CacheScope;
  /** False when the path must not be written (a link, a device, another tool's file). */
  private readonly writable: boolean;
  /** The latest clock reading passed in, so that save() prunes on the scan's clock. */
  private lastNow: Date | undefined;

  constructor(file: string, opts: CacheOptions, data?: CacheFile, writable = true) {
    this.file = file;
    this.maxAgeMs = opts.maxAgeMs;
    this.log = opts.log;
    this.scope = { ...opts.scope };
    this.writable = writable;
    if (data) {
      for (const [k, v] of Object.entries(data.verdicts)) this.verdicts.set(k, v);
      for (const [k, v] of Object.entries(data.packages)) this.packages.set(k, v);
    }
  }

  /** Number of stored verdicts and packages (expired ones included until the next save). */
  get size(): { verdicts: number; packages: number } {
    return { verdicts: this.verdicts.size, packages: this.packages.size };
  }

  getVerdict(domain: string, now: Date): DomainVerdict | undefined {
    this.seen(now);
    const entry = this.verdicts.get(canonicalDomain(domain));
    if (!entry || !this.isFresh(entry, now)) {
      this.stats.verdictMisses++;
      return undefined;
    }
    this.stats.verdictHits++;
    return { ...entry.verdict, statuses: [...entry.verdict.statuses], source: "cache" };
  }

  /**
   * A verdict of a domain that had lapsed (unregistered, expired, in grace, on hold), stored
   * within the ceiling (`cache-max-age`) though past its own time to live: told, marked, in place
   * of a lookup that failed this run. Not counted as a hit.
   */
  getLapsedVerdict(domain: string, now: Date): DomainVerdict | undefined {
    const entry = this.verdicts.get(canonicalDomain(domain));
    if (!entry || !LAPSED_STATES.has(entry.verdict.state) || !this.withinCeiling(entry, now))
      return undefined;
    return { ...entry.verdict, statuses: [...entry.verdict.statuses], source: "cache" };
  }

  putVerdict(verdict: DomainVerdict, now: Date): void {
    this.seen(now);
    const key = canonicalDomain(verdict.domain);
    const ttl = verdictTtlMs(verdict, now, this.maxAgeMs);
    if (ttl <= 0) {
      // `unknown` (or a verdict that is already stale) replaces nothing and is not stored: an
      // older, still fresh verdict stays.
      return;
    }
    // Mail servers are asked afresh each run, never kept with the verdict.
    const { mx: _mx, ...rest } = verdict;
    const stored: DomainVerdict = {
      ...rest,
      domain: key,
      statuses: [...verdict.statuses],
      source: "rdap",
    };
    this.verdicts.set(key, {
      verdict: stored,
      storedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttl).toISOString(),
    });
  }

  getPackage(name: string, now: Date): PackageMeta | undefined {
    this.seen(now);
    const entry = this.packages.get(name);
    if (!entry || !this.isFresh(entry, now)) {
      this.stats.packageMisses++;
      return undefined;
    }
    this.stats.packageHits++;
    return { ...entry.meta, emails: entry.meta.emails.map((e) => ({ ...e })), cached: true };
  }

  /**
   * Store an answer for its max-age (capped by the ceiling). With validators it is stored even
   * without a max-age, stale at once: then it is only ever revalidated, never trusted as is.
   */
  putPackage(
    meta: PackageMeta,
    now: Date,
    maxAgeSeconds: number | undefined,
    validators?: Validators,
  ): void {
    this.seen(now);
    const hasValidators =
      validators !== undefined && (!!validators.etag || !!validators.lastModified);
    const maxAge =
      maxAgeSeconds !== undefined && Number.isFinite(maxAgeSeconds) && maxAgeSeconds > 0
        ? maxAgeSeconds
        : 0;
    if (maxAge === 0 && !hasValidators) return;
    // Only answers the index gave: an error is retried next run.
    if (meta.status !== "ok" && meta.status !== "not-found") return;
    const ttl = Math.min(maxAge * 1000, this.maxAgeMs);
    if (ttl <= 0 && !hasValidators) return;
    const { cached: _cached, ...rest } = meta;
    const entry: StoredPackage = {
      meta: { ...rest, emails: meta.emails.map((e) => ({ ...e })) },
      storedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + Math.max(0, ttl)).toISOString(),
    };
    if (hasValidators) entry.validators = { ...validators };
    this.packages.set(meta.name, entry);
  }

  /**
   * An entry past its max-age that the index can revalidate: it has an ETag or Last-Modified
   * and was stored (or last refreshed) within the cache-max-age ceiling.
   */
  getStalePackage(
    name: string,
    now: Date,
  ): { meta: PackageMeta; validators: Validators } | undefined {
    this.seen(now);
    const entry = this.packages.get(name);
    if (!entry?.validators || this.isFresh(entry, now) || !this.isRevalidatable(entry, now))
      return undefined;
    this.stats.packageRevalidations++;
    return {
      meta: { ...entry.meta, emails: entry.meta.emails.map((e) => ({ ...e })) },
      validators: { ...entry.validators },
    };
  }

  /**
   * Write the cache back: entries still fresh at `now` only, to a temporary file in the same
   * directory, then renamed over the old one (a reader never sees half a file). A failed write
   * is a warning, not an error: the scan's result does not depend on it. `now` defaults to the
   * latest clock reading the scan passed in (nothing is pruned when there was none).
   */
  async save(now: Date | undefined = this.lastNow): Promise<boolean> {
    // Opening it said why (a link, a device, a file that is not a cache of ours).
    if (!this.writable) return false;
    const data: CacheFile = {
      version: CACHE_VERSION,
      scope: this.scope,
      verdicts: {},
      packages: {},
    };
    for (const key of [...this.verdicts.keys()].sort()) {
      const entry = this.verdicts.get(key)!;
      // A lapse is kept up to the ceiling, to stand in for a lookup that fails later; one stored
      // "in the future" (this run's clock is behind) is not trusted, but not dropped either.
      const storedMs = Date.parse(entry.storedAt);
      const ahead =
        now !== undefined && storedMs > now.getTime() && storedMs - now.getTime() < this.maxAgeMs;
      const lapsed =
        LAPSED_STATES.has(entry.verdict.state) && (ahead || this.withinCeiling(entry, now));
      if (!now || this.isFresh(entry, now) || lapsed) setOwn(data.verdicts, key, entry);
    }
    for (const key of [...this.packages.keys()].sort()) {
      const entry = this.packages.get(key)!;
      if (!now || this.isFresh(entry, now) || this.isRevalidatable(entry, now))
        setOwn(data.packages, key, entry);
    }
    try {
      await writeWhole(this.file, JSON.stringify(data) + "\n");
      return true;
    } catch (error) {
      this.log(warning(`${this.file}: could not write the cache: ${(error as Error).message}`));
      return false;
    }
  }

  private seen(now: Date): void {
    if (!this.lastNow || now.getTime() > this.lastNow.getTime()) this.lastNow = now;
  }

  /** Stored no longer ago than the ceiling (and not in the future), whatever its own expiry. */
  private withinCeiling(entry: { storedAt: string }, now: Date | undefined): boolean {
    if (!now) return true;
    const nowMs = now.getTime();
    const storedMs = Date.parse(entry.storedAt);
    if (!Number.isFinite(storedMs) || storedMs > nowMs + FUTURE_TOLERANCE_MS) return false;
    return nowMs < storedMs + this.maxAgeMs;
  }

  /** Stale but worth keeping: it has validators and was stored within the ceiling. */
  private isRevalidatable(entry: StoredPackage, now: Date): boolean {
    return entry.validators !== undefined && this.withinCeiling(entry, now);
  }

  private isFresh(entry: { storedAt: string; expiresAt: string }, now: Date): boolean {
    const nowMs = now.getTime();
    const storedMs = Date.parse(entry.storedAt);
    const expiresMs = Date.parse(entry.expiresAt);
    if (!Number.isFinite(storedMs) || !Number.isFinite(expiresMs)) return false;
    if (storedMs > nowMs + FUTURE_TOLERANCE_MS) return false;
    // The ceiling applies to what is read as well: lowering cache-max-age takes effect at once,
    // and an edited file cannot make an entry trusted for longer.
    return nowMs < Math.min(expiresMs, storedMs + this.maxAgeMs);
  }
}

/**
 * Open (or start) a cache file. A missing or empty file is an empty cache, silently. A file that
 * cannot be read, has the wrong shape, a version this build does not know or another scope is
 * not used, with one warning through `log`; the next `save()` replaces it. A path that is a
 * symbolic link or not a regular file, or a file that is not a cache of this tool (not JSON, or
 * JSON of another kind), is neither read nor written: the file is left as it is.
 */
export async function openCache(file: string, opts: CacheOptions): Promise<FileVerdictCache> {
  const empty = () => new FileVerdictCache(file, opts);
  const untouched = (why: string) => {
    if (opts.ownPath) {
      opts.log(warning(`${file}: ${why}; the cache is ignored and will be rewritten`));
      return empty();
    }
    opts.log(warning(`${file}: ${why}; it is left as it is, and no cache is kept this run`));
    return new FileVerdictCache(file, opts, undefined, false);
  };
  let text: string;
  try {
    const info = await lstat(file);
    if (info.isSymbolicLink())
      return untouched("the cache path is a symbolic link (give the file's own path)");
    if (!info.isFile()) return untouched("the cache path is not a regular file");
    if (info.size > MAX_FILE_BYTES) {
      return untouched(
        `the cache file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit of a cache this tool writes`,
      );
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return empty();
    opts.log(warning(`${file}: could not read the cache: ${(error as Error).message}; ignored`));
    return empty();
  }
  if (text.trim() === "") return empty();
  const parsed = parseCacheFile(text);
  if (!parsed.ok) {
    if (parsed.foreign && !opts.ownPath)
      return untouched(`${parsed.error}: not a cache file of this tool (choose another file)`);
    opts.log(warning(`${file}: ${parsed.error}; the cache is ignored and will be rewritten`));
    return empty();
  }
  const differ = scopeDifference(parsed.data.scope, opts.scope);
  if (differ.length > 0) {
    opts.log(
      warning(
        `${file}: the cache was written with another ${differ.join(", ")}; its answers are not used, and the file will be rewritten for this one`,
      ),
    );
    return empty();
  }
  if (parsed.dropped > 0) {
    opts.log(
      warning(
        `${file}: ${parsed.dropped} cache ${parsed.dropped === 1 ? "entry has" : "entries have"} an unexpected shape and ${parsed.dropped === 1 ? "was" : "were"} ignored`,
      ),
    );
  }
  return new FileVerdictCache(file, opts, parsed.data);
}

function warning(text: string): LogEvent {
  return { level: "warning", text };
}

export type ParsedCache =
  { ok: true; data: CacheFile; dropped: number } | { ok: false; error: string; foreign?: boolean };

/** Most statuses, and characters in any text field, a verdict read back may have. */
const MAX_STATUSES = 64;
const MAX_TEXT = 1000;
const MAX_EMAILS = 256;
const MAX_LINKS = 256;
const MAX_ROLES = 1000;

/**
 * Validate a cache file's text. Entries with an unexpected shape are dropped and counted. What
 * the file says is never echoed (it may be any file): only why it is not used.
 */
export function parseCacheFile(text: string): ParsedCache {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, error: "not JSON", foreign: true };
  }
  if (!isRecord(doc)) return { ok: false, error: "not a JSON object", foreign: true };
  const version = doc["version"];
  if (
    typeof version !== "number" ||
    !Number.isInteger(version) ||
    (!("verdicts" in doc) && !("packages" in doc))
  ) {
    return { ok: false, error: "no cache format version, verdicts or packages", foreign: true };
  }
  if (version > CACHE_VERSION) {
    return {
      ok: false,
      error: `cache format version ${version} is newer than this version understands (${CACHE_VERSION})`,
    };
  }
  if (version < CACHE_VERSION)
    return { ok: false, error: `cache format version ${version} is no longer read` };
  const scope = doc["scope"];
  if (!isRecord(scope) || !Object.values(scope).every((v) => typeof v === "string"))
    return { ok: false, error: "the cache does not say which index and registries it holds" };
  const data: CacheFile = {
    version,
    scope: { ...(scope as CacheScope) },
    verdicts: {},
    packages: {},
  };
  let dropped = 0;
  const verdicts = doc["verdicts"] ?? {};
  const packages = doc["packages"] ?? {};
  if (!isRecord(verdicts) || !isRecord(packages)) {
    return { ok: false, error: '"verdicts" and "packages" must be objects' };
  }
  for (const [key, value] of Object.entries(verdicts)) {
    const entry = readVerdictEntry(key, value);
    if (entry) setOwn(data.verdicts, key, entry);
    else dropped++;
  }
  // Hosts repeat across packages (a provider, a code host, a shared domain): each is reduced once.
  const domainOf = memo(registrableDomain);
  for (const [key, value] of Object.entries(packages)) {
    const entry = readPackageEntry(key, value, domainOf);
    if (entry) setOwn(data.packages, key, entry);
    else dropped++;
  }
  return { ok: true, data, dropped };
}

/** Thrown inside the readers below: the entry does not have the shape a live answer gives. */
class BadEntry extends Error {}

function bad(): never {
  throw new BadEntry();
}

/** An optional string field, bounded; absent stays absent. */
function optText(v: Record<string, unknown>, field: string, max = MAX_TEXT): string | undefined {
  const x = v[field];
  if (x === undefined) return undefined;
  return typeof x === "string" && x.length <= max ? x : bad();
}

function optDate(v: Record<string, unknown>, field: string): string | undefined {
  const x = v[field];
  if (x === undefined) return undefined;
  return isDate(x) ? x : bad();
}

function textList(x: unknown, max: number): string[] {
  if (!Array.isArray(x) || x.length > max) bad();
  return x.map((s) => (typeof s === "string" && s.length <= MAX_TEXT ? s : bad()));
}

/** Copy the fields that are set (a JSON file has no `undefined`). */
function defined<T extends object>(record: T): T {
  // A copy, not `delete`: deleting keys turns objects into slow dictionaries.
  const out = {} as T;
  for (const key of Object.keys(record) as (keyof T)[])
    if (record[key] !== undefined) out[key] = record[key];
  return out;
}

function readVerdictEntry(key: string, value: unknown): StoredVerdict | undefined {
  try {
    if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"])) bad();
    const v = value["verdict"];
    if (!isRecord(v)) bad();
    if (v["domain"] !== key || !DOMAIN_SHAPE.test(key) || key.length > 253) bad();
    const state = v["state"];
    if (typeof state !== "string" || !STATES.includes(state as DomainState) || state === "unknown")
      bad();
    const dns = v["dns"];
    if (
      dns !== undefined &&
      dns !== "no-delegation" &&
      dns !== "delegated" &&
      dns !== "not-consulted"
    )
      bad();
    const verdict: DomainVerdict = defined({
      domain: key,
      state: state as DomainState,
      created: optDate(v, "created"),
      expires: optDate(v, "expires"),
      reregistered: optDate(v, "reregistered"),
      transferred: optDate(v, "transferred"),
      expiresFrom: optText(v, "expiresFrom", 100),
      registrarExpires: optDate(v, "registrarExpires"),
      statuses: textList(v["statuses"], MAX_STATUSES),
      unknownStatuses:
        v["unknownStatuses"] === undefined
          ? undefined
          : textList(v["unknownStatuses"], MAX_STATUSES),
      registrar: v["registrar"] === undefined ? undefined : readRegistrar(v["registrar"]),
      unreadableExpiry: optText(v, "unreadableExpiry", 200),
      error: optText(v, "error"),
      errorCode: optText(v, "errorCode", 100),
      server: optText(v, "server"),
      dns: dns as DomainVerdict["dns"],
      source: "rdap" as const,
      checkedAt: isDate(v["checkedAt"]) ? v["checkedAt"] : bad(),
    });
    return { verdict, storedAt: value["storedAt"], expiresAt: value["expiresAt"] };
  } catch (error) {
    if (error instanceof BadEntry) return undefined;
    throw error;
  }
}

function readRegistrar(x: unknown): RegistrarRecord {
  if (!isRecord(x)) bad();
  return defined({
    url: optText(x, "url"),
    expires: optDate(x, "expires"),
    error: optText(x, "error"),
    errorCode: optText(x, "errorCode", 100),
  });
}

type DomainOf = typeof registrableDomain;

function memo(fn: DomainOf): DomainOf {
  const seen = new Map<string, ReturnType<DomainOf>>();
  return (host) => {
    let check = seen.get(host);
    if (check === undefined) {
      check = fn(host);
      seen.set(host, check);
    }
    return check;
  };
}

function readPackageEntry(
  key: string,
  value: unknown,
  domainOf: DomainOf,
): StoredPackage | undefined {
  try {
    if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"])) bad();
    const m = value["meta"];
    if (!isRecord(m) || m["name"] !== key || !PACKAGE_SHAPE.test(key)) bad();
    const status = m["status"];
    if (status !== "ok" && status !== "not-found") bad();
    if (!Array.isArray(m["emails"]) || m["emails"].length > MAX_EMAILS) bad();
    // Every answer the scan stores has its links (possibly none): a link must not go unchecked
    // because its answer came from the cache.
    if (status === "ok" && !Array.isArray(m["links"])) bad();
    const meta: PackageMeta = defined({
      name: key,
      status,
      latestVersion: optText(m, "latestVersion", 200),
      emails: m["emails"].map((e) => readEmail(e, domainOf)),
      lastReleaseAt: optDate(m, "lastReleaseAt"),
      lastUploadAt: optDate(m, "lastUploadAt"),
      lastUploadVersion: optText(m, "lastUploadVersion", 200),
      error: optText(m, "error"),
      errorCode: optText(m, "errorCode", 100),
      ownership: m["ownership"] === undefined ? undefined : readOwnership(m["ownership"]),
      links: m["links"] === undefined ? undefined : readLinks(m["links"], domainOf),
    });
    const stored: StoredPackage = {
      meta,
      storedAt: value["storedAt"],
      expiresAt: value["expiresAt"],
    };
    const v = value["validators"];
    if (v !== undefined) {
      if (!isRecord(v)) bad();
      const validators: Validators = {};
      for (const field of ["etag", "lastModified", "lastSerial"] as const) {
        const text = v[field];
        if (text === undefined) continue;
        if (typeof text !== "string" || text.length > 512 || /[\r\n]/.test(text)) bad();
        validators[field] = text;
      }
      stored.validators = validators;
    }
    return stored;
  } catch (error) {
    if (error instanceof BadEntry) return undefined;
    throw error;
  }
}

/**
 * An address as the PyPI client would have kept it: its domain (or why it has none) derived
 * again from the address itself, never taken from the file; a provider mark is this run's.
 */
function readEmail(x: unknown, domainOf: DomainOf): MaintainerEmail {
  if (!isRecord(x)) bad();
  const address = x["address"];
  const field = x["field"];
  if (typeof address !== "string" || address.length > 320 || !address.includes("@")) bad();
  if (typeof field !== "string" || !EMAIL_FIELDS.includes(field as EmailField)) bad();
  const check = domainOf(hostOf(address));
  const email: MaintainerEmail = check.ok
    ? { address, field: field as EmailField, domain: check.domain }
    : { address, field: field as EmailField, skipped: "invalid-host", skipReason: check.reason };
  const spelledOut = optText(x, "spelledOut");
  if (spelledOut !== undefined) {
    // Only an address that passed the Public Suffix List is ever kept from a spelled-out field.
    if (!check.ok) bad();
    email.spelledOut = spelledOut;
  }
  const name = optText(x, "name");
  if (name !== undefined) email.name = name;
  return email;
}

/** Links as the PyPI client keeps them: the URL parsed again, its host and domain derived. */
function readLinks(x: unknown, domainOf: DomainOf): ProjectLink[] {
  if (!Array.isArray(x) || x.length > MAX_LINKS) bad();
  return x.map((l) => {
    if (!isRecord(l) || typeof l["label"] !== "string" || l["label"].length > MAX_TEXT) bad();
    const url = httpUrl(l["url"]);
    if (!url || url.username !== "" || url.password !== "") bad();
    const host = canonicalDomain(url.hostname.replace(/^\[|\]$/g, ""));
    const link: ProjectLink = { label: l["label"], url: url.href, host };
    const check = domainOf(host);
    if (check.ok) link.domain = check.domain;
    return link;
  });
}

function readOwnership(x: unknown): PackageOwnership {
  if (!isRecord(x) || !Array.isArray(x["roles"]) || x["roles"].length > MAX_ROLES) bad();
  const roles = x["roles"].map((r) => {
    if (!isRecord(r) || typeof r["role"] !== "string" || typeof r["user"] !== "string") bad();
    if (r["role"].length > 100 || r["user"].length > 200) bad();
    return { role: r["role"], user: r["user"] };
  });
  const organization = optText(x, "organization", 200);
  return organization === undefined ? { roles } : { organization, roles };
}

/** Set a key as an own property, even `__proto__` (keys come from an untrusted file). */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isDate(value: unknown): value is string {
  return typeof value === "string" && value.length <= 64 && Number.isFinite(Date.parse(value));
}
