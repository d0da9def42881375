// Pull-request mode: reading the event, and comparing each lockfile with the base commit in a
// real temporary git repository.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  compareWithBase,
  isOnlyChanged,
  readEventMode,
  type GitExec,
} from "../../src/action/pr-diff.js";
import { loadDependencies } from "../../src/discover/discover.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("readEventMode", () => {
  it.each([
    [
      "pull_request",
      { pull_request: { number: 4, base: { sha: A }, head: { sha: B } } },
      { mode: "pull-request", base: A, head: B, number: 4 },
    ],
    [
      "pull_request_target",
      { pull_request: { number: 5, base: { sha: A }, head: { sha: B } } },
      { mode: "pull-request", base: A, head: B },
    ],
    [
      "merge_group",
      { merge_group: { base_sha: A, head_sha: B } },
      { mode: "pull-request", base: A, head: B },
    ],
    ["push", { before: A, after: B }, { mode: "full" }],
    ["schedule", {}, { mode: "full" }],
    ["workflow_dispatch", undefined, { mode: "full" }],
  ])("%s", (event, payload, expected) => {
    expect(readEventMode(event, payload)).toMatchObject({ event, ...expected });
  });

  it.each([
    ["no payload", undefined],
    ["no base", { pull_request: { head: { sha: B } } }],
    [
      "a base that is an option, not a sha",
      { pull_request: { base: { sha: "--output=/tmp/x" }, head: { sha: B } } },
    ],
  ])("a pull request with %s is a full scan that says why", (_name, payload) => {
    const mode = readEventMode("pull_request", payload);
    expect(mode.mode).toBe("full");
    expect(mode.mode === "full" && mode.problem).toMatch(/does not name a base and a head commit/);
  });
});

describe("isOnlyChanged", () => {
  it.each([
    ["auto", "pull_request", true],
    ["auto", "pull_request_target", true],
    ["auto", "merge_group", true],
    ["auto", "push", false],
    ["auto", "schedule", false],
    ["true", "push", true],
    ["false", "pull_request", false],
  ] as const)("%s on %s -> %s", (option, event, expected) => {
    expect(isOnlyChanged(option, event)).toBe(expected);
  });
});

describe("compareWithBase", () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@example.invalid", ...args], {
      cwd: dir,
      encoding: "utf8",
    }).trim();
  const commit = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git("add", "-A");
    git("commit", "-q", "-m", "c");
    return git("rev-parse", "HEAD");
  };
  const calls: string[][] = [];
  const exec: GitExec = (args, cwd) =>
    new Promise((done) => {
      calls.push(args);
      execFile("git", args, { cwd, encoding: "utf8" }, (error, stdout, stderr) =>
        done({ code: error ? 1 : 0, stdout, stderr }),
      );
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mdg-diff-"));
    git("init", "-q", "-b", "main");
    calls.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a pin moved from a private index to PyPI (same name and version) is introduced: another project", async () => {
    const lock = (registry: string) =>
      `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "${registry}" }\n\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n`;
    const base = commit({ "uv.lock": lock("https://corp.example/simple") });
    const head = commit({ "uv.lock": lock("https://pypi.org/simple") });
    const set = await loadDependencies(["."], dir);
    const result = await compareWithBase({ set, base, head, exec, cwd: dir });
    const at = (name: string) => set.dependencies.find((d) => d.name === name)!;
    const moved = at("internal-lib");
    expect(moved.index).toBeUndefined();
    expect(
      result.introduced({
        file: "uv.lock",
        package: "internal-lib",
        version: "1.2.0",
        line: moved.line,
      }),
    ).toBe(true);
    expect(
      result.introduced({
        file: "uv.lock",
        package: "six",
        version: "1.16.0",
        line: at("six").line,
      }),
    ).toBe(false);
    expect(result.counts).toEqual({ introduced: 1, unchanged: 1 });
  });

  it("in a one-line Pipfile.lock too, a pin moved to PyPI is introduced; a new spelling of its index is not", async () => {
    const lock = (libIndex: string, corpUrl: string) =>
      JSON.stringify({
        _meta: {
          sources: [
            { name: "pypi", url: "https://pypi.org/simple", verify_ssl: true },
            { name: "corp", url: corpUrl, verify_ssl: true },
          ],
        },
        default: {
          "internal-lib": { version: "==1.2.0", index: libIndex },
          zz: { version: "==1.0", index: "corp" },
        },
        develop: {},
      });
    const base = commit({ "Pipfile.lock": lock("corp", "https://corp.example/simple") });
    const moved = commit({ "Pipfile.lock": lock("pypi", "https://Corp.example/simple/") });
    const set = await loadDependencies(["."], dir);
    const result = await compareWithBase({ set, base, head: moved, exec, cwd: dir });
    expect(
      result.introduced({
        file: "Pipfile.lock",
        package: "internal-lib",
        version: "1.2.0",
        line: 1,
      }),
    ).toBe(true);
    // zz only changed how its index is spelled: the same pin.
    expect(
      result.introduced({ file: "Pipfile.lock", package: "zz", version: "1.0", line: 1 }),
    ).toBe(false);
    expect(result.counts).toEqual({ introduced: 1, unchanged: 1 });
  });

  it("an unchanged pin in a file included by one that names a private index is not introduced", async () => {
    const base = commit({
      "requirements.txt": "-i https://corp.example/simple\n-r common.txt\n",
      "common.txt": "internal==1.0\n",
    });
    const head = commit({
      "requirements.txt": "-i https://corp.example/simple\n-r common.txt\n",
      "common.txt": "internal==1.0\nother==2.0\n",
    });
    const set = await loadDependencies(["."], dir);
    expect(set.dependencies.map((d) => `${d.name} ${d.index ?? "pypi"}`)).toEqual([
      "internal https://corp.example/simple",
      "other https://corp.example/simple",
    ]);
    const result = await compareWithBase({ set, base, head, exec, cwd: dir });
    const line = (name: string) => set.dependencies.find((d) => d.name === name)!.line;
    expect(
      result.introduced({
        file: "common.txt",
        package: "internal",
        version: "1.0",
        line: line("internal"),
      }),
    ).toBe(false);
    expect(
      result.introduced({
        file: "common.txt",
        package: "other",
        version: "2.0",
        line: line("other"),
      }),
    ).toBe(true);
    expect(result.counts).toEqual({ introduced: 1, unchanged: 1 });
  });

  it("added and re-pinned packages are introduced, untouched ones are not, includes are read at the base", async () => {
    const base = commit({
      "requirements.txt": "-r common.txt\nkept==1.0\nrepinned==1.0\n",
      "common.txt": "shared==2.0\n",
    });
    const head = commit({
      "requirements.txt": "-r common.txt\nkept==1.0\nrepinned==1.1\nadded==3.0\n",
      "common.txt": "shared==2.0\nshared-new==1.0\n",
      "sub/poetry.lock":
        '[[package]]\nname = "fresh"\nversion = "1.0"\n\n[metadata]\nlock-version = "2.0"\n',
    });
    const set = await loadDependencies(["."], dir);
    const result = await compareWithBase({ set, base, head, exec, cwd: dir });
    const verdict = (file: string, pkg: string, version: string) =>
      result.introduced({ file, package: pkg, version });

    expect(result.baseAvailable).toBe(true);
    expect(result.note).toBeUndefined();
    expect(verdict("requirements.txt", "kept", "1.0")).toBe(false);
    expect(verdict("requirements.txt", "repinned", "1.1")).toBe(true);
    expect(verdict("requirements.txt", "added", "3.0")).toBe(true);
    expect(verdict("common.txt", "shared", "2.0")).toBe(false);
    expect(verdict("common.txt", "shared-new", "1.0")).toBe(true);
    expect(verdict("sub/poetry.lock", "fresh", "1.0")).toBe(true);
    expect(result.log).toContain("sub/poetry.lock is new in this change (not at the base commit)");
    // No fetch: the base was in the checkout.
    expect(calls.some((c) => c[0] === "fetch")).toBe(false);
    expect(calls).toContainEqual([
      "--literal-pathspecs",
      "ls-tree",
      "-z",
      "--full-tree",
      base,
      "--",
      "common.txt",
    ]);
  });

  it("a base missing from the checkout is fetched once; when that fails every dependency is introduced", async () => {
    const head = commit({ "requirements.txt": "kept==1.0\n" });
    const set = await loadDependencies(["."], dir);
    const missing = "0".repeat(40);
    const result = await compareWithBase({ set, base: missing, head, exec, cwd: dir });
    expect(calls.filter((c) => c[0] === "fetch")).toEqual([
      ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", missing],
    ]);
    expect(result.baseAvailable).toBe(false);
    expect(result.note).toMatch(
      /^could not read the base commit 000000000000; every dependency is treated as introduced/,
    );
    expect(result.introduced({ file: "requirements.txt", package: "kept", version: "1.0" })).toBe(
      true,
    );
    expect(result.counts).toEqual({ introduced: 1, unchanged: 0 });
  });

  it("a base that fetching brings in is used; the fetch goes to the log, not the report", async () => {
    // A bare "origin" holding the base; the checkout is a shallow clone of the head only.
    const origin = dir;
    const base = commit({ "requirements.txt": "kept==1.0\n" });
    const head = commit({ "requirements.txt": "kept==1.0\nadded==1.0\n" });
    const clone = mkdtempSync(join(tmpdir(), "mdg-clone-"));
    try {
      execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin}`, clone]);
      const set = await loadDependencies(["."], clone);
      const result = await compareWithBase({ set, base, head, exec, cwd: clone });
      expect(calls.filter((c) => c[0] === "fetch")).toHaveLength(1);
      expect(result.baseAvailable).toBe(true);
      expect(result.note).toBeUndefined();
      expect(result.log).toContainEqual(
        expect.stringMatching(/was not in the checkout; fetched it from origin/),
      );
      expect(result.introduced({ file: "requirements.txt", package: "kept", version: "1.0" })).toBe(
        false,
      );
      expect(
        result.introduced({ file: "requirements.txt", package: "added", version: "1.0" }),
      ).toBe(true);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it("a renamed lockfile is compared with its old path, so moving it re-pins nothing", async () => {
    const pins = "alpha==1.0\nbeta==2.0\ngamma==3.0\ndelta==4.0\nepsilon==5.0\n";
    writeFileSync(join(dir, "requirements.txt"), pins);
    writeFileSync(join(dir, "dev-requirements.txt"), "pytest==8.0\n");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    const base = git("rev-parse", "HEAD");
    mkdirSync(join(dir, "requirements"));
    git("mv", "requirements.txt", "requirements/main.txt");
    writeFileSync(join(dir, "requirements/main.txt"), `${pins}zeta==6.0\n`);
    git("rm", "-q", "dev-requirements.txt");
    mkdirSync(join(dir, "tools"));
    writeFileSync(join(dir, "tools/requirements.txt"), "black==24.1\n");
    git("add", "-A");
    git("commit", "-q", "-m", "head");
    const head = git("rev-parse", "HEAD");

    const set = await loadDependencies(["."], dir);
    const result = await compareWithBase({ set, base, head, exec, cwd: dir });
    const verdict = (file: string, pkg: string, version: string) =>
      result.introduced({ file, package: pkg, version });
    expect(verdict("requirements/main.txt", "alpha", "1.0")).toBe(false);
    expect(verdict("requirements/main.txt", "epsilon", "5.0")).toBe(false);
    expect(verdict("requirements/main.txt", "zeta", "6.0")).toBe(true);
    expect(verdict("tools/requirements.txt", "black", "24.1")).toBe(true);
    expect(result.counts).toEqual({ introduced: 2, unchanged: 5 });
    expect(result.log).toContain(
      "requirements/main.txt was renamed from requirements.txt; compared with requirements.txt at the base commit",
    );
    expect(result.log).toContain(
      "tools/requirements.txt is new in this change (not at the base commit)",
    );
  });

  it("reads names with glob characters as blobs, never as a pathspec", async () => {
    // `git show <sha>:./req[1].txt` would fall back to a pathspec for such a name.
    const base = commit({ "req[1].txt": "kept==1.0\n", "req*.txt": "star==1.0\n" });
    const head = commit({ "req[1].txt": "kept==1.0\nadded==1.0\n", "req*.txt": "star==1.0\n" });
    const set = await loadDependencies(["req[1].txt", "req*.txt"], dir);
    const result = await compareWithBase({ set, base, head, exec, cwd: dir });
    expect(result.introduced({ file: "req[1].txt", package: "kept", version: "1.0" })).toBe(false);
    expect(result.introduced({ file: "req[1].txt", package: "added", version: "1.0" })).toBe(true);
    expect(result.introduced({ file: "req*.txt", package: "star", version: "1.0" })).toBe(false);
    // Looked up literally: `--literal-pathspecs` keeps `*` and `[1]` from matching other names.
    expect(
      calls.filter((c) => c.includes("ls-tree")).every((c) => c[0] === "--literal-pathspecs"),
    ).toBe(true);
    expect(calls.some((c) => c[0] === "show")).toBe(false);
  });
});
