// uv.lock (and uv script locks such as `x.py.lock`): `[[package]]` with a `source` inline table.
// The project itself and workspace members (editable/virtual/directory/path sources) come out
// with kind `editable` or `path`, so `deps` shows them; they are never looked up on the index.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import { readTomlPackages } from "../shared/toml-packages.js";

export const format: LockfileFormat = "uv";

export function matches(path: string): boolean {
  return baseName(path) === "uv.lock";
}

function sourceKind(source: Record<string, unknown>): { kind: DependencyKind; index?: string } {
  if (typeof source.registry === "string") {
    // A package from any registry but PyPI records it in `index`.
    const index = recordedIndex(source.registry);
    return index === undefined ? { kind: "pypi" } : { kind: "pypi", index };
  }
  if ("git" in source) return { kind: "vcs" };
  if ("url" in source) return { kind: "url" };
  if ("editable" in source) return { kind: "editable" };
  return { kind: "path" }; // virtual, workspace, directory, path
}

export function parse(text: string, file: string): ParseResult {
  const { packages, errors } = readTomlPackages(text, file, "package");
  const dependencies: Dependency[] = packages.map(({ table: pkg, name, line }) => {
    // A package without a source is a registry package in the oldest lock versions.
    const { kind, index } = isRecord(pkg.source)
      ? sourceKind(pkg.source)
      : { kind: "pypi" as const, index: undefined };
    return makeDependency(
      { name, version: asString(pkg.version), file, line, kind, index },
      format,
    );
  });
  return { dependencies, errors };
}
