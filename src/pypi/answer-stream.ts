// Reads a PyPI project answer (`GET /pypi/<name>/json`) as it streams in, without building the
// deprecated `releases` map: that map lists every file of every release and is 90-98 % of the
// answer, tens of megabytes for projects such as grpcio. Only `info`, `urls`, `ownership` and
// `last_serial` are kept (and parsed with JSON.parse); of `releases`, a few numbers per release.
// The scanner checks the whole text against the JSON grammar as it goes, so a truncated or
// broken answer is refused, not half read.

import { setFlagsFromString } from "node:v8";
import { RELEASES_SCAN_WASM } from "./releases-scan-wasm.js";

/** Bounds on what one answer may cost. */
export interface AnswerLimits {
  /** Bytes of everything kept: the values of `info`, `urls`, `ownership`, `last_serial`. */
  maxKeptBytes: number;
  /** Bytes of the whole answer, as decoded (after gzip). */
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ANSWER_LIMITS: AnswerLimits = {
  maxKeptBytes: 5 * MiB,
  maxTotalBytes: 256 * MiB,
};

/** What `releases` says of one release, without its files. */
export interface ReleaseSummary {
  /** Files listed for the release. */
  files: number;
  /** Files with `yanked: true`. */
  yankedFiles: number;
  /** Earliest and latest upload (ms since the epoch) of files with a readable upload time. */
  firstUploadMs: number | undefined;
  lastUploadMs: number | undefined;
}

export interface ProjectAnswer {
  /** The `info` object, as JSON.parse gives it. */
  info: Record<string, unknown>;
  /** The values of `urls`, `ownership` and `last_serial` as JSON.parse gives them; undefined when absent. */
  urls: unknown;
  ownership: unknown;
  lastSerial: unknown;
  /** One entry per version key of `releases`; undefined when the answer has no `releases` object. */
  releases: Map<string, ReleaseSummary> | undefined;
  /** Earliest upload of the files of the release `info.version`, from `releases`. */
  versionFirstUploadMs: number | undefined;
  /** Latest upload of any file of any release in `releases`. */
  latestUploadMs: number | undefined;
  /** Versions with at least one file, every one of them yanked. */
  yankedVersions: string[];
  /** Bytes of the answer read (decoded). */
  bytesRead: number;
}

export type AnswerProblem =
  | { code: "answer-too-large"; message: string; bytes: number }
  | { code: "answer-kept-too-large"; message: string; bytes: number }
  | { code: "answer-not-json"; message: string; offset: number }
  | { code: "answer-no-info"; message: string };

export function isAnswerProblem(value: ProjectAnswer | AnswerProblem): value is AnswerProblem {
  return "code" in value;
}

/**
 * Read one answer from its chunks (an HTTP body, decompressed). Returns the kept parts and the
 * release summary, or the reason the answer cannot be used; stops reading at the first
 * problem. Bad input never throws; an error of the chunk source itself (a dropped connection)
 * is passed on, since that is not the answer's fault.
 */
export async function readProjectAnswer(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
  opts: {
    holdUpTo?: number;
    /** Counts the decoded bytes taken from `chunks`, also when the answer is refused part way. */
    read?: { bytes: number };
    /** For tests: how the scanner reads (see ScannerOptions). */
    scanner?: ScannerOptions;
  } = {},
): Promise<ProjectAnswer | AnswerProblem> {
  // Most answers are small (PyPI's median is some tens of KB). When the caller knows this one is
  // (its Content-Length), it is held, up to `holdUpTo` decoded bytes, and handed to the engine's
  // JSON.parse: three times faster than scanning it here. Anything larger is scanned.
  const holdUpTo = opts.holdUpTo ?? 0;
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let scanner: AnswerScanner | undefined =
    holdUpTo > 0 ? undefined : createAnswerScanner(limits, opts.scanner);
  const read = opts.read ?? { bytes: 0 };
  for await (const chunk of chunks) {
    read.bytes += chunk.length;
    if (!scanner) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes <= holdUpTo) continue;
      scanner = createAnswerScanner(limits, opts.scanner);
      for (const part of held.splice(0)) {
        const problem = scanner.push(part);
        if (problem) return problem;
      }
      continue;
    }
    const problem = scanner.push(chunk);
    if (problem) return problem;
  }
  if (scanner) return scanner.end();
  const small = answerFromText(held, heldBytes);
  if (small) return small;
  // Not a plain answer: the scanner says exactly what is wrong with it, and where.
  scanner = createAnswerScanner(limits, opts.scanner);
  for (const part of held) {
    const problem = scanner.push(part);
    if (problem) return problem;
  }
  return scanner.end();
}

/** Decoded bytes of a small answer that may be held and parsed whole. */
export const SMALL_ANSWER_BYTES = 1024 * 1024;

/** Keeps a byte order mark, so that JSON.parse refuses it as the scanner does. */
const utf8KeepBom = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * A small answer parsed whole, summarised exactly as the scanner summarises it; undefined when it
 * is not JSON with an `info` object (the scanner then says why). Limits need no check: a small
 * answer is far below both caps.
 */
export function answerFromText(parts: Uint8Array[], bytes: number): ProjectAnswer | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(utf8KeepBom.decode(concatBytes(parts, bytes)));
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !isRecord(doc.info) || deeperThan(doc, MAX_DEPTH)) return undefined;
  const version = typeof doc.info.version === "string" ? doc.info.version : undefined;
  let releases: Map<string, ReleaseSummary> | undefined;
  let latestUploadMs: number | undefined;
  if (isRecord(doc.releases)) {
    releases = new Map();
    for (const [key, files] of Object.entries(doc.releases)) {
      if (!Array.isArray(files) || byteLength(key) > MAX_CAPTURE) continue;
      const summary = emptySummary();
      releases.set(key, summary);
      for (const file of files) {
        if (!isRecord(file)) continue;
        summary.files++;
        if (file.yanked === true) summary.yankedFiles++;
        const iso = stampOf(file.upload_time_iso_8601);
        const ms = Number.isNaN(iso) ? stampOf(file.upload_time) : iso;
        if (Number.isNaN(ms)) continue;
        if (summary.firstUploadMs === undefined || ms < summary.firstUploadMs)
          summary.firstUploadMs = ms;
        if (summary.lastUploadMs === undefined || ms > summary.lastUploadMs)
          summary.lastUploadMs = ms;
        if (latestUploadMs === undefined || ms > latestUploadMs) latestUploadMs = ms;
      }
    }
  }
  return {
    info: doc.info,
    urls: doc.urls,
    ownership: doc.ownership,
    lastSerial: doc.last_serial,
    releases,
    versionFirstUploadMs: version === undefined ? undefined : releases?.get(version)?.firstUploadMs,
    latestUploadMs,
    yankedVersions: allYankedVersions(releases),
    bytesRead: bytes,
  };
}

/** Whether a parsed value nests arrays and objects deeper than `limit` (the scanner's refusal). */
/**
 * The versions whose every file is yanked. A loop over tens of thousands of releases, kept in a
 * function of its own and run through `forEach`: as a `for…of` inside a large function, the engine
 * compiles the whole of that function anew, on the spot, for the one loop (some 10 ms of CPU for an
 * answer of 80 MB); this way it compiles the small callback only.
 */
function allYankedVersions(releases: Map<string, ReleaseSummary> | undefined): string[] {
  const out: string[] = [];
  releases?.forEach((summary, version) => {
    if (summary.files > 0 && summary.yankedFiles === summary.files) out.push(version);
  });
  return out;
}

function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** An upload time as the scanner reads one: a string of at most MAX_CAPTURE bytes. */
function stampOf(value: unknown): number {
  return typeof value === "string" && byteLength(value) <= MAX_CAPTURE ? uploadMs(value) : NaN;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export interface AnswerScanner {
  /** Scan the next chunk; a problem ends the answer (later pushes return it again). */
  push(chunk: Uint8Array): AnswerProblem | undefined;
  /** The answer once every chunk was pushed. */
  end(): ProjectAnswer | AnswerProblem;
}

/** Versions kept in the summary; past this only `info.version` (when already known) is added. */
const MAX_VERSIONS = 100_000;
/** Open arrays and objects at once; deeper text is refused rather than risk the stack. */
const MAX_DEPTH = 1_000;
/** Longest key or captured string (version, upload time) looked at; longer ones match nothing. */
const MAX_CAPTURE = 1_024;
/** Longest number or literal accepted. */
const MAX_SCALAR = 1_024;

// Scanner states: what the next byte may be.
const S_VALUE = 0; // a value
const S_FIRST_KEY = 1; // after `{`: a key or `}`
const S_KEY = 2; // after `,` in an object: a key
const S_COLON = 3;
const S_AFTER = 4; // after a value inside a container: `,` or the closing bracket
const S_FIRST_ITEM = 5; // after `[`: a value or `]`
const S_STRING = 6;
const S_SCALAR = 7; // inside a number or `true` / `false` / `null`
const S_DONE = 8; // after the top-level value: only white space

const OBJECT = 1;
const ARRAY = 2;

// What a top-level member's value is to us.
const SKIP = 0;
const KEEP = 1;
const RELEASES = 2;
const KEPT_KEYS = new Set(["info", "urls", "ownership", "last_serial"]);

// Keys of a release file that are looked at.
const F_OTHER = 0;
const F_ISO = 1;
const F_PLAIN = 2;
const F_YANKED = 3;

/** What `scanString` answers when the chunk ends inside the string. */
const INSIDE = -2;

const Q = 0x22; // "

/** Bytes that end the plain run of a string: `"`, `\` and control characters (a table: one load a byte). */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;
STRING_STOP[0x22] = STRING_STOP[0x5c] = 1;
const BACKSLASH = 0x5c;

function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** Bytes that can continue a number or literal; anything else ends it. */
const isScalarByte = (c: number) =>
  (c >= 0x61 && c <= 0x7a) ||
  isDigit(c) ||
  c === 0x2d ||
  c === 0x2b ||
  c === 0x2e ||
  (c >= 0x41 && c <= 0x5a);
/** The escapes JSON allows after `\`: `" \ / b f n r t u`. */
const isEscape = (c: number) =>
  c === Q ||
  c === BACKSLASH ||
  c === 0x2f ||
  c === 0x62 ||
  c === 0x66 ||
  c === 0x6e ||
  c === 0x72 ||
  c === 0x74 ||
  c === 0x75;

function sameBytes(bytes: Uint8Array, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[from + k] !== word.charCodeAt(k)) return false;
  return true;
}

function digitsEnd(bytes: Uint8Array, at: number, to: number): number {
  while (at < to && isDigit(bytes[at]!)) at++;
  return at;
}

/** Whether bytes[from, to) are a JSON number or literal, by the grammar of RFC 8259. */
function isScalarText(bytes: Uint8Array, from: number, to: number): boolean {
  const first = bytes[from];
  if (first === 0x74) return sameBytes(bytes, from, to, "true");
  if (first === 0x66) return sameBytes(bytes, from, to, "false");
  if (first === 0x6e) return sameBytes(bytes, from, to, "null");
  let at = from;
  if (bytes[at] === 0x2d) at++;
  if (at < to && bytes[at] === 0x30) at++;
  else {
    const end = digitsEnd(bytes, at, to);
    if (end === at) return false;
    at = end;
  }
  if (at < to && bytes[at] === 0x2e) {
    const end = digitsEnd(bytes, at + 1, to);
    if (end === at + 1) return false;
    at = end;
  }
  if (at < to && (bytes[at] === 0x65 || bytes[at] === 0x45)) {
    at++;
    if (at < to && (bytes[at] === 0x2b || bytes[at] === 0x2d)) at++;
    const end = digitsEnd(bytes, at, to);
    if (end === at) return false;
    at = end;
  }
  return at === to;
}

/** `upload_time_iso_8601`, or `upload_time` without a zone (UTC), in ms; NaN when unreadable. */
export function uploadMs(stamp: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`);
}

/** Two or four ASCII digits at `at` as a number; NaN when not digits. */
function digitsAt(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let k = at; k < at + count; k++) {
    const d = bytes[k]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.ffffff][Z]` read straight from bytes, as PyPI writes both upload times;
 * NaN for anything else, a day the month does not have too (the caller then asks Date.parse). Saves a string and a Date.parse
 * per file, a third of the time spent in `releases`.
 */
export function plainStampMs(bytes: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length < 19 || bytes[from + 4] !== 0x2d || bytes[from + 7] !== 0x2d) return NaN;
  if (bytes[from + 10] !== 0x54 || bytes[from + 13] !== 0x3a || bytes[from + 16] !== 0x3a)
    return NaN;
  let end = to;
  if (bytes[end - 1] === 0x5a) end--;
  let ms = 0;
  if (end > from + 19) {
    const digits = end - from - 20;
    if (bytes[from + 19] !== 0x2e || digits < 1) return NaN;
    if (Number.isNaN(digitsAt(bytes, from + 20, digits))) return NaN;
    const shown = Math.min(3, digits);
    ms = digitsAt(bytes, from + 20, shown) * 10 ** (3 - shown);
  }
  const year = digitsAt(bytes, from, 4);
  const month = digitsAt(bytes, from + 5, 2);
  const day = digitsAt(bytes, from + 8, 2);
  const hour = digitsAt(bytes, from + 11, 2);
  const minute = digitsAt(bytes, from + 14, 2);
  const second = digitsAt(bytes, from + 17, 2);
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1)) return NaN;
  if (!(day <= daysInMonth(year, month))) return NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * Days in a month (1-12) of the Gregorian calendar. Date.parse rolls a day past the month's
 * end over into the next month (2023-02-29 is March 1st); `plainStampMs` leaves such days to it.
 */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const utf8 = new TextDecoder();

function concatBytes(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A string's bytes (without the quotes) as text; escapes are resolved by JSON.parse. ASCII is
 * decoded in JavaScript: TextDecoder costs a microsecond a call, too much for every version.
 */
function decodeString(bytes: Uint8Array, from: number, to: number, escaped: boolean): string {
  let ascii = true;
  for (let k = from; k < to && ascii; k++) ascii = bytes[k]! < 0x80;
  const view = bytes.subarray(from, to);
  const text = ascii
    ? String.fromCharCode.apply(null, view as unknown as number[])
    : utf8.decode(view);
  return escaped ? (JSON.parse(`"${text}"`) as string) : text;
}

/**
 * The bytes as a plain Uint8Array (a Buffer is a subclass of it): every function of the scanner
 * then meets one kind of array, as the engine's optimised code expects; a Buffer after a
 * Uint8Array would throw that code away and have it compiled again.
 */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function emptySummary(): ReleaseSummary {
  return { files: 0, yankedFiles: 0, firstUploadMs: undefined, lastUploadMs: undefined };
}

/**
 * The WebAssembly fast path (releases-scan.as): `fastTokens`, and inside `releases` the plain
 * version keys, the brackets of each release and its file objects too, four to five times as fast
 * as the JavaScript and as fast from the first byte (no JIT to warm up). What the summary needs
 * comes back as records, one per release (or part of one) met in the call, applied in order by
 * `applyRecords`. One instance serves every scanner: a call is synchronous, and the scanner copies
 * its state into the instance's memory before it and back after it.
 */
interface WasmFastPath {
  fast: (from: number, to: number) => number;
  /** i32 slots: state, depth, in releases, in a file, release counted, file key, yanked, deepest slot written, version key read, records allowed, records written, stopped for want of a record. */
  ints: Int32Array;
  /** f64 slots: the file's two upload times. */
  floats: Float64Array;
  stack: Uint8Array;
  data: Uint8Array;
  /** The records, as i32 (REC_* / 4) and as f64 (REC_*_MS / 8). */
  recordInts: Int32Array;
  recordFloats: Float64Array;
}

// The memory layout of releases-scan.as.
const WASM_STATE_I = 0x1000;
const WASM_STATE_F = 0x1040;
const WASM_STACK = 0x1100;
const WASM_DATA = 0x2000;
const WASM_OUT = 0x43000;
/** Bytes of a chunk copied into the instance at once. */
const WASM_WINDOW = 256 * 1024;
/** A window is copied anew when fewer bytes than this are left in it (and more in the chunk). */
const WASM_WINDOW_SLACK = 4096;
/** Records one call may write. */
const WASM_RECORDS = 1024;
/** Chunks gathered at most before they are scanned (tiny chunks are scanned every so many). */
const MAX_GATHERED_CHUNKS = 4096;
// A record, in i32 and f64 slots; its flags.
const REC_INTS = 10;
const REC_FLOATS = 5;
const REC_FLAGS = 0;
const REC_KEY_FROM = 1;
const REC_KEY_LENGTH = 2;
const REC_FILES = 3;
const REC_YANKED_FILES = 4;
const REC_FIRST_MS = 3;
const REC_LAST_MS = 4;
const R_KEY = 1;
const R_OPEN = 2;
const R_CLOSE = 4;

let wasmFastPath: WasmFastPath | null | undefined;

function loadWasmFastPath(): WasmFastPath | null {
  if (wasmFastPath !== undefined) return wasmFastPath;
  try {
    const instance = new WebAssembly.Instance(compileScanModule(), {});
    const buffer = (instance.exports.memory as WebAssembly.Memory).buffer;
    wasmFastPath = {
      fast: instance.exports.fast as WasmFastPath["fast"],
      ints: new Int32Array(buffer, WASM_STATE_I, 16),
      floats: new Float64Array(buffer, WASM_STATE_F, 2),
      stack: new Uint8Array(buffer, WASM_STACK, MAX_DEPTH + 2),
      data: new Uint8Array(buffer, WASM_DATA, WASM_WINDOW),
      recordInts: new Int32Array(buffer, WASM_OUT, WASM_RECORDS * REC_INTS),
      recordFloats: new Float64Array(buffer, WASM_OUT, WASM_RECORDS * REC_FLOATS),
    };
  } catch {
    wasmFastPath = null; // no WebAssembly here (or no SIMD): the JavaScript fast path
  }
  return wasmFastPath;
}

/**
 * The module, compiled with every function optimised at once. V8 compiles a module's functions
 * on their first call with its baseline compiler, and optimises one only after it has run for a
 * while (about 13 MB of code executed in V8 13): a fresh process would read most of its first big
 * answer in baseline code, about twice as slow (12 MB: 19-24 ms against 9 ms optimised). With
 * lazy compilation and dynamic tiering off for this compile, V8 compiles every function now
 * (about a millisecond) and optimises them on a background thread at once (some 10 ms of CPU
 * there, which a process also waits for when it exits before they are done), so the optimised
 * code is ready by the time an answer arrives. The flags are read when a module is compiled, and
 * set back to their defaults right after; when node was started with either of them, they are
 * left alone, as given.
 */
export function compileScanModule(): WebAssembly.Module {
  const bytes = Buffer.from(RELEASES_SCAN_WASM, "base64");
  if (userSetsTiering()) return new WebAssembly.Module(bytes);
  setFlagsFromString("--no-wasm-lazy-compilation");
  setFlagsFromString("--no-wasm-dynamic-tiering");
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setFlagsFromString("--wasm-dynamic-tiering");
    setFlagsFromString("--wasm-lazy-compilation");
  }
}

/** Whether node's own options (its arguments or NODE_OPTIONS) set either tiering flag. */
export function userSetsTiering(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): boolean {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  return given.some((flag) =>
    /^--(no-)?wasm[-_](lazy[-_]compilation|dynamic[-_]tiering)(=|$)/.test(flag),
  );
}

/**
 * Make the scanner ready before an answer arrives: the WebAssembly fast path is compiled, and
 * optimised in the background while the request is in flight. Idempotent; free once done.
 */
export function prepareAnswerScanner(): void {
  loadWasmFastPath();
}

/** Which fast path a scanner uses: `auto` is WebAssembly where it runs. */
export type FastPath = "auto" | "wasm" | "js";

/** Whether the WebAssembly fast path runs here. */
export function hasWasmFastPath(): boolean {
  return loadWasmFastPath() !== null;
}

export interface ScannerOptions {
  fastPath?: FastPath;
  /** Versions kept in the summary (MAX_VERSIONS); smaller for tests. */
  maxVersions?: number;
  /** Bytes copied into the WebAssembly memory at once (64 to WASM_WINDOW); smaller for tests. */
  wasmWindow?: number;
  /** Records one WebAssembly call may write (1 to WASM_RECORDS); fewer for tests. */
  wasmRecords?: number;
  /**
   * With the WebAssembly fast path, chunks smaller than this that arrive inside `releases` are
   * gathered (copied) up to this many bytes and scanned together (0 to wasmWindow; 0: each
   * chunk as it comes). Default: wasmWindow. A socket gives 64 KiB at a time: gathering four
   * into one window makes a quarter of the calls into the scanner and its WebAssembly, and keeps
   * the JavaScript around them (some thousand calls per big answer) from growing hot enough for
   * V8 to spend tens of milliseconds of CPU optimising it, which on a small runner is taken from
   * reading the answer. Only `releases` is gathered: everything else (`info` and the other kept
   * values, whose size is checked at each chunk's end) is read chunk by chunk as it comes, also
   * when `releases` ends inside gathered bytes, so the answer and any refusal are the same as
   * without gathering. A problem inside `releases` is found once the bytes gathered with it are
   * scanned, when the window is full or the next chunk would not fit: the bytes read before the
   * refusal may then be more, by up to a window and that next chunk.
   */
  gatherBytes?: number;
}

/**
 * The scanner behind `readProjectAnswer`, for callers that push chunks themselves. One pass,
 * byte by byte, resumable at any chunk boundary: a container stack, the string/escape state,
 * and just enough of the path to know where a byte is (top-level key; in `releases`, the
 * version key and the keys of each file object).
 */
export function createAnswerScanner(
  limits: AnswerLimits,
  opts: ScannerOptions = {},
): AnswerScanner {
  const fastPath = opts.fastPath ?? "auto";
  const wasm = fastPath === "js" ? null : loadWasmFastPath();
  if (fastPath === "wasm" && !wasm) throw new Error("the WebAssembly fast path does not run here");
  const maxVersions = opts.maxVersions ?? MAX_VERSIONS;
  const wasmWindow = Math.max(64, Math.min(WASM_WINDOW, opts.wasmWindow ?? WASM_WINDOW));
  const wasmSlack = Math.min(WASM_WINDOW_SLACK, wasmWindow >> 2);
  const wasmRecords = Math.max(1, Math.min(WASM_RECORDS, opts.wasmRecords ?? WASM_RECORDS));
  const gatherBytes = wasm ? Math.max(0, Math.min(wasmWindow, opts.gatherBytes ?? wasmWindow)) : 0;
  /** Chunks gathered and not yet scanned (see `gatherBytes`), and where each of them ends. */
  let gathered: Uint8Array | undefined;
  let gatheredLength = 0;
  let gatheredEnds: Int32Array | undefined;
  let gatheredChunks = 0;
  /** Bytes of its chunk the last `scanChunk` read (all of them, unless it stopped where `releases` ended). */
  let scannedTo = 0;
  let problem: AnswerProblem | undefined;
  let state = S_VALUE;
  const stack = new Uint8Array(MAX_DEPTH + 2);
  let depth = 0;
  let base = 0; // offset of the current chunk in the answer
  let topIsObject = false;

  // The current string.
  let isKey = false;
  let escaped = false; // the last byte was a backslash
  let hexLeft = 0; // hex digits still due after `\u`
  let sawEscape = false;
  let capturing = false;
  let strFrom = 0;
  const capBuf = new Uint8Array(MAX_CAPTURE);
  let capLen = 0; // bytes carried over from earlier chunks; > MAX_CAPTURE once too long
  // Where the whole string is once it ended: in the chunk itself when it did not cross chunks.
  let capBytes: Uint8Array = capBuf;
  let capFrom = 0;
  let capTo = 0;

  // The current number or literal.
  let scalarFrom = 0;
  const scalarBuf = new Uint8Array(MAX_SCALAR);
  let scalarLen = 0;
  let scalarOffset = 0;

  // The current top-level member.
  let topRole = SKIP;
  let topKey = "";
  let keepFrom = 0;
  let keepParts: Uint8Array[] = [];
  let keepLen = 0;
  let keepOffset = 0;
  let keptTotal = 0;
  const kept = new Map<string, unknown>();

  // Inside `releases`.
  let inReleases = false;
  let releases: Map<string, ReleaseSummary> | undefined;
  let wantedVersion: string | undefined;
  let versionKey: string | undefined;
  let release: ReleaseSummary | undefined; // the release whose file list is open
  let inFile = false;
  let fileKey = F_OTHER;
  let fileIsoMs = NaN;
  let filePlainMs = NaN;
  let fileYanked = false;
  let latestUploadMs: number | undefined;

  function notJson(offset: number, what: string): AnswerProblem {
    problem = {
      code: "answer-not-json",
      message: `the package index answered with a body that is not JSON (${what} at byte ${offset})`,
      offset,
    };
    return problem;
  }

  /** Copy string bytes into capBuf; by hand, since subarray() per string costs more than the copy. */
  function capture(chunk: Uint8Array, from: number, to: number): void {
    let at = capLen;
    capLen += to - from;
    if (capLen > MAX_CAPTURE) return;
    for (let k = from; k < to; k++) capBuf[at++] = chunk[k]!;
  }

  /** The string ended at `to` (its closing quote): point capBytes/capFrom/capTo at its bytes. */
  function captureEnd(chunk: Uint8Array, to: number): void {
    if (capLen === 0) {
      capBytes = chunk;
      capFrom = strFrom;
      capTo = to;
      capLen = to - strFrom;
      return;
    }
    capture(chunk, strFrom, to);
    capBytes = capBuf;
    capFrom = 0;
    capTo = capLen;
  }

  function captured(): string | undefined {
    if (capLen > MAX_CAPTURE) return undefined;
    try {
      return decodeString(capBytes, capFrom, capTo, sawEscape);
    } catch {
      return undefined; // a lone escape JSON.parse dislikes: then it matches nothing
    }
  }

  /** The captured upload time in ms, NaN when unreadable. */
  function stampMs(): number {
    if (capLen > MAX_CAPTURE) return NaN;
    const ms = sawEscape ? NaN : plainStampMs(capBytes, capFrom, capTo);
    if (!Number.isNaN(ms)) return ms;
    const text = captured();
    return text === undefined ? NaN : uploadMs(text);
  }

  /** Whether the captured string is `word` (ASCII), as JSON.parse reads it: `upload\u005ftime` is `upload_time`. */
  function capturedIs(word: string): boolean {
    return sawEscape ? captured() === word : sameBytes(capBytes, capFrom, capTo, word);
  }

  function keep(chunk: Uint8Array, from: number, to: number): AnswerProblem | undefined {
    if (to <= from) return undefined;
    keepParts.push(new Uint8Array(chunk.subarray(from, to)));
    keepLen += to - from;
    keptTotal += to - from;
    if (keptTotal <= limits.maxKeptBytes) return undefined;
    problem = {
      code: "answer-kept-too-large",
      message: `the \`info\` part of the index answer (with \`urls\` and \`ownership\`) is larger than ${formatBytes(limits.maxKeptBytes)}`,
      bytes: keptTotal,
    };
    return problem;
  }

  function onTopValueStart(offset: number): void {
    if (topRole === KEEP) {
      keepParts = [];
      keepLen = 0;
      keepOffset = offset;
    }
  }

  function onTopValueEnd(chunk: Uint8Array, end: number): AnswerProblem | undefined {
    if (topRole === RELEASES) {
      inReleases = false;
      return undefined;
    }
    if (topRole !== KEEP) return undefined;
    if (keep(chunk, keepFrom, end)) return problem;
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(concatBytes(keepParts, keepLen)));
    } catch {
      return notJson(keepOffset, `a value JSON.parse refuses in \`${topKey}\``);
    }
    keepParts = [];
    kept.set(topKey, value);
    if (topKey === "info") {
      wantedVersion =
        isRecord(value) && typeof value.version === "string" ? value.version : undefined;
    }
    topRole = SKIP;
    return undefined;
  }

  function onKey(): void {
    if (depth === 1) {
      topKey = captured() ?? "";
      topRole = topKey === "releases" ? RELEASES : KEPT_KEYS.has(topKey) ? KEEP : SKIP;
    } else if (depth === 2) {
      versionKey = captured();
    } else {
      fileKey = capturedIs("upload_time_iso_8601")
        ? F_ISO
        : capturedIs("upload_time")
          ? F_PLAIN
          : capturedIs("yanked")
            ? F_YANKED
            : F_OTHER;
    }
  }

  function beginRelease(): void {
    const version = versionKey;
    release = undefined;
    if (version === undefined || !releases) return;
    release = releases.get(version);
    if (release) return;
    release = emptySummary();
    if (releases.size < maxVersions || version === wantedVersion) releases.set(version, release);
  }

  function endFile(): void {
    inFile = false;
    const ms = Number.isNaN(fileIsoMs) ? filePlainMs : fileIsoMs;
    addFiles(release!, 1, fileYanked ? 1 : 0, ms, ms);
  }

  /** Files of the open release: their count, the yanked ones, their earliest and latest upload (NaN if none). */
  function addFiles(
    summary: ReleaseSummary,
    files: number,
    yankedFiles: number,
    firstMs: number,
    lastMs: number,
  ): void {
    summary.files += files;
    summary.yankedFiles += yankedFiles;
    if (Number.isNaN(firstMs)) return;
    if (summary.firstUploadMs === undefined || firstMs < summary.firstUploadMs)
      summary.firstUploadMs = firstMs;
    if (summary.lastUploadMs === undefined || lastMs > summary.lastUploadMs)
      summary.lastUploadMs = lastMs;
    if (latestUploadMs === undefined || lastMs > latestUploadMs) latestUploadMs = lastMs;
  }

  /** `{` or `[` at byte i. */
  function open(kind: number, offset: number): AnswerProblem | undefined {
    if (depth === MAX_DEPTH) return notJson(offset, `nesting deeper than ${MAX_DEPTH}`);
    stack[++depth] = kind;
    if (depth === 1) topIsObject = kind === OBJECT;
    else if (depth === 2 && topRole === RELEASES && kind === OBJECT) {
      inReleases = true;
      releases = new Map(); // a repeated `releases` replaces the first, as in JSON.parse
      latestUploadMs = undefined;
    } else if (inReleases) {
      if (depth === 3 && kind === ARRAY) beginRelease();
      else if (depth === 4 && kind === OBJECT && release) {
        inFile = true;
        fileIsoMs = filePlainMs = NaN;
        fileYanked = false;
      }
    }
    state = kind === OBJECT ? S_FIRST_KEY : S_FIRST_ITEM;
    return undefined;
  }

  /** A value ended; `end` is the index just past it in the chunk. */
  function valueDone(chunk: Uint8Array, end: number): AnswerProblem | undefined {
    if (depth === 0) {
      state = S_DONE;
      return undefined;
    }
    state = S_AFTER;
    if (depth === 1 && topIsObject) return onTopValueEnd(chunk, end);
    return undefined;
  }

  /** `}` or `]` at byte i. */
  function close(c: number, chunk: Uint8Array, i: number): AnswerProblem | undefined {
    const kind = c === 0x7d ? OBJECT : ARRAY;
    if (stack[depth] !== kind) return notJson(base + i, `a stray \`${String.fromCharCode(c)}\``);
    if (inReleases) {
      if (depth === 4 && inFile) endFile();
      else if (depth === 3) release = undefined;
    }
    depth--;
    return valueDone(chunk, i + 1);
  }

  /** The first byte of a value, at i. */
  function startValue(c: number, chunk: Uint8Array, i: number): AnswerProblem | undefined {
    if (depth === 1 && topIsObject) {
      keepFrom = i;
      onTopValueStart(base + i);
    }
    if (c === 0x7b) return open(OBJECT, base + i);
    if (c === 0x5b) return open(ARRAY, base + i);
    if (c === Q) {
      state = S_STRING;
      isKey = false;
      capturing = inFile && depth === 4 && (fileKey === F_ISO || fileKey === F_PLAIN);
      beginString(i);
      return undefined;
    }
    if (c === 0x2d || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e) {
      state = S_SCALAR;
      scalarFrom = i;
      scalarLen = 0;
      scalarOffset = base + i;
      return undefined;
    }
    return notJson(base + i, `an unexpected \`${String.fromCharCode(c)}\``);
  }

  function beginString(i: number): void {
    escaped = false;
    hexLeft = 0;
    sawEscape = false;
    strFrom = i + 1;
    capLen = 0;
  }

  function beginKey(i: number): void {
    state = S_STRING;
    isKey = true;
    capturing = depth === 1 || (inReleases && (depth === 2 || (depth === 4 && inFile)));
    if (depth === 4) fileKey = F_OTHER;
    beginString(i);
  }

  /** The closing quote of a string was at end - 1. */
  function endString(chunk: Uint8Array, end: number): AnswerProblem | undefined {
    if (capturing) captureEnd(chunk, end - 1);
    if (isKey) {
      if (capturing) onKey();
      state = S_COLON;
      return undefined;
    }
    if (capturing) {
      const ms = stampMs();
      if (fileKey === F_ISO) fileIsoMs = ms;
      else filePlainMs = ms;
    }
    return valueDone(chunk, end);
  }

  /** The number or literal ended before byte i (i may be the chunk's length). */
  function endScalar(chunk: Uint8Array, i: number): AnswerProblem | undefined {
    let bytes = chunk;
    let from = scalarFrom;
    let to = i;
    if (scalarLen > 0) {
      if (!appendScalar(chunk, scalarFrom, i)) return problem;
      bytes = scalarBuf;
      from = 0;
      to = scalarLen;
    }
    if (!isScalarText(bytes, from, to)) return notJson(scalarOffset, "a bad number or literal");
    if (inFile && depth === 4 && fileKey === F_YANKED) fileYanked = bytes[from] === 0x74;
    return valueDone(chunk, i);
  }

  function appendScalar(chunk: Uint8Array, from: number, to: number): boolean {
    if (scalarLen + to - from > MAX_SCALAR) {
      notJson(scalarOffset, `a number longer than ${MAX_SCALAR} bytes`);
      return false;
    }
    scalarBuf.set(chunk.subarray(from, to), scalarLen);
    scalarLen += to - from;
    return true;
  }

  /** Scan string bytes from i: the index past the closing quote, INSIDE when the chunk ends first, -1 on error. */
  function scanString(chunk: Uint8Array, i: number, n: number): number {
    for (;;) {
      if (escaped) {
        if (i >= n) return INSIDE;
        const c = chunk[i]!;
        if (!isEscape(c)) {
          notJson(base + i, "a bad escape");
          return -1;
        }
        escaped = false;
        if (c === 0x75) hexLeft = 4;
        i++;
      }
      while (hexLeft > 0) {
        if (i >= n) return INSIDE;
        if (!isHex(chunk[i]!)) {
          notJson(base + i, "a bad \\u escape");
          return -1;
        }
        hexLeft--;
        i++;
      }
      let c = 0;
      while (i < n && (c = chunk[i]!) !== Q && c !== BACKSLASH && c >= 0x20) i++;
      if (i >= n) return INSIDE;
      if (c === Q) return i + 1;
      if (c !== BACKSLASH) {
        notJson(base + i, "a control character in a string");
        return -1;
      }
      escaped = true;
      sawEscape = true;
      i++;
    }
  }

  /**
   * The common tokens below the top level, in one tight loop with the state in locals: white
   * space, `,` `:`, strings that end in this chunk without an escape, numbers and literals that
   * end in this chunk, and brackets that mean nothing to the summary. Anything else (a string or
   * number that crosses the chunk end, an escape, a control character, a bracket that opens or
   * closes a release or a file, a key or value that is captured other than a file's keys and
   * plain upload times, any error) is left to the byte-by-byte machine in `push`: the loop
   * returns the index of that token's first byte, with the state as before it. Every byte it
   * passes is checked as strictly as there.
   */
  function fastTokens(chunk: Uint8Array, i: number, n: number): number {
    let st = state;
    let d = depth;
    const releasesOpen = inReleases;
    const fileOpen = inFile && releasesOpen;
    loop: while (i < n) {
      let c = chunk[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      switch (st) {
        case S_AFTER:
          if (c === 0x2c) {
            st = stack[d] === OBJECT ? S_KEY : S_VALUE;
            i++;
            continue;
          }
          if ((c === 0x7d || c === 0x5d) && d > 2 && !(releasesOpen && (d === 3 || d === 4))) {
            if (stack[d] !== (c === 0x7d ? OBJECT : ARRAY)) break loop;
            d--;
            i++;
            continue; // st stays S_AFTER: a value ended below the top level
          }
          break loop;
        case S_COLON:
          if (c !== 0x3a) break loop;
          st = S_VALUE;
          i++;
          continue;
        case S_FIRST_KEY:
        case S_KEY: {
          if (c !== Q) {
            if (
              c === 0x7d &&
              st === S_FIRST_KEY &&
              d > 2 &&
              !(releasesOpen && (d === 3 || d === 4))
            ) {
              if (stack[d] !== OBJECT) break loop;
              d--;
              st = S_AFTER;
              i++;
              continue;
            }
            break loop;
          }
          const isFileKey = fileOpen && d === 4;
          if (releasesOpen && !isFileKey && d === 2) break loop; // a version key: captured
          let k = i + 1;
          while (k < n && STRING_STOP[(c = chunk[k]!)] === 0) k++;
          if (k >= n || c !== Q) break loop;
          if (isFileKey) {
            // By length first: most keys of a file are none of the three.
            const length = k - i - 1;
            fileKey =
              length === 20 && sameBytes(chunk, i + 1, k, "upload_time_iso_8601")
                ? F_ISO
                : length === 11 && sameBytes(chunk, i + 1, k, "upload_time")
                  ? F_PLAIN
                  : length === 6 && sameBytes(chunk, i + 1, k, "yanked")
                    ? F_YANKED
                    : F_OTHER;
          }
          st = S_COLON;
          i = k + 1;
          continue;
        }
        case S_VALUE:
        case S_FIRST_ITEM: {
          if (c === Q) {
            let k = i + 1;
            while (k < n && STRING_STOP[(c = chunk[k]!)] === 0) k++;
            if (k >= n || c !== Q) break loop;
            if (fileOpen && d === 4 && (fileKey === F_ISO || fileKey === F_PLAIN)) {
              if (k - i - 1 > MAX_CAPTURE) break loop;
              const ms = plainStampMs(chunk, i + 1, k);
              if (Number.isNaN(ms)) break loop; // the careful reading in `stampMs`
              if (fileKey === F_ISO) fileIsoMs = ms;
              else filePlainMs = ms;
            }
            st = S_AFTER;
            i = k + 1;
            continue;
          }
          if (c === 0x2d || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e) {
            let k = i + 1;
            while (k < n && isScalarByte(chunk[k]!)) k++;
            if (k >= n || !isScalarText(chunk, i, k)) break loop;
            if (fileOpen && d === 4 && fileKey === F_YANKED) fileYanked = c === 0x74;
            st = S_AFTER;
            i = k;
            continue;
          }
          if (
            (c === 0x7b || c === 0x5b) &&
            d < MAX_DEPTH &&
            !(releasesOpen && (d === 2 || d === 3))
          ) {
            stack[++d] = c === 0x7b ? OBJECT : ARRAY;
            st = c === 0x7b ? S_FIRST_KEY : S_FIRST_ITEM;
            i++;
            continue;
          }
          if (
            c === 0x5d &&
            st === S_FIRST_ITEM &&
            d > 2 &&
            !(releasesOpen && (d === 3 || d === 4))
          ) {
            if (stack[d] !== ARRAY) break loop;
            d--;
            st = S_AFTER;
            i++;
            continue;
          }
          break loop;
        }
        default:
          break loop;
      }
    }
    state = st;
    depth = d;
    fastStop = i;
    return i;
  }

  // The part of the current chunk in the WebAssembly memory: chunk[windowFrom, windowTo).
  let windowFrom = 0;
  let windowTo = -1;

  /**
   * `fastTokens` in WebAssembly, with the plain version keys, the brackets of the releases and
   * the file objects of a counted release too. Sets `fastStop`.
   */
  function fastTokensWasm(w: WasmFastPath, chunk: Uint8Array, i: number, n: number): number {
    if (i < windowFrom || i >= windowTo || (windowTo < n && windowTo - i < wasmSlack)) {
      windowFrom = i;
      windowTo = Math.min(n, i + wasmWindow);
      w.data.set(chunk.subarray(windowFrom, windowTo));
    }
    const ints = w.ints;
    const floats = w.floats;
    ints[0] = state;
    ints[1] = depth;
    ints[2] = inReleases ? 1 : 0;
    ints[3] = inFile ? 1 : 0;
    ints[4] = release ? 1 : 0;
    ints[5] = fileKey;
    ints[6] = fileYanked ? 1 : 0;
    ints[8] = versionKey === undefined ? 0 : 1;
    ints[9] = wasmRecords;
    floats[0] = fileIsoMs;
    floats[1] = filePlainMs;
    const wasmStack = w.stack;
    for (let k = 1; k <= depth; k++) wasmStack[k] = stack[k]!;
    const next = w.fast(i - windowFrom, windowTo - windowFrom) + windowFrom;
    state = ints[0]!;
    depth = ints[1]!;
    for (let k = 1, deepest = ints[7]!; k <= deepest; k++) stack[k] = wasmStack[k]!;
    if (inReleases) inFile = ints[3] === 1;
    fileKey = ints[5]!;
    fileYanked = ints[6] === 1;
    fileIsoMs = floats[0]!;
    filePlainMs = floats[1]!;
    const records = ints[10]!;
    if (records > 0) applyRecords(w, chunk, records);
    // Called again at once when it stopped for want of a record or near the window's end (a
    // new window may take it further); otherwise the byte there is the byte machine's.
    const rewindow = next >= windowTo || (windowTo < n && windowTo - next < wasmSlack);
    fastStop = ints[11] === 1 || rewindow ? -1 : next;
    return next;
  }

  /** What the records of a call say, in order, as the byte machine would have done it. */
  function applyRecords(w: WasmFastPath, chunk: Uint8Array, count: number): void {
    const recordInts = w.recordInts;
    const recordFloats = w.recordFloats;
    for (let r = 0; r < count; r++) {
      const at = r * REC_INTS;
      const flags = recordInts[at + REC_FLAGS]!;
      if (flags & R_KEY) {
        const from = windowFrom + recordInts[at + REC_KEY_FROM]!;
        versionKey = decodeString(chunk, from, from + recordInts[at + REC_KEY_LENGTH]!, false);
      }
      if (flags & R_OPEN) beginRelease();
      const files = recordInts[at + REC_FILES]!;
      if (files > 0) {
        const f = r * REC_FLOATS;
        addFiles(
          release!,
          files,
          recordInts[at + REC_YANKED_FILES]!,
          recordFloats[f + REC_FIRST_MS]!,
          recordFloats[f + REC_LAST_MS]!,
        );
      }
      if (flags & R_CLOSE) release = undefined;
    }
  }

  /** Where the fast path last stopped in this chunk, left to the byte machine; -1 for none. */
  let fastStop = -1;

  function push(given: Uint8Array): AnswerProblem | undefined {
    if (problem) return problem;
    const n = given.length;
    if (base + gatheredLength + n > limits.maxTotalBytes) {
      // What came before is read first: a problem in it is the answer's first, as it is when
      // chunks are scanned as they come.
      if (flushGathered()) return problem;
      problem = {
        code: "answer-too-large",
        message: `the index answer is larger than ${formatBytes(limits.maxTotalBytes)}`,
        bytes: base + n,
      };
      return problem;
    }
    if (n < gatherBytes && (gatheredLength > 0 || inReleases)) {
      if (
        (gatheredLength + n > gatherBytes || gatheredChunks === MAX_GATHERED_CHUNKS) &&
        flushGathered()
      )
        return problem;
      gathered ??= new Uint8Array(gatherBytes);
      gatheredEnds ??= new Int32Array(MAX_GATHERED_CHUNKS);
      gathered.set(given, gatheredLength);
      gatheredLength += n;
      gatheredEnds[gatheredChunks++] = gatheredLength;
      return undefined;
    }
    if (gatheredLength > 0 && flushGathered()) return problem;
    return scanChunk(plainBytes(given), false);
  }

  /**
   * Scan the chunks gathered so far; true when that ended the answer with a problem. Inside
   * `releases` they are scanned together; once `releases` has ended, the rest chunk by chunk,
   * where each chunk ended as it came.
   */
  function flushGathered(): boolean {
    const length = gatheredLength;
    const count = gatheredChunks;
    gatheredLength = 0;
    gatheredChunks = 0;
    if (length === 0) return false;
    const bytes = gathered!;
    const ends = gatheredEnds!;
    let at = 0;
    let k = 0;
    while (at < length) {
      if (inReleases) {
        if (scanChunk(bytes.subarray(at, length), true)) return true;
        at += scannedTo;
        while (k < count && ends[k]! <= at) k++;
      } else {
        const end = ends[k++]!;
        if (scanChunk(bytes.subarray(at, end), false)) return true;
        at = end;
      }
    }
    return false;
  }

  /**
   * Scan the next chunk of the answer (its bytes are not looked at once this returns). With
   * `untilReleasesEnd`, it stops right after the `}` that ends `releases`, as if the chunk
   * ended there; `scannedTo` says where it stopped.
   */
  function scanChunk(chunk: Uint8Array, untilReleasesEnd: boolean): AnswerProblem | undefined {
    let n = chunk.length;
    keepFrom = 0;
    strFrom = 0;
    scalarFrom = 0;
    windowTo = -1;
    fastStop = -1;
    let i = 0;
    scan: while (i < n) {
      if (untilReleasesEnd && !inReleases) {
        // Only the byte machine closes `releases`, one byte a turn: this is the byte after it.
        n = i;
        break;
      }
      // Not again where it just stopped: it would stop there again at once.
      if (depth >= 2 && state !== S_STRING && state !== S_SCALAR && i !== fastStop) {
        const next = wasm ? fastTokensWasm(wasm, chunk, i, n) : fastTokens(chunk, i, n);
        if (next !== i) {
          i = next;
          continue;
        }
      }
      let c = chunk[i]!;
      if (state === S_STRING) {
        const end = scanString(chunk, i, n);
        if (end === INSIDE) break;
        if (end < 0 || endString(chunk, end)) return problem;
        i = end;
        continue;
      }
      if (state === S_SCALAR) {
        while (isScalarByte(c)) {
          if (++i === n) break scan;
          c = chunk[i]!;
        }
        if (endScalar(chunk, i)) return problem;
        // c is looked at again below, in the new state
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      let failed: AnswerProblem | undefined;
      switch (state) {
        case S_VALUE:
          failed = startValue(c, chunk, i);
          break;
        case S_FIRST_ITEM:
          failed = c === 0x5d ? close(c, chunk, i) : startValue(c, chunk, i);
          break;
        case S_AFTER:
          if (c === 0x2c) state = stack[depth] === OBJECT ? S_KEY : S_VALUE;
          else if (c === 0x7d || c === 0x5d) failed = close(c, chunk, i);
          else
            failed = notJson(base + i, `an unexpected \`${String.fromCharCode(c)}\` after a value`);
          break;
        case S_FIRST_KEY:
        case S_KEY:
          if (c === Q) beginKey(i);
          else if (c === 0x7d && state === S_FIRST_KEY) failed = close(c, chunk, i);
          else failed = notJson(base + i, "a missing key");
          break;
        case S_COLON:
          if (c === 0x3a) state = S_VALUE;
          else failed = notJson(base + i, "a missing `:`");
          break;
        default:
          failed = notJson(base + i, "text after the end");
      }
      if (failed) return failed;
      i++;
    }
    // The chunk ends inside something: carry its bytes over.
    if (state === S_STRING && capturing) capture(chunk, strFrom, n);
    if (state === S_SCALAR && !appendScalar(chunk, scalarFrom, n)) return problem;
    if (
      depth >= 1 &&
      topIsObject &&
      topRole === KEEP &&
      (depth > 1 || state === S_STRING || state === S_SCALAR)
    ) {
      if (keep(chunk, keepFrom, n)) return problem;
    }
    base += n;
    scannedTo = n;
    return undefined;
  }

  function end(): ProjectAnswer | AnswerProblem {
    if (problem || flushGathered()) return problem!;
    if (state === S_SCALAR && depth === 0) {
      if (endScalar(scalarBuf, 0)) return problem!;
    }
    if (state !== S_DONE) {
      const empty = depth === 0 && state === S_VALUE;
      return notJson(base, empty ? "an empty body" : "the text ends early");
    }
    const info = kept.get("info");
    if (!topIsObject || !isRecord(info)) {
      return {
        code: "answer-no-info",
        message: "the package index answered JSON without an `info` object",
      };
    }
    const version = typeof info.version === "string" ? info.version : undefined;
    return {
      info,
      urls: kept.get("urls"),
      ownership: kept.get("ownership"),
      lastSerial: kept.get("last_serial"),
      releases,
      versionFirstUploadMs:
        version === undefined ? undefined : releases?.get(version)?.firstUploadMs,
      latestUploadMs,
      yankedVersions: allYankedVersions(releases),
      bytesRead: base,
    };
  }

  return { push, end };
}
