import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDependencies, parseLockfileText } from "../../src/discover/discover.js";
import { matches, parse } from "../../src/lockfiles/formats/setup-cfg.js";
import { fixture, rows } from "./rows.js";

/** A scanned folder `repo` (inside a parent holding `secret.txt`) with the given files. */
function project(files: Record<string, string>): string {
  const base = mkdtempSync(join(tmpdir(), "mdg-setup-cfg-"));
  writeFileSync(join(base, "secret.txt"), "stolen==1.0\n");
  const root = join(base, "repo");
  mkdirSync(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const located = (deps: { name: string; version?: string; file: string; line: number }[]) =>
  deps.map((d) => [d.name, d.version ?? null, d.file, d.line]);

describe("setup.cfg", () => {
  it("claims setup.cfg only", () => {
    expect([matches("setup.cfg"), matches("tox.ini")]).toEqual([true, false]);
  });

  it("reads install_requires (also on the key's line) and extras_require, not setup_requires", () => {
    const result = parse(fixture("setup-cfg/same-line.cfg"), "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["requests", "2.31.0", 5, "pypi"],
      ["pytest", null, 11, "pypi"],
      ["mock", "5.0.0", 13, "pypi"],
    ]);
  });

  // What setuptools makes of each value was checked with setuptools 65.5.0's
  // setuptools.config.setupcfg.read_configuration on these texts, and against the current
  // source of setupcfg.py (`_parse_list`, `_parse_requirements_list`, `_parse_file`).
  it("splits a one-line value on `;` and reads a `file:` list, as setuptools does (the audit's case)", async () => {
    // setuptools: install_requires ['requests==2.31.0', 'evil-pkg==6.6.6'], dev ['hidden-dev==1.0'].
    const root = project({
      "setup.cfg": [
        "[options]",
        "install_requires = requests==2.31.0; evil-pkg==6.6.6",
        "[options.extras_require]",
        "dev = file: dev-reqs.in",
        "",
      ].join("\n"),
      "dev-reqs.in": "hidden-dev==1.0\n",
    });
    const set = await loadDependencies(["."], root);
    expect(set.errors).toEqual([]);
    expect(located(set.dependencies)).toEqual([
      ["requests", "2.31.0", "setup.cfg", 2],
      ["evil-pkg", "6.6.6", "setup.cfg", 2],
      ["hidden-dev", "1.0", "dev-reqs.in", 1],
    ]);
    expect(set.dependencies.map((d) => d.kind)).toEqual(["pypi", "pypi", "pypi"]);
  });

  it("skips a line that is no key in extras_require, and the lines under it", () => {
    const text = "[options.extras_require]\nnot a key\n    ignored==1\ndev = ok==1\n";
    const result = parse(text, "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([["ok", "1", 4, "pypi"]]);
  });

  it("keeps a marker written on its own line with its requirement", () => {
    // setuptools: ['foo; python_version<"3.8"', 'bar==1'].
    const text = '[options]\ninstall_requires =\n    foo; python_version<"3.8"\n    bar==1\n';
    const result = parse(text, "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["foo", null, 3, "pypi"],
      ["bar", "1", 4, "pypi"],
    ]);
  });

  it("does not split on `;` once the value goes on to a continuation line", () => {
    // setuptools: ['a==1; python_version>"3"', 'c==3']: the first line is one requirement.
    const text = '[options]\ninstall_requires = a==1; python_version>"3"\n    c==3\n';
    const result = parse(text, "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["a", "1", 2, "pypi"],
      ["c", "3", 3, "pypi"],
    ]);
  });

  it("reports a marker after `;` on the key's line, which setuptools reads as a second requirement", () => {
    const text = '[options.extras_require]\ntest = foo; python_version<"3.8"\n';
    const result = parse(text, "setup.cfg");
    expect(rows(result)).toEqual([["foo", null, 2, "pypi"]]);
    expect(result.errors).toEqual([
      {
        file: "setup.cfg",
        line: 2,
        code: "invalid-requirement",
        message:
          '"python_version<"3.8"" is a marker, but setuptools splits a value on one line at `;` and reads it as a second requirement: put the requirement on its own line under the key',
      },
    ]);
  });

  it("reads a name after `;` that is a valid requirement as one, as setuptools does", () => {
    // setuptools: ['foo', 'platform_system'] (a warning, and pip installs platform_system).
    const result = parse("[options]\ninstall_requires = foo; platform_system\n", "setup.cfg");
    expect(result.errors).toEqual([]);
    expect(rows(result).map((r) => r[0])).toEqual(["foo", "platform-system"]);
  });

  it("reads several `file:` targets, and splits a one-line file without a line break on `;`", async () => {
    // setuptools: ['p==1', 'q==2'] for the one-line file; the two files joined are read by line.
    const root = project({
      "setup.cfg": [
        "[options]",
        "install_requires = file: one-line.in",
        "[options.extras_require]",
        "dev = file: a.in, sub/b.in",
        "",
      ].join("\n"),
      "one-line.in": "p==1; q==2",
      "a.in": "# pinned\nx==1  # why\n",
    });
    mkdirSync(join(root, "sub"));
    writeFileSync(join(root, "sub", "b.in"), "y==2\n");
    const set = await loadDependencies(["setup.cfg"], root);
    expect(set.errors).toEqual([]);
    expect(located(set.dependencies)).toEqual([
      ["p", "1", "one-line.in", 1],
      ["q", "2", "one-line.in", 1],
      ["x", "1", "a.in", 2],
      ["y", "2", "sub/b.in", 1],
    ]);
  });

  it("refuses a `file:` target outside the scanned folder and names a missing one, at setup.cfg's line", async () => {
    const root = project({
      "setup.cfg":
        "[options]\ninstall_requires = ok==1\n[options.extras_require]\ndev = file: ../secret.txt, gone.in\n",
    });
    const set = await loadDependencies(["."], root);
    expect(set.dependencies.map((d) => d.name)).toEqual(["ok"]);
    expect(set.errors).toMatchObject([
      { file: "setup.cfg", line: 4, code: "include-outside-root" },
      { file: "setup.cfg", line: 4, code: "include-missing" },
    ]);
    expect(set.errors[1]!.message).toMatch(/gone\.in/);
  });

  it("reads a `file:` target from a commit through the caller's reader", () => {
    const seen: string[] = [];
    const result = parseLockfileText(
      "pkg/setup.cfg",
      "[options]\ninstall_requires = file: requirements.in\n",
      (target) => {
        seen.push(target);
        return target === "pkg/requirements.in" ? "hidden==1.0\n" : undefined;
      },
    );
    expect(seen).toEqual(["pkg/requirements.in"]);
    expect(result.errors).toEqual([]);
    expect(located(result.dependencies)).toEqual([["hidden", "1.0", "pkg/requirements.in", 1]]);
  });

  it("reports `file:` where setuptools does not read it as a file list, instead of a path dependency", () => {
    const text = [
      "[options]",
      "install_requires =",
      "    file: dev-reqs.in",
      "[options.extras_require]",
      "dev = file: a.in",
      "    b.in",
      "",
    ].join("\n");
    const result = parse(text, "setup.cfg", {
      readInclude: () => ({ code: "include-missing", error: "not expected" }),
    });
    expect(rows(result)).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: "setup.cfg",
        line: 3,
        code: "invalid-option",
        message:
          '"file: dev-reqs.in" is read by setuptools as a requirement, not a file list: write `file:` right after the key, as in `install_requires = file: requirements.in`',
      },
      {
        file: "setup.cfg",
        line: 5,
        code: "invalid-option",
        message:
          "setuptools takes the lines under `file:` as part of one file name: list the files on the key's line, separated by commas",
      },
    ]);
  });
});
