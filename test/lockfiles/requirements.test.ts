import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDependencies } from "../../src/discover/discover.js";
import { matches, parse } from "../../src/lockfiles/formats/requirements.js";
import type { ParseContext } from "../../src/lockfiles/shared/context.js";
import { FIXTURES, fixture, rows } from "./rows.js";

/** An include reader over named texts; any other name is missing. */
function includes(files: Record<string, string>): ParseContext {
  return {
    readInclude: (_from, target) =>
      target in files
        ? { file: target, text: files[target]! }
        : { error: `cannot read ${target}`, code: "include-missing" },
  };
}

/** `[name, version | null, file, line, kind, index | null]` for each dependency. */
function withIndexes(result: ReturnType<typeof parse>) {
  return result.dependencies.map((d) => [
    d.name,
    d.version ?? null,
    d.file,
    d.line,
    d.kind,
    d.index ?? null,
  ]);
}

describe("requirements: which files it claims", () => {
  it.each([
    ["requirements.txt", true],
    ["requirements-dev.txt", true],
    ["a/b/requirements/base.txt", true],
    ["constraints.txt", true],
    ["notes.txt", false],
    ["requirements.txt.bak", false],
    // A line break in the name does not hide the file.
    ["requirements-c\nd.txt", true],
    ["requirements-a\u2028b.txt", true],
    ["x\ny.requirements.txt", true],
    ["requirements-c\nd.txt.bak", false],
  ])("%j -> %s", (path, expected) => {
    expect(matches(path)).toBe(expected);
  });
});

describe("requirements: parsing", () => {
  it("joins backslash continuations, keeps the first physical line, and ends one at a comment", () => {
    expect(rows(parse(fixture("requirements/continued-lines.txt"), "r.txt"))).toEqual([
      ["qwerty", "0.1", 2, "pypi"],
      ["alpha", "1.0", 4, "pypi"],
      ["beta", "2.0", 6, "pypi"],
      ["gamma", "3.0", 8, "pypi"],
    ]);
  });

  it("ends lines where pip's splitlines() does: a lone CR, form feed or U+2028 hides no requirement", () => {
    // Each of these separators starts a new line for pip (str.splitlines), so pip installs
    // the package after it; an editor shows both on one line, the line they are reported on.
    const text =
      "requests==2.31.0\revil-pkg==6.6.6\nflask==2.0.0\x0cevil2==1.0\nsix==1.16.0\u2028evil3==3.0\n" +
      "a==1\x0bb==2\x1cc==3\x85d==4\u2029e==5\r\nlast==9\n";
    expect(rows(parse(text, "r.txt"))).toEqual([
      ["requests", "2.31.0", 1, "pypi"],
      ["evil-pkg", "6.6.6", 1, "pypi"],
      ["flask", "2.0.0", 2, "pypi"],
      ["evil2", "1.0", 2, "pypi"],
      ["six", "1.16.0", 3, "pypi"],
      ["evil3", "3.0", 3, "pypi"],
      ["a", "1", 4, "pypi"],
      ["b", "2", 4, "pypi"],
      ["c", "3", 4, "pypi"],
      ["d", "4", 4, "pypi"],
      ["e", "5", 4, "pypi"],
      ["last", "9", 5, "pypi"],
    ]);
  });

  it("drops --hash in both `=` and space forms, on the same line and on continuations", () => {
    const result = parse(fixture("requirements/hash-forms.txt"), "r.txt");
    expect(rows(result)).toEqual([
      ["werkzeug", "2.2.3", 1, "pypi"],
      ["urllib3", "1.26.15", 2, "pypi"],
      ["psycopg2", "2.9.5", 5, "pypi"],
    ]);
    expect(result.errors).toEqual([]);
  });

  it("skips option lines and leaves ${VAR} as written", () => {
    const result = parse(fixture("requirements/options-skipped.txt"), "r.txt");
    expect(rows(result)).toEqual([
      ["requests", "${REQUESTS_VERSION}", 11, "pypi"],
      ["plain", null, 12, "pypi"],
    ]);
    expect(result.errors).toEqual([]);
  });

  it("says a name taken from ${VAR} is not expanded, instead of calling the line malformed", () => {
    const result = parse("${PKG_NAME}==1.0\nok==2\n", "r.txt");
    expect(rows(result)).toEqual([["ok", "2", 2, "pypi"]]);
    expect(result.errors).toMatchObject([{ file: "r.txt", line: 1, code: "invalid-requirement" }]);
    expect(result.errors[0]!.message).toContain("environment variable ${PKG_NAME}");
    expect(result.errors[0]!.message).not.toMatch(/^not a requirement/);
  });

  it("classifies -e, name @ url, VCS #egg=, local paths and archives; pins only == and ===", () => {
    const result = parse(fixture("requirements/direct-references.txt"), "r.txt");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      [".", null, 1, "editable"],
      ["proj-name", null, 2, "vcs"],
      ["./local/pkg", null, 3, "editable"],
      ["named", null, 4, "url"],
      ["wheeled", null, 5, "vcs"],
      ["hgpkg", null, 6, "vcs"],
      ["numpy", null, 7, "path"],
      ["archive-pkg", null, 8, "url"],
      ["extras-pkg", "1.2.3", 9, "pypi"],
      ["wild", null, 10, "pypi"],
      ["triple", "1.0+local", 11, "pypi"],
      ["ranged", null, 12, "pypi"],
      ["dotted-name", "5.0", 13, "pypi"],
    ]);
  });

  it("prose with a link in it is a malformed line, as pip says, not a local path", () => {
    const result = parse(
      "not ok [click](https://evil.example) @octocat\nlibs/pkg\nlibs/pkg ; python_version >= '3.8'\n",
      "r.txt",
    );
    expect(rows(result)).toEqual([
      ["libs/pkg", null, 2, "path"],
      ["libs/pkg", null, 3, "path"],
    ]);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([[1, "invalid-requirement"]]);
  });

  it("reports a malformed requirement with its line and goes on", () => {
    const result = parse("good==1\nbad name here\n-r\nalso==2\n", "r.txt");
    expect(rows(result)).toEqual([
      ["good", "1", 1, "pypi"],
      ["also", "2", 4, "pypi"],
    ]);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([
      [2, "invalid-requirement"],
      [3, "invalid-option"],
    ]);
  });

  it("takes text after a pin for an error, as pip does, not the package unpinned", () => {
    const result = parse(
      "foo==1.0 garbage\nbar==1.0\tbaz==2\nok>=1, <2 ; python_version > '3'\n",
      "r.txt",
    );
    expect(rows(result)).toEqual([["ok", null, 3, "pypi"]]);
    expect(result.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      ["r.txt", 1, "invalid-requirement"],
      ["r.txt", 2, "invalid-requirement"],
    ]);
  });

  it("continues a line ending in a backslash after a comment, so the next line is comment too", () => {
    const result = parse(
      "foo==1.0 # c \\\nbar==2.0\nbaz==3.0\n# only a comment \\\nqux==4\n",
      "r.txt",
    );
    expect(rows(result)).toEqual([
      ["foo", "1.0", 1, "pypi"],
      ["baz", "3.0", 3, "pypi"],
      ["qux", "4", 5, "pypi"],
    ]);
    expect(result.errors).toEqual([]);
  });

  it("reads NAME @ URL as that project even when the URL's file names another, with or without spaces", () => {
    const result = parse(
      "foo@https://x.example/bar-1.0.tar.gz\nfoo[x]@https://x.example/foo.zip\n" +
        "Baz [a] @ https://x.example/qux-2.0-py3-none-any.whl ; python_version > '3'\n",
      "r.txt",
    );
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      ["foo", null, 1, "url"],
      ["foo", null, 2, "url"],
      ["baz", null, 3, "url"],
    ]);
  });

  it("strips only extras that end a path, also after a long run of brackets", () => {
    const brackets = "[".repeat(5000);
    const result = parse(`./a${brackets}]x\n-e ./pkg[dev]\n./b[]\n./c[x\n`, "r.txt");
    expect(result.errors).toEqual([]);
    expect(rows(result)).toEqual([
      [`./a${brackets}]x`.slice(0, 200) + "…", null, 1, "path"],
      ["./pkg", null, 2, "editable"],
      ["./b[]", null, 3, "path"],
      ["./c[x", null, 4, "path"],
    ]);
  });

  it("does not follow -r without a reader (pure parse)", () => {
    expect(rows(parse("-r other.txt\nx==1\n", "r.txt"))).toEqual([["x", "1", 2, "pypi"]]);
  });
});

describe("requirements: option lines as pip's option parser reads them", () => {
  it("takes unambiguous abbreviations and options anywhere on the line", () => {
    const text =
      "--pre -r other.txt\n--index https://corp.example/simple\nfoo==1.0\n" +
      "--requireme more.txt\n--edit ./pkg\n";
    const result = parse(
      text,
      "requirements.txt",
      includes({ "other.txt": "bar==2\n", "more.txt": "baz==3\n" }),
    );
    expect(result.errors).toEqual([]);
    expect(withIndexes(result)).toEqual([
      ["bar", "2", "other.txt", 1, "pypi", "https://corp.example/simple"],
      ["foo", "1.0", "requirements.txt", 3, "pypi", "https://corp.example/simple"],
      ["baz", "3", "more.txt", 1, "pypi", "https://corp.example/simple"],
      ["./pkg", null, "requirements.txt", 5, "editable", null],
    ]);
  });

  it("reads -r FILE --pre as FILE, and the -rFILE, --requirement=FILE and quoted forms", () => {
    const files = { "a.txt": "a==1\n", "b.txt": "b==1\n", "c d.txt": "c==1\n", "e.txt": "e==1\n" };
    const result = parse(
      "-r a.txt --pre\n-rb.txt\n--requirement='c d.txt'\n-c e.txt --no-ind\n",
      "requirements.txt",
      includes(files),
    );
    expect(result.errors).toEqual([]);
    expect(result.dependencies.map((d) => [d.name, d.file])).toEqual([
      ["a", "a.txt"],
      ["b", "b.txt"],
      ["c", "c d.txt"],
      ["e", "e.txt"],
    ]);
  });

  it("keeps the package of a line whose option pip no longer knows (--install-option)", () => {
    const result = parse(
      'psycopg2==2.9.9 --install-option="--prefix=/opt"\nsix==1.16.0\n',
      "requirements.txt",
    );
    expect(rows(result)).toEqual([
      ["psycopg2", "2.9.9", 1, "pypi"],
      ["six", "1.16.0", 2, "pypi"],
    ]);
    expect(result.errors).toMatchObject([
      {
        file: "requirements.txt",
        line: 1,
        code: "invalid-option",
        message: expect.stringContaining("--install-option"),
      },
    ]);
  });

  it("applies --no-ind and a later -f on one line, and --index-url= after other options", () => {
    expect(
      withIndexes(parse("--pre --no-ind -f ./wheels\nlocal==1\n", "requirements.txt")),
    ).toEqual([["local", "1", "requirements.txt", 2, "pypi", "./wheels"]]);
    expect(
      withIndexes(
        parse("--prefer-binary --index=https://corp.example/simple\nx==1\n", "requirements.txt"),
      ),
    ).toEqual([["x", "1", "requirements.txt", 2, "pypi", "https://corp.example/simple"]]);
  });

  it("reports an unknown, ambiguous or malformed option naming the file and line", () => {
    const result = parse(
      "--bogus\n--no x\n--re y.txt\n--pre=1\n-r\nfoo==1 --frobnicate\n--hash md5:aa\n--index-url 'open\nok==1\n",
      "r.txt",
    );
    // The requirement before a bad option is still checked: it is a package all the same.
    expect(rows(result)).toEqual([
      ["foo", "1", 6, "pypi"],
      ["ok", "1", 9, "pypi"],
    ]);
    expect(result.errors.map((e) => [e.file, e.line, e.code])).toEqual([
      ["r.txt", 1, "invalid-option"],
      ["r.txt", 2, "invalid-option"],
      ["r.txt", 3, "invalid-option"],
      ["r.txt", 4, "invalid-option"],
      ["r.txt", 5, "invalid-option"],
      ["r.txt", 6, "invalid-option"],
      ["r.txt", 7, "invalid-option"],
      ["r.txt", 8, "invalid-option"],
    ]);
    expect(result.errors[0]!.message).toContain("--bogus");
    expect(result.errors[1]!.message).toContain("--no-binary, --no-index");
    expect(result.errors[2]!.message).toContain("--require-hashes, --requirement");
  });
});

describe("requirements: -r and -c includes", () => {
  it("follows them relative to the including file and names the included file", async () => {
    const dir = join(FIXTURES, "requirements/include-relative");
    const set = await loadDependencies(["requirements.txt"], dir);
    expect(set.errors).toEqual([]);
    expect(set.dependencies.map((d) => [d.name, d.file, d.line])).toEqual([
      ["top", "requirements.txt", 1],
      ["base", "sub/base.txt", 1],
      ["pinned", "sub/constraints.txt", 1],
    ]);
    expect(set.lockfiles.map((l) => [l.path, l.count])).toEqual([
      ["requirements.txt", 1],
      ["sub/base.txt", 1],
      ["sub/constraints.txt", 1],
    ]);
  });

  it("detects a cycle and reports it at the including line", async () => {
    const set = await loadDependencies(
      ["requirements.txt"],
      join(FIXTURES, "requirements/include-cycle"),
    );
    expect(set.dependencies.map((d) => d.name)).toEqual(["a", "b"]);
    expect(set.errors).toMatchObject([{ file: "other.txt", line: 2, code: "include-cycle" }]);
  });

  it("reports a missing target naming the including file and line, and keeps the rest", async () => {
    const set = await loadDependencies(
      ["requirements.txt"],
      join(FIXTURES, "requirements/include-missing"),
    );
    expect(set.dependencies.map((d) => d.name)).toEqual(["kept", "also-kept"]);
    expect(set.errors).toMatchObject([
      { file: "requirements.txt", line: 2, code: "include-missing" },
    ]);
    expect(set.errors[0]!.message).toContain("does-not-exist.txt");
  });
});
