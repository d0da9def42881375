// poetry.lock (pre-1.0, 1.x and 2.x): `[[package]]` tables, `[package.source]` for non-index sources.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../types.js";
import { baseName, makeDependency } from "./context.js";
import { asString, decodeToml, isRecord } from "./decode.js";
import { tomlPackageLines } from "./lines.js";
import { isValidName, normalizeName, preview } from "./pep508.js";

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
  const decoded = decodeToml(text, file);
  if ("error" in decoded) return { dependencies: [], errors: [decoded.error] };
  const packages = decoded.value.package;
  if (packages === undefined) return { dependencies: [], errors: [] };
  if (!Array.isArray(packages)) {
    return {
      dependencies: [],
      errors: [
        { file, line: 1, code: "invalid-lockfile", message: "`package` is not an array of tables" },
      ],
    };
  }
  const rawNames = packages.map((p) => (isRecord(p) ? (asString(p.name) ?? "") : ""));
  const lines = tomlPackageLines(text, "package", rawNames);
  const dependencies: Dependency[] = [];
  const errors: ParseResult["errors"] = [];
  packages.forEach((pkg, i) => {
    const line = lines[i] ?? 1;
    const rawName = rawNames[i]!;
    if (!isRecord(pkg) || !isValidName(rawName)) {
      errors.push({
        file,
        line,
        code: "invalid-package",
        message: `package without a valid name: "${preview(rawName)}"`,
      });
      return;
    }
    const source = isRecord(pkg.source) ? pkg.source : undefined;
    const kind = source ? sourceKind(source, pkg.develop === true) : "pypi";
    const index = source && kind === "pypi" ? asString(source.url) : undefined;
    dependencies.push(
      makeDependency(
        { name: normalizeName(rawName), version: asString(pkg.version), file, line, kind, index },
        format,
      ),
    );
  });
  return { dependencies, errors };
}
