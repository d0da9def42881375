import { describe, expect, it } from "vitest";
import {
  createAnswerScanner,
  DEFAULT_ANSWER_LIMITS,
  isAnswerProblem,
  plainStampMs,
  readProjectAnswer,
  uploadMs,
  type AnswerLimits,
  type AnswerProblem,
  type ProjectAnswer,
  type ScannerOptions,
} from "../../src/pypi/answer-stream.js";
import { bigAnswer, bigAnswerFacts, bigAnswerText } from "../servers/big-answer.js";
import { pypiFixture, pypiFixtureNames } from "../servers/pypi.js";

const encoder = new TextEncoder();

const FIXTURES = pypiFixtureNames();

/** Bytes cut into chunks of the given sizes, repeated. */
function* chunked(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let k = 0;
  for (let at = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** A small deterministic random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function read(
  text: string | Uint8Array,
  sizes: number[] = [65_536],
  limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
): Promise<ProjectAnswer | AnswerProblem> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const answer = await readProjectAnswer(chunked(bytes, sizes), limits);
  // Small chunks are gathered before they are scanned; scanned as they come, each chunk
  // boundary meets the WebAssembly fast path too, and the answer must be the same.
  const asTheyCome = await readProjectAnswer(chunked(bytes, sizes), limits, {
    scanner: { gatherBytes: 0 },
  });
  expect(asTheyCome).toEqual(answer);
  return answer;
}

async function readOk(text: string | Uint8Array, sizes?: number[]): Promise<ProjectAnswer> {
  const answer = await read(text, sizes);
  if (isAnswerProblem(answer)) throw new Error(`${answer.code}: ${answer.message}`);
  return answer;
}

async function readProblem(
  text: string | Uint8Array,
  sizes?: number[],
  limits?: AnswerLimits,
): Promise<AnswerProblem> {
  const answer = await read(text, sizes, limits);
  if (!isAnswerProblem(answer)) throw new Error("expected a problem, got an answer");
  return answer;
}

type File = { upload_time_iso_8601?: unknown; upload_time?: unknown; yanked?: unknown };

/** What the reader should find, worked out the slow way from JSON.parse. */
function expected(text: string) {
  const doc = JSON.parse(text) as Record<string, unknown> & {
    info: { version?: unknown };
    releases?: Record<string, File[]>;
  };
  const releases = new Map<string, { files: number; yanked: number; times: number[] }>();
  for (const [version, files] of Object.entries(doc.releases ?? {})) {
    const times: number[] = [];
    let yanked = 0;
    for (const file of files) {
      const stamp = file.upload_time_iso_8601 ?? file.upload_time;
      const ms = typeof stamp === "string" ? uploadMs(stamp) : NaN;
      if (Number.isFinite(ms)) times.push(ms);
      if (file.yanked === true) yanked++;
    }
    releases.set(version, { files: files.length, yanked, times });
  }
  const all = [...releases.values()].flatMap((r) => r.times);
  const own = releases.get(String(doc.info.version))?.times ?? [];
  return {
    info: doc.info,
    urls: doc.urls,
    ownership: doc.ownership,
    lastSerial: doc.last_serial,
    versions: doc.releases ? [...releases.keys()] : undefined,
    versionFirstUploadMs: own.length > 0 ? Math.min(...own) : undefined,
    latestUploadMs: all.length > 0 ? Math.max(...all) : undefined,
    yankedVersions: [...releases]
      .filter(([, r]) => r.files > 0 && r.yanked === r.files)
      .map(([v]) => v),
    bytesRead: encoder.encode(text).length,
  };
}

function found(answer: ProjectAnswer) {
  return {
    info: answer.info,
    urls: answer.urls,
    ownership: answer.ownership,
    lastSerial: answer.lastSerial,
    versions: answer.releases ? [...answer.releases.keys()] : undefined,
    versionFirstUploadMs: answer.versionFirstUploadMs,
    latestUploadMs: answer.latestUploadMs,
    yankedVersions: answer.yankedVersions,
    bytesRead: answer.bytesRead,
  };
}

async function expectSameAsParse(text: string, sizes?: number[]): Promise<void> {
  expect(found(await readOk(text, sizes))).toEqual(expected(text));
}

/** The same document with `releases` moved to the front of the top-level keys. */
function releasesFirst(text: string): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  const { releases, ...rest } = doc;
  return JSON.stringify({ releases, ...rest }, null, 1);
}

/** A small answer whose `releases` strings are full of JSON punctuation and escapes. */
const TRICKY = `{
  "releases": {
    "1.0\\"rc{[": [
      {"filename": "a\\\\b\\"}]{[.whl", "upload_time": "2019-03-01T10:00:00",
       "upload_time_iso_8601": "2019-03-01T10:00:00.123456Z", "yanked": true,
       "yanked_reason": "\\u007b\\u005b \\" \\\\ \\/ \\b\\f\\n\\r\\t \\ud83d\\ude00 é ☃ } ] \\u0022", "digests": {"x": ["}", "]"]}},
      {"filename": "}", "upload_time": "2019-02-01T00:00:00", "yanked": true, "size": -1.5e+3}
    ],
    "2.0": [
      {"upload_time_iso_8601": "2020-05-05T05:05:05+02:00", "yanked": false, "comment_text": "[{\\"upload_time\\": \\"2099-01-01T00:00:00\\"}]"},
      {"upload_time": "not a time", "yanked": false}
    ],
    "\\u0033.0": [],
    "2.1": [{"yanked": true, "upload_time_iso_8601": null}]
  },
  "info": {"version": "1.0\\"rc{[", "author_email": "a@example.com", "description": "\\"}]{[\\\\"},
  "urls": [],
  "ownership": {"roles": [{"role": "Owner", "user": "x"}]},
  "last_serial": 2.6154133e7
}`;

describe("readProjectAnswer on real answers", () => {
  it.each(FIXTURES)("%s gives what JSON.parse gives", async (name) => {
    await expectSameAsParse(pypiFixture(name));
  });

  it("summarises luigi's `releases`: 84 versions, two without files", async () => {
    const answer = await readOk(pypiFixture("luigi.json"));
    expect(answer.releases?.size).toBe(84);
    expect(answer.releases?.get("1.0.8")).toEqual({
      files: 0,
      yankedFiles: 0,
      firstUploadMs: undefined,
      lastUploadMs: undefined,
    });
    expect(new Date(answer.versionFirstUploadMs!).toISOString()).toBe("2024-12-06T00:58:03.138Z");
    expect(answer.urls).toEqual(JSON.parse(pypiFixture("luigi.json")).urls);
  });

  it("reads `releases` before `info` and `urls` the same as after", async () => {
    const text = releasesFirst(pypiFixture("luigi.json"));
    expect(Object.keys(JSON.parse(text))[0]).toBe("releases");
    await expectSameAsParse(text);
    const before = found(await readOk(text));
    const after = found(await readOk(pypiFixture("luigi.json")));
    expect({ ...before, bytesRead: 0 }).toEqual({ ...after, bytesRead: 0 });
  });

  it("answers without `releases` have no summary", async () => {
    const answer = await readOk(pypiFixture("wheel-0.40.0.json"));
    expect(answer.releases).toBeUndefined();
    expect(answer.versionFirstUploadMs).toBeUndefined();
    expect(answer.latestUploadMs).toBeUndefined();
  });
});

describe("chunk boundaries", () => {
  it("a real answer split into 1-byte chunks", async () => {
    await expectSameAsParse(pypiFixture("luigi.json"), [1]);
    await expectSameAsParse(pypiFixture("wheel-0.40.0.json"), [1]);
  });

  it("a real answer split into random chunks", async () => {
    const next = random(7);
    const text = pypiFixture("luigi.json");
    for (let round = 0; round < 20; round++) {
      const sizes = Array.from({ length: 50 }, () => 1 + Math.floor(next() * 300));
      await expectSameAsParse(text, sizes);
    }
  });

  it("two chunks cut at every byte of a small real answer", async () => {
    const text = pypiFixture("twisted-18.9.0.json");
    const bytes = encoder.encode(text);
    const want = expected(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      // Gathered (as read) and not (so that the cut reaches the WebAssembly fast path too).
      for (const scanner of [{}, { gatherBytes: 0 }]) {
        const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
        const answer = await readProjectAnswer(parts, DEFAULT_ANSWER_LIMITS, { scanner });
        if (isAnswerProblem(answer)) throw new Error(`cut at ${cut}: ${answer.message}`);
        expect(found(answer)).toEqual(want);
      }
    }
  });

  it("two chunks cut at every byte of `releases` full of escapes", async () => {
    const bytes = encoder.encode(TRICKY);
    const want = expected(TRICKY);
    for (let cut = 1; cut < bytes.length; cut++) {
      // Gathered (as read) and not (so that the cut reaches the WebAssembly fast path too).
      for (const scanner of [{}, { gatherBytes: 0 }]) {
        const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
        const answer = await readProjectAnswer(parts, DEFAULT_ANSWER_LIMITS, { scanner });
        if (isAnswerProblem(answer)) throw new Error(`cut at ${cut}: ${answer.message}`);
        expect(found(answer)).toEqual(want);
      }
    }
  });
});

describe("strings inside `releases`", () => {
  it("quotes, backslashes, unicode escapes and brackets inside strings are only text", async () => {
    await expectSameAsParse(TRICKY);
    await expectSameAsParse(TRICKY, [1]);
    const answer = await readOk(TRICKY);
    expect([...answer.releases!.keys()]).toEqual(['1.0"rc{[', "2.0", "3.0", "2.1"]);
    expect(answer.releases!.get('1.0"rc{[')).toEqual({
      files: 2,
      yankedFiles: 2,
      firstUploadMs: Date.parse("2019-02-01T00:00:00Z"),
      lastUploadMs: Date.parse("2019-03-01T10:00:00.123Z"),
    });
    // A string that looks like an upload time inside `comment_text` counts for nothing.
    expect(answer.latestUploadMs).toBe(Date.parse("2020-05-05T03:05:05Z"));
    expect(answer.versionFirstUploadMs).toBe(Date.parse("2019-02-01T00:00:00Z"));
    expect(answer.yankedVersions).toEqual(['1.0"rc{[', "2.1"]);
    expect(answer.info.description).toBe('"}]{[\\');
    expect(answer.lastSerial).toBe(26154133);
  });

  it("random chunks of the tricky answer", async () => {
    const next = random(11);
    for (let round = 0; round < 50; round++) {
      const sizes = Array.from({ length: 20 }, () => 1 + Math.floor(next() * 40));
      await expectSameAsParse(TRICKY, sizes);
    }
  });
});

describe("generated large answers", () => {
  it("an answer of more than 6 MB is read in full; only the small parts are kept", async () => {
    const opts = { bytes: 6_500_000 };
    const facts = bigAnswerFacts(opts);
    const answer = await readProjectAnswer(bigAnswer(opts));
    if (isAnswerProblem(answer)) throw new Error(answer.message);
    // And each chunk scanned as it comes (its boundaries reach the WebAssembly fast path).
    expect(
      await readProjectAnswer(bigAnswer(opts), DEFAULT_ANSWER_LIMITS, {
        scanner: { gatherBytes: 0 },
      }),
    ).toEqual(answer);
    expect(answer.bytesRead).toBeGreaterThan(6_500_000);
    expect(answer.info.version).toBe(facts.version);
    expect(answer.releases?.size).toBe(facts.versions);
    expect([...answer.releases!.values()].reduce((sum, r) => sum + r.files, 0)).toBe(facts.files);
    expect(answer.versionFirstUploadMs).toBe(facts.versionFirstUploadMs);
    expect(answer.latestUploadMs).toBe(facts.latestUploadMs);
    expect(answer.yankedVersions).toEqual(facts.yankedVersions);
  });

  it("gives what JSON.parse gives, `releases` first or last", async () => {
    for (const releasesFirst of [false, true]) {
      const text = bigAnswerText({ bytes: 700_000, releasesFirst });
      await expectSameAsParse(text, [4096, 1, 333]);
    }
  });

  it("gives what JSON.parse gives when indented, with white space everywhere it may be", async () => {
    const doc = JSON.parse(bigAnswerText({ bytes: 200_000, releasesFirst: true })) as object;
    const text = JSON.stringify(doc, null, 2).replace(/\n/g, "\r\n\t");
    await expectSameAsParse(text, [65_536]);
    await expectSameAsParse(text, [1, 7, 4096]);
  });

  it("with empty `urls`, the latest upload across releases is there", async () => {
    const opts = { bytes: 300_000, emptyUrls: true };
    const answer = await readProjectAnswer(bigAnswer({ ...opts, chunkBytes: 1000 }));
    if (isAnswerProblem(answer)) throw new Error(answer.message);
    expect(
      await readProjectAnswer(bigAnswer({ ...opts, chunkBytes: 1000 }), DEFAULT_ANSWER_LIMITS, {
        scanner: { gatherBytes: 0 },
      }),
    ).toEqual(answer);
    expect(answer.urls).toEqual([]);
    expect(answer.latestUploadMs).toBe(bigAnswerFacts(opts).latestUploadMs);
  });

  it("an `info` over 5 MiB is answer-kept-too-large, wherever `releases` is", async () => {
    for (const releasesFirst of [false, true]) {
      const problem = await readProjectAnswer(
        bigAnswer({ bytes: 1_000_000, infoBytes: 5.5 * 1024 * 1024, releasesFirst }),
      );
      expect(problem).toMatchObject({ code: "answer-kept-too-large" });
      expect((problem as AnswerProblem).message).toMatch(/larger than 5 MiB/);
    }
  });

  it("an answer over the total cap is answer-too-large, and reading stops there", async () => {
    let chunks = 0;
    async function* counted() {
      for await (const chunk of bigAnswer({ bytes: 2_000_000, chunkBytes: 10_000 })) {
        chunks++;
        yield chunk;
      }
    }
    const limits = { maxKeptBytes: 5 * 1024 * 1024, maxTotalBytes: 1024 * 1024 };
    for (const scanner of [{}, { gatherBytes: 0 }]) {
      chunks = 0;
      const problem = await readProjectAnswer(counted(), limits, { scanner });
      expect(problem).toEqual({
        code: "answer-too-large",
        message: "the index answer is larger than 1 MiB",
        bytes: 1_050_000,
      });
      expect(chunks).toBe(105);
    }
  });

  it("gathering `releases` changes no answer and no refusal: caps on kept values crossed before, after and in gathered bytes", async () => {
    // Scanned chunk by chunk, the kept values' size is checked at each chunk's end: gathered
    // bytes after the end of `releases` are scanned where each chunk ended, so every mode gives
    // the same answer or refusal (code, message, offset, bytes).
    const modes: ScannerOptions[] = [
      { fastPath: "js" },
      { fastPath: "wasm", gatherBytes: 0 },
      { fastPath: "wasm" },
      { fastPath: "wasm", gatherBytes: 1000 },
      { fastPath: "wasm", wasmWindow: 4096 },
    ];
    const answers = [
      bigAnswerText({ bytes: 400_000, infoBytes: 150_000, releasesFirst: true }),
      bigAnswerText({ bytes: 400_000, infoBytes: 150_000 }),
      `{"info": {"a": "${"x".repeat(2000)}", "b": 1 2}, "releases": {}}`,
      `{"releases": {"1": [{"size": 1}]}, "info": {"a": "${"x".repeat(2000)}", "b": 1 2}}`,
    ].map((text) => encoder.encode(text));
    let refused = 0;
    for (const bytes of answers) {
      for (const sizes of [[100], [1000, 7], [65_536], [3, 65_536, 200_000]]) {
        for (const maxKeptBytes of [1000, 100_000, 5 * 1024 * 1024]) {
          const limits = { maxKeptBytes, maxTotalBytes: 256 * 1024 * 1024 };
          const seen = [];
          for (const scanner of modes) {
            const counted = { bytes: 0 };
            const answer = await readProjectAnswer(chunked(bytes, sizes), limits, {
              scanner,
              read: counted,
            });
            seen.push({ answer, read: counted.bytes });
          }
          for (const [k, one] of seen.entries()) {
            const what = `${JSON.stringify(modes[k])} ${sizes} ${maxKeptBytes}`;
            expect(one.answer, what).toEqual(seen[0]!.answer);
            // A problem in gathered bytes is found when they are scanned: at most a window
            // (and the chunk that filled it) of reading later, never earlier.
            expect(one.read, what).toBeGreaterThanOrEqual(seen[0]!.read);
            expect(one.read - seen[0]!.read, what).toBeLessThan(256 * 1024 + 200_000);
          }
          if (isAnswerProblem(seen[0]!.answer)) refused++;
        }
      }
    }
    // Most of these are refused: the comparison covered refusals, not only answers.
    expect(refused).toBeGreaterThan(24);
  });

  it("a problem before the total cap is the answer's problem, also when its bytes were gathered", async () => {
    const limits = { maxKeptBytes: 5 * 1024 * 1024, maxTotalBytes: 1024 * 1024 };
    const space = new Uint8Array(65_536).fill(0x20);
    function* body() {
      yield encoder.encode("[[");
      for (let k = 0; k < 15; k++) yield space;
      yield encoder.encode("x"); // the first problem, 64 KiB less 3 bytes before the cap
      yield space; // crosses the cap
    }
    const want = {
      code: "answer-not-json",
      message:
        "the package index answered with a body that is not JSON (an unexpected `x` at byte 983042)",
      offset: 983_042,
    };
    for (const scanner of [{}, { gatherBytes: 0 }, { fastPath: "js" as const }]) {
      expect(await readProjectAnswer(body(), limits, { scanner }), JSON.stringify(scanner)).toEqual(
        want,
      );
    }
  });

  it("the default total cap is 256 MiB", async () => {
    expect(DEFAULT_ANSWER_LIMITS).toEqual({
      maxKeptBytes: 5 * 1024 * 1024,
      maxTotalBytes: 256 * 1024 * 1024,
    });
    const problem = await readProblem("{}", [2], { maxKeptBytes: 1, maxTotalBytes: 1 });
    expect(problem).toMatchObject({ code: "answer-too-large", bytes: 2 });
  });
});

describe("bad answers", () => {
  it("a truncated answer is answer-not-json, wherever it is cut", async () => {
    const bytes = encoder.encode(pypiFixture("luigi.json"));
    for (let cut = 0; cut < bytes.length - 1; cut += 997) {
      const problem = await readProblem(bytes.subarray(0, cut));
      expect(problem.code).toBe("answer-not-json");
    }
    // Cut just before the final `}` (and the newline after it).
    const end = bytes.lastIndexOf(0x7d);
    expect((await readProblem(bytes.subarray(0, end))).code).toBe("answer-not-json");
  });

  it.each([
    ["", "an empty body", 0],
    ["   ", "an empty body", 3],
    ['{"info": {}', "the text ends early", 11],
    ['{"info": {"a": 1,}}', "a missing key", 17],
    ['{"info": {"a" 1}}', "a missing `:`", 14],
    ['{"info": {}} x', "text after the end", 13],
    ['{"info": {}}}', "text after the end", 12],
    ['{"info": [1}', "a stray `}`", 11],
    ['{"info": [}', "an unexpected `}`", 10],
    ['{"releases": {"1": [{"x": tru}]}, "info": {}}', "a bad number or literal", 26],
    ['{"releases": {"1": [{"size": 01}]}, "info": {}}', "a bad number or literal", 29],
    ['{"releases": {"1": [{"size": 1.}]}, "info": {}}', "a bad number or literal", 29],
    ['{"releases": {"1": [{"a": "\\x"}]}, "info": {}}', "a bad escape", 28],
    ['{"releases": {"1": [{"a": "\\u12G4"}]}, "info": {}}', "a bad \\u escape", 31],
    ['{"releases": {"1": [{"a": "x\ty"}]}, "info": {}}', "a control character in a string", 28],
    ['{"releases": {"1": [{"a": \'x\'}]}, "info": {}}', "an unexpected `'`", 26],
    ['{"info": {}, "releases": {"1": [,]}}', "an unexpected `,`", 32],
    ['{"info": {} "urls": []}', 'an unexpected `"` after a value', 12],
  ])("%j is answer-not-json (%s at byte %i)", async (text, what, offset) => {
    for (const sizes of [[65_536], [1]]) {
      const problem = await readProblem(text, sizes);
      expect(problem).toEqual({
        code: "answer-not-json",
        message: `the package index answered with a body that is not JSON (${what} at byte ${offset})`,
        offset,
      });
    }
  });

  it.each([
    ['{"size": 01}', "a bad number or literal"],
    ['{"a": "x\ty"}', "a control character in a string"],
    ['{"a": "\\x"}', "a bad escape"],
    ['{"a": 1,}', "a missing key"],
    ['{"a" 1}', "a missing `:`"],
    ['{"a": [1}', "a stray `}`"],
    ['{"a": 1 2}', "an unexpected `2` after a value"],
  ])("%j deep inside a file of `releases` or inside `info` is refused alike", async (bad, what) => {
    for (const text of [
      `{"releases": {"1": [{"digests": {"x": [${bad}]}}]}, "info": {}}`,
      `{"info": {"a": {"b": [${bad}]}}}`,
    ]) {
      const whole = await readProblem(text, [65_536]);
      expect(whole.code).toBe("answer-not-json");
      expect(whole.message).toContain(what);
      for (const sizes of [[1], [3, 5], [7]]) expect(await readProblem(text, sizes)).toEqual(whole);
    }
  });

  it("nesting deeper than the stack allows is refused, not a crash", async () => {
    const text = `{"info": {}, "x": ${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect((await readProblem(text)).code).toBe("answer-not-json");
  });

  it.each([
    ["[1, 2]"],
    ['"info"'],
    ["12"],
    ["null"],
    ['{"urls": []}'],
    ['{"info": null}'],
    ['{"info": ["a"]}'],
  ])("%s is answer-no-info", async (text) => {
    const problem = await readProblem(text);
    expect(problem).toEqual({
      code: "answer-no-info",
      message: "the package index answered JSON without an `info` object",
    });
  });

  it("stops reading once the first problem is scanned: at once, or a gathered window later", async () => {
    let chunks = 0;
    function* endless() {
      yield encoder.encode('{"info": {}, "releases": {"1": [{"size": 1');
      yield encoder.encode(" 2");
      for (;;) {
        chunks++;
        yield encoder.encode(" ");
      }
    }
    // Small chunks inside `releases` are gathered into one WebAssembly window (256 KiB) before
    // they are scanned: the problem in the second is seen when the window is full, and nothing
    // is read after it.
    expect(await readProjectAnswer(endless())).toMatchObject({ code: "answer-not-json" });
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThanOrEqual(256 * 1024);
    // Scanned as they come, the first chunk's problem ends the answer before the next is read.
    for (const fastPath of ["wasm", "js"] as const) {
      const scanner = createAnswerScanner(DEFAULT_ANSWER_LIMITS, { fastPath, gatherBytes: 0 });
      chunks = 0;
      let problem;
      for (const chunk of endless()) if ((problem = scanner.push(chunk))) break;
      expect(problem).toMatchObject({ code: "answer-not-json" });
      expect(chunks).toBe(0);
    }
  });

  it("a chunk source that fails passes its error on", async () => {
    async function* failing() {
      yield encoder.encode('{"info": {');
      throw new Error("socket hang up");
    }
    await expect(readProjectAnswer(failing())).rejects.toThrow("socket hang up");
  });
});

describe("details JSON.parse would agree with", () => {
  it("a repeated key keeps its last value", async () => {
    const text = '{"info": {"version": "1"}, "info": {"version": "2"}, "urls": [1], "urls": [2]}';
    await expectSameAsParse(text);
  });

  it("`upload_time` without a zone is UTC; `upload_time_iso_8601` wins when both are there", async () => {
    const text = JSON.stringify({
      info: { version: "1" },
      releases: {
        "1": [
          { upload_time: "2021-06-01T12:00:00", upload_time_iso_8601: "2021-06-01T12:00:00.5Z" },
        ],
        "0.9": [{ upload_time: "2020-06-01T12:00:00" }],
      },
    });
    const answer = await readOk(text);
    expect(answer.versionFirstUploadMs).toBe(Date.UTC(2021, 5, 1, 12, 0, 0, 500));
    expect(answer.releases?.get("0.9")?.firstUploadMs).toBe(Date.UTC(2020, 5, 1, 12));
  });

  it("reads upload times from bytes as Date.parse reads them", () => {
    const stamps = [
      "2018-10-15T09:11:22.298247Z",
      "2018-10-15T09:11:22",
      "2018-10-15T09:11:22Z",
      "2018-10-15T09:11:22.2Z",
      "2018-10-15T09:11:22.29",
      "2024-02-29T23:59:59.999999Z",
      "2024-02-27T23:59:59.999999Z",
      "2024-02-27T23:59:59.9999",
      "2018-10-15T09:11:22+02:00",
      "2018-13-15T09:11:22",
      "2018-10-15 09:11:22",
      "2018-10-15T09:11:2x",
      "2018-10-15T09:11:22.Z",
      "yesterday",
    ];
    for (const stamp of stamps) {
      const bytes = encoder.encode(`xx${stamp}yy`);
      const fast = plainStampMs(bytes, 2, bytes.length - 2);
      if (!Number.isNaN(fast)) expect(fast, stamp).toBe(uploadMs(stamp));
    }
    expect(plainStampMs(encoder.encode(stamps[0]!), 0, stamps[0]!.length)).toBe(
      Date.parse("2018-10-15T09:11:22.298Z"),
    );
  });

  it("reads the 29th to the 31st of the months that have them, leap years by the Gregorian rule", () => {
    const ms = (stamp: string) => plainStampMs(encoder.encode(stamp), 0, stamp.length);
    const valid = [
      "2000-02-29T00:00:00",
      "2024-02-29T23:59:59.999999Z",
      "1600-02-29T12:00:00Z",
      "2023-01-31T01:02:03",
      "2023-03-31T01:02:03.5Z",
      "2023-04-30T01:02:03",
      "2023-05-31T01:02:03",
      "2023-06-30T01:02:03",
      "2023-07-31T01:02:03",
      "2023-08-31T01:02:03",
      "2023-09-30T01:02:03",
      "2023-10-31T01:02:03",
      "2023-11-30T01:02:03",
      "2023-12-31T23:59:59Z",
      "2023-02-28T23:59:59",
      "2023-06-29T00:00:00",
    ];
    for (const stamp of valid) expect(ms(stamp), stamp).toBe(uploadMs(stamp));
    expect(ms("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
    expect(ms("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    // Days the month does not have are left to Date.parse, which rolls them into the next month.
    const invalid = [
      "1900-02-29T00:00:00",
      "2023-02-29T00:00:00Z",
      "2100-02-29T00:00:00",
      "2024-02-30T00:00:00",
      "2023-04-31T00:00:00",
      "2023-06-31T00:00:00",
      "2023-09-31T00:00:00",
      "2023-11-31T00:00:00",
      "2023-01-32T00:00:00",
      "2023-01-00T00:00:00",
    ];
    for (const stamp of invalid) expect(ms(stamp), stamp).toBeNaN();
  });

  it("non-ASCII text in `info` and in version keys is decoded as UTF-8", async () => {
    const text = JSON.stringify({
      info: { version: "1.0-é", maintainer: "Alex Grönholm ☃ 😀" },
      releases: { "1.0-é": [{ upload_time: "2020-01-01T00:00:00" }] },
    });
    await expectSameAsParse(text, [1]);
  });
});
