import { describe, expect, it } from "vitest";
import { matches, parse } from "../../src/lockfiles/formats/setup-cfg.js";
import { fixture, rows } from "./rows.js";

describe("setup.cfg", () => {
  it("claims setup.cfg only", () => {
    expect([matches("setup.cfg"), matches("tox.ini")]).toEqual([true, false]);
  });

  it("reads install_requires (also on the key's line) and extras_require, not setup_requires", () => {
    const result = parse(fixture("setup-cfg/same-line.cfg"), "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["requests", "2.31.0", 5, "pypi"],
      ["pytest", null, 11, "pypi"],
      ["mock", "5.0.0", 13, "pypi"],
    ]);
  });
});
