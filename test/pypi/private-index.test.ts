// Private indexes are not PyPI: a dependency whose lockfile names another index is never asked
// for on pypi-url; it is looked up on its own index's JSON API (with credentials for the indexes
// the options list), or listed as not checked.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIndexRouting } from "../../src/pypi/indexes.js";
import { OptionsError, resolveOptions } from "../../src/options/options.js";
import type { Report } from "../../src/types.js";
import { runMain } from "../servers/cli.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startServer, type TestServer } from "../servers/http.js";
import { pypiFixture, startPypiServer, withInfo, type PypiServer } from "../servers/pypi.js";
import { bootstrapFor, fixture, startRdapServer, type RdapServer } from "../servers/rdap.js";
import { directTransport } from "../../src/net/transport.js";

const NOW = new Date("2026-03-23T12:00:00Z");
const SECRET = "s3cret-pass";
const TOKEN = "tok-9f8e7d";

describe("createIndexRouting", () => {
  const route = createIndexRouting({
    pypiUrl: "https://pypi.org/pypi",
    indexUrls: [
      `https://corp.example/simple=https://ci:${SECRET}@corp.example/api/pypi`,
      "https://tokened.example/simple/=https://tokened.example/pypi",
    ],
    indexToken: TOKEN,
  });

  it("PyPI's own packages go to pypi-url", () => {
    expect(route(undefined)).toEqual({ kind: "api", baseUrl: "https://pypi.org/pypi" });
  });

  it("an index-urls entry: its API base without credentials, userinfo as Basic auth", () => {
    const basic = `Basic ${Buffer.from(`ci:${SECRET}`).toString("base64")}`;
    expect(route("https://corp.example/simple/")).toEqual({
      kind: "api",
      baseUrl: "https://corp.example/api/pypi",
      privateHost: "corp.example",
      authorization: basic,
    });
  });

  it("index-token as Bearer, only for indexes listed in index-urls", () => {
    expect(route("https://tokened.example/simple")).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
    });
    // A lockfile naming some other host cannot make the token travel there.
    expect(route("https://elsewhere.example/simple")).toEqual({
      kind: "api",
      baseUrl: "https://elsewhere.example/pypi",
      privateHost: "elsewhere.example",
      guessed: true,
    });
  });

  it("userinfo ends at the authority's last `@`, as pip reads it: a raw `@` in a password goes too", async () => {
    const { recordedIndex } = await import("../../src/lockfiles/shared/index-url.js");
    expect(recordedIndex("https://ci:pa@ss@corp.example/simple")).toBe(
      "https://corp.example/simple",
    );
    expect(route("https://ci:pa@ss@other.example/simple")).toEqual({
      kind: "api",
      baseUrl: "https://other.example/pypi",
      privateHost: "other.example",
      guessed: true,
    });
    // An `@` in the path is not userinfo.
    expect(recordedIndex("https://corp.example/simple/@team/")).toBe(
      "https://corp.example/simple/@team/",
    );
  });

  it("`/simple` maps to `/pypi` on the same base; anything else has no JSON API", () => {
    expect(route("https://nexus.example/repository/py/simple")).toMatchObject({
      baseUrl: "https://nexus.example/repository/py/pypi",
    });
    expect(route("https://piwheels.example/wheels/")).toEqual({
      kind: "none",
      host: "piwheels.example",
      reason: "from the private index piwheels.example; no JSON API configured",
    });
  });
});

describe("index-urls and index-token options", () => {
  it("reads lines (input) and a mapping (config), and refuses what is not SIMPLE=API", () => {
    const o = resolveOptions([
      {
        "index-urls": {
          value: { "https://a.example/simple": "https://a.example/pypi" },
          source: "config",
          file: "c.yml",
        },
      },
      {
        "index-urls": { value: "https://b.example/simple=https://b.example/pypi", source: "input" },
      },
    ]);
    expect(o.indexUrls).toEqual(["https://b.example/simple=https://b.example/pypi"]);
    expect(() =>
      resolveOptions([{ "index-urls": { value: "https://x.example/simple", source: "input" } }]),
    ).toThrow(/index-urls: "https:\/\/x\.example\/simple" is not SIMPLE_URL=JSON_API_BASE/);
  });

  it("refuses index-token from the config file, without echoing it", () => {
    try {
      resolveOptions([{ "index-token": { value: TOKEN, source: "config", file: "c.yml" } }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsError);
      expect(String(error)).toMatch(
        /index-token: is a secret and is not read from c\.yml; give it as the action input index-token \(from a secret\), or to the CLI in the MDG_INDEX_TOKEN environment variable/,
      );
      expect(String(error)).not.toContain(TOKEN);
    }
    expect(resolveOptions([{ "index-token": { value: TOKEN, source: "input" } }]).indexToken).toBe(
      TOKEN,
    );
  });
});

/** A private JSON API at /api/pypi/<name>/json that wants Basic auth (or none when `auth` is undefined). */
async function startPrivateIndex(
  packages: Record<string, string>,
  auth?: { user: string; pass: string },
): Promise<TestServer> {
  const expected = auth && `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString("base64")}`;
  return startServer((req, res) => {
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="private"' }).end();
      return;
    }
    const name = /^\/(?:api\/)?pypi\/([^/]+)\/json$/.exec(req.url ?? "")?.[1];
    const body = name && packages[name];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
}

describe("a scan with private-index packages (uv.lock and poetry.lock)", () => {
  let dir: string;
  let pypi: PypiServer;
  let rdap: RdapServer;
  let dns: DnsServer;
  let priv: TestServer | undefined;
  const wheel = pypiFixture("wheel-0.40.0.json");

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mdg-private-"));
    // The public index has projects of the same names: judging them would be the wrong project.
    pypi = await startPypiServer({
      six: withInfo(wheel, { name: "six", author_email: "a@google.com", maintainer_email: null }),
      "internal-lib": withInfo(wheel, {
        name: "internal-lib",
        author_email: "squatter@lapsed-public.com",
        maintainer_email: null,
      }),
      "corp-tools": withInfo(wheel, {
        name: "corp-tools",
        author_email: "squatter@lapsed-public.com",
        maintainer_email: null,
      }),
    });
    rdap = await startRdapServer({
      "google.com": {
        status: 200,
        body: fixture("verisign-com-google.com-related-registrar.json"),
      },
      "lapsed-public.com": { status: 404, body: "" },
      "lapsed-private.com": { status: 404, body: "" },
    });
    dns = await startDnsServer({ delegated: [] });
    await writeFile(
      join(dir, "bootstrap.json"),
      JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })),
    );
  });
  afterEach(async () => {
    await Promise.all([pypi.close(), rdap.close(), dns.close(), priv?.close()]);
    priv = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function writeLockfiles(indexUrl: string) {
    await mkdir(join(dir, "a"));
    await mkdir(join(dir, "b"));
    await writeFile(
      join(dir, "a", "uv.lock"),
      `version = 1
requires-python = ">=3.11"

[[package]]
name = "internal-lib"
version = "1.2.0"
source = { registry = "${indexUrl}" }

[[package]]
name = "six"
version = "1.16.0"
source = { registry = "https://pypi.org/simple" }
`,
    );
    await writeFile(
      join(dir, "b", "poetry.lock"),
      `[[package]]
name = "corp-tools"
version = "0.3.1"
description = ""
optional = false
python-versions = "*"

[package.source]
type = "legacy"
url = "${indexUrl}"
reference = "corp"
`,
    );
  }

  async function scan(extra: string[], format = "json", env: Record<string, string> = {}) {
    return runMain(
      [
        "scan",
        dir,
        "--format",
        format,
        "--fail-on",
        "never",
        "--pypi-url",
        pypi.url,
        "--rdap-bootstrap",
        join(dir, "bootstrap.json"),
        "--dns-server",
        dns.address,
        "--retries",
        "0",
        "--cache",
        join(dir, "cache.json"),
        ...extra,
      ],
      { cwd: dir, now: () => NOW, env },
    );
  }

  const publicPaths = () => pypi.requests.map((r) => r.path).sort();

  /** The scan run in this process, for what only its report object says (`failedToLook`). */
  async function scanInProcess() {
    const { loadDependencies } = await import("../../src/discover/discover.js");
    const { scan: runScan } = await import("../../src/scan/scan.js");
    const set = await loadDependencies(["."], dir);
    const options = resolveOptions([
      {
        "pypi-url": { value: pypi.url, source: "flag" },
        "rdap-bootstrap": { value: join(dir, "bootstrap.json"), source: "flag" },
        "dns-server": { value: dns.address, source: "flag" },
        retries: { value: 0, source: "flag" },
      },
    ]);
    const report = await runScan(set, options, {
      now: () => NOW,
      cwd: dir,
      transport: directTransport(),
    });
    return { set, report };
  }

  it("a password with a raw `@` in the lockfile's index URL is never printed, in part or whole", async () => {
    // pip reads `user:pa@ss@host` up to the last `@` of the authority, and so must we.
    priv = await startServer((_req, res) => res.writeHead(404).end());
    const withSecret = priv.url.replace("://", "://ci:hunter@2secret@");
    await writeLockfiles(`${withSecret}/simple`);
    const sarif = join(dir, "out.sarif");
    const outputs: string[] = [];
    for (const format of ["json", "markdown", "table", "sarif"]) {
      const run = await scan(["--sarif-file", sarif], format);
      outputs.push(run.stdout, run.stderr, await readFile(sarif, "utf8"));
    }
    for (const format of ["table", "json"]) {
      const deps = await runMain(["deps", dir, "--format", format], { cwd: dir, now: () => NOW });
      outputs.push(deps.stdout, deps.stderr);
    }
    for (const text of outputs) {
      expect(text).not.toContain("2secret");
      expect(text).not.toContain("hunter");
    }
    // The index is still the private one, on its own host: looked up there, never on PyPI.
    expect(priv.requests.length).toBeGreaterThan(0);
    expect(priv.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(publicPaths().every((p) => p === "/pypi/six/json")).toBe(true);
  });

  it("a password with a raw `/`, `?` or `#` (no userinfo to pip) is still hidden wherever the index is shown", async () => {
    for (const password of ["se/cret9", "se?cret9", "se#cret9", "se/cr et9", "se cr/et9"]) {
      await writeFile(
        join(dir, "uv.lock"),
        `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "https://ci:${password}@corp.invalid/simple" }\n`,
      );
      const outputs: string[] = [];
      for (const format of ["json", "table", "markdown"]) {
        const run = await scan([], format);
        outputs.push(run.stdout, run.stderr);
      }
      for (const format of ["table", "json"]) {
        const deps = await runMain(["deps", dir, "--format", format], { cwd: dir, now: () => NOW });
        outputs.push(deps.stdout, deps.stderr);
      }
      for (const text of outputs) {
        expect(text).not.toContain("cret9");
        expect(text).not.toContain("et9@");
      }
    }
    expect(pypi.requests.map((r) => r.path)).not.toContain("/pypi/internal-lib/json");
  });

  it("a private index on pypi-url's host gets its own credentials, not pypi-token", async () => {
    // One Artifactory-like server: the public mirror under /pub, the private index under /corp.
    const seen: string[] = [];
    priv = await startServer((req, res) => {
      const url = req.url ?? "";
      seen.push(`${url} ${req.headers.authorization ?? "-"}`);
      const want = url.startsWith("/corp/") ? `Bearer ${TOKEN}` : "Bearer public-token";
      if (req.headers.authorization !== want) return res.writeHead(401).end();
      const name = /\/pypi\/([^/]+)\/json$/.exec(url)?.[1] ?? "";
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(withInfo(wheel, { name, author_email: "a@google.com", maintainer_email: null }));
    });
    await writeLockfiles(`${priv.url}/corp/simple`);
    const run = await scan(
      [
        "--pypi-url",
        `${priv.url}/pub/pypi`,
        "--index-urls",
        `${priv.url}/corp/simple=${priv.url}/corp/pypi`,
      ],
      "json",
      { MDG_PYPI_TOKEN: "public-token", MDG_INDEX_TOKEN: TOKEN },
    );
    expect(run.code).toBe(0);
    expect(seen.sort()).toEqual([
      `/corp/pypi/corp-tools/json Bearer ${TOKEN}`,
      `/corp/pypi/internal-lib/json Bearer ${TOKEN}`,
      "/pub/pypi/six/json Bearer public-token",
    ]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.packages.map((p) => `${p.name} ${p.status}`).sort()).toEqual([
      "corp-tools ok",
      "internal-lib ok",
      "six ok",
    ]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("an index-urls API password with a raw `@` is sent whole, and never printed", async () => {
    priv = await startPrivateIndex(
      {
        "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "a@google.com" }),
        "corp-tools": withInfo(wheel, { name: "corp-tools", author_email: "a@google.com" }),
      },
      { user: "ci", pass: "hunter@2secret" },
    );
    const simple = "https://corp.example/simple";
    await writeLockfiles(simple);
    const api = `${priv.url.replace("://", "://ci:hunter@2secret@")}/api/pypi`;
    const run = await scan(["--index-urls", `${simple}=${api}`]);
    const report = JSON.parse(run.stdout) as Report;
    const byName = Object.fromEntries(report.packages.map((p) => [p.name, p.status]));
    expect(byName).toMatchObject({ "internal-lib": "ok", "corp-tools": "ok" });
    expect(run.stdout + run.stderr).not.toContain("2secret");
  });

  /** `internal-lib` from PyPI in a/uv.lock and from `privateRegistry` in b/uv.lock. */
  async function writeSharedName(privateRegistry: string) {
    await mkdir(join(dir, "a"));
    await mkdir(join(dir, "b"));
    const lock = (registry: string) =>
      `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "${registry}" }\n`;
    await writeFile(join(dir, "a", "uv.lock"), lock("https://pypi.org/simple"));
    await writeFile(join(dir, "b", "uv.lock"), lock(privateRegistry));
  }

  it("a name from PyPI in one lockfile and a private index in another is two projects, each checked where it comes from", async () => {
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, {
        name: "internal-lib",
        author_email: "dev@lapsed-private.com",
        maintainer_email: null,
      }),
    });
    await writeSharedName(`${priv.url}/simple`);
    const run = await scan(["--fail-on", "high"]);
    const report = JSON.parse(run.stdout) as Report;
    // The public project is installed by a/, the private one by b/: each is asked where it is.
    expect(publicPaths()).toEqual(["/pypi/internal-lib/json"]);
    expect(priv.requests.map((r) => r.path)).toEqual(["/pypi/internal-lib/json"]);
    const found = report.findings.map((f) => `${f.kind} ${f.package} ${f.file} ${f.domain ?? ""}`);
    expect(found.sort()).toEqual([
      "domain-unregistered internal-lib a/uv.lock lapsed-public.com",
      "domain-unregistered internal-lib b/uv.lock lapsed-private.com",
    ]);
    expect(run.code).toBe(1);
    // Two projects of that name in the report; the private one says where it comes from.
    const entries = report.packages.filter((p) => p.name === "internal-lib");
    expect(entries.map((p) => `${p.status} ${p.index ?? "pypi"}`)).toEqual([
      "ok pypi",
      `ok ${priv.url}/simple`,
    ]);
    expect(report.coverage?.packages).toMatchObject({ checked: 2, total: 2 });
  });

  it("one name from PyPI and two private indexes is three projects, each asked and each judging its own lines", async () => {
    const other = await startPrivateIndex({
      "internal-lib": withInfo(wheel, {
        name: "internal-lib",
        author_email: "dev@lapsed-private.com",
        maintainer_email: null,
      }),
    });
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "x@google.com" }),
    });
    try {
      for (const withPypi of [true, false]) {
        await rm(join(dir, "a"), { recursive: true, force: true });
        await rm(join(dir, "b"), { recursive: true, force: true });
        await rm(join(dir, "c"), { recursive: true, force: true });
        await writeSharedName(`${priv.url}/simple`);
        if (!withPypi) await rm(join(dir, "a"), { recursive: true });
        await mkdir(join(dir, "c"));
        await writeFile(
          join(dir, "c", "uv.lock"),
          `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "${other.url}/simple" }\n`,
        );
        const before = { priv: priv.requests.length, other: other.requests.length };
        const run = await scan(["--fail-on", "high"]);
        const report = JSON.parse(run.stdout) as Report;
        expect(priv.requests.length - before.priv).toBe(1);
        expect(other.requests.length - before.other).toBe(1);
        const failing = report.findings.filter((f) => f.failing);
        expect(failing.map((f) => `${f.file} ${f.domain}`).sort()).toEqual(
          withPypi
            ? ["a/uv.lock lapsed-public.com", "c/uv.lock lapsed-private.com"]
            : ["c/uv.lock lapsed-private.com"],
        );
        expect(run.code).toBe(1);
        const entries = report.packages.filter((p) => p.name === "internal-lib");
        expect(entries.map((p) => p.index ?? "pypi")).toEqual(
          withPypi
            ? ["pypi", `${priv.url}/simple`, `${other.url}/simple`]
            : [`${priv.url}/simple`, `${other.url}/simple`],
        );
      }
    } finally {
      await other.close();
    }
  });

  it("a PyPI pin of the same name elsewhere does not silence the private project's finding", async () => {
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, {
        name: "internal-lib",
        author_email: "dev@lapsed-private.com",
        maintainer_email: null,
      }),
    });
    // The public project of that name is fine.
    await pypi.close();
    pypi = await startPypiServer({
      "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "a@google.com" }),
    });
    await writeSharedName(`${priv.url}/simple`);
    const run = await scan(["--fail-on", "high"]);
    const report = JSON.parse(run.stdout) as Report;
    const failing = report.findings.filter((f) => f.failing);
    expect(failing.map((f) => `${f.file} ${f.domain}`)).toEqual(["b/uv.lock lapsed-private.com"]);
    expect(run.code).toBe(1);
  });

  it("when only the private side's lookup fails, the run says it failed to look (nothing resolves)", async () => {
    priv = await startServer((_req, res) => res.writeHead(500).end());
    await writeSharedName(`${priv.url}/simple`);
    const { report } = await scanInProcess();
    const failed = report.findings.filter((f) => f.kind === "lookup-failed");
    expect(failed.map((f) => f.file)).toEqual(["b/uv.lock"]);
    // The PyPI project of that name was read fine: its entry must not stand for the private one.
    const { failedToLook } = await import("../../src/report/verdict.js");
    expect(failedToLook(report, report.findings)).toBe(true);
  });

  it("in a one-line Pipfile.lock, a failed lookup of the private project is still a failure to look", async () => {
    // Every package of a minified lockfile is on line 1: the finding's name says which it is.
    priv = await startServer((_req, res) => res.writeHead(500).end());
    await mkdir(join(dir, "a"));
    await writeFile(join(dir, "a", "requirements.txt"), "six==1.16.0\n");
    await mkdir(join(dir, "b"));
    await writeFile(
      join(dir, "b", "Pipfile.lock"),
      JSON.stringify({
        _meta: {
          sources: [
            { name: "pypi", url: "https://pypi.org/simple", verify_ssl: true },
            { name: "corp", url: `${priv.url}/simple`, verify_ssl: true },
          ],
        },
        default: {
          "internal-lib": { version: "==1.2.0", index: "pypi" },
          six: { version: "==1.16.0", index: "corp" },
        },
        develop: {},
      }),
    );
    const { set, report } = await scanInProcess();
    expect(
      new Set(set.dependencies.filter((d) => d.file === "b/Pipfile.lock").map((d) => d.line)),
    ).toEqual(new Set([1]));
    expect(
      report.findings
        .filter((f) => f.kind === "lookup-failed")
        .map((f) => `${f.package} ${f.file}`),
    ).toEqual(["six b/Pipfile.lock"]);
    const { failedToLook } = await import("../../src/report/verdict.js");
    expect(failedToLook(report, report.findings)).toBe(true);
  });

  it("in a one-line Pipfile.lock, one name at two versions from two indexes is two pins and two projects", async () => {
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "a@google.com" }),
    });
    await writeFile(
      join(dir, "Pipfile.lock"),
      JSON.stringify({
        _meta: {
          sources: [
            { name: "pypi", url: "https://pypi.org/simple", verify_ssl: true },
            { name: "corp", url: `${priv.url}/simple`, verify_ssl: true },
          ],
        },
        default: { "internal-lib": { version: "==1.2.0", index: "corp" } },
        develop: { "internal-lib": { version: "==1.1.0", index: "pypi" } },
      }),
    );
    const run = await scan([]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.dependencies.map((d) => `${d.name} ${d.version} ${d.index ?? "pypi"}`)).toEqual([
      `internal-lib 1.2.0 ${priv.url}/simple`,
      "internal-lib 1.1.0 pypi",
    ]);
    expect(publicPaths()).toEqual(["/pypi/internal-lib/json"]);
    expect(priv.requests).toHaveLength(1);
    expect(report.findings.map((f) => `${f.kind} ${f.version} ${f.domain ?? ""}`)).toContain(
      "domain-unregistered 1.1.0 lapsed-public.com",
    );
  });

  it("index paths are case-sensitive: /Team and /team are two indexes", async () => {
    const seen: string[] = [];
    priv = await startServer((req, res) => {
      seen.push(req.url ?? "");
      const lapsed = req.url?.startsWith("/team/");
      res.writeHead(200, { "content-type": "application/json" }).end(
        withInfo(wheel, {
          name: "internal-lib",
          author_email: lapsed ? "dev@lapsed-private.com" : "a@google.com",
          maintainer_email: null,
        }),
      );
    });
    for (const team of ["Team", "team"]) {
      await mkdir(join(dir, team + "-dir"));
      await writeFile(
        join(dir, team + "-dir", "uv.lock"),
        `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "${priv.url}/${team}/simple" }\n`,
      );
    }
    const run = await scan(["--fail-on", "high"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(seen.sort()).toEqual(["/Team/pypi/internal-lib/json", "/team/pypi/internal-lib/json"]);
    expect(report.findings.filter((f) => f.failing).map((f) => `${f.file} ${f.domain}`)).toEqual([
      "team-dir/uv.lock lapsed-private.com",
    ]);
    expect(run.code).toBe(1);
  });

  it("one private index spelled three ways is one project and one lookup", async () => {
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "a@google.com" }),
    });
    const spellings = [
      `${priv.url}/simple`,
      `${priv.url}/simple/`,
      `${priv.url.replace("http://", "HTTP://")}/simple`,
    ];
    for (const [i, registry] of spellings.entries()) {
      await mkdir(join(dir, `l${i}`));
      await writeFile(
        join(dir, `l${i}`, "uv.lock"),
        `version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "internal-lib"\nversion = "1.2.0"\nsource = { registry = "${registry}" }\n`,
      );
    }
    const run = await scan([]);
    const report = JSON.parse(run.stdout) as Report;
    expect(priv.requests).toHaveLength(1);
    expect(report.packages.filter((p) => p.name === "internal-lib")).toHaveLength(1);
    expect(report.stats.packages).toBe(1);
  });

  it("the private side without a JSON API is not checked, with the usual reason; the PyPI side is", async () => {
    await writeSharedName("https://wheels.corp.example/legacy/");
    const run = await scan([]);
    const report = JSON.parse(run.stdout) as Report;
    expect(publicPaths()).toEqual(["/pypi/internal-lib/json"]);
    expect(report.findings.map((f) => `${f.kind} ${f.file}`)).toEqual([
      "domain-unregistered a/uv.lock",
    ]);
    const entries = report.packages.filter((p) => p.name === "internal-lib");
    expect(entries.map((p) => `${p.status} ${p.errorCode ?? ""}`.trim())).toEqual([
      "ok",
      "skipped private-index-no-api",
    ]);
    expect(report.coverage?.packages.notLookedUp).toBe(1);
  });

  it("a private index that redirects to pypi-url is not followed: the name never reaches PyPI", async () => {
    priv = await startServer((req, res) => {
      const name = /\/pypi\/([^/]+)\/json$/.exec(req.url ?? "")?.[1] ?? "";
      res.writeHead(302, { location: `${pypi.url}/${name}/json` }).end();
    });
    await writeLockfiles(`${priv.url}/simple`);
    const run = await scan([]);
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
    const report = JSON.parse(run.stdout) as Report;
    // Not judged by the public squatter's project: the lookup failed, and says where it was sent.
    expect(report.findings.some((f) => f.domain === "lapsed-public.com")).toBe(false);
    const lib = report.packages.find((p) => p.name === "internal-lib");
    expect(lib?.status).toBe("error");
    expect(lib?.error).toContain("which was not followed");
  });

  it("when a private index refuses access, the warning points at its own credentials", async () => {
    priv = await startServer((_req, res) => res.writeHead(401).end());
    await writeFile(
      join(dir, "uv.lock"),
      `version = 1\nrequires-python = ">=3.11"\n` +
        Array.from(
          { length: 6 },
          (_, i) =>
            `\n[[package]]\nname = "corp-${i}"\nversion = "1.0"\nsource = { registry = "https://corp.example/simple" }\n`,
        ).join(""),
    );
    const run = await scan(
      [
        "--index-urls",
        `https://corp.example/simple=${priv.url.replace("://", "://ci:TOPSECRET@")}/api/pypi`,
      ],
      "table",
    );
    expect(run.stderr).toContain("check the credentials for the private index");
    expect(run.stderr).toContain("MDG_INDEX_TOKEN");
    expect(run.stderr).not.toContain("MDG_PYPI_TOKEN");
    expect(run.stdout + run.stderr).not.toContain("TOPSECRET");
  });

  it("with a JSON API and Basic auth: looked up there, never on pypi-url", async () => {
    priv = await startPrivateIndex(
      {
        "internal-lib": withInfo(wheel, {
          name: "internal-lib",
          author_email: "dev@lapsed-private.com",
          maintainer_email: null,
        }),
        "corp-tools": withInfo(wheel, {
          name: "corp-tools",
          author_email: "tools@google.com",
          maintainer_email: null,
        }),
      },
      { user: "ci", pass: SECRET },
    );
    const simple = `${priv.url}/simple`;
    await writeLockfiles(simple);
    const api = `${priv.url.replace("://", `://ci:${SECRET}@`)}/api/pypi`;
    const run = await scan(["--index-urls", `${simple}=${api}`]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    // The public index was asked for six only.
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
    expect(priv.requests.map((r) => r.path).sort()).toEqual([
      "/api/pypi/corp-tools/json",
      "/api/pypi/internal-lib/json",
    ]);
    expect(priv.requests.every((r) => r.headers.authorization?.startsWith("Basic "))).toBe(true);
    // The finding is about the private project's maintainer, not the public squatter's.
    const kinds = report.findings.map((f) => `${f.kind} ${f.package} ${f.domain ?? ""}`.trim());
    expect(kinds).toContain("domain-unregistered internal-lib lapsed-private.com");
    expect(kinds.some((k) => k.includes("lapsed-public.com"))).toBe(false);
    // Credentials appear nowhere: output, log, cache file.
    const cacheFile = await readFile(join(dir, "cache.json"), "utf8");
    for (const text of [run.stdout, run.stderr, cacheFile]) expect(text).not.toContain(SECRET);
    // Private metadata is not cached (the cache is keyed by name; PyPI's is another project).
    const cached = Object.keys(JSON.parse(cacheFile).packages);
    expect(cached).not.toContain("internal-lib");
    expect(cached).not.toContain("corp-tools");
  });

  it("the CLI takes index-token from MDG_INDEX_TOKEN", async () => {
    const seen: (string | undefined)[] = [];
    priv = await startServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404).end();
    });
    const simple = `${priv.url}/simple`;
    await writeLockfiles(simple);
    const { main } = await import("../../src/cli/main.js");
    const { textSink } = await import("../servers/cli.js");
    const out = textSink();
    const err = textSink();
    await main(
      [
        "scan",
        dir,
        "--format",
        "json",
        "--fail-on",
        "never",
        "--pypi-url",
        pypi.url,
        "--rdap-bootstrap",
        join(dir, "bootstrap.json"),
        "--dns-server",
        dns.address,
        "--index-urls",
        `${simple}=${priv.url}/pypi`,
      ],
      {
        cwd: dir,
        stdout: out.stream,
        stderr: err.stream,
        env: { MDG_INDEX_TOKEN: TOKEN },
        now: () => NOW,
      },
    );
    expect(seen).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(out.text() + err.text()).not.toContain(TOKEN);
  });

  it("a wrong password is a lookup failure for those packages, never a public lookup", async () => {
    priv = await startPrivateIndex({}, { user: "ci", pass: SECRET });
    const simple = `${priv.url}/simple`;
    await writeLockfiles(simple);
    const api = `${priv.url.replace("://", "://ci:wrong@")}/api/pypi`;
    const run = await scan(["--index-urls", `${simple}=${api}`]);
    const report = JSON.parse(run.stdout) as Report;
    const byName = Object.fromEntries(report.packages.map((p) => [p.name, p]));
    expect(byName["internal-lib"]?.status).toBe("error");
    expect(byName["internal-lib"]?.error).toContain("HTTP 401");
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
    expect(run.stdout).not.toContain("wrong@");
  });

  it("`/simple` without a mapping: the same base's /pypi/<name>/json, no credentials", async () => {
    priv = await startPrivateIndex({
      "internal-lib": withInfo(wheel, { name: "internal-lib", author_email: "a@google.com" }),
    });
    await writeLockfiles(`${priv.url}/simple`);
    const run = await scan([]);
    expect(run.code).toBe(0);
    expect(priv.requests.map((r) => r.path).sort()).toEqual([
      "/pypi/corp-tools/json",
      "/pypi/internal-lib/json",
    ]);
    expect(priv.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
  });

  it("`/simple` whose guessed JSON API answers 404 or an HTML page: not checked, not 'not found'", async () => {
    priv = await startServer((req, res) => {
      if (req.url?.includes("corp-tools"))
        res.writeHead(200, { "content-type": "text/html" }).end("<html>");
      else res.writeHead(404).end();
    });
    await writeLockfiles(`${priv.url}/simple`);
    const run = await scan([]);
    const report = JSON.parse(run.stdout) as Report;
    const host = new URL(priv.url).host;
    const byName = Object.fromEntries(report.packages.map((p) => [p.name, p]));
    for (const name of ["internal-lib", "corp-tools"]) {
      expect(byName[name]).toMatchObject({
        status: "skipped",
        errorCode: "private-index-no-api",
        error: `from the private index ${host}; no JSON API configured`,
      });
    }
    expect(report.findings.filter((f) => f.package !== "six")).toEqual([]);
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
  });

  it("without a JSON API: not checked, with the reason and its own code, no finding", async () => {
    await writeLockfiles("https://wheels.corp.example/legacy/");
    const run = await scan([]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(publicPaths()).toEqual(["/pypi/six/json"]);
    const skipped = report.packages.filter((p) => p.status === "skipped");
    expect(skipped.map((p) => [p.name, p.errorCode, p.error])).toEqual([
      [
        "internal-lib",
        "private-index-no-api",
        "from the private index wheels.corp.example; no JSON API configured",
      ],
      [
        "corp-tools",
        "private-index-no-api",
        "from the private index wheels.corp.example; no JSON API configured",
      ],
    ]);
    expect(report.findings.filter((f) => f.package !== "six")).toEqual([]);
    // Counted as not looked up, not against min-coverage: the run still exits 0.
    const coverage = (report as unknown as { coverage: { packages: Record<string, number> } })
      .coverage;
    expect(coverage.packages).toMatchObject({ checked: 1, total: 1, notLookedUp: 2 });
    const table = await scan([], "table");
    expect(table.stdout).toContain(
      "from the private index wheels.corp.example; no JSON API configured",
    );
    expect(table.stdout).toMatch(/2 packages from private indexes not looked up/);
    // Said once, in its own words: not also as "not from PyPI".
    expect(table.stdout).not.toContain("not from PyPI");
  });

  it("every package from a private index without a JSON API: nothing was looked at, exit 3 unless min-coverage is 0", async () => {
    await mkdir(join(dir, "a"));
    await writeFile(
      join(dir, "a", "uv.lock"),
      `version = 1
requires-python = ">=3.11"

[[package]]
name = "internal-lib"
version = "1.2.0"
source = { registry = "https://wheels.corp.example/legacy/" }
`,
    );
    const run = await scan([], "table");
    expect(run.code).toBe(3);
    expect(publicPaths()).toEqual([]);
    expect(run.stdout).toMatch(
      /^Nothing was checked in 1 package from 1 lockfile: every package comes from a private index with no JSON API configured \(1 package\)/m,
    );
    expect(run.stdout).not.toContain("No findings");
    // The reason says it; "0 of 0 packages and 0 of 0 domains checked" would add nothing.
    expect(run.stdout).not.toMatch(/0 of 0 packages|from private indexes not looked up/);
    expect(run.stderr).toContain(
      "could not check enough: every package comes from a private index with no JSON API configured",
    );
    expect(run.stderr).toContain("index-urls");
    // min-coverage 0 accepts it: the same words, exit 0.
    const accepted = await scan(["--min-coverage", "0"], "table");
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^Nothing was checked in 1 package/m);
  });
});

describe("credentials and redirects", () => {
  it("Authorization goes to the index's origin only, never after a redirect elsewhere", async () => {
    const other = await startServer((_req, res) =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(pypiFixture("wheel-0.40.0.json")),
    );
    const index = await startServer((req, res) => {
      if (req.url?.startsWith("/pypi/"))
        res.writeHead(302, { location: `${other.url}${req.url}` }).end();
      else res.writeHead(404).end();
    });
    try {
      const { HttpClient } = await import("../../src/net/http.js");
      const { fetchPackageEntry, userAgent } = await import("../../src/pypi/client.js");
      const http = new HttpClient({
        transport: directTransport(),
        userAgent: userAgent(),
        timeoutMs: 2_000,
        retries: 0,
        maxRetryWaitMs: 10,
      });
      const entry = await fetchPackageEntry("wheel", {
        http,
        baseUrl: `${index.url}/pypi`,
        authorization: `Bearer ${TOKEN}`,
      });
      expect(entry.meta.status).toBe("ok");
      expect(index.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await Promise.all([index.close(), other.close()]);
    }
  });
});
