// Python project names: the one place that decides a name's normal form (PEP 503) and whether a
// string is a project name at all (PEP 508). Parsers, the index client, the cache, the
// allow-list and the reports all use these, so the same project is never spelled two ways.

/** PEP 508 name grammar: letters, digits, `.`, `_`, `-`; starts and ends with a letter or digit. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** Longest name we accept; PyPI's own limit is far below this, so longer is never a real project. */
const MAX_NAME_LENGTH = 200;

/** PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** True when `name` matches the PEP 508 name grammar (checked before a name may reach a URL). */
export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}
