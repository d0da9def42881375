// Real-world variants of each format that the corpus does not show: one small fixture each,
// parsed through the same entry discovery uses, checked row by row (name, version, line, kind).
import { describe, expect, it } from "vitest";
import { parseLockfileText } from "../../src/discover/discover.js";
import { fixture, rows } from "./rows.js";

type Row = [string, string | null, number, string];

const cases: { file: string; as: string; want: Row[]; index?: Record<string, string> }[] = [
  {
    file: "requirements/same-line-options.txt",
    as: "requirements.txt",
    want: [
      ["requests", "2.31.0", 2, "pypi"],
      ["urllib3", "2.0.7", 3, "pypi"],
      ["./local", null, 5, "editable"],
      ["bpkg", null, 6, "vcs"],
      ["six", "1.16.0", 8, "pypi"],
      ["foo-bar", "1.0", 9, "pypi"],
    ],
    // `--index-url` applies to every index requirement of the file, wherever it stands.
    index: {
      requests: "https://private.example/simple",
      urllib3: "https://private.example/simple",
      six: "https://private.example/simple",
      "foo-bar": "https://private.example/simple",
    },
  },
  {
    file: "poetry/lock-1.1-no-category.lock",
    as: "poetry.lock",
    want: [
      ["attrs", "22.1.0", 2, "pypi"],
      ["private-pkg", "1.0", 12, "pypi"],
    ],
    index: { "private-pkg": "https://private.example/simple" },
  },
  {
    file: "pipfile-lock/index-keys.json",
    as: "Pipfile.lock",
    want: [
      ["requests", "2.31.0", 12, "pypi"],
      ["internal", "0.1", 18, "pypi"],
      ["default", "1.0", 23, "pypi"],
    ],
    index: { internal: "https://private.example/simple" },
  },
  {
    file: "uv/custom-index-and-wheels.lock",
    as: "uv.lock",
    want: [
      ["demo", "0.1.0", 6, "editable"],
      ["internal", "1.2.0", 14, "pypi"],
      ["six", "1.16.0", 23, "pypi"],
    ],
    index: { internal: "https://private.example/simple" },
  },
  {
    file: "pdm/lock-4.5-files.lock",
    as: "pdm.lock",
    want: [
      ["certifi", "2024.8.30", 14, "pypi"],
      ["requests", "2.32.3", 25, "pypi"],
    ],
  },
  {
    file: "pylock/wheels-tables.toml",
    as: "pylock.toml",
    want: [
      ["attrs", "25.1.0", 6, "pypi"],
      ["idna", "3.10", 16, "pypi"],
    ],
    index: { idna: "https://private.example/simple" },
  },
  {
    file: "conda/pip-after-comment.yml",
    as: "environment.yml",
    want: [
      ["python", null, 6, "conda"],
      ["numpy", "1.26.4", 7, "conda"],
      ["scipy", "1.11.4", 8, "conda"],
      ["pip", null, 9, "conda"],
      ["requests", "2.31.0", 15, "pypi"],
      ["torch", "2.1.0+cu118", 16, "pypi"],
      ["./src", null, 17, "editable"],
    ],
    index: {
      requests: "https://private.example/simple",
      torch: "https://private.example/simple",
    },
  },
];

describe("format variants outside the corpus", () => {
  it.each(cases)("$file", ({ file, as, want, index }) => {
    const result = parseLockfileText(as, fixture(file));
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual(want);
    const indexes = Object.fromEntries(
      result.dependencies.filter((d) => d.index !== undefined).map((d) => [d.name, d.index]),
    );
    expect(indexes).toEqual(index ?? {});
  });
});
