// The action against repositories laid out the way actions/checkout leaves them (a bare origin,
// a depth-1 fetch of the checked-out SHA, a real two-parent test merge for pull_request), with
// the real octokit webhook payloads as events. Only the SHAs, numbers and repository names of
// the payloads are changed, to those of the repositories built here; everything else is as
// GitHub sends it.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run, type ActionCore, type ActionDeps } from "../../src/action/run.js";
import { materializeHead } from "../../src/action/checkout.js";
import { createGit } from "../../src/action/git.js";
import { MARKER } from "../../src/action/github.js";
import {
  checkout,
  createOrigin,
  git,
  type CheckoutOptions,
  type Origin,
  type TreeFile,
} from "../servers/checkout.js";
import { QUIET_GIT_ENV, startGitHttpServer, type GitHttpServer } from "../servers/git-http.js";
import { NOW, baseInputs, startWorld, type World } from "./scenario.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "github");
const webhook = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, `webhook-${name}.payload.json`), "utf8")) as Record<
    string,
    unknown
  >;
const opened = webhook("pull_request-opened");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A real webhook payload (`pull_request` `opened` unless named), pointed at the repositories built here. */
function payloadFor(
  origin: Origin,
  edit: (p: Json) => void = () => undefined,
  real: Record<string, unknown> = opened,
): Json {
  const p = structuredClone(real) as Json;
  const [owner, name] = origin.fullName.split("/") as [string, string];
  p.number = origin.number;
  p.pull_request.number = origin.number;
  p.pull_request.base.sha = origin.baseShaAtOpen;
  p.pull_request.head.sha = origin.headSha;
  for (const repo of [p.repository, p.pull_request.base.repo, p.pull_request.head.repo]) {
    repo.full_name = origin.fullName;
    repo.name = name;
    repo.owner.login = owner;
  }
  if (origin.forkFullName) {
    p.pull_request.head.repo.full_name = origin.forkFullName;
    p.pull_request.head.repo.owner.login = origin.forkFullName.split("/")[0];
  }
  edit(p);
  return p;
}

interface Seen {
  annotations: {
    level: string;
    message: string;
    title?: string;
    file?: string;
    startLine?: number;
  }[];
  outputs: Record<string, string>;
  failed: string[];
  info: string[];
  summary: string;
}

let world: World;
let server: GitHttpServer | undefined;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await world.close();
});

const BASE_LOCK = "steady==0.40.0\nold-lapsed==1.0\n";
const HEAD_LOCK = "steady==0.40.0\nold-lapsed==1.0\nnew-lapsed==2.0\n";

async function build(
  opts: {
    fork?: boolean;
    baseFiles?: Record<string, TreeFile>;
    headFiles?: Record<string, TreeFile>;
    laterBaseFiles?: Record<string, string>;
  } = {},
): Promise<Origin> {
  return createOrigin({
    root: join(world.root, "git"),
    baseFiles: opts.baseFiles ?? { "requirements.txt": BASE_LOCK },
    headFiles: opts.headFiles ?? { "requirements.txt": HEAD_LOCK },
    ...(opts.laterBaseFiles ? { laterBaseFiles: opts.laterBaseFiles } : {}),
    ...(opts.fork ? { fork: true } : {}),
  });
}

async function runOn(opts: {
  event: string;
  payload: unknown;
  workspace: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<Seen> {
  const inputs = { ...baseInputs(world), ...opts.inputs };
  const seen: Seen = { annotations: [], outputs: {}, failed: [], info: [], summary: "" };
  const note =
    (level: string) =>
    (message: string | Error, props: { title?: string; file?: string; startLine?: number } = {}) =>
      seen.annotations.push({ level, message: String(message), ...props });
  const core: ActionCore = {
    getInput: (name: string) => (inputs[name] ?? "").trim(),
    setOutput: (name: string, value: unknown) => void (seen.outputs[name] = String(value)),
    setSecret: () => undefined,
    setFailed: (message: string | Error) => void seen.failed.push(String(message)),
    error: note("error"),
    warning: note("warning"),
    notice: note("notice"),
    info: (message: string) => void seen.info.push(message),
    debug: () => undefined,
  };
  const files = world.runFiles(opts.event);
  const deps: Partial<ActionDeps> = {
    core,
    now: () => NOW,
    octokitFactory: (token, options) => getOctokit(token, options),
    // The real git runner (no exec override): the token reaches git through the environment.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: world.root,
      ...QUIET_GIT_ENV,
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_EVENT_NAME: opts.event,
      GITHUB_EVENT_PATH: world.event(opts.event, opts.payload),
      GITHUB_REPOSITORY: "octo/lib",
      GITHUB_API_URL: world.gh.url,
      GITHUB_STEP_SUMMARY: files.summary,
      RUNNER_TEMP: files.temp,
      ...opts.env,
    },
  };
  await run(deps);
  seen.summary = readFileSync(files.summary, "utf8");
  return seen;
}

/** The action on the pull request, git served by `server`: what it did, and the git requests it made. */
async function runFetching(origin: Origin, workspace: string, inputs?: Record<string, string>) {
  const before = server!.requests.length;
  const seen = await runOn({
    event: "pull_request",
    payload: payloadFor(origin),
    workspace,
    ...(inputs ? { inputs } : {}),
    env: { GITHUB_SERVER_URL: server!.url },
  });
  return { seen, fetches: server!.requests.slice(before) };
}

const workspaceOf = (name: string) => join(world.root, "ws", name);
const errors = (s: Seen) => s.annotations.filter((a) => a.level === "error");

/** A pull request whose head changes `headFiles`, run on pull_request_target (base checked out). */
async function onTarget(label: string, headFiles: Record<string, TreeFile>): Promise<Seen> {
  const origin = await build({ headFiles });
  const workspace = workspaceOf(label);
  await checkout(origin, { workspace, event: "pull_request_target" });
  return runOn({ event: "pull_request_target", payload: payloadFor(origin), workspace });
}

describe("pull_request: the default checkout is the test merge", () => {
  it("a base that moved on: what landed on main since the PR opened is not 'introduced' (its first parent is the base)", async () => {
    const origin = await build({
      laterBaseFiles: { "tools/requirements.txt": "other-lapsed==1.0\n" },
    });
    const workspace = workspaceOf("merge");
    const co = await checkout(origin, { workspace });
    expect(co.head).toBe(origin.mergeSha);
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });

    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)).toEqual([
      expect.objectContaining({ file: "requirements.txt", startLine: 3 }),
    ]);
    expect(
      seen.annotations.some((a) => a.level === "error" && /other-lapsed/.test(a.title ?? "")),
    ).toBe(false);
    const report = JSON.parse(readFileSync(seen.outputs["report-file"]!, "utf8")) as {
      diff: { base: string; head: string };
    };
    expect(report.diff).toMatchObject({ base: origin.baseSha, head: origin.headSha });
    // The base tip came with the depth-1 fetch of the merge? No: it is fetched by SHA, in the log only.
    expect(world.gh.comments[0]!.body).not.toMatch(/fetched/);
    // Links point at the head (GitHub attaches annotations there; merge links die).
    expect(world.gh.comments[0]!.body).toContain(`/blob/${origin.headSha}/requirements.txt#L3`);
    expect(world.gh.comments[0]!.body).not.toContain(origin.mergeSha);
  });

  it.each(["pull_request_review-submitted", "pull_request_review_comment-created"])(
    "a review event (the real %s payload) is judged as the pull request: the base's config, not the head's",
    async (name) => {
      const origin = await build({
        headFiles: {
          "requirements.txt": HEAD_LOCK,
          ".github/maintainer-domain-guard.yml": "fail-on: never\n",
        },
      });
      const workspace = workspaceOf(name);
      await checkout(origin, { workspace });
      const event = name.split("-")[0]!;
      const seen = await runOn({
        event,
        payload: payloadFor(origin, undefined, webhook(name)),
        workspace,
      });
      expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
      expect(seen.outputs["failing-count"]).toBe("1");
      expect(errors(seen)).toEqual([
        expect.objectContaining({ file: "requirements.txt", startLine: 3 }),
      ]);
    },
  );

  it("a fork's pull request: one notice says no comment can be written, no warning, no write attempted", async () => {
    const origin = await build({ fork: true });
    const workspace = workspaceOf("fork");
    await checkout(origin, { workspace });
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    const notices = seen.annotations.filter((a) => /read-only token/.test(a.title ?? ""));
    expect(notices).toEqual([
      expect.objectContaining({
        level: "notice",
        message: expect.stringMatching(
          /^No pull-request comment: this pull request comes from a fork/,
        ),
      }),
    ]);
    expect(seen.annotations.filter((a) => a.level === "warning")).toEqual([]);
    expect(world.gh.requests).toEqual([]);
  });

  it("a fork's pull request with more notices than GitHub shows: the read-only notice keeps its slot", async () => {
    await world.close();
    const many = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`present-${i}`, `p${i}@lapsed-present-${i}.com`]),
    );
    world = await startWorld(many);
    const present = Object.keys(many)
      .map((n) => `${n}==1.0\n`)
      .join("");
    const origin = await build({
      fork: true,
      baseFiles: { "requirements.txt": present },
      headFiles: { "requirements.txt": `${present}new-lapsed==2.0\n` },
    });
    const workspace = workspaceOf("fork-many");
    await checkout(origin, { workspace });
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });
    const notices = seen.annotations.filter((a) => a.level === "notice");
    // GitHub shows 10 notices per step: the 11th would be dropped.
    expect(notices.length).toBeLessThanOrEqual(10);
    expect(notices.map((a) => a.title)).toContain("maintainer-domain-guard: read-only token");
    expect(notices.map((a) => a.title)).toContainEqual(
      expect.stringMatching(/more findings? not annotated$/),
    );
  });

  it("a Dependabot pull request (actor dependabot[bot]): the same single notice", async () => {
    const origin = await build();
    const workspace = workspaceOf("dependabot");
    await checkout(origin, { workspace });
    const payload = payloadFor(origin, (p) => {
      p.pull_request.user.login = "dependabot[bot]";
      p.pull_request.user.type = "Bot";
    });
    const seen = await runOn({
      event: "pull_request",
      payload,
      workspace,
      env: { GITHUB_ACTOR: "dependabot[bot]" },
    });
    expect(
      seen.annotations.filter((a) => a.level === "notice" && /Dependabot/.test(a.message)),
    ).toHaveLength(1);
    expect(world.gh.requests).toEqual([]);
  });
});

describe("a pull request that breaks the lockfile it changes", () => {
  it.each([
    ["a NUL byte in a comment", "steady==0.40.0\nnew-lapsed==2.0\n# \u0000\n"],
    ["nothing but a NUL byte", "\u0000"],
  ])("%s: fails the run whatever share of the other lockfiles was read", async (what, text) => {
    const services = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`services/s${i}/requirements.txt`, "steady==0.40.0\n"]),
    );
    const origin = await build({
      baseFiles: { ...services, "requirements.txt": "steady==0.40.0\n" },
      headFiles: { "requirements.txt": text },
    });
    const workspace = workspaceOf(`broken-${what.replace(/\W+/g, "-")}`);
    await checkout(origin, { workspace });
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });
    // 10 of 11 lockfiles were read, above min-coverage 0.9: the share alone would pass.
    expect(seen.failed).toEqual([
      expect.stringMatching(
        /^could not check enough: this pull request changes requirements\.txt, which could not be read \(.*\), so what it pins is unknown/,
      ),
    ]);
    expect(world.gh.comments[0]?.body ?? "").not.toMatch(/Resolved|Nothing fails/);
  });
});

describe("a lockfile that is a symbolic link on both sides", () => {
  it("is compared through the link: a change that leaves it alone introduces nothing", async () => {
    const origin = await build({
      baseFiles: {
        "deps/pins.lock": "steady==0.40.0\nold-lapsed==1.0\n",
        "requirements.txt": { symlink: "deps/pins.lock" },
      },
      headFiles: { "README.md": "# lib, now with docs\n" },
    });
    const workspace = workspaceOf("link-both");
    await checkout(origin, { workspace });
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });
    expect(seen.failed).toEqual([]);
    expect(seen.annotations).toContainEqual(
      expect.objectContaining({ level: "notice", title: expect.stringContaining("old-lapsed") }),
    );
  });
});

describe("pull_request_target: the default checkout is the base branch", () => {
  it("scans the head's lockfiles as blobs, never the base, and the comment names the head's findings", async () => {
    const origin = await build();
    const workspace = workspaceOf("target");
    const co = await checkout(origin, { workspace, event: "pull_request_target" });
    expect(co.head).toBe(origin.baseSha);
    const seen = await runOn({
      event: "pull_request_target",
      payload: payloadFor(origin),
      workspace,
    });
    // The base has no new-lapsed; only the head does. A scan of the base would pass.
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)[0]).toMatchObject({ file: "requirements.txt", startLine: 3 });
    expect(errors(seen)[0]!.title).toContain("new-lapsed");
    const body = world.gh.comments[0]!.body;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("new-lapsed");
    expect(body).not.toMatch(/Nothing fails|Resolved/);
    expect(body).toContain(`/blob/${origin.headSha}/requirements.txt#L3`);
    // The working tree still holds the base: no PR file was checked out.
    expect(readFileSync(join(workspace, "requirements.txt"), "utf8")).toBe(BASE_LOCK);
    expect(seen.info).toContainEqual(
      expect.stringMatching(/reading the head's lockfiles from git/),
    );
  });

  it("follows the head's -r includes whatever their names, as pip does", async () => {
    const seen = await onTarget("target-includes", {
      "requirements.txt": "steady==0.40.0\n-r deps/extra.pip\n",
      "deps/extra.pip": "-c ../pins\nnew-lapsed==2.0\n",
      pins: "steady==0.40.0\n",
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)[0]).toMatchObject({ file: "deps/extra.pip", startLine: 2 });
    expect(seen.annotations.filter((a) => /cannot read included/.test(a.message))).toEqual([]);
    expect(seen.info).toContainEqual("read 3 files of the head commit as blobs");
  });

  it("a lockfile the head makes a symbolic link is followed inside the tree, as a checkout would show it", async () => {
    const seen = await onTarget("target-link", {
      "deps/pins.lock": "steady==0.40.0\nold-lapsed==1.0\nnew-lapsed==2.0\n",
      "requirements.txt": { symlink: "deps/pins.lock" },
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)[0]!.title).toContain("new-lapsed");
  });

  it("a lockfile the head links outside the tree is an error that fails the run, never a silent drop", async () => {
    const seen = await onTarget("target-link-out", {
      "requirements.txt": { symlink: "/etc/hostname" },
      "tools/requirements.txt": "steady==0.40.0\n",
    });
    expect(seen.failed).toEqual([
      expect.stringMatching(/could not check enough.*requirements\.txt could not be read/),
    ]);
  });

  it("files the base's config names in `paths` are read from the head", async () => {
    const origin = await build({
      baseFiles: {
        ".github/maintainer-domain-guard.yml": "paths:\n  - .\n  - deps/prod.in\n",
        "requirements.txt": BASE_LOCK,
        "deps/prod.in": "steady==0.40.0\n",
      },
      headFiles: { "deps/prod.in": "steady==0.40.0\nnew-lapsed==2.0\n" },
    });
    const workspace = workspaceOf("target-config-paths");
    await checkout(origin, { workspace, event: "pull_request_target" });
    const seen = await runOn({
      event: "pull_request_target",
      payload: payloadFor(origin),
      workspace,
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)[0]).toMatchObject({ file: "deps/prod.in", startLine: 2 });
  });

  it("setup.cfg `file:` lists are read from the head too", async () => {
    const seen = await onTarget("target-setupcfg", {
      "setup.cfg": "[options]\ninstall_requires = file: requirements.in\n",
      "requirements.in": "steady==0.40.0\nnew-lapsed==2.0\n",
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(seen.annotations.filter((a) => /cannot read included/.test(a.message))).toEqual([]);
  });

  it("many other text files do not push a lockfile out", async () => {
    const docs: Record<string, string> = {};
    // Not lockfiles, nor named by one: never written, so never counted against the file limit.
    for (let i = 0; i < 50; i++) docs[`docs/n${String(i).padStart(5, "0")}.txt`] = "x\n";
    const seen = await onTarget("target-docs", { ...docs, "requirements.txt": HEAD_LOCK });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(seen.info).toContainEqual("read 1 file of the head commit as blobs");
  });

  it("more lockfiles than can be read: the tree says so (and run() fails the step on it)", async () => {
    const origin = await build({
      headFiles: {
        "requirements.txt": HEAD_LOCK,
        "a/requirements.txt": "steady==0.40.0\n",
        "b/uv.lock": "version = 1\n",
        // Folders the scan never walks: not written, not counted.
        "node_modules/x/requirements.txt": "x==1\n",
        ".venv/lib/pyproject.toml": "[project]\n",
      },
    });
    const read = (maxFiles: number) =>
      materializeHead({
        exec: createGit({ env: process.env }),
        repoRoot: origin.dir,
        repoInWorkspace: "",
        head: origin.headSha,
        named: [],
        tempDir: world.root,
        maxFiles,
      });
    expect(await read(3)).toMatchObject({ files: 3 });
    expect((await read(3)).problem).toBeUndefined();
    expect(await read(2)).toMatchObject({
      files: 2,
      problem: "the head tree has more lockfiles than the 2 files (200 MiB) read",
    });
  });

  it("a lockfile the head renames re-pins nothing: renames are found between the base and the head, not the base checkout", async () => {
    const seen = await onTarget("target-rename", {
      "requirements.txt": null,
      "requirements-prod.txt": BASE_LOCK,
    });
    expect(seen.failed).toEqual([]);
    expect(errors(seen)).toEqual([]);
    expect(seen.info.filter((l) => /requirements-prod\.txt is new/.test(l))).toEqual([]);
  });

  it("a head that cannot be fetched fails the step and posts nothing", async () => {
    const origin = await build();
    const workspace = workspaceOf("target-missing");
    await checkout(origin, { workspace, event: "pull_request_target" });
    const payload = payloadFor(origin, (p) => {
      p.pull_request.head.sha = "0123456789abcdef0123456789abcdef01234567";
    });
    const seen = await runOn({ event: "pull_request_target", payload, workspace });
    expect(seen.failed).toEqual([
      expect.stringMatching(
        /^could not read the pull request's head commit 0123456789ab .*scanning it would report on code that is not this pull request/,
      ),
    ]);
    expect(world.gh.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(seen.outputs).toEqual({});
  });
});

describe("persisted credentials against a server that requires the token", () => {
  async function setUp(label: string, version: 5 | 7) {
    const origin = await build({
      laterBaseFiles: { "tools/requirements.txt": "other-lapsed==1.0\n" },
    });
    server = await startGitHttpServer({ root: origin.remotes, token: "ghs_loopback_token" });
    const workspace = workspaceOf(label);
    await checkout(origin, {
      workspace,
      url: server.repoUrl(origin.fullName),
      token: "ghs_loopback_token",
      version,
    });
    return { origin, workspace };
  }

  it.each([7, 5] as const)(
    "checkout v%i: with github-token, each fetch carries one Authorization header, not two",
    async (version) => {
      const { origin, workspace } = await setUp(`persisted-v${version}`, version);
      const { seen, fetches } = await runFetching(origin, workspace);
      expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
      expect(fetches.length).toBeGreaterThan(0);
      expect(fetches.map((r) => [r.authorized, r.authorizationHeaders])).toEqual(
        fetches.map(() => [true, 1]),
      );
      expect(seen.info).toContainEqual(expect.stringMatching(/fetched it from origin/));
    },
  );

  it("checkout v7: without github-token, the fetch uses the credentials checkout persisted", async () => {
    const { origin, workspace } = await setUp("persisted-only", 7);
    const { seen, fetches } = await runFetching(origin, workspace, {
      "github-token": "",
      "comment-on-pr": "never",
    });
    expect(seen.annotations.filter((a) => /base commit/.test(a.message))).toEqual([]);
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((r) => r.authorized)).toBe(true);
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
  });
});

describe("persist-credentials: false against a server that requires the token", () => {
  async function setUp(label: string) {
    const origin = await build({
      laterBaseFiles: { "tools/requirements.txt": "other-lapsed==1.0\n" },
    });
    server = await startGitHttpServer({ root: origin.remotes, token: "ghs_loopback_token" });
    const workspace = workspaceOf(label);
    const opts: CheckoutOptions = {
      workspace,
      url: server.repoUrl(origin.fullName),
      token: "ghs_loopback_token",
      persistCredentials: false,
    };
    await checkout(origin, opts);
    // checkout removed its credentials: nothing git would read (includes followed) authenticates it.
    expect(await git(workspace, "config", "--list", "--includes")).not.toMatch(
      /extraheader|includeif/i,
    );
    return { origin, workspace };
  }

  it("fetches the base with github-token through GIT_CONFIG_* (never in argv)", async () => {
    const { origin, workspace } = await setUp("no-persist");
    const { seen, fetches } = await runFetching(origin, workspace);
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(seen.annotations.filter((a) => /base commit/.test(a.message))).toEqual([]);
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((r) => r.authorized)).toBe(true);
    expect(seen.info).toContainEqual(expect.stringMatching(/fetched it from origin/));
    expect(JSON.stringify(seen)).not.toContain("ghs_loopback_token");
  });

  it("without a token the fetch is refused and the warning says what to do", async () => {
    const { origin, workspace } = await setUp("no-token");
    const seen = await runOn({
      event: "pull_request",
      payload: payloadFor(origin),
      workspace,
      inputs: { "github-token": "", "comment-on-pr": "never" },
      env: { GITHUB_SERVER_URL: server!.url },
    });
    expect(seen.annotations.map((a) => a.message)).toContainEqual(
      expect.stringMatching(
        /could not read the base commit .*github-token that can read the repository/,
      ),
    );
    expect(server!.requests.some((r) => !r.authorized)).toBe(true);
  });
});

describe("the config file comes from the base", () => {
  it("a pull request that adds fail-on: never and an allow entry does not pass itself, and says what it changed", async () => {
    const origin = await build({
      baseFiles: {
        "requirements.txt": BASE_LOCK,
        ".github/maintainer-domain-guard.yml": "expiry-warning-days: 30\n",
      },
      headFiles: {
        "requirements.txt": HEAD_LOCK,
        ".github/maintainer-domain-guard.yml":
          "expiry-warning-days: 30\nfail-on: never\nallow:\n  - package: new-lapsed\n    reason: trust me\n",
      },
    });
    const workspace = workspaceOf("config");
    await checkout(origin, { workspace });
    const seen = await runOn({ event: "pull_request", payload: payloadFor(origin), workspace });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    const change =
      "this pull request changes .github/maintainer-domain-guard.yml: adds 1 allow entry, sets fail-on: never; the base's configuration applies to this run";
    expect(seen.annotations).toContainEqual(
      expect.objectContaining({ level: "notice", message: change }),
    );
    expect(world.gh.comments[0]!.body).toContain(change);
    expect(seen.summary).toContain(change);
  });

  it("endpoint keys from a changed config are never used", async () => {
    // The base points the index at the loopback PyPI; the pull request points it elsewhere.
    const evil = "http://127.0.0.1:9/evil";
    const origin = await build({
      baseFiles: {
        "requirements.txt": BASE_LOCK,
        ".github/maintainer-domain-guard.yml": `pypi-url: ${world.pypi.url}\n`,
      },
      headFiles: {
        "requirements.txt": HEAD_LOCK,
        ".github/maintainer-domain-guard.yml": `pypi-url: ${evil}\n`,
      },
    });
    const workspace = workspaceOf("config-endpoint");
    await checkout(origin, { workspace });
    const seen = await runOn({
      event: "pull_request",
      payload: payloadFor(origin),
      workspace,
      inputs: { "pypi-url": "", "comment-on-pr": "never" },
    });
    expect(seen.annotations).toContainEqual(
      expect.objectContaining({
        level: "notice",
        message: `this pull request changes .github/maintainer-domain-guard.yml: sets pypi-url: ${evil}; the base's configuration applies to this run`,
      }),
    );
    // The scan asked the base's index: it found the package the pull request adds.
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(world.pypi.requests.length).toBeGreaterThan(0);
  });
});

describe("actions/checkout path: app", () => {
  it("finds the repository below the workspace; annotations, links and SARIF are relative to its root", async () => {
    const origin = await build();
    const workspace = workspaceOf("path");
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, "unrelated.txt"), "not a lockfile\n");
    await checkout(origin, { workspace, path: "app" });
    const seen = await runOn({
      event: "pull_request",
      payload: payloadFor(origin),
      workspace,
      inputs: { paths: "app", "sarif-file": "out.sarif" },
    });
    expect(seen.failed).toEqual(["1 finding fails this run (fail-on: high)"]);
    expect(errors(seen)).toEqual([
      expect.objectContaining({ file: "requirements.txt", startLine: 3 }),
    ]);
    expect(world.gh.comments[0]!.body).toContain(`/blob/${origin.headSha}/requirements.txt#L3`);
    expect(world.gh.comments[0]!.body).not.toContain("/app/requirements.txt");
    const sarif = JSON.parse(readFileSync(seen.outputs["sarif-file"]!, "utf8")) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const uris = sarif.runs[0]!.results.map(
      (r) => r.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(new Set(uris)).toEqual(new Set(["requirements.txt"]));
    // The JSON report keeps paths relative to the scanned workspace, as documented.
    const report = JSON.parse(readFileSync(seen.outputs["report-file"]!, "utf8")) as {
      findings: { file: string }[];
    };
    expect(report.findings.every((f) => f.file === "app/requirements.txt")).toBe(true);
  });
});
