// What the registry's statuses and dates amount to: the one place that judges a registered
// domain expired, in grace or on hold, and the one table of the words registries use for it.
// The RDAP stage reports what the registry (and, when asked, the registrar) said; this decides.
import type { DomainState, DomainVerdict } from "../types.js";

const DAY_MS = 86_400_000;

/** How long after the expiry anniversary an unpaid gTLD name may stay in auto-renew grace (RFC 3915). */
export const GRACE_DAYS = 45;

/** What one status word means for the maintainer's address. */
export type StatusMeaning =
  /** The name is being deleted or released: anyone may soon register it (`domain-expired`). */
  | "lapsed"
  /** The registry auto-renewed it past its expiry, paid or not (`domain-grace`). */
  | "grace"
  /** The name does not resolve; mail bounces (`domain-on-hold`). */
  | "hold"
  /** A known status that says nothing about a lapse (locks, pending transfers, add/renew grace). */
  | "neutral";

export interface StatusWord {
  /** The word as the source spells it; matched through `normalizeStatus`. */
  word: string;
  meaning: StatusMeaning;
  /** Where the word and its meaning come from. */
  source: string;
}

const RFC8056 = "RFC 8056 §2 (EPP to RDAP status mapping)";
const RFC9083 = "RFC 9083 §10.2.2 (RDAP status values)";
const RDAPPER =
  'rdapper (normalize.ts): a 200 answer with this status is read as not registered ("being released")';

/**
 * Every status word the assessment knows, with its meaning and its source. A word not in this
 * table is reported in `unknownStatuses` and never produces a finding by itself.
 */
export const STATUS_VOCABULARY: readonly StatusWord[] = [
  // The lapse states of RFC 3915's registry grace periods, as RFC 8056 spells them.
  { word: "redemption period", meaning: "lapsed", source: `RFC 3915 redemptionPeriod; ${RFC8056}` },
  { word: "pending delete", meaning: "lapsed", source: `RFC 5731 pendingDelete; ${RFC8056}` },
  { word: "pending restore", meaning: "lapsed", source: `RFC 3915 pendingRestore; ${RFC8056}` },
  {
    word: "auto renew period",
    meaning: "grace",
    source: `RFC 3915 §1 autoRenewPeriod (the auto-renew grace period after expiry); ${RFC8056}`,
  },
  { word: "client hold", meaning: "hold", source: `RFC 5731 clientHold; ${RFC8056}` },
  { word: "server hold", meaning: "hold", source: `RFC 5731 serverHold; ${RFC8056}` },
  { word: "inactive", meaning: "hold", source: `RFC 5731 inactive (no name servers); ${RFC9083}` },
  // Registries' own words beyond RFC 8056 (see test/fixtures/rdap/SOURCES.md for each).
  {
    word: "quarantine",
    meaning: "lapsed",
    source: "EURid (.eu): deleted names stay in quarantine for 40 days (help.eurid.eu)",
  },
  {
    word: "in quarantaine",
    meaning: "lapsed",
    source:
      "SIDN (.nl): a cancelled name's status is shown as 'in quarantaine' for 40 days (sidn.nl)",
  },
  {
    word: "in quarantine",
    meaning: "lapsed",
    source: "SIDN (.nl), English WHOIS output 'Status: in quarantine' (weppos/whois#34)",
  },
  {
    word: "transit",
    meaning: "lapsed",
    source: "DENIC (.de) TRANSIT: the provider contract ended and DENIC holds the name",
  },
  { word: "pending release", meaning: "lapsed", source: RDAPPER },
  { word: "released", meaning: "lapsed", source: RDAPPER },
  {
    word: "release process waiting",
    meaning: "lapsed",
    source: `${RDAPPER}; Registro.br (.br) release process`,
  },
  {
    word: "release process",
    meaning: "lapsed",
    source: "Registro.br (.br): the release process (processo de liberação) of an expired name",
  },
  { word: "available", meaning: "lapsed", source: RDAPPER },
  { word: "free", meaning: "lapsed", source: `${RDAPPER}; DENIC WHOIS status 'free'` },
  {
    word: "deleteCandidate",
    meaning: "lapsed",
    source: "internet.ee (.ee) registry software: DELETE_CANDIDATE = 'deleteCandidate'",
  },
  {
    word: "renewal required",
    meaning: "lapsed",
    source: "Nominet (.uk): the domain has gone past its expiry and has not been renewed",
  },
  {
    word: "expired",
    meaning: "lapsed",
    source: "internet.ee (.ee) registry software: EXPIRED = 'expired'",
  },
  {
    word: "suspended",
    meaning: "hold",
    source: "ccTLD registries' word for a name taken out of the zone (no RDAP capture found)",
  },
  // Known statuses that say nothing about a lapse.
  ...[
    "active",
    "ok",
    "add period",
    "renew period",
    "transfer period",
    "pending create",
    "pending renew",
    "pending transfer",
    "pending update",
    "client delete prohibited",
    "client renew prohibited",
    "client transfer prohibited",
    "client update prohibited",
    "server delete prohibited",
    "server renew prohibited",
    "server transfer prohibited",
    "server update prohibited",
  ].map((word): StatusWord => ({ word, meaning: "neutral", source: RFC8056 })),
  ...[
    "validated",
    "renew prohibited",
    "update prohibited",
    "transfer prohibited",
    "delete prohibited",
    "proxy",
    "private",
    "removed",
    "obscured",
    "associated",
    "locked",
    "administrative",
    "reserved",
  ].map((word): StatusWord => ({ word, meaning: "neutral", source: RFC9083 })),
];

/** The EPP status in ICANN's URL form, alone or after the word: `https://icann.org/epp#clientHold`. */
const ICANN_EPP_URL = /(?:^|\s)https?:\/\/(?:www\.)?icann\.org\/epp#([A-Za-z]+)\s*$/i;

/**
 * One key per status whatever the spelling: case, spaces, hyphens, underscores, punctuation and
 * camelCase do not matter, and ICANN's URL form counts as its fragment.
 * `clientHold`, `client hold`, `CLIENT-HOLD`, `https://icann.org/epp#clientHold` -> `clienthold`.
 */
export function normalizeStatus(status: string): string {
  const url = ICANN_EPP_URL.exec(status);
  const word = url ? url[1]! : status;
  return word.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const MEANINGS = new Map(STATUS_VOCABULARY.map((w) => [normalizeStatus(w.word), w.meaning]));

/** What a status means, or undefined when the word is not in the vocabulary. */
export function statusMeaning(status: string): StatusMeaning | undefined {
  return MEANINGS.get(normalizeStatus(status));
}

/** Whether a status, in any spelling, means the domain has lapsed (redemption, quarantine, released, ...). */
export function isLapsedStatus(status: string): boolean {
  return statusMeaning(status) === "lapsed";
}

/** Whether a status, in any spelling, puts the domain on hold. */
export function isHoldStatus(status: string): boolean {
  return statusMeaning(status) === "hold";
}

/** Whether a status, in any spelling, is the registry's auto-renew grace (`auto renew period`). */
export function isGraceStatus(status: string): boolean {
  return statusMeaning(status) === "grace";
}

/** Unknown statuses are kept as written, at most this many, each cut to this length. */
const MAX_UNKNOWN_STATUSES = 20;
const MAX_STATUS_LENGTH = 100;

/** The statuses the vocabulary does not know, as written (bounded), without repeats. */
export function unknownStatusesOf(statuses: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of statuses) {
    if (statusMeaning(s) !== undefined) continue;
    const text = s.trim().slice(0, MAX_STATUS_LENGTH);
    if (text !== "" && !out.includes(text)) out.push(text);
    if (out.length >= MAX_UNKNOWN_STATUSES) break;
  }
  return out;
}

/** Whether an ISO 8601 date lies before `now`. */
export function isPast(iso: string | undefined, now: Date): boolean {
  if (!iso) return false;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms < now.getTime();
}

/** `iso` moved back `years` whole years (29 February becomes 28 February). */
function yearsBefore(iso: string, years: number): Date {
  const d = new Date(iso);
  const moved = new Date(d.getTime());
  moved.setUTCFullYear(d.getUTCFullYear() - years);
  if (moved.getUTCDate() !== d.getUTCDate()) moved.setUTCDate(0);
  return moved;
}

/**
 * The latest anniversary of a future expiry date that is not after `now`: the day the
 * registration last reached its end of term (and, at a gTLD registry, was auto-renewed).
 * Undefined when the expiry is missing, unreadable or already past.
 */
export function expiryAnniversary(expires: string | undefined, now: Date): Date | undefined {
  if (!expires) return undefined;
  const ms = Date.parse(expires);
  if (!Number.isFinite(ms) || ms <= now.getTime()) return undefined;
  for (let years = 1; years <= 12; years++) {
    const at = yearsBefore(expires, years);
    if (at.getTime() <= now.getTime()) return at;
  }
  return undefined;
}

/** Whether the expiry anniversary fell within the last GRACE_DAYS days. */
export function isRecentAnniversary(expires: string | undefined, now: Date): boolean {
  const at = expiryAnniversary(expires, now);
  return at !== undefined && now.getTime() - at.getTime() <= GRACE_DAYS * DAY_MS;
}

/**
 * Whether the registrar's record would decide something, so that the registry's `related` link
 * is worth following: the registry shows `auto renew period`, or its expiry anniversary fell
 * within the last 45 days (registries auto-renew without always saying so). Never for a name
 * already lapsed by status or date: the registry's word stands there.
 */
export function needsRegistrarRecord(
  said: { statuses: readonly string[]; expires?: string },
  now: Date,
): boolean {
  if (said.statuses.some(isLapsedStatus) || isPast(said.expires, now)) return false;
  return said.statuses.some(isGraceStatus) || isRecentAnniversary(said.expires, now);
}

/** The registrar's end of term, if one was read: the followed record's, else the registry answer's own. */
export function registrarTermOf(verdict: DomainVerdict): string | undefined {
  const followed = verdict.registrar?.expires;
  if (typeof followed === "string" && Number.isFinite(Date.parse(followed))) return followed;
  return verdict.registrarExpires;
}

/** Why a domain counts as expired: a lapse status, its expiry date, or the registrar's ended term. */
export type LapseReason = "status" | "date" | "registrar-term";

/**
 * Why the verdict is a lapse, or undefined. The registry's own statuses and `expiration` come
 * first; the registrar's `registrar expiration` decides only within the grace rule (auto renew
 * period, or an expiry anniversary within the last 45 days).
 */
export function lapseReason(verdict: DomainVerdict, now: Date): LapseReason | undefined {
  if (verdict.statuses.some(isLapsedStatus)) return "status";
  if (isPast(verdict.expires, now)) return "date";
  const inGraceWindow =
    verdict.statuses.some(isGraceStatus) || isRecentAnniversary(verdict.expires, now);
  if (inGraceWindow && isPast(registrarTermOf(verdict), now)) return "registrar-term";
  return undefined;
}

/**
 * The state of a domain the registry has a record of, at `now`: expired (a lapse status, the
 * expiry date passed, or in grace with the registrar's term ended), in grace (auto renew
 * period, unless the registrar's record shows a renewed term), on hold, or registered.
 * Unregistered and unknown verdicts pass unchanged. An expiration the registry reports but
 * that is not a date could be in the past: the domain is then not judged (unknown) unless a
 * status already says lapsed, grace or hold. Judging again gives the same answer.
 */
export function judgeVerdict(verdict: DomainVerdict, now: Date): DomainVerdict {
  if (verdict.state === "unknown" || verdict.state === "unregistered") return verdict;
  const unknownStatuses = unknownStatusesOf(verdict.statuses);
  const said = { ...verdict, unknownStatuses };
  const isExpired = lapseReason(verdict, now) !== undefined;
  const renewed = (() => {
    const term = registrarTermOf(verdict);
    return term !== undefined && !isPast(term, now);
  })();
  const inGrace = verdict.statuses.some(isGraceStatus) && !renewed;
  const isOnHold = verdict.statuses.some(isHoldStatus);
  if (!isExpired && !inGrace && !isOnHold && verdict.unreadableExpiry !== undefined) {
    return {
      ...said,
      state: "unknown",
      errorCode: "malformed",
      error: `${verdict.server ?? "the RDAP server"}: the expiration date ${JSON.stringify(verdict.unreadableExpiry)} is not a date, so the expiry could not be judged`,
    };
  }
  const state = isExpired ? "expired" : inGrace ? "grace" : isOnHold ? "on-hold" : "registered";
  return { ...said, state };
}

/** Maintainer-domain states whose mail servers are asked about and judged: the domain takes mail. */
export const TAKES_MAIL: ReadonlySet<string> = new Set(["registered", "on-hold", "grace"]);

/**
 * Whether an `unknown` verdict was still looked at: RDAP said "not found" but DNS shows the
 * domain delegated, so it is registered (not a lapse to report) though its dates could not be
 * read. It counts as checked for coverage, and is listed apart from the lookups that failed.
 */
export function settledByDns(verdict: DomainVerdict): boolean {
  return verdict.state === "unknown" && verdict.errorCode === "dns-contradicts";
}

/** A TLD whose registry answered without any expiry date: only some states can be seen there. */
export interface CoverageLimit {
  /** The last label, lower case, without a dot. */
  tld: string;
  /** The domains under it that were answered without an expiry (sorted). */
  domains: string[];
  /** One sentence for the report. */
  note: string;
}

/**
 * Once per TLD: the registries that answered without an expiry date for every domain asked
 * (`.de`, `.no`, `.fi` ...),
 * where only unregistered names and the states statuses show (hold, redemption, quarantine ...)
 * can be detected, never a passed or coming expiry.
 */
export function coverageLimits(domains: readonly DomainVerdict[]): CoverageLimit[] {
  const without = new Map<string, Set<string>>();
  const withExpiry = new Set<string>();
  for (const v of domains) {
    if (v.state === "unknown" || v.state === "unregistered") continue;
    const tld = v.domain.split(".").pop() ?? v.domain;
    if (v.expires !== undefined || v.unreadableExpiry !== undefined) withExpiry.add(tld);
    else without.set(tld, (without.get(tld) ?? new Set<string>()).add(v.domain));
  }
  // A registry that gave any of its domains an expiry does publish one.
  return [...without.keys()]
    .filter((tld) => !withExpiry.has(tld))
    .sort()
    .map((tld) => ({
      tld,
      domains: [...(without.get(tld) ?? [])].sort(),
      note: `The .${tld} registry publishes no expiry date: only unregistered domains and the states its statuses show (hold, redemption, quarantine, ...) can be detected there, not a passed or coming expiry.`,
    }));
}

/**
 * The states a domain finding is made of: a lapse. A verdict in one of them is kept by the
 * cache past its time to live, to stand in for a lookup of the domain that fails later.
 */
export const LAPSED_STATES: ReadonlySet<DomainState> = new Set<DomainState>([
  "unregistered",
  "expired",
  "grace",
  "on-hold",
]);
