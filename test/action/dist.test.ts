// The built action, as the runner starts it: `node dist/index.js` with INPUT_* variables, the
// GITHUB_* files, a temporary git repository and loopback servers. What is asserted is what a
// user sees: workflow commands on stdout, the outputs file, the summary file, the exit code.
// dist/ is built by `npm run build`; run it before this test after a source change.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MARKER } from "../../src/action/github.js";
import {
  baseInputs,
  parseOutputFile,
  pullRequestPayload,
  startWorld,
  type World,
} from "./scenario.js";

const ENTRY = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Inputs become INPUT_<NAME> with the name upper-cased and spaces as `_`, as the runner does. */
function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v]),
  );
}

async function step(
  event: string,
  payload: unknown,
  inputs: Record<string, string> = {},
): Promise<Step> {
  const files = world.runFiles(event);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: world.root,
    ...inputEnv({ ...baseInputs(world), ...inputs }),
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: world.workspace,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: world.event(event, payload),
    GITHUB_REPOSITORY: "octo/lib",
    GITHUB_API_URL: world.gh.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
  };
  const child = spawn(process.execPath, [ENTRY], { cwd: world.workspace, env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
  };
}

/** Workflow commands the action itself may issue; anything else starting with `::` is injected. */
const OUR_COMMANDS = /^::(error|warning|notice|debug|add-mask)( [^:]*)?::/;

describe("node dist/index.js", () => {
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  });

  it("pull_request: error annotation on the added line, outputs, summary, sticky comment, exit 1", async () => {
    const base = world.commit({ "requirements.txt": "steady==0.40.0\nold-lapsed==1.0\n" }, "base");
    const head = world.commit(
      { "requirements.txt": "steady==0.40.0\nold-lapsed==1.0\nnew-lapsed==2.0\n" },
      "head",
    );
    const run = await step("pull_request", pullRequestPayload(base, head));

    const errors = run.stdout.split("\n").filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^::error title=[^,]*new-lapsed[^,]*,file=requirements\.txt,line=3::/,
    );
    expect(errors[1]).toBe("::error::1 finding fails this run (fail-on: high)");
    expect(run.stdout).toMatch(
      /^::notice title=[^,]*old-lapsed[^,]*,file=requirements\.txt,line=2::/m,
    );
    expect(run.stdout).toContain("::add-mask::ghs_loopback_token");
    expect(run.outputs).toMatchObject({
      "findings-count": "2",
      "failing-count": "1",
      "highest-severity": "critical",
      "sarif-file": "",
    });
    expect(existsSync(run.outputs["report-file"]!)).toBe(true);
    expect(run.summary).toContain("new-lapsed");
    expect(run.code).toBe(1);
    expect(world.gh.comments).toHaveLength(1);
    expect(world.gh.comments[0]!.body.startsWith(MARKER)).toBe(true);
  });

  it("push: a full scan with no base needed; both lapsed packages fail", async () => {
    world.commit(
      { "requirements.txt": "steady==0.40.0\nold-lapsed==1.0\nnew-lapsed==2.0\n" },
      "head",
    );
    const run = await step("push", { after: world.git("rev-parse", "HEAD") });
    expect(
      run.stdout
        .split("\n")
        .filter((l) => /^::error title=.*,file=requirements\.txt,line=[23]::/.test(l)),
    ).toHaveLength(2);
    expect(run.stdout).not.toMatch(/^::warning/m);
    expect(run.outputs["failing-count"]).toBe("2");
    expect(run.code).toBe(1);
    expect(world.gh.requests).toEqual([]);
  });

  it("an input error names the input and fails the step before any request", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "base");
    const run = await step("push", {}, { "fail-on": "hgih" });
    expect(run.stdout).toContain(
      `::error title=maintainer-domain-guard%3A configuration::fail-on: "hgih" is not one of critical, high, medium, low, info, never (from action input 'fail-on')\n` +
        "::error::1 problem with the options; nothing was scanned: fix it and run again\n",
    );
    expect(run.code).toBe(1);
    expect(world.pypi.requests).toEqual([]);
  });

  it("text from a lockfile cannot issue workflow commands", async () => {
    // A TOML string may hold a newline: the version reaches annotation titles and messages.
    const lock = [
      "[[package]]",
      'name = "new-lapsed"',
      'version = "2.0\\n::add-mask::injected"',
      "",
      "[[package]]",
      'name = "x\\n::set-output name=pwned::1"',
      'version = "1.0"',
      "",
      "[metadata]",
      'lock-version = "2.0"',
      'python-versions = "^3.9"',
      'content-hash = "0"',
      "",
    ].join("\n");
    world.commit({ "poetry.lock": lock }, "hostile lockfile");
    const run = await step("push", {}, { "fail-on": "never" });
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => !OUR_COMMANDS.test(l))).toEqual([]);
    expect(run.stdout).not.toMatch(/^::add-mask::injected/m);
    expect(run.stdout).not.toMatch(/^::set-output/m);
    // The finding is still reported, the hostile text flattened inside one annotation.
    expect(
      lines.some((l) => /^::(warning|notice|error) .*new-lapsed.*add-mask.*injected/.test(l)),
    ).toBe(true);
    expect(
      lines.some((l) => /^::warning .*file=poetry\.lock,line=6::.*set-output name=pwned/.test(l)),
    ).toBe(true);
    expect(run.outputs["findings-count"]).toBe("1");
    expect(run.outputs).not.toHaveProperty("pwned");
    expect(run.summary.split("\n").filter((l) => l.startsWith("::"))).toEqual([]);
    expect(run.code).toBe(0);
  });
});
