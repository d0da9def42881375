// setup.cfg (a manifest): `[options] install_requires` and `[options.extras_require]`, read as
// setuptools reads them (setuptools/config/setupcfg.py, `_parse_requirements_list`): a value
// written on continuation lines holds one requirement per line, where a `;` begins an
// environment marker; a value on the key's line alone is split on `;`; `file: a.in, b.in` on
// the key's line reads those files, relative to setup.cfg, through the include reader (confined
// like `-r`). Unpinned unless `==`-pinned.
import type { LockfileFormat, ParseError, ParseResult } from "../../types.js";
import { baseName, type ParseContext } from "../shared/context.js";
import { preview } from "../shared/pep508.js";
import { logicalLines, parseEntries, type RequirementLine } from "./requirements.js";

export const format: LockfileFormat = "setup-cfg";

export function matches(path: string): boolean {
  return baseName(path) === "setup.cfg";
}

/** One requirements option as configparser joins it: the key's line and its continuations. */
interface OptionValue {
  /** Line of the key. */
  line: number;
  /** The value written on the key's line, trimmed. */
  first: string;
  /** The continuation lines that are not empty (a comment line is no part of the value). */
  rest: RequirementLine[];
}

/** `[options] install_requires` and every key of `[options.extras_require]`, in file order. */
function requirementOptions(text: string): OptionValue[] {
  const options: OptionValue[] = [];
  let section = "";
  let current: OptionValue | undefined;
  const physical = text.split("\n");
  for (let i = 0; i < physical.length; i++) {
    const line = physical[i]!.replace(/\r$/, "");
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header && !/^\s/.test(line)) {
      section = header[1]!.trim().toLowerCase();
      current = undefined;
      continue;
    }
    if (/^\s/.test(line)) {
      current?.rest.push({ text: trimmed, line: i + 1 });
      continue;
    }
    current = undefined;
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.trim().toLowerCase().replace(/-/g, "_");
    if (
      (section === "options" && key === "install_requires") ||
      section === "options.extras_require"
    ) {
      current = { line: i + 1, first: kv[2]!.trim(), rest: [] };
      options.push(current);
    }
  }
  return options;
}

/** PEP 508 marker variables (packaging's default environment, as setuptools checks them). */
const MARKER_VARIABLE =
  /^(python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version)\b/;

/**
 * A value on one line, split on `;` as setuptools splits it. `foo; python_version<"3.8"` is
 * then two requirements, and the second is none: setuptools refuses it (a marker needs its own
 * line), so it is an error here, not a package called python_version.
 */
function splitOneLine(text: string, file: string, line: number, errors: ParseError[]): string[] {
  const parts = text
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const second = parts[1];
  if (parts.length === 2 && MARKER_VARIABLE.test(second!) && /["']/.test(second!)) {
    errors.push({
      file,
      line,
      code: "invalid-requirement",
      message: `"${preview(second!)}" is a marker, but setuptools splits a value on one line at \`;\` and reads it as a second requirement: put the requirement on its own line under the key`,
    });
    return parts.slice(0, 1);
  }
  return parts;
}

/**
 * setuptools reads `file:` only at the start of the key's line; anywhere else it is taken as a
 * requirement and the build fails. Reported rather than read as a path named `file: ...`.
 */
function misplacedFile(entries: RequirementLine[], file: string, errors: ParseError[]) {
  return entries.filter((entry) => {
    if (!entry.text.startsWith("file:")) return true;
    errors.push({
      file,
      line: entry.line,
      code: "invalid-option",
      message: `"${preview(entry.text)}" is read by setuptools as a requirement, not a file list: write \`file:\` right after the key, as in \`install_requires = file: requirements.in\``,
    });
    return false;
  });
}

/**
 * `file: a.in, b.in`: setuptools joins the files' texts with a line break and splits the result
 * into lines, or on `;` when it holds no line break at all (one file of one line). Each file's
 * lines keep their own file and line. Without an include reader nothing is followed, as for `-r`.
 */
function readFileList(
  option: OptionValue,
  file: string,
  ctx: ParseContext | undefined,
  out: ParseResult,
): void {
  const error = (code: string, message: string) =>
    out.errors.push({ file, line: option.line, code, message });
  if (option.rest.length > 0) {
    error(
      "invalid-option",
      "setuptools takes the lines under `file:` as part of one file name: list the files on the key's line, separated by commas",
    );
    return;
  }
  if (!ctx) return;
  const texts: { file: string; text: string }[] = [];
  for (const target of option.first.slice("file:".length).split(",")) {
    if (target.trim() === "") {
      error("invalid-option", "`file:` needs a file name");
      continue;
    }
    const got = ctx.readInclude(file, target.trim());
    // Its requirements are unknown: it counts as a lockfile not read.
    if ("error" in got)
      out.errors.push({
        file,
        line: option.line,
        code: got.code,
        message: got.error,
        include: target.trim(),
      });
    else texts.push(got);
  }
  const oneLine = texts.length === 1 && !texts[0]!.text.includes("\n");
  for (const included of texts) {
    const lines = oneLine
      ? splitOneLine(included.text, included.file, 1, out.errors).map((text) => ({ text, line: 1 }))
      : logicalLines(included.text);
    add(
      out,
      parseEntries(misplacedFile(lines, included.file, out.errors), included.file, "requirements"),
    );
  }
}

function add(out: ParseResult, result: ParseResult): void {
  out.dependencies.push(...result.dependencies);
  out.errors.push(...result.errors);
}

export function parse(text: string, file: string, ctx?: ParseContext): ParseResult {
  const out: ParseResult = { dependencies: [], errors: [] };
  for (const option of requirementOptions(text)) {
    if (option.first.startsWith("file:")) {
      readFileList(option, file, ctx, out);
      continue;
    }
    // configparser's value holds a line break only when a continuation line is not empty.
    const entries =
      option.rest.length === 0
        ? splitOneLine(option.first, file, option.line, out.errors).map((text) => ({
            text,
            line: option.line,
          }))
        : [
            ...(option.first === "" ? [] : [{ text: option.first, line: option.line }]),
            ...option.rest,
          ];
    add(out, parseEntries(misplacedFile(entries, file, out.errors), file, format));
  }
  return out;
}
