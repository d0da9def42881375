// Broken files are results, not crashes: each gives a clear error naming the file (and line
// where known) while the other files are still parsed.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDependencies, MAX_FILE_BYTES } from "../../src/discover/discover.js";
import type { DependencySet } from "../../src/types.js";

let dir: string;
let set: DependencySet;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mdg-bad-input-"));
  writeFileSync(join(dir, "requirements.txt"), "good==1.0\n");
  writeFileSync(join(dir, "poetry.lock"), '[[package]]\nname = "x"\nversion = = "1"\n');
  writeFileSync(
    join(dir, "Pipfile.lock"),
    '{\n  "default": {\n    "a": {"version": "==1"},\n  }\n}\n',
  );
  writeFileSync(join(dir, "environment.yml"), "dependencies:\n  - a\n - b: [\n");
  writeFileSync(join(dir, "pdm.lock"), Buffer.from([0x5b, 0x5b, 0x00, 0x01, 0x02, 0xff]));
  writeFileSync(join(dir, "uv.lock"), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
  writeFileSync(join(dir, "notes.md"), "# not a lockfile\n");
  writeFileSync(join(dir, "requirements-long.txt"), `${"a".repeat(1024 * 1024)}==1\nafter==2\n`);
  writeFileSync(
    join(dir, "requirements-spaces.txt"),
    `${" ".repeat(1024 * 1024)}x\n${" \\\n".repeat(1000)}y==1\n`,
  );
  set = await loadDependencies([".", "notes.md", "missing-lock.txt"], dir);
});

const errorFor = (file: string) => set.errors.find((e) => e.file === file);

describe("bad input", () => {
  it("still parses the good file", () => {
    expect(set.dependencies.find((d) => d.file === "requirements.txt")).toMatchObject({
      name: "good",
      version: "1.0",
      line: 1,
    });
  });

  it.each([
    ["poetry.lock", "toml-syntax", 3],
    ["Pipfile.lock", "json-syntax", 4],
    ["environment.yml", "yaml-syntax", undefined],
    ["pdm.lock", "binary-file", undefined],
    ["uv.lock", "file-too-large", undefined],
    ["notes.md", "unknown-format", undefined],
    ["missing-lock.txt", "not-found", undefined],
  ])("%s gives %s", (file, code, line) => {
    const error = errorFor(file);
    expect(error, `an error for ${file}`).toMatchObject({ file, code });
    if (line !== undefined) expect(error!.line).toBe(line);
    expect(error!.message.length).toBeGreaterThan(5);
    expect(error!.message).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("reports a 1 MB name as an invalid requirement at its line and keeps the next line", () => {
    expect(set.errors.find((e) => e.file === "requirements-long.txt")).toMatchObject({
      line: 1,
      code: "invalid-requirement",
    });
    expect(set.errors.find((e) => e.file === "requirements-long.txt")!.message.length).toBeLessThan(
      300,
    );
    expect(
      set.dependencies.filter((d) => d.file === "requirements-long.txt").map((d) => d.name),
    ).toEqual(["after"]);
  });

  it("handles a 1 MB run of spaces and a thousand empty continuations", () => {
    expect(
      set.dependencies
        .filter((d) => d.file === "requirements-spaces.txt")
        .map((d) => [d.name, d.line]),
    ).toEqual([
      ["x", 1],
      ["y", 2],
    ]);
  });

  it("lists only the files that could be read as lockfiles", () => {
    expect(set.lockfiles.map((l) => l.path).sort()).toEqual([
      "requirements-long.txt",
      "requirements-spaces.txt",
      "requirements.txt",
    ]);
  });
});

describe("a broken JSON lockfile names its line, whatever the parser's message", () => {
  // A real Pipfile.lock (paperless-ngx, 4,377 lines), broken as an editor or a cut download
  // breaks one. Node's JSON parser gives no position for these two messages.
  const real = readFileSync(
    join(
      import.meta.dirname,
      "..",
      "fixtures",
      "corpus",
      "pipfile-lock",
      "paperless-2024",
      "Pipfile.lock",
    ),
    "utf8",
  );
  it.each([
    [
      "a value deleted",
      () => {
        const lines = real.split("\n");
        lines[63] = lines[63]!.replace('"==6.1.0"', "");
        return lines.join("\n");
      },
      65,
    ],
    ["cut short", () => real.split("\n").slice(0, 2000).join("\n"), 2000],
  ])("%s", async (_case, broken, line) => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-json-line-"));
    writeFileSync(join(dir, "Pipfile.lock"), broken());
    const loaded = await loadDependencies(["."], dir);
    expect(loaded.errors).toEqual([
      expect.objectContaining({ file: "Pipfile.lock", code: "json-syntax", line }),
    ]);
  });
});
