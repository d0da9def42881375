// RDAP verdicts: the bootstrap (IANA's file plus a supplement), rdapper's lookup routed through
// our HttpClient, and the reading of the registry's answer into a DomainVerdict.
// A failure is always `unknown` with a reason code, never a state that could become a finding.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { lookup, type BootstrapData } from "rdapper";
import { parse as parseDomain } from "tldts";
import { canonicalDomain } from "../domains/canonical.js";
import { checkDelegation, type Delegation } from "./dns.js";
import { DEFAULT_MAX_BODY_BYTES, type HttpClient, type HttpResult } from "../net/http.js";
import { RDAP_SUPPLEMENT } from "./supplement.js";
import type { DomainVerdict, RegistrarRecord } from "../types.js";

export type { BootstrapData };

/** How long one DNS try may take when the caller gives no DNS timeout (milliseconds). */
export const DNS_TIMEOUT_CAP_MS = 5_000;

export type BootstrapResult = { ok: true; data: BootstrapData } | { ok: false; error: string };

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((x) => typeof x === "string");
}

/** Check the RFC 9224 shape and keep only well-formed services with http(s) URLs. */
export function readBootstrap(text: string, source: string): BootstrapResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${source}: not JSON (${(error as Error).message})` };
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: `${source}: not an RDAP bootstrap file (expected a JSON object)` };
  }
  const obj = json as Record<string, unknown>;
  if (!Array.isArray(obj.services)) {
    return { ok: false, error: `${source}: not an RDAP bootstrap file (no "services" list)` };
  }
  const services: string[][][] = [];
  for (const entry of obj.services) {
    if (!Array.isArray(entry) || entry.length < 2) continue;
    const [tlds, urls] = entry as unknown[];
    if (!isStringArray(tlds) || !isStringArray(urls)) continue;
    const good = urls.filter((u) => /^https?:\/\//i.test(u));
    if (tlds.length === 0 || good.length === 0) continue;
    services.push([tlds.map((t) => t.toLowerCase()), good]);
  }
  if (services.length === 0) {
    return { ok: false, error: `${source}: the bootstrap file lists no usable RDAP services` };
  }
  return {
    ok: true,
    data: {
      version: typeof obj.version === "string" ? obj.version : "1.0",
      publication: typeof obj.publication === "string" ? obj.publication : "",
      ...(typeof obj.description === "string" ? { description: obj.description } : {}),
      services,
    },
  };
}

/** Add the supplement's TLDs that the bootstrap does not list (the bootstrap wins where both do). */
export function withSupplement(
  data: BootstrapData,
  supplement: Readonly<Record<string, string>> = RDAP_SUPPLEMENT,
) {
  const listed = new Set(data.services.flatMap((s) => (s[0] ?? []).map((t) => t.toLowerCase())));
  const byUrl = new Map<string, string[]>();
  for (const [tld, url] of Object.entries(supplement)) {
    if (listed.has(tld)) continue;
    byUrl.set(url, [...(byUrl.get(url) ?? []), tld]);
  }
  const extra = [...byUrl].map(([url, tlds]) => [tlds, [url]]);
  return { ...data, services: [...data.services, ...extra] };
}

/**
 * Load the bootstrap once per run from a URL (through `http`, kind `bootstrap`) or a file
 * (relative to `cwd`), and merge the supplement. Never throws.
 */
export async function loadBootstrap(
  source: string,
  http: HttpClient,
  cwd: string,
): Promise<BootstrapResult> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const result = await http.get(source, { kind: "bootstrap", accept: "application/json" });
    if (!result.ok)
      // The result's URL, not `source`: it has the credentials of `user:password@` taken out.
      return { ok: false, error: `RDAP bootstrap ${result.url}: ${result.error} [${result.code}]` };
    text = result.body;
  } else {
    const path = resolve(cwd, source);
    try {
      const info = await stat(path);
      if (!info.isFile()) return { ok: false, error: `RDAP bootstrap ${path}: not a file` };
      if (info.size > DEFAULT_MAX_BODY_BYTES) {
        return {
          ok: false,
          error: `RDAP bootstrap ${path}: ${info.size} bytes is over the ${DEFAULT_MAX_BODY_BYTES}-byte limit`,
        };
      }
      text = await readFile(path, "utf8");
    } catch (error) {
      return {
        ok: false,
        error: `RDAP bootstrap ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      };
    }
  }
  const read = readBootstrap(text, `RDAP bootstrap ${source}`);
  return read.ok ? { ok: true, data: withSupplement(read.data) } : read;
}

/**
 * Whether a request's final URL (after redirects) is still the asked server's operator: the
 * same host, or a host under the same registrable domain (`rdap.verisign.com` to
 * `rdap-pilot.verisign.com`). A registry does not hand its answers to another party's server.
 */
function sameOperator(asked: string, answered: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(asked);
    b = new URL(answered);
  } catch {
    return false;
  }
  if (a.hostname === b.hostname) return true;
  const da = parseDomain(a.hostname).domain;
  return da !== null && da !== undefined && da === parseDomain(b.hostname).domain;
}

/** The `errorCode` of an RDAP error body, when it is JSON that carries one. */
function errorCodeOf(body: string): unknown {
  try {
    const doc: unknown = JSON.parse(body);
    return doc !== null && typeof doc === "object" && !Array.isArray(doc)
      ? (doc as Record<string, unknown>).errorCode
      : undefined;
  } catch {
    return undefined;
  }
}

function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

/**
 * Event actions compare as the registry's words, whatever the case, spacing, hyphens or
 * camelCase: only the letters count (`Expiration`, `last  changed`, `Record expires`,
 * `registrarExpiration`, `re-registration`, `reRegistration` and `reregistration` alike).
 */
function eventActionKey(action: string): string {
  return action.toLowerCase().replace(/[\s_-]+/g, "");
}

/**
 * The event actions that carry a domain's expiry, in the order they are preferred: the
 * registry's own `expiration`, then the names other servers use for it (`.kg` publishes
 * `record expires`, `.is` `soft expiration`: the day an unpaid domain stops working; registrar
 * answers may carry only `registrar expiration`).
 */
export const EXPIRY_ACTIONS = [
  "expiration",
  "expiration date",
  "record expires",
  "soft expiration",
  "registrar expiration",
] as const;

/**
 * An RDAP event date as ISO 8601 (UTC), accepting what registries really send: `Z`, fractions of
 * any length, `+00:00`, `+0000` without a colon, a space instead of `T`, and no zone (read as
 * UTC). Undefined when it is not a date.
 */
export function parseRdapDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m =
    /^\s*(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/.exec(
      value,
    );
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const ms = (frac + "000").slice(0, 3);
  let offset = "Z";
  if (zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    offset = `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || "00").padEnd(2, "0")}`;
  }
  // Date.parse moves an impossible day on (`02-30` to March 1st, `24:00` to the next day): a
  // date the calendar does not have is not a date.
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString();
}

export type RdapReading =
  | {
      ok: true;
      /** Status strings as the registry wrote them. */
      statuses: string[];
      created?: string;
      expires?: string;
      /** The event action `expires` came from, when it is not `expiration`. */
      expiresFrom?: string;
      /** The answer's own `registrar expiration` event. */
      registrarExpires?: string;
      reregistered?: string;
      /** The latest `transfer` event. */
      transferred?: string;
      /** An expiry event whose date is not a date, as written (bounded). */
      unreadableExpiry?: string;
      /** The first `related` link of type application/rdap+json (the registrar's record), as written. */
      relatedLink?: string;
    }
  | { ok: false; error: string };

/** Whether a link is the RDAP `related` link (RFC 9083 §4.2, RFC 9224's type). */
function isRdapRelated(link: Record<string, unknown>): boolean {
  const rel = typeof link.rel === "string" ? link.rel.trim().toLowerCase() : "";
  const type = typeof link.type === "string" ? link.type.split(";")[0]!.trim().toLowerCase() : "";
  return rel === "related" && type === "application/rdap+json" && typeof link.href === "string";
}

/**
 * Read a registry's RDAP domain object (RFC 9083) into what the registry said: statuses, the
 * domain's own top-level event dates (never an entity's: a registrar entity's `registrar
 * expiration` is not the domain's), and the registrar link. No judgement: whether that amounts
 * to expired or on hold is the assessment's call. Anything that is not a domain object for
 * `domain` is refused (`ok: false`), never guessed at; the name is compared through
 * `canonicalDomain` (ASCII, lower case, no trailing dot).
 */
export function readRdapDomain(domain: string, raw: unknown): RdapReading {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, error: "the answer is not an RDAP object" };
  }
  const obj = raw as Record<string, unknown>;
  if (obj.objectClassName !== undefined && typeof obj.objectClassName !== "string") {
    return {
      ok: false,
      error: "the answer's objectClassName is not a string: not an RDAP domain object",
    };
  }
  const klass = obj.objectClassName?.toLowerCase();
  if (klass !== undefined && klass !== "domain") {
    return {
      ok: false,
      error: `the answer is an RDAP "${obj.objectClassName}" object, not a domain`,
    };
  }
  if (obj.errorCode !== undefined) {
    // An RDAP error (RFC 9083 section 6) whatever else it carries: never a domain's record.
    return {
      ok: false,
      error: `the answer is an RDAP error (errorCode ${JSON.stringify(obj.errorCode).slice(0, 20)})`,
    };
  }
  // The answer must say which domain it describes, and it must be the one asked for: an answer
  // about no name, or another, is never judged as this domain's.
  const written =
    typeof obj.ldhName === "string"
      ? obj.ldhName
      : typeof obj.unicodeName === "string"
        ? obj.unicodeName
        : undefined;
  if (written === undefined) {
    return {
      ok: false,
      error:
        "the answer names no domain (no ldhName or unicodeName): not read as this domain's record",
    };
  }
  const ldh = canonicalDomain(written);
  if (ldh !== domain) {
    return {
      ok: false,
      error: `the answer describes ${JSON.stringify(ldh.slice(0, 100))}, not ${domain}`,
    };
  }
  // RFC 9083 makes `status` an array; a bare string (seen from some servers) is one status,
  // never none: dropping it could hide a redemption period.
  const statuses = Array.isArray(obj.status)
    ? obj.status.filter((s): s is string => typeof s === "string")
    : typeof obj.status === "string"
      ? [obj.status]
      : [];
  const events = (Array.isArray(obj.events) ? obj.events : []).filter(
    (e): e is Record<string, unknown> =>
      e !== null &&
      typeof e === "object" &&
      typeof (e as Record<string, unknown>).eventAction === "string",
  );
  const eventsOf = (action: string) =>
    events.filter((e) => eventActionKey(e.eventAction as string) === eventActionKey(action));
  const dateOf = (action: string): string | undefined => {
    for (const e of eventsOf(action)) {
      const date = parseRdapDate(e.eventDate);
      if (date) return date;
    }
    return undefined;
  };
  const created = dateOf("registration");
  const reregistered = dateOf("reregistration");
  let expires: string | undefined;
  let expiresFrom: string | undefined;
  for (const action of EXPIRY_ACTIONS) {
    expires = dateOf(action);
    if (expires) {
      if (action !== "expiration") expiresFrom = action;
      break;
    }
  }
  const registrarExpires = dateOf("registrar expiration");
  const unreadable =
    expires === undefined ? EXPIRY_ACTIONS.flatMap((a) => eventsOf(a))[0] : undefined;
  const transfers = eventsOf("transfer")
    .map((e) => parseRdapDate(e.eventDate))
    .filter((d): d is string => d !== undefined)
    .sort();
  const transferred = transfers.at(-1);
  const links = (Array.isArray(obj.links) ? obj.links : []).filter(
    (l): l is Record<string, unknown> => l !== null && typeof l === "object" && !Array.isArray(l),
  );
  const related = links.find(isRdapRelated)?.href as string | undefined;
  return {
    ok: true,
    statuses,
    ...(created ? { created } : {}),
    ...(expires ? { expires } : {}),
    ...(expiresFrom ? { expiresFrom } : {}),
    ...(registrarExpires ? { registrarExpires } : {}),
    ...(reregistered ? { reregistered } : {}),
    ...(transferred ? { transferred } : {}),
    ...(unreadable ? { unreadableExpiry: String(unreadable.eventDate).slice(0, 60) } : {}),
    ...(related ? { relatedLink: related.slice(0, 2000) } : {}),
  };
}

export interface RdapChecker {
  /** The verdict for a registrable domain; one lookup per domain for the checker's lifetime. Never throws. */
  check(domain: string): Promise<DomainVerdict>;
  /** DNS NS checks made (one per RDAP 404). */
  readonly stats: { dns: number };
}

export interface RdapCheckerOptions {
  http: HttpClient;
  /** Undefined: the bootstrap could not be loaded, every verdict is unknown (`bootstrap-failed`). */
  bootstrap: BootstrapData | undefined;
  bootstrapError?: string;
  /** HOST:PORT of the DNS server for the NS check; default: the system resolver. */
  dnsServer?: string;
  now: () => Date;
  /** Per-request timeout (enforced by the HttpClient), also bounds one DNS try (capped at 5 s). */
  timeoutMs: number;
  /** RDAP requests in flight at once per origin (scheme, host and port). */
  perOriginConcurrency: number;
  /** Replace the DNS check (default: checkDelegation against `dnsServer`). */
  checkDelegation?: (domain: string) => Promise<Delegation>;
  /**
   * Whether the registrar's record would decide something for what the registry said (the
   * assessment's `needsRegistrarRecord`); then the registry's `related` link is followed, one
   * hop. Default: never followed.
   */
  wantsRegistrar?: (said: { statuses: readonly string[]; expires?: string }, now: Date) => boolean;
  /**
   * Also follow plain `http:` registrar links (loopback test servers). Default false: a
   * registrar link is followed over HTTPS only.
   */
  allowHttpRegistrar?: boolean;
}

/** The bootstrap's base URLs for a domain: its public suffix, then its last label (as rdapper does). */
export function rdapBasesFor(domain: string, data: BootstrapData): string[] {
  const suffix = parseDomain(domain).publicSuffix ?? domain.split(".").pop() ?? "";
  const find = (tld: string) =>
    data.services
      .filter((s) => (s[0] ?? []).some((t) => t.toLowerCase() === tld))
      .flatMap((s) => s[1] ?? []);
  const bases = find(suffix);
  return bases.length > 0 || !suffix.includes(".")
    ? bases
    : find(suffix.split(".").pop() ?? suffix);
}

/** Map an HttpClient failure to a verdict reason code. */
function codeFor(result: Extract<HttpResult, { ok: false }>): string {
  if (result.code === "http-status") return result.status === 403 ? "forbidden" : "http-status";
  return result.code;
}

function baseOf(url: string): string {
  const at = url.lastIndexOf("/domain/");
  return at >= 0 ? url.slice(0, at + 1) : url;
}

/**
 * Whether a 404 error body says the server has no registry for the TLD (a redirector such as
 * one answering "domain x.fr not found in IANA boostrap file") rather than "no such domain".
 */
export function isNoRegistryError(body: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return false;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const obj = value as Record<string, unknown>;
  const description = Array.isArray(obj.description) ? obj.description : [obj.description];
  const text = [obj.title, ...description]
    .filter((x): x is string => typeof x === "string")
    .join(" ")
    .slice(0, 2000);
  return /\bboot?strap\b|\b(?:unsupported|unknown) (?:tld|top[- ]level domain)\b|\bno rdap server\b/i.test(
    text,
  );
}

function looksLikeJson(body: string): boolean {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object";
  } catch {
    return false;
  }
}

/**
 * Follow the registry answer's registrar link once: HTTPS only (unless `allowHttp`), to another
 * host than the registry's, through the same HttpClient (caps, retries, pacing per origin).
 * The registrar's answer must describe the same domain; only its top-level `registrar
 * expiration` is taken. Never throws: a failure is said in the record.
 */
export async function followRegistrar(
  domain: string,
  link: string | undefined,
  registryUrl: string,
  opts: Pick<RdapCheckerOptions, "http" | "perOriginConcurrency" | "allowHttpRegistrar">,
): Promise<RegistrarRecord> {
  if (link === undefined) {
    return {
      errorCode: "no-link",
      error:
        "the registry's answer names no registrar RDAP link (`related`, application/rdap+json)",
    };
  }
  let url: URL;
  try {
    url = new URL(link, registryUrl);
  } catch {
    return {
      errorCode: "malformed",
      error: `the registrar link ${JSON.stringify(link.slice(0, 200))} is not a URL`,
    };
  }
  const isAllowedScheme = (u: URL) =>
    u.protocol === "https:" || (opts.allowHttpRegistrar === true && u.protocol === "http:");
  if (!isAllowedScheme(url)) {
    return {
      url: url.href,
      errorCode: "not-https",
      error: `the registrar link is not HTTPS, so it was not followed`,
    };
  }
  let registryHost = "";
  try {
    registryHost = new URL(registryUrl).host;
  } catch {
    // an unreadable registry URL cannot equal the link's host
  }
  if (url.host === registryHost) {
    return {
      url: url.href,
      errorCode: "same-host",
      error: "the registrar link points back at the registry's own server",
    };
  }
  const result = await opts.http.get(url.href, {
    kind: "rdap",
    accept: "application/rdap+json, application/json",
    concurrency: { key: url.origin, limit: opts.perOriginConcurrency },
  });
  if (!result.ok) return { url: url.href, errorCode: codeFor(result), error: result.error };
  let final: URL | undefined;
  try {
    final = new URL(result.url);
  } catch {
    final = undefined;
  }
  if (final === undefined || !isAllowedScheme(final)) {
    return {
      url: url.href,
      errorCode: "not-https",
      error: `the registrar's server redirected to a non-HTTPS location`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(result.body);
  } catch {
    return {
      url: url.href,
      errorCode: "malformed",
      error: `the registrar answered ${result.status} with a body that is not RDAP JSON`,
    };
  }
  const reading = readRdapDomain(domain, json);
  if (!reading.ok) return { url: url.href, errorCode: "malformed", error: reading.error };
  return {
    url: url.href,
    ...(reading.registrarExpires ? { expires: reading.registrarExpires } : {}),
  };
}

export function createRdapChecker(opts: RdapCheckerOptions): RdapChecker {
  const memo = new Map<string, Promise<DomainVerdict>>();
  const stats = { dns: 0 };
  const dnsTimeoutMs = Math.min(opts.timeoutMs, DNS_TIMEOUT_CAP_MS);
  const delegation =
    opts.checkDelegation ??
    ((domain: string) =>
      checkDelegation(domain, { server: opts.dnsServer, timeoutMs: dnsTimeoutMs }));

  async function run(domain: string): Promise<DomainVerdict> {
    const base = { domain, statuses: [] as string[], source: "rdap" as const };
    const checkedAt = () => opts.now().toISOString();
    const unknown = (errorCode: string, error: string, server?: string): DomainVerdict => ({
      ...base,
      state: "unknown",
      errorCode,
      error,
      ...(server ? { server } : {}),
      checkedAt: checkedAt(),
    });
    if (!domain || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
      return unknown(
        "invalid-domain",
        `${JSON.stringify(domain.slice(0, 100))} is not a domain name`,
      );
    }
    if (!opts.bootstrap) {
      return unknown(
        "bootstrap-failed",
        `the RDAP bootstrap could not be loaded: ${opts.bootstrapError ?? "no data"}`,
      );
    }
    const tld = domain.split(".").pop()!;
    if (rdapBasesFor(domain, opts.bootstrap).length === 0) {
      return unknown(
        "no-rdap",
        `no RDAP server is known for .${tld} (not in the RDAP bootstrap file)`,
      );
    }

    const seen: HttpResult[] = [];
    /** A redirect that left the registry's server: its answer is nobody's to judge by. */
    let redirectedAway: { from: string; to: string } | undefined;
    const customFetch = async (input: string | URL): Promise<Response> => {
      const url = String(input);
      const result = await opts.http.get(url, {
        kind: "rdap",
        accept: "application/rdap+json, application/json",
        concurrency: { key: new URL(url).origin, limit: opts.perOriginConcurrency },
        // A redirect away from the registry's operator is not even asked (see redirectedAway).
        redirectAllowed: (_from, to) => sameOperator(url, to.href),
      });
      seen.push(result);
      if (!sameOperator(url, result.url)) {
        redirectedAway ??= { from: url, to: result.url };
        return new Response("", { status: 502 });
      }
      if (result.ok || result.code === "http-status") {
        const status = result.status ?? 502;
        const nullBody = status === 204 || status === 304;
        return new Response(nullBody ? null : (result.body ?? ""), { status });
      }
      throw new Error(result.error);
    };

    const looked = await lookup(domain, {
      rdapOnly: true,
      customBootstrapData: opts.bootstrap,
      rdapFollowLinks: false,
      customFetch,
      // Our HttpClient bounds every request (timeout, retries, waits, deadline); a second timer
      // here would abandon requests still running in the client.
      timeoutMs: Number.POSITIVE_INFINITY,
      includeRaw: true,
    }).catch((error: unknown) => ({ ok: false as const, error: String(error), record: undefined }));

    const last = seen.at(-1);
    const server = last ? baseOf(last.url) : undefined;
    if (redirectedAway) {
      return unknown(
        "redirected-away",
        `the RDAP server ${new URL(redirectedAway.from).host} redirected to ${hostOfUrl(redirectedAway.to)}, another operator's host: its answer is not taken as the registry's`,
        baseOf(redirectedAway.from),
      );
    }
    if (!last) {
      return unknown(
        "rdap-error",
        `RDAP lookup failed before any request: ${looked.error ?? "unknown error"}`,
      );
    }

    // rdapper reads a 200 answer with a "being released" status (`pending release`, `released`,
    // `free`, ...) as not registered: it is the registry's record of a lapsing name, read as such.
    const isReleased =
      looked.ok &&
      looked.record?.isRegistered === false &&
      last.ok &&
      looked.record.rawRdap !== undefined;
    if (looked.ok && looked.record && looked.record.isRegistered === false && !isReleased) {
      // rdapper reads any 404 as "not registered"; accept it only from an RDAP server's answer.
      if (last.ok || last.status !== 404) {
        return unknown("rdap-error", `unexpected RDAP outcome from ${last.url}`, server);
      }
      const body = (last.body ?? "").trim();
      const type = last.headers?.get("content-type") ?? "";
      if (body !== "" && (!looksLikeJson(body) || /html/i.test(type))) {
        return unknown(
          "malformed",
          `${last.url} answered 404 with a body that is not an RDAP error (${type || "no content type"}): not treated as "not registered"`,
          server,
        );
      }
      const said404 = body === "" ? undefined : errorCodeOf(body);
      if (said404 !== undefined && said404 !== 404) {
        // The status line says 404 and the body another error (a 429, a 503): not an answer.
        return unknown(
          "malformed",
          `${last.url} answered 404 with an RDAP error body saying ${said404}: not treated as "not registered"`,
          server,
        );
      }
      if (body !== "" && isNoRegistryError(body)) {
        return unknown(
          "no-rdap",
          `${last.url} answered 404 because it knows no RDAP server for .${tld} (a redirector, not the registry): not treated as "not registered"`,
          server,
        );
      }
      stats.dns++;
      const dns = await delegation(domain).catch((): Delegation => "not-consulted");
      if (dns === "delegated") {
        return {
          ...unknown("dns-contradicts", "RDAP says not found but DNS delegation exists", server),
          dns,
        };
      }
      return { ...base, state: "unregistered", server, dns, checkedAt: checkedAt() };
    }

    if (looked.ok && looked.record) {
      const reading = readRdapDomain(domain, looked.record.rawRdap);
      if (!reading.ok) return unknown("malformed", `${last.url}: ${reading.error}`, server);
      const { ok: _ok, relatedLink, ...said } = reading;
      const registrar =
        opts.wantsRegistrar?.(said, opts.now()) === true
          ? await followRegistrar(domain, relatedLink, last.url, opts)
          : undefined;
      return {
        ...base,
        ...said,
        ...(registrar ? { registrar } : {}),
        state: "registered",
        server,
        checkedAt: checkedAt(),
      };
    }

    // A failure: say what the last request saw. Never a registration state.
    if (last.ok) {
      return unknown(
        "malformed",
        `${last.url} answered ${last.status} with a body that is not RDAP JSON`,
        server,
      );
    }
    return unknown(codeFor(last), last.error, server);
  }

  return {
    stats,
    check(input: string): Promise<DomainVerdict> {
      const domain = canonicalDomain(input);
      let pending = memo.get(domain);
      if (!pending) {
        pending = run(domain).catch((error: unknown): DomainVerdict => ({
          domain,
          state: "unknown",
          statuses: [],
          errorCode: "rdap-error",
          error: `RDAP lookup failed: ${String(error)}`,
          source: "rdap",
          checkedAt: opts.now().toISOString(),
        }));
        memo.set(domain, pending);
      }
      return pending;
    },
  };
}
