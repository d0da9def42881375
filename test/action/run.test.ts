import { EventEmitter } from "node:events";
// run() from src/action.ts end to end: a real git repository, loopback PyPI/RDAP/DNS/GitHub, the
// real scan. The toolkit object is a recorder with the same calls as @actions/core, so each test
// sees exactly what the step would print, output and fail with.
import { directTransport, type Transport } from "../../src/net/transport.js";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run, type ActionCore, type ActionDeps } from "../../src/action/run.js";
import type { GitExec } from "../../src/action/pr-diff.js";
import { getOctokit } from "@actions/github";
import { MARKER } from "../../src/action/github.js";
import { NOW, baseInputs, pullRequestPayload, startWorld, type World } from "./scenario.js";
import { startDnsServer } from "../servers/dns.js";
import { registryAnswer } from "../servers/scan-world.js";
import { bootstrapFor, fixtureJson, startRdapServer, type RdapRoute } from "../servers/rdap.js";

interface Recorded {
  annotations: {
    level: string;
    message: string;
    title?: string;
    file?: string;
    startLine?: number;
  }[];
  outputs: Record<string, string>;
  secrets: string[];
  failed: string[];
  info: string[];
}

function recordingCore(inputs: Record<string, string>): { core: ActionCore; seen: Recorded } {
  const seen: Recorded = { annotations: [], outputs: {}, secrets: [], failed: [], info: [] };
  const note =
    (level: string) =>
    (message: string | Error, props: { title?: string; file?: string; startLine?: number } = {}) =>
      seen.annotations.push({ level, message: String(message), ...props });
  const core: ActionCore = {
    getInput: (name: string) => (inputs[name] ?? "").trim(),
    setOutput: (name: string, value: unknown) => void (seen.outputs[name] = String(value)),
    setSecret: (secret: string) => void seen.secrets.push(secret),
    setFailed: (message: string | Error) => void seen.failed.push(String(message)),
    error: note("error"),
    warning: note("warning"),
    notice: note("notice"),
    info: (message: string) => void seen.info.push(message),
    debug: () => undefined,
  };
  return { core, seen };
}

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

const BASE_LOCK = "steady==0.40.0\nold-lapsed==1.0\n";
const HEAD_LOCK = "steady==0.40.0\nold-lapsed==1.0\nnew-lapsed==2.0\n";

async function runAction(opts: {
  event: string;
  payload?: unknown;
  inputs?: Record<string, string>;
  exec?: GitExec;
  env?: Record<string, string>;
  actionsCache?: ActionDeps["actionsCache"];
  transport?: Transport;
  signals?: EventEmitter;
}): Promise<Recorded & { summary: string; gitCalls: string[][] }> {
  const { core, seen } = recordingCore({ ...baseInputs(world), ...opts.inputs });
  const files = world.runFiles(opts.event);
  const gitCalls: string[][] = [];
  const deps: Partial<ActionDeps> = {
    core,
    now: () => NOW,
    octokitFactory: (token, options) => getOctokit(token, options),
    env: {
      GITHUB_WORKSPACE: world.workspace,
      GITHUB_EVENT_NAME: opts.event,
      GITHUB_EVENT_PATH: world.event(opts.event, opts.payload ?? {}),
      GITHUB_REPOSITORY: "octo/lib",
      GITHUB_API_URL: world.gh.url,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: files.temp,
      ...opts.env,
    },
    ...(opts.actionsCache ? { actionsCache: opts.actionsCache } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
    signals: opts.signals ?? new EventEmitter(),
  };
  if (opts.exec) {
    const inner = opts.exec;
    deps.exec = (args, cwd) => {
      gitCalls.push(args);
      return inner(args, cwd);
    };
  }
  await run(deps);
  return { ...seen, summary: readFileSync(files.summary, "utf8"), gitCalls };
}

describe("pull request", () => {
  it("fails only on the package the change adds; the one already present is a notice", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
    });

    const errors = seen.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: "requirements.txt", startLine: 3 });
    // Annotations are plain text: no Markdown code spans.
    expect(seen.annotations.filter((a) => a.message.includes("`"))).toEqual([]);
    expect(errors[0]!.message).toContain("new@lapsed-new.com");
    expect(errors[0]!.title).toContain("new-lapsed");
    const notices = seen.annotations.filter(
      (a) => a.level === "notice" && a.file === "requirements.txt",
    );
    expect(notices.map((n) => n.startLine)).toContain(2);
    expect(seen.outputs).toMatchObject({
      "findings-count": "2",
      "failing-count": "1",
      "highest-severity": "critical",
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(seen.secrets).toEqual(["ghs_loopback_token"]);

    const report = JSON.parse(readFileSync(seen.outputs["report-file"]!, "utf8")) as {
      findings: { package: string; introduced?: boolean; failing: boolean }[];
      diff?: { base: string; head: string; introduced: number; unchanged: number };
    };
    expect(report.diff).toMatchObject({ base, head, introduced: 1, unchanged: 2 });
    expect(report.findings.map((f) => [f.package, f.introduced, f.failing]).sort()).toEqual([
      ["new-lapsed", true, true],
      ["old-lapsed", false, false],
    ]);
    expect(seen.summary).toContain("new-lapsed");
    expect(Buffer.byteLength(seen.summary)).toBeLessThanOrEqual(1024 * 1024);
  });

  it("a re-pinned package counts as introduced", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit(
      { "requirements.txt": "steady==0.40.0\nold-lapsed==1.1\n" },
      "re-pin",
    );
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
    });
    expect(seen.outputs["failing-count"]).toBe("1");
    expect(seen.annotations.find((a) => a.level === "error")).toMatchObject({
      file: "requirements.txt",
      startLine: 2,
    });
  });

  it("only-changed: false makes everything count", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
      inputs: { "only-changed": "false", "comment-on-pr": "never" },
    });
    expect(seen.outputs["failing-count"]).toBe("2");
    expect(seen.failed).toEqual(["2 findings fail this run (fail-on: high)"]);
    expect(world.gh.requests).toEqual([]);
  });

  it("a base commit that cannot be read is a warning, and every dependency counts as introduced", async () => {
    world.commit({ "requirements.txt": HEAD_LOCK }, "head only");
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const head = world.git("rev-parse", "HEAD");
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(missing, head),
      inputs: { "comment-on-pr": "never" },
    });
    const warning = seen.annotations.find(
      (a) => a.level === "warning" && /base commit/.test(a.message),
    );
    expect(warning?.message).toMatch(
      /could not read the base commit 0123456789ab; every dependency is treated as introduced/,
    );
    expect(seen.outputs["failing-count"]).toBe("2");
    expect(seen.failed).toEqual(["2 findings fail this run (fail-on: high)"]);
  });

  it("keeps one sticky comment: created, updated, then resolved when the findings go", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    let head = world.commit({ "requirements.txt": HEAD_LOCK }, "add new-lapsed");
    await runAction({ event: "pull_request", payload: pullRequestPayload(base, head) });
    expect(world.gh.comments).toHaveLength(1);
    const id = world.gh.comments[0]!.id;
    expect(world.gh.comments[0]!.body.startsWith(MARKER)).toBe(true);
    expect(world.gh.comments[0]!.body).toContain("new-lapsed");

    head = world.commit({ "requirements.txt": `${HEAD_LOCK}other-lapsed==1.0\n` }, "add another");
    await runAction({ event: "pull_request", payload: pullRequestPayload(base, head) });
    expect(world.gh.comments.map((c) => c.id)).toEqual([id]);
    expect(world.gh.comments[0]!.body).toContain("other-lapsed");

    head = world.commit({ "requirements.txt": BASE_LOCK }, "drop them");
    const clean = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
    });
    expect(clean.failed).toEqual([]);
    expect(world.gh.comments.map((c) => c.id)).toEqual([id]);
    expect(world.gh.comments[0]!.body).toMatch(
      /Resolved: no maintainer e-mail domain findings remain in this pull request as of [0-9a-f]{7}/,
    );
    expect(world.gh.comments[0]!.body).not.toContain("new-lapsed");
    expect(world.gh.log().filter((l) => !l.startsWith("GET"))).toEqual([
      "POST /repos/octo/lib/issues/7/comments",
      `PATCH /repos/octo/lib/issues/comments/${id}`,
      `PATCH /repos/octo/lib/issues/comments/${id}`,
    ]);
    // One GET /user per run learns whose comments are ours (403: the workflow's GITHUB_TOKEN).
    expect(world.gh.log().filter((l) => l === "GET /user")).toHaveLength(3);
    expect(
      world.gh.requests.every(
        (r) =>
          r.apiVersion === "2022-11-28" && /^maintainer-domain-guard\/\d/.test(r.userAgent ?? ""),
      ),
    ).toBe(true);
  });

  it("a read-only token (403) is a warning; the run still ends by its findings only", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    world.gh.readOnly = true;
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
    });
    expect(
      seen.annotations.filter((a) => a.level === "warning").map((a) => a.message),
    ).toContainEqual(expect.stringMatching(/^Could not write the pull-request comment: HTTP 403/));
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);

    // And a clean pull request with the same refusal does not fail at all.
    const cleanHead = world.commit({ "requirements.txt": BASE_LOCK }, "clean");
    const clean = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, cleanHead),
      inputs: { "comment-on-pr": "always" },
    });
    expect(clean.failed).toEqual([]);
    expect(clean.annotations.some((a) => a.level === "warning" && /HTTP 403/.test(a.message))).toBe(
      true,
    );
  });
});

describe("other events", () => {
  it("a pull request without git, or without its payload, fails the step: it is never judged on a guess", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const unreadable = await runAction({ event: "pull_request", payload: { action: "opened" } });
    expect(unreadable.failed).toEqual([
      expect.stringMatching(
        /^the pull_request event payload does not name a base and a head commit.*, so this pull request cannot be judged/,
      ),
    ]);
    expect(unreadable.outputs).toEqual({});
    // actions/checkout without git in a container downloads the files: no repository.
    rmSync(join(world.workspace, ".git"), { recursive: true, force: true });
    for (const event of ["pull_request", "pull_request_target"]) {
      const seen = await runAction({ event, payload: pullRequestPayload(base, head) });
      expect(seen.failed).toEqual([
        expect.stringMatching(
          /^\. is not in a git repository, so this pull request cannot be judged/,
        ),
      ]);
      expect(seen.outputs).toEqual({});
    }
    expect(world.gh.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("push is a full scan that needs no base: no git command runs", async () => {
    world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const exec: GitExec = async () => ({ code: 128, stdout: "", stderr: "must not be called" });
    const seen = await runAction({ event: "push", exec });
    expect(seen.gitCalls).toEqual([]);
    expect(seen.outputs["failing-count"]).toBe("2");
    expect(
      seen.annotations
        .filter((a) => a.level === "error")
        .map((a) => a.startLine)
        .sort(),
    ).toEqual([2, 3]);
    expect(seen.annotations.some((a) => a.level === "warning")).toBe(false);
    expect(world.gh.requests).toEqual([]);
  });

  it("schedule keeps a tracking issue: created, updated, closed when clean, reopened when findings return", async () => {
    const inputs = { "tracking-issue": "true", "fail-on": "never" };
    world.commit({ "requirements.txt": BASE_LOCK }, "one lapsed");
    const first = await runAction({ event: "schedule", inputs });
    expect(first.failed).toEqual([]);
    expect(world.gh.issues).toHaveLength(1);
    const issue = world.gh.issues[0]!;
    expect(issue.labels).toEqual(["maintainer-domain-guard"]);
    expect(issue.body).toContain("old-lapsed");
    // fail-on: never is reporting, not an all-clear above critical findings.
    expect(issue.body).toContain("Reporting only (fail-on: never)");
    expect(issue.body).not.toContain("Nothing fails");

    world.commit({ "requirements.txt": HEAD_LOCK }, "two lapsed");
    await runAction({ event: "schedule", inputs });
    expect(world.gh.issues).toHaveLength(1);
    expect(issue.body).toContain("new-lapsed");

    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean");
    await runAction({ event: "schedule", inputs });
    expect(issue.state).toBe("closed");
    expect(world.gh.comments.filter((c) => c.issue_number === issue.number)).toHaveLength(1);

    world.commit({ "requirements.txt": BASE_LOCK }, "lapsed again");
    await runAction({ event: "workflow_dispatch", inputs });
    expect(issue.state).toBe("open");
    expect(world.gh.issues).toHaveLength(1);
    expect(world.gh.log().filter((l) => !l.startsWith("GET"))).toEqual([
      "POST /repos/octo/lib/issues",
      `PATCH /repos/octo/lib/issues/${issue.number}`,
      `POST /repos/octo/lib/issues/${issue.number}/comments`,
      `PATCH /repos/octo/lib/issues/${issue.number}`,
      `PATCH /repos/octo/lib/issues/${issue.number}`,
    ]);
  });
});

describe("inputs", () => {
  it("reports every bad input together, each naming the input", async () => {
    world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const seen = await runAction({
      event: "push",
      inputs: { "fail-on": "hgih", "expiry-warning-days": "soon", cache: "maybe" },
    });
    expect(seen.failed).toEqual([
      "3 problems with the options; nothing was scanned: fix them and run again",
    ]);
    const errors = seen.annotations.filter((a) => a.level === "error");
    expect(errors.map((e) => e.message)).toEqual([
      `fail-on: "hgih" is not one of critical, high, medium, low, info, never (from action input 'fail-on')`,
      expect.stringContaining("(from action input 'expiry-warning-days')"),
      `cache: "maybe" is not true or false (from action input 'cache')`,
    ]);
    // An input is not in a file: no annotation points at one.
    expect(errors.filter((e) => e.file !== undefined || e.startLine !== undefined)).toEqual([]);
    expect(world.pypi.requests).toEqual([]);
  });

  const BAD_CONFIG = [
    "# the team's settings", //                          1
    "fail-on: hgih", //                                  2
    "cache: maybe", //                                   3
    "github-token: ghp_inTheFile", //                    4
    "allow:", //                                         5
    "  - package: old-lapsed", //                        6
    "    reason: verified with the maintainer", //       7
    "  - domain: lapsed-new.com", //                     8
    "fail-onn: never", //                                9
    "",
  ].join("\n");

  it("each problem in the config file is an error on its line there, and nothing is scanned", async () => {
    world.commit(
      { "requirements.txt": BASE_LOCK, ".github/maintainer-domain-guard.yml": BAD_CONFIG },
      "config",
    );
    const seen = await runAction({ event: "push" });
    const errors = seen.annotations.filter((a) => a.level === "error");
    const file = ".github/maintainer-domain-guard.yml";
    expect(errors.map((e) => [e.startLine, e.file, e.message.split(":")[0]])).toEqual([
      [2, file, "fail-on"],
      [8, file, "allow[1].reason"],
      [9, file, "fail-onn"],
      [4, file, "github-token"],
      [3, file, "cache"],
    ]);
    expect(errors.every((e) => e.title === "maintainer-domain-guard: configuration")).toBe(true);
    expect(errors.map((e) => e.message).join("\n")).not.toContain("ghp_inTheFile");
    expect(seen.failed).toEqual([
      "5 problems with the options; nothing was scanned: fix them and run again",
    ]);
    expect(world.pypi.requests).toEqual([]);
  });

  it("past nine problems the rest are in the log, keeping a slot for the failure", async () => {
    const keys = Array.from({ length: 11 }, (_, i) => `unknown-${i}: 1`).join("\n");
    world.commit(
      { "requirements.txt": BASE_LOCK, ".github/maintainer-domain-guard.yml": `${keys}\n` },
      "config",
    );
    const seen = await runAction({ event: "push" });
    const errors = seen.annotations.filter((a) => a.level === "error");
    expect(errors.map((e) => e.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.info.filter((l) => /^unknown-(9|10): unknown option at /.test(l))).toHaveLength(2);
    expect(seen.failed).toEqual([
      "11 problems with the options (2 more in the log); nothing was scanned: fix them and run again",
    ]);
  });

  it("a YAML error in the config file is an error at its line and column", async () => {
    world.commit(
      {
        "requirements.txt": BASE_LOCK,
        ".github/maintainer-domain-guard.yml": "fail-on: high\nallow: [\n",
      },
      "config",
    );
    const seen = await runAction({ event: "push" });
    const errors = seen.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: ".github/maintainer-domain-guard.yml", startLine: 3 });
    expect(errors[0]!.message).toMatch(
      /^\.github\/maintainer-domain-guard\.yml:3:1: invalid YAML: /,
    );
    expect(seen.failed).toEqual([
      "1 problem with the options; nothing was scanned: fix it and run again",
    ]);
  });

  it("a pull request's own config problems are warnings on its lines; the base's file applies", async () => {
    const config = ".github/maintainer-domain-guard.yml";
    const base = world.commit(
      { "requirements.txt": BASE_LOCK, [config]: "expiry-warning-days: 30\n" },
      "base",
    );
    const head = world.commit(
      { "requirements.txt": HEAD_LOCK, [config]: "expiry-warning-days: 30\n\nfail-on: hgih\n" },
      "head",
    );
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
    });
    const warnings = seen.annotations.filter((a) => a.level === "warning" && a.file === config);
    expect(warnings).toEqual([
      expect.objectContaining({
        startLine: 3,
        title: "maintainer-domain-guard: configuration",
        message: expect.stringMatching(
          /^once this pull request is merged, the configuration would be refused: fail-on: "hgih" is not one of /,
        ),
      }),
    ]);
    // This run is the base's: it scanned and failed on the package the change adds.
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);

    // A change the action would accept, its own `cache` key included, warns of nothing.
    const fine = world.commit({ [config]: "expiry-warning-days: 14\ncache: false\n" }, "fine");
    const accepted = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, fine),
    });
    expect(accepted.annotations.filter((a) => a.level === "warning")).toEqual([]);
    expect(accepted.annotations).toContainEqual(
      expect.objectContaining({
        level: "notice",
        message: expect.stringContaining("sets cache: false"),
      }),
    );

    const broken = world.commit({ [config]: "expiry-warning-days: 30\nallow: [\n" }, "broken");
    const again = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, broken),
    });
    expect(again.annotations.filter((a) => a.level === "warning" && a.file === config)).toEqual([
      expect.objectContaining({ startLine: 3, message: expect.stringContaining("invalid YAML") }),
    ]);
    expect(again.failed).toEqual(["1 finding fails this run (fail-on: high)"]);

    // The pull request's text is untrusted: a long value is cut, a URL's credentials hidden.
    const long = `https://someone:hunter2@index.example/${"x".repeat(20_000)}`;
    const hostile = world.commit({ [config]: `fail-on: "${long}"\n` }, "hostile");
    const third = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, hostile),
    });
    const [warning] = third.annotations.filter((a) => a.level === "warning" && a.file === config);
    expect(warning!.message).toMatch(
      /^once this pull request is merged, the configuration would be refused: fail-on: "https:\/\/\*\*\*@index\.example\/x+/,
    );
    expect(warning!.message.length).toBeLessThan(700);
    expect(warning!.message).not.toContain("hunter2");
  });

  it("in a pull request, the base's problems are on the checkout's file only when it is the same text", async () => {
    const config = ".github/maintainer-domain-guard.yml";
    const base = world.commit(
      { "requirements.txt": BASE_LOCK, [config]: "fail-on: hgih\n" },
      "base",
    );
    const same = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const unchanged = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, same),
    });
    expect(unchanged.annotations.filter((a) => a.level === "error")).toEqual([
      expect.objectContaining({
        file: config,
        startLine: 1,
        message: expect.stringContaining(`at ${config}:1)`),
      }),
    ]);
    // The change moves the line: the base's line number would point at the wrong place in the head.
    const moved = world.commit({ [config]: "# moved\n\nfail-on: hgih\n" }, "move");
    const changed = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, moved),
    });
    const errors = changed.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(`at ${config} (base):1)`);
    expect(errors[0]!.file).toBeUndefined();
    expect(errors[0]!.startLine).toBeUndefined();
    expect(changed.failed).toEqual([
      "1 problem with the options; nothing was scanned: fix it and run again",
    ]);
  });

  it("the config file sets defaults and the workflow's inputs win", async () => {
    world.commit(
      {
        "requirements.txt": HEAD_LOCK,
        ".github/maintainer-domain-guard.yml":
          "fail-on: never\nallow:\n  - package: old-lapsed\n    reason: verified with the maintainer\n",
      },
      "config",
    );
    const fromFile = await runAction({ event: "push" });
    expect(fromFile.failed).toEqual([]);
    expect(fromFile.outputs["findings-count"]).toBe("1");

    const inputWins = await runAction({ event: "push", inputs: { "fail-on": "critical" } });
    expect(inputWins.failed).toEqual(["1 finding fails this run (fail-on: critical)"]);
  });

  it("writes a SARIF file where sarif-file says and names it in the outputs", async () => {
    world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const seen = await runAction({ event: "push", inputs: { "sarif-file": "out/results.sarif" } });
    expect(seen.outputs["sarif-file"]).toBe(`${world.workspace}/out/results.sarif`);
    const sarif = JSON.parse(readFileSync(seen.outputs["sarif-file"]!, "utf8")) as {
      version: string;
    };
    expect(sarif.version).toBe("2.1.0");
  });
});

describe("partial trouble", () => {
  it("five unreadable lockfiles: three warnings on their files, one for the rest; no token: no comment, said once", async () => {
    const broken: Record<string, string> = { "requirements.txt": BASE_LOCK };
    for (const d of ["a", "b", "c", "d", "e"])
      broken[`${d}/poetry.lock`] = '[[package]]\nname = "x"\nversion = \n';
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit(broken, "head");
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
      inputs: { "github-token": "" },
    });
    const warnings = seen.annotations.filter((a) => a.level === "warning");
    const onFiles = warnings.filter((w) => w.file?.endsWith("poetry.lock"));
    expect(onFiles).toHaveLength(3);
    expect(onFiles.every((w) => w.startLine === 3)).toBe(true);
    expect(warnings.map((w) => w.message)).toContainEqual(
      "2 more lockfile problems are listed in the log and the JSON report",
    );
    expect(warnings.map((w) => w.message)).toContainEqual(
      "No github-token: the pull-request comment and the tracking issue were skipped",
    );
    // The readable lockfile was still scanned: its package already on the base is a notice.
    expect(seen.outputs["findings-count"]).toBe("1");
    expect(world.gh.comments).toEqual([]);
    // But five of six lockfiles could not be read: their packages are unknown, never a pass.
    expect(seen.failed).toEqual([
      expect.stringMatching(
        /^could not check enough: only 1 of 6 lockfiles checked, below min-coverage 0\.9: a\/poetry\.lock could not be read/,
      ),
    ]);
    expect(seen.outputs["coverage"]).toContain("1 of 6 lockfiles read");
  });
});

describe("verdict cache through the Actions cache", () => {
  it("restores before the scan and saves the verdicts after it, keyed by run id", async () => {
    world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const calls: { op: string; paths: string[]; key: string; restoreKeys?: string[] }[] = [];
    const saved: string[] = [];
    const actionsCache = async () => ({
      restoreCache: async (paths: string[], key: string, restoreKeys?: string[]) => {
        calls.push({ op: "restore", paths, key, ...(restoreKeys ? { restoreKeys } : {}) });
        return undefined;
      },
      saveCache: async (paths: string[], key: string) => {
        calls.push({ op: "save", paths, key });
        saved.push(readFileSync(paths[0]!, "utf8"));
        return 1;
      },
    });
    const env = {
      ACTIONS_RESULTS_URL: "http://127.0.0.1:9/",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_JOB: "guard",
    };
    const seen = await runAction({ event: "push", env, actionsCache });
    const prefix = calls[0]!.restoreKeys![0]!;
    // The job and a hash of the endpoints: matrix jobs and other indexes never share verdicts.
    expect(prefix).toMatch(/^maintainer-domain-guard-verdicts-v3-guard-[0-9a-f]{12}-$/);
    expect(calls.map((c) => [c.op, c.key])).toEqual([
      ["restore", `${prefix}42`],
      ["save", `${prefix}42-2`],
    ]);
    expect(calls[0]!.paths).toEqual(calls[1]!.paths);
    // The saved file holds the verdict for the registered domain (unknown verdicts are never kept).
    expect(saved[0]).toContain("google.com");
    expect(seen.annotations.some((a) => a.level === "warning")).toBe(false);
  });

  it("a later step of the job against another registry never reads the first step's file on a miss", async () => {
    world.commit({ "requirements.txt": "new-lapsed==2.0\n" }, "one lapsed");
    // Registry B (a bootstrap of its own) says lapsed-new.com is registered; the world's says 404.
    const other = await startRdapServer({
      "lapsed-new.com": {
        status: 200,
        body: registryAnswer("verisign-com-google.com-related-registrar.json", "lapsed-new.com", {
          events: { expiration: "2099-09-14T04:00:00Z" },
        }),
      },
    });
    const otherBootstrap = join(world.root, "other-bootstrap.json");
    writeFileSync(otherBootstrap, JSON.stringify(bootstrapFor({ com: `${other.url}/` })));
    try {
      const saves: string[] = [];
      const actionsCache = async () => ({
        restoreCache: async () => undefined,
        saveCache: async (paths: string[], key: string) => (saves.push(key), 1),
      });
      const env = {
        ACTIONS_RESULTS_URL: "http://127.0.0.1:9/",
        GITHUB_RUN_ID: "42",
        GITHUB_JOB: "guard",
        RUNNER_TEMP: join(world.root, "job-temp"),
      };
      const first = await runAction({
        event: "push",
        env,
        actionsCache,
        inputs: { "rdap-bootstrap": otherBootstrap },
      });
      expect(first.failed).toEqual([]);
      world.rdap.requests.length = 0;
      const second = await runAction({ event: "push", env, actionsCache });
      expect(world.rdap.requests.map((r) => r.path)).toContainEqual(
        expect.stringMatching(/\/domain\/lapsed-new\.com$/i),
      );
      expect(second.failed).toEqual([expect.stringMatching(/1 finding fails this run/)]);
      expect(saves[0]).not.toBe(saves[1]);
    } finally {
      await other.close();
    }
  });

  it("a cache service error is a warning, never a failure", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean");
    const actionsCache = async () => ({
      restoreCache: async () => {
        throw new Error("Cache service responded with 503");
      },
      saveCache: async () => {
        throw new Error("Cache service responded with 503");
      },
    });
    const seen = await runAction({
      event: "push",
      env: { ACTIONS_CACHE_URL: "http://127.0.0.1:9/" },
      actionsCache,
    });
    expect(seen.annotations.filter((a) => a.level === "warning").map((a) => a.message)).toEqual([
      "Could not restore the verdict cache: Cache service responded with 503",
      "Could not save the verdict cache: Cache service responded with 503",
    ]);
    expect(seen.failed).toEqual([]);
  });

  it("is not used when the cache service says it is not available", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean");
    const ops: string[] = [];
    const actionsCache = async () => ({
      isFeatureAvailable: () => false,
      restoreCache: async () => void ops.push("restore"),
      saveCache: async () => (ops.push("save"), 1),
    });
    const seen = await runAction({
      event: "push",
      env: { ACTIONS_RESULTS_URL: "http://127.0.0.1:9/" },
      actionsCache,
    });
    expect(ops).toEqual([]);
    expect(seen.info).toContain(
      "the Actions cache is not available on this runner; verdicts are not kept",
    );
    expect(seen.annotations.some((a) => a.level === "warning")).toBe(false);
  });

  it("is not used when the cache service is not configured, or with cache: false", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean");
    let loaded = 0;
    const actionsCache = async () => {
      loaded++;
      return { restoreCache: async () => undefined, saveCache: async () => 0 };
    };
    await runAction({ event: "push", actionsCache });
    await runAction({
      event: "push",
      env: { ACTIONS_RESULTS_URL: "http://127.0.0.1:9/" },
      inputs: { cache: "false" },
      actionsCache,
    });
    expect(loaded).toBe(0);
  });
});

describe("pull requests that move, add and delete lockfiles", () => {
  it("a renamed lockfile re-pins nothing, a deleted one is gone, a new one is all introduced", async () => {
    const base = world.commit(
      { "requirements.txt": BASE_LOCK, "dev-requirements.txt": "other-lapsed==1.0\n" },
      "base",
    );
    world.git("mv", "requirements.txt", "requirements-main.txt");
    const head = world.commit(
      {
        "dev-requirements.txt": undefined,
        "tools/requirements.txt": "new-lapsed==2.0\n",
      },
      "rename, delete, add",
    );
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
      inputs: { "comment-on-pr": "never" },
    });
    expect(seen.outputs).toMatchObject({ "findings-count": "2", "failing-count": "1" });
    expect(seen.annotations.filter((a) => a.level === "error")).toEqual([
      expect.objectContaining({ file: "tools/requirements.txt", startLine: 1 }),
    ]);
    expect(seen.annotations).toContainEqual(
      expect.objectContaining({
        level: "notice",
        file: "requirements-main.txt",
        startLine: 2,
        message: expect.stringMatching(/^Already present before this change\./),
      }),
    );
    expect(seen.annotations.some((a) => /other-lapsed/.test(a.title ?? ""))).toBe(false);
    expect(seen.info).toContain(
      "requirements-main.txt was renamed from requirements.txt; compared with requirements.txt at the base commit",
    );
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
  });
});

describe("a test merge checkout (pull_request's default)", () => {
  it("compares with the merge's first parent and maps annotation lines and links to the head", async () => {
    const pad = "# a\n# b\n# c\n# d\n# e\n# f\n";
    const oldBase = world.commit({ "requirements.txt": `steady==0.40.0\n${pad}` }, "base at open");
    world.git("checkout", "-q", "-b", "feature");
    const head = world.commit(
      { "requirements.txt": `steady==0.40.0\n${pad}new-lapsed==2.0\n` },
      "add new-lapsed at line 8",
    );
    world.git("checkout", "-q", "main");
    // main moves on after the pull request was opened: a new lockfile and two header lines.
    const tip = world.commit(
      {
        "requirements.txt": `# header 1\n# header 2\nsteady==0.40.0\n${pad}`,
        "tools/requirements.txt": "other-lapsed==1.0\n",
      },
      "main moves on",
    );
    world.git("-c", "core.editor=true", "merge", "-q", "--no-ff", "-m", "merge", "feature");
    const merge = world.git("rev-parse", "HEAD");
    expect(world.git("show", "HEAD:requirements.txt").split("\n")[9]).toBe("new-lapsed==2.0");

    // The payload still names the base the pull request was opened against.
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(oldBase, head),
      env: { GITHUB_SHA: merge },
    });
    // other-lapsed landed on main, not in this pull request: it does not fail it.
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    const report = JSON.parse(readFileSync(seen.outputs["report-file"]!, "utf8")) as {
      diff: { base: string };
    };
    expect(report.diff.base).toBe(tip);
    expect(seen.annotations.find((a) => a.level === "error")).toMatchObject({
      file: "requirements.txt",
      startLine: 8,
    });
    const link = `(https://github.com/octo/lib/blob/${head}/requirements.txt#L8)`;
    expect(seen.summary).toContain(link);
    expect(world.gh.comments[0]!.body).toContain(link);
    expect(seen.summary).not.toContain(`/blob/${merge}/`);
  });
});

describe("warnings from the scan and the cache", () => {
  it("are shown once as warnings, without a second 'warning:' in the text", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean");
    const badBootstrap = `${world.root}/bad-bootstrap.json`;
    writeFileSync(badBootstrap, "{ this is not json");
    const actionsCache = async () => ({
      restoreCache: async (paths: string[]) => {
        writeFileSync(paths[0]!, "{ not a cache");
        return "restored-key";
      },
      saveCache: async () => 1,
    });
    const seen = await runAction({
      event: "push",
      // This test is about how warnings read; the coverage it loses is the next test's subject.
      inputs: { "rdap-bootstrap": badBootstrap, "min-coverage": "0" },
      env: { ACTIONS_CACHE_URL: "http://127.0.0.1:9/" },
      actionsCache,
    });
    const warnings = seen.annotations.filter((a) => a.level === "warning").map((a) => a.message);
    expect(warnings).toContainEqual(expect.stringMatching(/the cache is ignored/));
    expect(warnings).toContainEqual(
      expect.stringMatching(/^the RDAP bootstrap could not be loaded: /),
    );
    expect(warnings.filter((w) => /^\s*warning:/i.test(w))).toEqual([]);
    expect(seen.failed).toEqual([]);
  });
});

describe("never green without having looked", () => {
  it("a run that could not check its domains fails the step with the reason and says the coverage", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\nnew-lapsed==2.0\n" }, "two packages");
    const badBootstrap = `${world.root}/bad-bootstrap.json`;
    writeFileSync(badBootstrap, "{ this is not json");
    const seen = await runAction({ event: "push", inputs: { "rdap-bootstrap": badBootstrap } });
    expect(seen.failed).toEqual([
      expect.stringMatching(
        /^could not check enough: only 0 of 2 domains checked, below min-coverage 0\.9/,
      ),
    ]);
    expect(seen.outputs.coverage).toBe("2 of 2 packages and 0 of 2 domains checked");
    expect(seen.summary).toContain("0 of 2 domains checked");
    expect(seen.summary).not.toMatch(/No findings in 2 packages|Nothing fails|white_check_mark/);
    expect(seen.summary).toContain("No findings in what could be checked of 2 packages");
    expect(seen.summary).toMatch(/:x: This run fails: could not check enough/);
  });

  it("the same run with every domain answered passes", async () => {
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "one package");
    const seen = await runAction({ event: "push" });
    expect(seen.failed).toEqual([]);
    expect(seen.outputs.coverage).toBe(
      "1 of 1 package and 1 of 1 domain checked; mail servers of 1 of 1 domain looked up",
    );
  });

  it("a cancel (SIGINT) stops the scan, saves the verdicts it has, posts nothing and fails the step", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "head");
    const signals = new EventEmitter();
    const saved: string[] = [];
    const actionsCache = async () => ({
      restoreCache: async () => undefined,
      saveCache: async (paths: string[]) => {
        saved.push(readFileSync(paths[0]!, "utf8"));
        return 1;
      },
    });
    // The runner's cancel arrives while the first RDAP answer is on its way.
    let sent = false;
    const direct = directTransport();
    const sendAndCancel: Transport = async (request) => {
      const answer = await direct(request);
      if (!sent && request.url.href.startsWith(world.rdap.url)) {
        sent = true;
        signals.emit("SIGINT");
      }
      return answer;
    };
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, head),
      env: { ACTIONS_CACHE_URL: "http://127.0.0.1:9/" },
      actionsCache,
      transport: sendAndCancel,
      signals,
    });
    expect(sent).toBe(true);
    expect(seen.failed).toEqual([
      expect.stringMatching(/^interrupted: \d+ of \d+ domains checked; cache saved$/),
    ]);
    expect(saved).toHaveLength(1);
    expect(JSON.parse(saved[0]!)).toHaveProperty("verdicts");
    // No comment, no annotation of findings: a partial scan is not a verdict.
    expect(world.gh.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(seen.annotations.filter((a) => a.level === "error")).toEqual([]);
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });

  it("a pull request whose domains could not be checked is never 'Resolved'", async () => {
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "add new-lapsed");
    await runAction({ event: "pull_request", payload: pullRequestPayload(base, head) });
    const id = world.gh.comments[0]!.id;
    // The next push drops the lapsed package, but RDAP cannot be asked this time.
    const next = world.commit({ "requirements.txt": BASE_LOCK }, "drop it");
    const badBootstrap = `${world.root}/bad-bootstrap.json`;
    writeFileSync(badBootstrap, "{ this is not json");
    const seen = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, next),
      inputs: { "rdap-bootstrap": badBootstrap },
    });
    expect(seen.failed).toEqual([expect.stringMatching(/^could not check enough/)]);
    expect(world.gh.comments.map((c) => c.id)).toEqual([id]);
    const body = world.gh.comments[0]!.body;
    expect(body).not.toMatch(/Resolved|Nothing fails/);
    expect(body).toMatch(/This run fails: could not check enough: only 0 of 2 domains checked/);
  });

  it("a run that fails on a lookup error (on-lookup-error: fail) is never 'Resolved', and keeps the tracking issue open", async () => {
    // orgpkg's domain is under a TLD the bootstrap has no server for: an info lookup-failed,
    // which fails the run with on-lookup-error: fail though it is not among the counted findings.
    await world.close();
    world = await startWorld({ orgpkg: "x@someorg.org" });
    const base = world.commit({ "requirements.txt": BASE_LOCK }, "base");
    const head = world.commit({ "requirements.txt": HEAD_LOCK }, "add new-lapsed");
    await runAction({ event: "pull_request", payload: pullRequestPayload(base, head) });
    expect(world.gh.comments).toHaveLength(1);
    const swap = world.commit({ "requirements.txt": `${BASE_LOCK}orgpkg==1.0\n` }, "swap");
    const pr = await runAction({
      event: "pull_request",
      payload: pullRequestPayload(base, swap),
      inputs: { "on-lookup-error": "fail" },
    });
    expect(pr.failed).toEqual([expect.stringMatching(/1 finding fails this run/)]);
    expect(world.gh.comments).toHaveLength(1);
    expect(world.gh.comments[0]!.body).not.toMatch(/Resolved|Nothing fails/);
    expect(world.gh.comments[0]!.body).toContain("someorg.org");

    const inputs = { "tracking-issue": "true" };
    await runAction({ event: "schedule", inputs });
    const issue = world.gh.issues[0]!;
    world.commit({ "requirements.txt": "steady==0.40.0\norgpkg==1.0\n" }, "only the unchecked one");
    const scheduled = await runAction({
      event: "schedule",
      inputs: { ...inputs, "on-lookup-error": "fail" },
    });
    expect(scheduled.failed).toEqual([expect.stringMatching(/1 finding fails this run/)]);
    expect(issue.state).toBe("open");
    expect(issue.body).toContain("someorg.org");
    expect(world.gh.comments.filter((c) => c.issue_number === issue.number)).toEqual([]);
  });

  it("a lapse found before and now not checked (its registry failed) is never 'Resolved' nor closed, though coverage is enough", async () => {
    // Ten healthy .com domains beside the lapsed one: 10 of 11 checked is above min-coverage.
    const extra: Record<string, string> = {};
    const healthy = ["google.com"];
    for (let i = 1; i <= 9; i++) {
      extra[`ok${i}`] = `m@ok${i}.com`;
      healthy.push(`ok${i}.com`);
    }
    await world.close();
    world = await startWorld(extra);
    const google = fixtureJson("verisign-com-google.com-related-registrar.json");
    google.events = (google.events as { eventAction: string; eventDate: string }[]).map((e) =>
      e.eventAction === "expiration" ? { ...e, eventDate: "2099-09-14T04:00:00Z" } : e,
    );
    let down = false;
    const routes: Record<string, RdapRoute> = {};
    for (const d of healthy)
      routes[d] = { status: 200, body: { ...google, ldhName: d.toUpperCase() } };
    for (const d of ["lapsed-old.com", "lapsed-new.com"])
      routes[d] = () => (down ? { status: 503, body: "" } : { status: 404, body: "" });
    const rdap = await startRdapServer(routes);
    const dns = await startDnsServer({ delegated: healthy });
    try {
      const bootstrap = join(world.root, "flaky-bootstrap.json");
      writeFileSync(bootstrap, JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })));
      const inputs = {
        "rdap-bootstrap": bootstrap,
        "dns-server": dns.address,
        "check-mx": "false",
      };
      const okLock = Object.keys(extra)
        .map((n) => `${n}==1.0\n`)
        .join("");

      // Schedule: found, then its registry answers 503.
      const scheduled = { ...inputs, "tracking-issue": "true", "fail-on": "never" };
      world.commit({ "requirements.txt": `steady==0.40.0\nold-lapsed==1.0\n${okLock}` }, "c");
      await runAction({ event: "schedule", inputs: scheduled });
      const issue = world.gh.issues[0]!;
      expect(issue.state).toBe("open");
      down = true;
      const again = await runAction({ event: "schedule", inputs: scheduled });
      expect(again.failed).toEqual([]);
      expect(issue.state).toBe("open");
      expect(issue.body).toContain("lapsed-old.com");
      expect(world.gh.comments.filter((c) => c.issue_number === issue.number)).toEqual([]);

      // Pull request: the same head re-run while the registry fails.
      down = false;
      const base = world.commit({ "requirements.txt": `steady==0.40.0\n${okLock}` }, "base");
      const head = world.commit(
        { "requirements.txt": `steady==0.40.0\n${okLock}new-lapsed==2.0\n` },
        "head",
      );
      await runAction({ event: "pull_request", payload: pullRequestPayload(base, head), inputs });
      const comment = world.gh.comments.find((c) => c.body.includes("new-lapsed"))!;
      down = true;
      await runAction({ event: "pull_request", payload: pullRequestPayload(base, head), inputs });
      expect(comment.body).not.toMatch(/Resolved/);
      expect(comment.body).toContain("lapsed-new.com");
    } finally {
      await rdap.close();
      await dns.close();
    }
  });

  it("a scheduled run that could not check keeps the tracking issue open", async () => {
    const inputs = { "tracking-issue": "true", "fail-on": "never" };
    world.commit({ "requirements.txt": BASE_LOCK }, "one lapsed");
    await runAction({ event: "schedule", inputs });
    const issue = world.gh.issues[0]!;
    world.commit({ "requirements.txt": "steady==0.40.0\n" }, "clean, but unchecked");
    const badBootstrap = `${world.root}/bad-bootstrap.json`;
    writeFileSync(badBootstrap, "{ this is not json");
    const seen = await runAction({
      event: "schedule",
      inputs: { ...inputs, "rdap-bootstrap": badBootstrap },
    });
    // fail-on: never reports findings only; it never passes a run that could not look.
    expect(seen.failed).toEqual([expect.stringMatching(/^could not check enough/)]);
    expect(issue.state).toBe("open");
    expect(issue.body).toMatch(/This run fails: could not check enough/);
    expect(world.gh.comments.filter((c) => c.issue_number === issue.number)).toEqual([]);
  });
});
