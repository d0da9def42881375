// Pacing per key (an RDAP origin, or PyPI): how many requests may be in flight, how many may start
// per window once the key has answered 429, and the pause a Retry-After puts on all of them.
// Every method that needs the time takes it as an argument, so the rules can be driven by a test
// clock; waiting is the caller's job.

/**
 * 429s that arrive within this long of the one that set the rate cap were caused by requests
 * already sent under the old rate: they say nothing new. Also the span over which the first 429
 * counts the starts the origin accepted.
 */
export const RATE_WINDOW_MS = 1_000;
/** The window a learned rate cap applies to: a second plus a margin for clock and network jitter. */
export const PACE_WINDOW_MS = 1_050;
/** After this long without a 429, allow one more start per window (probing for a higher rate). */
export const PACE_PROBE_AFTER_MS = 10_000;

/** A request start as the rate cap sees it. */
export interface Start {
  /** Epoch ms; reserved, so possibly in the future. */
  at: number;
  /** Its place in the order of reservations (several may share one millisecond). */
  order: number;
  /** The request failed to get an answer (429, 5xx, timeout, reset). */
  failed: boolean;
}

/**
 * The limit for one key (an RDAP origin, or PyPI): at most `limit` requests in flight, and,
 * once the origin has answered 429, at most `rateCap` request starts in any window of
 * PACE_WINDOW_MS.
 *
 * Backing off is done on the rate, not on the concurrency: registries limit requests per
 * second, so halving concurrency would only lower throughput by latency, while the cap stops
 * the origin's refusals. The cap is learned from the first 429 (the starts the origin accepted
 * in the second before the refused one), lowered by one on each further 429 (one per second at
 * most: 429s for requests already in flight say nothing new), and raised by one after
 * PACE_PROBE_AFTER_MS without a 429, so it recovers when the origin allows more again.
 * A Retry-After pauses every request for the key on top of this (`pausedUntil`).
 */
export class Gate {
  active = 0;
  /** Requests in flight at once; infinite until a request names a limit (see `Gates.for`). */
  limit: number;
  pausedUntil = 0;
  /** Request starts allowed per PACE_WINDOW_MS; infinite until the origin first answers 429. */
  rateCap = Number.POSITIVE_INFINITY;
  /** Request starts within the last window, sorted by time (some reserved in the future). */
  private readonly starts: Start[] = [];
  private reserved = 0;
  private lastThrottleAt = Number.NEGATIVE_INFINITY;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: (() => void)[] = [];

  constructor(max: number) {
    this.limit = max;
  }

  /** Take a slot among the `limit` in flight, waiting in order of arrival when none is free. */
  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Give a slot back, handing it straight to the longest waiter. */
  release(): void {
    this.active--;
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }

  /**
   * Reserve a start within the rate cap: when (epoch ms, `now` or later; the caller waits until
   * then) and its place in the order of reservations.
   */
  reserveStart(now: number): Start {
    const starts = this.starts;
    while (starts.length > 0 && starts[0]!.at <= now - PACE_WINDOW_MS) starts.shift();
    let at = now;
    // Already `rateCap` starts in the window: this one goes a window after the start that
    // would otherwise make it the (rateCap + 1)-th in a window.
    if (starts.length >= this.rateCap)
      at = Math.max(now, starts[starts.length - this.rateCap]!.at + PACE_WINDOW_MS);
    const start: Start = { at, order: this.reserved++, failed: false };
    this.insertByTime(start);
    return start;
  }

  /**
   * The request is being sent now: if waiting for its start ran late, move it to when it really
   * starts, so the starts after it keep a whole window from it.
   */
  markSent(start: Start, now: number): void {
    if (now <= start.at) return;
    this.cancelStart(start);
    start.at = now;
    this.insertByTime(start);
  }

  /** A reserved start that will not be made (the deadline comes first): free its place. */
  cancelStart(start: Start): void {
    const i = this.starts.indexOf(start);
    if (i >= 0) this.starts.splice(i, 1);
  }

  /** The origin answered 429 to the request whose start was `refused`. */
  throttle(now: number, refused: Start): void {
    if (now - this.lastThrottleAt < RATE_WINDOW_MS) return;
    this.lastThrottleAt = now;
    if (Number.isFinite(this.rateCap)) {
      this.rateCap = Math.max(1, this.rateCap - 1);
      return;
    }
    // The first 429: the origin accepted the starts made in the second before the refused one
    // (those still in flight included; those that failed, with a 429 or otherwise, not).
    const accepted = this.starts.filter(
      (s) => !s.failed && s.order < refused.order && s.at > refused.at - RATE_WINDOW_MS,
    ).length;
    // Refused with nothing accepted says nothing about the rate: the Retry-After pause is all.
    if (accepted === 0) return;
    this.rateCap = accepted;
  }

  /** An answer arrived (anything but a 429 or a failure to answer). */
  succeed(now: number): void {
    if (!Number.isFinite(this.rateCap)) return;
    if (now - Math.max(this.lastThrottleAt, this.lastProbeAt) < PACE_PROBE_AFTER_MS) return;
    this.rateCap++;
    this.lastProbeAt = now;
  }

  /** Keep `starts` sorted by time; among equal times, the later insertion goes last. */
  private insertByTime(start: Start): void {
    let i = this.starts.length;
    while (i > 0 && this.starts[i - 1]!.at > start.at) i--;
    this.starts.splice(i, 0, start);
  }
}

/**
 * The gates of one client, one per key. A key's in-flight limit is fixed by the first request
 * that names one: requests sharing a key share one origin's patience, whatever each one asks
 * for. A request that names none (a bootstrap file fetched from the RDAP server's own origin)
 * leaves the limit to the next that does.
 */
export class Gates {
  private readonly byKey = new Map<string, Gate>();

  /** The gate for `key`, made on first use with `limit` (at least 1; default: no limit). */
  for(key: string, limit: number = Number.POSITIVE_INFINITY): Gate {
    let gate = this.byKey.get(key);
    if (!gate) {
      gate = new Gate(Math.max(1, limit));
      this.byKey.set(key, gate);
    } else if (gate.limit === Number.POSITIVE_INFINITY && limit !== Number.POSITIVE_INFINITY) {
      gate.limit = Math.max(1, limit);
    }
    return gate;
  }

  /** The gate for `key` if a request has used it, for reports and tests. */
  get(key: string): Gate | undefined {
    return this.byKey.get(key);
  }
}
