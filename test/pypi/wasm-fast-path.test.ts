// The answer scanner's fast path runs as WebAssembly (src/pypi/releases-scan.as) where it can,
// and as JavaScript otherwise. The two must read every answer alike: the same kept values, the
// same release summary, the same refusal (code, message and offset) of what is broken.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  answerFromText,
  createAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  hasWasmFastPath,
  type FastPath,
} from "../../src/pypi/answer-stream.js";
import { RELEASES_SCAN_WASM } from "../../src/pypi/releases-scan-wasm.js";
import { bigAnswerText } from "../servers/big-answer.js";
import { pypiFixture, pypiFixtureNames } from "../servers/pypi.js";

const encoder = new TextEncoder();
const FIXTURES = pypiFixtureNames();

function scan(bytes: Uint8Array, chunkBytes: number, fastPath: FastPath) {
  const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath });
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    const problem = scanner.push(bytes.subarray(i, i + chunkBytes));
    if (problem) return problem;
  }
  return scanner.end();
}

function expectSame(bytes: Uint8Array, chunkSizes = [1, 7, 4096, 65_536, bytes.length || 1]) {
  for (const size of chunkSizes) {
    expect(scan(bytes, size, "wasm")).toEqual(scan(bytes, size, "js"));
  }
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

  it("randomly broken variants are refused (or read) the same way", () => {
    const base = encoder.encode(bigAnswerText({ bytes: 400_000 }));
    let refused = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const broken = mutate(base, seed);
      for (const size of [4096, 65_536]) {
        const js = scan(broken, size, "js");
        expect(scan(broken, size, "wasm"), `seed ${seed}`).toEqual(js);
        if ("code" in js) refused++;
      }
    }
    // Most mutations break the JSON: the comparison covered refusals, not only answers.
    expect(refused).toBeGreaterThan(60);
  });
});
