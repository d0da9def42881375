import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pdm.js";
import { expectInlineTableLines, fixture, inlineTableLock, rows } from "./rows.js";

describe("pdm.lock", () => {
  it("claims pdm.lock only", () => {
    expect([matches("pdm.lock"), matches("pdm.toml")]).toEqual([true, false]);
  });

  it("marks git/url/path entries as not from the index and keeps extras variants", () => {
    const result = parse(fixture("pdm/sources.lock"), "pdm.lock");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["from-git", "0.1.0", 6, "vcs"],
      ["from-url", "1.0", 12, "url"],
      ["local", "0.0.1", 17, "editable"],
      ["coverage", "7.0.0", 23, "pypi"],
      ["coverage", "7.0.0", 27, "pypi"],
    ]);
  });

  it("gives each of 40,000 inline-table packages its line, repeats and rewritten names included", () => {
    const lock = inlineTableLock(40_000, "package");
    expectInlineTableLines(parse(lock.text, "pdm.lock"), lock, 40_000, (a, e) =>
      expect(a).toEqual(e),
    );
  });
});
