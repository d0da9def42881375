// How output names a file: relative to the working directory, `/`-separated on every platform.
import { isAbsolute, relative, sep } from "node:path";

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * `absolute` relative to `cwd`; outside `cwd`, relative to the argument (`argumentRoot`) that
 * named it, or absolute when it is that argument itself.
 */
export function displayPath(cwd: string, absolute: string, argumentRoot: string): string {
  const rel = relative(cwd, absolute);
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return toPosix(rel);
  const fromArg = relative(argumentRoot, absolute);
  return toPosix(fromArg === "" ? absolute : fromArg);
}
