// Decoding TOML, JSON and YAML into plain data, turning every failure into a ParseError with
// the decoder's own position. Bounded: deep nesting and alias bombs become errors, not crashes.
import { parse as parseTomlText, TomlError } from "smol-toml";
import { LineCounter, parseDocument } from "yaml";
import type { ParseError } from "../../types.js";
import { lineOfOffset } from "./lines.js";
import { preview } from "./pep508.js";
import { findDuplicateKey } from "./yaml-nodes.js";

/** Deepest bracket nesting we decode; real lockfiles stay far below it. */
export const MAX_NESTING = 200;
/** YAML alias expansions allowed per document; an environment file needs a handful at most. */
export const MAX_YAML_ALIASES = 50;

export type Decoded<T> = { value: T } | { error: ParseError };

/** First line of a decoder message, without the code excerpt decoders append. */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).trim();
}

/**
 * Depth of `[`/`{` nesting outside quoted strings, stopping early past `limit`. A cheap guard
 * that runs before any recursive decoder sees the text.
 */
export function nestingDepthExceeds(text: string, limit: number): { line: number } | undefined {
  let depth = 0;
  let quote = "";
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      if (quote === "'" || quote === "#") quote = "";
      continue;
    }
    if (quote !== "") {
      if (quote === '"' && c === 92) i++;
      else if (String.fromCharCode(c) === quote && quote !== "#") quote = "";
      continue;
    }
    if (c === 34) quote = '"';
    else if (c === 39) quote = "'";
    else if (c === 35) quote = "#";
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > limit) return { line };
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function tooDeep(file: string, line: number): { error: ParseError } {
  return {
    error: {
      file,
      line,
      code: "too-deeply-nested",
      message: `refused: brackets nested deeper than ${MAX_NESTING} levels`,
    },
  };
}

export function decodeToml(text: string, file: string): Decoded<Record<string, unknown>> {
  const deep = nestingDepthExceeds(text, MAX_NESTING);
  if (deep) return tooDeep(file, deep.line);
  try {
    return { value: parseTomlText(text) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof TomlError) {
      return {
        error: {
          file,
          line: error.line,
          column: error.column,
          code: "toml-syntax",
          message: `invalid TOML: ${firstLine(error.message).replace(/^Invalid TOML document:\s*/, "")}`,
        },
      };
    }
    if (error instanceof RangeError) return tooDeep(file, 1);
    throw error;
  }
}

/** V8 quotes this many characters of source on each side of an unexpected token. */
const V8_CONTEXT_CHARS = 10;

/** Candidate positions checked against the parser before giving up on naming the line. */
const MAX_CONTEXT_CANDIDATES = 8;

/**
 * Which of `offsets` (ascending) lie outside every JSON string of `text`, in order: an unexpected
 * token is never inside a string, so a copy of its context in a string value is not the error.
 */
function outsideJsonStrings(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  let inString = false;
  for (let i = 0; i < text.length && next < offsets.length; i++) {
    // An offset skipped over by an escape is inside a string.
    while (next < offsets.length && offsets[next]! < i) next++;
    if (next < offsets.length && offsets[next] === i) {
      if (!inString) out.push(i);
      next++;
    }
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
  }
  return out;
}

/**
 * True when JSON.parse fails at `offset`: the text before it reads, and that character does not.
 * A prefix that is only cut short fails at its end, past `offset` ("Unexpected end of JSON
 * input", or "Expected ',' or '}' … at position <its length>").
 */
function failsAt(text: string, offset: number): boolean {
  try {
    JSON.parse(text.slice(0, offset + 1));
    return false;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return false;
    const position = /position (\d+)/.exec(error.message);
    if (position) return Number(position[1]) === offset;
    return !/^Unexpected end of JSON input/.test(error.message);
  }
}

/**
 * Where the error is, from the messages of V8's JSON parser that give no position: "Unexpected
 * token 'x', ..."<source around it>"... is not valid JSON" (the token is 10 characters into a
 * quoted context), and "Unexpected end of JSON input" (the end). The context can occur more than
 * once (two entries written alike): the error is the first copy whose token lies outside a JSON
 * string and where the parser, given the text up to and including the token, fails. Undefined
 * when the context is not found with the token where the message says.
 */
function v8ContextOffset(text: string, message: string): number | undefined {
  if (/^Unexpected end of JSON input/.test(message)) return text.trimEnd().length;
  const m = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(
    message,
  );
  if (!m) return undefined;
  const token = m[1]!;
  const before = m[2];
  const context = m[3]!;
  const after = m[4];
  const candidates: number[] = [];
  if (before !== undefined) {
    for (let at = text.indexOf(context); at >= 0; at = text.indexOf(context, at + 1))
      candidates.push(at + V8_CONTEXT_CHARS);
  } else if (after !== undefined) {
    if (text.startsWith(context)) candidates.push(context.length - V8_CONTEXT_CHARS);
  } else {
    for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1))
      candidates.push(at);
  }
  const outside = outsideJsonStrings(
    text,
    candidates.filter((offset) => text[offset] === token),
  );
  return outside.slice(0, MAX_CONTEXT_CANDIDATES).find((offset) => failsAt(text, offset));
}

export function decodeJson(text: string, file: string): Decoded<unknown> {
  const deep = nestingDepthExceeds(text, MAX_NESTING);
  if (deep) return tooDeep(file, deep.line);
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    if (error instanceof SyntaxError) {
      const pos = /position (\d+)/.exec(error.message);
      const lineCol = /line (\d+) column (\d+)/.exec(error.message);
      const offset = pos ? Number(pos[1]) : v8ContextOffset(text, error.message);
      const line = lineCol
        ? Number(lineCol[1])
        : offset !== undefined
          ? lineOfOffset(text, offset)
          : undefined;
      const message = `invalid JSON: ${firstLine(error.message).replace(/ in JSON at position \d+.*$/, "")}`;
      return {
        error: { file, ...(line === undefined ? {} : { line }), code: "json-syntax", message },
      };
    }
    if (error instanceof RangeError) return tooDeep(file, 1);
    throw error;
  }
}

export interface DecodedYaml {
  value: unknown;
  /** Turns a node's source offset into a 1-based line. */
  lineOf: (offset: number) => number;
  /** The parsed document, for looking up node ranges. */
  doc: ReturnType<typeof parseDocument>;
}

export function decodeYaml(text: string, file: string): DecodedYaml | { error: ParseError } {
  const deep = nestingDepthExceeds(text, MAX_NESTING);
  if (deep) return tooDeep(file, deep.line);
  const lineCounter = new LineCounter();
  try {
    // `merge: true`: PyYAML, which conda uses, honours YAML 1.1 `<<` merge keys. Duplicate keys
    // are found below, to name both lines.
    const doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: false,
      merge: true,
    });
    const first = doc.errors[0];
    if (first) {
      const line = lineCounter.linePos(first.pos[0]).line;
      const code = first.code === "RESOURCE_EXHAUSTION" ? "too-deeply-nested" : "yaml-syntax";
      return {
        error: {
          file,
          line,
          code,
          message: `invalid YAML: ${firstLine(first.message).replace(/ at line \d+, column \d+:?$/, "")}`,
        },
      };
    }
    const duplicate = findDuplicateKey(doc);
    if (duplicate) {
      const line = (offset: number) => lineCounter.linePos(offset).line;
      return {
        error: {
          file,
          line: line(duplicate.second),
          code: "yaml-duplicate-key",
          message: `duplicate key \`${preview(duplicate.key, 100)}\` (first on line ${line(duplicate.first)}): a YAML reader keeps only one of them; remove one`,
        },
      };
    }
    // Expanding every alias once is the alias bomb guard for readers that follow aliases later.
    const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
    return { value, doc, lineOf: (offset) => lineCounter.linePos(offset).line };
  } catch (error) {
    if (error instanceof RangeError) return tooDeep(file, 1);
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        error: {
          file,
          code: "yaml-alias-limit",
          message: `refused: more than ${MAX_YAML_ALIASES} YAML aliases (an alias bomb?)`,
        },
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { error: { file, code: "yaml-syntax", message: `invalid YAML: ${firstLine(message)}` } };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
