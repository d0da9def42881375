// The rules that keep a scan inside the folder it was asked to read: a symbolic link or a
// `-r`/`-c` target that leaves the scanned root is refused, and an include that is a URL is not
// followed. The same include rules hold on disk and inside a git commit.
import { existsSync, lstatSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, posix, relative, resolve, sep } from "node:path";
import type { ParseError } from "../types.js";
import { preview } from "../lockfiles/shared/pep508.js";
import { describeError, type IncludeRefusal } from "./read.js";

/** The root a scan may not leave, in both spellings. */
export interface ScanRoots {
  /** The scan root as the user named it (absolute, symlinks unresolved). */
  lexicalRoot: string;
  /** Real path of the scan root. */
  scanRoot: string;
}

/** True when `path` is `root` or below it (both absolute, compared as written). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** The error for a symbolic link (or a named file's real path) that leaves the scanned root. */
export function linkOutsideRoot(file: string): ParseError {
  return {
    file,
    code: "symlink-outside-root",
    message: "refused: symbolic link resolves outside the scanned folder",
  };
}

/** An include target as messages quote it. */
export function shownTarget(target: string): string {
  return preview(target, 200);
}

/** Refuses a `-r`/`-c` target written as a URL: only local files are read. */
export function remoteInclude(target: string): IncludeRefusal | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) return undefined;
  return {
    code: "include-remote",
    error: `not followed: ${shownTarget(target)} is a URL (only local files are read)`,
  };
}

function outsideRoot(target: string, verb: "is" | "resolves"): IncludeRefusal {
  return {
    code: "include-outside-root",
    error: `refused: ${shownTarget(target)} ${verb} outside the scanned folder`,
  };
}

/**
 * Where a `-r`/`-c` target written in the file at `from` (absolute) lives on disk, or why it is
 * not read. Checked lexically first, so nothing outside the root is even looked at, then again
 * after resolving symbolic links.
 */
export function confineDiskInclude(
  from: string,
  target: string,
  roots: ScanRoots,
): { absolute: string; real: string } | IncludeRefusal {
  const remote = remoteInclude(target);
  if (remote) return remote;
  const absolute = resolve(dirname(from), target);
  if (!isInside(roots.lexicalRoot, absolute)) return outsideRoot(target, "is");
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    return {
      code: "include-missing",
      error: `cannot read included file ${shownTarget(target)}: ${describeError(error)}`,
    };
  }
  if (!isInside(roots.scanRoot, real)) return outsideRoot(target, "resolves");
  return { absolute, real };
}

/**
 * The `/`-separated path, relative to the commit's root, of a `-r`/`-c` target written in
 * `fromFile` (itself such a path), or why it is not read.
 */
export function confineCommitInclude(
  fromFile: string,
  target: string,
): { file: string } | IncludeRefusal {
  const remote = remoteInclude(target);
  if (remote) return remote;
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), target.replace(/\\/g, "/")));
  if (joined.startsWith("../") || joined === ".." || posix.isAbsolute(joined)) {
    return outsideRoot(target, "is");
  }
  return { file: joined };
}

/**
 * Why a file that a config file named may not be written at `path` (relative to `root`), or
 * undefined when it may: it must stay inside `root` once links are resolved (the folders that
 * exist on the way, followed), and must not itself be a symbolic link. A repository cannot then
 * aim a write at another place through a link it commits.
 */
export function writeRefusal(root: string, path: string): string | undefined {
  const target = resolve(root, path);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return "the working directory cannot be resolved";
  }
  let existing = dirname(target);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  let realParent: string;
  try {
    realParent = realpathSync(existing);
  } catch {
    return `${existing} cannot be resolved`;
  }
  if (!isInside(realRoot, realParent))
    return "a folder on its way is a symbolic link that leaves the working directory";
  try {
    if (lstatSync(target).isSymbolicLink()) return "it is a symbolic link";
  } catch {
    // Not there yet: it is created inside.
  }
  return undefined;
}
