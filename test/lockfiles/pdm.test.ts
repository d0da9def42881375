import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pdm.js";
import { fixture, rows } from "./rows.js";

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
    // Even entries repeat one name; odd ones are written with `\u0070` (`p`), which is not the
    // text of their name, so they are not found and keep line 1.
    const N = 40_000;
    const entries = Array.from({ length: N }, (_, i) =>
      i % 2 === 0
        ? `  {name = "same", version = "1"},\n`
        : `  {name = "\\u0070${i}", version = "1"},\n`,
    );
    const result = parse(`package = [\n${entries.join("")}]\n`, "pdm.lock");
    expect(result.errors).toEqual([]);
    const lines = result.dependencies.map((d) => d.line);
    expect([0, N / 2, N - 2].map((i) => lines[i])).toEqual([0, N / 2, N - 2].map((i) => i + 2));
    expect([1, N / 2 + 1, N - 1].map((i) => lines[i])).toEqual([1, 1, 1]);
    expect(result.dependencies[N - 1]!.name).toBe(`p${N - 1}`);
  });
});
