// `deps` and `scan` describe a problem reading input in one JSON shape: a consumer that reads one
// reads the other.
import { describe, expect, it } from "vitest";
import { renderDeps } from "../../src/report/deps.js";
import { renderJson } from "../../src/report/json.js";
import type { ParseError } from "../../src/types.js";
import { smallReport } from "../fixtures/report/small-report.js";

const PROBLEMS: ParseError[] = [
  {
    file: "sub/Pipfile.lock",
    line: 4,
    column: 9,
    code: "json-syntax",
    message: "invalid JSON: unexpected token",
  },
  {
    file: "requirements.txt",
    line: 2,
    code: "include-missing",
    message: "-r other.txt: no such file",
  },
  { file: "huge/poetry.lock", code: "file-too-large", message: "over the size limit" },
];

describe("one shape for a problem", () => {
  it("is the same in `deps --format json` and in the scan's JSON report", () => {
    const report = smallReport({ errors: PROBLEMS });
    const fromScan = (JSON.parse(renderJson(report)) as { errors: unknown[] }).errors;
    const fromDeps = (
      JSON.parse(
        renderDeps(
          { root: report.root, dependencies: [], lockfiles: [], errors: PROBLEMS },
          "json",
        ),
      ) as { errors: unknown[] }
    ).errors;
    expect(fromDeps).toEqual(fromScan);
    expect(fromScan).toEqual([
      {
        file: "sub/Pipfile.lock",
        line: 4,
        column: 9,
        code: "json-syntax",
        message: "invalid JSON: unexpected token",
      },
      {
        file: "requirements.txt",
        line: 2,
        code: "include-missing",
        message: "-r other.txt: no such file",
      },
      { file: "huge/poetry.lock", code: "file-too-large", message: "over the size limit" },
    ]);
    // Keys in one order, so diffs of two outputs line up.
    expect(Object.keys(fromDeps[0] as object)).toEqual([
      "file",
      "line",
      "column",
      "code",
      "message",
    ]);
  });
});
