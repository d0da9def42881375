// AssemblyScript: the fast path of the answer scanner (`fastTokens` in answer-stream.ts), compiled
// to WebAssembly by scripts/build.mjs into releases-scan-wasm.ts. It does what `fastTokens` does,
// byte for byte, and also what the JavaScript fast path leaves to the byte-by-byte machine inside
// `releases`: plain version keys, the `[` and `]` of each release and the file objects of a
// release. What the summary needs of them goes into records (see REC_*), one per release or part
// of a release met in the call, that the caller applies in order. Strings are skipped 16 bytes at a
// time (SIMD). Inside a file object, plain members are read a whole member at a time
// (`fileMembers`), and common scalars (`false`, `null`, `true`, integers) without a second pass;
// these account for most of an answer's bytes.
//
// Memory (one instance, shared by every scanner: a call is synchronous, and the caller copies its
// state in and out around it):
//   STATE_I  i32 slots (see I_*), STATE_F  f64 slots (see F_*), MEMBERS  what `fileMembers` read (M_*),
//   STACK    the container stack: 1 = object, 2 = array, at STACK + depth,
//   KEYS     the file keys last met at each place in a file object (see `memberValue`),
//   DATA     the bytes scanned (at most WINDOW of them, then 16 bytes of slack),
//   OUT      the records (at most MAX_RECORDS of them).
// `fast(from, to)` scans DATA[from, to) and returns the index of the first byte it left alone.

const STATE_I: i32 = 0x1000;
const STATE_F: i32 = 0x1040;
const STACK: i32 = 0x1100;
const DATA: i32 = 0x2000;
const OUT: i32 = 0x43000;
const MAX_RECORDS: i32 = 1024;

// i32 slots, in and out.
const I_STATE: i32 = 0; // scanner state (S_*)
const I_DEPTH: i32 = 4;
const I_RELEASES: i32 = 8; // 1 inside the `releases` object
const I_FILE: i32 = 12; // 1 inside a file object of a release (depth 4)
const I_RELEASE: i32 = 16; // 1 when the open release has a summary to add files to (in only)
const I_FILE_KEY: i32 = 20; // F_* of the file's current key
const I_YANKED: i32 = 24; // the file's `yanked` is true
const I_MAX_DEPTH: i32 = 28; // out: the deepest stack slot written
const I_KEY: i32 = 32; // in: 1 when the last version key was read (a `[` now opens a counted release)
const I_RECORD_CAP: i32 = 36; // in: records the call may write, 1 to MAX_RECORDS
const I_RECORDS: i32 = 40; // out: records written
const I_FULL: i32 = 44; // out: 1 when the call stopped at a version key for want of a record
// f64 slots.
const F_ISO_MS: i32 = 0; // the file's `upload_time_iso_8601`, NaN when unread
const F_PLAIN_MS: i32 = 8; // the file's `upload_time`

// A record: what happened to the summary, in this order: a version key was read (REC_KEY_FROM,
// REC_KEY_LENGTH: its bytes in DATA, plain, at most MAX_CAPTURE), the `[` of a release opened
// (R_OPEN), files of the open release closed (REC_FILES, REC_YANKED_FILES, REC_FIRST_MS and
// REC_LAST_MS: their earliest and latest upload, NaN if none), the release's `]` (R_CLOSE). A
// record begins at the start of the call and at each version key read.
const REC_SIZE: i32 = 40;
const REC_FLAGS: i32 = 0;
const REC_KEY_FROM: i32 = 4;
const REC_KEY_LENGTH: i32 = 8;
const REC_FILES: i32 = 12;
const REC_YANKED_FILES: i32 = 16;
const REC_FIRST_MS: i32 = 24;
const REC_LAST_MS: i32 = 32;
const R_KEY: i32 = 1;
const R_OPEN: i32 = 2;
const R_CLOSE: i32 = 4;

const S_VALUE: i32 = 0;
const S_FIRST_KEY: i32 = 1;
const S_KEY: i32 = 2;
const S_COLON: i32 = 3;
const S_AFTER: i32 = 4;
const S_FIRST_ITEM: i32 = 5;

const OBJECT: u8 = 1;
const ARRAY: u8 = 2;
const MAX_DEPTH: i32 = 1000;
const MAX_CAPTURE: i32 = 1024;

const K_OTHER: i32 = 0;
const K_ISO: i32 = 1;
const K_PLAIN: i32 = 2;
const K_YANKED: i32 = 3;

const Q: i32 = 0x22;

@inline function byteAt(k: i32): i32 {
  return <i32>load<u8>(DATA + k);
}

@inline function kindAt(depth: i32): u8 {
  return load<u8>(STACK + depth);
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - 0x30) <= 9;
}

@inline function isScalarByte(c: i32): bool {
  return (
    <u32>(c - 0x61) <= 25 ||
    isDigit(c) ||
    c == 0x2d ||
    c == 0x2b ||
    c == 0x2e ||
    <u32>(c - 0x41) <= 25
  );
}

/** The first byte at or after k that ends the plain run of a string (`"`, `\`, a control byte), or `to`. */
@inline function plainRunEnd(k: i32, to: i32): i32 {
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const space = i8x16.splat(0x20);
  while (k + 16 <= to) {
    const v = v128.load(DATA + k);
    const stops = v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space));
    const bits = i8x16.bitmask(stops);
    if (bits != 0) return k + ctz<i32>(bits);
    k += 16;
  }
  while (k < to) {
    const c = byteAt(k);
    if (c == 0x22 || c == 0x5c || c < 0x20) return k;
    k++;
  }
  return to;
}

function sameBytes4(from: i32, to: i32, a: i32, b: i32, c: i32, d: i32): bool {
  return (
    to - from == 4 && byteAt(from) == a && byteAt(from + 1) == b && byteAt(from + 2) == c && byteAt(from + 3) == d
  );
}

function digitsEnd(at: i32, to: i32): i32 {
  while (at < to && isDigit(byteAt(at))) at++;
  return at;
}

/** Whether DATA[from, to) is a JSON number or literal (RFC 8259), as `isScalarText`. */
function isScalarText(from: i32, to: i32): bool {
  const first = byteAt(from);
  if (first == 0x74) return sameBytes4(from, to, 0x74, 0x72, 0x75, 0x65); // true
  if (first == 0x66) return to - from == 5 && sameBytes4(from + 1, to, 0x61, 0x6c, 0x73, 0x65); // false
  if (first == 0x6e) return sameBytes4(from, to, 0x6e, 0x75, 0x6c, 0x6c); // null
  let at = from;
  if (byteAt(at) == 0x2d) at++;
  if (at < to && byteAt(at) == 0x30) at++;
  else {
    const end = digitsEnd(at, to);
    if (end == at) return false;
    at = end;
  }
  if (at < to && byteAt(at) == 0x2e) {
    const end = digitsEnd(at + 1, to);
    if (end == at + 1) return false;
    at = end;
  }
  if (at < to && (byteAt(at) == 0x65 || byteAt(at) == 0x45)) {
    at++;
    if (at < to && (byteAt(at) == 0x2b || byteAt(at) == 0x2d)) at++;
    const end = digitsEnd(at, to);
    if (end == at) return false;
    at = end;
  }
  return at == to;
}

/** `count` ASCII digits at `at` as a number; -1 when not all digits. */
function digitsAt(at: i32, count: i32): i32 {
  let value = 0;
  for (let k = at; k < at + count; k++) {
    const d = byteAt(k) - 0x30;
    if (<u32>d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** Whether DATA[at, at + count) are all ASCII digits (any count). */
function allDigits(at: i32, count: i32): bool {
  for (let k = at; k < at + count; k++) if (!isDigit(byteAt(k))) return false;
  return true;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year >= 1000). */
function daysFromCivil(year: i32, month: i32, day: i32): i32 {
  const y = month <= 2 ? year - 1 : year;
  const era = y / 400;
  const yoe = y - era * 400;
  const doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** Days in a month (1-12) of the Gregorian calendar, as `daysInMonth` of answer-stream.ts. */
function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

let lastYearMonth: i32 = -1;
let lastMonthStart: i32 = 0;

/** `plainStampMs` of answer-stream.ts: `YYYY-MM-DDTHH:MM:SS[.ffffff][Z]` in ms, NaN otherwise. */
function plainStampMs(from: i32, to: i32): f64 {
  const length = to - from;
  if (length < 19 || byteAt(from + 4) != 0x2d || byteAt(from + 7) != 0x2d) return NaN;
  if (byteAt(from + 10) != 0x54 || byteAt(from + 13) != 0x3a || byteAt(from + 16) != 0x3a) return NaN;
  let end = to;
  if (byteAt(end - 1) == 0x5a) end--;
  let ms = 0;
  if (end > from + 19) {
    const digits = end - from - 20;
    if (byteAt(from + 19) != 0x2e || digits < 1) return NaN;
    if (!allDigits(from + 20, digits)) return NaN;
    const shown = digits < 3 ? digits : 3;
    ms = digitsAt(from + 20, shown);
    if (shown == 1) ms *= 100;
    else if (shown == 2) ms *= 10;
  }
  const year = digitsAt(from, 4);
  const month = digitsAt(from + 5, 2);
  const day = digitsAt(from + 8, 2);
  const hour = digitsAt(from + 11, 2);
  const minute = digitsAt(from + 14, 2);
  const second = digitsAt(from + 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NaN;
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)))
    return NaN;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  // Upload times come in runs of the same month: its first day is kept.
  const yearMonth = year * 16 + month;
  if (yearMonth != lastYearMonth) {
    lastYearMonth = yearMonth;
    lastMonthStart = daysFromCivil(year, month, 1);
  }
  const days = lastMonthStart + day - 1;
  return <f64>days * 86400000.0 + <f64>(hour * 3600000 + minute * 60000 + second * 1000 + ms);
}

@inline function storeRecord(
  r: i32,
  flags: i32,
  keyFrom: i32,
  keyLength: i32,
  files: i32,
  yankedFiles: i32,
  firstMs: f64,
  lastMs: f64,
): void {
  const at = OUT + r * REC_SIZE;
  store<i32>(at + REC_FLAGS, flags);
  store<i32>(at + REC_KEY_FROM, keyFrom);
  store<i32>(at + REC_KEY_LENGTH, keyLength);
  store<i32>(at + REC_FILES, files);
  store<i32>(at + REC_YANKED_FILES, yankedFiles);
  store<f64>(at + REC_FIRST_MS, firstMs);
  store<f64>(at + REC_LAST_MS, lastMs);
}

export function fast(from: i32, to: i32): i32 {
  let st = load<i32>(STATE_I + I_STATE);
  let d = load<i32>(STATE_I + I_DEPTH);
  const releasesOpen = load<i32>(STATE_I + I_RELEASES) != 0;
  let fileOpen = releasesOpen && load<i32>(STATE_I + I_FILE) != 0;
  let releaseHasSummary = load<i32>(STATE_I + I_RELEASE) != 0;
  let keyRead = load<i32>(STATE_I + I_KEY) != 0;
  let recordCap = load<i32>(STATE_I + I_RECORD_CAP);
  if (recordCap > MAX_RECORDS) recordCap = MAX_RECORDS;
  let fileKey = load<i32>(STATE_I + I_FILE_KEY);
  let yanked = load<i32>(STATE_I + I_YANKED) != 0;
  let isoMs = load<f64>(STATE_F + F_ISO_MS);
  let plainMs = load<f64>(STATE_F + F_PLAIN_MS);
  let maxDepth = d;
  let full = 0;
  // The records stored, and the current one (stored when the next begins, and at the end).
  let records = 0;
  let flags = 0;
  let keyFrom = 0;
  let keyLength = 0;
  let files = 0;
  let yankedFiles = 0;
  let firstMs: f64 = NaN;
  let lastMs: f64 = NaN;
  let i = from;
  while (i < to) {
    let c = byteAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // The closing `}` of a file (after a value, or of `{}`): the file goes into the tally.
    if (c == 0x7d && fileOpen && d == 4 && (st == S_AFTER || st == S_FIRST_KEY)) {
      if (kindAt(d) != OBJECT) break;
      files++;
      if (yanked) yankedFiles++;
      const ms = isNaN(isoMs) ? plainMs : isoMs;
      if (!isNaN(ms)) {
        if (isNaN(firstMs) || ms < firstMs) firstMs = ms;
        if (isNaN(lastMs) || ms > lastMs) lastMs = ms;
      }
      fileOpen = false;
      d = 3;
      st = S_AFTER;
      i++;
      continue;
    }
    if (st == S_AFTER) {
      if (c == 0x2c) {
        st = kindAt(d) == OBJECT ? S_KEY : S_VALUE;
        i++;
        continue;
      }
      // The closing `]` of a release (after a value, or of `[]` below).
      if (c == 0x5d && releasesOpen && d == 3) {
        if (kindAt(3) != ARRAY) break;
        flags |= R_CLOSE;
        releaseHasSummary = false;
        d = 2;
        i++;
        continue;
      }
      if ((c == 0x7d || c == 0x5d) && d > 2 && !(releasesOpen && (d == 3 || d == 4))) {
        if (kindAt(d) != (c == 0x7d ? OBJECT : ARRAY)) break;
        d--;
        i++;
        continue;
      }
      break;
    }
    if (st == S_COLON) {
      if (c != 0x3a) break;
      st = S_VALUE;
      i++;
      continue;
    }
    if (st == S_FIRST_KEY || st == S_KEY) {
      if (c != Q) {
        if (c == 0x7d && st == S_FIRST_KEY && d > 2 && !(releasesOpen && (d == 3 || d == 4))) {
          if (kindAt(d) != OBJECT) break;
          d--;
          st = S_AFTER;
          i++;
          continue;
        }
        break;
      }
      const isFileKey = fileOpen && d == 4;
      if (isFileKey) {
        // The members of a file, read here whole while they are plain (see `fileMembers`).
        const next = fileMembers(i, to);
        if (next != i) {
          i = next;
          st = load<i32>(MEMBERS + M_STATE);
          fileKey = load<i32>(MEMBERS + M_KEY);
          const m = load<i32>(MEMBERS + M_SET);
          if ((m & SET_ISO) != 0) isoMs = load<f64>(MEMBERS + M_ISO_MS);
          if ((m & SET_PLAIN) != 0) plainMs = load<f64>(MEMBERS + M_PLAIN_MS);
          if ((m & SET_YANKED) != 0) yanked = (m & SET_YANKED_TRUE) != 0;
          if ((m & SET_NESTED) != 0) {
            store<u8>(STACK + 5, OBJECT);
            if (maxDepth < 5) maxDepth = 5;
          }
          continue;
        }
      }
      const k = plainRunEnd(i + 1, to);
      if (k >= to || byteAt(k) != Q) break;
      if (releasesOpen && !isFileKey && d == 2) {
        // A version key, plain: it begins a record. Longer ones are left to the caller (which
        // then reads the release as having no key), as are those with an escape.
        if (k - i - 1 > MAX_CAPTURE) break;
        if (flags != 0 || files != 0) {
          if (records + 2 > recordCap) {
            full = 1;
            break;
          }
          storeRecord(records++, flags, keyFrom, keyLength, files, yankedFiles, firstMs, lastMs);
          files = 0;
          yankedFiles = 0;
          firstMs = NaN;
          lastMs = NaN;
        }
        flags = R_KEY;
        keyFrom = i + 1;
        keyLength = k - i - 1;
        keyRead = true;
        st = S_COLON;
        i = k + 1;
        continue;
      }
      if (isFileKey) {
        fileKey = fileKeyKind(i + 1, k - i - 1);
        slot = MAX_SLOTS; // read here, not by `fileMembers`: its slots no longer line up
      }
      st = S_COLON;
      i = k + 1;
      continue;
    }
    if (st == S_VALUE || st == S_FIRST_ITEM) {
      if (c == Q) {
        const k = plainRunEnd(i + 1, to);
        if (k >= to || byteAt(k) != Q) break;
        if (fileOpen && d == 4 && (fileKey == K_ISO || fileKey == K_PLAIN)) {
          if (k - i - 1 > MAX_CAPTURE) break;
          const ms = plainStampMs(i + 1, k);
          if (isNaN(ms)) break; // the caller reads it carefully
          if (fileKey == K_ISO) isoMs = ms;
          else plainMs = ms;
        }
        st = S_AFTER;
        i = k + 1;
        continue;
      }
      if (isScalarStart(c)) {
        const k = scalarEnd(i, to);
        if (k < 0) break;
        if (fileOpen && d == 4 && fileKey == K_YANKED) yanked = c == 0x74;
        st = S_AFTER;
        i = k;
        continue;
      }
      if ((c == 0x7b || c == 0x5b) && d < MAX_DEPTH && !(releasesOpen && (d == 2 || d == 3))) {
        d++;
        store<u8>(STACK + d, c == 0x7b ? OBJECT : ARRAY);
        if (d > maxDepth) maxDepth = d;
        st = c == 0x7b ? S_FIRST_KEY : S_FIRST_ITEM;
        i++;
        continue;
      }
      // The `[` of a release whose key was read: the caller opens its summary.
      if (c == 0x5b && releasesOpen && d == 2 && st == S_VALUE && keyRead) {
        if ((flags & (R_OPEN | R_CLOSE)) != 0) break;
        d = 3;
        store<u8>(STACK + 3, ARRAY);
        if (d > maxDepth) maxDepth = d;
        flags |= R_OPEN;
        releaseHasSummary = true;
        st = S_FIRST_ITEM;
        i++;
        continue;
      }
      // The `{` of a file of a release that is counted.
      if (c == 0x7b && releasesOpen && d == 3 && releaseHasSummary && kindAt(3) == ARRAY) {
        d = 4;
        store<u8>(STACK + 4, OBJECT);
        if (d > maxDepth) maxDepth = d;
        st = S_FIRST_KEY;
        fileOpen = true;
        slot = 0;
        isoMs = NaN;
        plainMs = NaN;
        yanked = false;
        i++;
        continue;
      }
      if (c == 0x5d && st == S_FIRST_ITEM && releasesOpen && d == 3) {
        if (kindAt(3) != ARRAY) break;
        flags |= R_CLOSE;
        releaseHasSummary = false;
        d = 2;
        st = S_AFTER;
        i++;
        continue;
      }
      if (c == 0x5d && st == S_FIRST_ITEM && d > 2 && !(releasesOpen && (d == 3 || d == 4))) {
        if (kindAt(d) != ARRAY) break;
        d--;
        st = S_AFTER;
        i++;
        continue;
      }
      break;
    }
    break;
  }
  store<i32>(STATE_I + I_STATE, st);
  store<i32>(STATE_I + I_DEPTH, d);
  store<i32>(STATE_I + I_FILE, fileOpen ? 1 : 0);
  store<i32>(STATE_I + I_FILE_KEY, fileKey);
  store<i32>(STATE_I + I_YANKED, yanked ? 1 : 0);
  store<i32>(STATE_I + I_MAX_DEPTH, maxDepth);
  if (flags != 0 || files != 0)
    storeRecord(records++, flags, keyFrom, keyLength, files, yankedFiles, firstMs, lastMs);
  store<i32>(STATE_I + I_RECORDS, records);
  store<i32>(STATE_I + I_FULL, full);
  store<f64>(STATE_F + F_ISO_MS, isoMs);
  store<f64>(STATE_F + F_PLAIN_MS, plainMs);
  return i;
}

// What `fileMembers` leaves for `fast`: the state after the last member read, the file key of
// that member, and which of the file's facts were set (SET_*), with their values.
const MEMBERS: i32 = 0x1080;
const M_STATE: i32 = 0;
const M_KEY: i32 = 4;
const M_SET: i32 = 8;
const M_ISO_MS: i32 = 16;
const M_PLAIN_MS: i32 = 24;
const SET_ISO: i32 = 1;
const SET_PLAIN: i32 = 2;
const SET_YANKED: i32 = 4;
const SET_YANKED_TRUE: i32 = 8;
const SET_NESTED: i32 = 16;

@inline function isSpace(c: i32): bool {
  // One compare for the bytes that are not (most are above 0x20): only then the four.
  return <u32>c <= 0x20 && (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09);
}

@inline function skipSpace(k: i32, to: i32): i32 {
  while (k < to && isSpace(byteAt(k))) k++;
  return k;
}

@inline function isScalarStart(c: i32): bool {
  return c == 0x2d || isDigit(c) || c == 0x74 || c == 0x66 || c == 0x6e;
}

/** After the plain key whose closing `"` is at `k`: where its value begins, or -1. */
@inline function valueAfterKey(k: i32, to: i32): i32 {
  if (k >= to || byteAt(k) != Q) return -1;
  let j = skipSpace(k + 1, to);
  if (j >= to || byteAt(j) != 0x3a) return -1;
  j = skipSpace(j + 1, to);
  return j < to ? j : -1;
}

/** The end of the plain string or the scalar that begins at `m`, or -1. */
@inline function plainValueEnd(m: i32, to: i32): i32 {
  const w = byteAt(m);
  if (w == Q) {
    const e = plainRunEnd(m + 1, to);
    return e < to && byteAt(e) == Q ? e + 1 : -1;
  }
  return isScalarStart(w) ? scalarEnd(m, to) : -1;
}

/** The F_* kind of the file key DATA[s, s + length). */
@inline function fileKeyKind(s: i32, length: i32): i32 {
  if (length == 20) return isUploadTime(s) && isIsoTail(s + 11) ? K_ISO : K_OTHER;
  if (length == 11) return isUploadTime(s) ? K_PLAIN : K_OTHER;
  if (
    length == 6 &&
    byteAt(s) == 0x79 &&
    byteAt(s + 1) == 0x61 &&
    byteAt(s + 2) == 0x6e &&
    byteAt(s + 3) == 0x6b &&
    byteAt(s + 4) == 0x65 &&
    byteAt(s + 5) == 0x64
  )
    return K_YANKED;
  return K_OTHER;
}

/**
 * The end of the JSON scalar (number or literal) that begins at `at`, or -1 when the text there
 * is not one or may go on past `to`.
 */
@inline function scalarEnd(at: i32, to: i32): i32 {
  // The common ones first: `false`, `null`, `true` and integers, each followed by a byte that
  // ends it. Anything else is read as `fast` always did.
  const c = byteAt(at);
  if (c == 0x66) {
    if (at + 5 < to && load<u32>(DATA + at + 1) == 0x65736c61 && !isScalarByte(byteAt(at + 5)))
      return at + 5;
  } else if (c == 0x6e) {
    if (at + 4 < to && load<u32>(DATA + at) == 0x6c6c756e && !isScalarByte(byteAt(at + 4)))
      return at + 4;
  } else if (c == 0x74) {
    if (at + 4 < to && load<u32>(DATA + at) == 0x65757274 && !isScalarByte(byteAt(at + 4)))
      return at + 4;
  } else {
    let d = c == 0x2d ? at + 1 : at;
    if (d < to && <u32>(byteAt(d) - 0x31) <= 8) {
      d++;
      while (d < to && isDigit(byteAt(d))) d++;
      if (d < to && !isScalarByte(byteAt(d))) return d;
    }
  }
  let k = at + 1;
  while (k < to && isScalarByte(byteAt(k))) k++;
  if (k >= to || !isScalarText(at, k)) return -1;
  return k;
}

/**
 * The members of a file object of a release (depth 4), from the `"` of a key at `i`: each
 * `"key": value` with the separator after it, as `fast` would read them token by token, in one
 * go. A value may be a string, a scalar, or an object of strings and scalars (`digests`). Stops
 * before the first member it cannot read whole and plainly (an escape, a deeper value, the end
 * of the window, anything `fast` would refuse): `fast` reads that one. Returns where it stopped
 * (`i` when it read nothing) and leaves the rest in MEMBERS.
 */
function fileMembers(i: i32, to: i32): i32 {
  let done = i;
  let st = 0;
  let key = 0;
  let set = 0;
  let isoMs: f64 = NaN;
  let plainMs: f64 = NaN;
  while (true) {
    // i is at the `"` of a key.
    let j = memberValue(i, to);
    if (j < 0) break;
    const kind = memberKind;
    const v = byteAt(j);
    let memberSet = 0;
    if (v == Q) {
      const e = plainRunEnd(j + 1, to);
      if (e >= to || byteAt(e) != Q) break;
      if (kind == K_ISO || kind == K_PLAIN) {
        if (e - j - 1 > MAX_CAPTURE) break;
        const ms = plainStampMs(j + 1, e);
        if (isNaN(ms)) break;
        if (kind == K_ISO) {
          isoMs = ms;
          memberSet = SET_ISO;
        } else {
          plainMs = ms;
          memberSet = SET_PLAIN;
        }
      }
      j = e + 1;
    } else if (isScalarStart(v)) {
      const e = scalarEnd(j, to);
      if (e < 0) break;
      if (kind == K_YANKED) memberSet = v == 0x74 ? SET_YANKED | SET_YANKED_TRUE : SET_YANKED;
      j = e;
    } else if (v == 0x7b) {
      // An object of plain members: `{}` or `{"k": v, ...}` with v a string or a scalar.
      let n = skipSpace(j + 1, to);
      if (n >= to) break;
      let ok = false;
      if (byteAt(n) == 0x7d) ok = true;
      else {
        while (n < to && byteAt(n) == Q) {
          const at = memberValue(n, to);
          if (at < 0) break;
          const end = plainValueEnd(at, to);
          if (end < 0) break;
          const m = skipSpace(end, to);
          if (m >= to) break;
          const sep = byteAt(m);
          if (sep == 0x7d) {
            n = m;
            ok = true;
            break;
          }
          if (sep != 0x2c) break;
          n = skipSpace(m + 1, to);
        }
      }
      if (!ok) break;
      memberSet = SET_NESTED;
      j = n + 1;
    } else break;
    // The member is read: take it, and its separator when there is one.
    key = kind;
    if (memberSet != 0) {
      if ((memberSet & SET_YANKED) != 0) set = (set & ~SET_YANKED_TRUE) | memberSet;
      else set |= memberSet;
    }
    // Compact text (PyPI's): `,"` right after the value.
    if (j + 1 < to && load<u16>(DATA + j) == 0x222c) {
      i = j + 1;
      done = i;
      st = S_KEY;
      continue;
    }
    j = skipSpace(j, to);
    if (j < to && byteAt(j) == 0x2c) {
      const n = skipSpace(j + 1, to);
      done = n;
      st = S_KEY;
      if (n < to && byteAt(n) == Q) {
        i = n;
        continue;
      }
      break;
    }
    done = j;
    st = S_AFTER;
    break;
  }
  store<i32>(MEMBERS + M_STATE, st);
  store<i32>(MEMBERS + M_KEY, key);
  store<i32>(MEMBERS + M_SET, set);
  store<f64>(MEMBERS + M_ISO_MS, isoMs);
  store<f64>(MEMBERS + M_PLAIN_MS, plainMs);
  return done;
}

/** DATA[s, s + 11) is `upload_time`. */
function isUploadTime(s: i32): bool {
  // "upload_t" as a little-endian u64, then "ime".
  return (
    load<u64>(DATA + s) == 0x745f64616f6c7075 &&
    byteAt(s + 8) == 0x69 &&
    byteAt(s + 9) == 0x6d &&
    byteAt(s + 10) == 0x65
  );
}

/** DATA[s, s + 9) is `_iso_8601`. */
function isIsoTail(s: i32): bool {
  // "_iso_860" as a little-endian u64, then "1".
  return load<u64>(DATA + s) == 0x3036385f6f73695f && byteAt(s + 8) == 0x31;
}

// The keys of file objects as they were last met, one per position in the object (a slot): `"key":`
// byte for byte, with the F_* kind. Answers list every file's keys alike (PyPI's are compact and
// sorted), so a key is most often the one of its slot, checked with two 16-byte compares instead
// of being read. A slot is only a guess: a key is taken from it only when its bytes are the same,
// so a stale or mixed-up slot (another answer's, or after a key `fast` read) costs a read, no more.
const KEYS: i32 = 0x1600;
const KEY_SIZE: i32 = 48;
const KEY_MASK: i32 = 32;
const KEY_LENGTH: i32 = 36;
const KEY_KIND: i32 = 40;
const MAX_SLOTS: i32 = 24;
let slot: i32 = MAX_SLOTS;
let learnt: i32 = 0;

let memberKind: i32 = K_OTHER;

/**
 * Where the value of the member whose key begins at i (its `"`) begins, or -1; its F_* kind in
 * memberKind. The key is the one learnt for this slot when its bytes are, else read and learnt.
 */
@inline function memberValue(i: i32, to: i32): i32 {
  if (slot < learnt && i + 32 <= to) {
    const e = KEYS + slot * KEY_SIZE;
    const lo = i8x16.bitmask(i8x16.eq(v128.load(DATA + i), v128.load(e)));
    const hi = i8x16.bitmask(i8x16.eq(v128.load(DATA + i + 16), v128.load(e + 16)));
    const mask = load<u32>(e + KEY_MASK);
    // An empty slot (mask 0: never learnt, or its last key could not be kept) matches nothing.
    if (mask != 0 && ((<u32>lo | (<u32>hi << 16)) & mask) == mask) {
      slot++;
      memberKind = load<i32>(e + KEY_KIND);
      const j = skipSpace(i + load<i32>(e + KEY_LENGTH), to);
      return j < to ? j : -1;
    }
  }
  const k = plainRunEnd(i + 1, to);
  const j = valueAfterKey(k, to);
  if (j < 0) return -1;
  memberKind = fileKeyKind(i + 1, k - i - 1);
  learnKey(i, k, memberKind, to);
  slot++;
  return j;
}

/** Keep the key read at i (closing `"` at k) for this slot, when it is `"key":` in at most 32 bytes. */
function learnKey(i: i32, k: i32, kind: i32, to: i32): void {
  const length = k + 2 - i;
  if (slot >= MAX_SLOTS) return;
  const e = KEYS + slot * KEY_SIZE;
  if (length > 32 || i + 32 > to || byteAt(k + 1) != 0x3a) {
    // Not kept: the slot is emptied, so that it cannot stand for this key.
    store<u32>(e + KEY_MASK, 0);
    return;
  }
  v128.store(e, v128.load(DATA + i));
  v128.store(e + 16, v128.load(DATA + i + 16));
  store<u32>(e + KEY_MASK, length == 32 ? 0xffffffff : (<u32>1 << <u32>length) - 1);
  store<i32>(e + KEY_LENGTH, length);
  store<i32>(e + KEY_KIND, kind);
  if (slot >= learnt) learnt = slot + 1;
}
