import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/poetry.js";
import { expectInlineTableLines, fixture, inlineTableLock, rows } from "./rows.js";

describe("poetry.lock", () => {
  it("claims poetry.lock only", () => {
    expect([matches("a/poetry.lock"), matches("poetry.lock.bak"), matches("Poetry.lock")]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("marks git/url/directory/file sources as not from the index and records a legacy index", () => {
    const result = parse(fixture("poetry/source-types.lock"), "poetry.lock");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["from-git", "1.0.0", 2, "vcs"],
      ["from-url", "2.0.0", 14, "url"],
      ["from-dir", "3.0.0", 23, "editable"],
      ["from-file", "4.0.0", 33, "path"],
      ["private", "5.0.0", 42, "pypi"],
      ["plain", "6.0.0", 52, "pypi"],
    ]);
    expect(result.dependencies.find((d) => d.name === "private")?.index).toBe(
      "https://private.example/simple",
    );
    expect(result.dependencies.find((d) => d.name === "plain")?.index).toBeUndefined();
  });

  it("reports invalid TOML with the decoder's line and column", () => {
    const result = parse(fixture("poetry/not-toml.lock"), "poetry.lock");
    expect(result.dependencies).toEqual([]);
    expect(result.errors).toMatchObject([{ file: "poetry.lock", line: 3, code: "toml-syntax" }]);
    expect(result.errors[0]!.column).toBeGreaterThan(0);
  });

  it("treats an empty lock as no dependencies", () => {
    expect(parse("", "poetry.lock")).toEqual({ dependencies: [], errors: [] });
  });

  it("gives each of 40,000 inline-table packages its line, repeats and rewritten names included", () => {
    const lock = inlineTableLock(40_000, "package");
    expectInlineTableLines(parse(lock.text, "poetry.lock"), lock, 40_000, (a, e) =>
      expect(a).toEqual(e),
    );
  });
});
