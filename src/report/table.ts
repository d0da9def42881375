// The terminal format: one line per finding grouped by severity, then what was not checked,
// then file errors, then one summary line. Every untrusted string passes through plainText.
import { notACommand, plainPath, plainText } from "./escape.js";
import type { Finding, Report, Severity } from "../types.js";
import { formatParseError, formatSourceContext } from "./deps.js";
import {
  failingLine,
  isNotChecked,
  notCheckedRows,
  shortEvidence,
  statsLine,
  unknownStatusRows,
  verdictLine,
} from "./verdict.js";
import { coverageLimits } from "../assess/lifecycle.js";

export interface TableOptions {
  color?: boolean;
}

const COLORS: Record<Severity | "dim" | "bold", [string, string]> = {
  critical: ["\u001b[1;31m", "\u001b[0m"],
  high: ["\u001b[31m", "\u001b[0m"],
  medium: ["\u001b[33m", "\u001b[0m"],
  low: ["\u001b[36m", "\u001b[0m"],
  info: ["\u001b[2m", "\u001b[0m"],
  dim: ["\u001b[2m", "\u001b[0m"],
  bold: ["\u001b[1m", "\u001b[0m"],
};

/** Pads to `width` by visible length (code points). */
function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - Array.from(text).length));
}

function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function findingCells(f: Finding, report: Report): string[] {
  const name = plainText(f.version !== undefined ? `${f.package} ${f.version}` : f.package, 80);
  let evidence = plainText(shortEvidence(f, report), 100);
  if (f.allowed) evidence = `allowed: ${plainText(f.allowed.reason, 80)}`;
  else if (f.allowExpired)
    evidence = `${evidence} (allowance expired ${plainText(f.allowExpired.until, 20)}: ${plainText(f.allowExpired.reason, 60)})`;
  else if (f.introduced === false) evidence = `${evidence} (already present)`;
  if (f.maintainerName !== undefined && !f.allowed)
    evidence = `${evidence} (maintainer: ${plainText(f.maintainerName, 60)})`;
  return [
    f.severity.toUpperCase(),
    name,
    plainText(f.domain ?? "-", 80),
    f.kind,
    `${plainPath(f.file)}:${f.line}`,
    evidence,
  ];
}

export function renderTable(report: Report, opts: TableOptions = {}): string {
  const paint = (style: keyof typeof COLORS, text: string) =>
    opts.color ? `${COLORS[style][0]}${text}${COLORS[style][1]}` : text;
  const findings = report.findings.filter((f) => !isNotChecked(f));
  const unchecked = notCheckedRows(report);
  const lines: string[] = [];

  if (findings.length > 0) {
    const rows = findings.map((f) => findingCells(f, report));
    const laidOut = columns([
      ["SEVERITY", "PACKAGE", "DOMAIN", "FINDING", "LOCATION", "EVIDENCE"],
      ...rows,
    ]);
    lines.push(paint("bold", laidOut[0] ?? ""));
    let previous: Severity | undefined;
    findings.forEach((f, i) => {
      if (previous !== undefined && previous !== f.severity) lines.push("");
      previous = f.severity;
      const text = laidOut[i + 1] ?? "";
      const label = f.severity.toUpperCase();
      // Colour the severity word only, so the rest stays readable.
      const styled = f.allowed
        ? paint("dim", text)
        : paint(f.severity, label) + text.slice(label.length);
      lines.push(styled);
    });
  }

  if (unchecked.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(paint("bold", "Not checked"));
    const rows = unchecked.map((r) => [
      r.what,
      plainText(r.subject, 80),
      plainText(r.reason, 100),
      r.what !== "package" && r.packages.length > 0
        ? `(${plainText(r.packages.join(", "), 100)})`
        : "",
    ]);
    for (const line of columns(rows)) lines.push(`  ${line}`);
  }

  const limits = coverageLimits(report.domains);
  const unknown = unknownStatusRows(report);
  // A clean run stays one line; the notes come with a table that has something to say.
  if (lines.length > 0 && (limits.length > 0 || unknown.length > 0)) {
    if (lines.length > 0) lines.push("");
    lines.push(paint("bold", "Notes"));
    for (const l of limits)
      lines.push(`  ${plainText(`${l.note} (${l.domains.join(", ")})`, 300)}`);
    for (const u of unknown)
      lines.push(
        `  ${plainText(`${u.domain}: status not recognised, no finding from it: ${u.statuses.join(", ")}`, 300)}`,
      );
  }

  if (report.errors.length > 0) {
    if (lines.length > 0) lines.push("");
    lines.push(paint("bold", "Files with errors"));
    for (const e of report.errors) {
      for (const line of [formatParseError(e), ...formatSourceContext(e)]) lines.push(`  ${line}`);
    }
  }

  const summary = `${plainText(verdictLine(report), 1000)} (${statsLine(report)})`;
  if (lines.length === 0) return `${summary}\n`;
  lines.push("");
  const failing = failingLine(report);
  lines.push(summary + (failing ? `. ${failing}.` : ""));
  if (report.diff?.note) lines.push(plainText(report.diff.note, 300));
  // A CI log reads every line of it: none may begin a workflow command (`::` after spaces).
  return `${lines.map(notACommand).join("\n")}\n`;
}
