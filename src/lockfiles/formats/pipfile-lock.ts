// Pipfile.lock: a JSON object whose every key but `_meta` is a section of packages
// (`default`, `develop`, custom categories). Values are objects, or plain `"==x"` strings in the
// oldest locks.
import type { Dependency, DependencyKind, LockfileFormat, ParseResult } from "../../types.js";
import { baseName, makeDependency } from "../shared/context.js";
import { asString, decodeJson, isRecord } from "../shared/decode.js";
import { recordedIndex } from "../shared/index-url.js";
import { jsonKeyLines } from "../shared/lines.js";
import { exactPin, invalidNameError, preview } from "../shared/pep508.js";
import { isValidName, normalizeName } from "../../names.js";

export const format: LockfileFormat = "pipfile-lock";

export function matches(path: string): boolean {
  return baseName(path) === "Pipfile.lock";
}

function entryKind(entry: Record<string, unknown>): DependencyKind {
  if (["git", "hg", "svn", "bzr"].some((k) => typeof entry[k] === "string")) return "vcs";
  const location = asString(entry.path) ?? asString(entry.file);
  if (location !== undefined) {
    if (entry.editable === true) return "editable";
    return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location) && !/^file:/i.test(location)
      ? "url"
      : "path";
  }
  return "pypi";
}

/**
 * Source URLs by name from `_meta.sources`, and the first source's URL: pipenv installs a
 * package without an `index` of its own from the first source. The oldest locks (pipenv 2017)
 * write sources with a `url` and no `name`: such a source is still the first one.
 */
function sourceUrls(meta: unknown): { byName: Map<string, string>; first?: string } {
  const byName = new Map<string, string>();
  let first: string | undefined;
  if (!isRecord(meta) || !Array.isArray(meta.sources)) return { byName };
  for (const s of meta.sources) {
    if (!isRecord(s) || typeof s.url !== "string") continue;
    if (typeof s.name === "string") byName.set(s.name, s.url);
    first ??= s.url;
  }
  return first === undefined ? { byName } : { byName, first };
}

export function parse(text: string, file: string): ParseResult {
  const decoded = decodeJson(text, file);
  if ("error" in decoded) return { dependencies: [], errors: [decoded.error] };
  const root = decoded.value;
  if (!isRecord(root)) {
    return {
      dependencies: [],
      errors: [
        { file, line: 1, code: "invalid-lockfile", message: "Pipfile.lock is not a JSON object" },
      ],
    };
  }
  const { sections: sectionLines, keys: keyLines } = jsonKeyLines(text);
  const sources = sourceUrls(root._meta);
  const dependencies: Dependency[] = [];
  const errors: ParseResult["errors"] = [];
  for (const [section, entries] of Object.entries(root)) {
    if (section === "_meta") continue;
    if (!isRecord(entries)) {
      // `default`, `develop` and pipenv's other categories are objects of packages: anything
      // else is not a lock pipenv wrote, and must not read as an empty section.
      errors.push({
        file,
        line: sectionLines.get(section) ?? 1,
        code: "invalid-lockfile",
        message: `section "${preview(section, 40)}" is not an object of packages; regenerate the lock with pipenv lock`,
      });
      continue;
    }
    for (const [rawName, entry] of Object.entries(entries)) {
      const line = keyLines.get(section)?.get(rawName) ?? 1;
      if (!isValidName(rawName)) {
        errors.push(invalidNameError(file, line, rawName));
        continue;
      }
      const name = normalizeName(rawName);
      if (typeof entry === "string") {
        const index = recordedIndex(sources.first);
        dependencies.push(
          makeDependency(
            { name, version: exactPin(entry), file, line, kind: "pypi", index },
            format,
          ),
        );
        continue;
      }
      if (!isRecord(entry)) {
        errors.push({
          file,
          line,
          code: "invalid-package",
          message: `entry for ${name} is neither a string nor an object`,
        });
        continue;
      }
      const kind = entryKind(entry);
      const spec = asString(entry.version);
      const indexName = asString(entry.index);
      const indexUrl = indexName !== undefined ? sources.byName.get(indexName) : sources.first;
      const index = kind === "pypi" ? recordedIndex(indexUrl) : undefined;
      dependencies.push(
        makeDependency(
          {
            name,
            version: spec === undefined ? undefined : exactPin(spec),
            file,
            line,
            kind,
            index,
          },
          format,
        ),
      );
    }
  }
  return { dependencies, errors };
}
