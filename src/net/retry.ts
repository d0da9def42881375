// What is tried again and how long to wait first: which statuses are retried, which carry a
// Retry-After worth reading, exponential backoff with jitter, and when to stop. Pure functions:
// the clock and the jitter source are arguments.

/** First backoff step after a failure; doubles each retry, with jitter, clamped to maxRetryWaitMs. */
export const DEFAULT_BACKOFF_BASE_MS = 500;

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (/^\d+\.\d+$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Statuses worth sending again: 429 (slow down) and 5xx (the server failed, not the request).
 * Timeouts, resets and truncated bodies are retried too; they have no status.
 */
export function isRetriedStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501); // 501 Not Implemented is permanent (RFC 7480)
}

/**
 * Whether a retried answer's Retry-After is read: only 429 and 503 define it, so on another 5xx
 * it is ignored and a misbehaving server cannot stretch the backoff.
 */
export function readsRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Backoff before retry number `failures` (1 for the first): exponential from `baseMs`, twice
 * as long after a 429 (the origin said it is overloaded), with jitter in [0.5, 1.5) from `random`
 * so that clients failing together do not retry together.
 */
export function backoffMs(
  failures: number,
  rateLimited: boolean,
  baseMs: number,
  random: () => number,
): number {
  const base = baseMs * (rateLimited ? 2 : 1);
  return Math.round(base * 2 ** (failures - 1) * (0.5 + random()));
}

/** The wait before the next attempt: the server's Retry-After if it gave one, else backoff; never over `maxMs`. */
export function retryWaitMs(input: {
  failures: number;
  status?: number;
  retryAfterMs?: number;
  baseMs: number;
  maxMs: number;
  random: () => number;
}): number {
  const { failures, status, retryAfterMs, baseMs, maxMs, random } = input;
  return Math.min(maxMs, retryAfterMs ?? backoffMs(failures, status === 429, baseMs, random));
}

/** Whether to retry after a failure, and if not, why not. */
export type RetryVerdict = "retry" | "exhausted" | "deadline";

/**
 * Retry unless the retries are used up or the wait would reach the deadline (a wait that ends
 * at the deadline leaves no time to send the request).
 */
export function retryVerdict(input: {
  failures: number;
  retries: number;
  waitMs: number;
  deadlineLeftMs: number;
}): RetryVerdict {
  if (input.failures > input.retries) return "exhausted";
  if (input.waitMs >= input.deadlineLeftMs) return "deadline";
  return "retry";
}
