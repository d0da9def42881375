// Pull-request mode: which dependencies did the change add or re-pin? Each lockfile the scan
// read at the head is read again at the base commit with `git show`, parsed with the same
// parsers, and compared by package name and pinned version.
import { posix } from "node:path";
import { parseLockfileText } from "../discover/discover.js";
import type { OnlyChanged } from "../options/options.js";
import type { Dependency, DependencySet, Finding } from "../types.js";
import { field } from "./event.js";
import { indexIdentity } from "../words.js";

/** Runs git with these arguments in `cwd` (no shell); never throws for a non-zero exit. */
export type GitExec = (
  args: string[],
  cwd: string,
) => Promise<{ code: number; stdout: string; stderr: string }>;

/**
 * Events whose payload names a base and a head commit. A review or a review comment runs on the
 * pull request's test merge like `pull_request`: the same rules judge it.
 */
export const PULL_REQUEST_EVENTS = [
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "merge_group",
] as const;

/** Whether the event is about a change (its payload names a base and a head commit). */
export function isPullRequestEvent(eventName: string | undefined): boolean {
  return (PULL_REQUEST_EVENTS as readonly string[]).includes(eventName ?? "");
}

export type EventMode =
  | { mode: "pull-request"; event: string; base: string; head: string; number?: number }
  | { mode: "full"; event: string; problem?: string };

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/**
 * Decide how this run compares commits. Pull-request events need a base and a head sha from the
 * payload; every other event is a full scan and never needs a base.
 */
export function readEventMode(eventName: string | undefined, payload: unknown): EventMode {
  const event = eventName ?? "";
  if (!isPullRequestEvent(event)) return { mode: "full", event };
  const base =
    event === "merge_group"
      ? field(payload, "merge_group", "base_sha")
      : field(payload, "pull_request", "base", "sha");
  const head =
    event === "merge_group"
      ? field(payload, "merge_group", "head_sha")
      : field(payload, "pull_request", "head", "sha");
  if (typeof base !== "string" || !SHA.test(base) || typeof head !== "string" || !SHA.test(head)) {
    return {
      mode: "full",
      event,
      problem: `the ${event} event payload does not name a base and a head commit; every dependency is treated as introduced`,
    };
  }
  const number = field(payload, "pull_request", "number");
  return {
    mode: "pull-request",
    event,
    base: base.toLowerCase(),
    head: head.toLowerCase(),
    ...(typeof number === "number" && Number.isInteger(number) ? { number } : {}),
  };
}

/** `only-changed`: auto is on for pull-request events; true/false force it. */
export function isOnlyChanged(option: OnlyChanged, eventName: string | undefined): boolean {
  if (option === "true") return true;
  if (option === "false") return false;
  return isPullRequestEvent(eventName);
}

export interface BaseComparison {
  base: string;
  head: string;
  /** PR mode's answer for one finding: did the change add or re-pin its package in its file? */
  /** `line` finds the head pin's index (a finding has it); without it the pin is taken as from PyPI. */
  introduced: (
    finding: Pick<Finding, "file" | "package" | "version"> & { line?: number },
  ) => boolean;
  /** Whether the base commit could be read at all. */
  baseAvailable: boolean;
  /** Said once in the report and as a warning: why the base is missing. */
  note?: string;
  /** Lines for the log (what was fetched, which files were new). */
  log: string[];
  /** How many head dependencies the change introduced, and how many were already there. */
  counts: { introduced: number; unchanged: number };
}

/** `git show` output larger than this is refused (the lockfile size cap is 20 MB). */
export const GIT_BUFFER_LIMIT = 25 * 1024 * 1024;
/** Include chains deeper than this at the base are not followed further. */
const MAX_INCLUDE_PASSES = 8;

/** Symbolic links followed inside a commit before giving up (a loop, or a chain too long). */
const MAX_LINK_HOPS = 8;

/** Where a symbolic link at `from` points inside the tree, or undefined when it leaves it. */
export function linkTarget(from: string, target: string): string | undefined {
  if (target === "" || target.includes("\0") || posix.isAbsolute(target)) return undefined;
  return insideRoot(posix.join(posix.dirname(from), target));
}

/**
 * A file's text at a commit as a checkout shows it: a symbolic link inside the tree is followed
 * (as pip and the scan's walk follow it on disk); one that leaves the tree, loops, or names no
 * file is undefined. Paths are literal (never pathspecs).
 */
export async function readCommitFile(
  exec: GitExec,
  cwd: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  let current: string | undefined = path;
  for (let hop = 0; current !== undefined && hop <= MAX_LINK_HOPS; hop++) {
    const entry = await exec(
      ["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", current],
      cwd,
    ).catch(() => undefined);
    const m = entry?.code === 0 ? /^(\d{6}) blob ([0-9a-f]+)\t([^\0]*)/.exec(entry.stdout) : null;
    if (!m || m[3] !== current) return undefined;
    const blob = await exec(["cat-file", "blob", m[2]!], cwd).catch(() => undefined);
    if (blob?.code !== 0) return undefined;
    if (m[1] !== "120000") return blob.stdout;
    current = linkTarget(current, blob.stdout);
  }
  return undefined;
}

/**
 * The paths (repository-relative) a pull request changes: from the merge base of `base` and
 * `head` to `head` when the history has it, else between the two commits; undefined when git
 * cannot say (then every path must be taken as changed).
 */
export async function changedPaths(
  exec: GitExec,
  cwd: string,
  base: string,
  head: string,
): Promise<Set<string> | undefined> {
  for (const range of [[`${base}...${head}`], [base, head]]) {
    const r = await exec(["diff", "--name-only", "-z", "--no-renames", ...range, "--"], cwd).catch(
      () => undefined,
    );
    if (r?.code === 0) return new Set(r.stdout.split("\0").filter(Boolean));
  }
  return undefined;
}

async function hasCommit(exec: GitExec, cwd: string, sha: string): Promise<boolean> {
  const result = await exec(["cat-file", "-e", `${sha}^{commit}`], cwd);
  return result.code === 0;
}

/** A relative, `/`-separated path inside the root, or undefined when it would leave it. */
function insideRoot(path: string): string | undefined {
  const normal = posix.normalize(path.replace(/\\/g, "/"));
  if (
    normal.startsWith("../") ||
    normal === ".." ||
    posix.isAbsolute(normal) ||
    normal.includes("\0")
  )
    return undefined;
  return normal.replace(/^\.\//, "");
}

type BaseIndex = Map<string, Map<string, Set<string>>>;

/**
 * A pin as the comparison sees it: its version and the index it comes from. The same name and
 * version from another index is another project (a private pin moved to PyPI is the
 * dependency-confusion case): introduced, not already present.
 */
function versionKey(version: string | undefined, index: string | undefined): string {
  return `${index === undefined ? "" : indexIdentity(index)}\n${version ?? ""}`;
}

function addToIndex(index: BaseIndex, dep: Dependency): void {
  let names = index.get(dep.file);
  if (!names) index.set(dep.file, (names = new Map()));
  let versions = names.get(dep.name);
  if (!versions) names.set(dep.name, (versions = new Set()));
  versions.add(versionKey(dep.version, dep.index));
}

/**
 * Files renamed between the base commit and the working tree (or the commit `against`, when the
 * scanned files are not the working tree's): new path -> old path, both relative to `cwd`.
 * Empty when git cannot say (the comparison then treats the file as new).
 */
async function findRenames(
  exec: GitExec,
  cwd: string,
  base: string,
  against: string | undefined,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const result = await exec(
    [
      "diff",
      "--no-ext-diff",
      "--no-color",
      "--relative",
      "--name-status",
      "-z",
      "--find-renames",
      "--diff-filter=R",
      base,
      ...(against !== undefined ? [against] : []),
      "--",
    ],
    cwd,
  ).catch(() => undefined);
  if (!result || result.code !== 0) return renames;
  // -z: "R<score>\0<old>\0<new>\0" per rename.
  const fields = result.stdout.split("\0");
  for (let i = 0; i + 2 < fields.length; i += 3) {
    if (!fields[i]!.startsWith("R")) break;
    const from = insideRoot(fields[i + 1]!);
    const to = insideRoot(fields[i + 2]!);
    if (from !== undefined && to !== undefined) renames.set(to, from);
  }
  return renames;
}

/**
 * Read every lockfile of the head scan at the base commit and build the `introduced` predicate.
 * `cwd` is the repository root; `repoPath` turns a file of the scan (relative to the scan root)
 * into its path in the repository (default: the same path). Blobs are read with
 * `git cat-file blob <base>:<path>`, so `[`, `*` or `?` in a name is never a pathspec. A missing
 * base commit is fetched once (the fetch goes to the log); when it still cannot be read, every
 * dependency counts as introduced and `note` says so. Never throws for git failures.
 */
export async function compareWithBase(input: {
  set: DependencySet;
  base: string;
  head: string;
  exec: GitExec;
  cwd: string;
  repoPath?: (file: string) => string | undefined;
  /** The scanned files are this commit's, not the working tree's (a head read as blobs). */
  scannedCommit?: string;
}): Promise<BaseComparison> {
  const { set, base, head, exec, cwd } = input;
  const log: string[] = [];
  const everything = (note: string): BaseComparison => ({
    base,
    head,
    introduced: () => true,
    baseAvailable: false,
    note,
    log,
    counts: { introduced: set.dependencies.length, unchanged: 0 },
  });

  let available = await hasCommit(exec, cwd, base).catch(() => false);
  if (!available) {
    const fetched = await exec(
      ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", base],
      cwd,
    ).catch((error: unknown) => ({
      code: 1,
      stdout: "",
      stderr: (error as Error).message,
    }));
    available = fetched.code === 0 && (await hasCommit(exec, cwd, base).catch(() => false));
    if (available) {
      log.push(
        `the base commit ${base.slice(0, 12)} was not in the checkout; fetched it from origin`,
      );
    } else {
      const why = fetched.stderr.trim().split("\n").pop() ?? "";
      log.push(`git fetch of the base commit failed${why ? `: ${why}` : ""}`);
      return everything(
        `could not read the base commit ${base.slice(0, 12)}; every dependency is treated as introduced (check out with fetch-depth: 0 or 2, and give the action a github-token that can read the repository)`,
      );
    }
  }

  const toRepo = input.repoPath ?? ((file: string) => file);
  const show = async (file: string): Promise<string | undefined> => {
    const inRepo = toRepo(file);
    if (inRepo === undefined) return undefined;
    return readCommitFile(exec, cwd, base, inRepo);
  };

  // Renamed lockfiles are read at their old path, so that moving a file re-pins nothing.
  let renames: Map<string, string> | undefined;
  const renamedFrom = async (path: string): Promise<string | undefined> => {
    renames ??= await findRenames(exec, cwd, base, input.scannedCommit);
    const inRepo = toRepo(path);
    const from = inRepo === undefined ? undefined : renames.get(inRepo);
    if (from === undefined) return undefined;
    // Back to a scan path: the repository's folder in the scan root is the same for both names.
    const prefix = path.slice(0, path.length - (inRepo ?? "").length);
    return `${prefix}${from}`;
  };

  const index: BaseIndex = new Map();
  const filesAtBase = new Set<string>();
  // Files that pin nothing themselves but include others come first (`-i corp` then `-r
  // common.txt`): read at the base with their includes, the included pins get the includer's
  // index there too, as in the head scan, and are not read again on their own.
  const pinning = [...new Set(set.dependencies.map((d) => d.file))].sort();
  const includers = set.lockfiles
    .map((l) => l.path)
    .filter((path) => !pinning.includes(path))
    .sort();
  const headFiles = [...new Set([...includers, ...pinning])];
  for (const file of headFiles) {
    if (filesAtBase.has(file)) continue;
    const headPath = insideRoot(file);
    if (!headPath) continue;
    let path = headPath;
    let text = await show(path);
    if (text === undefined) {
      const from = await renamedFrom(headPath);
      const fromText = from !== undefined ? await show(from) : undefined;
      if (from === undefined || fromText === undefined) {
        log.push(`${file} is new in this change (not at the base commit)`);
        continue;
      }
      log.push(`${file} was renamed from ${from}; compared with ${from} at the base commit`);
      path = from;
      text = fromText;
    }
    filesAtBase.add(file);
    // Includes (`-r other.txt`) are read at the base too; the parser hands over their path
    // already resolved against the including file, relative to the root.
    const includes = new Map<string, string | undefined>();
    const tried = new Set<string>();
    for (let pass = 0; pass < MAX_INCLUDE_PASSES; pass++) {
      const result = parseLockfileText(path, text, (target) => {
        const resolved = insideRoot(target);
        if (!resolved) return undefined;
        if (!includes.has(resolved)) includes.set(resolved, undefined);
        return includes.get(resolved);
      });
      // Each pass learns which includes are wanted; they are read, then the file is parsed again
      // (the parser is pure and synchronous, git is not). Targets already tried are not re-read.
      const wanted = [...includes.keys()].filter((k) => !tried.has(k));
      if (wanted.length > 0 && pass < MAX_INCLUDE_PASSES - 1) {
        for (const target of wanted) {
          tried.add(target);
          includes.set(target, await show(target));
        }
        continue;
      }
      for (const dep of result.dependencies) {
        addToIndex(index, { ...dep, file: dep.file === path ? file : dep.file });
        filesAtBase.add(dep.file === path ? file : dep.file);
      }
      break;
    }
  }

  // The index of each head pin, by where it stands (a finding names its file and line).
  const headIndex = new Map<string, string | undefined>();
  // By line, file and name: a minified lockfile holds every package on line 1.
  const at = (line: number | undefined, file: string, name: string) => `${line}:${name}:${file}`;
  for (const dep of set.dependencies) headIndex.set(at(dep.line, dep.file, dep.name), dep.index);
  const introduced = (
    f: Pick<Finding, "file" | "package" | "version"> & { line?: number },
  ): boolean => {
    if (!filesAtBase.has(f.file)) return true;
    const versions = index.get(f.file)?.get(f.package);
    if (!versions) return true;
    return !versions.has(versionKey(f.version, headIndex.get(at(f.line, f.file, f.package))));
  };
  let added = 0;
  for (const dep of set.dependencies) {
    if (introduced({ file: dep.file, package: dep.name, version: dep.version, line: dep.line }))
      added++;
  }
  return {
    base,
    head,
    introduced,
    baseAvailable: true,
    log,
    counts: { introduced: added, unchanged: set.dependencies.length - added },
  };
}
