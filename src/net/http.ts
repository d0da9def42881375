// The one HTTP request policy: timeouts (headers and body), retries with backoff and jitter,
// Retry-After, a body-size cap (also after decompression), redirects with loop detection, an
// limit per key (default: the URL's origin) on requests in flight and, once the key has answered
// 429, on request starts per window (learned from the 429s, see Gate), and a scan-wide deadline.
// `get` never throws: every outcome is an HttpResult with a stable code.
//
// This module holds the public types and the loop that composes the parts: pacing.ts (slots and
// start rate per key), attempt.ts (one request and its body), body.ts (the size cap), retry.ts
// (what is retried and how long to wait), url.ts (http(s) only, redirects).
import { setMaxListeners } from "node:events";
import type { HttpResult } from "./result.js";
export type { HttpErrorCode, HttpResult } from "./result.js";
import { sendOnce, type Attempt, type Failure } from "./attempt.js";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { describeError } from "./errors.js";
import { Gates, PACE_WINDOW_MS, type Gate } from "./pacing.js";
import { DEFAULT_BACKOFF_BASE_MS, retryVerdict, retryWaitMs } from "./retry.js";
import { defaultSleep } from "./sleep.js";
import type { Transport, TransportResponse } from "./transport.js";
import { decodeUserinfo, parseRequestUrl, RedirectTrail } from "./url.js";
import { redactUrl } from "../words.js";

export { DEFAULT_MAX_BODY_BYTES } from "./body.js";
export { DEFAULT_BACKOFF_BASE_MS, parseRetryAfter } from "./retry.js";
export { MAX_REDIRECTS } from "./url.js";

export type RequestKind = "pypi" | "rdap" | "bootstrap";

/** After this many failures of an origin with no success, nothing more is sent to it. */
export const FAIL_FAST_AFTER = 3;

/** Statuses that mean "you may not", not "try again": they count towards giving up an origin. */
const ACCESS_STATUSES = new Set([401, 403, 407]);

/** An origin given up on: said once through `onOriginDown`. */
export interface OriginDown {
  origin: string;
  /** `pypi.org`, for messages. */
  host: string;
  kind: RequestKind;
  /** "DNS lookup failed (ENOTFOUND)", "no answer within 15000 ms", "HTTP 401". */
  reason: string;
  /** For 401/403/407. */
  status?: number;
}

/** Credentials sent as `Authorization` to one origin (never printed). */
export interface OriginCredentials {
  origin: string;
  /** The whole header value: `Basic …` or `Bearer …`. */
  authorization: string;
}

export interface HttpPolicy {
  /** How requests are sent: `directTransport()`, or `transportForEnv` with a proxy. */
  transport: Transport;
  userAgent: string;
  /** One request, from sending it to the last byte of its body, milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts, resets and truncated bodies. */
  retries: number;
  /** The longest single wait (Retry-After or backoff), milliseconds. */
  maxRetryWaitMs: number;
  /** Default 5 MiB; also enforced after decompression. */
  maxBodyBytes?: number;
  /** Epoch ms: no request is sent and no wait runs past it. */
  deadlineAt?: number;
  /** Default 500 ms. */
  backoffBaseMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1); inject a fixed one in tests. */
  random?: () => number;
  /** A stop request: nothing more is sent, waits end, results are `interrupted`. */
  signal?: AbortSignal;
  /** Credentials per origin; a URL's own `user:password@` is sent as Basic to its origin. */
  credentials?: readonly OriginCredentials[];
  /** Called once per origin given up on (default after FAIL_FAST_AFTER failures, no success). */
  onOriginDown?: (down: OriginDown) => void;
  /** Failures with no success before an origin is given up on; default FAIL_FAST_AFTER. */
  failFastAfter?: number;
}

/** How an origin has done this run. */
interface OriginHealth {
  successes: number;
  failures: number;
  down?: { code: "unreachable" | "refused"; error: string; status?: number };
  inFlight: number;
  /** A retry wait in progress: the status that caused it and when it ends (epoch ms). */
  waiting?: { status?: number; until: number; what: string };
}

export interface GetOptions {
  kind: RequestKind;
  accept?: string;
  /** Limit in-flight requests sharing `key` (default key: the URL's origin, default limit: none). */
  concurrency?: { key: string; limit: number };
  /**
   * More request headers (lower-case names): `if-none-match` / `if-modified-since` make a 304 a
   * success with an empty body; `authorization` is sent to the first URL's origin only, never
   * after a redirect to another origin.
   */
  headers?: Record<string, string>;
  /**
   * Read a 2xx body as a stream instead of as text under `maxBodyBytes`: called within the same
   * attempt (one timer from sending to the last byte), its result is `value`. A stream that
   * breaks or times out is retried like a body that was cut off; the consumer caps its own size.
   */
  consume?: (response: TransportResponse) => Promise<unknown>;
  /**
   * Whether a redirect from `from` to `to` may be followed; one that may not is not requested:
   * the result is `redirect-refused`, with `url` the refused target. Default: any http(s) one.
   */
  redirectAllowed?: (from: URL, to: URL) => boolean;
}

export interface HttpStats {
  pypi: number;
  rdap: number;
  bootstrap: number;
  /** Requests sent again after a failure (already counted in their kind). */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Redirects followed (each is also a request counted in its kind). */
  redirects: number;
}

/** What the loop in `run` keeps across the attempts of one `get`. */
interface RunState {
  /** The URL asked for (credentials in `GetOptions.headers` are for its origin only). */
  readonly first: URL;
  current: URL;
  readonly trail: RedirectTrail;
  attempts: number;
  failures: number;
  /** The latest origin-wide pause this request has already waited out. */
  pauseHonoured: number;
}

export class HttpClient {
  readonly stats: HttpStats = {
    pypi: 0,
    rdap: 0,
    bootstrap: 0,
    retries: 0,
    rateLimited: 0,
    redirects: 0,
  };
  private readonly gates = new Gates();
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly maxBodyBytes: number;
  private readonly health = new Map<string, OriginHealth>();
  private readonly credentials = new Map<string, string>();
  /**
   * The stop request as every attempt in flight listens to it: one listener on the run's signal,
   * and as many here as requests are in flight (each removed when its attempt ends).
   */
  private readonly stopped?: AbortSignal;

  constructor(private readonly policy: HttpPolicy) {
    if (policy.signal) {
      const stop = new AbortController();
      setMaxListeners(0, stop.signal);
      if (policy.signal.aborted) stop.abort();
      else policy.signal.addEventListener("abort", () => stop.abort(), { once: true });
      this.stopped = stop.signal;
    }
    this.now = policy.now ?? Date.now;
    this.sleep = policy.sleep ?? defaultSleep;
    this.random = policy.random ?? Math.random;
    this.maxBodyBytes = policy.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    for (const c of policy.credentials ?? []) this.credentials.set(c.origin, c.authorization);
  }

  private originHealth(origin: string): OriginHealth {
    let h = this.health.get(origin);
    if (!h) {
      h = { successes: 0, failures: 0, inFlight: 0 };
      this.health.set(origin, h);
    }
    return h;
  }

  /** Origins given up on this run. */
  originsDown(): string[] {
    return [...this.health].filter(([, h]) => h.down).map(([o]) => o);
  }

  /**
   * What the run is waiting on right now, for a heartbeat line: a retry wait ("rdap.example
   * (429, retry in 2 s)") before requests in flight ("pypi.org (16 in flight)"); undefined when idle.
   */
  waitingOn(): string | undefined {
    const now = this.now();
    let retry: { host: string; status?: number; left: number; what: string } | undefined;
    let busiest: { host: string; n: number } | undefined;
    for (const [origin, h] of this.health) {
      const host = hostOf(origin);
      if (h.waiting && h.waiting.until > now && (!retry || h.waiting.until - now > retry.left))
        retry = {
          host,
          status: h.waiting.status,
          left: h.waiting.until - now,
          what: h.waiting.what,
        };
      if (h.inFlight > 0 && (!busiest || h.inFlight > busiest.n)) busiest = { host, n: h.inFlight };
    }
    if (retry) {
      const why = retry.status ? String(retry.status) : retry.what;
      return `${retry.host} (${why}, retry in ${Math.max(1, Math.ceil(retry.left / 1000))} s)`;
    }
    return busiest ? `${busiest.host} (${busiest.n} in flight)` : undefined;
  }

  /** An answer from the origin (any status but 401/403/407): it is alive. */
  private succeeded(origin: string): void {
    this.originHealth(origin).successes++;
  }

  /** A failure that counts towards giving the origin up; says so once when it does. */
  private failed(
    url: URL,
    kind: RequestKind,
    code: "unreachable" | "refused",
    reason: string,
    status?: number,
  ): void {
    const h = this.originHealth(url.origin);
    h.failures++;
    if (h.down || h.successes > 0) return;
    if (h.failures < (this.policy.failFastAfter ?? FAIL_FAST_AFTER)) return;
    const error =
      code === "refused"
        ? `${url.host} refused access: ${reason}`
        : `${url.host} unreachable: ${reason}`;
    h.down = { code, error, ...(status !== undefined ? { status } : {}) };
    this.policy.onOriginDown?.({
      origin: url.origin,
      host: url.host,
      kind,
      reason,
      ...(status !== undefined ? { status } : {}),
    });
  }

  /** The result for a request to an origin given up on, or undefined when it is still asked. */
  private downResult(state: RunState): HttpResult | undefined {
    const down = this.health.get(state.current.origin)?.down;
    if (!down) return undefined;
    return {
      ok: false,
      url: state.current.href,
      code: down.code,
      error: down.error,
      attempts: state.attempts,
      ...(down.status !== undefined ? { status: down.status } : {}),
    };
  }

  /** The concurrency limit of a key (requests in flight), for reports and tests. */
  currentLimit(key: string): number | undefined {
    return this.gates.get(key)?.limit;
  }

  /**
   * The rate cap of a key: request starts allowed per `windowMs`, learned from its 429s
   * (infinite until the first one), for reports and tests.
   */
  currentRateCap(key: string): { starts: number; windowMs: number } | undefined {
    const gate = this.gates.get(key);
    return gate && { starts: gate.rateCap, windowMs: PACE_WINDOW_MS };
  }

  async get(url: string, opts: GetOptions): Promise<HttpResult> {
    try {
      return await this.run(url, opts);
    } catch (error) {
      // Defensive: run() handles every failure it knows; anything else is still a result.
      return {
        ok: false,
        url: redactUrl(url),
        code: "network",
        error: redactUrl(describeError(error)),
        attempts: 0,
      };
    }
  }

  private gateFor(url: URL, opts: GetOptions): Gate {
    return this.gates.for(opts.concurrency?.key ?? url.origin, opts.concurrency?.limit);
  }

  /**
   * Attempts until one is done, a redirect leads nowhere, retries run out or the deadline comes.
   * Each pass: wait for a slot, honour a pause the origin asked for, wait for the rate cap, send.
   */
  private async run(url: string, opts: GetOptions): Promise<HttpResult> {
    const parsed = parseRequestUrl(url);
    if (!parsed.ok)
      return {
        ok: false,
        url: redactUrl(url),
        code: parsed.code,
        error: redactUrl(parsed.error),
        attempts: 0,
      };
    if (parsed.url.username || parsed.url.password) {
      // `user:password@` cannot be sent in a URL: it goes as Basic to that origin, never printed.
      const basic = `${decodeUserinfo(parsed.url.username)}:${decodeUserinfo(parsed.url.password)}`;
      parsed.url.username = "";
      parsed.url.password = "";
      if (!this.credentials.has(parsed.url.origin))
        this.credentials.set(
          parsed.url.origin,
          `Basic ${Buffer.from(basic, "utf8").toString("base64")}`,
        );
    }
    const state: RunState = {
      first: parsed.url,
      current: parsed.url,
      trail: new RedirectTrail(parsed.url),
      attempts: 0,
      failures: 0,
      pauseHonoured: 0,
    };
    for (;;) {
      if (this.policy.signal?.aborted) {
        return {
          ok: false,
          url: state.current.href,
          code: "interrupted",
          error: `stopped before ${state.current.href} was ${state.attempts ? "retried" : "requested"}`,
          attempts: state.attempts,
        };
      }
      const gaveUpOn = this.downResult(state);
      if (gaveUpOn) return gaveUpOn;
      if (this.deadlineLeft() <= 0) {
        const what = state.attempts ? "retried" : "requested";
        return this.deadlineResult(
          state,
          `the scan deadline passed before ${state.current.href} could be ${what}`,
        );
      }
      const gate = this.gateFor(state.current, opts);
      await gate.acquire();
      if (this.downResult(state) || this.policy.signal?.aborted) {
        // Given up on (or stopped) while this request waited for a slot.
        gate.release();
        continue;
      }
      const pause = gate.pausedUntil - this.now();
      if (pause > 0 && gate.pausedUntil > state.pauseHonoured) {
        // The origin asked everyone to wait (429/503 with Retry-After): wait without holding a slot.
        gate.release();
        if (pause >= this.deadlineLeft()) {
          // The origin's limit, not the scan's deadline: other origins go on until that comes.
          return this.rateLimitedResult(
            state,
            `${state.current.origin} asked to wait ${Math.ceil(pause / 1000)} s, past the scan deadline`,
          );
        }
        state.pauseHonoured = gate.pausedUntil;
        await this.sleep(Math.min(pause, this.policy.maxRetryWaitMs), this.stopped);
        continue;
      }
      // Waiting for a slot may have used up the time left.
      const timeLeft = this.deadlineLeft();
      if (timeLeft <= 0) {
        gate.release();
        continue;
      }
      const health = this.originHealth(state.current.origin);
      const reservedAt = this.now();
      const start = gate.reserveStart(reservedAt);
      const paceWait = start.at - reservedAt;
      if (paceWait > 0 && paceWait >= timeLeft) {
        gate.cancelStart(start);
        gate.release();
        return this.rateLimitedResult(
          state,
          `${state.current.origin} accepts too few requests per second for this one to be sent before the scan deadline`,
        );
      }
      let outcome: Attempt;
      try {
        // Waiting for the rate cap holds the slot: the origin's rate is the limit now. The wait
        // is the rate's, whole (sending early is what earned the 429s); max-retry-wait caps only
        // what a server asks for, and the deadline was checked above.
        if (paceWait > 0) await this.sleep(paceWait, this.stopped);
        gate.markSent(start, this.now());
        this.countSent(state, opts);
        health.inFlight++;
        try {
          outcome = await this.attemptWithinDeadline(state.current, opts, state.first);
        } finally {
          health.inFlight--;
        }
      } finally {
        gate.release();
      }
      if (outcome.type === "unreachable") {
        this.failed(state.current, opts.kind, "unreachable", outcome.reason);
        return { ...outcome.result, attempts: state.attempts };
      }
      if (outcome.type === "done") {
        const status = outcome.result.ok ? undefined : outcome.result.status;
        if (status !== undefined && ACCESS_STATUSES.has(status)) {
          this.failed(state.current, opts.kind, "refused", `HTTP ${status}`, status);
        } else if (outcome.result.ok || status !== undefined) {
          this.succeeded(state.current.origin);
        }
        gate.succeed(this.now());
        return { ...outcome.result, attempts: state.attempts };
      }
      this.succeededUnlessSilent(state.current, opts.kind, outcome);
      if (outcome.type === "redirect") {
        const refused = this.redirect(state, outcome.location, opts);
        if (refused) return refused;
        continue;
      }
      // A retryable failure.
      start.failed = true;
      state.failures++;
      const failed = { ...outcome.result, attempts: state.attempts };
      if (failed.status === 429) {
        this.stats.rateLimited++;
        gate.throttle(this.now(), start);
      }
      const wait = retryWaitMs({
        failures: state.failures,
        status: failed.status,
        retryAfterMs: outcome.retryAfterMs,
        baseMs: this.policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
        maxMs: this.policy.maxRetryWaitMs,
        random: this.random,
      });
      // The origin asked to slow down: everyone queued for it waits too, not only this request.
      if (outcome.retryAfterMs !== undefined || failed.status === 429) {
        gate.pausedUntil = Math.max(gate.pausedUntil, this.now() + wait);
        state.pauseHonoured = gate.pausedUntil;
      }
      const gaveUp = this.giveUp(state, failed, wait);
      if (gaveUp) return gaveUp;
      const h = this.originHealth(state.current.origin);
      const waiting = { status: failed.status, until: this.now() + wait, what: failed.code };
      h.waiting = waiting;
      await this.sleep(wait, this.stopped);
      if (h.waiting === waiting) delete h.waiting;
    }
  }

  /**
   * A redirect or a retried answer is an answer; a timeout, or a connection cut before any
   * answer, counts as a failure.
   */
  private succeededUnlessSilent(url: URL, kind: RequestKind, outcome: Attempt): void {
    if (outcome.type === "retry" && outcome.noAnswer !== undefined) {
      this.failed(url, kind, "unreachable", outcome.noAnswer);
    } else {
      this.succeeded(url.origin);
    }
  }

  /** Count a request about to be sent: one more attempt, by kind, and a retry after a failure. */
  private countSent(state: RunState, opts: GetOptions): void {
    state.attempts++;
    this.stats[opts.kind]++;
    if (state.failures > 0) this.stats.retries++;
  }

  /** One attempt, its timeout shortened to what is left before the deadline. */
  private attemptWithinDeadline(url: URL, opts: GetOptions, first: URL): Promise<Attempt> {
    const budget = Math.max(1, this.deadlineLeft());
    let headers = opts.headers;
    if (headers?.authorization !== undefined && url.origin !== first.origin) {
      // Credentials belong to the origin they were given for; a redirect elsewhere goes without.
      const { authorization: _dropped, ...rest } = headers;
      headers = rest;
    }
    return sendOnce({
      ...(headers ? { headers } : {}),
      ...(opts.consume ? { consume: opts.consume } : {}),
      transport: this.policy.transport,
      userAgent: this.policy.userAgent,
      url,
      accept: opts.accept ?? "application/json",
      timeoutMs: Math.min(this.policy.timeoutMs, budget),
      cutByDeadline: budget < this.policy.timeoutMs,
      maxBodyBytes: this.maxBodyBytes,
      now: this.now,
      ...(this.credentials.has(url.origin)
        ? { authorization: this.credentials.get(url.origin) as string }
        : {}),
      ...(this.stopped ? { signal: this.stopped } : {}),
    });
  }

  /** Move `state` to the redirect's target; the result to return when it is refused. */
  private redirect(state: RunState, location: string, opts: GetOptions): HttpResult | undefined {
    this.stats.redirects++;
    const hop = state.trail.follow(state.current, location);
    if (!hop.ok) {
      return {
        ok: false,
        url: state.current.href,
        code: hop.code,
        error: hop.error,
        attempts: state.attempts,
      };
    }
    if (opts.redirectAllowed && !opts.redirectAllowed(state.current, hop.next)) {
      return {
        ok: false,
        url: hop.next.href,
        code: "redirect-refused",
        error: `${state.current.href} redirected to ${hop.next.href}, which was not followed`,
        attempts: state.attempts,
      };
    }
    state.current = hop.next;
    return undefined;
  }

  /** The failure to return instead of retrying, when retries are used up or the deadline too close. */
  private giveUp(state: RunState, failed: Failure, wait: number): HttpResult | undefined {
    const verdict = retryVerdict({
      failures: state.failures,
      retries: this.policy.retries,
      waitMs: wait,
      deadlineLeftMs: this.deadlineLeft(),
    });
    if (verdict === "exhausted") {
      const { attempts } = state;
      return {
        ...failed,
        error: `${failed.error}; gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`,
      };
    }
    if (verdict === "deadline") {
      return { ...failed, error: `${failed.error}; not retried: the scan deadline is too close` };
    }
    return undefined;
  }

  private deadlineResult(state: RunState, error: string): HttpResult {
    return this.notSent(state, "deadline", error);
  }

  /** Not sent in time because of the origin's own limit (its Retry-After or learned rate). */
  private rateLimitedResult(state: RunState, error: string): HttpResult {
    return this.notSent(state, "rate-limited", error);
  }

  private notSent(state: RunState, code: "deadline" | "rate-limited", error: string): HttpResult {
    return { ok: false, url: state.current.href, code, error, attempts: state.attempts };
  }

  private deadlineLeft(): number {
    return this.policy.deadlineAt === undefined
      ? Number.POSITIVE_INFINITY
      : this.policy.deadlineAt - this.now();
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
