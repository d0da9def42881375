// Every real lockfile in the corpus, parsed through discovery, against the independent
// extractor's expected.json: exact pins, unpinned names, and the kinds of non-index entries.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDependencies } from "../../src/discover/discover.js";
import type { Dependency } from "../../src/types.js";

const CORPUS = join(import.meta.dirname, "..", "fixtures", "corpus");

interface Expected {
  format: string;
  file: string;
  pins: [string, string][];
  unpinned: { name: string; spec: string }[];
  vcs: { name: string | null }[];
  url: { name: string | null }[];
  local: { name: string | null; kind: string; editable: boolean }[];
  editable: (string | null)[];
}

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((format) =>
    readdirSync(join(CORPUS, format.name)).map((name) => {
      const dir = join(CORPUS, format.name, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
      return { id: `${format.name}/${name}`, dir, expected };
    }),
  );

/** Non-index entries named in expected.json (names may be null for `-e .` and the like). */
function byName(deps: Dependency[], name: string | null): Dependency[] {
  return name === null ? [] : deps.filter((d) => d.name === name);
}

describe("corpus", () => {
  it("has every format folder", () => {
    expect(new Set(cases.map((c) => c.id.split("/")[0]))).toEqual(
      new Set([
        "conda",
        "pdm",
        "pipfile-lock",
        "poetry",
        "pylock",
        "pyproject",
        "requirements",
        "setup-cfg",
        "uv",
      ]),
    );
  });

  it.each(cases)("$id matches expected.json", async ({ dir, expected }) => {
    const set = await loadDependencies([expected.file], dir);
    expect(
      set.errors.filter((e) => e.file === expected.file && !e.code.startsWith("include-")),
    ).toEqual([]);
    const own = set.dependencies.filter((d) => d.file === expected.file);
    const entries =
      expected.pins.length +
      expected.unpinned.length +
      expected.vcs.length +
      expected.url.length +
      expected.local.length;
    // A file with entries is listed with its format; one with only (unreadable) includes is not.
    expect(set.lockfiles.filter((l) => l.path === expected.file).map((l) => l.format)).toEqual(
      entries > 0 ? [expected.format] : [],
    );

    const pins = new Set(
      own
        .filter((d) => d.kind === "pypi" && d.version !== undefined)
        .map((d) => `${d.name}==${d.version}`),
    );
    expect([...pins].sort()).toEqual(
      [...new Set(expected.pins.map(([n, v]) => `${n}==${v}`))].sort(),
    );

    for (const { name } of expected.unpinned) {
      const found = own.filter((d) => d.name === name && d.kind === "pypi");
      expect(found.length, `unpinned ${name}`).toBeGreaterThan(0);
      expect(
        found.some((d) => d.version === undefined),
        `${name} comes out without a version`,
      ).toBe(true);
    }
    for (const { name } of expected.vcs)
      for (const d of byName(own, name)) expect(d.kind, `vcs ${name}`).toBe("vcs");
    for (const { name } of expected.url)
      for (const d of byName(own, name)) expect(d.kind, `url ${name}`).toBe("url");
    for (const entry of expected.local) {
      const wanted = expected.editable.includes(entry.name) || entry.editable ? "editable" : "path";
      if (entry.name === null) continue;
      const found = byName(own, entry.name);
      expect(found.length, `local ${entry.name}`).toBeGreaterThan(0);
      for (const d of found) expect(d.kind, `local ${entry.name}`).toBe(wanted);
    }
    // Nameless local entries (`-e .`, `-e ./path[extras]`) still come out, one per entry.
    const nameless = expected.local.filter((l) => l.name === null).length;
    const nonIndexNamedByPath = own.filter(
      (d) => (d.kind === "path" || d.kind === "editable") && !/^[a-z0-9-]+$/.test(d.name),
    );
    expect(nonIndexNamedByPath.length).toBe(nameless);
    // Every vcs/url entry of expected.json comes out with that kind, nothing extra.
    expect(own.filter((d) => d.kind === "vcs").length).toBe(expected.vcs.length);
    expect(own.filter((d) => d.kind === "url").length).toBe(expected.url.length);

    for (const d of own) expect(d.line, `${d.name} line`).toBeGreaterThanOrEqual(1);
  });
});

describe("corpus lines", () => {
  const lineOf = async (id: string, file: string, name: string, version?: string) => {
    const set = await loadDependencies([file], join(CORPUS, id));
    const dep = set.dependencies.find(
      (d) => d.name === name && (version === undefined || d.version === version),
    );
    expect(dep, `${name} in ${id}`).toBeDefined();
    return { dep: dep!, lines: readFileSync(join(CORPUS, id, file), "utf8").split("\n") };
  };

  it("gives a uv package the line of its name key", async () => {
    const { dep, lines } = await lineOf("uv/flask-2026", "uv.lock", "blinker");
    expect(lines[dep.line - 1]).toBe('name = "blinker"');
  });

  it("gives each of two poetry packages with one name its own name line", async () => {
    const set = await loadDependencies(
      ["poetry.lock"],
      join(CORPUS, "poetry/guarddog-2026-lock-2.1-duplicates"),
    );
    const numpy = set.dependencies.filter((d) => d.name === "numpy");
    expect(numpy).toHaveLength(2);
    const text = readFileSync(
      join(CORPUS, "poetry/guarddog-2026-lock-2.1-duplicates/poetry.lock"),
      "utf8",
    ).split("\n");
    for (const d of numpy) expect(text[d.line - 1]).toBe('name = "numpy"');
    expect(numpy[0]!.line).not.toBe(numpy[1]!.line);
  });

  it("gives a Pipfile.lock entry the line of its key in its own section", async () => {
    const { dep, lines } = await lineOf(
      "pipfile-lock/pipenv-2019-git-editable",
      "Pipfile.lock",
      "passa",
    );
    expect(lines[dep.line - 1]!.trim()).toBe('"passa": {');
  });

  it("gives a continued requirement its first physical line", async () => {
    const { dep, lines } = await lineOf(
      "requirements/scalibr-version-specifier-edge-cases",
      "with_versions.txt",
      "qwerty",
    );
    expect(lines[dep.line - 1]).toBe("qwerty \\");
    expect(dep.version).toBe("0.1");
  });

  it("gives a hashed pip-compile requirement the line of its name", async () => {
    const { dep, lines } = await lineOf(
      "requirements/warehouse-main-pipcompile-hashes",
      "main.txt",
      "alembic",
    );
    expect(lines[dep.line - 1]).toMatch(/^alembic==/);
  });

  it("gives a conda pip: entry the line of its list item", async () => {
    const set = await loadDependencies(["environment.yml"], join(CORPUS, "conda/scalibr-with-pip"));
    const lines = readFileSync(
      join(CORPUS, "conda/scalibr-with-pip/environment.yml"),
      "utf8",
    ).split("\n");
    for (const d of set.dependencies) {
      expect(lines[d.line - 1]).toMatch(/^\s*- /);
      expect(lines[d.line - 1]!.toLowerCase()).toContain(d.name.split("-")[0]);
    }
    expect(set.dependencies.some((d) => d.kind === "conda")).toBe(true);
  });

  it("gives a pylock package in inline-table style the line of its name", async () => {
    const { dep, lines } = await lineOf("pylock/pep751-example", "pylock.toml", "numpy");
    expect(lines[dep.line - 1]).toBe("name = 'numpy'");
  });
});

describe("corpus with CRLF line ends", () => {
  // A Windows runner's checkout (core.autocrlf true) ends every line of a text file with CRLF:
  // each file must give the same dependencies, versions, kinds, indexes and lines as with LF.
  const temp = mkdtempSync(join(tmpdir(), "mdg-crlf-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const seen = (deps: Dependency[]) =>
    deps.map((d) => [d.file, d.line, d.name, d.version, d.kind, d.index]);

  it.each(cases)("$id", async ({ id, dir, expected }) => {
    const copy = join(temp, id.replace("/", "_"));
    let crlfLines = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || entry.name === "expected.json") continue;
      const from = join(entry.parentPath ?? entry.path, entry.name);
      const to = join(copy, from.slice(dir.length));
      const text = readFileSync(from, "utf8").replace(/\r?\n/g, "\r\n");
      crlfLines += text.split("\r\n").length - 1;
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, text);
    }
    expect(crlfLines).toBeGreaterThan(0);
    const lf = await loadDependencies([expected.file], dir);
    const crlf = await loadDependencies([expected.file], copy);
    expect(seen(crlf.dependencies)).toEqual(seen(lf.dependencies));
    expect(crlf.errors.map((e) => e.code)).toEqual(lf.errors.map((e) => e.code));
    // Not equal by having nothing: each case gives dependencies, or (includes only) errors.
    expect(crlf.dependencies.length + crlf.errors.length).toBeGreaterThan(0);
  });
});
