// Walking a scanned folder: which entries are lockfiles, which folders are never entered, how
// deep the walk goes, and symbolic links (followed only inside the scanned root, loops ended).
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ParseError } from "../types.js";
import { formatByName } from "../lockfiles/detect.js";
import { isInside, linkOutsideRoot } from "./confine.js";
import { describeError } from "./read.js";

/** Directory names never descended into. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
  ".venv",
  "venv",
  "env",
  "site-packages",
  "__pycache__",
  ".tox",
  ".nox",
]);

/** Directories deeper than this below a scan root are not walked. */
export const MAX_WALK_DEPTH = 32;

/** Whether a walk picks up a file of this name (a lockfile, requirements file or manifest). */
export function isLockfileName(path: string): boolean {
  return formatByName(path) !== undefined;
}

/** A file the walk found: where it is, its real path, and how the output names it. */
export interface FoundFile {
  absolute: string;
  real: string;
  display: string;
}

/** What a walk yields, in order: a file to read, or a problem met on the way. */
export type WalkItem = { file: FoundFile } | { error: ParseError };

export interface WalkScope {
  /** Real path of the scan root, which no symbolic link may leave. */
  scanRoot: string;
  /** How the output names a path below the scan root. */
  display(absolute: string): string;
  /** Real paths of the directories already walked; shared across scan roots, it ends loops. */
  visited: Set<string>;
}

function unreadable(file: string, error: unknown): { error: ParseError } {
  return { error: { file, code: "unreadable", message: `cannot read: ${describeError(error)}` } };
}

/**
 * Walks `directory` (`depth` levels below the scan root): files of this folder first, in name
 * order, then each subfolder. Lazy, so a caller that reads each file before asking for the next
 * item sees the tree in exactly that order.
 */
export async function* walkDirectory(
  directory: string,
  scope: WalkScope,
  depth = 0,
): AsyncGenerator<WalkItem, void, undefined> {
  let real: string;
  try {
    real = await realpath(directory);
  } catch (error) {
    yield unreadable(scope.display(directory), error);
    return;
  }
  if (scope.visited.has(real)) return; // symlink loops end here
  if (depth > MAX_WALK_DEPTH) {
    // Not looked at: said, and counted as a place not read, never silently left out.
    yield {
      error: {
        file: scope.display(directory),
        code: "too-deep",
        message: `not walked: more than ${MAX_WALK_DEPTH} folders below the scanned folder; name the lockfiles in it directly`,
      },
    };
    return;
  }
  scope.visited.add(real);
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    yield unreadable(scope.display(directory), error);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirectories: string[] = [];
  for (const entry of entries) {
    const absolute = join(directory, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const display = scope.display(absolute);
      let target: string;
      let targetInfo;
      try {
        target = await realpath(absolute);
        targetInfo = await stat(target);
      } catch (error) {
        // A dangling link or a loop: nothing to read, which matters only for a lockfile's name.
        if (isLockfileName(absolute))
          yield {
            error: {
              file: display,
              code: "broken-link",
              message: `cannot read: a symbolic link to nothing readable (${describeError(error)})`,
            },
          };
        continue;
      }
      isDirectory = targetInfo.isDirectory();
      isFile = targetInfo.isFile();
      const claimed = isDirectory || isLockfileName(absolute);
      if (!claimed) continue;
      if (!isInside(scope.scanRoot, target)) {
        yield { error: linkOutsideRoot(display) };
        continue;
      }
    }
    if (isDirectory) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) subdirectories.push(absolute);
    } else if (!isFile) {
      // A FIFO, socket or device under a lockfile's name: not opened (it could block), but said.
      if (isLockfileName(absolute))
        yield {
          error: {
            file: scope.display(absolute),
            code: "unreadable",
            message: "cannot read: not a regular file",
          },
        };
    } else {
      const display = scope.display(absolute);
      // By where the file is, not how it is shown: `requirements/*.txt` holds from inside too.
      if (!isLockfileName(absolute)) continue;
      let realFile: string;
      try {
        realFile = await realpath(absolute);
      } catch (error) {
        yield unreadable(display, error);
        continue;
      }
      yield { file: { absolute, real: realFile, display } };
    }
  }
  for (const sub of subdirectories) yield* walkDirectory(sub, scope, depth + 1);
}
