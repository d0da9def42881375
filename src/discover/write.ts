// Writing a file whole: to a temporary file beside it, then renamed over it, so that a reader
// (or the next run) never finds half a report or half a cache, and a write that fails leaves the
// old file as it was. What cannot be replaced is written to directly: a path that is not a
// regular file (a device, a pipe) and a symbolic link (`/dev/stdout` is one: replacing what it
// points at would unlink the file a shell redirected standard output to).
import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * Write `text` to `file` whole (parent folders made). A new file gets `mode`; a file replaced
 * keeps its own. Throws what the file system said.
 */
export async function writeWhole(file: string, text: string, mode = 0o644): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const link = await lstat(target).catch(() => undefined);
  if (link?.isSymbolicLink() || (link && !link.isFile())) {
    await writeFile(target, text);
    return;
  }
  const keep = link ? (await stat(target)).mode & 0o7777 : undefined;
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
