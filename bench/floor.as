// AssemblyScript for bench/floor.mjs: the least work any reader that checks every byte of a JSON
// text must do, as simdjson's first stage does it with 128-bit SIMD, and nothing more. Not used
// by the scanner: it measures how fast a reader could be on this machine, not what it reads.
//
// `classify(from, to, walk)`, over memory[from, to) in blocks of 64 bytes (the caller pads the
// last block with spaces): the masks of quotes,
// backslashes, control bytes and the six structural bytes; escaped quotes taken out (odd runs of
// backslashes); the in-string mask by prefix XOR, carried across blocks and calls; control bytes
// inside strings counted as errors. With `walk` it also visits every structural byte and quote
// outside strings in order (a depth counter), the least a second stage that checks the grammar
// must do per token. Returns the structural bytes outside strings (walk 0) or the tokens visited
// (walk 1: structural bytes and opening quotes), plus control bytes found inside strings, so that
// the caller can check the count and no work can be left out.

const EVEN: u64 = 0x5555555555555555;

let inString: u64 = 0; // all ones when the last block ended inside a string
let nextEscaped: u64 = 0; // 1 when the last block ended on an odd run of backslashes
let depth: i32 = 0;

/** Back to the start of a text: outside any string, no escape pending, depth 0. */
export function reset(): void {
  inString = 0;
  nextEscaped = 0;
  depth = 0;
}

@inline function eqMask(v: v128, c: i32): i32 {
  return i8x16.bitmask(i8x16.eq(v, i8x16.splat(<i8>c)));
}

@inline function join(a: i32, b: i32, c: i32, d: i32): u64 {
  return <u64><u32>a | (<u64><u32>b << 16) | (<u64><u32>c << 32) | (<u64><u32>d << 48);
}

@inline function prefixXor(x: u64): u64 {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/** `{ } [ ] : ,` in one vector: `[`/`{` and `]`/`}` differ by 0x20. */
@inline function structuralMask(v: v128): i32 {
  const folded = v128.or(v, i8x16.splat(0x20));
  const brackets = v128.or(i8x16.eq(folded, i8x16.splat(0x7b)), i8x16.eq(folded, i8x16.splat(0x7d)));
  const separators = v128.or(i8x16.eq(v, i8x16.splat(0x3a)), i8x16.eq(v, i8x16.splat(0x2c)));
  return i8x16.bitmask(v128.or(brackets, separators));
}

@inline function controlMask(v: v128): i32 {
  return i8x16.bitmask(i8x16.lt_u(v, i8x16.splat(0x20)));
}

/** The bytes escaped by a backslash in this block (simdjson's odd-backslash-run rule). */
@inline function escapedBy(backslash: u64): u64 {
  if (backslash == 0) {
    const e = nextEscaped;
    nextEscaped = 0;
    return e;
  }
  const bs = backslash & ~nextEscaped;
  const followsEscape = (bs << 1) | nextEscaped;
  const oddStarts = bs & ~EVEN & ~followsEscape;
  const runs = oddStarts + bs;
  nextEscaped = runs < oddStarts ? 1 : 0;
  return (EVEN ^ (runs << 1)) & followsEscape;
}

export function classify(from: i32, to: i32, walk: i32): i64 {
  let sum: i64 = 0;
  let errors: u64 = 0;
  for (let k = from; k + 64 <= to; k += 64) {
    const v0 = v128.load(k);
    const v1 = v128.load(k + 16);
    const v2 = v128.load(k + 32);
    const v3 = v128.load(k + 48);
    const quote = join(eqMask(v0, 0x22), eqMask(v1, 0x22), eqMask(v2, 0x22), eqMask(v3, 0x22));
    const backslash = join(eqMask(v0, 0x5c), eqMask(v1, 0x5c), eqMask(v2, 0x5c), eqMask(v3, 0x5c));
    const realQuote = quote & ~escapedBy(backslash);
    const strings = prefixXor(realQuote) ^ inString;
    inString = <u64>(<i64>strings >> 63);
    const control = join(controlMask(v0), controlMask(v1), controlMask(v2), controlMask(v3));
    errors |= control & strings;
    let tokens =
      join(structuralMask(v0), structuralMask(v1), structuralMask(v2), structuralMask(v3)) &
      ~strings;
    if (walk == 0) {
      sum += <i64>popcnt(tokens);
      continue;
    }
    tokens |= realQuote & strings; // each string's opening quote
    while (tokens != 0) {
      const at = k + <i32>ctz(tokens);
      const c = <i32>load<u8>(at);
      if ((c | 0x20) == 0x7b) depth++;
      else if ((c | 0x20) == 0x7d) depth--;
      sum++;
      tokens &= tokens - 1;
    }
  }
  return sum + <i64>popcnt(errors);
}
