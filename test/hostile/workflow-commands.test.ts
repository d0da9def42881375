// Workflow-command injection: the Actions runner executes any log line that starts with `::`
// (`::set-output`, `::add-mask::`, `::stop-commands::`, ...). Attacker-controlled strings
// (PyPI metadata, registry statuses) must never start a line in any CLI output, whether they
// carry a raw CR/LF or a percent-encoded `%0A` that someone might decode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";
import {
  FORMATS,
  rdapBody,
  startHostileWorld,
  workflowCommandLines,
  type HostileWorld,
} from "./harness.js";

const ATTACKS = {
  rawNewline: "x\n::set-output name=pwned::true",
  crlfMask: "ok\r\n::add-mask::leaked-value",
  bareCr: "ok\r::error file=action.yml,line=1::forged error",
  lineStart: "::set-output name=pwned::1",
  percentEncoded: "x%0A::set-output name=pwned::1",
  percentCr: "x%0D%0A::add-mask::y",
  stopCommands: "\n::stop-commands::resume-token\n::warning::forged",
  unicodeLineSeparator: "x\u2028::set-output name=pwned::1",
  nextLine: "x\u0085::add-mask::y",
};

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "cmd-victim==1.0.0\ncmd-victim-two==2.0.0\n" },
    packages: {
      "cmd-victim": {
        name: "cmd-victim",
        version: `1.0.0${ATTACKS.rawNewline}`,
        author: `Eve${ATTACKS.stopCommands}`,
        author_email: `"${ATTACKS.lineStart}" <dev@cmd-hostile.com>`,
        maintainer_email: `"::add-mask::x"@cmd-hostile.com`,
      },
      "cmd-victim-two": {
        name: "cmd-victim-two",
        author: ATTACKS.crlfMask,
        author_email: `"%0A::error file=x::pwned"@cmd-hostile-two.org, ops@cmd-hostile-two.org`,
      },
    },
    domains: {
      "cmd-hostile.com": rdapBody("cmd-hostile.com", ["client hold", ...Object.values(ATTACKS)]),
      "cmd-hostile-two.org": rdapBody("cmd-hostile-two.org", [
        "pending delete",
        "redemption period",
        ATTACKS.bareCr,
        ATTACKS.percentCr,
        ATTACKS.unicodeLineSeparator,
      ]),
    },
  });
});

afterAll(async () => {
  await world?.close();
});

describe("workflow commands in attacker-controlled strings", () => {
  it.each(FORMATS)("--format %s: no output line starts a workflow command", async (format) => {
    const { code, stdout, stderr } = await world.run(format);
    expect(code).toBe(1); // the expired domain fails the run: the hostile answers were used
    expect(workflowCommandLines(stdout)).toEqual([]);
    expect(workflowCommandLines(stderr)).toEqual([]);
  });

  it("the attack strings reached the report (so the check above is not vacuous)", async () => {
    const { stdout } = await world.run("json");
    const report = JSON.parse(stdout) as { findings: { kind: string; domain?: string }[] };
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "domain-on-hold", domain: "cmd-hostile.com" }),
        expect.objectContaining({ kind: "domain-expired", domain: "cmd-hostile-two.org" }),
      ]),
    );
    expect(stdout).toContain("set-output name=pwned");
    const table = (await world.run("table")).stdout;
    expect(table).toContain("set-output name=pwned");
  });

  it("JSON and SARIF stay parseable, one value per string", async () => {
    for (const format of ["json", "sarif"] as const) {
      const { stdout } = await world.run(format);
      expect(() => JSON.parse(stdout), format).not.toThrow();
    }
  });
});

describe("workflow commands in lockfile text, through deps", () => {
  it("deps --format table: a requirement that is itself `::error …` starts no line", async () => {
    const lockfiles = await startHostileWorld({
      files: {
        "requirements.txt":
          // Quoted: pip (and so this parser) takes one word as the -e target.
          "-e '::error title=Security::All checks passed, merge now/'\n::stop-commands::mdgtoken/x\n",
      },
      packages: {},
    });
    try {
      const r = await runMain(["deps", lockfiles.dir, "--format", "table"], {
        cwd: lockfiles.dir,
        now: () => new Date(),
      });
      // The text is shown (as a path requirement) but quoted, so the runner runs nothing.
      expect(r.stdout).toContain("error title=Security::All checks passed");
      expect(workflowCommandLines(r.stdout)).toEqual([]);
      expect(workflowCommandLines(r.stderr)).toEqual([]);
    } finally {
      await lockfiles.close();
    }
  });
});
