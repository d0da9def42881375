// pyproject.toml (a manifest): PEP 621 `dependencies` / `optional-dependencies`, PEP 735
// `dependency-groups`, and Poetry's `[tool.poetry.*dependencies]`. Entries are unpinned unless
// `==`-pinned, since an unpinned dependency takes the next release automatically.
import type { Dependency, LockfileFormat, ParseError, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, decodeToml, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import {
  CandidateMatches,
  escapeRegExp,
  LineIndex,
  mergeSorted,
  QuoteIndex,
  regexLengthAt,
  unquoted,
} from "../shared/lines.js";
import { exactPin, parseRequirement, preview, invalidNameError } from "../shared/pep508.js";
import { isValidName, normalizeName } from "../../names.js";

export const format: LockfileFormat = "pyproject";

export function matches(path: string): boolean {
  return baseName(path) === "pyproject.toml";
}

/** Line starts as a multiline `^` sees them: after `\n`, `\r`, U+2028 and U+2029. */
const LINE_BREAK = /[\n\r\u2028\u2029]/g;
/** Where the first word of a line's key ends: a blank, `=` or the end of the line. */
const WORD_END = /[ \t=\n\r\u2028\u2029]/g;

/** The text of `text` from `at` up to the first WORD_END. */
function wordAt(text: string, at: number): string {
  WORD_END.lastIndex = at;
  const end = WORD_END.exec(text);
  return text.slice(at, end ? end.index : text.length);
}

/**
 * Finds each literal's line, first unused occurrence first, so repeats map to later lines. The
 * places a literal can start are looked up in indexes built once, and each literal's matches are
 * walked once over all its calls, so a file of many (or many repeated) entries is read in linear
 * time; each answer is the one a search of the whole text for the first unused match would give.
 */
class LiteralLines {
  private readonly index: LineIndex;
  private readonly quotes: QuoteIndex;
  private readonly used = new Set<number>();
  private readonly matches = new Map<string, CandidateMatches>();
  /** Line starts by the first word after their blanks, and by their quoted key (`"name`). */
  private keyStarts?: { bare: Map<string, number[]>; quoted: Map<string, number[]> };
  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
    this.quotes = new QuoteIndex(text);
  }
  private find(id: string, make: () => CandidateMatches): number {
    let matches = this.matches.get(id);
    if (!matches) {
      matches = make();
      this.matches.set(id, matches);
    }
    // Every earlier match of this literal was taken, by it or by another literal.
    for (let at = matches.find(); at >= 0; at = matches.find()) {
      if (!this.used.has(at)) {
        this.used.add(at);
        return this.index.lineOf(at);
      }
    }
    return 1;
  }
  /** The line of `value` quoted (`(["'])value\1`). */
  string(value: string): number {
    return this.find(`s${value}`, () => {
      const lengthAt = unquoted(value)
        ? () => value.length + 2
        : regexLengthAt(this.text, `(["'])${escapeRegExp(value)}\\1`);
      return new CandidateMatches(this.quotes.openings(value), lengthAt);
    });
  }
  /** The line of the key `name` (`^[ \t]*(["']?)name\1[ \t]*=`). */
  key(name: string): number {
    return this.find(`k${name}`, () => this.keyMatches(name));
  }
  /**
   * The line of the first `name =` key, whether or not `key` took it (for errors about a key,
   * which must not move the lines of entries); undefined when there is none.
   */
  firstKey(name: string): number | undefined {
    const at = this.keyMatches(name).find();
    return at < 0 ? undefined : this.index.lineOf(at);
  }
  private keyMatches(name: string): CandidateMatches {
    const starts = this.lineStarts();
    // Quoted, the key is the text up to the next quote; bare, the name after its own leading
    // blanks begins like the line's first word.
    const quoted = ['"', "'"].map((quote) => {
      const inner = name.indexOf(quote);
      return starts.quoted.get(quote + (inner < 0 ? name : name.slice(0, inner))) ?? [];
    });
    const bare = starts.bare.get(wordAt(name.replace(/^[ \t]+/, ""), 0)) ?? [];
    const lengthAt =
      name !== "" && wordAt(name, 0) === name && unquoted(name)
        ? (at: number) => this.plainKeyLength(at, name.length)
        : regexLengthAt(this.text, `^[ \\t]*(["']?)${escapeRegExp(name)}\\1[ \\t]*=`, "m");
    return new CandidateMatches(mergeSorted([...quoted, bare]), lengthAt);
  }
  /**
   * The match length at line start `at` of a key that is one word without quotes, found there
   * by the indexes (quoted or bare): what follows it must be blanks and `=`; -1 otherwise.
   */
  private plainKeyLength(at: number, length: number): number {
    const text = this.text;
    let i = at;
    while (text[i] === " " || text[i] === "\t") i++;
    i += text[i] === '"' || text[i] === "'" ? length + 2 : length;
    while (text[i] === " " || text[i] === "\t") i++;
    return text[i] === "=" ? i + 1 - at : -1;
  }
  private lineStarts(): { bare: Map<string, number[]>; quoted: Map<string, number[]> } {
    if (this.keyStarts) return this.keyStarts;
    const bare = new Map<string, number[]>();
    const quoted = new Map<string, number[]>();
    const add = (map: Map<string, number[]>, key: string, at: number) => {
      const list = map.get(key);
      if (list) list.push(at);
      else map.set(key, [at]);
    };
    const text = this.text;
    let start = 0;
    for (;;) {
      let at = start;
      while (text[at] === " " || text[at] === "\t") at++;
      add(bare, wordAt(text, at), start);
      const quote = text[at];
      if (quote === '"' || quote === "'") {
        const close = text.indexOf(quote, at + 1);
        if (close >= 0) add(quoted, quote + text.slice(at + 1, close), start);
      }
      LINE_BREAK.lastIndex = start;
      const lineBreak = LINE_BREAK.exec(text);
      if (!lineBreak) break;
      start = lineBreak.index + 1;
    }
    this.keyStarts = { bare, quoted };
    return this.keyStarts;
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
  // The line of a key named by its dotted path (`project.dependencies`): the first line that
  // starts with the longest end of the path written as a key (`project.dependencies =`, or
  // `dependencies =` under `[project]`), found once per key.
  const keyLines = new Map<string, number>();
  const keyLine = (key: string): number => {
    let line = keyLines.get(key);
    if (line === undefined) {
      const parts = key.split(".");
      for (let i = 0; i < parts.length && line === undefined; i++)
        line = lines.firstKey(parts.slice(i).join("."));
      line ??= 1;
      keyLines.set(key, line);
    }
    return line;
  };
  // A value of the wrong type is said, not skipped: its requirements would go unchecked, and
  // pip or uv would refuse the file.
  const wrongType = (key: string, what: string): ParseError => {
    const error: ParseError = {
      file,
      line: keyLine(key),
      code: "invalid-requirement",
      message: `\`${key}\` ${what}`,
    };
    errors.push(error);
    return error;
  };
  const addList = (list: unknown, key: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      wrongType(key, "is not a list of requirement strings");
      return;
    }
    // One error per list, at the place of its first wrong item among the errors: a list of
    // many wrong items is one mistake.
    let wrong = 0;
    let first: { error: ParseError; item: string } | undefined;
    for (const item of list) {
      if (typeof item === "string") addString(item);
      // `{include-group = "..."}` names another group, read on its own.
      else if (!(
        key.startsWith("dependency-groups.") &&
        isRecord(item) &&
        "include-group" in item
      )) {
        wrong++;
        if (!first) {
          const shown = preview(JSON.stringify(item) ?? String(item), 60);
          first = {
            error: wrongType(key, `holds ${shown}, which is not a requirement string`),
            item: shown,
          };
        }
      }
    }
    if (first && wrong > 1)
      first.error.message = `\`${key}\` holds ${wrong} items that are not requirement strings, the first ${first.item}`;
  };
  const addLists = (table: unknown, key: string) => {
    if (table === undefined) return;
    if (!isRecord(table)) {
      wrongType(key, "is not a table of requirement lists");
      return;
    }
    for (const [name, list] of Object.entries(table)) addList(list, `${key}.${name}`);
  };

  const project = isRecord(doc.project) ? doc.project : {};
  addList(project.dependencies, "project.dependencies");
  addLists(project["optional-dependencies"], "project.optional-dependencies");
  addLists(doc["dependency-groups"], "dependency-groups");

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
