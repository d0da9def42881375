// setup.cfg (a manifest): `[options] install_requires` and `[options.extras_require]`, one
// requirement per (continuation) line. Unpinned unless `==`-pinned.
import type { LockfileFormat, ParseResult } from "../../types.js";
import { baseName } from "../shared/context.js";
import { parseEntries, type RequirementLine } from "./requirements.js";

export const format: LockfileFormat = "setup-cfg";

export function matches(path: string): boolean {
  return baseName(path) === "setup.cfg";
}

export function parse(text: string, file: string): ParseResult {
  const entries: RequirementLine[] = [];
  let section = "";
  let collecting = false;
  const physical = text.split("\n");
  for (let i = 0; i < physical.length; i++) {
    const line = physical[i]!.replace(/\r$/, "");
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header && !/^\s/.test(line)) {
      section = header[1]!.trim().toLowerCase();
      collecting = false;
      continue;
    }
    if (/^\s/.test(line)) {
      if (collecting) entries.push({ text: trimmed, line: i + 1 });
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv) {
      collecting = false;
      continue;
    }
    const key = kv[1]!.trim().toLowerCase().replace(/-/g, "_");
    collecting =
      (section === "options" && key === "install_requires") || section === "options.extras_require";
    const value = kv[2]!.trim();
    if (collecting && value !== "") entries.push({ text: value, line: i + 1 });
  }
  return parseEntries(entries, file, format);
}
