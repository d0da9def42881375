// The checkout layout and the git smart-HTTP server behave like GitHub and actions/checkout v7
// (and v5, whose credentials sit in .git/config itself): a pull_request run sees a shallow
// two-parent test merge, a pull_request_target run sees the base tip, fetches need the token
// header, and `path` puts the repository in a subfolder.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout, createOrigin, git, runGit, type Origin } from "./checkout.js";
import { authorizationHeader, startGitHttpServer, type GitHttpServer } from "./git-http.js";

const TOKEN = "ghs_loopback_checkout_token";

let root: string;
let origin: Origin;
let forked: Origin;
let n = 0;
const workspace = () => join(root, `ws-${++n}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mdg-checkout-"));
  origin = await createOrigin({ root: join(root, "same") });
  forked = await createOrigin({ root: join(root, "fork"), fork: true, number: 12 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The `parent` lines of a raw commit object. */
async function parents(dir: string, rev: string): Promise<string[]> {
  const raw = await git(dir, "cat-file", "-p", rev);
  return raw
    .split("\n")
    .filter((l) => l.startsWith("parent "))
    .map((l) => l.slice("parent ".length));
}

describe("createOrigin", () => {
  it("keeps the PR refs and a real test merge on the moved-on base", async () => {
    expect(origin.baseSha).not.toBe(origin.baseShaAtOpen);
    expect(await git(origin.dir, "rev-parse", `refs/pull/7/head`)).toBe(origin.headSha);
    expect(await git(origin.dir, "rev-parse", `refs/pull/7/merge`)).toBe(origin.mergeSha);
    expect(await git(origin.dir, "rev-parse", "refs/heads/main")).toBe(origin.baseSha);
    expect(await parents(origin.dir, origin.mergeSha)).toEqual([origin.baseSha, origin.headSha]);
    expect(await git(origin.dir, "log", "-1", "--format=%s", origin.mergeSha)).toBe(
      `Merge ${origin.headSha} into ${origin.baseSha}`,
    );
  });

  it("puts a fork's branch in the fork and only refs/pull/N/* in the base repository", async () => {
    expect(forked.forkFullName).toBe("contributor/lib");
    const baseRefs = await git(forked.dir, "for-each-ref", "--format=%(refname)");
    expect(baseRefs.split("\n").sort()).toEqual([
      "refs/heads/main",
      "refs/pull/12/head",
      "refs/pull/12/merge",
    ]);
    expect(await git(forked.forkDir!, "rev-parse", "refs/heads/feature")).toBe(forked.headSha);
  });

  it("gives the same SHAs on every build", async () => {
    const again = await createOrigin({ root: join(root, "again") });
    expect([again.baseShaAtOpen, again.baseSha, again.headSha, again.mergeSha]).toEqual([
      origin.baseShaAtOpen,
      origin.baseSha,
      origin.headSha,
      origin.mergeSha,
    ]);
  });
});

describe("checkout like actions/checkout", () => {
  it("pull_request: detached, depth-1 test merge whose raw object names both parents", async () => {
    const co = await checkout(origin, { workspace: workspace() });
    expect(co.refSpec).toEqual([`+${origin.mergeSha}:refs/remotes/pull/7/merge`]);
    expect(co.commands).toContainEqual([
      "-c",
      "protocol.version=2",
      "fetch",
      "--no-tags",
      "--prune",
      "--no-recurse-submodules",
      "--progress",
      "--depth=1",
      "origin",
      `+${origin.mergeSha}:refs/remotes/pull/7/merge`,
    ]);
    expect(co.commands).toContainEqual([
      "checkout",
      "--progress",
      "--force",
      "refs/remotes/pull/7/merge",
    ]);
    expect(co.head).toBe(origin.mergeSha);
    expect(await parents(co.path, "HEAD")).toEqual([origin.baseSha, origin.headSha]);
    // Detached, and shallow: the parents are named but not present.
    expect((await runGit(co.path, ["symbolic-ref", "-q", "HEAD"])).code).not.toBe(0);
    expect(await git(co.path, "rev-parse", "--is-shallow-repository")).toBe("true");
    expect((await runGit(co.path, ["rev-parse", "--verify", "-q", "HEAD^1"])).code).not.toBe(0);
    expect((await runGit(co.path, ["cat-file", "-e", origin.baseSha])).code).not.toBe(0);
  });

  it("pull_request_target: the base tip on a local branch, no PR code fetched", async () => {
    const co = await checkout(forked, { workspace: workspace(), event: "pull_request_target" });
    expect(co.refSpec).toEqual([`+${forked.baseSha}:refs/remotes/origin/main`]);
    expect(co.commands).toContainEqual([
      "checkout",
      "--progress",
      "--force",
      "-B",
      "main",
      "refs/remotes/origin/main",
    ]);
    expect(co.head).toBe(forked.baseSha);
    expect(await git(co.path, "symbolic-ref", "HEAD")).toBe("refs/heads/main");
    expect((await runGit(co.path, ["cat-file", "-e", forked.headSha])).code).not.toBe(0);
  });

  it("pull_request_target with ref = a fork's head SHA: refused unless opted in", async () => {
    const ws = workspace();
    await expect(
      checkout(forked, { workspace: ws, event: "pull_request_target", ref: forked.headSha }),
    ).rejects.toThrow(/Refusing to check out fork pull request code/);
    await expect(
      checkout(forked, { workspace: ws, event: "pull_request_target", ref: "refs/pull/12/merge" }),
    ).rejects.toThrow(/Refusing/);
    const co = await checkout(forked, {
      workspace: ws,
      event: "pull_request_target",
      ref: forked.headSha,
      allowUnsafePrCheckout: true,
    });
    expect(co.refSpec).toEqual([forked.headSha]);
    expect(co.head).toBe(forked.headSha);
    expect((await runGit(co.path, ["symbolic-ref", "-q", "HEAD"])).code).not.toBe(0);
  });

  it("pull_request with ref = head SHA (same repository): the PR head, detached", async () => {
    const co = await checkout(origin, { workspace: workspace(), ref: origin.headSha });
    expect(co.head).toBe(origin.headSha);
    expect(await parents(co.path, "HEAD")).toEqual([origin.baseShaAtOpen]);
  });

  it("path: app puts the repository in a subfolder of the workspace", async () => {
    const ws = workspace();
    const co = await checkout(origin, { workspace: ws, path: "app" });
    expect(co.path).toBe(join(ws, "app"));
    expect(existsSync(join(ws, "app", ".git"))).toBe(true);
    expect(existsSync(join(ws, ".git"))).toBe(false);
    expect(existsSync(join(ws, "app", "requirements.txt"))).toBe(true);
    await expect(checkout(origin, { workspace: ws, path: "../outside" })).rejects.toThrow(
      /is not under/,
    );
  });

  it("v7: the credential is in a file of RUNNER_TEMP that .git/config includes; false removes both", async () => {
    const kept = await checkout(origin, { workspace: workspace(), token: TOKEN });
    expect(kept.extraheaderKey).toBe("http.https://github.com/.extraheader");
    const file = kept.credentialsFile!;
    expect(file).toMatch(/git-credentials-[0-9a-f-]{36}\.config$/);
    // Not in .git/config itself, but in the file it includes for this repository's git dir.
    const local = await runGit(kept.path, ["config", "--local", "--get-all", kept.extraheaderKey]);
    expect(local.code).toBe(1);
    expect(
      await git(kept.path, "config", "--local", "--get", `includeIf.gitdir:${kept.path}/.git.path`),
    ).toBe(file);
    expect(await git(kept.path, "config", "--local", "--get-regexp", "^includeif\\.")).toContain(
      "includeif.gitdir:/github/workspace/.git.path /github/runner_temp/",
    );
    expect(readFileSync(file, "utf8")).toContain(authorizationHeader(TOKEN));
    // What git uses (includes followed) is the header, once.
    expect(await git(kept.path, "config", "--get-all", kept.extraheaderKey)).toBe(
      authorizationHeader(TOKEN),
    );
    expect(JSON.stringify(kept.commands)).not.toContain(authorizationHeader(TOKEN).slice(22));

    const dropped = await checkout(origin, {
      workspace: workspace(),
      token: TOKEN,
      persistCredentials: false,
    });
    expect(existsSync(dropped.credentialsFile!)).toBe(false);
    expect((await runGit(dropped.path, ["config", "--get-all", kept.extraheaderKey])).code).toBe(1);
    expect(
      (await runGit(dropped.path, ["config", "--local", "--get-regexp", "^includeif\\."])).code,
    ).toBe(1);
  });

  it("v5: the extraheader stays in .git/config by default, goes when false", async () => {
    const kept = await checkout(origin, { workspace: workspace(), token: TOKEN, version: 5 });
    expect(kept.credentialsFile).toBeUndefined();
    expect(await git(kept.path, "config", "--local", "--get", kept.extraheaderKey)).toBe(
      authorizationHeader(TOKEN),
    );
    // The credential is written into the file, never passed on a command line.
    expect(JSON.stringify(kept.commands)).not.toContain(authorizationHeader(TOKEN).slice(22));

    const dropped = await checkout(origin, {
      workspace: workspace(),
      token: TOKEN,
      persistCredentials: false,
      version: 5,
    });
    const left = await runGit(dropped.path, ["config", "--local", "--get", kept.extraheaderKey]);
    expect(left.code).toBe(1);
  });
});

describe("git smart-HTTP server", () => {
  let server: GitHttpServer;
  beforeAll(async () => {
    server = await startGitHttpServer({ root: origin.remotes, token: TOKEN });
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers 401 with WWW-Authenticate: Basic to a request without the token", async () => {
    const answer = await fetch(`${server.repoUrl("octo/lib")}/info/refs?service=git-upload-pack`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("fails a fetch without the token, without prompting", async () => {
    const ws = workspace();
    const url = server.repoUrl("octo/lib");
    const before = server.requests.length;
    await expect(checkout(origin, { workspace: ws, url })).rejects.toThrow(
      /terminal prompts disabled|Authentication failed|401/,
    );
    const seen = server.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => !r.authorized && r.status === 401)).toBe(true);
  });

  it("checks out over HTTP with the token, protocol v2, and records each request", async () => {
    const url = server.repoUrl("octo/lib");
    const before = server.requests.length;
    const co = await checkout(origin, {
      workspace: workspace(),
      url,
      token: TOKEN,
      persistCredentials: false,
    });
    expect(co.extraheaderKey).toBe(`http.${server.url}/.extraheader`);
    expect(co.head).toBe(origin.mergeSha);
    expect(await parents(co.path, "HEAD")).toEqual([origin.baseSha, origin.headSha]);
    const seen = server.requests.slice(before);
    // Protocol v2: capability advertisement, then `fetch` commands (no ls-refs for a bare SHA).
    const log = seen.map((r) => `${r.method} ${r.path}`);
    expect(log[0]).toBe("GET /octo/lib/info/refs?service=git-upload-pack");
    expect(log.length).toBeGreaterThan(1);
    expect(new Set(log.slice(1))).toEqual(new Set(["POST /octo/lib/git-upload-pack"]));
    expect(seen.every((r) => r.authorized && r.status === 200)).toBe(true);
    expect(seen.every((r) => r.gitProtocol === "version=2")).toBe(true);

    // Credentials were not persisted: a later fetch fails, and passes with the header given
    // through GIT_CONFIG_COUNT the way a later step could supply it.
    const refspec = `+${origin.headSha}:refs/remotes/pull/7/head`;
    const plain = await runGit(co.path, ["fetch", "--depth=1", "origin", refspec]);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/terminal prompts disabled|Authentication failed/);
    const withHeader = await runGit(co.path, ["fetch", "--depth=1", "origin", refspec], {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${server.url}/.extraheader`,
      GIT_CONFIG_VALUE_0: authorizationHeader(TOKEN),
    });
    expect(withHeader.code, withHeader.stderr).toBe(0);
    expect(await git(co.path, "rev-parse", "refs/remotes/pull/7/head")).toBe(origin.headSha);
  });

  it("serves a fork's repository and its PR refs from the base repository", async () => {
    const forkServer = await startGitHttpServer({ root: forked.remotes });
    try {
      const co = await checkout(forked, {
        workspace: workspace(),
        url: forkServer.repoUrl("octo/lib"),
      });
      expect(await parents(co.path, "HEAD")).toEqual([forked.baseSha, forked.headSha]);
      const remote = await git(
        co.path,
        "ls-remote",
        forkServer.repoUrl("contributor/lib"),
        "refs/heads/feature",
      );
      expect(remote).toBe(`${forked.headSha}\trefs/heads/feature`);
      expect(forkServer.requests.every((r) => r.authorized)).toBe(true);
    } finally {
      await forkServer.close();
    }
  });
});
