// Writing a file whole: to a temporary file beside it, then renamed over it, so that a reader
// (or the next run) never finds half a report or half a cache, and a write that fails leaves the
// old file as it was. A path that is not a regular file (a device, a pipe, /dev/stdout) is
// written to directly, as it cannot be replaced.
import { randomBytes } from "node:crypto";
import { mkdir, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Write `text` to `file` whole (parent folders made). Throws what the file system said. */
export async function writeWhole(file: string, text: string, mode = 0o644): Promise<void> {
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  // A link is followed to its file, which is replaced; the link stays.
  const real = await realpath(target).catch(() => target);
  const info = await stat(real).catch(() => undefined);
  if (info && !info.isFile()) {
    await writeFile(real, text);
    return;
  }
  const temp = `${real}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode });
    await rename(temp, real);
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
