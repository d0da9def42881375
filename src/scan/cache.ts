// Usage:
//   const cache = await openCache(".domain-guard-cache.json", { maxAgeMs: options.cacheMaxAgeMs, log });
//   const report = await scan(set, options, { now, fetch, cache });   // reads and fills it
//   await cache.save();                                               // temp file + rename
//
// The verdict cache across runs: RDAP verdicts keyed by registrable domain and PyPI metadata
// keyed by normalised package name, stored as one versioned JSON file. How long a verdict is
// trusted depends on what was seen (see verdictTtlMs); `unknown` is never stored. Metadata is
// trusted for the index's max-age, then kept (up to the cache-max-age ceiling) with its ETag /
// Last-Modified so the next run revalidates it: a 304 refreshes it without a body. A cache file
// is untrusted input: a corrupt, mistyped or future-version file, or an entry that does not
// have the expected shape, is dropped with a warning and never fails the scan.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import type { VerdictCache } from "./scan.js";
import type { Validators } from "../pypi/client.js";
import { canonicalDomain } from "../domains/canonical.js";
import type { DomainState, DomainVerdict, Log, LogEvent, PackageMeta } from "../types.js";

/**
 * The file format version this build reads and writes. 2: metadata carries the project's links
 * and the maintainers' names; a version 1 file is not read (its entries lack them, and a link
 * must not go unchecked because its answer came from the cache).
 */
export const CACHE_VERSION = 2;

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

/** The file as written: `{ version, verdicts: {domain: entry}, packages: {name: entry} }`. */
export interface CacheFile {
  version: number;
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
  /** The latest clock reading passed in, so that save() prunes on the scan's clock. */
  private lastNow: Date | undefined;

  constructor(file: string, opts: CacheOptions, data?: CacheFile) {
    this.file = file;
    this.maxAgeMs = opts.maxAgeMs;
    this.log = opts.log;
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

  putVerdict(verdict: DomainVerdict, now: Date): void {
    this.seen(now);
    const key = canonicalDomain(verdict.domain);
    const ttl = verdictTtlMs(verdict, now, this.maxAgeMs);
    if (ttl <= 0) {
      // `unknown` (or a verdict that is already stale) replaces nothing and is not stored: an
      // older, still fresh verdict stays.
      return;
    }
    const stored: DomainVerdict = {
      ...verdict,
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
    const data: CacheFile = { version: CACHE_VERSION, verdicts: {}, packages: {} };
    for (const key of [...this.verdicts.keys()].sort()) {
      const entry = this.verdicts.get(key)!;
      if (!now || this.isFresh(entry, now)) setOwn(data.verdicts, key, entry);
    }
    for (const key of [...this.packages.keys()].sort()) {
      const entry = this.packages.get(key)!;
      if (!now || this.isFresh(entry, now) || this.isRevalidatable(entry, now))
        setOwn(data.packages, key, entry);
    }
    const target = resolve(this.file);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(temp, JSON.stringify(data) + "\n", { mode: 0o644 });
      await rename(temp, target);
      return true;
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      this.log(warning(`${this.file}: could not write the cache: ${(error as Error).message}`));
      return false;
    }
  }

  private seen(now: Date): void {
    if (!this.lastNow || now.getTime() > this.lastNow.getTime()) this.lastNow = now;
  }

  /** Stale but worth keeping: it has validators and was stored within the ceiling. */
  private isRevalidatable(entry: StoredPackage, now: Date): boolean {
    if (!entry.validators) return false;
    const nowMs = now.getTime();
    const storedMs = Date.parse(entry.storedAt);
    if (!Number.isFinite(storedMs) || storedMs > nowMs + FUTURE_TOLERANCE_MS) return false;
    return nowMs < storedMs + this.maxAgeMs;
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
 * Open (or start) a cache file. A missing file is an empty cache, silently. A file that cannot
 * be read, is not JSON, has the wrong shape or a version this build does not know is ignored
 * with one warning through `log`; it is replaced by the next `save()`.
 */
export async function openCache(file: string, opts: CacheOptions): Promise<FileVerdictCache> {
  const empty = () => new FileVerdictCache(file, opts);
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      opts.log(warning(`${file}: the cache is not a regular file; starting with an empty cache`));
      return empty();
    }
    if (info.size > MAX_FILE_BYTES) {
      opts.log(
        warning(
          `${file}: the cache file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte limit; ignored`,
        ),
      );
      return empty();
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return empty();
    opts.log(warning(`${file}: could not read the cache: ${(error as Error).message}; ignored`));
    return empty();
  }
  const parsed = parseCacheFile(text);
  if (!parsed.ok) {
    opts.log(warning(`${file}: ${parsed.error}; the cache is ignored and will be rewritten`));
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
  { ok: true; data: CacheFile; dropped: number } | { ok: false; error: string };

/** Validate a cache file's text. Entries with an unexpected shape are dropped and counted. */
export function parseCacheFile(text: string): ParsedCache {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(doc)) return { ok: false, error: "not a JSON object" };
  const version = doc["version"];
  if (typeof version !== "number" || !Number.isInteger(version)) {
    return { ok: false, error: "no cache format version" };
  }
  if (version > CACHE_VERSION) {
    return {
      ok: false,
      error: `cache format version ${version} is newer than this version understands (${CACHE_VERSION})`,
    };
  }
  if (version < CACHE_VERSION)
    return { ok: false, error: `cache format version ${version} is no longer read` };
  const data: CacheFile = { version, verdicts: {}, packages: {} };
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
  for (const [key, value] of Object.entries(packages)) {
    const entry = readPackageEntry(key, value);
    if (entry) setOwn(data.packages, key, entry);
    else dropped++;
  }
  return { ok: true, data, dropped };
}

function readVerdictEntry(key: string, value: unknown): StoredVerdict | undefined {
  if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
    return undefined;
  const v = value["verdict"];
  if (!isRecord(v)) return undefined;
  if (
    typeof v["domain"] !== "string" ||
    v["domain"] !== key ||
    !DOMAIN_SHAPE.test(key) ||
    key.length > 253
  ) {
    return undefined;
  }
  if (
    typeof v["state"] !== "string" ||
    !STATES.includes(v["state"] as DomainState) ||
    v["state"] === "unknown"
  ) {
    return undefined;
  }
  if (!Array.isArray(v["statuses"]) || !v["statuses"].every((s) => typeof s === "string"))
    return undefined;
  for (const field of ["created", "expires", "reregistered"]) {
    if (v[field] !== undefined && !isDate(v[field])) return undefined;
  }
  for (const field of ["error", "errorCode", "server", "dns"]) {
    if (v[field] !== undefined && typeof v[field] !== "string") return undefined;
  }
  if (!isDate(v["checkedAt"])) return undefined;
  return {
    verdict: v as unknown as DomainVerdict,
    storedAt: value["storedAt"] as string,
    expiresAt: value["expiresAt"] as string,
  };
}

function readPackageEntry(key: string, value: unknown): StoredPackage | undefined {
  if (!isRecord(value) || !isDate(value["storedAt"]) || !isDate(value["expiresAt"]))
    return undefined;
  const m = value["meta"];
  if (!isRecord(m) || m["name"] !== key || !PACKAGE_SHAPE.test(key)) return undefined;
  if (m["status"] !== "ok" && m["status"] !== "not-found") return undefined;
  if (!Array.isArray(m["emails"])) return undefined;
  for (const e of m["emails"]) {
    if (!isRecord(e) || typeof e["address"] !== "string" || typeof e["field"] !== "string")
      return undefined;
    if (e["domain"] !== undefined && typeof e["domain"] !== "string") return undefined;
    if (e["spelledOut"] !== undefined && typeof e["spelledOut"] !== "string") return undefined;
    if (e["name"] !== undefined && typeof e["name"] !== "string") return undefined;
  }
  if (m["links"] !== undefined) {
    if (!Array.isArray(m["links"])) return undefined;
    for (const l of m["links"]) {
      if (!isRecord(l) || !["label", "url", "host"].every((k) => typeof l[k] === "string"))
        return undefined;
      if (l["domain"] !== undefined && typeof l["domain"] !== "string") return undefined;
    }
  }
  for (const field of [
    "latestVersion",
    "lastReleaseAt",
    "lastUploadAt",
    "lastUploadVersion",
    "error",
    "errorCode",
  ]) {
    if (m[field] !== undefined && typeof m[field] !== "string") return undefined;
  }
  const stored: StoredPackage = {
    meta: m as unknown as PackageMeta,
    storedAt: value["storedAt"] as string,
    expiresAt: value["expiresAt"] as string,
  };
  const v = value["validators"];
  if (v !== undefined) {
    if (!isRecord(v)) return undefined;
    const validators: Validators = {};
    for (const field of ["etag", "lastModified", "lastSerial"] as const) {
      const text = v[field];
      if (text === undefined) continue;
      if (typeof text !== "string" || text.length > 512 || /[\r\n]/.test(text)) return undefined;
      validators[field] = text;
    }
    stored.validators = validators;
  }
  return stored;
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
