// What is checked out, and what to scan. A pull request's head is what must be scanned; what
// actions/checkout leaves depends on the event: `pull_request` checks out the test merge (first
// parent: the base tip, second: the head), `pull_request_target` the base branch. HEAD is
// verified against the payload; when it is neither the head nor a merge of it, the head's
// lockfiles are read as blobs (fetched by SHA), which never runs any of the pull request's code.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { detectFormat } from "../discover/discover.js";
import type { GitExec } from "./pr-diff.js";

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The top of the git repository that holds `dir`, or undefined outside one. */
export async function repositoryRoot(exec: GitExec, dir: string): Promise<string | undefined> {
  const r = await exec(["rev-parse", "--show-toplevel"], dir).catch(() => undefined);
  const top = r?.code === 0 ? r.stdout.trim() : "";
  return top ? resolve(top) : undefined;
}

/** A commit's parents, from `git cat-file -p` (present even in a depth-1 clone). */
export async function commitParents(
  exec: GitExec,
  cwd: string,
  commit: string,
): Promise<{ sha: string; parents: string[] } | undefined> {
  const id = await exec(["rev-parse", "--verify", "--quiet", `${commit}^{commit}`], cwd).catch(
    () => undefined,
  );
  const sha = id?.code === 0 ? id.stdout.trim().toLowerCase() : "";
  if (!SHA.test(sha)) return undefined;
  const body = await exec(["cat-file", "-p", sha], cwd).catch(() => undefined);
  if (body?.code !== 0) return undefined;
  const header = body.stdout.split("\n\n")[0] ?? "";
  const parents = [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]!.toLowerCase());
  return { sha, parents };
}

/**
 * How the checkout relates to the pull request:
 * - `head`: HEAD is the head commit; the base is the payload's base.
 * - `merge`: HEAD is a two-parent merge whose second parent is the head (the `pull_request`
 *   default); its first parent, the base tip the merge was made from, is the base.
 * - `elsewhere`: anything else (the base branch under `pull_request_target`): the head must be
 *   read from git, not from the working tree.
 */
export type CheckoutKind = "head" | "merge" | "elsewhere";

export interface CheckoutState {
  kind: CheckoutKind;
  /** The commit checked out (HEAD), when git could say. */
  checkedOut?: string;
  /** The commit to compare with. */
  base: string;
  head: string;
}

export async function inspectHead(
  exec: GitExec,
  repoRoot: string,
  event: { base: string; head: string },
): Promise<CheckoutState> {
  const head = await commitParents(exec, repoRoot, "HEAD");
  if (head?.sha === event.head) return { kind: "head", checkedOut: head.sha, ...event };
  if (head && head.parents.length === 2 && head.parents[1] === event.head) {
    return { kind: "merge", checkedOut: head.sha, base: head.parents[0]!, head: event.head };
  }
  return { kind: "elsewhere", ...(head ? { checkedOut: head.sha } : {}), ...event };
}

/** Is `sha` a commit in the repository? */
export async function hasCommit(exec: GitExec, cwd: string, sha: string): Promise<boolean> {
  const r = await exec(["cat-file", "-e", `${sha}^{commit}`], cwd).catch(() => undefined);
  return r?.code === 0;
}

/**
 * Make sure `sha` is present, fetching it by SHA from origin (depth 1, no tags) when it is not.
 * Returns undefined when present, or the reason it could not be fetched.
 */
export async function ensureCommit(
  exec: GitExec,
  cwd: string,
  sha: string,
): Promise<{ fetched: boolean; problem?: string }> {
  if (await hasCommit(exec, cwd, sha)) return { fetched: false };
  const r = await exec(
    ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", sha],
    cwd,
  ).catch((error: unknown) => ({ code: 1, stdout: "", stderr: (error as Error).message }));
  if (r.code === 0 && (await hasCommit(exec, cwd, sha))) return { fetched: true };
  const why = r.stderr.trim().split("\n").filter(Boolean).pop() ?? `git fetch exited ${r.code}`;
  return { fetched: false, problem: why };
}

/** A file's text at a commit (`git cat-file blob`: the path is never a pathspec), or undefined. */
export async function readBlob(
  exec: GitExec,
  cwd: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  const r = await exec(["cat-file", "blob", `${commit}:${path}`], cwd).catch(() => undefined);
  return r?.code === 0 ? r.stdout : undefined;
}

/** `/`-separated path of `abs` relative to `root`, or undefined when it is outside. */
export function relativeInside(root: string, abs: string): string | undefined {
  const rel = relative(root, abs);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/** Files the head tree may need: lockfiles by name, requirement includes, and named paths. */
function wanted(path: string, named: Set<string>): boolean {
  if (named.has(path)) return true;
  if (detectFormat(path) !== undefined) return true;
  return /\.(txt|in)$/i.test(posix.basename(path));
}

/** Most files written from the head tree; a tree with more is cut and said so. */
const MAX_TREE_FILES = 5000;
const MAX_TREE_BYTES = 200 * 1024 * 1024;

/**
 * Write the head commit's lockfiles (and files they may include) into a fresh directory laid
 * out like the workspace, so the scan reads the head exactly as a checkout would show it.
 * Only regular blobs are written; links and submodules are skipped. `named` are the scan paths,
 * relative to the repository root.
 */
export async function materializeHead(input: {
  exec: GitExec;
  repoRoot: string;
  /** The repository's folder relative to the workspace ("" when they are the same). */
  repoInWorkspace: string;
  head: string;
  named: string[];
  tempDir?: string;
}): Promise<{ root: string; files: number; problem?: string }> {
  const { exec, repoRoot, head } = input;
  const root = await mkdtemp(join(input.tempDir ?? tmpdir(), "mdg-head-"));
  const list = await exec(["ls-tree", "-r", "-z", "--full-tree", head], repoRoot).catch(
    () => undefined,
  );
  if (list?.code !== 0)
    return { root, files: 0, problem: `git ls-tree ${head.slice(0, 12)} failed` };
  const named = new Set(input.named.map((p) => posix.normalize(p).replace(/^\.\//, "")));
  let files = 0;
  let bytes = 0;
  let problem: string | undefined;
  for (const entry of list.stdout.split("\0")) {
    const m = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!m || m[2] !== "blob" || (m[1] !== "100644" && m[1] !== "100755")) continue;
    const path = m[4]!;
    if (path.split("/").some((s) => s === ".." || s === "." || s === "" || s === ".git")) continue;
    if (!wanted(path, named)) continue;
    if (files >= MAX_TREE_FILES || bytes >= MAX_TREE_BYTES) {
      problem = `the head tree has more candidate files than the ${MAX_TREE_FILES} read`;
      break;
    }
    const blob = await exec(["cat-file", "blob", m[3]!], repoRoot).catch(() => undefined);
    if (blob?.code !== 0) continue;
    const target = join(root, input.repoInWorkspace, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, blob.stdout);
    files++;
    bytes += blob.stdout.length;
  }
  await mkdir(join(root, input.repoInWorkspace), { recursive: true });
  return { root, files, ...(problem ? { problem } : {}) };
}
