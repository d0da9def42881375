// pyproject.toml (a manifest): PEP 621 `dependencies` / `optional-dependencies`, PEP 735
// `dependency-groups`, and Poetry's `[tool.poetry.*dependencies]`. Entries are unpinned unless
// `==`-pinned, since an unpinned dependency takes the next release automatically.
import type { Dependency, LockfileFormat, ParseError, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, decodeToml, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import { escapeRegExp, LineIndex } from "../shared/lines.js";
import { exactPin, parseRequirement, preview, invalidNameError } from "../shared/pep508.js";
import { isValidName, normalizeName } from "../../names.js";

export const format: LockfileFormat = "pyproject";

export function matches(path: string): boolean {
  return baseName(path) === "pyproject.toml";
}

/** Finds each literal's line, first unused occurrence first, so repeats map to later lines. */
class LiteralLines {
  private readonly index: LineIndex;
  private readonly used = new Set<number>();
  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
  }
  find(pattern: RegExp): number {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) {
      if (!this.used.has(m.index)) {
        this.used.add(m.index);
        return this.index.lineOf(m.index);
      }
      if (m[0] === "") pattern.lastIndex++;
    }
    return 1;
  }
  string(value: string): number {
    return this.find(new RegExp(`(["'])${escapeRegExp(value)}\\1`, "g"));
  }
  key(name: string): number {
    return this.find(new RegExp(`^[ \\t]*(["']?)${escapeRegExp(name)}\\1[ \\t]*=`, "gm"));
  }
}

/** A Poetry constraint: a bare version (`"1.2.3"`) or `==1.2.3` is exact; `^`, `~`, `*`, ranges are not. */
function poetryPin(constraint: string): string | undefined {
  const c = constraint.trim();
  if (/^[0-9][A-Za-z0-9.+!-]*$/.test(c) && !c.endsWith(".*")) return c;
  return exactPin(c);
}

/** Indexes by name from an array of `{ name, url, ... }` tables (`[[tool.uv.index]]`, `[[tool.poetry.source]]`). */
function namedIndexes(
  list: unknown,
): { name: string; url: string; table: Record<string, unknown> }[] {
  if (!Array.isArray(list)) return [];
  const out: { name: string; url: string; table: Record<string, unknown> }[] = [];
  for (const t of list) {
    if (isRecord(t) && typeof t.name === "string" && typeof t.url === "string")
      out.push({ name: t.name, url: t.url, table: t });
  }
  return out;
}

/**
 * Which index each dependency is declared to come from: uv's `[tool.uv.sources]` entries with
 * `index = "name"` and an index marked `default = true`; Poetry's per-dependency `source =
 * "name"` and a primary source (no priority, `primary`, `default`, or the older `default = true`),
 * which replaces PyPI for every dependency without a source of its own.
 */
function declaredIndexes(tool: Record<string, unknown>): {
  byName: Map<string, string>;
  fallback?: string;
} {
  const byName = new Map<string, string>();
  let fallback: string | undefined;
  const uv = isRecord(tool.uv) ? tool.uv : {};
  const uvIndexes = namedIndexes(uv.index);
  const uvDefault = uvIndexes.find((i) => i.table.default === true);
  if (uvDefault) fallback = uvDefault.url;
  if (isRecord(uv.sources)) {
    for (const [rawName, spec] of Object.entries(uv.sources)) {
      const specs = Array.isArray(spec) ? spec : [spec];
      const named = specs.find((s) => isRecord(s) && typeof s.index === "string") as
        Record<string, unknown> | undefined;
      const url = named && uvIndexes.find((i) => i.name === named.index)?.url;
      if (url && isValidName(rawName)) byName.set(normalizeName(rawName), url);
    }
  }
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const sources = namedIndexes(poetry.source);
  const primary = sources.find((s) => {
    const priority = asString(s.table.priority);
    if (priority !== undefined) return priority === "primary" || priority === "default";
    return s.table.secondary !== true;
  });
  if (primary && fallback === undefined) fallback = primary.url;
  // PDM: a `[[tool.pdm.source]]` named `pypi` replaces PyPI itself.
  const pdm = isRecord(tool.pdm) ? tool.pdm : {};
  const pdmPypi = namedIndexes(pdm.source).find((s) => s.name === "pypi");
  if (pdmPypi && fallback === undefined) fallback = pdmPypi.url;
  const tables: unknown[] = [poetry.dependencies, poetry["dev-dependencies"]];
  if (isRecord(poetry.group)) {
    for (const group of Object.values(poetry.group))
      if (isRecord(group)) tables.push(group.dependencies);
  }
  for (const table of tables) {
    if (!isRecord(table)) continue;
    for (const [rawName, spec] of Object.entries(table)) {
      const specs = Array.isArray(spec) ? spec : [spec];
      for (const one of specs) {
        const url =
          isRecord(one) && typeof one.source === "string"
            ? sources.find((s) => s.name === one.source)?.url
            : undefined;
        if (url && isValidName(rawName)) byName.set(normalizeName(rawName), url);
      }
    }
  }
  return fallback === undefined ? { byName } : { byName, fallback };
}

export function parse(text: string, file: string): ParseResult {
  const decoded = decodeToml(text, file);
  if ("error" in decoded) return { dependencies: [], errors: [decoded.error] };
  const doc = decoded.value;
  const lines = new LiteralLines(text);
  const dependencies: Dependency[] = [];
  const errors: ParseError[] = [];

  const addString = (req: unknown) => {
    if (typeof req !== "string") return;
    const line = lines.string(req);
    const parsed = parseRequirement(req);
    if ("error" in parsed) {
      errors.push({ file, line, code: "invalid-requirement", message: parsed.error });
      return;
    }
    const name = parsed.name ?? preview(parsed.target ?? req, 200);
    dependencies.push(
      makeDependency({ name, version: parsed.version, file, line, kind: parsed.kind }, format),
    );
  };
  const addList = (list: unknown) => {
    if (Array.isArray(list)) list.forEach(addString);
  };
  const addLists = (table: unknown) => {
    if (isRecord(table)) Object.values(table).forEach(addList);
  };

  const project = isRecord(doc.project) ? doc.project : {};
  addList(project.dependencies);
  addLists(project["optional-dependencies"]);
  addLists(doc["dependency-groups"]); // `{include-group = "..."}` items are not strings: skipped.

  const tool = isRecord(doc.tool) ? doc.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  const poetryTables: unknown[] = [poetry.dependencies, poetry["dev-dependencies"]];
  if (isRecord(poetry.group)) {
    for (const group of Object.values(poetry.group))
      if (isRecord(group)) poetryTables.push(group.dependencies);
  }
  for (const table of poetryTables) {
    if (!isRecord(table)) continue;
    for (const [rawName, spec] of Object.entries(table)) {
      if (rawName.toLowerCase() === "python") continue;
      const line = lines.key(rawName);
      if (!isValidName(rawName)) {
        errors.push(invalidNameError(file, line, rawName));
        continue;
      }
      const name = normalizeName(rawName);
      const specs = Array.isArray(spec) ? spec : [spec];
      for (const one of specs) {
        if (typeof one === "string") {
          dependencies.push(
            makeDependency({ name, version: poetryPin(one), file, line, kind: "pypi" }, format),
          );
        } else if (isRecord(one)) {
          const kind =
            typeof one.git === "string"
              ? "vcs"
              : typeof one.url === "string"
                ? "url"
                : typeof one.path === "string"
                  ? one.develop === true
                    ? "editable"
                    : "path"
                  : "pypi";
          const version = kind === "pypi" ? poetryPin(asString(one.version) ?? "") : undefined;
          dependencies.push(makeDependency({ name, version, file, line, kind }, format));
        }
      }
    }
  }
  const declared = declaredIndexes(tool);
  for (const dep of dependencies) {
    if (dep.kind !== "pypi") continue;
    const index = recordedIndex(declared.byName.get(dep.name) ?? declared.fallback);
    if (index !== undefined) dep.index = index;
  }
  return { dependencies, errors };
}
