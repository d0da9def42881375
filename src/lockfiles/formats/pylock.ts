// pylock.toml and pylock.<name>.toml (PEP 751): `[[packages]]`, as array of tables or inline tables.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import { readTomlPackages } from "../shared/toml-packages.js";

export const format: LockfileFormat = "pylock";

export function matches(path: string): boolean {
  return /^pylock\.([^.\\/]+\.)?toml$/.test(baseName(path));
}

function entryKind(pkg: Record<string, unknown>): DependencyKind {
  if (isRecord(pkg.vcs)) return "vcs";
  if (isRecord(pkg.directory)) return pkg.directory.editable === true ? "editable" : "path";
  if (isRecord(pkg.archive)) return typeof pkg.archive.url === "string" ? "url" : "path";
  return "pypi";
}

export function parse(text: string, file: string): ParseResult {
  const { packages, errors } = readTomlPackages(text, file, "packages");
  const dependencies: Dependency[] = packages.map(({ table: pkg, name, line }) => {
    const kind = entryKind(pkg);
    const index = kind === "pypi" ? recordedIndex(pkg.index) : undefined;
    return makeDependency(
      { name, version: asString(pkg.version), file, line, kind, index },
      format,
    );
  });
  return { dependencies, errors };
}
