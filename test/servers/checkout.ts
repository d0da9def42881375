/**
 * Repositories laid out the way a GitHub pull request and actions/checkout (v7, or v5) leave
 * them, for testing the action against a real checkout rather than a full local clone.
 *
 * @example
 * ```ts
 * const origin = await createOrigin({ root });
 * const co = await checkout(origin, { workspace: join(root, "ws") }); // event pull_request
 * await git(co.path, "rev-parse", "HEAD"); // origin.mergeSha, parents [origin.baseSha, origin.headSha]
 * const target = await checkout(origin, { workspace, event: "pull_request_target" });
 * target.head === origin.baseSha; // on branch main, no PR code present
 * ```
 *
 * `createOrigin` builds a bare "origin" the way GitHub keeps a pull request: a base branch that
 * moved on after the PR was opened (`baseShaAtOpen` -> `baseSha`), the PR head (on a branch of
 * the same repository, or of a fork), `refs/pull/N/head`, and a real two-parent test merge
 * `refs/pull/N/merge` (first parent: the base tip, second: the head; message
 * `Merge <head> into <base>`). Commit dates are fixed, so the SHAs are the same on every run.
 *
 * `checkout` then runs the git commands of actions/checkout (fetch-depth 1, no tags,
 * protocol v2, `persist-credentials` true by default) in `workspace/path`:
 *   git init <path>; git remote add origin <url>; git config --local gc.auto 0;
 *   v7 (since v6): the credential goes to a file of its own in RUNNER_TEMP,
 *     git config --file $RUNNER_TEMP/git-credentials-<uuid>.config
 *       http.<server origin>/.extraheader "AUTHORIZATION: basic ***"
 *   (the placeholder then replaced in that file), which .git/config includes for the host's and
 *   the job container's view of the repository:
 *     git config --local includeIf.gitdir:<path>/.git.path <file>
 *     git config --local includeIf.gitdir:<path>/.git/worktrees/*.path <file>
 *     git config --local includeIf.gitdir:/github/workspace/<rel>/.git.path /github/runner_temp/<name>
 *     git config --local includeIf.gitdir:/github/workspace/<rel>/.git/worktrees/*.path (the same)
 *   v5: git config --local http.<server origin>/.extraheader "AUTHORIZATION: basic ***" (then
 *   the placeholder is replaced in .git/config);
 *   either way the credential never appears in an argv;
 *   git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --progress
 *     --depth=1 origin +<sha>:refs/remotes/pull/N/merge
 *   git checkout --progress --force refs/remotes/pull/N/merge           (detached HEAD)
 *   git checkout --progress --force -B main refs/remotes/origin/main    (pull_request_target)
 *   persist-credentials false: v5 unsets the extraheader; v7 also unsets each includeIf value
 *   naming a git-credentials-*.config file and deletes those files under RUNNER_TEMP.
 * Which ref and SHA are fetched follows the event as the runner sets GITHUB_REF / GITHUB_SHA:
 * pull_request -> refs/pull/N/merge at the merge SHA; pull_request_target and push -> the base
 * branch at its tip. An explicit `ref` that is 40 hex digits is fetched as a bare SHA and checked
 * out detached. Like checkout since its `allow-unsafe-pr-checkout` input (v5 and v7), a
 * pull_request_target checkout of a fork's PR code (its head SHA, the merge SHA or a
 * refs/pull/N/head|merge ref) throws unless `allowUnsafePrCheckout` is set.
 *
 * Every git process runs with QUIET_GIT_ENV: no prompts, no global or system config.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, posix, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { QUIET_GIT_ENV, authorizationHeader } from "./git-http.js";

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/nonexistent",
    LANG: "C",
    ...QUIET_GIT_ENV,
    ...extra,
  };
}

/** Run git in `cwd`; never throws for a non-zero exit (the code is returned). */
export function runGit(cwd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<GitRun>((done, fail) => {
    execFile(
      "git",
      args,
      { cwd, env: gitEnv(env), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") fail(error);
        else done({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

/** Run git in `cwd` and return its trimmed stdout; throws with stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const run = await runGit(cwd, args);
  if (run.code !== 0) {
    throw new Error(`git ${args.join(" ")} exited ${run.code}: ${run.stderr.trim()}`);
  }
  return run.stdout.trim();
}

export interface OriginOptions {
  /** A folder to build in; the bare repositories go under `root/remotes/`. */
  root: string;
  /** Base repository, `owner/name`. Default `octo/lib`. */
  fullName?: string;
  /** Pull request number. Default 7. */
  number?: number;
  baseBranch?: string;
  headBranch?: string;
  /** Open the PR from a fork: `true` for `contributor/<name>`, or the fork's `owner/name`. */
  fork?: boolean | string;
  /** Files of the first base commit (path -> text). */
  baseFiles?: Record<string, TreeFile>;
  /** Files the PR head commit changes (`null`: removed). */
  headFiles?: Record<string, TreeFile>;
  /** Files the base branch changes after the PR was opened (must not conflict with the head). */
  laterBaseFiles?: Record<string, string>;
}

export interface Origin {
  fullName: string;
  number: number;
  baseBranch: string;
  headBranch: string;
  /** Folder holding `owner/name.git` bare repositories (a git-http server's root). */
  remotes: string;
  /** The base repository's bare git directory. */
  dir: string;
  /** `file://` URL of `dir`. */
  url: string;
  /** The fork's `owner/name` and bare directory when the PR comes from a fork. */
  forkFullName?: string;
  forkDir?: string;
  /** Base branch tip when the PR was opened (`pull_request.base.sha` of the `opened` event). */
  baseShaAtOpen: string;
  /** Base branch tip now. */
  baseSha: string;
  /** PR head (`pull_request.head.sha`, `refs/pull/N/head`). */
  headSha: string;
  /** Test merge (`refs/pull/N/merge`, GITHUB_SHA of a pull_request run). */
  mergeSha: string;
}

/** Writes each file; `null` removes it (a rename is a removal and a new file). */
/** A file's text, `null` to delete it, or a symbolic link (committed as git stores one). */
export type TreeFile = string | null | { symlink: string };

async function writeFiles(dir: string, files: Record<string, TreeFile>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    await rm(full, { force: true });
    if (text === null) continue;
    await mkdir(dirname(full), { recursive: true });
    if (typeof text === "string") await writeFile(full, text);
    else await symlink(text.symlink, full);
  }
}

export async function createOrigin(opts: OriginOptions): Promise<Origin> {
  const fullName = opts.fullName ?? "octo/lib";
  const number = opts.number ?? 7;
  const baseBranch = opts.baseBranch ?? "main";
  const headBranch = opts.headBranch ?? "feature";
  const repoName = fullName.split("/")[1] ?? "lib";
  const forkFullName =
    opts.fork === true ? `contributor/${repoName}` : opts.fork ? opts.fork : undefined;
  const remotes = join(opts.root, "remotes");
  const dir = join(remotes, `${fullName}.git`);
  const author = join(opts.root, "author");
  await mkdir(dir, { recursive: true });
  await mkdir(author, { recursive: true });
  await git(dir, "init", "-q", "--bare", `--initial-branch=${baseBranch}`);
  await git(author, "init", "-q", `--initial-branch=${baseBranch}`);

  let clock = Date.parse("2026-03-01T10:00:00Z") / 1000;
  const commit = async (message: string, who = "Maintainer"): Promise<string> => {
    const date = `@${(clock += 60)} +0000`;
    const run = await runGit(author, ["commit", "-q", "--allow-empty", "-m", message], {
      GIT_AUTHOR_NAME: who,
      GIT_AUTHOR_EMAIL: `${who.toLowerCase()}@example.invalid`,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: who,
      GIT_COMMITTER_EMAIL: `${who.toLowerCase()}@example.invalid`,
      GIT_COMMITTER_DATE: date,
    });
    if (run.code !== 0) throw new Error(`commit failed: ${run.stderr}`);
    return git(author, "rev-parse", "HEAD");
  };

  await writeFiles(author, opts.baseFiles ?? { "README.md": "# lib\n" });
  await git(author, "add", "-A");
  const baseShaAtOpen = await commit("Initial layout");

  await git(author, "checkout", "-q", "-b", headBranch);
  await writeFiles(author, opts.headFiles ?? { "requirements.txt": "requests==2.31.0\n" });
  await git(author, "add", "-A");
  const headSha = await commit("Add a dependency", "Contributor");

  await git(author, "checkout", "-q", baseBranch);
  await writeFiles(author, opts.laterBaseFiles ?? { "CHANGELOG.md": "# Changes\n" });
  await git(author, "add", "-A");
  const baseSha = await commit("Base moves on after the PR was opened");

  // GitHub's test merge: base tip first, PR head second.
  await git(author, "checkout", "-q", "--detach", baseSha);
  const date = `@${(clock += 60)} +0000`;
  const merge = await runGit(
    author,
    ["merge", "-q", "--no-ff", "--no-edit", "-m", `Merge ${headSha} into ${baseSha}`, headSha],
    {
      GIT_AUTHOR_NAME: "Contributor",
      GIT_AUTHOR_EMAIL: "contributor@example.invalid",
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: "GitHub",
      GIT_COMMITTER_EMAIL: "noreply@example.invalid",
      GIT_COMMITTER_DATE: date,
    },
  );
  if (merge.code !== 0) throw new Error(`test merge failed: ${merge.stderr}`);
  const mergeSha = await git(author, "rev-parse", "HEAD");

  const refs = [
    `${baseSha}:refs/heads/${baseBranch}`,
    `${headSha}:refs/pull/${number}/head`,
    `${mergeSha}:refs/pull/${number}/merge`,
  ];
  let forkDir: string | undefined;
  if (forkFullName) {
    forkDir = join(remotes, `${forkFullName}.git`);
    await mkdir(forkDir, { recursive: true });
    await git(forkDir, "init", "-q", "--bare", `--initial-branch=${baseBranch}`);
    await git(
      author,
      "push",
      "-q",
      forkDir,
      `${baseShaAtOpen}:refs/heads/${baseBranch}`,
      `${headSha}:refs/heads/${headBranch}`,
    );
  } else refs.push(`${headSha}:refs/heads/${headBranch}`);
  await git(author, "push", "-q", dir, ...refs);

  return {
    fullName,
    number,
    baseBranch,
    headBranch,
    remotes,
    dir,
    url: pathToFileURL(dir).href,
    ...(forkFullName && forkDir ? { forkFullName, forkDir } : {}),
    baseShaAtOpen,
    baseSha,
    headSha,
    mergeSha,
  };
}

export type CheckoutEvent = "pull_request" | "pull_request_target" | "push";

export interface CheckoutOptions {
  /** GITHUB_WORKSPACE. */
  workspace: string;
  /** The triggering event; default `pull_request`. */
  event?: CheckoutEvent;
  /** The step's `ref` input: a 40-hex SHA, `refs/...`, or a branch or tag name. */
  ref?: string;
  /** The `path` input, relative to the workspace. Default `.`. */
  path?: string;
  /** The `persist-credentials` input; default true, as in checkout's action.yml. */
  persistCredentials?: boolean;
  /** The `token` input; when set, an extraheader is configured for the fetch. */
  token?: string;
  /** Fetch URL; default `origin.url`. Use a git-http server's `repoUrl(fullName)`. */
  url?: string;
  /** GITHUB_SERVER_URL; its origin names the extraheader key. Default: `url`'s origin when that is
   * http(s), else `https://github.com`. */
  serverUrl?: string;
  /** The `fetch-depth` input; default 1. */
  fetchDepth?: number;
  /** The `allow-unsafe-pr-checkout` input. */
  allowUnsafePrCheckout?: boolean;
  /** Which actions/checkout lays out the credentials: 7 (the default, as since v6) or 5. */
  version?: 5 | 7;
  /** RUNNER_TEMP, where v7 writes the credentials file; default a folder beside the workspace. */
  runnerTemp?: string;
}

export interface CheckoutResult {
  /** Repository path (`workspace/path`). */
  path: string;
  /** GITHUB_REF / ref input and SHA as checkout resolved them ("" when absent). */
  ref: string;
  commit: string;
  /** The refspec fetched and the ref checked out. */
  refSpec: string[];
  checkedOut: string;
  /** HEAD after checkout. */
  head: string;
  /** `http.<origin>/.extraheader`. */
  extraheaderKey: string;
  /** v7 with a token: the credentials file (deleted when credentials are not persisted). */
  credentialsFile?: string;
  /** Every git argv run, in order (the credential never appears in them). */
  commands: string[][];
}

/** The event context: GITHUB_REF and GITHUB_SHA as the runner sets them. */
function eventContext(origin: Origin, event: CheckoutEvent): { ref: string; sha: string } {
  if (event === "pull_request") {
    return { ref: `refs/pull/${origin.number}/merge`, sha: origin.mergeSha };
  }
  return { ref: `refs/heads/${origin.baseBranch}`, sha: origin.baseSha };
}

function refSpecFor(ref: string, commit: string): string[] {
  const branchOf = (prefix: string) => ref.slice(prefix.length);
  const upper = ref.toUpperCase();
  if (commit) {
    if (upper.startsWith("REFS/HEADS/")) {
      return [`+${commit}:refs/remotes/origin/${branchOf("refs/heads/")}`];
    }
    if (upper.startsWith("REFS/PULL/")) {
      return [`+${commit}:refs/remotes/pull/${branchOf("refs/pull/")}`];
    }
    if (upper.startsWith("REFS/TAGS/")) return [`+${commit}:${ref}`];
    return [commit];
  }
  if (!upper.startsWith("REFS/")) {
    return [
      `+refs/heads/${ref}*:refs/remotes/origin/${ref}*`,
      `+refs/tags/${ref}*:refs/tags/${ref}*`,
    ];
  }
  if (upper.startsWith("REFS/HEADS/")) {
    return [`+${ref}:refs/remotes/origin/${branchOf("refs/heads/")}`];
  }
  if (upper.startsWith("REFS/PULL/"))
    return [`+${ref}:refs/remotes/pull/${branchOf("refs/pull/")}`];
  return [`+${ref}:${ref}`];
}

const PULL_REF = /^refs\/pull\/[0-9]+\/(?:head|merge)$/;

export async function checkout(origin: Origin, opts: CheckoutOptions): Promise<CheckoutResult> {
  const event = opts.event ?? "pull_request";
  const workspace = resolve(opts.workspace);
  const path = resolve(workspace, opts.path ?? ".");
  if (!(path + sep).startsWith(workspace + sep)) {
    throw new Error(`Repository path '${path}' is not under '${workspace}'`);
  }
  const url = opts.url ?? origin.url;
  const serverUrl = opts.serverUrl ?? (/^https?:/.test(url) ? url : "https://github.com");
  const extraheaderKey = `http.${new URL(serverUrl).origin}/.extraheader`;
  const fetchDepth = opts.fetchDepth ?? 1;

  // Inputs: no `ref` means the event's own ref and SHA; 40 hex digits mean a bare commit.
  let ref = "";
  let commit = "";
  if (!opts.ref) ({ ref, sha: commit } = eventContext(origin, event));
  else if (/^[0-9a-fA-F]{40}$/.test(opts.ref)) commit = opts.ref;
  else ref = opts.ref;

  // checkout's guard (v5 and v7) against running a fork's code with the base repository's token.
  if (opts.ref && event === "pull_request_target" && origin.forkFullName) {
    const prCode = [origin.headSha, origin.mergeSha];
    if (
      !opts.allowUnsafePrCheckout &&
      (PULL_REF.test(ref) || prCode.includes(commit.toLowerCase()))
    ) {
      throw new Error(
        `Refusing to check out fork pull request code from a 'pull_request_target' workflow`,
      );
    }
  }

  const commands: string[][] = [];
  const run = async (...args: string[]) => {
    commands.push(args);
    return git(path, ...args);
  };

  await mkdir(path, { recursive: true });
  await run("init", path);
  await run("remote", "add", "origin", url);
  await run("config", "--local", "gc.auto", "0");
  const version = opts.version ?? 7;
  const runnerTemp =
    opts.runnerTemp ?? join(dirname(workspace), `${basename(workspace)}.runner-temp`);
  let credentialsFile: string | undefined;
  if (opts.token !== undefined) {
    const placeholder = "AUTHORIZATION: basic ***";
    const fill = async (file: string) => {
      const text = await readFile(file, "utf8");
      await writeFile(file, text.replace(placeholder, authorizationHeader(opts.token!)));
    };
    if (version === 5) {
      await run("config", "--local", extraheaderKey, placeholder);
      await fill(join(path, ".git", "config"));
    } else {
      await mkdir(runnerTemp, { recursive: true });
      credentialsFile = join(runnerTemp, `git-credentials-${randomUUID()}.config`);
      await run("config", "--file", credentialsFile, extraheaderKey, placeholder);
      await fill(credentialsFile);
      // The host's view of the repository and the job container's, each with its worktrees.
      const containerGitDir = posix.join("/github/workspace", relative(workspace, path), ".git");
      const containerFile = posix.join("/github/runner_temp", basename(credentialsFile));
      for (const [gitDir, file] of [
        [join(path, ".git"), credentialsFile],
        [containerGitDir, containerFile],
      ]) {
        for (const under of ["", "/worktrees/*"])
          await run("config", "--local", `includeIf.gitdir:${gitDir}${under}.path`, file!);
      }
    }
  }

  const refSpec =
    fetchDepth > 0
      ? refSpecFor(ref, commit)
      : [
          "+refs/heads/*:refs/remotes/origin/*",
          "+refs/tags/*:refs/tags/*",
          ...(ref.toUpperCase().startsWith("REFS/PULL/")
            ? [`+${commit || ref}:refs/remotes/pull/${ref.slice("refs/pull/".length)}`]
            : []),
        ];
  const fetchArgs = ["-c", "protocol.version=2", "fetch"];
  // v7 always passes --no-tags (tags come by refspec when wanted); v5 only with a depth.
  if (fetchDepth > 0 || version === 7) fetchArgs.push("--no-tags");
  fetchArgs.push("--prune", "--no-recurse-submodules", "--progress");
  if (fetchDepth > 0) fetchArgs.push(`--depth=${fetchDepth}`);
  await run(...fetchArgs, "origin", ...refSpec);

  // What to check out: a local branch for refs/heads, the remote-tracking ref for refs/pull,
  // else the tag or bare SHA (both detached).
  let checkoutArgs: string[];
  const upper = ref.toUpperCase();
  if (!ref) checkoutArgs = [commit];
  else if (upper.startsWith("REFS/HEADS/")) {
    const branch = ref.slice("refs/heads/".length);
    checkoutArgs = ["-B", branch, `refs/remotes/origin/${branch}`];
  } else if (upper.startsWith("REFS/PULL/")) {
    checkoutArgs = [`refs/remotes/pull/${ref.slice("refs/pull/".length)}`];
  } else if (upper.startsWith("REFS/")) checkoutArgs = [commit || ref];
  else {
    const remote = await runGit(path, ["branch", "--list", "--remote", `origin/${ref}`]);
    if (remote.stdout.trim()) checkoutArgs = ["-B", ref, `refs/remotes/origin/${ref}`];
    else checkoutArgs = [`refs/tags/${ref}`];
  }
  await run("checkout", "--progress", "--force", ...checkoutArgs);

  if (opts.persistCredentials === false) {
    const has = await runGit(path, ["config", "--local", "--get-all", extraheaderKey]);
    if (has.code === 0) await run("config", "--local", "--unset-all", extraheaderKey);
    if (version === 7) await removeIncludedCredentials(path, runnerTemp, run);
  }

  return {
    path,
    ref,
    commit,
    refSpec,
    checkedOut: checkoutArgs[checkoutArgs.length - 1] ?? "",
    head: await git(path, "rev-parse", "HEAD"),
    extraheaderKey,
    ...(credentialsFile ? { credentialsFile } : {}),
    commands,
  };
}

/**
 * v7's removal: each includeIf.gitdir value that names a git-credentials-<uuid>.config file is
 * unset, and those files under RUNNER_TEMP are deleted.
 */
async function removeIncludedCredentials(
  path: string,
  runnerTemp: string,
  run: (...args: string[]) => Promise<string>,
): Promise<void> {
  const keys = await runGit(path, [
    "config",
    "--local",
    "--name-only",
    "--get-regexp",
    "^includeIf\\.gitdir:",
  ]);
  const files = new Set<string>();
  for (const key of keys.stdout.split("\n").filter(Boolean)) {
    const values = await runGit(path, ["config", "--local", "--get-all", key]);
    for (const value of values.stdout.split("\n").filter(Boolean)) {
      if (!/git-credentials-[0-9a-f-]+\.config$/i.test(value)) continue;
      files.add(value);
      await run("config", "--local", "--unset", key, value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    }
  }
  for (const file of files) if (file.startsWith(runnerTemp)) await rm(file, { force: true });
}
