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

/** `line.strip("\\")`: the line without the backslashes at its start and end. */
function stripBackslashes(line: string): string {
  let from = 0;
  let to = line.length;
  while (from < to && line[from] === "\\") from++;
  while (to > from && line[to - 1] === "\\") to--;
  return line.slice(from, to);
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
    // As pip's join_lines: a line ending in `\` continues unless it is a comment line, even
    // when a comment stands before the backslash (what follows is then part of the comment);
    // pip strips every backslash at either end of a continued line.
    if (line.endsWith("\\") && !/^\s*#/.test(line)) {
      buffer += stripBackslashes(line);
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

/**
 * pip's `shlex.split` of an option line (POSIX rules, no comments): white space separates
 * words, `'…'` is literal, `"…"` keeps a backslash except before `"` or `\`, and a backslash
 * outside quotes escapes the next character.
 */
function shellSplit(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return { error: "no character after the last backslash" };
      word += text[++i];
      inWord = true;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: "no closing quotation" };
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && (text[j + 1] === '"' || text[j + 1] === "\\")) j++;
        word += text[j];
      }
      if (j >= text.length) return { error: "no closing quotation" };
      i = j;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** What pip's option parser collects from one line (only what matters here). */
interface LineOptions {
  requirements: string[];
  constraints: string[];
  editables: string[];
  /** `--index-url` as last written on the line. */
  indexUrl?: string;
  noIndex: boolean;
  findLinks: string[];
}

type Dest = "requirements" | "constraints" | "editables" | "indexUrl" | "findLinks" | "noIndex";

interface OptionSpec {
  names: string[];
  /** Takes one value (`--opt value`, `--opt=value`, `-ovalue`). */
  value: boolean;
  dest?: Dest;
  /** pip's own check of the value: a message when it refuses it. */
  check?: (value: string, name: string) => string | undefined;
}

/**
 * The options pip (23.x, `req_file.py`: SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ) accepts
 * in a requirements file; any other is an error there, and so it is here.
 */
const OPTIONS: OptionSpec[] = [
  { names: ["-i", "--index-url", "--pypi-url"], value: true, dest: "indexUrl" },
  { names: ["--extra-index-url"], value: true },
  { names: ["--no-index"], value: false, dest: "noIndex" },
  { names: ["-c", "--constraint"], value: true, dest: "constraints" },
  { names: ["-r", "--requirement"], value: true, dest: "requirements" },
  { names: ["-e", "--editable"], value: true, dest: "editables" },
  { names: ["-f", "--find-links"], value: true, dest: "findLinks" },
  { names: ["--no-binary"], value: true, check: binaryCheck },
  { names: ["--only-binary"], value: true, check: binaryCheck },
  { names: ["--prefer-binary"], value: false },
  { names: ["--require-hashes"], value: false },
  { names: ["--pre"], value: false },
  { names: ["--trusted-host"], value: true },
  { names: ["--use-feature"], value: true },
  { names: ["--global-option"], value: true },
  { names: ["--hash"], value: true, check: hashCheck },
  { names: ["-C", "--config-settings"], value: true, check: configCheck },
];

function binaryCheck(value: string, name: string): string | undefined {
  return value.startsWith("-") ? `${name} needs a value` : undefined;
}

function hashCheck(value: string, name: string): string | undefined {
  const colon = value.indexOf(":");
  if (colon < 0) return `${name} needs a hash name and a value, like ${name}=sha256:abcde…`;
  const algo = value.slice(0, colon);
  return ["sha256", "sha384", "sha512"].includes(algo)
    ? undefined
    : `${name} takes sha256, sha384 or sha512, not "${preview(algo, 40)}"`;
}

function configCheck(value: string, name: string): string | undefined {
  return value.includes("=") ? undefined : `${name} needs KEY=VALUE`;
}

const LONG = new Map(
  OPTIONS.flatMap((o) => o.names.filter((n) => n.startsWith("--")).map((n) => [n, o] as const)),
);
const SHORT = new Map(
  OPTIONS.flatMap((o) => o.names.filter((n) => !n.startsWith("--")).map((n) => [n, o] as const)),
);

/** A long option as optparse finds it: written in full, or an abbreviation of only one. */
function longOption(written: string): { name: string; spec: OptionSpec } | { error: string } {
  const exact = LONG.get(written);
  if (exact) return { name: written, spec: exact };
  const candidates = [...LONG.keys()].filter((n) => n.startsWith(written)).sort();
  if (candidates.length === 1) return { name: candidates[0]!, spec: LONG.get(candidates[0]!)! };
  if (candidates.length === 0) return { error: `unknown option ${preview(written, 60)}` };
  return { error: `ambiguous option ${preview(written, 60)}: ${candidates.join(", ")}?` };
}

/**
 * Reads option words as pip's optparse parser does: long options by unique prefix, `=` or the
 * next word as value, clustered short options with the value attached or next. Words that are
 * no option, and all after `--`, are ignored (as pip ignores them).
 */
function parseOptions(words: string[]): LineOptions | { error: string } {
  const out: LineOptions = {
    requirements: [],
    constraints: [],
    editables: [],
    noIndex: false,
    findLinks: [],
  };
  const apply = (spec: OptionSpec, name: string, value: string | undefined): string | undefined => {
    if (spec.value && value === undefined) {
      return spec.dest === "requirements" || spec.dest === "constraints"
        ? `${name} needs a file name`
        : `${name} needs a value`;
    }
    const problem = value !== undefined ? spec.check?.(value, name) : undefined;
    if (problem !== undefined) return problem;
    if (spec.dest === "noIndex") out.noIndex = true;
    else if (spec.dest === "indexUrl") out.indexUrl = value;
    else if (spec.dest !== undefined) out[spec.dest].push(value!);
    return undefined;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") break;
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const found = longOption(eq >= 0 ? word.slice(0, eq) : word);
      if ("error" in found) return found;
      let value: string | undefined;
      if (eq >= 0) {
        if (!found.spec.value) return { error: `${found.name} takes no value` };
        value = word.slice(eq + 1);
      } else if (found.spec.value) {
        value = words[++i];
      }
      const problem = apply(found.spec, found.name, value);
      if (problem !== undefined) return { error: problem };
    } else if (word.startsWith("-") && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const name = `-${word[j]}`;
        const spec = SHORT.get(name);
        if (!spec) return { error: `unknown option ${preview(name, 60)}` };
        let value: string | undefined;
        if (spec.value) value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
        const problem = apply(spec, name, value);
        if (problem !== undefined) return { error: problem };
        if (spec.value) break;
      }
    }
  }
  return out;
}

/**
 * pip's split of a line into the requirement and its options: words (split at single spaces)
 * up to the first that starts with `-` are the requirement; the rest are options.
 */
function breakArgsOptions(text: string): { args: string; options: string } {
  const words = text.split(" ");
  const first = words.findIndex((w) => w.startsWith("-"));
  if (first < 0) return { args: text, options: "" };
  return { args: words.slice(0, first).join(" "), options: words.slice(first).join(" ") };
}

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
 * Parses logical requirement lines (from a requirements file, or a conda `pip:` list) into
 * `state`. `fmt` is the format recorded on each dependency.
 *
 * Each line is read as pip reads it: a requirement with its options, or an option line. On an
 * option line, the first `-r` (else the first `-c`) is followed and the line's other options
 * are not applied; else the first `-e` is a requirement; else the index options count. An
 * option pip does not know, or an abbreviation of several, is an error for the line; a
 * requirement before it is still read.
 */
function parseLines(
  lines: RequirementLine[],
  file: string,
  fmt: LockfileFormat,
  state: State,
): void {
  for (const { text, line } of lines) {
    const { args, options } = breakArgsOptions(text);
    const words = shellSplit(options);
    const opts = "error" in words ? words : parseOptions(words);
    if ("error" in opts) {
      state.errors.push({ file, line, code: "invalid-option", message: opts.error });
      // The requirement before the options is still a package to check (pip up to 23.0 took
      // `--install-option` there, which older files still carry).
      if (args !== "") addRequirement(args, false, file, line, fmt, state);
      continue;
    }
    if (args !== "") {
      addRequirement(args, false, file, line, fmt, state);
    } else if (opts.editables.length > 0) {
      addRequirement(opts.editables[0]!, true, file, line, fmt, state);
    } else if (opts.requirements.length > 0 || opts.constraints.length > 0) {
      const flag = opts.requirements.length > 0 ? "-r" : "-c";
      const target = (opts.requirements[0] ?? opts.constraints[0]!).trim();
      if (target === "") {
        state.errors.push({
          file,
          line,
          code: "invalid-option",
          message: `${flag} needs a file name`,
        });
      } else {
        followInclude(file, line, target, state);
      }
    } else {
      // Only where packages come from matters here (--index-url, --no-index, the first
      // --find-links of the line); --extra-index-url adds an index beside PyPI, and the rest
      // (--trusted-host, --pre, --no-binary, --require-hashes, ...) change nothing of that.
      if (opts.noIndex) state.noIndex = true;
      if (opts.indexUrl !== undefined && opts.indexUrl !== "") state.indexUrl = opts.indexUrl;
      if (opts.findLinks[0] !== undefined) state.findLinks.push(opts.findLinks[0]);
    }
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
