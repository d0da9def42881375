// The answer scanner's fast path runs as WebAssembly (src/pypi/releases-scan.as) where it can,
// and as JavaScript otherwise. The two must read every answer alike: the same kept values, the
// same release summary, the same refusal (code, message and offset) of what is broken.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import {
  answerFromText,
  createAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  hasWasmFastPath,
  type FastPath,
  type ScannerOptions,
} from "../../src/pypi/answer-stream.js";
import { RELEASES_SCAN_WASM } from "../../src/pypi/releases-scan-wasm.js";
import { bigAnswerText } from "../servers/big-answer.js";
import { pypiFixture, pypiFixtureNames } from "../servers/pypi.js";

const encoder = new TextEncoder();
const FIXTURES = pypiFixtureNames();

function scanOnce(bytes: Uint8Array, chunkBytes: number, opts: ScannerOptions) {
  const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, opts);
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    const problem = scanner.push(bytes.subarray(i, i + chunkBytes));
    if (problem) return problem;
  }
  return scanner.end();
}

/**
 * The answer as the scanner reads it in chunks of `chunkBytes`. With the WebAssembly fast path,
 * small chunks are gathered into windows before they are scanned; they are also scanned as they
 * come (so that every boundary of `chunkBytes` meets the fast path), and the two must agree.
 */
function scan(
  bytes: Uint8Array,
  chunkBytes: number,
  fastPath: FastPath,
  opts: ScannerOptions = {},
) {
  const answer = scanOnce(bytes, chunkBytes, { ...opts, fastPath });
  if (fastPath !== "js" && opts.gatherBytes === undefined) {
    expect(scanOnce(bytes, chunkBytes, { ...opts, fastPath, gatherBytes: 0 })).toEqual(answer);
  }
  return answer;
}

function expectSame(
  bytes: Uint8Array,
  chunkSizes = [1, 7, 4096, 65_536, bytes.length || 1],
  opts: ScannerOptions = {},
) {
  for (const size of chunkSizes) {
    expect(scan(bytes, size, "wasm", opts)).toEqual(scan(bytes, size, "js", opts));
  }
}

/** Small WebAssembly windows and record areas: many flushes and window ends inside `releases`. */
const TIGHT: ScannerOptions[] = [
  { wasmRecords: 1 },
  { wasmRecords: 2 },
  { wasmRecords: 3, wasmWindow: 64 },
  { wasmWindow: 100 },
  { wasmWindow: 257, wasmRecords: 5 },
  { wasmWindow: 4096 },
];

/** A file entry uploaded at `ms`, yanked or not. */
const fileAt = (ms: number, yanked = false) =>
  `{"filename":"a.whl","upload_time":"${new Date(ms).toISOString().slice(0, 19)}","upload_time_iso_8601":"${new Date(ms).toISOString()}","yanked":${yanked}}`;

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
  it("runs here", () => {
    expect(hasWasmFastPath()).toBe(true);
  });

  it("is what releases-scan.as compiles to", async () => {
    const build = pathToFileURL(join(import.meta.dirname, "..", "..", "scripts", "build.mjs"));
    const { compileReleasesScan } = (await import(build.href)) as {
      compileReleasesScan: () => Promise<Buffer>;
    };
    expect((await compileReleasesScan()).toString("base64")).toBe(RELEASES_SCAN_WASM);
  }, 60_000);

  it.each(FIXTURES)("real answer %s", (file) => {
    expectSame(encoder.encode(pypiFixture(file)));
  });

  it.each([
    ["releases after urls", { bytes: 600_000 }],
    ["releases before info", { bytes: 600_000, releasesFirst: true }],
    ["a latest release without files", { bytes: 300_000, emptyUrls: true }],
  ])("generated answer: %s", (_what, opts) => {
    const bytes = encoder.encode(bigAnswerText(opts));
    expectSame(bytes, [4096, 65_536, 300_000, bytes.length]);
  });

  it("a generated answer larger than one window, in one chunk", () => {
    expectSame(encoder.encode(bigAnswerText({ bytes: 3_000_000 })), [3_000_000 + 100_000]);
  });

  it("small chunks gathered into windows, between chunks too big to gather, in order", () => {
    const bytes = encoder.encode(bigAnswerText({ bytes: 2_000_000 }));
    const parsed = answerFromText([bytes], bytes.length)!;
    // Sizes around the gathering size (one window, 256 KiB): below it gathered, at and above it
    // scanned at once after what was gathered before.
    const window = 256 * 1024;
    const sizes = [1, 7, 65_536, window - 1, window, 3, window + 1, 65_536, 65_536, 65_536, 65_537];
    for (const opts of [{}, { gatherBytes: 1000 }, { wasmWindow: 4096 }, { gatherBytes: 0 }]) {
      for (let shift = 0; shift < sizes.length; shift++) {
        const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { ...opts, fastPath: "wasm" });
        let problem;
        for (let at = 0, k = shift; at < bytes.length && !problem; k++) {
          const size = sizes[k % sizes.length]!;
          problem = scanner.push(bytes.subarray(at, at + size));
          at += size;
        }
        expect(problem, JSON.stringify(opts)).toBeUndefined();
        expect(scanner.end(), `${JSON.stringify(opts)} from size ${shift}`).toEqual(parsed);
      }
    }
  });

  it("answers cut short and answers with a byte changed inside `releases`", () => {
    const text = bigAnswerText({ bytes: 60_000, releasesFirst: true });
    const bytes = encoder.encode(text);
    const from = text.indexOf('"releases"');
    const replacements = [0x7d, 0x5d, 0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x5b, 0x01, 0x20, 0x74, 0x30];
    let k = 0;
    for (let at = from; at < from + 40_000; at += 97) {
      expectSame(bytes.subarray(0, at), [4096, bytes.length]);
      const changed = new Uint8Array(bytes);
      changed[at] = replacements[k++ % replacements.length]!;
      expectSame(changed, [4096, 65_536]);
    }
  });

  it("odd files: empty, yanked, unreadable or escaped times, not objects, deep values", () => {
    const file = (extra: string) =>
      `{"filename":"a.whl","upload_time":"2020-01-02T03:04:05","upload_time_iso_8601":"2020-01-02T03:04:05.123456Z"${extra}}`;
    const releases = [
      `"1.0": [{}, {}, ${file(',"yanked":true')}]`,
      `"1.1": [${file(',"yanked":false,"x":[[{"a":[1,2,{"b":null}]}]]')}, 3, "s", []]`,
      `"1.2": [{"upload_time":"2021-05-06T07:08:09","upload_time_iso_8601":"2021-05-06 07:08:09+02:00"}]`,
      `"1.3": [{"upload_time_iso_8601":"2019-12-31T23:59:59.9Z","yanked":true}, {"upload_time":"bad"}]`,
      `"1.4": [{"upload_time_iso_8601":"2019-02-29T00:00:00Z"}, {"upload_time":"2018-03-04T05:06:07.5"}]`,
      `"1.5": [{"upl\\u006fad_time":"2017-01-01T00:00:00","yanked":true}]`,
      `"1.6": {"a": {"upload_time": "2016-01-01T00:00:00"}}`,
      `"1.\\u0037": [${file("")}]`,
      `"1.8": [{"upload_time":"2015-01-01T00:00:00Z","upload_time":"2014-01-01T00:00:00"}]`,
      `"1.9": [ { "yanked" : true , "upload_time_iso_8601" : "1999-09-09T09:09:09.000Z" } ]`,
    ];
    const text = `{"info": {"version": "1.3", "author_email": "a@b.c"}, "urls": [], "releases": {${releases.join(", ")}}, "last_serial": 7}`;
    expectSame(encoder.encode(text));
  });
  it("files uploaded on the 29th to the 31st, of months that have them or not, as JSON.parse and Date.parse read them", () => {
    const releases: string[] = [];
    for (const year of [1900, 2000, 2023, 2024]) {
      for (let month = 1; month <= 12; month++) {
        const files: string[] = [];
        for (let day = 27; day <= 32; day++) {
          const date = `${year}-${String(month).padStart(2, "0")}-${day}`;
          files.push(
            `{"upload_time":"${date}T10:20:30","upload_time_iso_8601":"${date}T10:20:30.${day}Z"}`,
            `{"upload_time":"${date}T23:59:59"}`,
          );
        }
        releases.push(`"${year}.${month}": [${files.join(", ")}]`);
      }
    }
    const text = `{"info": {"version": "2023.2"}, "releases": {${releases.join(", ")}}}`;
    const bytes = encoder.encode(text);
    const parsed = answerFromText([bytes], bytes.length)!;
    for (const fastPath of ["wasm", "js"] as const) {
      for (const size of [1, 7, 4096, bytes.length]) {
        expect(scan(bytes, size, fastPath), `${fastPath} ${size}`).toEqual(parsed);
      }
    }
    // Date.parse rolls a day the month lacks into the next month; the scan reads it the same.
    const feb2023 = parsed.releases!.get("2023.2")!;
    expect(feb2023.firstUploadMs).toBe(Date.UTC(2023, 1, 27, 10, 20, 30, 270));
    expect(feb2023.lastUploadMs).toBe(Date.parse("2023-02-31T23:59:59Z"));
    expect(parsed.versionFirstUploadMs).toBe(feb2023.firstUploadMs);
    expect(parsed.releases!.get("2000.2")!.lastUploadMs).toBe(Date.UTC(2000, 2, 2, 23, 59, 59));
    expect(parsed.releases!.get("2024.12")!.lastUploadMs).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
    expect(parsed.latestUploadMs).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
  });

  it.each(TIGHT)(
    "generated answers with %j: records split across calls, windows ending anywhere",
    (opts) => {
      for (const releasesFirst of [false, true]) {
        const bytes = encoder.encode(bigAnswerText({ bytes: 150_000, releasesFirst }));
        expectSame(bytes, [4096, 65_536, bytes.length], opts);
      }
    },
  );

  it("repeated, escaped, empty and odd version keys, and keys of 1,024 bytes and more", () => {
    const long = (n: number, c = "v") => c.repeat(n);
    const releases = [
      `"1.0": [${fileAt(1e12)}, ${fileAt(2e12, true)}]`,
      `"1.0": [${fileAt(0.5e12)}]`,
      `"": [${fileAt(3e12, true)}]`,
      `"1.\u0030": [${fileAt(4e12)}]`,
      `"\u0031.0": [${fileAt(0.1e12, true)}]`,
      `"${long(1024)}": [${fileAt(5e12, true)}]`,
      `"${long(1025)}": [${fileAt(6e12)}]`,
      `"${long(1022)}é": [${fileAt(7e12, true)}]`,
      `"${long(1023)}é": [${fileAt(8e12)}]`,
      `"${long(1025)}": [${fileAt(9e12, true)}]`,
      `"2.0": []`,
      `"2.0": [ ]`,
      `"3.0": [${fileAt(1.5e12)}, 3, "x", [], {}, null, [${fileAt(9.5e12)}]]`,
      `"3.1": {"a": [${fileAt(9.6e12)}]}`,
      `"3.2": 5`,
      `"3.3": "s"`,
      `"3.4": [${fileAt(1.6e12, true)}]`,
      `"1.0": [${fileAt(1.7e12)}]`,
      `"é☃😀": [${fileAt(1.8e12, true)}]`,
    ];
    for (const releasesFirst of [false, true]) {
      const info = `"info": {"version": "1.0"}, "urls": []`;
      const body = `"releases": {${releases.join(", ")}}`;
      const text = `{${releasesFirst ? `${body}, ${info}` : `${info}, ${body}`}}`;
      const bytes = encoder.encode(text);
      expectSame(bytes);
      for (const opts of TIGHT) expectSame(bytes, [1, 13, bytes.length], opts);
      // A repeated key, escaped or not, adds to the same release.
      const answer = scan(bytes, bytes.length, "wasm");
      if ("code" in answer) throw new Error(answer.message);
      expect(answer.releases!.get("1.0")).toEqual({
        files: 6,
        yankedFiles: 2,
        firstUploadMs: 0.1e12,
        lastUploadMs: 4e12,
      });
      expect(answer.releases!.has("v".repeat(1025))).toBe(false);
      expect(answer.releases!.get("v".repeat(1024))?.files).toBe(1);
    }
  });

  it("every byte of odd releases changed to punctuation is refused (or read) the same way", () => {
    const file = `{"upload_time":"2020-01-02T03:04:05","yanked":true}`;
    const text = `{"info": {"version": "1"}, "releases": {"1": [${file}, {}], "1": [], "\\u0032": [3, [${file}]], "4": {"a": [${file}]}, "5": "x", "6": [{"a": {"b": []}}]}}`;
    const bytes = encoder.encode(text);
    const from = text.indexOf('"releases"') + 12;
    for (let at = from; at < bytes.length; at++) {
      for (const c of [0x7d, 0x5d, 0x7b, 0x5b, 0x2c, 0x3a, 0x22, 0x5c, 0x20, 0x31]) {
        const changed = new Uint8Array(bytes);
        changed[at] = c;
        expectSame(changed, [changed.length], {});
        expectSame(changed, [5], TIGHT[at % TIGHT.length]);
      }
    }
  });

  it("file members of every shape, spacing and scalar spelling read as JSON.parse reads them", () => {
    // The WebAssembly path reads the members of a file in one go while they are plain, and
    // leaves the rest to its token-by-token reading: both must add up to the same summary.
    const values = [
      `"s"`,
      `""`,
      `0`,
      `-0`,
      `-1`,
      `12`,
      `1.5`,
      `1e3`,
      `-1E+2`,
      `0.25e-1`,
      `9007199254740993`,
      `true`,
      `false`,
      `null`,
      `{}`,
      `{ }`,
      `{"md5":"a","sha256":"b"}`,
      `{ "a" : 1 , "b" : null }`,
      `{"a":{"b":1}}`,
      `{"a":[1,2]}`,
      `{"a\\"b":"c"}`,
      `[]`,
      `["x", {"y": 1}]`,
      `"with \\"escape\\""`,
    ];
    const releases: string[] = [];
    values.forEach((value, k) => {
      const day = String((k % 28) + 1).padStart(2, "0");
      const stamp = `2021-0${(k % 9) + 1}-${day}T01:02:03`;
      releases.push(
        `"${k}.0": [{"digests":${value},"upload_time":"${stamp}","yanked":${k % 2 === 0},"x":${value}}, ` +
          `{ "x" : ${value} , "upload_time_iso_8601" : "${stamp}.5Z" , "yanked" : true , "yanked" : false }, ` +
          `{"yanked":${value},"upload_time":${value},"size":${value}}]`,
      );
    });
    const text = `{"info": {"version": "3.0"}, "releases": {${releases.join(", ")}}}`;
    const bytes = encoder.encode(text);
    const parsed = answerFromText([bytes], bytes.length)!;
    expect(parsed.releases!.size).toBe(values.length);
    expect(parsed.releases!.get("0.0")!.yankedFiles).toBe(1);
    for (const fastPath of ["wasm", "js"] as const) {
      for (const size of [1, 9, 4096, bytes.length]) {
        expect(scan(bytes, size, fastPath), `${fastPath} ${size}`).toEqual(parsed);
      }
    }
    for (const opts of TIGHT) expectSame(bytes, [bytes.length, 333], opts);
  });

  it("file keys checked against the keys last met at their place: look-alikes, other layouts and answers read side by side", () => {
    // The WebAssembly path remembers each file's keys by their place in the object and takes
    // the next key from there when its bytes are the same. Every layout below puts, at some
    // place, a key the others had there in a different spelling (a longer key of the same
    // start, a space before its colon, one byte changed in the first or the second 16), so a key taken from
    // memory on fewer bytes than the whole would read an upload time or a yank wrongly.
    const long = "k".repeat(29); // `"kkk…":` is 32 bytes, as much as a remembered key holds
    const layouts: ((ms: number, yanked: boolean) => string)[] = [
      (ms, y) =>
        `{"comment_text":"","digests":{"md5":"${"a".repeat(32)}","sha256":"${"b".repeat(64)}"},"${long}":1,"upload_time":"${stamp(ms)}","yanked":${y},"yanked_reason":null}`,
      (ms, y) =>
        `{"comment_text":"","digests":{"md5":"${"a".repeat(32)}","sha256":"${"b".repeat(64)}"},"${long.slice(0, 28)}j":1,"upload_time_iso_8601":"${new Date(ms).toISOString()}","yanked_reason":${y},"yanked":${!y}}`,
      (ms, y) =>
        `{"comment_text" :"","digests" : {"md5":1,"sha256":"x"},"${long}" :1,"upload_time" :"${stamp(ms + 1000)}","yanked" :${y},"upload_time":"${stamp(ms)}"}`,
      (ms, y) =>
        `{"upload_time":"${stamp(ms)}","comment_text":"","digests":{"sha256":"${"c".repeat(64)}"},"yanked":${y},"${long}k":2}`,
      // An escaped key is read, never taken from memory.
      (ms, y) =>
        `{"comment_text":"","digests":{"md5":"x"},"upload\\u005ftime":"${stamp(ms)}","yanked":${y}}`,
      // Where layout 1 has `upload_time_iso_8601`, a key that differs from it in its 21st byte.
      (ms, y) =>
        `{"comment_text":"","digests":{"md5":"x"},"${long.slice(0, 28)}j":1,"upload_time_iso_8602":"${new Date(ms - 86_400_000).toISOString()}","upload_time":"${stamp(ms)}","yanked":${y}}`,
    ];
    function stamp(ms: number) {
      return new Date(ms).toISOString().slice(0, 19);
    }
    const answer = (order: number[]) => {
      const releases = order.map((layout, k) => {
        const ms = Date.UTC(2020, k % 12, (k % 27) + 1, 3, 4, 5);
        const files = [0, 1, 2].map((f) => layouts[layout]!(ms + f * 60_000, (k + f) % 3 === 0));
        return `"${k}.0":[${files.join(",")}]`;
      });
      return encoder.encode(`{"info":{"version":"3.0"},"releases":{${releases.join(",")}}}`);
    };
    // Each layout in runs (remembered, then met again) and mixed with every other.
    const orders = [
      [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 0, 0],
      [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 1, 2, 1, 3, 1, 4, 1, 5, 2, 3, 2, 4, 3, 4, 3, 5, 4, 5],
      [5, 4, 3, 2, 1, 0, 5, 4, 3, 2, 1, 0],
    ];
    const answers = orders.map(answer);
    for (const bytes of answers) {
      const parsed = answerFromText([bytes], bytes.length)!;
      expect(parsed.releases!.size).toBeGreaterThan(5);
      for (const size of [1, 13, 200, 4096, bytes.length]) {
        expect(scan(bytes, size, "wasm"), `chunks of ${size}`).toEqual(parsed);
      }
      for (const opts of TIGHT) expectSame(bytes, [bytes.length, 97], opts);
    }
    // Three answers read side by side, a chunk of each in turn: what one remembers is the
    // others' to check against, and must not change what any of them reads. Not gathered, or
    // each answer would be read whole in its `end()`, one after the other.
    for (const size of [61, 509, 4096]) {
      const scanners = answers.map(() =>
        createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath: "wasm", gatherBytes: 0 }),
      );
      const longest = Math.max(...answers.map((a) => a.length));
      for (let at = 0; at < longest; at += size) {
        answers.forEach((bytes, k) => {
          if (at < bytes.length)
            expect(scanners[k]!.push(bytes.subarray(at, at + size))).toBeUndefined();
        });
      }
      answers.forEach((bytes, k) => {
        expect(scanners[k]!.end(), `answer ${k}, chunks of ${size}`).toEqual(
          answerFromText([bytes], bytes.length),
        );
      });
    }
  });

  it("a place whose key could not be kept matches no later key, in a fresh instance and after a chunk ends anywhere", async () => {
    // A key that is not kept (a space before its colon, or too near the end of a window) leaves
    // its place empty; a later place may still be filled. The empty place must match nothing:
    // taken as a key of length 0, it made the next key's name read as a value, and valid
    // answers were refused by every scanner of the process from then on.
    const fresh = async () => {
      vi.resetModules();
      return import("../../src/pypi/answer-stream.js");
    };
    const small = encoder.encode(
      `{"info":{"version":"1"},"releases":{"1":[{"a":1,"b" :1,"c":1},{"a":1,"d":1,"upload_time":"2020-01-01T00:00:00"}]}}`,
    );
    const m = await fresh();
    for (let pass = 0; pass < 2; pass++) {
      const s = m.createAnswerScanner(m.DEFAULT_ANSWER_LIMITS, { fastPath: "wasm" });
      expect(s.push(small)).toBeUndefined();
      expect(s.end(), `pass ${pass}`).toEqual(answerFromText([small], small.length));
    }
    const big = encoder.encode(bigAnswerText({ bytes: 300_000, releasesFirst: true }));
    const expected = answerFromText([big], big.length);
    const start = new TextDecoder().decode(big).indexOf('"releases"');
    for (let cut = start; cut < start + 120; cut++) {
      const f = await fresh();
      const s = f.createAnswerScanner(f.DEFAULT_ANSWER_LIMITS, { fastPath: "wasm" });
      expect(s.push(big.subarray(0, cut))).toBeUndefined();
      expect(s.push(big.subarray(cut))).toBeUndefined();
      expect(s.end(), `cut at ${cut}`).toEqual(expected);
    }
  });

  it("scalars the one-go reading takes or leaves are refused alike when they are not JSON", () => {
    const bad = [
      "01",
      "-",
      "-01",
      "1.",
      ".5",
      "1e",
      "1x",
      "truex",
      "tru",
      "fals",
      "nul",
      "nulll",
      "+1",
      "--1",
      "0x10",
      "Infinity",
      "NaN",
    ];
    for (const value of bad) {
      for (const where of ["yanked", "size"]) {
        const file = `{"filename":"a.whl","${where}":${value},"upload_time":"2020-01-02T03:04:05"}`;
        const text = `{"info": {"version": "1"}, "releases": {"1": [${file}, ${file}]}}`;
        const bytes = encoder.encode(text);
        const js = scan(bytes, bytes.length, "js");
        expect(js, value).toMatchObject({ code: "answer-not-json" });
        expectSame(bytes, [bytes.length, 7]);
      }
    }
  });

  it("every byte of a file with a nested object and spacing changed is refused (or read) the same way", () => {
    const file = `{"digests": {"md5":"ab","n":-1}, "size":123,"yanked" : false,"upload_time_iso_8601":"2020-01-02T03:04:05.5Z","upload_time":"2020-01-02T03:04:05"}`;
    const text = `{"info": {"version": "1"}, "releases": {"1": [${file},${file}]}}`;
    const bytes = encoder.encode(text);
    const from = text.indexOf('"releases"') + 12;
    for (let at = from; at < bytes.length; at++) {
      for (const c of [0x7d, 0x5d, 0x7b, 0x2c, 0x3a, 0x22, 0x5c, 0x20, 0x31, 0x74, 0x2d]) {
        const changed = new Uint8Array(bytes);
        changed[at] = c;
        expectSame(changed, [changed.length], {});
        expectSame(changed, [11], TIGHT[at % TIGHT.length]);
      }
    }
  });

  it("more releases than the scanner keeps: `info.version` is kept when known in time", () => {
    const releases: string[] = [];
    for (let k = 0; k < 40; k++)
      releases.push(`"${k}.0": [${fileAt(1e12 + k * 1e9, k % 3 === 0)}]`);
    releases.push(`"5.0": [${fileAt(2e12)}]`);
    for (const version of ["3.0", "30.0", "39.0"]) {
      for (const releasesFirst of [false, true]) {
        const info = `"info": {"version": "${version}"}`;
        const body = `"releases": {${releases.join(", ")}}`;
        const text = `{${releasesFirst ? `${body}, ${info}` : `${info}, ${body}`}}`;
        const bytes = encoder.encode(text);
        for (const opts of [{}, ...TIGHT]) {
          const capped = { ...opts, maxVersions: 10 };
          expectSame(bytes, [1, 64, bytes.length], capped);
          const answer = scan(bytes, bytes.length, "wasm", capped);
          if ("code" in answer) throw new Error(answer.message);
          expect(answer.releases!.size).toBe(version === "3.0" || releasesFirst ? 10 : 11);
          // Releases not kept still count towards the latest upload.
          expect(answer.latestUploadMs).toBe(2e12);
        }
      }
    }
  });

  it("answers cut short or with a byte changed inside `releases`, with small windows and record areas", () => {
    const text = bigAnswerText({ bytes: 30_000, releasesFirst: true });
    const bytes = encoder.encode(text);
    const from = text.indexOf('"releases"');
    const replacements = [0x7d, 0x5d, 0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x5b, 0x01, 0x20, 0x74, 0x30];
    let k = 0;
    for (let at = from; at < from + 20_000; at += 89) {
      const opts = TIGHT[k % TIGHT.length]!;
      expectSame(bytes.subarray(0, at), [4096, bytes.length], opts);
      const changed = new Uint8Array(bytes);
      changed[at] = replacements[k++ % replacements.length]!;
      expectSame(changed, [4096, bytes.length], opts);
    }
  });

  it("randomly broken variants are refused (or read) the same way", () => {
    const base = encoder.encode(bigAnswerText({ bytes: 400_000 }));
    let refused = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const broken = mutate(base, seed);
      for (const size of [4096, 65_536]) {
        const js = scan(broken, size, "js");
        expect(scan(broken, size, "wasm"), `seed ${seed}`).toEqual(js);
        const tight = TIGHT[seed % TIGHT.length]!;
        expect(scan(broken, size, "wasm", tight), `seed ${seed} ${JSON.stringify(tight)}`).toEqual(
          js,
        );
        if ("code" in js) refused++;
      }
    }
    // Most mutations break the JSON: the comparison covered refusals, not only answers.
    expect(refused).toBeGreaterThan(60);
  });
});
