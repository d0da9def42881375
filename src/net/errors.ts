// Turning a thrown value into one line for a result's `error`: fetch wraps the useful part
// (ECONNRESET, ENOTFOUND, …) in `cause`, so the cause is appended when it adds something.
import { PROXY_REFUSED } from "./tunnel.js";

/** `message (CODE cause message)` for an Error with a cause, its message otherwise. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const causeText =
    cause instanceof Error
      ? `${(cause as NodeJS.ErrnoException).code ?? ""} ${cause.message}`.trim()
      : cause
        ? String(cause)
        : "";
  return causeText && causeText !== error.message
    ? `${error.message} (${causeText})`
    : error.message;
}

/** Error codes (of the thrown value or its cause) that mean the connection itself failed. */
const CONNECTION_CODES: Record<string, string> = {
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  EAI_FAIL: "DNS lookup failed",
  ECONNREFUSED: "connection refused",
  UND_ERR_CONNECT_TIMEOUT: "connect timeout",
  ETIMEDOUT: "connect timeout",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENETDOWN: "network unreachable",
  EHOSTDOWN: "host unreachable",
};

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") codes.push(code);
    if (current instanceof AggregateError)
      for (const e of current.errors) {
        const inner = (e as NodeJS.ErrnoException | undefined)?.code;
        if (typeof inner === "string") codes.push(inner);
      }
    current = (current as Error & { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * When a thrown fetch error means the connection could not be made (DNS, refused, connect
 * timeout, unreachable, TLS), a few words saying which ("DNS lookup failed"); else undefined.
 * These are not worth retrying per request.
 */
export function connectionFailure(error: unknown): string | undefined {
  // The proxy's refusal says what it was and what to do (tunnel.ts).
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === PROXY_REFUSED)
    return error.message;
  const proxy = (error as { proxy?: unknown } | undefined)?.proxy;
  const at = typeof proxy === "string" ? ` at the proxy ${proxy}` : "";
  for (const code of errorCodes(error)) {
    const known = CONNECTION_CODES[code];
    if (known) return `${known} (${code})${at}`;
    if (/^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code))
      return `TLS error (${code})${at}`;
  }
  return undefined;
}
