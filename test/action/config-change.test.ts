// What a pull request changed in the config file is judged by values, never by where they stand:
// config values now carry their line, and a comment added above them moves every line.
import { describe, expect, it } from "vitest";
import { describeConfigChange } from "../../src/action/config-guard.js";
import { parseConfigText } from "../../src/options/config-file.js";

const FILE = ".github/maintainer-domain-guard.yml";
const BASE = "fail-on: high\nallow:\n  - package: a\n    reason: vendored\n";

describe("a config change", () => {
  it("that only adds comments and blank lines changes nothing, though every line moved", () => {
    const base = parseConfigText(BASE, FILE);
    const head = parseConfigText(
      `# reviewed by the team\n\n${BASE.replace("allow:", "# why\nallow:")}`,
      FILE,
    );
    expect(head["fail-on"]!.line).toBe(3);
    expect(base["fail-on"]!.line).toBe(1);
    expect(head["allow"]!.itemLines).toEqual([6]);
    expect(describeConfigChange(base, head)).toEqual([]);
  });

  it("that changes a value is still seen", () => {
    const base = parseConfigText(BASE, FILE);
    const head = parseConfigText(`# x\n${BASE.replace("high", "never")}`, FILE);
    expect(describeConfigChange(base, head)).toEqual(["sets fail-on: never"]);
  });
});
