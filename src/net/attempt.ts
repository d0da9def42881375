// One attempt: send the request, read the body under the same timer, and sort the outcome into
// done, redirect, or retry. Whether a retry happens, and when, is the caller's decision.
import { BodyTooLarge, discardBody, readCappedBody } from "./body.js";
import { connectionFailure, describeError } from "./errors.js";
import type { HttpErrorCode, HttpResult } from "./result.js";
import type { AnswerHeaders, Transport, TransportResponse } from "./transport.js";
import { isRetriedStatus, parseRetryAfter, readsRetryAfter } from "./retry.js";

/** A failed result of one attempt; the caller fills in `attempts`. */
export type Failure = Extract<HttpResult, { ok: false }>;

/** One attempt's outcome before the retry decision. */
export type Attempt =
  | { type: "done"; result: HttpResult }
  | { type: "redirect"; location: string }
  /** `noAnswer`: nothing came back (a timeout, a connection cut before any answer): why. */
  | { type: "retry"; result: Failure; retryAfterMs?: number; noAnswer?: string }
  /** The connection could not be made (DNS, refused, connect timeout, TLS): not retried. */
  | { type: "unreachable"; result: Failure; reason: string };

export interface AttemptRequest {
  transport: Transport;
  userAgent: string;
  url: URL;
  accept: string;
  /** From sending to the last byte of the body. */
  timeoutMs: number;
  /** The timeout is the scan deadline's, not the policy's: running out is `deadline`, not retried. */
  cutByDeadline: boolean;
  maxBodyBytes: number;
  now: () => number;
  /** More request headers (see GetOptions.headers). */
  headers?: Record<string, string>;
  /** Reads a 2xx body instead of `readCappedBody` (see GetOptions.consume). */
  consume?: (response: TransportResponse) => Promise<unknown>;
  /** Sent as `Authorization` (credentials of the index), never printed. */
  authorization?: string;
  /** A stop request: the attempt ends as `interrupted`. */
  signal?: AbortSignal;
}

/** What a failure of this attempt carries besides its code and message. */
type FailureExtra = { status?: number; headers?: AnswerHeaders; body?: string };

/** Send one request and read its body under one timer. Never throws. */
export async function sendOnce(req: AttemptRequest): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const href = req.url.href;
  // The stop request ends this attempt too; its listener goes with the attempt (AbortSignal.any
  // would leave one on the run's signal per request, and Node warns past ten).
  const stop = req.signal;
  const onStop = () => controller.abort();
  if (stop?.aborted) controller.abort();
  else stop?.addEventListener("abort", onStop, { once: true });
  const signal = controller.signal;
  const fail = (code: HttpErrorCode, error: string, extra?: FailureExtra): Failure =>
    failure(href, code, error, extra);
  try {
    let response: TransportResponse;
    const sentAt = req.now();
    try {
      response = await req.transport({
        url: req.url,
        signal,
        headers: {
          // The origin's credentials first: a request that brings its own (a private index's
          // `index-token` or userinfo, on the same host as pypi-url) is sent with those.
          ...(req.authorization ? { authorization: req.authorization } : {}),
          ...req.headers,
          accept: req.accept,
          "user-agent": req.userAgent,
        },
      });
    } catch (error) {
      if (req.signal?.aborted) {
        return { type: "done", result: fail("interrupted", `stopped before ${href} answered`) };
      }
      if (timedOut && req.cutByDeadline) {
        return {
          type: "done",
          result: fail("deadline", `the scan deadline passed while waiting for ${href}`),
        };
      }
      if (timedOut)
        return {
          type: "retry",
          result: fail("timeout", `no answer from ${href} within ${req.timeoutMs} ms`),
          noAnswer: `no answer within ${req.timeoutMs} ms`,
        };
      const unreachable = connectionFailure(error);
      if (unreachable) {
        return {
          type: "unreachable",
          result: fail("unreachable", `${req.url.host} unreachable: ${unreachable}`),
          reason: unreachable,
        };
      }
      // Cut before any answer (a reset, a closed connection): no sign the origin is alive.
      return {
        type: "retry",
        result: fail("network", `request to ${href} failed: ${describeError(error)}`),
        noAnswer: `no answer (${describeError(error)})`,
      };
    }
    const { status, headers } = response;
    if (status >= 300 && status < 400 && status !== 304) {
      await discardBody(response);
      const location = headers.get("location");
      if (location) return { type: "redirect", location };
      return {
        type: "done",
        result: fail("http-status", `${href} answered ${status} without a Location`, {
          status,
          headers,
        }),
      };
    }
    if (isRetriedStatus(status)) {
      await discardBody(response);
      return refused(req, response);
    }
    if (status === 304 && isConditional(req.headers)) {
      // Not modified: what the caller holds is still current. A success, never an HTTP error.
      await discardBody(response);
      return {
        type: "done",
        result: { ok: true, status, url: href, headers, body: "", attempts: 0 },
      };
    }
    let body = "";
    let value: unknown;
    try {
      if (req.consume && status >= 200 && status < 300) value = await req.consume(response);
      else body = await readCappedBody(response, req.maxBodyBytes);
    } catch (error) {
      const extra = { status, headers };
      if (error instanceof BodyTooLarge) {
        return { type: "done", result: fail("too-large", `${href}: ${error.message}`, extra) };
      }
      if (timedOut && req.cutByDeadline) {
        return {
          type: "done",
          result: fail("deadline", `the scan deadline passed while reading ${href}`, extra),
        };
      }
      if (timedOut) {
        // Headers without the body they promise is no answer either: an origin that only ever
        // trickles is given up on as one that never answers (see HttpClient.failed).
        return {
          type: "retry",
          result: fail(
            "timeout",
            `the body of ${href} did not arrive within ${req.timeoutMs} ms`,
            extra,
          ),
          noAnswer: `the headers came but not the body, within ${req.timeoutMs} ms`,
        };
      }
      return {
        type: "retry",
        result: fail("network", `the body of ${href} was cut off: ${describeError(error)}`, extra),
      };
    }
    if (status >= 200 && status < 300) {
      const ms = req.now() - sentAt;
      const result = { ok: true as const, status, url: href, headers, body, attempts: 0, ms };
      return { type: "done", result: req.consume ? { ...result, value } : result };
    }
    return {
      type: "done",
      result: fail("http-status", `${href} answered ${status}`, { status, headers, body }),
    };
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener("abort", onStop);
  }
}

/** Whether the request asked "only if changed" (then a 304 means: keep what you have). */
function isConditional(headers: Record<string, string> | undefined): boolean {
  return headers?.["if-none-match"] !== undefined || headers?.["if-modified-since"] !== undefined;
}

/** A 429 or 5xx: retried, with the wait the server asked for when its status defines one. */
function refused(req: AttemptRequest, response: TransportResponse): Attempt {
  const { status, headers } = response;
  const retryAfterMs = readsRetryAfter(status)
    ? parseRetryAfter(headers.get("retry-after"), req.now())
    : undefined;
  const code: HttpErrorCode = status === 429 ? "rate-limited" : "server-error";
  const what = status === 429 ? "rate-limited the request" : `answered ${status}`;
  const after = headers.get("retry-after");
  const error = `${req.url.origin} ${what}${after ? ` (Retry-After: ${after.slice(0, 40)})` : ""}`;
  return {
    type: "retry",
    result: failure(req.url.href, code, error, { status, headers }),
    retryAfterMs,
  };
}

function failure(href: string, code: HttpErrorCode, error: string, extra?: FailureExtra): Failure {
  return { ok: false, url: href, code, error, attempts: 0, ...extra };
}
