// Lockfiles are attacker-controlled in a pull request. Includes and symlinks may not leave the
// scanned folder, special files are not opened, and deeply nested or alias-bomb files are
// refused with an error instead of crashing or hanging.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadDependencies, parseLockfileText } from "../../src/discover/discover.js";

let base: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "mdg-hostile-"));
  root = join(base, "repo");
  mkdirSync(root);
  writeFileSync(join(base, "secret.txt"), "stolen==1.0\n");
  writeFileSync(join(base, "requirements.txt"), "outside==1.0\n");
});

describe("includes outside the scanned folder", () => {
  it.each([
    ["-r ../secret.txt"],
    ["-c ../secret.txt"],
    ["--requirement=/etc/passwd"],
    ["-r sub/../../secret.txt"],
  ])("refuses %s naming the including file and line", async (line) => {
    writeFileSync(join(root, "requirements.txt"), `ok==1\n${line}\n`);
    const set = await loadDependencies(["."], root);
    expect(set.dependencies.map((d) => d.name)).toEqual(["ok"]);
    expect(set.errors).toMatchObject([
      { file: "requirements.txt", line: 2, code: "include-outside-root" },
    ]);
  });

  it("refuses an include that is a symlink pointing outside", async () => {
    symlinkSync(join(base, "secret.txt"), join(root, "inner.txt"));
    writeFileSync(join(root, "requirements.txt"), "-r inner.txt\n");
    const set = await loadDependencies(["requirements.txt"], root);
    expect(set.dependencies).toEqual([]);
    expect(set.errors).toMatchObject([
      { file: "requirements.txt", line: 1, code: "include-outside-root" },
    ]);
  });

  it("refuses `..` includes in text parsed without a file system", () => {
    const seen: string[] = [];
    const result = parseLockfileText(
      "requirements.txt",
      "-r ../x.txt\n-r sub/y.txt\n",
      (target) => {
        seen.push(target);
        return target === "sub/y.txt" ? "y==1\n" : undefined;
      },
    );
    expect(seen).toEqual(["sub/y.txt"]);
    expect(result.dependencies.map((d) => [d.name, d.file])).toEqual([["y", "sub/y.txt"]]);
    expect(result.errors).toMatchObject([
      { file: "requirements.txt", line: 1, code: "include-outside-root" },
    ]);
  });

  it("does not fetch a URL include", () => {
    const result = parseLockfileText(
      "requirements.txt",
      "-r https://evil.example/r.txt\n",
      () => "x==1\n",
    );
    expect(result.errors).toMatchObject([{ line: 1, code: "include-remote" }]);
    expect(result.dependencies).toEqual([]);
  });
});

describe("symlinks", () => {
  it("refuses a lockfile symlink that resolves outside the scanned folder, in a walk and by name", async () => {
    symlinkSync(join(base, "requirements.txt"), join(root, "requirements.txt"));
    const walked = await loadDependencies(["."], root);
    expect(walked.dependencies).toEqual([]);
    expect(walked.errors).toMatchObject([
      { file: "requirements.txt", code: "symlink-outside-root" },
    ]);
    const named = await loadDependencies(["requirements.txt"], root);
    expect(named.errors).toMatchObject([
      { file: "requirements.txt", code: "symlink-outside-root" },
    ]);
  });

  it("refuses a directory symlink that leaves the folder and ends a symlink loop", async () => {
    mkdirSync(join(root, "a"));
    writeFileSync(join(root, "a", "requirements.txt"), "inside==1\n");
    symlinkSync(root, join(root, "a", "loop"));
    symlinkSync(base, join(root, "escape"));
    const set = await loadDependencies(["."], root);
    expect(set.dependencies.map((d) => [d.name, d.file])).toEqual([
      ["inside", "a/requirements.txt"],
    ]);
    expect(set.errors).toMatchObject([{ file: "escape", code: "symlink-outside-root" }]);
  });

  it("does not open a FIFO named like a lockfile", async () => {
    try {
      execFileSync("mkfifo", [join(root, "requirements.txt")]);
    } catch {
      return; // no mkfifo on this system; the regular-file check is covered by the walk below
    }
    const named = await loadDependencies(["requirements.txt"], root);
    expect(named.errors).toMatchObject([{ file: "requirements.txt", code: "unreadable" }]);
    const walked = await loadDependencies(["."], root);
    expect(walked.dependencies).toEqual([]);
  });
});

describe("resource exhaustion", () => {
  it.each([
    ["uv.lock", `a = ${"[".repeat(100_000)}`],
    ["Pipfile.lock", `{"default": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`],
    ["environment.yml", `dependencies: ${"[".repeat(100_000)}`],
    ["pylock.toml", `packages = ${"[{a = ".repeat(50_000)}`],
  ])("refuses deeply nested %s with too-deeply-nested", async (file, text) => {
    writeFileSync(join(root, file), text);
    const set = await loadDependencies([file], root);
    expect(set.errors).toMatchObject([{ file, code: "too-deeply-nested" }]);
  });

  it("refuses a YAML alias bomb", async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    lines.push("dependencies: *l");
    writeFileSync(join(root, "environment.yml"), lines.join("\n"));
    const set = await loadDependencies(["."], root);
    expect(set.errors).toMatchObject([{ file: "environment.yml", code: "yaml-alias-limit" }]);
  });
});

describe("names built to inject", () => {
  it("rejects names outside the PEP 508 grammar and keeps control characters out of messages", () => {
    const text = JSON.stringify({
      default: {
        "x\n::add-mask::y": { version: "==1" },
        "evil\u001b[31m": { version: "==1" },
        "a%0A::set-output name=x::": { version: "==1" },
        "../../admin": { version: "==1" },
        fine: { version: "==1" },
      },
    });
    const result = parseLockfileText("Pipfile.lock", text);
    expect(result.dependencies.map((d) => d.name)).toEqual(["fine"]);
    expect(result.errors.map((e) => e.code)).toEqual(Array(4).fill("invalid-package"));
    for (const e of result.errors) expect(e.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("rejects an injected requirement name and a name @ url with a bad name", () => {
    const result = parseLockfileText(
      "requirements.txt",
      "x::add-mask::y==1\n@evil @ https://e.example/x.whl\nok==1\n",
    );
    expect(result.dependencies.map((d) => d.name)).toEqual(["ok"]);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([
      [1, "invalid-requirement"],
      [2, "invalid-requirement"],
    ]);
  });
});
