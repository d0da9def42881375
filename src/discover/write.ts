// Writing a file whole: to a temporary file beside it, then renamed over it, so that a reader
// (or the next run) never finds half a report or half a cache, and a write that fails leaves the
// old file as it was. A symbolic link stays a link: the file it points at is the one replaced.
// What cannot be replaced is written to directly: a path that is not a regular file (a device,
// a pipe), a link that does not lead to one, and a link into /proc or /dev/fd (`/dev/stdout`:
// replacing what it points at would unlink the file a shell redirected the stream to).
import { randomBytes } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, isAbsolute, resolve } from "node:path";

/**
 * Write `text` to `file` whole (parent folders made). A new file gets `mode`; a file replaced
 * keeps its own. Throws what the file system said.
 */
export async function writeWhole(file: string, text: string, mode = 0o644): Promise<void> {
  const asked = resolve(file);
  await mkdir(dirname(asked), { recursive: true });
  const target = await replaceable(asked);
  if (target === undefined) {
    await writeFile(asked, text);
    return;
  }
  const existing = await stat(target).catch(() => undefined);
  const keep = existing ? existing.mode & 0o7777 : undefined;
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode: keep ?? mode });
    if (keep !== undefined) await chmod(temp, keep);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * The regular file (or the new one) a write to `path` replaces; undefined when it must be written
 * to as it is (see the head of this file).
 */
async function replaceable(path: string): Promise<string | undefined> {
  if (await reachesProcOrDev(path)) return undefined;
  const info = await lstat(path).catch(() => undefined);
  if (!info || info.isFile()) return path;
  if (!info.isSymbolicLink()) return undefined;
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return undefined; // dangling: the write makes the file it names
  return (await stat(real)).isFile() ? real : undefined;
}

const PROC_OR_DEV = /^\/(proc|dev)(\/|$)/;

/**
 * Whether `path`, followed link by link (its folders through their real paths), passes through
 * /proc or /dev: `/dev/stdout`, `/dev/fd/3`, or a link (or a folder link) to one of them, whose
 * real path would be the file a shell sent the stream to.
 */
async function reachesProcOrDev(path: string): Promise<boolean> {
  let current = path;
  for (let hop = 0; hop < 40; hop++) {
    const folder = await realpath(dirname(current)).catch(() => dirname(current));
    if (PROC_OR_DEV.test(folder)) return true;
    const here = resolve(folder, basename(current));
    const info = await lstat(here).catch(() => undefined);
    if (!info?.isSymbolicLink()) return false;
    // Its folder is judged at the next hop, by real path: `/proc/self/cwd/x` is a plain file.
    current = linkTextTarget(folder, await readlink(here));
  }
  return true; // a chain this long is not replaced
}

/**
 * Where a link's text points, as the kernel reads it: from the link's (real) folder, with `..`
 * left for the next real-path step to apply after the links before it (`d/../fd`, with `d` a
 * link, is not `fd`).
 */
export function linkTextTarget(realFolder: string, text: string): string {
  return isAbsolute(text) ? text : `${realFolder}/${text}`;
}

/** Why a write failed, in words, from its error code; what to do is the caller's to say. */
export function writeFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOTDIR":
    case "EEXIST":
      return `a part of the path is a file, not a folder (${code})`;
    case "EISDIR":
      return "it is a folder (EISDIR)";
    case "EACCES":
    case "EPERM":
      return `permission denied (${code})`;
    case "EROFS":
      return "the file system is read-only (EROFS)";
    case "ENOSPC":
      return "no space left on the device (ENOSPC)";
    case "EFBIG":
      return "the file would be larger than allowed (EFBIG)";
    case "ENAMETOOLONG":
      return "the path is too long (ENAMETOOLONG)";
    default:
      return code ?? (error as Error).message;
  }
}
