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

  // The next cases are the audit's reproductions; the "PyYAML reads" notes are yaml.safe_load's
  // answers (PyYAML is the reader conda uses), checked with PyYAML on Python 3.11.
  it("refuses a key written twice, naming the second key's line and the first's", () => {
    // PyYAML reads the second `dependencies` (evil-pkg) and drops the first without a word.
    const text = [
      "name: x",
      "dependencies:",
      "  - python=3.11",
      "dependencies:",
      "  - pip:",
      "    - evil-pkg==6.6.6",
      "",
    ].join("\n");
    const result = parse(text, "environment.yml");
    expect(rows(result)).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: "environment.yml",
        line: 4,
        code: "yaml-duplicate-key",
        message:
          "duplicate key `dependencies` (first on line 2): a YAML reader keeps only one of them; remove one",
      },
    ]);
  });

  it("refuses a key written twice at any depth, in flow style too", () => {
    const text = "dependencies:\n  - {pip: [a==1], pip: [b==2]}\n";
    const result = parse(text, "environment.yml");
    expect(result.errors).toMatchObject([
      { file: "environment.yml", line: 2, code: "yaml-duplicate-key" },
    ]);
    expect(result.errors[0]!.message).toMatch(/^duplicate key `pip` \(first on line 2\)/);
  });

  it("follows an alias in the list, pointing at the line where its anchor was written", () => {
    // PyYAML reads [python=3.11, {pip: [evil-pkg==6.6.6]}, {pip: [requests==2.31.0]}].
    const text = [
      "x-pip: &p {pip: [evil-pkg==6.6.6]}",
      "dependencies: [python=3.11, *p, {pip: [requests==2.31.0]}]",
      "",
    ].join("\n");
    const result = parse(text, "environment.yml");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["python", null, 2, "conda"],
      ["evil-pkg", "6.6.6", 1, "pypi"],
      ["requests", "2.31.0", 2, "pypi"],
    ]);
  });

  it("follows aliases for the list itself, for a pip list and for one pip entry", () => {
    const text = [
      "pins: &pins [flask==3.0.0]",
      "one: &one django==5.0",
      "deps: &deps",
      "  - numpy=1.26",
      "  - pip: *pins",
      "  - pip: [*one]",
      "dependencies: *deps",
      "",
    ].join("\n");
    const result = parse(text, "environment.yml");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["numpy", null, 4, "conda"],
      ["flask", "3.0.0", 1, "pypi"],
      ["django", "5.0", 2, "pypi"],
    ]);
  });

  it("honours a `<<` merge key at the root, as PyYAML does", () => {
    // PyYAML reads dependencies: [numpy=1.26, {pip: [evil-pkg==6.6.6]}].
    const text = [
      "base: &base {dependencies: [numpy=1.26, {pip: [evil-pkg==6.6.6]}]}",
      "<<: *base",
      "",
    ].join("\n");
    const result = parse(text, "environment.yml");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["numpy", null, 1, "conda"],
      ["evil-pkg", "6.6.6", 1, "pypi"],
    ]);
  });

  it("merges as PyYAML does: own keys win, earlier sources in a list win, a later `<<` wins", () => {
    const names = (text: string) => rows(parse(text, "environment.yml")).map((r) => r[0]);
    const anchors = "a: &a {dependencies: [a1]}\nb: &b {dependencies: [b1]}\n";
    expect(names(`${anchors}<<: [*a, *b]\n`)).toEqual(["a1"]);
    expect(names(`${anchors}<<: *a\n<<: *b\n`)).toEqual(["b1"]);
    expect(names(`${anchors}dependencies: [own]\n<<: *a\n`)).toEqual(["own"]);
    expect(names("p: &p {pip: [x==1]}\ndependencies:\n  - <<: *p\n")).toEqual(["x"]);
    // A quoted "<<" is an ordinary key, for PyYAML too.
    expect(names(`${anchors}"<<": *a\n`)).toEqual([]);
  });

  it("ends a merge cycle instead of recursing", () => {
    const result = parse("a: &a {<<: *a}\n<<: *a\n", "environment.yml");
    expect(rows(result)).toEqual([]);
  });
});
