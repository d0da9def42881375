// `line` is the line a reviewer clicks: 1-based, never 0, inside the file, and the line that
// names the package. Checked over every real file of the corpus and every fixture, and over
// broken inputs whose errors carry a line.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDependencies, parseLockfileText } from "../../src/discover/discover.js";
import { normalizeName } from "../../src/names.js";
import { FIXTURES } from "./rows.js";

const CORPUS = join(import.meta.dirname, "..", "fixtures", "corpus");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const folders = [
  ...readdirSync(CORPUS)
    .filter((f) => statSync(join(CORPUS, f)).isDirectory())
    .flatMap((f) => readdirSync(join(CORPUS, f)).map((c) => join(CORPUS, f, c))),
  ...filesUnder(FIXTURES)
    .map((f) => join(f, ".."))
    .filter((d, i, all) => all.indexOf(d) === i),
];

describe("line numbers", () => {
  it.each(folders.map((dir) => ({ dir, id: relative(join(CORPUS, ".."), dir) })))(
    "$id: every line is 1-based, inside the file, and names the package",
    async ({ dir }) => {
      const files = readdirSync(dir).filter(
        (f) => f !== "expected.json" && statSync(join(dir, f)).isFile(),
      );
      const set = await loadDependencies(files, dir);
      for (const dep of set.dependencies) {
        const lines = readFileSync(join(dir, dep.file), "utf8").split("\n");
        expect(Number.isInteger(dep.line) && dep.line >= 1, `${dep.file}:${dep.line}`).toBe(true);
        expect(dep.line, `${dep.file}:${dep.line}`).toBeLessThanOrEqual(lines.length);
        const text = normalizeName(lines[dep.line - 1]!);
        const name = normalizeName(dep.name.replace(/^\.\//, ""));
        expect(text, `${dep.file}:${dep.line} should name ${dep.name}`).toContain(name);
      }
      for (const error of set.errors) {
        if (error.line !== undefined) expect(error.line, JSON.stringify(error)).toBeGreaterThan(0);
      }
    },
  );

  it.each([
    ["poetry.lock", '[[package]]\nname = "x"\nversion = '],
    ["uv.lock", "[[package]]\nname = "],
    ["pylock.toml", "packages = [ { name = "],
    ["Pipfile.lock", '{\n  "default": {\n'],
    ["Pipfile.lock", ""],
    ["environment.yml", "dependencies:\n  - a\n - b: [\n"],
    ["environment.yml", "dependencies: [a, b\n"],
    ["requirements.txt", "\\\n\\\n-r\n"],
    ["requirements.txt", "-e\n"],
    ["setup.cfg", "[options]\ninstall_requires =\n    !!bad\n"],
    ["pyproject.toml", '[project]\ndependencies = ["!!bad"]\n'],
  ])("%s with broken text gives errors whose line is 1-based", (file, text) => {
    const result = parseLockfileText(file, text);
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) {
      if (error.line !== undefined) expect(error.line, JSON.stringify(error)).toBeGreaterThan(0);
    }
  });
});
