// How output names a file: relative to the working directory, `/`-separated on every platform.
// A file outside it is `../a/poetry.lock` when it is near, else absolute: never its base name
// alone, so two same-named files in two folders are never merged into one entry.
import { isAbsolute, relative, sep } from "node:path";

/** Outside the working directory, at most this many `..` steps before a path is shown absolute. */
const MAX_PARENT_STEPS = 2;

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * `absolute` relative to `cwd`; outside `cwd`, relative with up to two `..` steps, else the
 * absolute path. (`_argumentRoot`, the argument that named the file, no longer shortens it.)
 */
export function displayPath(cwd: string, absolute: string, _argumentRoot?: string): string {
  const rel = relative(cwd, absolute);
  if (rel === "") return toPosix(absolute);
  if (isAbsolute(rel)) return toPosix(absolute);
  const steps = rel.split(sep).filter((s) => s === "..").length;
  if (steps === 0 || steps <= MAX_PARENT_STEPS) return toPosix(rel);
  return toPosix(absolute);
}
