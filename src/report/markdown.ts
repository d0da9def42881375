// The Markdown report: the CLI's `--format markdown`, the job summary, the PR comment and the
// tracking issue. Verdict first, then tables per lockfile, then what was not checked. Every
// untrusted string goes through escapeMarkdown or inlineCode; the only links are the line links
// we build from a validated relative path. Output stays under maxLength and says what it left out.
import { escapeHtmlText, escapeMarkdown, inlineCode } from "./escape.js";
import { maintainerNote, trackerHref, wantsMaintainerNote } from "./maintainer-note.js";
import { SEVERITIES } from "../codes.js";
import { coverageLimits } from "../assess/lifecycle.js";
import type { Finding, Report } from "../types.js";
import {
  day,
  failingLine,
  incompleteLine,
  isNotChecked,
  notCheckedRows,
  severityCounts,
  shortEvidence,
  statsLine,
  unknownStatusRows,
  verdictLine,
  type NotCheckedRow,
} from "./verdict.js";
import { plural } from "../words.js";

export type MarkdownContext = "summary" | "comment" | "issue";

export interface MarkdownOptions {
  /** Upper bound of the output (summary: 1 MiB in bytes; comment: 65,536 characters). */
  maxLength: number;
  /** How maxLength is measured. Default: bytes for the job summary, characters otherwise. */
  unit?: "chars" | "bytes";
  /** A heading for the document (our own text, not escaped). */
  title?: string;
  /** A hidden marker written as the first line, e.g. `<!-- maintainer-domain-guard -->` (our own text). */
  marker?: string;
  context?: MarkdownContext;
  /** `https://github.com/owner/repo`: with `sha`, locations link to the lockfile line. */
  repoUrl?: string;
  sha?: string;
  /** Where the full list is when rows are left out (our own text); a default per context otherwise. */
  fullReportHint?: string;
  /**
   * `wide`: seven columns (the job summary). `narrow`: four columns that fit the ~780 px
   * conversation column (package@version, finding and severity, domain and evidence, line link).
   * Default: narrow for the comment, wide otherwise.
   */
  layout?: "wide" | "narrow";
  /** A sentence about the change's config file (our own text with untrusted parts): escaped here. */
  configNote?: string;
}

export const COMMENT_MAX_CHARS = 65_536;
const DEFAULT_TITLE = "Maintainer e-mail domains";

const FULL_REPORT_HINT: Record<MarkdownContext | "cli", string> = {
  summary: "the JSON report (the `report-file` output) lists every finding",
  comment: "the job summary of this run and its JSON report list every finding",
  issue: "the job summary of the latest scheduled run and its JSON report list every finding",
  cli: "run with `--format json` for every finding",
};

/** A relative, `/`-separated path of plain segments: safe to put in a URL we build. */
function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.length > 500) return false;
  return path
    .split("/")
    .every((seg) => seg !== "" && seg !== "." && seg !== ".." && /^[A-Za-z0-9._@+ -]+$/.test(seg));
}

function lineLink(file: string, line: number, opts: MarkdownOptions): string {
  const label = `line ${line}`;
  const repo = opts.repoUrl?.replace(/\/+$/, "");
  if (
    repo === undefined ||
    opts.sha === undefined ||
    !/^https?:\/\/[A-Za-z0-9.:-]+(\/[A-Za-z0-9._-]+){2}$/.test(repo) ||
    !/^[0-9a-f]{7,64}$/i.test(opts.sha) ||
    !isSafeRelativePath(file) ||
    !Number.isInteger(line) ||
    line < 1
  ) {
    return label;
  }
  const encoded = file.split("/").map(encodeURIComponent).join("/");
  return `[${label}](${repo}/blob/${opts.sha}/${encoded}#L${line})`;
}

/** One renderable row, in priority order; rows past the budget are left out. */
type Row =
  | { section: "finding"; group: "introduced" | "present" | "all"; finding: Finding }
  | { section: "allowed"; finding: Finding }
  | { section: "not-checked"; row: NotCheckedRow }
  | { section: "error"; index: number }
  | { section: "note"; finding: Finding };

function layoutOf(opts: MarkdownOptions): "wide" | "narrow" {
  return opts.layout ?? (opts.context === "comment" ? "narrow" : "wide");
}

function findingRow(f: Finding, report: Report, opts: MarkdownOptions): string {
  let evidence = escapeMarkdown(shortEvidence(f, report), { maxLength: 160 });
  if (f.maintainerName !== undefined)
    evidence += ` (maintainer: ${escapeMarkdown(f.maintainerName, { maxLength: 80 })})`;
  if (f.allowExpired) {
    evidence += ` (allowance expired ${escapeMarkdown(f.allowExpired.until, { maxLength: 20 })}: ${escapeMarkdown(
      f.allowExpired.reason,
      { maxLength: 120 },
    )})`;
  }
  const severity = f.failing ? `**${f.severity}**` : f.severity;
  if (layoutOf(opts) === "narrow") {
    const name = `${f.package}${f.version !== undefined ? `@${f.version}` : ""}`;
    const domain = f.domain !== undefined ? `${inlineCode(f.domain, { maxLength: 100 })}: ` : "";
    return `| ${inlineCode(name, { maxLength: 120 })} | ${f.kind} (${severity}) | ${domain}${evidence} | ${lineLink(f.file, f.line, opts)} |`;
  }
  return `| ${severity} | ${inlineCode(f.package, { maxLength: 100 })} | ${f.version !== undefined ? inlineCode(f.version, { maxLength: 60 }) : "-"} | ${
    f.domain !== undefined ? inlineCode(f.domain, { maxLength: 100 }) : "-"
  } | ${f.kind} | ${evidence} | ${lineLink(f.file, f.line, opts)} |`;
}

const FINDING_HEADER =
  "| Severity | Package | Version | Maintainer domain | Finding | Evidence | Location |\n| --- | --- | --- | --- | --- | --- | --- |";
const NARROW_HEADER =
  "| Package | Finding | Domain and evidence | Line |\n| --- | --- | --- | --- |";

/** Findings grouped per lockfile, one table each. */
function findingTables(findings: Finding[], report: Report, opts: MarkdownOptions): string[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const out: string[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const rows = byFile.get(file) ?? [];
    out.push(
      `#### ${inlineCode(file, { maxLength: 160, inTable: false })}`,
      "",
      layoutOf(opts) === "narrow" ? NARROW_HEADER : FINDING_HEADER,
      ...rows.map((f) => findingRow(f, report, opts)),
      "",
    );
  }
  return out;
}

function severityTable(findings: Finding[]): string[] {
  const counts = severityCounts(findings);
  if (counts.length === 0) return [];
  const by = new Map(counts.map((c) => [c.severity, c.count]));
  const shown = SEVERITIES.filter((s) => s !== "info");
  return [
    `| ${shown.join(" | ")} |`,
    `| ${shown.map(() => "---:").join(" | ")} |`,
    `| ${shown.map((s) => by.get(s) ?? 0).join(" | ")} |`,
    "",
  ];
}

const SAFE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const SAFE_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function allowSnippet(example: Finding | undefined): string[] {
  const pkg = example && SAFE_NAME.test(example.package) ? example.package : "example-package";
  const domain =
    example?.domain !== undefined && SAFE_DOMAIN.test(example.domain)
      ? example.domain
      : "example.com";
  const kind = example?.kind ?? "domain-expired";
  return [
    "<details><summary>How to allow a finding</summary>",
    "",
    "Once you have checked a finding (for example, the maintainers confirmed they still control the domain), add an entry to `.github/maintainer-domain-guard.yml`; `reason` is required and `until` makes the allowance expire:",
    "",
    "```yaml",
    "allow:",
    `  - package: ${pkg}`,
    `    domain: ${domain}`,
    `    kind: ${kind}`,
    '    reason: "Maintainers confirmed they control the domain"',
    "    until: 2026-12-31",
    "```",
    "",
    "</details>",
    "",
  ];
}

/** Coverage limits and registry statuses shown at most this many times (they are not rows to cut). */
const MAX_NOTES = 10;

/**
 * What the registries' answers limit or leave open, in two folded blocks: the TLDs whose
 * registry publishes no expiry (once per TLD), and the status words not in the lapse
 * vocabulary, listed under their domain. Bounded, so they fit beside any row budget.
 */
function lifecycleNotes(report: Report): string[] {
  const out: string[] = [];
  const limits = coverageLimits(report.domains);
  if (limits.length > 0) {
    out.push(`<details><summary>Coverage limits (${plural(limits.length, "TLD")})</summary>`, "");
    for (const l of limits.slice(0, MAX_NOTES)) {
      const names = l.domains
        .slice(0, 5)
        .map((d) => inlineCode(d, { maxLength: 100, inTable: false }))
        .join(", ");
      const more = l.domains.length > 5 ? `, and ${l.domains.length - 5} more` : "";
      out.push(`- ${escapeMarkdown(l.note, { maxLength: 300 })} (${names}${more})`);
    }
    if (limits.length > MAX_NOTES) out.push(`- and ${limits.length - MAX_NOTES} more TLDs`);
    out.push("", "</details>", "");
  }
  const unknown = unknownStatusRows(report);
  if (unknown.length > 0) {
    out.push(
      `<details><summary>Registry statuses not recognised (${plural(unknown.length, "domain")})</summary>`,
      "",
      "These status words are not in the lapse vocabulary; they produce no finding by themselves.",
      "",
    );
    for (const u of unknown.slice(0, MAX_NOTES)) {
      out.push(`- ${inlineCode(u.domain, { maxLength: 100, inTable: false })}`);
      for (const status of u.statuses.slice(0, 5))
        out.push(`  - ${inlineCode(status, { maxLength: 100, inTable: false })}`);
      if (u.statuses.length > 5) out.push(`  - and ${u.statuses.length - 5} more`);
    }
    if (unknown.length > MAX_NOTES) out.push(`- and ${unknown.length - MAX_NOTES} more domains`);
    out.push("", "</details>", "");
  }
  return out;
}

/** One collapsed block: the tracker link (when the metadata names one) and the issue text. */
function noteBlock(f: Finding, report: Report): string[] {
  const note = maintainerNote(f, report);
  // Raw HTML: Markdown is not read inside `<summary>`, so it is escaped as HTML text.
  const who =
    f.maintainerName !== undefined
      ? ` (${escapeHtmlText(f.maintainerName, { maxLength: 80 })})`
      : "";
  const summary = `Tell the maintainers of ${escapeHtmlText(f.package, { maxLength: 100 })}${who}: ${f.kind}, ${escapeHtmlText(f.domain ?? "", { maxLength: 100 })}`;
  const href = trackerHref(f.tracker);
  const text = [`Title: ${note.title}`, "", ...note.lines].join("\n");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [
    `<details><summary>${summary}</summary>`,
    "",
    href !== undefined
      ? `Open an issue in the [package's issue tracker](${href}) (${inlineCode(new URL(href).host, { maxLength: 100, inTable: false })}) with this text:`
      : "The package's metadata names no issue tracker; its PyPI project page lists the maintainers. The text:",
    "",
    `${fence}text`,
    text,
    fence,
    "",
    "</details>",
    "",
  ];
}

function measure(text: string, unit: "chars" | "bytes"): number {
  return unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.length;
}

/** Every row in the order it is kept when space runs out: most important first. */
function prioritisedRows(report: Report): Row[] {
  const shown = report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined);
  const rows: Row[] = [];
  if (report.diff) {
    for (const f of shown)
      if (f.introduced !== false)
        rows.push({ section: "finding", group: "introduced", finding: f });
    for (const f of shown)
      if (f.introduced === false) rows.push({ section: "finding", group: "present", finding: f });
  } else {
    for (const f of shown) rows.push({ section: "finding", group: "all", finding: f });
  }
  for (const row of notCheckedRows(report)) rows.push({ section: "not-checked", row });
  for (const f of report.findings.filter((f) => f.allowed !== undefined))
    rows.push({ section: "allowed", finding: f });
  report.errors.forEach((_, index) => rows.push({ section: "error", index }));
  // The notes for the maintainers come last: they are the first to go when space runs out.
  const noted = new Set<string>();
  for (const f of shown) {
    const key = `${f.package}\u0000${f.kind}\u0000${f.domain ?? ""}`;
    if (!wantsMaintainerNote(f) || noted.has(key)) continue;
    noted.add(key);
    rows.push({ section: "note", finding: f });
  }
  return rows;
}

function render(report: Report, rows: Row[], kept: number, opts: MarkdownOptions): string {
  const context = opts.context;
  const keep = rows.slice(0, kept);
  const left = rows.length - keep.length;
  const out: string[] = [];
  if (opts.marker !== undefined) out.push(opts.marker);
  out.push(`## ${opts.title ?? DEFAULT_TITLE}`, "");
  out.push(`**${escapeMarkdown(verdictLine(report), { maxLength: 500 })}.**`, "");
  const failing = failingLine(report);
  const incomplete = incompleteLine(report);
  out.push(
    failing
      ? `:x: ${failing}.`
      : incomplete
        ? `:x: This run fails: ${escapeMarkdown(incomplete, { maxLength: 500 })}.`
        : context === "issue" && report.failOn === "never"
          ? ":information_source: Reporting only (fail-on: never): the scheduled run does not fail on these findings."
          : `:white_check_mark: Nothing fails this run (fail-on: ${report.failOn}).`,
    "",
  );
  const active = report.findings.filter((f) => !isNotChecked(f) && f.allowed === undefined);
  out.push(...severityTable(active));
  if (report.diff?.note) out.push(`> ${escapeMarkdown(report.diff.note, { maxLength: 300 })}`, "");
  if (opts.configNote !== undefined)
    out.push(`> :warning: ${escapeMarkdown(opts.configNote, { maxLength: 500 })}`, "");

  const findingsOf = (group: "introduced" | "present" | "all") =>
    keep.flatMap((r) => (r.section === "finding" && r.group === group ? [r.finding] : []));
  if (report.diff) {
    const introduced = findingsOf("introduced");
    const present = findingsOf("present");
    if (introduced.length > 0)
      out.push("### Introduced by this change", "", ...findingTables(introduced, report, opts));
    if (present.length > 0) {
      out.push(
        "### Already present",
        "",
        "These packages were already pinned before this change; they do not fail this pull request.",
        "",
        ...findingTables(present, report, opts),
      );
    }
  } else {
    const all = findingsOf("all");
    if (all.length > 0) out.push("### Findings", "", ...findingTables(all, report, opts));
  }

  const notChecked = keep.flatMap((r) => (r.section === "not-checked" ? [r.row] : []));
  if (notChecked.length > 0) {
    out.push(
      "### Not checked",
      "",
      "| Domain, package or address | Reason | Packages |",
      "| --- | --- | --- |",
    );
    for (const r of notChecked) {
      const packages =
        r.what !== "package"
          ? r.packages
              .slice(0, 10)
              .map((p) => inlineCode(p, { maxLength: 100 }))
              .join(", ") + (r.packages.length > 10 ? `, and ${r.packages.length - 10} more` : "")
          : "-";
      out.push(
        `| ${r.what} ${inlineCode(r.subject, { maxLength: 100 })} | ${escapeMarkdown(r.reason, { maxLength: 200 })} | ${packages || "-"} |`,
      );
    }
    out.push("");
  }

  const notes = keep.flatMap((r) => (r.section === "note" ? [r.finding] : []));
  if (notes.length > 0) {
    out.push(
      "### Tell the maintainers",
      "",
      "Each block holds an issue text to paste into the package's tracker, so that its maintainers can fix the account.",
      "",
    );
    for (const f of notes) out.push(...noteBlock(f, report));
  }

  out.push(...lifecycleNotes(report));

  const allowed = keep.flatMap((r) => (r.section === "allowed" ? [r.finding] : []));
  if (allowed.length > 0) {
    out.push(
      "### Allowed",
      "",
      "| Package | Maintainer domain | Finding | Reason | Until | Location |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const f of allowed) {
      out.push(
        `| ${inlineCode(f.package, { maxLength: 100 })} | ${f.domain !== undefined ? inlineCode(f.domain, { maxLength: 100 }) : "-"} | ${f.kind} | ${escapeMarkdown(f.allowed?.reason ?? "", { maxLength: 200 })} | ${
          f.allowed?.until !== undefined
            ? escapeMarkdown(day(f.allowed.until) ?? "", { maxLength: 20 })
            : "-"
        } | ${inlineCode(f.file, { maxLength: 120 })} ${lineLink(f.file, f.line, opts)} |`,
      );
    }
    out.push("");
  }

  const errors = keep
    .flatMap((r) => (r.section === "error" ? [report.errors[r.index]] : []))
    .filter((e) => e !== undefined);
  if (errors.length > 0) {
    out.push("### Files with errors", "", "| File | Error | Code |", "| --- | --- | --- |");
    for (const e of errors) {
      const where =
        e.line !== undefined
          ? `${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ""}`
          : e.file;
      out.push(
        `| ${inlineCode(where, { maxLength: 160 })} | ${escapeMarkdown(e.message, { maxLength: 200 })} | ${inlineCode(e.code, { maxLength: 40 })} |`,
      );
    }
    out.push("");
  }

  if (left > 0) {
    const hint = opts.fullReportHint ?? FULL_REPORT_HINT[context ?? "cli"];
    out.push(
      `_${plural(left, "row")} left out to stay within ${opts.maxLength.toLocaleString("en-US")} ${unitOf(opts) === "bytes" ? "bytes" : "characters"}; ${hint}._`,
      "",
    );
  }

  if (report.lockfiles.length > 0) {
    const files = report.lockfiles.slice(0, 50);
    out.push(`<details><summary>Scanned ${plural(report.lockfiles.length, "file")}</summary>`, "");
    for (const l of files)
      out.push(
        `- ${inlineCode(l.path, { maxLength: 160, inTable: false })} (${l.format}, ${plural(l.count, "dependency", "dependencies")})`,
      );
    if (report.lockfiles.length > files.length)
      out.push(`- and ${report.lockfiles.length - files.length} more`);
    out.push("", "</details>", "");
  }
  if (active.length > 0 || report.findings.some((f) => f.allowed !== undefined))
    out.push(...allowSnippet(active[0]));
  out.push(
    `<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version}`, { maxLength: 80 })}: ${escapeMarkdown(statsLine(report), { maxLength: 200 })}.</sub>`,
  );
  return `${out.join("\n")}\n`;
}

function unitOf(opts: MarkdownOptions): "chars" | "bytes" {
  return opts.unit ?? (opts.context === "summary" ? "bytes" : "chars");
}

/** The Markdown report, at most `opts.maxLength` long (characters or bytes, see `unit`). */
export function renderMarkdown(report: Report, opts: MarkdownOptions): string {
  const unit = unitOf(opts);
  const rows = prioritisedRows(report);
  const full = render(report, rows, rows.length, opts);
  if (measure(full, unit) <= opts.maxLength) return full;
  // Keep as many rows as fit: the length grows with the rows kept, so a binary search finds it.
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(render(report, rows, mid, opts), unit) <= opts.maxLength) lo = mid;
    else hi = mid - 1;
  }
  const best = render(report, rows, lo, opts);
  if (measure(best, unit) <= opts.maxLength) return best;
  return hardCut(best, opts.maxLength, unit);
}

/** Last resort for a tiny limit: whole lines only, then a note, never past the limit. */
function hardCut(text: string, max: number, unit: "chars" | "bytes"): string {
  const note = "\n_Cut to fit the size limit._\n";
  const lines = text.split("\n");
  let out = "";
  for (const line of lines) {
    const next = `${out}${line}\n`;
    if (measure(next + note, unit) > max) break;
    out = next;
  }
  const result = out + note;
  return measure(result, unit) <= max ? result : "";
}
