// The promises that tie the files together: one option schema behind action.yml and the CLI,
// one version, and a README that documents every input, output and finding kind.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FINDING_INFO, FINDING_KINDS } from "../src/codes.js";
import {
  OPTION_SPECS,
  OptionsError,
  resolveOptions,
  parseDuration,
} from "../src/options/options.js";
import { VERSION } from "../src/version.js";

const action = parse(readFileSync("action.yml", "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const readme = readFileSync("README.md", "utf8");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; type: string };

describe("action.yml", () => {
  it("runs the bundled entry on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  it("offers exactly the schema's inputs that are not CLI-only", () => {
    const fromSchema = OPTION_SPECS.filter((s) => !s.cliOnly).map((s) => s.name);
    expect(Object.keys(action.inputs).sort()).toEqual(fromSchema.sort());
  });

  it("leaves defaults to the schema (only the token has one, which a schema cannot know)", () => {
    const withDefaults = Object.entries(action.inputs).filter(([, v]) => v.default !== undefined);
    expect(withDefaults.map(([k]) => k)).toEqual(["github-token"]);
  });
});

describe("version", () => {
  it("matches package.json", () => {
    expect(VERSION).toBe(pkg.version);
    expect(pkg.type).toBe("module");
  });
});

describe("README", () => {
  it.each(Object.keys(action.inputs))("documents input %s", (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
  it.each(Object.keys(action.outputs))("documents output %s", (name) => {
    expect(readme).toContain(`\`${name}\``);
  });
  it.each(FINDING_KINDS)("documents finding kind %s with its severity", (kind) => {
    const row = readme.split("\n").find((l) => l.startsWith(`| \`${kind}\``));
    expect(row, `a table row for ${kind}`).toBeDefined();
    expect(row).toContain(FINDING_INFO[kind].severity);
  });
  it("gives the two first commands", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toContain("npm ci && npm test");
  });
});

describe("options", () => {
  it("uses the schema's defaults", () => {
    const o = resolveOptions([]);
    expect(o.failOn).toBe("high");
    expect(o.expiryWarningDays).toBe(30);
    expect(o.pypiUrl).toBe("https://pypi.org/pypi");
    expect(o.deadlineMs).toBe(600_000);
  });

  it("lets explicit values win over the config file and combines allow-lists", () => {
    const o = resolveOptions([
      {
        "fail-on": { value: "medium", source: "config", file: "c.yml" },
        allow: {
          value: [{ package: "Foo_Bar", reason: "checked" }],
          source: "config",
          file: "c.yml",
        },
      },
      {
        "fail-on": { value: "critical", source: "input" },
        allow: { value: "baz:example.org:ok", source: "input" },
      },
    ]);
    expect(o.failOn).toBe("critical");
    expect(o.allow).toEqual([
      { package: "foo-bar", reason: "checked" },
      { package: "baz", domain: "example.org", reason: "ok" },
    ]);
  });

  it("collects every problem and names where each came from", () => {
    let error: unknown;
    try {
      resolveOptions([
        {
          allow: {
            value: [{ package: "x" }, { reason: "r", kind: "nope" }],
            source: "config",
            file: "g.yml",
          },
        },
        {
          "fail-on": { value: "hgih", source: "input" },
          deadline: { value: "soon", source: "flag" },
        },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    const problems = (error as OptionsError).problems;
    expect(problems).toContain(
      "fail-on: \"hgih\" is not one of critical, high, medium, low, info, never (from action input 'fail-on')",
    );
    expect(
      problems.some((p) => p.startsWith("deadline:") && p.includes("from flag --deadline")),
    ).toBe(true);
    expect(
      problems.some((p) => p.startsWith("allow[0].reason: is required") && p.includes("g.yml")),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('allow[1].kind: "nope"'))).toBe(true);
  });

  it.each(["127.0.0.1:53", "[::1]:5353", "10.0.0.2:65535"])("dns-server %s is taken", (value) => {
    expect(resolveOptions([{ "dns-server": { value, source: "flag" } }]).dnsServer).toBe(value);
  });

  it.each([
    "127.0.0.1:0", // node's resolver aborts the whole process on port 0
    "127.0.0.1:00000",
    "127.0.0.1:65536",
    "localhost:53", // a name: no resolver is set up yet to look it up
    "dns.example:53",
    "999.1.1.1:53",
    "[::g]:53",
    "[127.0.0.1]:53",
    "127.0.0.1",
  ])("dns-server %s is bad usage, naming what is expected", (value) => {
    expect(() => resolveOptions([{ "dns-server": { value, source: "flag" } }])).toThrow(
      /dns-server: .*an IP address and port \(for example 127\.0\.0\.1:53 or \[::1\]:53\)/,
    );
  });

  it.each([
    ["10", 10_000],
    ["10m", 600_000],
    ["500ms", 500],
    ["1.5s", 1500],
    ["7d", 604_800_000],
    ["ten", undefined],
  ])("reads the duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
