// Test helper: a parse result as `[name, version | null, line, kind]` rows, and fixture reading.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ParseResult } from "../../src/types.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "lockfiles");

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), "utf8");
}

export function rows(result: ParseResult): [string, string | null, number, string][] {
  return result.dependencies.map((d) => [d.name, d.version ?? null, d.line, d.kind]);
}
