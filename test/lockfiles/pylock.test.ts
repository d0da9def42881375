import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pylock.js";
import { expectInlineTableLines, fixture, inlineTableLock, rows } from "./rows.js";

describe("pylock.toml", () => {
  it.each([
    ["pylock.toml", true],
    ["pylock.dev.toml", true],
    ["dir/pylock.314.toml", true],
    ["pylock.a.b.toml", false],
    ["mypylock.toml", false],
  ])("%s -> %s", (path, expected) => {
    expect(matches(path)).toBe(expected);
  });

  it("reads inline-table packages with their lines, sources and a package without a version", () => {
    const result = parse(fixture("pylock/inline-tables.toml"), "pylock.toml");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["alpha", "1.0", 4, "pypi"],
      ["beta", "2.0", 5, "pypi"],
      ["from-vcs", "0.1", 6, "vcs"],
      ["from-archive", null, 7, "url"],
      ["from-dir", null, 8, "editable"],
      ["unversioned", null, 9, "pypi"],
    ]);
    expect(result.dependencies.map((d) => d.index)).toEqual([
      undefined,
      "https://private.example/simple",
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("gives each of 40,000 inline-table packages its line, repeats and rewritten names included", () => {
    const lock = inlineTableLock(40_000, "packages", ['lock-version = "1.0"']);
    expectInlineTableLines(parse(lock.text, "pylock.toml"), lock, 40_000, (a, e) =>
      expect(a).toEqual(e),
    );
  });
});
