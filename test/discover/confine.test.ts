// Confinement rules: what a `-r`/`-c` target or a symbolic link may reach, on disk and in a commit.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  confineCommitInclude,
  confineDiskInclude,
  isInside,
  linkOutsideRoot,
  remoteInclude,
  type ScanRoots,
} from "../../src/discover/confine.js";

let base: string;
let roots: ScanRoots;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "mdg-confine-")));
  const root = join(base, "root");
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "base.txt"), "a==1\n");
  writeFileSync(join(base, "secret.txt"), "s==1\n");
  symlinkSync(join(base, "secret.txt"), join(root, "escape.txt"));
  symlinkSync(join(root, "base.txt"), join(root, "sub", "alias.txt"));
  roots = { lexicalRoot: root, scanRoot: root };
});

describe("isInside", () => {
  it.each([
    ["/r", "/r", true],
    ["/r", "/r/a/b", true],
    ["/r", "/r/..a", true],
    ["/r", "/r2", false],
    ["/r", "/", false],
    ["/r/a", "/r/b", false],
  ])("%s contains %s: %s", (root, path, inside) => {
    expect(isInside(root, path)).toBe(inside);
  });
});

describe("remoteInclude", () => {
  it("refuses URLs of any scheme and leaves paths alone", () => {
    expect(remoteInclude("https://example.com/r.txt")?.code).toBe("include-remote");
    expect(remoteInclude("git+ssh://host/r.txt")?.code).toBe("include-remote");
    expect(remoteInclude("dir/https.txt")).toBeUndefined();
    expect(remoteInclude("C:\\req.txt")).toBeUndefined();
  });
});

describe("confineDiskInclude", () => {
  const from = () => join(roots.lexicalRoot, "requirements.txt");

  it("resolves a target next to the including file", () => {
    expect(confineDiskInclude(from(), "base.txt", roots)).toEqual({
      absolute: join(roots.lexicalRoot, "base.txt"),
      real: join(roots.lexicalRoot, "base.txt"),
    });
  });

  it("follows a link that stays inside the root to its real path", () => {
    expect(confineDiskInclude(from(), "sub/alias.txt", roots)).toEqual({
      absolute: join(roots.lexicalRoot, "sub", "alias.txt"),
      real: join(roots.lexicalRoot, "base.txt"),
    });
  });

  it("refuses a path that leaves the root before looking at it", () => {
    expect(confineDiskInclude(from(), "../secret.txt", roots)).toEqual({
      code: "include-outside-root",
      error: "refused: ../secret.txt is outside the scanned folder",
    });
    expect(confineDiskInclude(from(), join(base, "secret.txt"), roots)).toMatchObject({
      code: "include-outside-root",
    });
  });

  it("refuses a link inside the root that resolves outside it", () => {
    expect(confineDiskInclude(from(), "escape.txt", roots)).toEqual({
      code: "include-outside-root",
      error: "refused: escape.txt resolves outside the scanned folder",
    });
  });

  it("reports a missing target, and a URL before anything else", () => {
    expect(confineDiskInclude(from(), "nope.txt", roots)).toEqual({
      code: "include-missing",
      error: "cannot read included file nope.txt: no such file",
    });
    expect(confineDiskInclude(from(), "https://x/r.txt", roots)).toMatchObject({
      code: "include-remote",
    });
  });
});

describe("confineCommitInclude", () => {
  it("joins the target to the including file's folder, with `/` separators", () => {
    expect(confineCommitInclude("app/requirements.txt", "base.txt")).toEqual({
      file: "app/base.txt",
    });
    expect(confineCommitInclude("app/requirements.txt", "..\\shared\\base.txt")).toEqual({
      file: "shared/base.txt",
    });
    expect(confineCommitInclude("requirements.txt", "./a/../b.txt")).toEqual({ file: "b.txt" });
  });

  it("refuses a target above the commit's root and a URL", () => {
    expect(confineCommitInclude("app/requirements.txt", "../../etc/passwd")).toEqual({
      code: "include-outside-root",
      error: "refused: ../../etc/passwd is outside the scanned folder",
    });
    expect(confineCommitInclude("requirements.txt", "..")).toMatchObject({
      code: "include-outside-root",
    });
    expect(confineCommitInclude("requirements.txt", "http://x/r.txt")).toMatchObject({
      code: "include-remote",
    });
  });
});

describe("linkOutsideRoot", () => {
  it("names the link", () => {
    expect(linkOutsideRoot("a/link.txt")).toEqual({
      file: "a/link.txt",
      code: "symlink-outside-root",
      message: "refused: symbolic link resolves outside the scanned folder",
    });
  });
});
