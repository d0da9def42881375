// Every parser, listed once, and how a file's format is chosen: by its name, else by its content.
import type { LockfileFormat, ParseResult } from "../types.js";
import type { ParseContext } from "./shared/context.js";
import * as conda from "./formats/conda.js";
import * as pdm from "./formats/pdm.js";
import * as pipfileLock from "./formats/pipfile-lock.js";
import * as poetry from "./formats/poetry.js";
import * as pylock from "./formats/pylock.js";
import * as pyproject from "./formats/pyproject.js";
import * as requirements from "./formats/requirements.js";
import * as setupCfg from "./formats/setup-cfg.js";
import * as uv from "./formats/uv.js";

export interface LockfileParser {
  format: LockfileFormat;
  /** Claims a file by its name (the path's base name; requirements also looks at the parent folder). */
  matches(path: string): boolean;
  parse(text: string, file: string, ctx?: ParseContext): ParseResult;
}

export const PARSERS: readonly LockfileParser[] = [
  requirements,
  poetry,
  pipfileLock,
  uv,
  pdm,
  pylock,
  conda,
  pyproject,
  setupCfg,
];

export function parserFor(format: LockfileFormat): LockfileParser {
  return PARSERS.find((p) => p.format === format)!;
}

/** The format a file's name claims, if any. */
export function formatByName(path: string): LockfileFormat | undefined {
  return PARSERS.find((p) => p.matches(path))?.format;
}

/**
 * Looks at the first 64 KiB of text for the marks each format leaves (and at the whole text for
 * the `[metadata]` keys poetry and older pdm write at the end). A mark at the start of a line
 * may be indented by spaces and tabs only: `^\s*` would also run across line ends, and retry
 * every run of blank lines from each of its lines (quadratic in a file of blank lines).
 */
export function formatByContent(text: string): LockfileFormat | undefined {
  const head = text.slice(0, 65536);
  const trimmed = head.trimStart();
  if (trimmed.startsWith("{")) {
    return /"_meta"\s*:|"default"\s*:|"develop"\s*:/.test(head) ? "pipfile-lock" : undefined;
  }
  if (
    /^[ \t]*\[\[packages\]\]/m.test(head) ||
    /^lock-version\s*=/m.test(head) ||
    /^[ \t]*packages\s*=\s*\[/m.test(head)
  ) {
    return "pylock";
  }
  if (/^[ \t]*\[\[package\]\]/m.test(head)) {
    if (
      /^[ \t]*source\s*=\s*\{/m.test(head) ||
      /^[ \t]*\[manifest\]/m.test(head) ||
      /^revision\s*=/m.test(head)
    )
      return "uv";
    if (/^[ \t]*python-versions\s*=/m.test(head) || /^content-hash\s*=/m.test(text))
      return "poetry";
    if (
      /^[ \t]*(lock_version|content_hash|requires_python)\s*=|^[ \t]*sections\s*=\s*\[/m.test(text)
    )
      return "pdm";
    return "uv";
  }
  if (/^[ \t]*\[(project|build-system|dependency-groups|tool\.poetry)\]/m.test(head))
    return "pyproject";
  if (
    /^[ \t]*\[options(\.extras_require)?\]/m.test(head) &&
    /^[ \t]*(install_requires|[\w-]+\s*=)/m.test(head)
  ) {
    return "setup-cfg";
  }
  if (
    /^dependencies\s*:/m.test(head) &&
    (/^(name|channels)\s*:/m.test(head) || /^[ \t]+-\s/m.test(head))
  )
    return "conda";
  return undefined;
}

/**
 * The format of `file`: by name, else by content (a uv script lock `x.py.lock`, a renamed
 * requirements file `dev.in`). Undefined when neither says.
 */
export function detectFormat(file: string, text?: string): LockfileFormat | undefined {
  const byName = formatByName(file);
  if (byName) return byName;
  if (text === undefined) return undefined;
  const byContent = formatByContent(text);
  if (byContent) return byContent;
  if (/\.(txt|in)$/i.test(file)) return "requirements";
  return undefined;
}
