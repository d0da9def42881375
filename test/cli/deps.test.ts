// `deps` through the real CLI entry: JSON on stdout, the table, and exit codes 0 and 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";

function run(args: string[], cwd: string) {
  return runMain(args, { cwd, now: () => new Date("2026-01-01T00:00:00Z") });
}

describe("cli deps", () => {
  it("prints dependencies, lockfiles and errors as JSON and exits 0 when something was read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-cli-deps-"));
    writeFileSync(join(dir, "requirements.txt"), "# pinned\nRequests==2.31.0\nflask>=3\n");
    writeFileSync(join(dir, "poetry.lock"), "[[package]]\nname = = 1\n");
    const { code, stdout } = await run(["deps", dir, "--format", "json"], dir);
    expect(code).toBe(0);
    const body = JSON.parse(stdout);
    expect(body.dependencies).toEqual([
      {
        name: "requests",
        version: "2.31.0",
        file: "requirements.txt",
        line: 2,
        format: "requirements",
        kind: "pypi",
      },
      {
        name: "flask",
        version: null,
        file: "requirements.txt",
        line: 3,
        format: "requirements",
        kind: "pypi",
      },
    ]);
    expect(body.lockfiles).toEqual([
      { path: "requirements.txt", format: "requirements", count: 2 },
    ]);
    expect(body.errors).toMatchObject([{ file: "poetry.lock", line: 2, code: "toml-syntax" }]);
  });

  it("prints a table with a summary line, kinds, lines and compiler-style errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-cli-deps-"));
    writeFileSync(join(dir, "requirements.txt"), "a==1\n-e ./local\n-r missing.txt\n");
    const { code, stdout } = await run(["deps", dir, "--format", "table"], dir);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("2 dependencies in 1 lockfile; 1 problem in files that were read");
    expect(stdout).toMatch(/a\s+1\s+pypi\s+1/);
    expect(stdout).toMatch(/\.\/local\s+\(unpinned\)\s+editable\s+2/);
    expect(stdout).toContain("requirements.txt:3: cannot read included file missing.txt");
    expect(stdout).toContain("[include-missing]");
  });

  it("shows at most three lines of source around an error, with a caret under its column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-cli-deps-"));
    writeFileSync(
      join(dir, "poetry.lock"),
      '# lock\n[[package]]\nname = "x"\nversion = = "1"\n[metadata]\nlock-version = "2.1"\n',
    );
    writeFileSync(join(dir, "requirements.txt"), `a==1\n${"b".repeat(5000)} !!\nc==2\n`);
    writeFileSync(join(dir, "constraints.txt"), "ok==1\n!!bad\n");
    const { code, stdout } = await run(["deps", dir, "--format", "table"], dir);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("poetry.lock:4:"));
    expect(lines[at]).toMatch(/^poetry\.lock:4:\d+: invalid TOML: .* \[toml-syntax\]$/);
    const column = Number(/^poetry\.lock:4:(\d+):/.exec(lines[at]!)![1]);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      '    3 | name = "x"',
      '  > 4 | version = = "1"',
      `      | ${" ".repeat(column - 1)}^`,
      "    5 | [metadata]",
    ]);
    // A 5,000-character line is shown cut, not whole; the lines around it are shown too.
    const req = lines.findIndex((l) => l.startsWith("requirements.txt:2:"));
    expect(lines[req + 1]).toBe("    1 | a==1");
    expect(lines[req + 2]!.startsWith("  > 2 | bbbb")).toBe(true);
    expect(lines[req + 2]!.length).toBeLessThan(220);
    expect(lines[req + 3]).toBe("    3 | c==2");
    // The newline that ends the file does not show as an empty line after the last one.
    const last = lines.findIndex((l) => l.startsWith("constraints.txt:2:"));
    expect(lines.slice(last + 1, last + 3)).toEqual(["    1 | ok==1", "  > 2 | !!bad"]);
    expect(lines[last + 3]).not.toMatch(/^\s+3 \|/);
    // JSON output stays as documented: no source lines in it.
    const json = await run(["deps", dir, "--format", "json"], dir);
    expect(JSON.stringify(JSON.parse(json.stdout).errors)).not.toContain("context");
  });

  it("exits 2 when nothing at all could be read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-cli-deps-"));
    writeFileSync(join(dir, "Pipfile.lock"), "{ not json");
    const { code, stdout } = await run(
      ["deps", "Pipfile.lock", "does-not-exist", "--format", "json"],
      dir,
    );
    expect(code).toBe(2);
    expect(JSON.parse(stdout).errors.map((e: { code: string }) => e.code)).toEqual([
      "json-syntax",
      "not-found",
    ]);
  });

  it("exits 2 and says so when a directory holds no lockfile at all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mdg-cli-deps-"));
    writeFileSync(join(dir, "README.md"), "# not a lockfile\n");
    const { code, stdout, stderr } = await run(["deps", ".", "--format", "json"], dir);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).lockfiles).toEqual([]);
    expect(stderr).toContain("no lockfile could be read in .");
  });
});

describe("renderDeps", () => {
  it("strips control characters from untrusted text in the table", async () => {
    const { renderDeps } = await import("../../src/report/deps.js");
    const text = renderDeps(
      {
        root: "/r",
        dependencies: [
          {
            name: "x\u001b[31mred\r\n::add-mask::y",
            file: "a\u0007.txt",
            line: 1,
            format: "requirements",
            kind: "path",
          },
        ],
        lockfiles: [{ path: "a\u0007.txt", format: "requirements", count: 1 }],
        errors: [
          {
            file: "b.txt",
            line: 2,
            code: "invalid-requirement",
            message: "bad \u001b]0;title\u0007 name",
          },
        ],
      },
      "table",
    );
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text.split("\n").some((l) => l.startsWith("::"))).toBe(false);
    expect(text).toContain("b.txt:2: bad  name [invalid-requirement]");
  });
});
