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

/**
 * A lock of `n` inline-table packages under `key`, after `header` lines: even entries repeat one
 * name; odd ones are written with `\u0070` (`p`), which is not the text of their name, so they
 * are not found and keep line 1. With it, what each entry's line must be.
 */
export function inlineTableLock(
  n: number,
  key: "package" | "packages",
  header: string[] = [],
): { text: string; lineOf: (i: number) => number } {
  const entries = Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? `  {name = "same", version = "1"},\n`
      : `  {name = "\\u0070${i}", version = "1"},\n`,
  );
  const first = header.length + 2;
  return {
    text: `${header.map((l) => `${l}\n`).join("")}${key} = [\n${entries.join("")}]\n`,
    lineOf: (i) => (i % 2 === 0 ? i + first : 1),
  };
}

/** Checks the first, a middle and the last entries of `inlineTableLock(n, …)` as parsed. */
export function expectInlineTableLines(
  result: ParseResult,
  lock: ReturnType<typeof inlineTableLock>,
  n: number,
  check: (actual: unknown, expected: unknown) => void,
): void {
  check(result.errors, []);
  const picks = [0, 1, n / 2, n / 2 + 1, n - 2, n - 1];
  check(
    picks.map((i) => result.dependencies[i]?.line),
    picks.map((i) => lock.lineOf(i)),
  );
  check(result.dependencies[n - 1]?.name, `p${n - 1}`);
}
