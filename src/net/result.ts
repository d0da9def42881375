// What one GET through the HTTP policy ends in: the answer, or why there is none. Its own module
// so that the request attempt and the client share it without importing each other.

import type { AnswerHeaders } from "./transport.js";

export type HttpErrorCode =
  | "timeout"
  | "rate-limited"
  | "server-error"
  | "network"
  | "too-large"
  | "redirect-loop"
  | "deadline"
  | "http-status"
  | "bad-url"
  /** The origin could not be reached (DNS, refused, connect timeout, TLS), or stopped being asked. */
  | "unreachable"
  /** The origin refused access (401, 403, 407) and has never answered otherwise. */
  | "refused"
  /** A stop request (SIGINT, SIGTERM, a cancelled job) ended the request. */
  | "interrupted"
  /** A redirect to where the caller does not ask (`GetOptions.redirectAllowed`); `url` is its target. */
  | "redirect-refused";

export type HttpResult =
  | {
      ok: true;
      status: number;
      url: string;
      headers: AnswerHeaders;
      body: string;
      attempts: number;
      /** From sending the request to the last byte of the body, milliseconds (the clock's). */
      ms?: number;
      /** What `GetOptions.consume` made of the body (then `body` is ""). */
      value?: unknown;
    }
  | {
      ok: false;
      status?: number;
      url: string;
      code: HttpErrorCode;
      error: string;
      attempts: number;
      headers?: AnswerHeaders;
      body?: string;
    };
