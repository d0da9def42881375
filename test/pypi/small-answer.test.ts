// Small answers (most of PyPI's) are parsed whole with JSON.parse instead of scanned. The two
// paths must agree on every answer: the same kept values, the same release summary, the same
// refusal of what is not a usable answer.
import { describe, expect, it } from "vitest";
import {
  readProjectAnswer,
  SMALL_ANSWER_BYTES,
  type ProjectAnswer,
} from "../../src/pypi/answer-stream.js";
import { bigAnswerText } from "../servers/big-answer.js";
import { pypiFixture, pypiFixtureNames } from "../servers/pypi.js";

const encoder = new TextEncoder();
const FIXTURES = pypiFixtureNames();

/** The same bytes read both ways, in 4 KiB chunks. */
async function bothWays(text: string) {
  const bytes = encoder.encode(text);
  const chunks = () => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 4096) out.push(bytes.subarray(i, i + 4096));
    return out;
  };
  const scanned = await readProjectAnswer(chunks());
  const parsed = await readProjectAnswer(chunks(), undefined, { holdUpTo: SMALL_ANSWER_BYTES });
  return { scanned, parsed };
}

describe("a small answer parsed whole reads as the scanner reads it", () => {
  it.each(FIXTURES)("real answer %s", async (file) => {
    const { scanned, parsed } = await bothWays(pypiFixture(file));
    expect((scanned as ProjectAnswer).info).toBeDefined();
    expect(parsed).toEqual(scanned);
  });

  it.each([
    ["releases after urls", { bytes: 200_000 }],
    ["releases before info", { bytes: 200_000, releasesFirst: true }],
    ["a latest release without files", { bytes: 200_000, emptyUrls: true }],
  ])("generated answer: %s", async (_what, opts) => {
    const { scanned, parsed } = await bothWays(bigAnswerText(opts));
    expect((scanned as ProjectAnswer).releases?.size).toBeGreaterThan(10);
    expect(parsed).toEqual(scanned);
  });

  it("yanked releases, odd upload times and files that are not objects", async () => {
    const text = JSON.stringify({
      info: { version: "2.0", author_email: "a@example.org" },
      releases: {
        "1.0": [
          { upload_time: "2020-01-01T00:00:00", yanked: true },
          { upload_time_iso_8601: "not a date", upload_time: "2020-02-01T00:00:00", yanked: true },
        ],
        "2.0": [{ upload_time_iso_8601: "2021-03-04T05:06:07.123456Z", yanked: "true" }, 7, null],
        "3.0": [],
        "4.0": { not: "an array" },
      },
      urls: [],
    });
    const { scanned, parsed } = await bothWays(text);
    expect(parsed).toEqual(scanned);
    expect((parsed as ProjectAnswer).yankedVersions).toEqual(["1.0"]);
  });

  it.each([
    ["not JSON", '{"info": {"version": "1"}, "releases": {'],
    ["a byte order mark", '\ufeff{"info": {}}'],
    ["no info object", '{"urls": []}'],
    ["an array", "[1, 2]"],
    [
      "nesting deeper than the scanner allows",
      `{"info": {}, "x": ${"[".repeat(1500)}${"]".repeat(1500)}}`,
    ],
  ])("%s is refused with the scanner's own problem", async (_what, text) => {
    const { scanned, parsed } = await bothWays(text);
    expect("code" in scanned).toBe(true);
    expect(parsed).toEqual(scanned);
  });

  it("an answer larger than it said is scanned once it passes the hold", async () => {
    const text = bigAnswerText({ bytes: 3 * 1024 * 1024 });
    const bytes = encoder.encode(text);
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const parsed = await readProjectAnswer(chunks, undefined, { holdUpTo: 256 * 1024 });
    const scanned = await readProjectAnswer(chunks);
    expect(parsed).toEqual(scanned);
    expect((parsed as ProjectAnswer).bytesRead).toBe(bytes.length);
  });
});
