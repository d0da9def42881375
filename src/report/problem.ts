// The one JSON shape of a problem reading input (a file, optional line and column, a stable code,
// a message), used by `deps --format json` and by the scan's JSON report alike.
import type { ParseError } from "../types.js";

export interface JsonProblem {
  file: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

/** A problem as JSON, keys in this order; absent positions are left out, never null. */
export function jsonProblem(e: ParseError): JsonProblem {
  return {
    file: e.file,
    ...(e.line === undefined ? {} : { line: e.line }),
    ...(e.column === undefined ? {} : { column: e.column }),
    code: e.code,
    message: e.message,
  };
}
