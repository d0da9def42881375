// Requirement strings (PEP 508 plus pip's URL and path forms): name, exact pin, and where the
// package comes from. Pure functions over one logical requirement; no I/O.
import { isValidName, normalizeName } from "../../names.js";
import type { DependencyKind, ParseError } from "../../types.js";

export interface Requirement {
  /** Normalised name; absent for a path or URL that does not say which project it is. */
  name?: string;
  /** Exact pin (`==x` without `.*`, or `===x`), as written. */
  version?: string;
  kind: DependencyKind;
  /** The URL or path for vcs/url/path/editable requirements, as written. */
  target?: string;
}

export type RequirementResult = Requirement | { error: string };

const VCS_PREFIX_RE = /^(git|hg|svn|bzr)\+/i;
const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const ARCHIVE_RE = /\.(whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i;

/**
 * The exact version a specifier pins, or undefined. `==1.2` and `===x` pin; `==1.*`, ranges and
 * anything else do not. With several clauses, an exact clause still decides the version.
 */
export function exactPin(spec: string): string | undefined {
  let body = spec.trim();
  if (body.startsWith("(") && body.endsWith(")")) body = body.slice(1, -1);
  for (const clause of body.split(",")) {
    const m = /^\s*(===?)\s*(\S+)\s*$/.exec(clause);
    if (!m) continue;
    const [, op, version] = m as unknown as [string, string, string];
    if (op === "==" && version.endsWith(".*")) continue;
    return version;
  }
  return undefined;
}

/** The project name a wheel or sdist file name carries (`numpy-1.9.2-cp34-none-win32.whl` -> numpy). */
function nameFromArchive(location: string): string | undefined {
  const base = location.split(/[?#]/)[0]!.split(/[\\/]/).pop() ?? "";
  if (!ARCHIVE_RE.test(base)) return undefined;
  if (/\.whl$/i.test(base)) {
    const first = base.split("-")[0] ?? "";
    return isValidName(first) ? first : undefined;
  }
  const stem = base.replace(ARCHIVE_RE, "");
  const m = /^(.+?)-\d/.exec(stem);
  return m && isValidName(m[1]!) ? m[1] : undefined;
}

/** `#egg=name` in a URL fragment. */
function nameFromEgg(location: string): string | undefined {
  const m = /[#&]egg=([^&\s]+)/.exec(location);
  if (!m) return undefined;
  const egg = m[1]!.replace(/\[.*$/, "");
  return isValidName(egg) ? egg : undefined;
}

function looksLikePath(text: string): boolean {
  return (
    /^(\.|\/|~|[A-Za-z]:[\\/]|\\\\)/.test(text) ||
    /^file:/i.test(text) ||
    // A relative folder (`libs/pkg`): one word with a slash. pip reads a line with a slash as a
    // path only when it names a folder or an archive; prose with a link in it is neither.
    (/[\\/]/.test(text) &&
      !/\s/.test(text.split(/\s;|;\s/)[0]!.trim()) &&
      !/[<>=!~;@]/.test(text.split(/[\\/]/)[0]!)) ||
    ARCHIVE_RE.test(text.split(/[;\s]/)[0]!)
  );
}

/** Kind of a direct reference: a VCS URL, a remote archive, or a local path. */
function locationKind(location: string): DependencyKind {
  if (VCS_PREFIX_RE.test(location) || /^git:\/\//i.test(location)) return "vcs";
  if (/^file:/i.test(location)) return "path";
  if (URL_RE.test(location)) return "url";
  return "path";
}

/** Strips a trailing `; marker` and `[extras]` from a path or URL requirement. */
function stripPathDecorations(text: string): string {
  let t = text;
  const semi = t.search(/\s;|;\s/);
  if (semi >= 0) t = t.slice(0, semi);
  t = t.trim();
  // pip's `_strip_extras`: a non-empty `[...]` group that ends the text, after something.
  // (Found with lastIndexOf: a regex that retries every `[` is quadratic on a run of them.)
  const open = t.lastIndexOf("[");
  if (t.endsWith("]") && open > 0 && open < t.length - 2 && !t.slice(open + 1, -1).includes("]"))
    t = t.slice(0, open);
  return t.trim();
}

/** A name, optional `[extras]`, and the rest. Linear: `(.*)$` always matches. */
const NAME_RE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/s;

/** One specifier clause: an operator and a version with no white space in it. */
const CLAUSE_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*[^\s,;()]+\s*$/;

/**
 * True for a specifier list as PEP 508 writes it (`>=1, <2`, `(==1.0)`); a trailing comma is
 * accepted, as packaging accepts it. Text after a version (`==1.0 garbage`) is not.
 */
function isSpecifierList(spec: string): boolean {
  let body = spec.trim();
  if (body.startsWith("(")) {
    if (!body.endsWith(")")) return false;
    body = body.slice(1, -1);
  }
  const clauses = body.split(",");
  if (clauses.length > 1 && clauses[clauses.length - 1]!.trim() === "") clauses.pop();
  return clauses.every((c) => CLAUSE_RE.test(c));
}

/** `NAME[extras] @ URL [; marker]`: the named project, from that URL or path. */
function namedReference(m: RegExpExecArray): RequirementResult {
  const rawName = m[1]!;
  if (!isValidName(rawName)) return { error: `invalid package name "${preview(rawName)}"` };
  const name = normalizeName(rawName);
  const location = stripPathDecorations(m[3]!.slice(1));
  if (location === "") return { error: `missing URL after "@" for ${name}` };
  return { name, kind: locationKind(location), target: location };
}

/**
 * Parses one logical requirement (comments, `--hash` and other per-requirement options already
 * removed). `editable` marks a `-e` target.
 */
export function parseRequirement(raw: string, editable = false): RequirementResult {
  const text = raw.trim();
  if (text === "") return { error: "empty requirement" };

  // `NAME[extras] @ URL` (spaces around `@` optional) names its project, whatever the URL
  // looks like: pip reads it so before any path or archive-name guess.
  const named = NAME_RE.exec(text);
  if (!editable && named && named[3]!.startsWith("@")) return namedReference(named);

  if (editable || URL_RE.test(text) || VCS_PREFIX_RE.test(text) || looksLikePath(text)) {
    const location = stripPathDecorations(text);
    let kind = locationKind(location);
    if (editable && kind !== "vcs") kind = "editable";
    const found = nameFromEgg(location) ?? nameFromArchive(location);
    return { name: found === undefined ? undefined : normalizeName(found), kind, target: location };
  }

  const m = named;
  if (!m) {
    // pip expands `${VAR}` from the environment; we leave it as written, so the name is unknown.
    const variable = /^\$\{([A-Za-z0-9_]+)\}/.exec(text);
    if (variable)
      return {
        error: `the name comes from the environment variable \${${preview(variable[1]!, 60)}}, which is not expanded here: "${preview(text)}" cannot be checked`,
      };
    return { error: `not a requirement: "${preview(text)}"` };
  }
  const rawName = m[1]!;
  if (!isValidName(rawName)) return { error: `invalid package name "${preview(rawName)}"` };
  const name = normalizeName(rawName);
  let rest = m[3] ?? "";
  if (m[2] === undefined && rest.startsWith("["))
    return { error: `unterminated extras in "${preview(text)}"` };

  if (rest.startsWith("@")) return namedReference(m);
  const semi = rest.indexOf(";");
  if (semi >= 0) rest = rest.slice(0, semi);
  rest = rest.trim();
  if (rest !== "" && !/^\(?\s*(===?|!=|~=|<=?|>=?)/.test(rest)) {
    return { error: `unexpected text after ${name}: "${preview(rest)}"` };
  }
  if (rest !== "" && !isSpecifierList(rest)) {
    // `foo==1.0 bar==2`: pip refuses the line; reading `foo` unpinned would hide a package.
    return { error: `not a version specifier after ${name}: "${preview(rest)}"` };
  }
  const version = exactPin(rest);
  return version === undefined ? { name, kind: "pypi" } : { name, version, kind: "pypi" };
}

/** The error for a package key that is not a PEP 508 name. */
export function invalidNameError(file: string, line: number, rawName: string): ParseError {
  return {
    file,
    line,
    code: "invalid-package",
    message: `invalid package name "${preview(rawName)}"`,
  };
}

/** Short, single-line excerpt of untrusted text for error messages. */
export function preview(text: string, max = 80): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
