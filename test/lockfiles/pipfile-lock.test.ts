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

  it("says each section that is not an object at its own key's line", () => {
    // `develop` also appears before its key, as a value; `d\u0065v` is `dev` only once decoded.
    const text = [
      "{",
      '  "_meta": {"note": "develop", "sources": []},',
      '  "default": {"six": {"version": "==1.16.0"}},',
      '  "develop": [],',
      '  "d\\u0065v": "x"',
      "}",
    ].join("\n");
    const result = parse(text, "Pipfile.lock");
    expect(rows(result)).toEqual([["six", "1.16.0", 3, "pypi"]]);
    expect(result.errors.map((e) => [e.file, e.line, e.code, e.message])).toEqual([
      [
        "Pipfile.lock",
        4,
        "invalid-lockfile",
        'section "develop" is not an object of packages; regenerate the lock with pipenv lock',
      ],
      [
        "Pipfile.lock",
        5,
        "invalid-lockfile",
        'section "dev" is not an object of packages; regenerate the lock with pipenv lock',
      ],
    ]);
  });

  // Many sections are read in linear time (benchmark territory); here: every line is still right.
  it("gives each of 50,000 sections that are not objects its own line", () => {
    const n = 50_000;
    const sections = Array.from({ length: n }, (_, i) => `"s${i}": 1`).join(",\n");
    const result = parse(`{"_meta":{},\n${sections}}\n`, "Pipfile.lock");
    expect(result.errors).toHaveLength(n);
    const picks = [0, n / 2, n - 1];
    expect(picks.map((i) => result.errors[i])).toMatchObject(
      picks.map((i) => ({
        file: "Pipfile.lock",
        line: i + 2,
        message: expect.stringContaining(`"s${i}"`),
      })),
    );
  });

  it("reports invalid JSON with a line", () => {
    const result = parse(fixture("pipfile-lock/trailing-comma.json"), "Pipfile.lock");
    expect(result.errors).toMatchObject([{ file: "Pipfile.lock", code: "json-syntax" }]);
    expect(result.errors[0]!.line).toBe(4);
  });

  it("names the line of invalid JSON whose context appears twice (Python's `True` twice)", () => {
    // V8 quotes ten characters around the token, which both entries share; JSON.parse stops at
    // the first, and a copy inside a string value is not where it stopped.
    const text = [
      "{",
      '    "_meta": {"sources": []},',
      '    "default": {},',
      '    "develop": {',
      '        "a": {"editable": True, "path": "./a"},',
      '        "b": {"editable": True, "path": "./b"}',
      "    }",
      "}",
    ].join("\n");
    const result = parse(text, "Pipfile.lock");
    expect(result.errors).toMatchObject([{ file: "Pipfile.lock", code: "json-syntax", line: 5 }]);
    const inString = '{\n"note": "[1, 2, 3, True, 4, 5, 6]",\n"v": [1, 2, 3, True, 4, 5, 6]\n}';
    expect(parse(inString, "Pipfile.lock").errors).toMatchObject([
      { file: "Pipfile.lock", code: "json-syntax", line: 3 },
    ]);
  });

  it("names the line of invalid JSON whose context appears earlier in valid text (a trailing comma in the second list of hashes)", () => {
    // Every list of hashes closes alike; the first copy of the context is valid JSON, and the
    // parser stops at the second.
    const hash = (c: string) => `"sha256:${c.repeat(64)}"`;
    const text = [
      "{",
      '    "_meta": {',
      '        "hash": {"sha256": "x"},',
      '        "pipfile-spec": 6,',
      '        "requires": {},',
      '        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]',
      "    },",
      '    "default": {',
      '        "certifi": {',
      '            "hashes": [',
      `                ${hash("1")}`,
      "            ],",
      '            "version": "==2024.2.2"',
      "        },",
      '        "idna": {',
      '            "hashes": [',
      `                ${hash("2")},`,
      "            ],",
      '            "version": "==3.6"',
      "        }",
      "    },",
      '    "develop": {}',
      "}",
    ].join("\n");
    const result = parse(text, "Pipfile.lock");
    expect(result.errors).toMatchObject([{ file: "Pipfile.lock", code: "json-syntax", line: 18 }]);
  });
});
