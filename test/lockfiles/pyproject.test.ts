import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/pyproject.js";
import { fixture, rows } from "./rows.js";

describe("pyproject.toml", () => {
  it("claims pyproject.toml only", () => {
    expect([matches("pyproject.toml"), matches("project.toml")]).toEqual([true, false]);
  });

  it("reads PEP 621, PEP 735 and Poetry tables; only exact pins carry a version", () => {
    const result = parse(fixture("pyproject/poetry-and-groups.toml"), "pyproject.toml");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["requests", "2.31.0", 3, "pypi"],
      ["click", null, 3, "pypi"],
      ["sphinx", null, 6, "pypi"],
      ["pytest", null, 9, "pypi"],
      ["ruff", "0.5.0", 10, "pypi"],
      ["exact", "1.2.3", 14, "pypi"],
      ["caret", null, 15, "pypi"],
      ["table-form", "3.0", 16, "pypi"],
      ["from-git", null, 17, "vcs"],
      ["devtool", null, 20, "pypi"],
    ]);
  });

  it("a requirement list of the wrong type is an error at its key, never skipped quietly", () => {
    const text = [
      "[project]",
      'name = "app"',
      'dependencies = ["requests==2.31.0", 5, ["nested"]]',
      "",
      "[project.optional-dependencies]",
      'dev = "pytest"',
      "",
      "[dependency-groups]",
      'test = ["coverage", {include-group = "dev"}, {other = 1}]',
      "",
    ].join("\n");
    const result = parse(text, "pyproject.toml");
    expect(rows(result)).toEqual([
      ["requests", "2.31.0", 3, "pypi"],
      ["coverage", null, 9, "pypi"],
    ]);
    expect(result.errors.map((e) => [e.line, e.message])).toEqual([
      [3, "`project.dependencies` holds 2 items that are not requirement strings, the first 5"],
      [6, "`project.optional-dependencies.dev` is not a list of requirement strings"],
      [9, '`dependency-groups.test` holds {"other":1}, which is not a requirement string'],
    ]);
  });

  it("says a list of many wrong items once, at its key's line, dotted or under its table", () => {
    const n = 25_000;
    const text = `project.name = "x"\nproject.dependencies = [${Array(n).fill("0").join(",")}]\n`;
    const result = parse(text, "pyproject.toml");
    expect(result.dependencies).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: "pyproject.toml",
        line: 2,
        code: "invalid-requirement",
        message: `\`project.dependencies\` holds ${n} items that are not requirement strings, the first 0`,
      },
    ]);
    const tables = [
      "[project]",
      'name = "x"',
      'dependencies = ["a", 1, "b", 2]',
      "[dependency-groups]",
      'dev = [{x = 1}, "c", {include-group = "test"}]',
      'test = ["d", [2]]',
    ].join("\n");
    const tabled = parse(tables, "pyproject.toml");
    expect(rows(tabled).map((r) => [r[0], r[2]])).toEqual([
      ["a", 3],
      ["b", 3],
      ["c", 5],
      ["d", 6],
    ]);
    expect(tabled.errors.map((e) => [e.line, e.message])).toEqual([
      [3, "`project.dependencies` holds 2 items that are not requirement strings, the first 1"],
      [5, '`dependency-groups.dev` holds {"x":1}, which is not a requirement string'],
      [6, "`dependency-groups.test` holds [2], which is not a requirement string"],
    ]);
  });

  // A large file is read in linear time (benchmark territory); here: every line is still right.
  const N = 40_000;
  const picks = [0, N / 2, N - 1];

  it("gives each of 40,000 repeats of one requirement its own line, in order", () => {
    const text = `[project]\ndependencies = [\n${'  "requests",\n'.repeat(N)}]\n`;
    const result = parse(text, "pyproject.toml");
    expect(result.dependencies).toHaveLength(N);
    expect(picks.map((i) => result.dependencies[i]!.line)).toEqual(picks.map((i) => i + 3));
  });

  it("gives 40,000 Poetry keys, and requirements the decoder rewrote, their lines", () => {
    const keys = Array.from({ length: N }, (_, i) => `pkg${i} = "^1"\n`).join("");
    // `\u0061` is not the text of `a`: such an entry is not found, so it keeps line 1.
    const escaped = Array.from({ length: N }, (_, i) => `  "\\u0061x${i}",\n`).join("");
    const text = `[project]\ndependencies = [\n${escaped}]\n[tool.poetry.dependencies]\n${keys}`;
    const result = parse(text, "pyproject.toml");
    expect(result.dependencies).toHaveLength(2 * N);
    expect(picks.map((i) => result.dependencies[i]!.line)).toEqual([1, 1, 1]);
    expect(picks.map((i) => result.dependencies[N + i]!)).toMatchObject(
      picks.map((i) => ({ name: `pkg${i}`, line: N + 5 + i })),
    );
  });
});
