// Legacy workflow commands: the Actions runner executes `##[error]`, `##[add-mask]`, ... found
// anywhere in a log line, and CLI output often lands in a log. Lockfile text (shown as the
// context of a parse error), lockfile paths and metadata carry it here; no output of any format,
// of `scan` or `deps`, may let the runner see `##[`.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";
import { NOW } from "../servers/scan-world.js";
import { FORMATS, startHostileWorld, type HostileWorld } from "./harness.js";

const FOLDER = "##[error]owned";

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: {
      // A poetry.lock broken on line 4, whose text is shown as the error's context.
      "poetry.lock":
        '[[package]]\nname = "legacy-victim"\nversion = "1.0.0"\nbroken = ##[error]pwned from lockfile\n',
    },
    packages: {
      "legacy-victim": {
        author_email: "dev@legacy-victim.com",
        author: "##[add-mask]name",
        version: "1.0.0",
      },
    },
  });
  await mkdir(join(world.dir, FOLDER));
  await writeFile(join(world.dir, FOLDER, "requirements.txt"), "legacy-victim==1.0.0\n");
});
afterAll(async () => {
  await world.close();
});

const legacy = (text: string) => text.split(/\r\n|\r|\n/).filter((l) => /##\[/i.test(l));

describe("legacy `##[` commands in lockfile text, paths and metadata", () => {
  it.each(FORMATS)("scan --format %s: no line of stdout or stderr holds ##[", async (format) => {
    const r = await world.run(format);
    expect(r.stdout + r.stderr).toContain("owned");
    expect(legacy(r.stdout)).toEqual([]);
    expect(legacy(r.stderr)).toEqual([]);
  });

  it.each(["table", "json"])("deps --format %s: the same", async (format) => {
    const r = await runMain(["deps", world.dir, "--format", format], {
      cwd: world.dir,
      now: () => NOW,
    });
    expect(r.stdout).toContain("owned");
    if (format === "table") expect(r.stdout + r.stderr).toContain("pwned from lockfile");
    expect(legacy(r.stdout)).toEqual([]);
    expect(legacy(r.stderr)).toEqual([]);
    // JSON keeps the text: it parses back to the path as written.
    if (format === "json")
      expect(JSON.parse(r.stdout).lockfiles.map((l: { path: string }) => l.path)).toContain(
        `${FOLDER}/requirements.txt`,
      );
  });
});
