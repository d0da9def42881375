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
 * Every quote of `text` that has a matching quote after it, keyed by the quote and the text up to
 * that next quote (`"requests` for `"requests"`), in order. Built in one pass, so finding where a
 * quoted literal can start costs a lookup instead of a scan of the whole text.
 */
export class QuoteIndex {
  private readonly byKey = new Map<string, number[]>();
  constructor(text: string) {
    for (const quote of ['"', "'"]) {
      for (let at = text.indexOf(quote); at >= 0;) {
        const next = text.indexOf(quote, at + 1);
        if (next < 0) break;
        this.add(quote + text.slice(at + 1, next), at);
        at = next;
      }
    }
  }
  private add(key: string, at: number): void {
    const list = this.byKey.get(key);
    if (list) list.push(at);
    else this.byKey.set(key, [at]);
  }
  /**
   * In order, the offsets of the quotes that could open `<q><value><q>` for either quote `q`: a
   * superset of the real matches (exact unless `value` holds `q`), to be checked by the caller.
   */
  openings(value: string): number[] {
    return mergeSorted(
      ['"', "'"].map((quote) => {
        const inner = value.indexOf(quote);
        return this.byKey.get(quote + (inner < 0 ? value : value.slice(0, inner))) ?? [];
      }),
    );
  }
}

/** Merges ascending lists into one ascending list without repeats. */
export function mergeSorted(lists: readonly (readonly number[])[]): number[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!.slice();
  const out = nonEmpty.flat().sort((a, b) => a - b);
  return out.filter((v, i) => i === 0 || out[i - 1] !== v);
}

/**
 * The successive matches of a pattern in a text as a global search would find them from offset 0
 * (leftmost first, each search starting where the previous match ended), given `candidates`: the
 * ascending offsets where a match could start, a superset of the real ones, and `lengthAt`: the
 * length of the match starting at an offset, or -1. Each candidate is tried at most once, so the
 * work is the candidates, not the text.
 */
export class CandidateMatches {
  private next = 0;
  /** Where the next search starts: the end of the last match, or later if the caller moves it. */
  from = 0;
  constructor(
    private readonly candidates: readonly number[],
    private readonly lengthAt: (at: number) => number,
  ) {}
  /** The offset of the first match at or after `from`, which then moves past it; -1 when none. */
  find(): number {
    while (this.next < this.candidates.length) {
      const at = this.candidates[this.next++]!;
      if (at < this.from) continue;
      const length = this.lengthAt(at);
      if (length >= 0) {
        this.from = at + Math.max(1, length);
        return at;
      }
    }
    return -1;
  }
}

/** `lengthAt` for CandidateMatches by a regular expression (`source`, `flags`) tried at the offset. */
export function regexLengthAt(text: string, source: string, flags = ""): (at: number) => number {
  const sticky = new RegExp(source, `${flags}y`);
  return (at) => {
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    return m ? m[0].length : -1;
  };
}

/** True when a string holds neither quote, so the quote index finds its quoted form exactly. */
export function unquoted(value: string): boolean {
  return !value.includes('"') && !value.includes("'");
}

/**
 * Finds, in order, the line of each `name = "<raw>"` occurrence (TOML inline tables), starting
 * after the previous match so repeated names map to successive lines. 1 when not found.
 * Linear in the text: the places where each name can occur are looked up, not searched for.
 */
export function findNameLines(text: string, rawNames: string[]): number[] {
  const index = new LineIndex(text);
  const quotes = new QuoteIndex(text);
  // The offset of `name` for each quote that opens the value of a `name = ` key.
  const nameBefore = new Map<number, number>();
  const key = /name\s*=\s*["']/g;
  for (let m = key.exec(text); m; m = key.exec(text))
    nameBefore.set(m.index + m[0].length - 1, m.index);
  const byRaw = new Map<string, CandidateMatches>();
  let from = 0;
  return rawNames.map((raw) => {
    let matches = byRaw.get(raw);
    if (!matches) {
      // `(^|[\s{,])name\s*=\s*(["'])<raw>\2` starts at the character before `name`, or at
      // `name` at the start of a line.
      const starts: number[] = [];
      const ends = new Map<number, number>();
      const exact = unquoted(raw);
      for (const quote of quotes.openings(raw)) {
        const name = nameBefore.get(quote);
        if (name === undefined) continue;
        const end = quote + raw.length + 2;
        if (name > 0 && (!exact || /[\s{,]/.test(text[name - 1]!))) {
          starts.push(name - 1);
          ends.set(name - 1, end);
        }
        if (!exact || name === 0 || /[\n\r\u2028\u2029]/.test(text[name - 1]!)) {
          starts.push(name);
          ends.set(name, end);
        }
      }
      const lengthAt = exact
        ? (at: number) => ends.get(at)! - at
        : regexLengthAt(text, `(^|[\\s{,])name\\s*=\\s*(["'])${escapeRegExp(raw)}\\2`, "m");
      matches = new CandidateMatches(starts, lengthAt);
      byRaw.set(raw, matches);
    }
    matches.from = from;
    const at = matches.find();
    if (at < 0) return 1;
    from = matches.from;
    // The line of `name`, which the match starts at or just after.
    return index.lineOf(text.startsWith("name", at) ? at : at + 1);
  });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Lines of the keys of a JSON object document, from one walk over the text (strings and escapes
 * respected): `sections.get(section)` is the line of a top-level key, `keys.get(section)?.get(key)`
 * the line of a key one level below it. The first occurrence of a repeated key counts.
 */
export function jsonKeyLines(text: string): {
  sections: Map<string, number>;
  keys: Map<string, Map<string, number>>;
} {
  const out = new Map<string, Map<string, number>>();
  const sections = new Map<string, number>();
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
          if (!sections.has(key)) sections.set(key, startLine);
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
  return { sections, keys: out };
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
