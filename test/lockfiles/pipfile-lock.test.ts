import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pipfile-lock.js";
import { fixture, rows } from "./rows.js";

describe("Pipfile.lock", () => {
  it("claims Pipfile.lock only", () => {
    expect([matches("x/Pipfile.lock"), matches("Pipfile"), matches("pipfile.lock")]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("reads every section but _meta, with each key's own line, and classifies git/path/file", () => {
    const result = parse(fixture("pipfile-lock/sections-and-sources.json"), "Pipfile.lock");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["requests", "2.31.0", 9, "pypi"],
      ["internal", "1.0", 10, "pypi"],
      ["requests", "2.30.0", 13, "pypi"],
      ["from-git", "0.1", 14, "vcs"],
      ["local", null, 15, "editable"],
      ["archive", null, 16, "url"],
      ["types-requests", "2.31.0.1", 19, "pypi"],
      ["ranged", null, 20, "pypi"],
    ]);
    expect(result.dependencies.find((d) => d.name === "internal")?.index).toBe(
      "https://private.example/simple",
    );
  });

  it("reads the oldest form whose values are plain strings", () => {
    const text =
      '{\n  "default": {\n    "Delegator.py": "==0.0.3",\n    "any": "*"\n  },\n  "_meta": {}\n}\n';
    expect(rows(parse(text, "Pipfile.lock"))).toEqual([
      ["delegator-py", "0.0.3", 3, "pypi"],
      ["any", null, 4, "pypi"],
    ]);
  });

  it("reports invalid JSON with a line", () => {
    const result = parse(fixture("pipfile-lock/trailing-comma.json"), "Pipfile.lock");
    expect(result.errors).toMatchObject([{ file: "Pipfile.lock", code: "json-syntax" }]);
    expect(result.errors[0]!.line).toBe(4);
  });
});
