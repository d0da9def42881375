import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDependencies } from "../../src/discover/discover.js";
import { matches, parse } from "../../src/lockfiles/formats/conda.js";
import { FIXTURES, fixture, rows } from "./rows.js";

describe("environment.yml", () => {
  it("claims environment.yml and .yaml", () => {
    expect([matches("environment.yml"), matches("environment.yaml"), matches("env.yml")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("gives conda packages kind conda and parses the pip: list with YAML lines and -r relative to the file", async () => {
    const set = await loadDependencies(["environment.yml"], join(FIXTURES, "conda/pip-include"));
    expect(set.errors).toEqual([]);
    expect(
      set.dependencies.map((d) => [d.name, d.version ?? null, d.file, d.line, d.kind]),
    ).toEqual([
      ["python", null, "environment.yml", 5, "conda"],
      ["numpy", "1.26.4", "environment.yml", 6, "conda"],
      ["_libgcc_mutex", "0.1", "environment.yml", 7, "conda"],
      ["pip", null, "environment.yml", 8, "conda"],
      ["requests", "2.31.0", "environment.yml", 10, "pypi"],
      ["included", "9.9", "requirements-pip.txt", 1, "pypi"],
      ["proj", null, "environment.yml", 12, "vcs"],
    ]);
  });

  it("refuses a YAML alias bomb quickly with an error, not a hang", () => {
    const result = parse(fixture("conda/alias-bomb.yml"), "environment.yml");
    expect(rows(result)).toEqual([]);
    expect(result.errors).toMatchObject([{ file: "environment.yml", code: "yaml-alias-limit" }]);
  });

  it("reports invalid YAML with its line", () => {
    const result = parse("name: x\ndependencies:\n  - a\n - b: [\n", "environment.yml");
    expect(result.errors[0]).toMatchObject({ file: "environment.yml", code: "yaml-syntax" });
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(3);
  });
});
