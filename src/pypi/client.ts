// The PyPI JSON API client: one `GET {pypi-url}/{name}/json` per package, and the metadata the
// scan needs from it (maintainer addresses, the latest release's upload time, ownership).
import type { HttpClient, HttpResult } from "../net/http.js";
import type { AnswerHeaders, TransportResponse } from "../net/transport.js";
import { extractEmails } from "../domains/emails.js";
import { extractLinks } from "../domains/links.js";
import {
  createAnswerScanner,
  prepareAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  isAnswerProblem,
  readProjectAnswer,
  SMALL_ANSWER_BYTES,
  uploadMs,
  type AnswerLimits,
  type AnswerProblem,
  type ProjectAnswer,
} from "./answer-stream.js";
import { noApiReason, type IndexTarget } from "./indexes.js";
import { isValidName, normalizeName } from "../names.js";
import type { PackageMeta, PackageOwnership } from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";

/** Where people can read what this client is and why it asks. */
export const PROJECT_URL = "https://github.com/maintainer-domain-guard/maintainer-domain-guard";

/** The User-Agent sent to the package index and to RDAP servers. */
export function userAgent(): string {
  return `${TOOL_NAME}/${VERSION} (+${PROJECT_URL})`;
}

export interface FetchPackageOptions {
  http: HttpClient;
  /** `--pypi-url`, such as `https://pypi.org/pypi` (no trailing slash needed), or a private JSON API base. */
  baseUrl: string;
  /** Requests to the index in flight at once (`pypi-concurrency`). */
  concurrency?: number;
  /** `Authorization` header for a private index (never printed). */
  authorization?: string;
  /** A cached answer to revalidate: sent as If-None-Match / If-Modified-Since. */
  revalidate?: { meta: PackageMeta; validators: Validators };
  /** Caps on one answer; default 5 MiB kept, 256 MiB in all (decoded). */
  limits?: AnswerLimits;
  /** Which redirects to follow (default: any http(s) one); a private index's stay on its origin. */
  redirectAllowed?: (from: URL, to: URL) => boolean;
}

/** What the index sent to tell whether an answer changed. */
export interface Validators {
  etag?: string;
  lastModified?: string;
  /** `X-PyPI-Last-Serial`. */
  lastSerial?: string;
}

export interface PackageEntry {
  meta: PackageMeta;
  /** `Cache-Control: max-age` of the answer, seconds, when the index sent one. */
  maxAgeSeconds?: number;
  /** ETag / Last-Modified / serial of the answer, to revalidate it next time. */
  validators?: Validators;
  /** The index answered 304: `meta` is the revalidated cached entry. */
  notModified?: boolean;
  /** Bytes of the answer: as sent (Content-Length, when the index gave one) and decoded. */
  size?: { wireBytes?: number; decodedBytes: number };
  /** From sending the request to the last byte of the answer read, milliseconds. */
  ms?: number;
}

function failed(name: string, error: string, errorCode?: string): PackageMeta {
  return errorCode
    ? { name, status: "error", error, errorCode, emails: [] }
    : { name, status: "error", error, emails: [] };
}

function parseMaxAge(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/(?:^|,)\s*(?:no-store|no-cache|private)\b/i.test(header)) return 0;
  const match = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d{1,10})"?/i.exec(header);
  return match ? Number(match[1]) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readOwnership(value: unknown): PackageOwnership | undefined {
  if (!isRecord(value)) return undefined;
  const roles: PackageOwnership["roles"] = [];
  if (Array.isArray(value.roles)) {
    for (const r of value.roles.slice(0, 200)) {
      if (isRecord(r) && typeof r.role === "string" && typeof r.user === "string") {
        roles.push({ role: r.role, user: r.user });
      }
    }
  }
  const organization = typeof value.organization === "string" ? value.organization : undefined;
  return organization ? { organization, roles } : { roles };
}

/** Upload times (milliseconds) of a list of release files; unreadable stamps are left out. */
function uploadTimes(files: unknown): number[] {
  if (!Array.isArray(files)) return [];
  const out: number[] = [];
  for (const file of files.slice(0, 10_000)) {
    if (!isRecord(file)) continue;
    const stamp = file.upload_time_iso_8601 ?? file.upload_time;
    if (typeof stamp !== "string") continue;
    const ms = uploadMs(stamp);
    if (Number.isFinite(ms)) out.push(ms);
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Dates of the answer. `lastReleaseAt`: when the latest release (PyPI's highest non-yanked final
 * release, `info.version`) was published, the earliest upload of its files (`urls[]`); when those
 * carry no upload time (a release without files), the same release in the deprecated `releases`
 * map, and failing that the most recent upload of any release. `lastUploadAt`: the latest upload
 * of any file of any release (a later pre-release, a fix-up wheel), with the release it belongs to.
 */
function releaseDates(
  answer: ProjectAnswer,
  version: string | undefined,
): Pick<PackageMeta, "lastReleaseAt" | "lastUploadAt" | "lastUploadVersion"> {
  const out: Pick<PackageMeta, "lastReleaseAt" | "lastUploadAt" | "lastUploadVersion"> = {};
  const own = uploadTimes(answer.urls);
  if (own.length > 0) out.lastReleaseAt = iso(Math.min(...own));
  else if (answer.versionFirstUploadMs !== undefined)
    out.lastReleaseAt = iso(answer.versionFirstUploadMs);
  else if (answer.latestUploadMs !== undefined) out.lastReleaseAt = iso(answer.latestUploadMs);
  let latest = own.length > 0 ? Math.max(...own) : undefined;
  let latestVersion = latest !== undefined ? version : undefined;
  // forEach, not for…of: see `allYankedVersions`.
  answer.releases?.forEach((summary, v) => {
    const ms = summary.lastUploadMs;
    if (ms !== undefined && (latest === undefined || ms > latest)) {
      latest = ms;
      latestVersion = v;
    }
  });
  // A later upload in a release past the versions kept (an answer of over 100,000 of them):
  // its date counts, though which release it belongs to is not known.
  if (
    answer.latestUploadMs !== undefined &&
    (latest === undefined || answer.latestUploadMs > latest)
  ) {
    latest = answer.latestUploadMs;
    latestVersion = undefined;
  }
  if (latest !== undefined) {
    out.lastUploadAt = iso(latest);
    if (latestVersion !== undefined && latestVersion.length <= 200)
      out.lastUploadVersion = latestVersion;
  }
  return out;
}

/** PackageMeta from a project answer read by the streaming reader. */
export function metaFromAnswer(name: string, answer: ProjectAnswer): PackageMeta {
  const info = answer.info;
  const meta: PackageMeta = { name, status: "ok", emails: extractEmails(info) };
  if (typeof info.version === "string" && info.version.length <= 200)
    meta.latestVersion = info.version;
  Object.assign(meta, releaseDates(answer, meta.latestVersion));
  const ownership = readOwnership(answer.ownership);
  if (ownership) meta.ownership = ownership;
  meta.links = extractLinks(info);
  return meta;
}

function problemMeta(
  name: string,
  problem: AnswerProblem,
  size?: PackageEntry["size"],
): PackageMeta {
  let error = problem.message;
  if (problem.code === "answer-too-large" && size) {
    const wire = size.wireBytes !== undefined ? `, ${formatSize(size.wireBytes)} sent` : "";
    error = `${error} (read ${formatSize(size.decodedBytes)} decoded${wire})`;
  }
  return failed(name, error, problem.code);
}

function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${+mib.toFixed(1)} MiB` : `${+(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * Read a PyPI JSON API answer (text) into PackageMeta. `name` is the normalised name asked for.
 * A body that is not the expected shape is an `error` for this package only.
 */
export function readPackageJson(name: string, body: string): PackageMeta {
  const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS);
  const problem = scanner.push(new TextEncoder().encode(body));
  const answer = problem ?? scanner.end();
  return isAnswerProblem(answer) ? problemMeta(name, answer) : metaFromAnswer(name, answer);
}

/** Answers sent with a Content-Length up to this (compressed or not) count as small. */
const SMALL_ANSWER_WIRE_BYTES = 256 * 1024;

/** What the stream consumer hands back through the HTTP layer. */
interface StreamedAnswer {
  answer: ProjectAnswer | AnswerProblem;
  size: NonNullable<PackageEntry["size"]>;
}

/**
 * Read a 2xx answer as a stream: `releases` is skipped, not built; the rest is capped (5 MiB)
 * and the whole answer too (256 MiB decoded). A Content-Length past the total cap is refused
 * before reading.
 */
function streamAnswer(
  limits: AnswerLimits,
): (response: TransportResponse) => Promise<StreamedAnswer> {
  return async (response) => {
    const declared = Number(response.headers.get("content-length") ?? NaN);
    const wireBytes = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
    const sized = (decodedBytes: number) =>
      wireBytes === undefined ? { decodedBytes } : { wireBytes, decodedBytes };
    if (wireBytes !== undefined && wireBytes > limits.maxTotalBytes) {
      await response.cancel();
      const answer: AnswerProblem = {
        code: "answer-too-large",
        message: `the index answer is larger than ${formatSize(limits.maxTotalBytes)}`,
        bytes: wireBytes,
      };
      return { answer, size: sized(0) };
    }
    // A small answer (most are) is parsed whole; a large or unsized one is scanned as it comes.
    const small = wireBytes !== undefined && wireBytes <= SMALL_ANSWER_WIRE_BYTES;
    const read = { bytes: 0 };
    const answer = await readProjectAnswer(response.body, limits, {
      ...(small ? { holdUpTo: SMALL_ANSWER_BYTES } : {}),
      read,
    });
    // The decoded bytes read, also when the answer was refused part way (not JSON, `info` too large).
    return { answer, size: sized(isAnswerProblem(answer) ? read.bytes : answer.bytesRead) };
  };
}

function validatorsOf(headers: AnswerHeaders): Validators | undefined {
  const v: Validators = {};
  const etag = headers.get("etag");
  const lastModified = headers.get("last-modified");
  const serial = headers.get("x-pypi-last-serial");
  if (etag && etag.length <= 512) v.etag = etag;
  if (lastModified && lastModified.length <= 100) v.lastModified = lastModified;
  if (serial && /^\d{1,20}$/.test(serial)) v.lastSerial = serial;
  return Object.keys(v).length > 0 ? v : undefined;
}

function requestHeaders(opts: FetchPackageOptions): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (opts.authorization) headers.authorization = opts.authorization;
  const v = opts.revalidate?.validators;
  if (v?.etag) headers["if-none-match"] = v.etag;
  if (v?.lastModified) headers["if-modified-since"] = v.lastModified;
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The cache hints of an answer (a 200 or a 304). */
function hints(result: Extract<HttpResult, { ok: true }>, previous?: Validators) {
  const maxAgeSeconds = parseMaxAge(result.headers.get("cache-control"));
  // A 304 may leave out validators (or send only some, such as the serial): those it does not
  // send still hold.
  const fresh = validatorsOf(result.headers);
  const validators = previous || fresh ? { ...previous, ...fresh } : undefined;
  return {
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(validators ? { validators } : {}),
  };
}

/**
 * Fetch one package's metadata. The name must be a PEP 508 name before it reaches a URL; it
 * is sent normalised and percent-encoded. 404 -> `not-found`; 304 (to a revalidation) -> the
 * cached entry, refreshed; any other failure -> `error` with the reason and a code. Never throws.
 */
export async function fetchPackageEntry(
  rawName: string,
  opts: FetchPackageOptions,
): Promise<PackageEntry> {
  const name = normalizeName(rawName);
  if (!isValidName(rawName)) {
    return { meta: failed(name, "the name is not a valid Python package name (PEP 508)") };
  }
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(name)}/json`;
  const headers = requestHeaders(opts);
  // The scanner's optimised code is made while the first request is in flight (a run that asks
  // the index nothing never pays for it).
  prepareAnswerScanner();
  const result = await opts.http.get(url, {
    kind: "pypi",
    accept: "application/json",
    ...(opts.concurrency ? { concurrency: { key: "pypi", limit: opts.concurrency } } : {}),
    ...(headers ? { headers } : {}),
    ...(opts.redirectAllowed ? { redirectAllowed: opts.redirectAllowed } : {}),
    consume: streamAnswer(opts.limits ?? DEFAULT_ANSWER_LIMITS),
  });
  if (!result.ok) {
    if (result.status === 404 || result.status === 410) {
      return { meta: { name, status: "not-found", emails: [] } };
    }
    const status = result.status ? ` (HTTP ${result.status})` : "";
    return { meta: failed(name, `the package index could not be read${status}: ${result.error}`) };
  }
  if (result.status === 304 && opts.revalidate) {
    const { cached: _cached, ...meta } = opts.revalidate.meta;
    return { meta, notModified: true, ...hints(result, opts.revalidate.validators) };
  }
  const streamed = result.value as StreamedAnswer | undefined;
  if (!streamed) {
    return { meta: failed(name, "the package index answered without a body", "answer-not-json") };
  }
  const { answer, size } = streamed;
  const ms = result.ms === undefined ? {} : { ms: result.ms };
  if (isAnswerProblem(answer)) return { meta: problemMeta(name, answer, size), size, ...ms };
  return { meta: metaFromAnswer(name, answer), size, ...ms, ...hints(result) };
}

/** The reason code of a package from a private index that has no JSON API to ask. */
export const PRIVATE_INDEX_NO_API = "private-index-no-api";

/**
 * Look a package up where its lockfile says it comes from (see `createIndexRouting`): PyPI, or a
 * private index's JSON API with its credentials; or not at all, as `skipped` with the reason,
 * when the private index has no JSON API to ask. A private name never reaches `pypi-url`.
 */
export async function lookUpPackage(
  name: string,
  target: IndexTarget,
  opts: Omit<FetchPackageOptions, "baseUrl" | "authorization">,
): Promise<PackageEntry> {
  if (target.kind === "none") {
    return {
      meta: {
        name: normalizeName(name),
        status: "skipped",
        error: target.reason,
        errorCode: PRIVATE_INDEX_NO_API,
        emails: [],
      },
    };
  }
  const entry = await fetchPackageEntry(name, {
    ...opts,
    baseUrl: target.baseUrl,
    ...(target.authorization ? { authorization: target.authorization } : {}),
    // A private name stays on its own index: a redirect to another origin (pypi-url, say) is
    // not followed, and the lookup fails with where it was sent.
    ...(target.privateHost !== undefined ? { redirectAllowed: sameOriginAs(target.baseUrl) } : {}),
  });
  // A guessed API (`/simple` -> `/pypi/<name>/json`) that answers 404, refuses or sends no
  // JSON says nothing about the package: the index has no JSON API there. Not checked.
  if (target.guessed && target.privateHost !== undefined && isNoApiAnswer(entry.meta)) {
    return {
      meta: {
        name: entry.meta.name,
        status: "skipped",
        error: noApiReason(target.privateHost),
        errorCode: PRIVATE_INDEX_NO_API,
        emails: [],
      },
    };
  }
  return entry;
}

/** Redirects that stay on the origin of `base`. */
function sameOriginAs(base: string): (from: URL, to: URL) => boolean {
  let origin: string | undefined;
  try {
    origin = new URL(base).origin;
  } catch {
    origin = undefined;
  }
  return (_from, to) => origin !== undefined && to.origin === origin;
}

function isNoApiAnswer(meta: PackageMeta): boolean {
  if (meta.status === "not-found") return true;
  if (meta.status !== "error") return false;
  if (meta.errorCode === "answer-not-json" || meta.errorCode === "answer-no-info") return true;
  return /\(HTTP (?:401|403|405|406)\)/.test(meta.error ?? "");
}

/** `fetchPackageEntry` without the cache hint. */
export async function fetchPackage(name: string, opts: FetchPackageOptions): Promise<PackageMeta> {
  return (await fetchPackageEntry(name, opts)).meta;
}
