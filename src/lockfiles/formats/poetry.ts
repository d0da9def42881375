// poetry.lock (pre-1.0, 1.x and 2.x): `[[package]]` tables, `[package.source]` for non-index sources.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import { readTomlPackages } from "../shared/toml-packages.js";

export const format: LockfileFormat = "poetry";

export function matches(path: string): boolean {
  return baseName(path) === "poetry.lock";
}

function sourceKind(source: Record<string, unknown>, develop: boolean): DependencyKind {
  switch (asString(source.type)) {
    case "git":
    case "hg":
    case "svn":
    case "bzr":
      return "vcs";
    case "url":
      return "url";
    case "directory":
      return develop ? "editable" : "path";
    case "file":
      return "path";
    default:
      return "pypi";
  }
}

export function parse(text: string, file: string): ParseResult {
  const { packages, errors } = readTomlPackages(text, file, "package");
  const dependencies: Dependency[] = packages.map(({ table: pkg, name, line }) => {
    const source = isRecord(pkg.source) ? pkg.source : undefined;
    const kind = source ? sourceKind(source, pkg.develop === true) : "pypi";
    // `legacy` (and `pypi`-typed mirrors) sources: the index the package was locked from.
    const index = source && kind === "pypi" ? recordedIndex(source.url) : undefined;
    return makeDependency(
      { name, version: asString(pkg.version), file, line, kind, index },
      format,
    );
  });
  return { dependencies, errors };
}
