import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pylock.js";
import { fixture, rows } from "./rows.js";

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
    // Even entries repeat one name; odd ones are written with `\u0070` (`p`), which is not the
    // text of their name, so they are not found and keep line 1.
    const N = 40_000;
    const entries = Array.from({ length: N }, (_, i) =>
      i % 2 === 0
        ? `  {name = "same", version = "1"},\n`
        : `  {name = "\\u0070${i}", version = "1"},\n`,
    );
    const result = parse(
      `lock-version = "1.0"\npackages = [\n${entries.join("")}]\n`,
      "pylock.toml",
    );
    expect(result.errors).toEqual([]);
    const lines = result.dependencies.map((d) => d.line);
    expect([0, N / 2, N - 2].map((i) => lines[i])).toEqual([0, N / 2, N - 2].map((i) => i + 3));
    expect([1, N / 2 + 1, N - 1].map((i) => lines[i])).toEqual([1, 1, 1]);
    expect(result.dependencies[N - 1]!.name).toBe(`p${N - 1}`);
  });
});
