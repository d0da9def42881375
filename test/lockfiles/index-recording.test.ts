// Every format records the index a dependency comes from when the file names one other than
// PyPI, so that the scan never sends such a name to PyPI (and `deps` shows it).
import { describe, expect, it } from "vitest";
import { parseLockfileText } from "../../src/discover/parse-lockfile-text.js";
import { recordedIndex } from "../../src/lockfiles/shared/index-url.js";

const PRIVATE = "https://private.example/simple";

function indexes(file: string, text: string): Record<string, string | null> {
  const result = parseLockfileText(file, text);
  expect(result.errors).toEqual([]);
  return Object.fromEntries(result.dependencies.map((d) => [d.name, d.index ?? null]));
}

describe("the index recorded for each dependency, per format", () => {
  it("uv.lock: `source = { registry = … }`", () => {
    const text = `version = 1
[[package]]
name = "internal-lib"
version = "1.0"
source = { registry = "${PRIVATE}" }

[[package]]
name = "six"
version = "1.16.0"
source = { registry = "https://pypi.org/simple" }
`;
    expect(indexes("uv.lock", text)).toEqual({ "internal-lib": PRIVATE, six: null });
  });

  it("poetry.lock: a `legacy` source", () => {
    const text = `[[package]]
name = "internal-lib"
version = "1.0"

[package.source]
type = "legacy"
url = "${PRIVATE}"
reference = "private"

[[package]]
name = "six"
version = "1.16.0"
`;
    expect(indexes("poetry.lock", text)).toEqual({ "internal-lib": PRIVATE, six: null });
  });

  it("Pipfile.lock: `index`, and the first source for entries without one", () => {
    const lock = (sources: string[]) =>
      JSON.stringify({
        _meta: { sources: sources.map((url, i) => ({ name: `s${i}`, url })) },
        default: {
          "internal-lib": { version: "==1.0", index: "s1" },
          six: { version: "==1.16.0" },
        },
      });
    expect(indexes("Pipfile.lock", lock(["https://pypi.org/simple", PRIVATE]))).toEqual({
      "internal-lib": PRIVATE,
      six: null,
    });
    expect(indexes("Pipfile.lock", lock([PRIVATE, "https://pypi.org/simple"]))).toEqual({
      "internal-lib": null,
      six: PRIVATE,
    });
  });

  it("Pipfile.lock: a first source with a url and no name (pipenv 2017) is still the first", () => {
    const text = JSON.stringify({
      _meta: { sources: [{ url: PRIVATE, verify_ssl: true }] },
      default: { "internal-lib": { version: "==1.0" }, old: "==2.0" },
    });
    expect(indexes("Pipfile.lock", text)).toEqual({ "internal-lib": PRIVATE, old: PRIVATE });
    // Recorded as a named first source is, so the scan routes it the same way.
    const named = JSON.stringify({
      _meta: { sources: [{ name: "corp", url: PRIVATE, verify_ssl: true }] },
      default: { "internal-lib": { version: "==1.0" }, old: "==2.0" },
    });
    expect(indexes("Pipfile.lock", text)).toEqual(indexes("Pipfile.lock", named));
    // Such locks wrote PyPI as its bare host: that is PyPI, not a private index.
    for (const url of ["https://pypi.org/", "https://pypi.python.org/simple"]) {
      const pypi = JSON.stringify({
        _meta: { sources: [{ url, verify_ssl: true }] },
        default: { six: "==1.10.0" },
      });
      expect(indexes("Pipfile.lock", pypi)).toEqual({ six: null });
    }
  });

  it("pylock.toml: `index`", () => {
    const text = `lock-version = "1.0"
created-by = "x"
[[packages]]
name = "internal-lib"
version = "1.0"
index = "${PRIVATE}"

[[packages]]
name = "six"
version = "1.16.0"
index = "https://pypi.org/simple"
`;
    expect(indexes("pylock.toml", text)).toEqual({ "internal-lib": PRIVATE, six: null });
  });

  it("requirements.txt: `--index-url` / `-i` applies to every index requirement", () => {
    expect(indexes("requirements.txt", `six==1.16.0\n-i ${PRIVATE}\ninternal-lib==1.0\n`)).toEqual({
      six: PRIVATE,
      "internal-lib": PRIVATE,
    });
    expect(indexes("requirements.txt", `--extra-index-url ${PRIVATE}\nsix==1.16.0\n`)).toEqual({
      six: null,
    });
    expect(
      indexes("requirements.txt", `--index-url https://pypi.org/simple/\nsix==1.16.0\n`),
    ).toEqual({ six: null });
  });

  it("requirements.txt: `--index-url` shares its line with other options, as pip reads it", () => {
    for (const line of [
      `--index-url ${PRIVATE} --trusted-host corp.example`,
      `--trusted-host corp.example --index-url=${PRIVATE}`,
      `-i${PRIVATE} --pre`,
    ]) {
      expect(indexes("requirements.txt", `${line}\ncorp-secret-lib==2.0\n`)).toEqual({
        "corp-secret-lib": PRIVATE,
      });
    }
  });

  it("requirements.txt: `--no-index` records the find-links location, or itself: nothing goes to PyPI", () => {
    expect(
      indexes(
        "requirements.txt",
        "--no-index --find-links https://wheels.corp.example/sdk/\ncorp-internal-sdk==3.1\n",
      ),
    ).toEqual({ "corp-internal-sdk": "https://wheels.corp.example/sdk/" });
    expect(indexes("requirements.txt", "--no-index\n-f ./wheels\nlocal-only==1.0\n")).toEqual({
      "local-only": "./wheels",
    });
    expect(indexes("requirements.txt", "--no-index\nlocal-only==1.0\n")).toEqual({
      "local-only": "--no-index",
    });
    // --find-links alone adds locations beside PyPI.
    expect(indexes("requirements.txt", "-f https://wheels.example/\nsix==1.16.0\n")).toEqual({
      six: null,
    });
  });

  it("environment.yml: `--index-url` in the pip list", () => {
    const text = `dependencies:\n  - pip\n  - pip:\n      - --index-url ${PRIVATE}\n      - internal-lib==1.0\n`;
    expect(indexes("environment.yml", text)).toEqual({ pip: null, "internal-lib": PRIVATE });
  });

  it("pyproject.toml: uv sources and a default index", () => {
    const text = `[project]
name = "demo"
dependencies = ["internal-lib==1.0", "six==1.16.0"]

[tool.uv.sources]
internal-lib = { index = "private" }

[[tool.uv.index]]
name = "private"
url = "${PRIVATE}"
explicit = true
`;
    expect(indexes("pyproject.toml", text)).toEqual({ "internal-lib": PRIVATE, six: null });
    const withDefault = text.replace("explicit = true", "default = true");
    expect(indexes("pyproject.toml", withDefault)).toEqual({
      "internal-lib": PRIVATE,
      six: PRIVATE,
    });
  });

  it("pyproject.toml: Poetry per-dependency `source` and primary sources", () => {
    const text = (priority: string) => `[tool.poetry.dependencies]
python = "^3.11"
internal-lib = { version = "1.0", source = "private" }
six = "1.16.0"

[[tool.poetry.source]]
name = "private"
url = "${PRIVATE}"
priority = "${priority}"
`;
    expect(indexes("pyproject.toml", text("explicit"))).toEqual({
      "internal-lib": PRIVATE,
      six: null,
    });
    expect(indexes("pyproject.toml", text("primary"))).toEqual({
      "internal-lib": PRIVATE,
      six: PRIVATE,
    });
  });

  it("pdm.lock and setup.cfg carry no index per package: nothing is recorded", () => {
    expect(
      indexes(
        "pdm.lock",
        `[metadata]\nlock_version = "4.4"\n[[package]]\nname = "six"\nversion = "1.16.0"\n`,
      ),
    ).toEqual({ six: null });
    expect(indexes("setup.cfg", `[options]\ninstall_requires =\n    six==1.16.0\n`)).toEqual({
      six: null,
    });
  });
});

describe("recordedIndex", () => {
  it.each([
    ["https://pypi.org/simple", undefined],
    ["https://pypi.org/simple/", undefined],
    ["https://PyPI.org/simple", undefined],
    ["https://pypi.python.org/simple", undefined],
    ["https://pypi.org/", undefined],
    ["https://pypi.org", undefined],
    ["https://pypi.org/other/simple", "https://pypi.org/other/simple"],
    [PRIVATE, PRIVATE],
    ["https://user:pw@private.example/simple/", "https://private.example/simple/"],
    ["", undefined],
  ])("%s -> %s", (url, want) => {
    expect(recordedIndex(url)).toBe(want);
  });
});

describe("`deps` shows the recorded index", () => {
  it("as an INDEX column in the table and `index` in JSON, credentials never shown", async () => {
    const { renderDeps } = await import("../../src/report/deps.js");
    const text = `-i https://ci:s3cret@private.example/simple\ninternal-lib==1.0\n`;
    const result = parseLockfileText("requirements.txt", text);
    const set = {
      root: "/",
      dependencies: result.dependencies,
      lockfiles: [{ path: "requirements.txt", format: "requirements" as const, count: 1 }],
      errors: [],
    };
    const table = renderDeps(set, "table");
    expect(table).toContain("INDEX");
    expect(table).toMatch(/internal-lib\s+1\.0\s+pypi\s+2\s+https:\/\/private\.example\/simple/);
    const json = renderDeps(set, "json");
    expect(JSON.parse(json).dependencies[0].index).toBe("https://private.example/simple");
    expect(table + json).not.toContain("s3cret");
  });
});
