// From text to dependencies, the same for the working tree and for a git commit: the format
// comes from the name, else the content; includes go through the reader the caller supplies;
// errors get their source lines; a document nested too deeply is refused instead of crashing.
import type { LockfileFormat, ParseResult } from "../types.js";
import type { ParseContext } from "../lockfiles/shared/context.js";
import { detectFormat, parserFor } from "../lockfiles/detect.js";
import { withSourceContext } from "../lockfiles/shared/lines.js";
import { confineCommitInclude, shownTarget } from "./confine.js";
import { refuseText, stripBom } from "./text.js";

export type TextParseResult = ParseResult & { format?: LockfileFormat };

/**
 * Parses `body` (already checked and without a BOM) as the file named `file`. Without
 * `readInclude`, parsers get no context and follow no includes. `format` is absent only when
 * the text is in no format this tool reads.
 */
export function parseText(
  file: string,
  body: string,
  readInclude?: ParseContext["readInclude"],
): TextParseResult {
  const format = detectFormat(file, body);
  if (format === undefined) {
    return {
      dependencies: [],
      errors: [
        {
          file,
          code: "unknown-format",
          message: "unknown format: not a lockfile, requirements file or manifest this tool reads",
        },
      ],
    };
  }
  const texts = new Map<string, string>([[file, body]]);
  const ctx: ParseContext | undefined = readInclude && {
    readInclude: (fromFile, target) => {
      const got = readInclude(fromFile, target);
      if ("text" in got) texts.set(got.file, got.text);
      return got;
    },
  };
  try {
    const result = parserFor(format).parse(body, file, ctx);
    return { ...result, errors: withSourceContext(result.errors, texts), format };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return {
      dependencies: [],
      errors: [
        {
          file,
          code: "too-deeply-nested",
          message: "refused: structure nested too deeply to parse",
        },
      ],
      format,
    };
  }
}

/**
 * Parses one lockfile's text without touching the file system (the action uses it on
 * `git show <base>:<path>` output). The format comes from the name, else the content.
 * `readInclude` receives an include target as a `/`-separated path relative to the same root
 * as `file`, and returns its text or undefined when it does not exist.
 */
export function parseLockfileText(
  file: string,
  text: string,
  readInclude?: (target: string) => string | undefined,
): TextParseResult {
  const refused = refuseText(text);
  if (refused) return { dependencies: [], errors: [{ file, ...refused }] };
  return parseText(
    file,
    stripBom(text),
    readInclude &&
      ((fromFile, target) => {
        const place = confineCommitInclude(fromFile, target);
        if ("error" in place) return place;
        const included = readInclude(place.file);
        if (included === undefined) {
          return {
            code: "include-missing",
            error: `cannot read included file ${shownTarget(target)}: no such file`,
          };
        }
        const refusedInclude = refuseText(included);
        if (refusedInclude) {
          return {
            code: refusedInclude.code,
            error: `${shownTarget(target)}: ${refusedInclude.message}`,
          };
        }
        return { file: place.file, text: included };
      }),
  );
}
