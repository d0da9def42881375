// The WebAssembly fast path of the answer scanner must read every answer exactly as the
// JavaScript one does: the same kept values, the same release summaries, the same refusals,
// whatever the chunk boundaries. Real answers, generated big ones, and broken variants of both.
import { describe, expect, it } from "vitest";
import {
  createAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  hasWasmFastPath,
  type FastPath,
} from "../../src/pypi/answer-stream.js";
import { bigAnswerText } from "../servers/big-answer.js";
import { pypiFixture, pypiFixtureNames } from "../servers/pypi.js";

const encoder = new TextEncoder();

/** Read `bytes` with one fast path, in chunks of the given sizes (cycled). */
function read(bytes: Uint8Array, fastPath: FastPath, sizes: number[]) {
  const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath });
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = sizes[k++ % sizes.length]!;
    const problem = scanner.push(bytes.subarray(at, at + size));
    at += size;
    if (problem) return problem;
  }
  return scanner.end();
}

function bothPaths(text: string | Uint8Array, sizes = [65_536]) {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  return { js: read(bytes, "js", sizes), wasm: read(bytes, "wasm", sizes) };
}

/** A deterministic byte mutation: the same broken answers on every run. */
function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  const out = bytes.slice();
  let x = seed;
  for (let n = 0; n < 3; n++) {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    const at = x % out.length;
    out[at] = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x00, 0x31][x % 10]!;
  }
  return out;
}

describe("the WebAssembly fast path reads as the JavaScript one", () => {
  it("runs here (Node's WebAssembly with SIMD)", () => {
    expect(hasWasmFastPath()).toBe(true);
  });

  it.each(pypiFixtureNames())("real answer %s, in odd chunk sizes", (file) => {
    const { js, wasm } = bothPaths(pypiFixture(file), [1, 7, 4096, 333, 65_536]);
    expect(wasm).toEqual(js);
  });

  it.each([
    ["releases after urls", { bytes: 3_000_000 }],
    ["releases first", { bytes: 3_000_000, releasesFirst: true }],
    ["a latest release without files", { bytes: 3_000_000, emptyUrls: true }],
  ])("generated answer: %s", (_what, opts) => {
    const text = bigAnswerText(opts);
    for (const sizes of [[65_536], [1_000_003], [17, 65_536, 5]]) {
      const { js, wasm } = bothPaths(text, sizes);
      expect(wasm).toEqual(js);
    }
  });

  it("broken variants are refused (or read) the same way", () => {
    const base = encoder.encode(bigAnswerText({ bytes: 400_000 }));
    let refused = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const broken = mutate(base, seed);
      const { js, wasm } = bothPaths(broken, [4096, 65_536]);
      expect(wasm, `seed ${seed}`).toEqual(js);
      if ("code" in js) refused++;
    }
    // Most mutations break the JSON: the comparison covered refusals, not only answers.
    expect(refused).toBeGreaterThan(30);
    // Cut short anywhere: the same problem.
    for (const cut of [10, 1000, 123_457, base.length - 2]) {
      const { js, wasm } = bothPaths(base.subarray(0, cut));
      expect(wasm).toEqual(js);
    }
  });
});
