// Line numbers for decoders that drop positions (TOML, JSON): one in-order pass over the text.
import type { ParseError, SourceLine } from "../../types.js";

/** Offsets where each line starts; `lineOf` turns an offset into a 1-based line. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  get count(): number {
    return this.starts.length;
  }
  /** The text of 1-based line `n` of `text` (the text this index was built from), without its end of line. */
  lineText(text: string, n: number): string {
    const start = this.starts[n - 1] ?? text.length;
    const next = this.starts[n];
    return text.slice(start, next === undefined ? text.length : next - 1).replace(/\r$/, "");
  }
}

/**
 * For each `[[<table>]]` block of a TOML document, in order, the 1-based line of its first
 * `name = ` key (or of the header when the block has none). Returns undefined when the text has
 * no such headers (inline-array style), so callers fall back to `findNameLines`.
 */
export function tomlArrayTableNameLines(text: string, table: string): number[] | undefined {
  const lines = text.split("\n");
  const header = new RegExp(`^\\s*\\[\\[\\s*${table.replace(/[.]/g, "\\.")}\\s*\\]\\]\\s*(#.*)?$`);
  const anyHeader = /^\s*\[\[?\s*[A-Za-z0-9_"'.-]+\s*\]\]?\s*(#.*)?$/;
  const nameKey = /^\s*(name|"name"|'name')\s*=/;
  const result: number[] = [];
  let current = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (header.test(line)) {
      result.push(i + 1);
      current = result.length - 1;
    } else if (anyHeader.test(line)) {
      // A sub-table (`[package.source]`, `[[packages.wheels]]`) or another table: its keys are not the package's.
      current = -1;
    } else if (current >= 0 && nameKey.test(line)) {
      result[current] = i + 1;
      current = -1;
    }
  }
  return result.length > 0 ? result : undefined;
}

/**
 * Finds, in order, the line of each `name = "<raw>"` occurrence (TOML inline tables), starting
 * after the previous match so repeated names map to successive lines. 1 when not found.
 */
export function findNameLines(text: string, rawNames: string[]): number[] {
  const index = new LineIndex(text);
  let from = 0;
  return rawNames.map((raw) => {
    const re = new RegExp(`(^|[\\s{,])name\\s*=\\s*(["'])${escapeRegExp(raw)}\\2`, "gm");
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) return 1;
    from = m.index + m[0].length;
    return index.lineOf(m.index + m[1]!.length);
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Lines of the keys one level below each top-level key of a JSON object document:
 * `lines.get(section)?.get(key)`. Walks the text once, respecting strings and escapes.
 */
export function jsonSecondLevelKeyLines(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  let depth = 0;
  let line = 1;
  let section: string | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === "{" || c === "[") {
      depth++;
      i++;
    } else if (c === "}" || c === "]") {
      depth--;
      i++;
    } else if (c === '"') {
      const startLine = line;
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        if (text[j] === "\\") j++;
        else if (text[j] === "\n") line++;
        j++;
      }
      const raw = text.slice(i + 1, j);
      i = j + 1;
      let k = i;
      while (k < n && /\s/.test(text[k]!)) {
        if (text[k] === "\n") line++;
        k++;
      }
      if (text[k] === ":") {
        let key: string;
        try {
          key = JSON.parse(`"${raw}"`) as string;
        } catch {
          key = raw;
        }
        if (depth === 1) {
          section = key;
          if (!out.has(key)) out.set(key, new Map());
        } else if (depth === 2 && section !== undefined) {
          const keys = out.get(section)!;
          if (!keys.has(key)) keys.set(key, startLine);
        }
      }
      i = k;
    } else {
      i++;
    }
  }
  return out;
}

/** The 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Lines of the packages of a TOML array of tables (`[[package]]`), in order: the block's
 * `name = ` line when the headers line up with the decoded array, otherwise a search for each
 * `name = "<raw>"` (inline-table style).
 */
export function tomlPackageLines(text: string, table: string, rawNames: string[]): number[] {
  const byHeader = tomlArrayTableNameLines(text, table);
  if (byHeader && byHeader.length === rawNames.length) return byHeader;
  return findNameLines(text, rawNames);
}

/** Widest source line kept for error context; a longer line is cut around the column. */
export const CONTEXT_WIDTH = 160;
/** Errors per file that get source context (a garbage file can have very many). */
export const MAX_CONTEXT_ERRORS = 20;

/**
 * Adds up to three lines of source (before, at, after `line`) to errors that name a line of a
 * file in `texts` (file name -> its text). Long lines are cut to CONTEXT_WIDTH characters around
 * the error's column. Returns new error objects; the inputs are not changed.
 */
export function withSourceContext(
  errors: readonly ParseError[],
  texts: ReadonlyMap<string, string>,
): ParseError[] {
  const indexes = new Map<string, LineIndex>();
  const perFile = new Map<string, number>();
  return errors.map((error) => {
    const text = texts.get(error.file);
    if (text === undefined || error.line === undefined || error.line < 1) return error;
    const used = perFile.get(error.file) ?? 0;
    if (used >= MAX_CONTEXT_ERRORS) return error;
    perFile.set(error.file, used + 1);
    let index = indexes.get(error.file);
    if (!index) {
      index = new LineIndex(text);
      indexes.set(error.file, index);
    }
    // A final newline ends the last line; it does not start an empty one.
    const last = text.endsWith("\n") ? index.count - 1 : index.count;
    if (error.line > Math.max(1, last)) return error;
    const context: SourceLine[] = [];
    for (let n = Math.max(1, error.line - 1); n <= Math.min(last, error.line + 1); n++) {
      const full = index.lineText(text, n);
      const column = n === error.line ? (error.column ?? 1) : 1;
      const start = Math.max(
        0,
        Math.min(column - 1 - CONTEXT_WIDTH / 2, full.length - CONTEXT_WIDTH),
      );
      const entry: SourceLine = { line: n, text: full.slice(start, start + CONTEXT_WIDTH) };
      if (n === error.line && error.column !== undefined) entry.caret = error.column - 1 - start;
      context.push(entry);
    }
    return { ...error, context };
  });
}
