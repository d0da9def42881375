// One set of reading rules: text from a git commit and the same files on disk parse alike.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDependencies } from "../../src/discover/load.js";
import { parseLockfileText, parseText } from "../../src/discover/parse-lockfile-text.js";

const files: Record<string, string> = {
  "app/requirements.txt": "-r base.txt\n-r ../../up.txt\n-r https://x/r.txt\n-r gone.txt\nx==2\n",
  "app/base.txt": "y==1\n",
};

describe("parseLockfileText", () => {
  it("gives the dependencies and include errors a scan of the same files gives", async () => {
    const root = mkdtempSync(join(tmpdir(), "mdg-text-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const disk = await loadDependencies(["app/requirements.txt"], root);
    const commit = parseLockfileText(
      "app/requirements.txt",
      files["app/requirements.txt"]!,
      (t) => files[t],
    );
    expect(commit.dependencies).toEqual(disk.dependencies);
    expect(commit.errors.map((e) => e.code)).toEqual(disk.errors.map((e) => e.code));
    expect(commit.errors.map((e) => e.code)).toEqual([
      "include-outside-root",
      "include-remote",
      "include-missing",
    ]);
  });

  it("refuses binary text and an included binary file", () => {
    expect(parseLockfileText("requirements.txt", "a\u0000").errors).toEqual([
      {
        file: "requirements.txt",
        code: "binary-file",
        message: "refused: binary file (contains NUL bytes)",
      },
    ]);
    const result = parseLockfileText("requirements.txt", "-r b.txt\n", () => "\u0000");
    expect(result.errors.map((e) => e.code)).toContain("binary-file");
  });

  it("drops a byte order mark before detecting the format", () => {
    const result = parseLockfileText("deps.lock", '\ufeff{"default": {"f": {"version": "==1"}}}');
    expect(result.format).toBe("pipfile-lock");
  });
});

describe("parseText", () => {
  it("names no format for text in none, and gives parsers no includes without a reader", () => {
    expect(parseText("README.md", "# hi\n")).toEqual({
      dependencies: [],
      errors: [
        {
          file: "README.md",
          code: "unknown-format",
          message: "unknown format: not a lockfile, requirements file or manifest this tool reads",
        },
      ],
    });
    const without = parseText("requirements.txt", "-r b.txt\nx==1\n");
    expect([without.dependencies.map((d) => d.name), without.errors]).toEqual([["x"], []]);
    const withReader = parseText("requirements.txt", "-r b.txt\n", () => ({
      file: "b.txt",
      text: "z==3\n",
    }));
    expect(withReader.dependencies.map((d) => [d.name, d.file])).toEqual([["z", "b.txt"]]);
  });
});
