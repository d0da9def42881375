// Directory walking: order, skipped folders, the depth limit and symbolic links.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  isLockfileName,
  MAX_WALK_DEPTH,
  SKIPPED_DIRECTORIES,
  type WalkItem,
  walkDirectory,
} from "../../src/discover/walk.js";

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "mdg-walk-")));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function walkAll(root: string, visited = new Set<string>()): Promise<WalkItem[]> {
  const items: WalkItem[] = [];
  const scope = { scanRoot: root, display: (p: string) => relative(root, p), visited };
  for await (const item of walkDirectory(root, scope)) items.push(item);
  return items;
}

const shown = (items: WalkItem[]) =>
  items.map((i) => ("file" in i ? i.file.display : `${i.error.code}:${i.error.file}`));

describe("walkDirectory", () => {
  it("yields this folder's lockfiles in name order before any subfolder's", async () => {
    const root = tree({
      "b/requirements.txt": "",
      "a/requirements.txt": "",
      "uv.lock": "",
      "poetry.lock": "",
      "notes.txt": "",
    });
    expect(shown(await walkAll(root))).toEqual([
      "poetry.lock",
      "uv.lock",
      "a/requirements.txt",
      "b/requirements.txt",
    ]);
  });

  it("never enters a skipped folder, even through a link", async () => {
    const files: Record<string, string> = { "requirements.txt": "" };
    for (const name of SKIPPED_DIRECTORIES) files[`${name}/requirements.txt`] = "";
    const root = tree(files);
    mkdirSync(join(root, "real"));
    writeFileSync(join(root, "real", "requirements.txt"), "");
    mkdirSync(join(root, "deps"));
    symlinkSync(join(root, "real"), join(root, "deps", "node_modules"));
    expect(shown(await walkAll(root))).toEqual(["requirements.txt", "real/requirements.txt"]);
  });

  it(`walks ${MAX_WALK_DEPTH} folders deep and no deeper, and says where it stopped`, async () => {
    const deepest = Array.from({ length: MAX_WALK_DEPTH }, (_, i) => `d${i + 1}`).join("/");
    const root = tree({
      [`${deepest}/requirements.txt`]: "",
      [`${deepest}/d${MAX_WALK_DEPTH + 1}/requirements.txt`]: "",
    });
    expect(shown(await walkAll(root))).toEqual([
      `${deepest}/requirements.txt`,
      `too-deep:${deepest}/d${MAX_WALK_DEPTH + 1}`,
    ]);
  });

  it("a FIFO, or a link to nothing, under a lockfile's name is said, never opened or skipped quietly", async () => {
    const root = tree({ "sub/keep.txt": "" });
    execFileSync("mkfifo", [join(root, "sub", "requirements.txt")]);
    symlinkSync(join(root, "sub", "requirements.txt"), join(root, "requirements-fifo.txt"));
    symlinkSync(join(root, "requirements-loop.txt"), join(root, "requirements-loop.txt"));
    symlinkSync(join(root, "sub", "keep.txt"), join(root, "notes.txt")); // not a lockfile name
    expect(shown(await walkAll(root))).toEqual([
      "unreadable:requirements-fifo.txt",
      "broken-link:requirements-loop.txt",
      "unreadable:sub/requirements.txt",
    ]);
  });

  it("finds requirements/*.txt when the walk starts inside that folder", async () => {
    const root = tree({ "requirements/base.txt": "", "requirements/dev.txt": "" });
    const inside = join(root, "requirements");
    const scope = {
      scanRoot: inside,
      display: (p: string) => relative(inside, p),
      visited: new Set<string>(),
    };
    const found: string[] = [];
    for await (const item of walkDirectory(inside, scope))
      found.push("file" in item ? item.file.display : `${item.error.code}:${item.error.file}`);
    expect(found).toEqual(["base.txt", "dev.txt"]);
  });

  it("follows links inside the root once, and refuses claimed links that leave it", async () => {
    const outside = tree({ "requirements.txt": "", "other.txt": "" });
    const root = tree({ "pkg/requirements.txt": "" });
    symlinkSync(join(root, "pkg"), join(root, "again")); // same folder: walked once
    symlinkSync(root, join(root, "pkg", "loop")); // a loop back to the root
    symlinkSync(join(outside, "requirements.txt"), join(root, "requirements-out.txt"));
    symlinkSync(outside, join(root, "outdir"));
    symlinkSync(join(outside, "other.txt"), join(root, "other.txt")); // not a lockfile name
    symlinkSync(join(root, "missing.txt"), join(root, "requirements-dangling.txt"));
    expect(shown(await walkAll(root))).toEqual([
      "symlink-outside-root:outdir",
      "broken-link:requirements-dangling.txt",
      "symlink-outside-root:requirements-out.txt",
      "again/requirements.txt",
    ]);
  });

  it("skips folders another scan root already walked", async () => {
    const root = tree({ "requirements.txt": "", "sub/requirements.txt": "" });
    const visited = new Set<string>([join(root, "sub")]);
    expect(shown(await walkAll(root, visited))).toEqual(["requirements.txt"]);
    expect(visited.has(root)).toBe(true);
  });

  it("reports a folder it cannot read", async () => {
    const root = tree({});
    const scope = {
      scanRoot: root,
      display: (p: string) => relative(root, p),
      visited: new Set<string>(),
    };
    const items: WalkItem[] = [];
    for await (const item of walkDirectory(join(root, "gone"), scope)) items.push(item);
    expect(items).toEqual([
      { error: { file: "gone", code: "unreadable", message: "cannot read: no such file" } },
    ]);
  });
});

describe("isLockfileName", () => {
  it.each([
    ["requirements.txt", true],
    ["sub/requirements-dev.txt", true],
    ["uv.lock", true],
    ["notes.txt", false],
    ["README.md", false],
  ])("%s: %s", (name, expected) => {
    expect(isLockfileName(name)).toBe(expected);
  });
});
