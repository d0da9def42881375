// pylock.toml and pylock.<name>.toml (PEP 751): `[[packages]]`, as array of tables or inline tables.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../types.js";
import { baseName, makeDependency } from "./context.js";
import { asString, decodeToml, isRecord } from "./decode.js";
import { tomlPackageLines } from "./lines.js";
import { isValidName, normalizeName, preview } from "./pep508.js";

export const format: LockfileFormat = "pylock";

const DEFAULT_INDEX = /^https:\/\/pypi\.org\/simple\/?$/;

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
  const decoded = decodeToml(text, file);
  if ("error" in decoded) return { dependencies: [], errors: [decoded.error] };
  const packages = decoded.value.packages;
  if (packages === undefined) return { dependencies: [], errors: [] };
  if (!Array.isArray(packages)) {
    return {
      dependencies: [],
      errors: [{ file, line: 1, code: "invalid-lockfile", message: "`packages` is not an array" }],
    };
  }
  const rawNames = packages.map((p) => (isRecord(p) ? (asString(p.name) ?? "") : ""));
  const lines = tomlPackageLines(text, "packages", rawNames);
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
    const kind = entryKind(pkg);
    const indexUrl = asString(pkg.index);
    const index =
      kind === "pypi" && indexUrl !== undefined && !DEFAULT_INDEX.test(indexUrl)
        ? indexUrl
        : undefined;
    dependencies.push(
      makeDependency(
        { name: normalizeName(rawName), version: asString(pkg.version), file, line, kind, index },
        format,
      ),
    );
  });
  return { dependencies, errors };
}
