import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/uv.js";
import { parseLockfileText } from "../../src/discover/discover.js";
import { expectInlineTableLines, fixture, inlineTableLock, rows } from "./rows.js";

describe("uv.lock", () => {
  it("claims uv.lock by name", () => {
    expect([matches("uv.lock"), matches("x.py.lock")]).toEqual([true, false]);
  });

  it("gives a name locked at two versions two dependencies, and marks project/member sources", () => {
    const result = parse(fixture("uv/forks-and-sources.lock"), "uv.lock");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["numpy", "2.0.2", 6, "pypi"],
      ["numpy", "2.2.0", 13, "pypi"],
      ["six", "1.16.0", 18, "pypi"],
      ["from-git", "0.1.0", 23, "vcs"],
      ["from-url", "1.0.0", 28, "url"],
      ["project", "0.1.0", 33, "editable"],
      ["member", "0.1.0", 38, "path"],
      ["vendored", "0.1.0", 43, "path"],
    ]);
    expect(result.dependencies.find((d) => d.name === "six")?.index).toBe(
      "https://private.example/simple",
    );
    expect(result.dependencies.find((d) => d.name === "numpy")?.index).toBeUndefined();
  });

  it("recognises a uv script lock by its content when the name does not say", () => {
    const result = parseLockfileText("scripts/tool.py.lock", fixture("uv/forks-and-sources.lock"));
    expect(result.format).toBe("uv");
    expect(result.dependencies[0]).toMatchObject({
      name: "numpy",
      file: "scripts/tool.py.lock",
      format: "uv",
    });
  });

  it("gives each of 40,000 inline-table packages its line, repeats and rewritten names included", () => {
    const lock = inlineTableLock(40_000, "package", ["version = 1"]);
    expectInlineTableLines(parse(lock.text, "uv.lock"), lock, 40_000, (a, e) =>
      expect(a).toEqual(e),
    );
  });
});
