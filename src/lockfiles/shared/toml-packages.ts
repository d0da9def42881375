// The part every TOML lockfile parser shares (poetry, uv, pdm, pylock): decode the text, take the
// array of package tables, give each its line, and refuse entries without a valid name.
import type { ParseError } from "../../types.js";
import { asString, decodeToml, isRecord } from "./decode.js";
import { tomlPackageLines } from "./lines.js";
import { preview } from "./pep508.js";
import { isValidName, normalizeName } from "../../names.js";

export interface TomlPackage {
  /** The package table as decoded. */
  table: Record<string, unknown>;
  /** PEP 503-normalised project name. */
  name: string;
  /** 1-based line of the table's `name = ` key (or its header). */
  line: number;
}

/**
 * Decodes `text` and returns the tables of its `key` array (`package` or `packages`) that carry a
 * valid name, in order, with their lines; everything else becomes an error. `projectOf` turns a
 * written name into the project's (pdm writes extras variants as `name[extra]`).
 */
export function readTomlPackages(
  text: string,
  file: string,
  key: "package" | "packages",
  projectOf: (rawName: string) => string = (raw) => raw,
): { packages: TomlPackage[]; errors: ParseError[] } {
  const decoded = decodeToml(text, file);
  if ("error" in decoded) return { packages: [], errors: [decoded.error] };
  const entries = decoded.value[key];
  const notALock = (message: string) => ({
    packages: [],
    errors: [{ file, line: 1, code: "invalid-lockfile", message }],
  });
  if (entries === undefined) {
    // A lockfile without packages is real (a project with no dependencies); one whose packages
    // stand under another key is not what the tool writes, and must not read as empty.
    const other = Object.entries(decoded.value).find(
      ([k, v]) => k !== key && Array.isArray(v) && v.length > 0 && v.every(isRecord),
    );
    if (!other) return { packages: [], errors: [] };
    return notALock(
      `no \`${key}\` tables, but \`${preview(other[0], 40)}\` holds ${(other[1] as unknown[]).length}: this is not a lockfile as its tool writes it; regenerate it`,
    );
  }
  if (!Array.isArray(entries)) return notALock(`\`${key}\` is not an array of tables`);
  const rawNames = entries.map((p) => (isRecord(p) ? (asString(p.name) ?? "") : ""));
  const lines = tomlPackageLines(text, key, rawNames);
  const packages: TomlPackage[] = [];
  const errors: ParseError[] = [];
  entries.forEach((table: unknown, i) => {
    const line = lines[i] ?? 1;
    const rawName = rawNames[i]!;
    const project = projectOf(rawName);
    if (!isRecord(table) || !isValidName(project)) {
      errors.push({
        file,
        line,
        code: "invalid-package",
        message: `package without a valid name: "${preview(rawName)}"`,
      });
      return;
    }
    if (table.version !== undefined && typeof table.version !== "string") {
      errors.push({
        file,
        line,
        code: "invalid-package",
        message: `the version of ${normalizeName(project)} is not a string: ${preview(JSON.stringify(table.version) ?? "", 40)}`,
      });
      return;
    }
    packages.push({ table, name: normalizeName(project), line });
  });
  return { packages, errors };
}
