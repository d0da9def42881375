// What is checked out, and what to scan. A pull request's head is what must be scanned; what
// actions/checkout leaves depends on the event: `pull_request` checks out the test merge (first
// parent: the base tip, second: the head), `pull_request_target` the base branch. HEAD is
// verified against the payload; when it is neither the head nor a merge of it, the head's
// lockfiles are read as blobs (fetched by SHA), which never runs any of the pull request's code.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { detectFormat, parseLockfileText, SKIPPED_DIRECTORIES } from "../discover/discover.js";
import { linkTarget, readCommitFile, type GitExec } from "./pr-diff.js";

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

/** A file's text at a commit, symbolic links inside the tree followed; undefined when none. */
export async function readBlob(
  exec: GitExec,
  cwd: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  return readCommitFile(exec, cwd, commit, path);
}

/** `/`-separated path of `abs` relative to `root`, or undefined when it is outside. */
export function relativeInside(root: string, abs: string): string | undefined {
  const rel = relative(root, abs);
  if (rel === "") return "";
  if (rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/** Most files written from the head tree; a tree with more cannot be read whole: the run fails. */
const MAX_TREE_FILES = 5000;
const MAX_TREE_BYTES = 200 * 1024 * 1024;
/** Include levels followed (`-r a` naming `-r b` ...): deeper than this is not written. */
const MAX_INCLUDE_ROUNDS = 32;
/** Formats whose files may name other files: `-r`/`-c` (a conda `pip:` list too), setup.cfg `file:`. */
const INCLUDING_FORMATS = new Set(["requirements", "conda", "setup-cfg"]);

/**
 * Write the head commit's lockfiles into a fresh directory laid out like the workspace, so the
 * scan reads the head exactly as a checkout would show it: every file the scan would pick up by
 * its name, the `named` scan paths (relative to the repository root), and every file those
 * `-r`/`-c` (whatever its name, as pip follows it). Only regular blobs are written; links and
 * submodules are skipped. `problem` says what could not be written: the caller must not report
 * a partial tree as the pull request.
 */
export async function materializeHead(input: {
  exec: GitExec;
  repoRoot: string;
  /** The repository's folder relative to the workspace ("" when they are the same). */
  repoInWorkspace: string;
  head: string;
  named: string[];
  tempDir?: string;
  /** At most this many files (default 5000). */
  maxFiles?: number;
}): Promise<{ root: string; files: number; problem?: string }> {
  const { exec, repoRoot, head } = input;
  const maxFiles = input.maxFiles ?? MAX_TREE_FILES;
  const root = await mkdtemp(join(input.tempDir ?? tmpdir(), "mdg-head-"));
  const list = await exec(["ls-tree", "-r", "-z", "--full-tree", head], repoRoot).catch(
    () => undefined,
  );
  if (list?.code !== 0)
    return { root, files: 0, problem: `git ls-tree ${head.slice(0, 12)} failed` };
  const named = new Set(input.named.map((p) => posix.normalize(p).replace(/^\.\//, "")));
  const blobs = new Map<string, string>();
  /** Symbolic links (mode 120000): written as links, as a checkout writes them. */
  const links = new Map<string, string>();
  for (const entry of list.stdout.split("\0")) {
    const m = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!m || m[2] !== "blob") continue;
    const path = m[4]!;
    if (path.split("/").some((s) => s === ".." || s === "." || s === "" || s === ".git")) continue;
    if (m[1] === "100644" || m[1] === "100755") blobs.set(path, m[3]!);
    else if (m[1] === "120000") links.set(path, m[3]!);
  }
  const texts = new Map<string, string>();
  /** Each link written, and the path inside the tree it points at (undefined: outside). */
  const linked = new Map<string, string | undefined>();
  let bytes = 0;
  const read = async (sha: string) => {
    const blob = await exec(["cat-file", "blob", sha], repoRoot).catch(() => undefined);
    return blob?.code === 0 ? blob.stdout : undefined;
  };
  const write = async (paths: readonly string[]): Promise<string | undefined> => {
    const queue = [...paths];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      if (texts.has(path) || linked.has(path)) continue;
      if (texts.size + linked.size >= maxFiles || bytes >= MAX_TREE_BYTES)
        return `the head tree has more lockfiles than the ${maxFiles} files (${MAX_TREE_BYTES / 1024 / 1024} MiB) read`;
      const text = await read((blobs.get(path) ?? links.get(path))!);
      if (text === undefined) return `git could not read ${path} of the head commit`;
      const target = join(root, input.repoInWorkspace, ...path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      if (links.has(path)) {
        // The link as it is (the scan's walk follows it inside the tree, and refuses it, with
        // an error that counts, when it leaves), and the file it names inside the tree.
        if (text.includes("\0"))
          return `${path} of the head commit is a link with an unreadable target`;
        await symlink(text, target);
        const to = linkTarget(path, text);
        linked.set(path, to);
        if (to !== undefined && (blobs.has(to) || links.has(to))) queue.push(to);
        continue;
      }
      await writeFile(target, text);
      texts.set(path, text);
      bytes += text.length;
    }
    return undefined;
  };
  /** A path's text, through the links written for it. */
  const textOf = (path: string): string | undefined => {
    let current: string | undefined = path;
    for (let hop = 0; current !== undefined && hop <= 8; hop++) {
      if (texts.has(current)) return texts.get(current);
      current = linked.get(current);
    }
    return undefined;
  };
  // What the scan's walk would pick up: lockfile names outside the folders it never enters.
  const walked = (p: string) =>
    detectFormat(p) !== undefined &&
    !p.split("/").some((segment) => SKIPPED_DIRECTORIES.has(segment));
  const first = [...blobs.keys(), ...links.keys()].filter((p) => named.has(p) || walked(p)).sort();
  let problem = await write(first);
  // Includes, level by level: each round parses the files that may include others, with the
  // texts written so far, and writes the targets they name that the tree holds.
  const including = first.filter((p) => {
    const text = textOf(p);
    return text !== undefined && INCLUDING_FORMATS.has(detectFormat(p, text) ?? "");
  });
  for (let round = 0; problem === undefined && round < MAX_INCLUDE_ROUNDS; round++) {
    const next = new Set<string>();
    for (const path of including)
      parseLockfileText(path, textOf(path)!, (target) => {
        const known = textOf(target);
        if (known === undefined && (blobs.has(target) || links.has(target))) next.add(target);
        return known;
      });
    if (next.size === 0) break;
    problem = await write([...next].sort());
  }
  await mkdir(join(root, input.repoInWorkspace), { recursive: true });
  return { root, files: texts.size + linked.size, ...(problem ? { problem } : {}) };
}
