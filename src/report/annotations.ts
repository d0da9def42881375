// Annotations on the lockfile line: errors for failing findings, warnings for the other
// medium-or-worse ones, notices for the rest. GitHub shows at most 10 of each level per step,
// so each level keeps 9 and one notice says how many more there are and where to find them.
import { plainText, unMarkdownCode } from "./escape.js";
import type { Finding, Report } from "../types.js";
import { plural } from "../words.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file: string;
  startLine: number;
}

export interface AnnotationLimits {
  /** Annotations GitHub shows per level and step (10); one notice slot is kept for the summary. */
  perLevel?: number;
  /** Annotations of each level the step has already issued (read problems, notes): they take slots too. */
  used?: Partial<Record<AnnotationLevel, number>>;
}

export const ANNOTATIONS_PER_LEVEL = 10;

function levelOf(f: Finding): AnnotationLevel {
  if (f.failing) return "error";
  if (f.allowed !== undefined || f.introduced === false) return "notice";
  if (f.severity === "critical" || f.severity === "high" || f.severity === "medium")
    return "warning";
  return "notice";
}

function annotate(f: Finding): Annotation {
  const title = `${f.kind}: ${f.package}${f.version !== undefined ? ` ${f.version}` : ""}`;
  const parts = [f.message, f.evidence, f.remediation].filter(
    (s): s is string => s !== undefined && s !== "",
  );
  if (f.allowed) parts.unshift(`Allowed: ${f.allowed.reason}.`);
  else if (f.allowExpired)
    parts.push(`The allow-list entry for this finding expired on ${f.allowExpired.until}.`);
  if (f.introduced === false) parts.unshift("Already present before this change.");
  return {
    level: levelOf(f),
    title: plainText(title, 200),
    message: plainText(unMarkdownCode(parts.join(" ")), 1000),
    file: plainText(f.file, 500),
    startLine: Math.max(1, Math.trunc(f.line) || 1),
  };
}

/**
 * The annotations to publish, most important first within each level. Text is one line with no
 * control characters; workflow-command escaping is left to the toolkit that issues them.
 */
export function buildAnnotations(report: Report, limits: AnnotationLimits = {}): Annotation[] {
  const perLevel = Math.max(1, limits.perLevel ?? ANNOTATIONS_PER_LEVEL);
  // Sorted by severity, so the domains that could not be checked come last among the notices.
  const candidates = report.findings.map(annotate);
  const kept: Annotation[] = [];
  let left = 0;
  for (const level of ["error", "warning", "notice"] as const) {
    const ofLevel = candidates.filter((a) => a.level === level);
    // Each level keeps one slot: errors for the step's failure message, warnings for a later
    // warning (a comment that could not be written), notices for the summary notice.
    const room = Math.max(0, perLevel - 1 - Math.max(0, limits.used?.[level] ?? 0));
    kept.push(...ofLevel.slice(0, room));
    left += Math.max(0, ofLevel.length - room);
  }
  if (left > 0) {
    kept.push({
      level: "notice",
      title: `${plural(left, "more finding")} not annotated`,
      message: `${plural(left, "more finding")} ${left === 1 ? "is" : "are"} in the job summary and the JSON report (GitHub shows at most ${perLevel} annotations of each level per step).`,
      file: kept[0]?.file ?? report.lockfiles[0]?.path ?? ".",
      startLine: kept[0]?.startLine ?? 1,
    });
  }
  return kept;
}
