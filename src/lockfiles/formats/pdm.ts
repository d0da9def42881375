// pdm.lock (2020 `sections`, lock 3.x/4.x `groups`, `[metadata.files]`): `[[package]]` tables.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString } from "../shared/decode.js";
import { readTomlPackages } from "../shared/toml-packages.js";

export const format: LockfileFormat = "pdm";

export function matches(path: string): boolean {
  return baseName(path) === "pdm.lock";
}

function entryKind(pkg: Record<string, unknown>): DependencyKind {
  if (typeof pkg.git === "string" || typeof pkg.hg === "string" || typeof pkg.svn === "string")
    return "vcs";
  if (typeof pkg.url === "string") return "url";
  if (typeof pkg.path === "string") return pkg.editable === true ? "editable" : "path";
  return "pypi";
}

export function parse(text: string, file: string): ParseResult {
  // Extras variants are written `name[extra]`; the project is the part before the bracket.
  const { packages, errors } = readTomlPackages(text, file, "package", (raw) =>
    raw.replace(/\[.*$/, ""),
  );
  const dependencies: Dependency[] = packages.map(({ table: pkg, name, line }) =>
    makeDependency(
      { name, version: asString(pkg.version), file, line, kind: entryKind(pkg) },
      format,
    ),
  );
  return { dependencies, errors };
}
