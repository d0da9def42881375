// Untrusted text (package names, e-mail addresses, domains, lockfile text, registry answers)
// passes through exactly one of these functions before it reaches a sink. Nothing is escaped
// inline anywhere else.

/** Default cap for one untrusted string in Markdown or a terminal line. */
export const DEFAULT_TEXT_CAP = 200;

const ELLIPSIS = "…";

/** Zero-width joiner: breaks `@mention`, e-mail autolinks, issue references and URL autolinks. */
export const ZWJ = "\u200d";

/** ANSI escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), other `ESC x`. */
const ANSI_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]?/g;
/** Line and tab breaks become one space so that every value stays on its line. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** Remaining C0, DEL, C1, and the bidirectional overrides that reorder what a reader sees. */
const INVISIBLE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Cuts `text` to at most `max` characters (counting code points), ending in an ellipsis when cut. */
export function capLength(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join("") + ELLIPSIS;
}

/**
 * For terminals and one-line plain text: removes ANSI escape sequences and every other C0/C1
 * control and bidi override; CR, LF, tabs and Unicode line separators become a single space.
 */
export function stripControl(text: string): string {
  return String(text)
    .replace(ANSI_SEQUENCE, "")
    .replace(LINE_BREAKS, " ")
    .replace(INVISIBLE_CONTROLS, "");
}

/**
 * Escaping for GitHub workflow commands (`::error file=...::message`), as the toolkit does:
 * data escapes `%`, CR and LF; properties also escape `:` and `,`. A package named
 * `x\n::add-mask::y` stays one inert line. Prefer `@actions/core` (which applies the same
 * rules) when issuing commands through it; use this when writing a command line by hand.
 */
export function escapeWorkflowCommand(text: string, part: "data" | "property" = "data"): string {
  const data = String(text).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  return part === "data" ? data : data.replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Characters that Markdown, GitHub Flavored Markdown or GitHub's math give a meaning, escaped with `\`. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+!|~$^]/g;

/** Breaks the patterns GitHub turns into links or notifications even after Markdown escaping. */
function defuseAutolinks(text: string): string {
  return (
    text
      // @mentions, team mentions and e-mail autolinks: GitHub still mentions after `\@` or `&#64;`.
      .replace(/@/g, `@${ZWJ}`)
      // URL autolinks (`https://`, `ftp://`, any `scheme://`) and `www.` autolinks.
      .replace(/:(?=\/)/g, `:${ZWJ}`)
      .replace(/\b(www)\./gi, `$1${ZWJ}.`)
      // Issue and pull-request references (`#12`, `owner/repo#12`, `GH-12`) that notify other threads.
      .replace(/#(?=\d)/g, `#${ZWJ}`)
      .replace(/\b(gh)-(?=\d)/gi, `$1-${ZWJ}`)
  );
}

export interface EscapeMarkdownOptions {
  /** Longest input kept, in characters, before escaping (default 200). */
  maxLength?: number;
}

/**
 * Untrusted text as inert Markdown prose, safe in a paragraph or a table cell: one line, no
 * links, images, autolinks, HTML, `@mentions`, issue references, emphasis, code spans, math or
 * table breaks, cut to `maxLength` characters.
 */
export function escapeMarkdown(text: string, opts: EscapeMarkdownOptions = {}): string {
  const line = capLength(stripControl(text).trim(), opts.maxLength ?? DEFAULT_TEXT_CAP);
  const escaped = line
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    // A leading `-`, `.`-list number or `=` could start a list or a heading underline.
    .replace(/^([-=])/, "\\$1")
    .replace(/^(\d+)\./, "$1\\.");
  return defuseAutolinks(escaped);
}

/**
 * Untrusted text inside raw HTML on one line (a `<summary>`), where Markdown is not read, so a
 * backslash escape would show: `&`, `<`, `>`, `"`, `[` and `]` as entities; mentions, autolinks and issue
 * references broken as in prose, cut to `maxLength` characters.
 */
export function escapeHtmlText(text: string, opts: EscapeMarkdownOptions = {}): string {
  const line = capLength(stripControl(text).trim(), opts.maxLength ?? DEFAULT_TEXT_CAP);
  // Defused first: its `#12` rule must not meet the `#` of an entity written here.
  return (
    defuseAutolinks(line)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // Brackets as entities: the same to a reader, and neither a link (`](`) to a Markdown
      // reader nor a `##[` command to a log.
      .replace(/\[/g, "&#91;")
      .replace(/\]/g, "&#93;")
  );
}

export interface InlineCodeOptions {
  /** Longest input kept (default 200). */
  maxLength?: number;
  /** The span sits in a table cell: `|` must be written `\|` (GFM splits cells before code spans). Default true. */
  inTable?: boolean;
}

/**
 * Untrusted text as a Markdown code span: shown literally (no links, mentions or HTML are
 * recognised inside a code span), one line, with a backtick fence longer than any backtick run
 * inside so the text cannot close it.
 */
export function inlineCode(text: string, opts: InlineCodeOptions = {}): string {
  // A code span is literal in Markdown, but the same text printed to a CI log is not.
  let body = breakLegacyCommands(capLength(stripControl(text), opts.maxLength ?? DEFAULT_TEXT_CAP));
  if (opts.inTable ?? true) body = body.replace(/\|/g, "\\|");
  if (body.trim() === "") return body === "" ? "` `" : "`" + body + "`";
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad =
    body.startsWith("`") || body.endsWith("`") || (body.startsWith(" ") && body.endsWith(" "))
      ? " "
      : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Word joiner: invisible, and splits `##[` so the runner no longer sees a legacy command. */
export const WORD_JOINER = "\u2060";

/**
 * Breaks the runner's legacy commands. Besides `::cmd::` at the start of a line, the Actions
 * runner executes `##[cmd]data` anywhere in a log line (`##[error]`, `##[warning]`,
 * `##[add-mask]`, `##[stop-commands]`, ...), matching `##[` without regard to case or to
 * anything before it. A word joiner between the two `#` keeps the text readable and inert.
 * Every log sink (info lines, annotation messages and titles, terminal tables) passes this.
 */
export function breakLegacyCommands(text: string): string {
  return String(text).replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}

/**
 * Serialised JSON that the runner cannot read a legacy command from: the first `#` of every
 * `##[` is written as the JSON escape `\u0023`, so a report printed to the log is inert and
 * parses back to the same strings.
 */
export function inertJsonText(json: string): string {
  return json
    .replace(/#(?=#\[)/g, "\\u0023")
    .replace(JSON_RAW_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Characters JSON.stringify leaves as they are that a terminal acts on (C1 controls: U+009B is
 * a CSI) or that reorder or break what a reader sees (bidi overrides, line separators): written
 * as `\uXXXX` escapes instead, which read back as the same string.
 */
const JSON_RAW_INVISIBLE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * Plain text for a SARIF `message.text`: one line, no controls, at most `max` characters, and
 * what SARIF 2.1.0 reads as markup written as literal text: `\`, `[` and `]` escaped with a
 * backslash (§3.11.6: `[text](target)` is an embedded link), `{` and `}` doubled (§3.11.5:
 * `{0}` is a placeholder).
 */
export function sarifMessageText(text: string, max: number): string {
  return capLength(stripControl(text).trim(), max)
    .replace(/[\\[\]]/g, (c) => `\\${c}`)
    .replace(/[{}]/g, (c) => c + c);
}

/** A plain SARIF property value: one line, no controls, at most `max` characters. */
export function sarifPropertyText(text: string, max: number): string {
  return capLength(stripControl(text).trim(), max);
}

/**
 * One line for the Actions log: no control characters, no legacy `##[` command anywhere, and
 * never the start of a `::` workflow command (the runner trims leading white space first).
 */
export function escapeLogLine(text: string): string {
  return notACommand(breakLegacyCommands(stripControl(text)));
}

/**
 * A line that cannot start a `::` workflow command (the runner trims leading white space
 * first): such a line is quoted with `> `. For lines whose parts are already escaped (a table
 * with colour codes, which escapeLogLine would strip).
 */
export function notACommand(line: string): string {
  return /^\s*::/.test(line) ? `> ${line}` : line;
}

/** One-line, control-free, capped text for terminal tables and annotation titles. */
export function plainText(text: string, maxLength = DEFAULT_TEXT_CAP): string {
  return breakLegacyCommands(capLength(stripControl(text).trim(), maxLength));
}

/**
 * Finding prose for plain-text sinks (annotations, JSON `message`, SARIF `message.text`): the
 * finding sentences mark names with Markdown code spans; a plain-text reader would see the
 * backticks literally, so a span's fence is dropped and its text kept.
 */
export function unMarkdownCode(text: string): string {
  return String(text).replace(/(`+)([^`]+?)\1(?!`)/g, "$2");
}

/**
 * A relative path for a terminal line, control-free; a path starting with `:` is written
 * `./:...` (the same file) so that no printed line can begin a workflow command (`::`).
 */
export function plainPath(path: string, maxLength = 160): string {
  const text = plainText(path, maxLength);
  return text.startsWith(":") ? `./${text}` : text;
}
