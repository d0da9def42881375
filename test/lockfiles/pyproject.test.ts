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
});
