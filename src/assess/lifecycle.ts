// What the registry's statuses and dates amount to: the one place that judges a registered
// domain expired or on hold. The RDAP stage reports what the registry said; this decides.
import type { DomainVerdict } from "../types.js";

/** `clientHold`, `client hold`, `CLIENT-HOLD`, `client_hold` -> `clienthold`. */
export function normalizeStatus(status: string): string {
  return status.toLowerCase().replace(/[\s_-]+/g, "");
}

/** RFC 3915 redemption grace and pending delete (RFC 8056 spellings): the name is being deleted. */
const EXPIRED_STATUSES = new Set(["redemptionperiod", "pendingdelete", "pendingrestore"]);
/** RFC 5731 holds and `inactive`: the name does not resolve, mail to it bounces. */
const HOLD_STATUSES = new Set(["clienthold", "serverhold", "inactive"]);

/** Whether a status, in any spelling, means the domain has lapsed (redemption, pending delete or restore). */
export function isLapsedStatus(status: string): boolean {
  return EXPIRED_STATUSES.has(normalizeStatus(status));
}

/** Whether a status, in any spelling, puts the domain on hold. */
export function isHoldStatus(status: string): boolean {
  return HOLD_STATUSES.has(normalizeStatus(status));
}

/** Whether an ISO 8601 date lies before `now`. */
export function isPast(iso: string | undefined, now: Date): boolean {
  if (!iso) return false;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms < now.getTime();
}

/**
 * The state of a domain the registry has a record of, at `now`: expired (a lapse status, or the
 * expiry date passed), on hold, or registered. Unregistered and unknown verdicts pass unchanged.
 * An expiration the registry reports but that is not a date could be in the past: the domain is
 * then not judged (unknown) unless a status already says lapsed or on hold.
 */
export function judgeVerdict(verdict: DomainVerdict, now: Date): DomainVerdict {
  if (verdict.state === "unknown" || verdict.state === "unregistered") return verdict;
  const isExpired = verdict.statuses.some(isLapsedStatus) || isPast(verdict.expires, now);
  const isOnHold = verdict.statuses.some(isHoldStatus);
  if (!isExpired && !isOnHold && verdict.unreadableExpiry !== undefined) {
    return {
      ...verdict,
      state: "unknown",
      errorCode: "malformed",
      error: `${verdict.server ?? "the RDAP server"}: the expiration date ${JSON.stringify(verdict.unreadableExpiry)} is not a date, so the expiry could not be judged`,
    };
  }
  return { ...verdict, state: isExpired ? "expired" : isOnHold ? "on-hold" : "registered" };
}
