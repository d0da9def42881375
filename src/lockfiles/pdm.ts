// pdm.lock (2020 `sections`, lock 3.x/4.x `groups`, `[metadata.files]`): `[[package]]` tables.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../types.js";
import { baseName, makeDependency } from "./context.js";
import { asString, decodeToml, isRecord } from "./decode.js";
import { tomlPackageLines } from "./lines.js";
import { isValidName, normalizeName, preview } from "./pep508.js";

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
    // Extras variants are written `name[extra]`; the project is the part before the bracket.
    const rawName = rawNames[i]!.replace(/\[.*$/, "");
    if (!isRecord(pkg) || !isValidName(rawName)) {
      errors.push({
        file,
        line,
        code: "invalid-package",
        message: `package without a valid name: "${preview(rawNames[i]!)}"`,
      });
      return;
    }
    const kind = entryKind(pkg);
    dependencies.push(
      makeDependency(
        { name: normalizeName(rawName), version: asString(pkg.version), file, line, kind },
        format,
      ),
    );
  });
  return { dependencies, errors };
}
