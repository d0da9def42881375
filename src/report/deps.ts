// `deps` output: what discovery and the parsers found, as JSON or a terminal table. Pure.
import {
  breakLegacyCommands,
  notACommand,
  inertJsonText,
  plainPath,
  plainText,
  stripControl,
} from "./escape.js";
import { jsonProblem } from "./problem.js";
import type { Dependency, DependencySet, ParseError } from "../types.js";
import { plural, redactUrl } from "../words.js";

function jsonDependency(d: Dependency) {
  return {
    name: d.name,
    version: d.version ?? null,
    file: d.file,
    line: d.line,
    format: d.format,
    kind: d.kind,
    // As recorded, credentials dropped; a URL whose password pip would not read as one (a raw
    // `/`, `?` or `#` in it) is hidden up to its last `@` too.
    ...(d.index === undefined ? {} : { index: redactUrl(d.index) }),
  };
}

/** The first line of the table: counts, plurals right. */
export function depsSummary(set: DependencySet): string {
  const read = new Set(set.lockfiles.map((l) => l.path));
  const unreadable = new Set(set.errors.filter((e) => !read.has(e.file)).map((e) => e.file)).size;
  const inRead = set.errors.filter((e) => read.has(e.file)).length;
  let text = `${plural(set.dependencies.length, "dependency", "dependencies")} in ${plural(set.lockfiles.length, "lockfile", "lockfiles")}`;
  if (unreadable > 0) text += `; ${plural(unreadable, "file", "files")} could not be read`;
  if (inRead > 0) text += `; ${plural(inRead, "problem", "problems")} in files that were read`;
  return text;
}

/** `file:line: message [code]`, one line, control characters removed. */
export function formatParseError(e: ParseError): string {
  const where = `${plainPath(e.file)}${e.line === undefined ? "" : `:${e.line}`}${e.column === undefined ? "" : `:${e.column}`}`;
  return `${where}: ${plainText(e.message, 300)} [${plainText(e.code, 60)}]`;
}

/**
 * The source lines an error carries, compiler-style: a gutter with line numbers, `>` on the
 * error's line, and a caret under its column when known. At most three source lines.
 */
export function formatSourceContext(e: ParseError): string[] {
  const context = (e.context ?? []).slice(0, 3);
  if (context.length === 0) return [];
  const width = Math.max(...context.map((c) => String(c.line).length));
  const out: string[] = [];
  for (const c of context) {
    // Tabs become one space so the caret stays under its column; other controls are removed.
    // Indentation is kept (no trim) so the caret lines up; discovery already bounded the width.
    const text = stripControl(c.text.replace(/\t/g, " ")).slice(0, 200).trimEnd();
    const mark = c.line === e.line ? ">" : " ";
    // `##[` broken by a word joiner, which takes no column: the caret still lines up.
    out.push(
      `  ${mark} ${String(c.line).padStart(width)} | ${breakLegacyCommands(text)}`.trimEnd(),
    );
    if (c.line === e.line && c.caret !== undefined && c.caret >= 0 && c.caret <= text.length) {
      out.push(`    ${" ".repeat(width)} | ${" ".repeat(c.caret)}^`);
    }
  }
  return out;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

function renderTable(set: DependencySet): string {
  const out: string[] = [depsSummary(set)];
  const groups = new Map<string, Dependency[]>();
  for (const l of set.lockfiles) groups.set(l.path, []);
  for (const d of set.dependencies) {
    if (!groups.has(d.file)) groups.set(d.file, []);
    groups.get(d.file)!.push(d);
  }
  for (const [path, deps] of groups) {
    const format = set.lockfiles.find((l) => l.path === path)?.format ?? deps[0]?.format ?? "";
    out.push(
      "",
      `${plainPath(path)} (${format}, ${plural(deps.length, "dependency", "dependencies")})`,
    );
    if (deps.length === 0) continue;
    // The INDEX column only when the file names an index other than PyPI for some package.
    const withIndex = deps.some((d) => d.index !== undefined);
    const rows = [["  NAME", "VERSION", "KIND", "LINE", ...(withIndex ? ["INDEX"] : [])]];
    for (const d of deps) {
      rows.push([
        `  ${plainText(d.name, 80)}`,
        d.version === undefined ? "(unpinned)" : plainText(d.version, 60),
        d.kind,
        String(d.line),
        ...(withIndex ? [d.index === undefined ? "pypi" : plainText(redactUrl(d.index), 120)] : []),
      ]);
    }
    out.push(...table(rows));
  }
  if (set.errors.length > 0) {
    out.push("", "Errors:");
    for (const e of set.errors) out.push(formatParseError(e), ...formatSourceContext(e));
  }
  // A CI log reads every line of it: none may begin a workflow command (`::` after spaces).
  return `${out.map(notACommand).join("\n")}\n`;
}

export function renderDeps(set: DependencySet, format: "json" | "table"): string {
  if (format === "table") return renderTable(set);
  const body = {
    dependencies: set.dependencies.map(jsonDependency),
    lockfiles: set.lockfiles.map((l) => ({ path: l.path, format: l.format, count: l.count })),
    errors: set.errors.map(jsonProblem),
  };
  return `${inertJsonText(JSON.stringify(body, null, 2))}\n`;
}
