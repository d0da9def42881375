// Directory discovery: which files are found, which folders are skipped, how paths are named.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { detectFormat, loadDependencies, parseLockfileText } from "../../src/discover/discover.js";

let root: string;
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "mdg-discover-"));
  put("requirements.txt", "a==1\n");
  put("requirements-dev.txt", "b==1\n");
  put("requirements/test.txt", "c==1\n");
  put("constraints.txt", "d==1\n");
  put("svc/poetry.lock", '[[package]]\nname = "e"\nversion = "1"\npython-versions = "*"\n');
  put("svc/Pipfile.lock", '{"default": {"f": {"version": "==1"}}}');
  put(
    "svc/uv.lock",
    'version = 1\n[[package]]\nname = "g"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n',
  );
  put("svc/pdm.lock", '[[package]]\nname = "h"\nversion = "1"\n');
  put("svc/pylock.toml", '[[packages]]\nname = "i"\nversion = "1"\n');
  put("svc/pylock.dev.toml", '[[packages]]\nname = "j"\nversion = "1"\n');
  put("svc/environment.yaml", "dependencies:\n  - pip:\n    - k==1\n");
  put("svc/pyproject.toml", '[project]\ndependencies = ["l==1"]\n');
  put("svc/setup.cfg", "[options]\ninstall_requires =\n    m==1\n");
  put(
    "svc/tool.py.lock",
    'version = 1\n[[package]]\nname = "n"\nversion = "1"\nsource = { registry = "https://pypi.org/simple" }\n',
  );
  put("notes.txt", "not==1\n");
  for (const skipped of [
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "site-packages",
    "__pycache__",
    ".tox",
    ".nox",
  ]) {
    put(`${skipped}/requirements.txt`, "skipped==1\n");
  }
});

describe("loadDependencies", () => {
  it("finds every lockfile and manifest name in a tree and skips tool and vendor folders", async () => {
    const set = await loadDependencies([], root);
    expect(set.root).toBe(root);
    expect(set.errors).toEqual([]);
    expect(set.lockfiles.map((l) => `${l.path}:${l.format}`).sort()).toEqual([
      "constraints.txt:requirements",
      "requirements-dev.txt:requirements",
      "requirements.txt:requirements",
      "requirements/test.txt:requirements",
      "svc/Pipfile.lock:pipfile-lock",
      "svc/environment.yaml:conda",
      "svc/pdm.lock:pdm",
      "svc/poetry.lock:poetry",
      "svc/pylock.dev.toml:pylock",
      "svc/pylock.toml:pylock",
      "svc/pyproject.toml:pyproject",
      "svc/setup.cfg:setup-cfg",
      "svc/uv.lock:uv",
    ]);
    expect(set.dependencies.map((d) => d.name).sort()).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
      "f",
      "g",
      "h",
      "i",
      "j",
      "k",
      "l",
      "m",
    ]);
  });

  it("parses an explicit file of any name by its content", async () => {
    const set = await loadDependencies(["svc/tool.py.lock"], root);
    expect(set.lockfiles).toEqual([{ path: "svc/tool.py.lock", format: "uv", count: 1 }]);
  });

  it("names files relative to cwd, and outside cwd with `..` (never the base name alone)", async () => {
    const inside = await loadDependencies(["svc"], root);
    expect(inside.dependencies.find((d) => d.name === "e")?.file).toBe("svc/poetry.lock");
    const outside = await loadDependencies([join(root, "svc")], join(root, "requirements"));
    expect(outside.dependencies.find((d) => d.name === "e")?.file).toBe("../svc/poetry.lock");
  });

  it("keeps two same-named lockfiles in two folders outside cwd apart", async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), "mdg-same-name-"));
    try {
      for (const [dir, pkg] of [
        ["one/app", "alpha"],
        ["two/app", "beta"],
      ] as const) {
        await mkdir(join(elsewhere, dir), { recursive: true });
        await writeFile(join(elsewhere, dir, "requirements.txt"), `${pkg}==1.0\n`);
      }
      const cwd = join(elsewhere, "cwd", "deep", "er");
      await mkdir(cwd, { recursive: true });
      const set = await loadDependencies(
        [join(elsewhere, "one", "app"), join(elsewhere, "two", "app")],
        cwd,
      );
      expect(set.lockfiles.map((l) => l.path)).toEqual([
        join(elsewhere, "one", "app", "requirements.txt").split("\\").join("/"),
        join(elsewhere, "two", "app", "requirements.txt").split("\\").join("/"),
      ]);
      expect(set.dependencies.map((d) => `${d.name} ${d.file}`)).toEqual([
        `alpha ${set.lockfiles[0]!.path}`,
        `beta ${set.lockfiles[1]!.path}`,
      ]);
      // Near the working directory: relative with `..`.
      const near = await loadDependencies(["../one/app", "../two/app"], join(elsewhere, "cwd"));
      expect(near.lockfiles.map((l) => l.path)).toEqual([
        "../one/app/requirements.txt",
        "../two/app/requirements.txt",
      ]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("a file the walk reads first and another file includes later: each line once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdg-include-twice-"));
    try {
      // The walk takes requirements-dev.txt first (name order), then requirements.txt, which
      // includes it again.
      await writeFile(join(dir, "requirements-dev.txt"), "pytest==8.0.0\n");
      await writeFile(join(dir, "requirements.txt"), "-r requirements-dev.txt\nflask==3.0.0\n");
      const set = await loadDependencies(["."], dir);
      expect(set.dependencies.map((d) => [d.file, d.line, d.name])).toEqual([
        ["requirements-dev.txt", 1, "pytest"],
        ["requirements.txt", 2, "flask"],
      ]);
      expect(set.lockfiles.map((l) => [l.path, l.count])).toEqual([
        ["requirements-dev.txt", 1],
        ["requirements.txt", 1],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("parses a file named twice only once", async () => {
    const set = await loadDependencies(["requirements.txt", ".", "./requirements.txt"], root);
    expect(set.dependencies.filter((d) => d.name === "a")).toHaveLength(1);
  });
});

describe("an included file met on its own first", () => {
  it("keeps the private index of the file that includes it, whatever the walk order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdg-include-order-"));
    try {
      // requirements-base.txt sorts first: the walk parses it alone before requirements.txt
      // includes it under its --index-url.
      await writeFile(
        join(dir, "requirements.txt"),
        "--index-url https://pypi.corp.example/simple\n-r requirements-base.txt\ninternal-app==1.0\n",
      );
      await writeFile(join(dir, "requirements-base.txt"), "corp-secret-lib==2.0\n");
      for (const args of [
        [],
        ["requirements.txt", "requirements-base.txt"],
        ["requirements-base.txt", "requirements.txt"],
      ]) {
        const set = await loadDependencies(args, dir);
        expect(set.dependencies.map((d) => [d.name, d.file, d.line, d.index])).toEqual(
          expect.arrayContaining([
            ["corp-secret-lib", "requirements-base.txt", 1, "https://pypi.corp.example/simple"],
            ["internal-app", "requirements.txt", 3, "https://pypi.corp.example/simple"],
          ]),
        );
        expect(set.dependencies).toHaveLength(2);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("detectFormat and parseLockfileText", () => {
  it.each([
    ["poetry.lock", undefined, "poetry"],
    ["x.py.lock", '[[package]]\nname = "a"\nsource = { registry = "r" }\n', "uv"],
    ["old.lock", '[[package]]\nname = "a"\npython-versions = "*"\n', "poetry"],
    ["lock.json", '{"_meta": {}, "default": {}}', "pipfile-lock"],
    ["dev.in", "a==1\n", "requirements"],
    ["README.md", "# hi\n", undefined],
  ])("%s -> %s", (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });

  // Detection reads blank lines in linear time (benchmark territory); here: the result is right.
  it("detects and reads a uv script lock followed by 60,000 blank lines", () => {
    const text = `[[package]]\nname = "a"\nversion = "1"\n${"\n".repeat(60_000)}`;
    expect(detectFormat("x.py.lock", text)).toBe("uv");
    const result = parseLockfileText("x.py.lock", text);
    expect(result.errors).toEqual([]);
    expect(result.dependencies).toMatchObject([
      { name: "a", version: "1", file: "x.py.lock", line: 2, format: "uv" },
    ]);
  });

  it("parses text from a base commit with includes read through the callback", () => {
    const result = parseLockfileText("app/requirements.txt", "-r base.txt\nx==2\n", (target) =>
      target === "app/base.txt" ? "y==1\n" : undefined,
    );
    expect(result.format).toBe("requirements");
    expect(result.dependencies.map((d) => [d.name, d.version, d.file, d.line])).toEqual([
      ["y", "1", "app/base.txt", 1],
      ["x", "2", "app/requirements.txt", 2],
    ]);
  });
});
