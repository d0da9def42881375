// The PyPI JSON API client: one `GET {pypi-url}/{name}/json` per package, and the metadata the
// scan needs from it (maintainer addresses, the latest release's upload time, ownership).
import type { HttpClient } from "../net/http.js";
import { extractEmails } from "../domains/emails.js";
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
  /** `--pypi-url`, such as `https://pypi.org/pypi` (no trailing slash needed). */
  baseUrl: string;
  /** Requests to the index in flight at once (`pypi-concurrency`). */
  concurrency?: number;
}

export interface PackageEntry {
  meta: PackageMeta;
  /** `Cache-Control: max-age` of the answer, seconds, when the index sent one. */
  maxAgeSeconds?: number;
}

function failed(name: string, error: string): PackageMeta {
  return { name, status: "error", error, emails: [] };
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
    // `upload_time` (older answers) has no zone: it is UTC.
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`);
    if (Number.isFinite(ms)) out.push(ms);
  }
  return out;
}

/**
 * When the latest release was published, as ISO 8601: the earliest upload of its files
 * (`urls[]`). When those carry no upload time (a release without files), the same release in
 * the deprecated `releases` map, and failing that the most recent upload of any release: the
 * last time the maintainers are known to have published.
 */
function lastReleaseTime(
  doc: Record<string, unknown>,
  version: string | undefined,
): string | undefined {
  const iso = (ms: number) => new Date(ms).toISOString();
  const own = uploadTimes(doc.urls);
  if (own.length > 0) return iso(Math.min(...own));
  if (!isRecord(doc.releases)) return undefined;
  const sameRelease = version !== undefined ? uploadTimes(doc.releases[version]) : [];
  if (sameRelease.length > 0) return iso(Math.min(...sameRelease));
  let latest: number | undefined;
  for (const files of Object.values(doc.releases).slice(0, 10_000)) {
    for (const ms of uploadTimes(files)) if (latest === undefined || ms > latest) latest = ms;
  }
  return latest === undefined ? undefined : iso(latest);
}

/**
 * Read a PyPI JSON API answer into PackageMeta. `name` is the normalised name asked for.
 * A body that is not the expected shape is an `error` for this package only.
 */
export function readPackageJson(name: string, body: string): PackageMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return failed(name, "the package index answered with a body that is not JSON");
  }
  if (!isRecord(doc) || !isRecord(doc.info)) {
    return failed(name, "the package index answered JSON without an `info` object");
  }
  const info = doc.info;
  const meta: PackageMeta = { name, status: "ok", emails: extractEmails(info) };
  if (typeof info.version === "string" && info.version.length <= 200)
    meta.latestVersion = info.version;
  const lastReleaseAt = lastReleaseTime(doc, meta.latestVersion);
  if (lastReleaseAt) meta.lastReleaseAt = lastReleaseAt;
  const ownership = readOwnership(doc.ownership);
  if (ownership) meta.ownership = ownership;
  return meta;
}

/**
 * Fetch one package's metadata. The name must be a PEP 508 name before it reaches a URL; it
 * is sent normalised and percent-encoded. 404 -> `not-found`; any other failure -> `error`
 * with the reason. Never throws.
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
  const result = await opts.http.get(url, {
    kind: "pypi",
    accept: "application/json",
    ...(opts.concurrency ? { concurrency: { key: "pypi", limit: opts.concurrency } } : {}),
  });
  if (!result.ok) {
    if (result.status === 404 || result.status === 410) {
      return { meta: { name, status: "not-found", emails: [] } };
    }
    const status = result.status ? ` (HTTP ${result.status})` : "";
    return { meta: failed(name, `the package index could not be read${status}: ${result.error}`) };
  }
  const meta = readPackageJson(name, result.body);
  const maxAgeSeconds = parseMaxAge(result.headers.get("cache-control"));
  return maxAgeSeconds === undefined ? { meta } : { meta, maxAgeSeconds };
}

/** `fetchPackageEntry` without the cache hint. */
export async function fetchPackage(name: string, opts: FetchPackageOptions): Promise<PackageMeta> {
  return (await fetchPackageEntry(name, opts)).meta;
}
