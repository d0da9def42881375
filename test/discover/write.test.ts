// Writing a report or cache file whole, on a real file system: the file is replaced in one
// rename and keeps its mode; a link stays a link; what cannot be replaced is written through.
import {
  lstat,
  mkdtemp,
  open,
  readFile,
  readlink,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeWhole } from "../../src/discover/write.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdg-write-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeWhole", () => {
  it("replaces a file by a rename (a new inode), keeping its mode, and leaves nothing beside it", async () => {
    const file = join(dir, "report.json");
    await writeFile(file, "old\n", { mode: 0o600 });
    const before = await stat(file);
    await writeWhole(file, "new\n");
    const after = await stat(file);
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["report.json"]);
  });

  it("makes a new file (and its folders) with the mode given", async () => {
    const file = join(dir, "a", "b", "cache.json");
    await writeWhole(file, "{}\n", 0o640);
    expect(await readFile(file, "utf8")).toBe("{}\n");
    expect((await stat(file)).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  it("through a symbolic link, replaces the file it points at whole; the link stays", async () => {
    const real = join(dir, "real.json");
    await writeFile(real, "old\n", { mode: 0o600 });
    const before = await stat(real);
    const link = join(dir, "link.json");
    await symlink("real.json", link);
    await writeWhole(link, "new\n");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toBe("new\n");
    expect((await stat(real)).ino).not.toBe(before.ino);
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(["link.json", "real.json"]);
  });

  it("through a link into /dev/fd (as /dev/stdout is), writes to what it names, never replacing the file behind it", async () => {
    // A shell's `> ci.log` holds the file open: replacing it would lose what else goes there.
    const log = join(dir, "ci.log");
    await writeFile(log, "");
    const handle = await open(log, "r+");
    try {
      const before = await stat(log);
      const link = join(dir, "stdout");
      await symlink(`/dev/fd/${handle.fd}`, link);
      await writeWhole(link, "report\n");
      expect((await stat(log)).ino).toBe(before.ino);
      expect(await readFile(log, "utf8")).toBe("report\n");
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it.each([
    [
      "a chain of links ending in /dev/fd/N",
      async (fd: number) => {
        await symlink(`/dev/fd/${fd}`, join(dir, "hop"));
        await symlink("hop", join(dir, "out.json"));
        return join(dir, "out.json");
      },
    ],
    [
      "a link through a folder link to /dev/fd",
      async (fd: number) => {
        await symlink("/dev/fd", join(dir, "fds"));
        await symlink(`fds/${fd}`, join(dir, "out.json"));
        return join(dir, "out.json");
      },
    ],
    [
      "a link whose text goes up (..) after a folder link",
      async (fd: number) => {
        // `d/../fd/N` with d -> /dev/fd is /dev/fd/../fd/N = /dev/fd/N to the kernel, not ./fd/N.
        await symlink("/dev/fd", join(dir, "d"));
        await symlink(`d/../fd/${fd}`, join(dir, "out.json"));
        return join(dir, "out.json");
      },
    ],
    [
      "a path under a folder link to /proc/self/fd",
      async (fd: number) => {
        await symlink("/proc/self/fd", join(dir, "fdl"));
        return join(dir, "fdl", String(fd));
      },
    ],
  ])("%s is written to, never replacing the file behind it", async (_name, make) => {
    const log = join(dir, "ci.log");
    await writeFile(log, "");
    const handle = await open(log, "r+");
    try {
      const before = await stat(log);
      await writeWhole(await make(handle.fd), "report\n");
      expect((await stat(log)).ino).toBe(before.ino);
      expect(await readFile(log, "utf8")).toBe("report\n");
    } finally {
      await handle.close();
    }
  });

  it("a link through /proc/self/root to a plain file is replaced whole like any other", async () => {
    const real = join(dir, "target.json");
    await writeFile(real, "old\n");
    const before = await stat(real);
    await symlink(`/proc/self/root${real}`, join(dir, "p.json"));
    await writeWhole(join(dir, "p.json"), "new\n");
    expect(await readFile(real, "utf8")).toBe("new\n");
    expect((await stat(real)).ino).not.toBe(before.ino);
  });

  it("a dangling link stays a link, and its file is made", async () => {
    const link = join(dir, "out.json");
    await symlink(join(dir, "target.json"), link);
    await writeWhole(link, "x\n");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(join(dir, "target.json"));
    expect(await readFile(join(dir, "target.json"), "utf8")).toBe("x\n");
  });
});
