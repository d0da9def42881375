// Turning a thrown value into one line for a result's `error`: fetch wraps the useful part
// (ECONNRESET, ENOTFOUND, …) in `cause`, so the cause is appended when it adds something.

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
