// requirements.txt / constraints.txt (pip's format): logical lines, options, includes.
import type { Dependency, LockfileFormat, ParseError, ParseResult } from "../../types.js";
import { baseName, makeDependency, type ParseContext } from "../shared/context.js";
import { recordedIndex } from "../shared/index-url.js";
import { parseRequirement, preview } from "../shared/pep508.js";

export const format: LockfileFormat = "requirements";

/** `requirements*.txt`, `constraints*.txt`, and any `.txt` under a `requirements/` folder. */
export function matches(path: string): boolean {
  const base = baseName(path).toLowerCase();
  // `s`: a name may hold a line break (or U+2028); such a file is still one to read.
  if (/^(requirements|constraints).*\.txt$/s.test(base) || /^.+\.requirements\.txt$/s.test(base))
    return true;
  const parts = path.split(/[\\/]/);
  return (
    base.endsWith(".txt") &&
    parts.length >= 2 &&
    parts[parts.length - 2]!.toLowerCase() === "requirements"
  );
}

/** One logical requirement line and the physical line it starts on. */
export interface RequirementLine {
  text: string;
  line: number;
}

/** True when `text[i]` starts a comment: `#` at the start or after whitespace. */
function commentStart(text: string): number {
  for (let i = text.indexOf("#"); i >= 0; i = text.indexOf("#", i + 1)) {
    if (i === 0 || text[i - 1] === " " || text[i - 1] === "\t") return i;
  }
  return -1;
}

function stripComment(text: string): string {
  const at = commentStart(text);
  return (at >= 0 ? text.slice(0, at) : text).trim();
}

/**
 * Where pip's `str.splitlines()` ends a line: besides `\n` and `\r\n`, a lone `\r`, vertical
 * tab, form feed, the file/group/record separators, NEL and the Unicode line and paragraph
 * separators. A requirement after any of them is installed by pip, so it is read here too.
 */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/**
 * The lines as pip splits them, each with the line an editor (and GitHub) shows it on: the
 * count of `\n` before it, plus one.
 */
function physicalLines(text: string): RequirementLine[] {
  const out: RequirementLine[] = [];
  let from = 0;
  let line = 1;
  for (const m of text.matchAll(LINE_BREAK)) {
    out.push({ text: text.slice(from, m.index), line });
    if (m[0].endsWith("\n")) line++;
    from = m.index + m[0].length;
  }
  out.push({ text: text.slice(from), line });
  return out;
}

/** Joins `\` continuations; a comment line ends a continuation. Comments are removed. */
export function logicalLines(text: string): RequirementLine[] {
  const out: RequirementLine[] = [];
  const physical = physicalLines(text);
  let buffer = "";
  let start = 0;
  let open = false;
  for (let i = 0; i < physical.length; i++) {
    const line = physical[i]!.text;
    if (!open) start = physical[i]!.line;
    const trimmedStart = line.trimStart();
    if (open && trimmedStart.startsWith("#")) {
      out.push({ text: stripComment(buffer), line: start });
      buffer = "";
      open = false;
      continue;
    }
    if (line.endsWith("\\") && commentStart(line) < 0) {
      buffer += line.slice(0, -1);
      open = true;
      continue;
    }
    buffer += line;
    out.push({ text: stripComment(buffer), line: start });
    buffer = "";
    open = false;
  }
  if (open) out.push({ text: stripComment(buffer), line: start });
  return out.filter((l) => l.text !== "");
}

/** Removes per-requirement options (`--hash=...`, `--hash ...`, `--config-settings ...`) outside quotes. */
function cutRequirementOptions(text: string): string {
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== "") {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (
      (c === " " || c === "\t") &&
      text[i + 1] === "-" &&
      /^-{1,2}[A-Za-z]/.test(text.slice(i + 1, i + 4))
    ) {
      return text.slice(0, i).trim();
    }
  }
  return text.trim();
}

const INCLUDE_RE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-[rc]))(.*)$/;
const EDITABLE_RE = /^(-e|--editable)(?:\s*=\s*|\s+|(?<=^-e))(.*)$/;

interface State {
  ctx?: ParseContext;
  /** Files already parsed in this run (diamond includes are parsed once). */
  seen: Set<string>;
  /** Files on the current include path (a repeat is a cycle). */
  stack: string[];
  dependencies: Dependency[];
  errors: ParseError[];
  /** `--index-url` / `-i` as last written (pip applies it to every requirement). */
  indexUrl?: string;
  /** `--no-index`: pip uses only the `--find-links` locations. */
  noIndex?: boolean;
  /** `--find-links` / `-f`, in order. */
  findLinks: string[];
}

/**
 * The index options of an option line, wherever they stand on it (pip parses the whole line
 * with its option parser): `-i URL`, `--index-url=URL`, `-iURL`, `--no-index`, `-f` / `--find-links`.
 */
function readIndexOptions(text: string, state: State): void {
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const option =
      /^(--index-url|--find-links|-i|-f)(?:=(.*))?$/.exec(t) ?? /^(-i|-f)(.+)$/.exec(t);
    if (t === "--no-index") {
      state.noIndex = true;
    } else if (option) {
      const value = option[2] !== undefined && option[2] !== "" ? option[2] : tokens[++i];
      if (value === undefined) continue;
      if (option[1] === "-i" || option[1] === "--index-url") state.indexUrl = value;
      else state.findLinks.push(value);
    }
  }
}

/**
 * Parses logical requirement lines (from a requirements file, or a conda `pip:` list) into
 * `state`. `fmt` is the format recorded on each dependency.
 */
function parseLines(
  lines: RequirementLine[],
  file: string,
  fmt: LockfileFormat,
  state: State,
): void {
  for (const { text, line } of lines) {
    if (text.startsWith("-")) {
      const include = INCLUDE_RE.exec(text);
      if (include) {
        const target = stripComment(include[2] ?? "");
        if (target === "") {
          state.errors.push({
            file,
            line,
            code: "invalid-option",
            message: `${include[1]} needs a file name`,
          });
        } else {
          followInclude(file, line, target, state);
        }
        continue;
      }
      const editable = EDITABLE_RE.exec(text);
      if (editable) {
        addRequirement(cutRequirementOptions(editable[2] ?? ""), true, file, line, fmt, state);
        continue;
      }
      // Other option lines: only where packages come from matters here (--index-url,
      // --no-index, --find-links); --extra-index-url adds an index beside PyPI, and the rest
      // (--trusted-host, --pre, --no-binary, --require-hashes, ...) change nothing of that.
      readIndexOptions(text, state);
      continue;
    }
    addRequirement(cutRequirementOptions(text), false, file, line, fmt, state);
  }
}

function addRequirement(
  text: string,
  editable: boolean,
  file: string,
  line: number,
  fmt: LockfileFormat,
  state: State,
): void {
  if (text === "") {
    state.errors.push({
      file,
      line,
      code: "invalid-requirement",
      message: "-e needs a path or URL",
    });
    return;
  }
  const req = parseRequirement(text, editable);
  if ("error" in req) {
    state.errors.push({ file, line, code: "invalid-requirement", message: req.error });
    return;
  }
  const name = req.name ?? preview(req.target ?? text, 200);
  state.dependencies.push(
    makeDependency({ name, version: req.version, file, line, kind: req.kind }, fmt),
  );
}

function followInclude(from: string, line: number, target: string, state: State): void {
  if (!state.ctx) return;
  const got = state.ctx.readInclude(from, target);
  if ("error" in got) {
    state.errors.push({ file: from, line, code: got.code, message: got.error, include: target });
    return;
  }
  if (state.stack.includes(got.file)) {
    state.errors.push({
      file: from,
      line,
      code: "include-cycle",
      message: `include cycle: ${[...state.stack, got.file].join(" -> ")}`,
    });
    return;
  }
  if (state.seen.has(got.file)) return;
  state.seen.add(got.file);
  state.stack.push(got.file);
  parseLines(logicalLines(got.text), got.file, "requirements", state);
  state.stack.pop();
}

/**
 * pip reads `--index-url` wherever it stands (the last one wins) and fetches every requirement
 * from it: a file that names an index other than PyPI records it on each index requirement.
 * With `--no-index` nothing comes from an index: the first `--find-links` location is recorded
 * (or `--no-index` itself), so that no name of such a file is sent to PyPI. `--extra-index-url`
 * adds an index beside PyPI, so those packages may still come from PyPI.
 */
function withIndex(state: State): Dependency[] {
  const index = state.noIndex
    ? (recordedIndex(state.findLinks[0]) ?? "--no-index")
    : recordedIndex(state.indexUrl);
  if (index === undefined) return state.dependencies;
  return state.dependencies.map((d) => (d.kind === "pypi" ? { ...d, index } : d));
}

function startState(file: string, ctx: ParseContext | undefined): State {
  return { ctx, seen: new Set([file]), stack: [file], dependencies: [], errors: [], findLinks: [] };
}

export function parse(text: string, file: string, ctx?: ParseContext): ParseResult {
  const state = startState(file, ctx);
  parseLines(logicalLines(text), file, "requirements", state);
  return { dependencies: withIndex(state), errors: state.errors };
}

/**
 * Parses requirement entries that come one per item with known lines (a conda `pip:` list).
 * Includes are followed relative to `file`.
 */
export function parseEntries(
  entries: RequirementLine[],
  file: string,
  fmt: LockfileFormat,
  ctx?: ParseContext,
): ParseResult {
  const state = startState(file, ctx);
  const lines = entries
    .map((e) => ({ text: stripComment(e.text), line: e.line }))
    .filter((e) => e.text !== "");
  parseLines(lines, file, fmt, state);
  return { dependencies: withIndex(state), errors: state.errors };
}
