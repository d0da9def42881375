// The one order of findings: by severity (most severe first), then package, then file and line.
// The assessment sorts once; every reporter shows findings in the order the report holds them.
import { compareSeverity } from "../codes.js";
import type { Finding } from "../types.js";

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy: severity, package, file, line, then kind and domain so ties are stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      cmp(a.package, b.package) ||
      cmp(a.file, b.file) ||
      a.line - b.line ||
      cmp(a.kind, b.kind) ||
      cmp(a.domain ?? "", b.domain ?? ""),
  );
}
