// Coverage is a result: the JSON report and every verdict line say how much was checked, and a
// run that could not check enough exits 3 (min-coverage), also with on-lookup-error: warn.
// End to end through main() against loopback servers.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeCoverage, coverageShortfall, exitCodeOf } from "../../src/scan/coverage.js";
import { coverageWords, verdictLine } from "../../src/report/verdict.js";
import type { Coverage, DomainVerdict, PackageMeta, Report } from "../../src/types.js";
import { runMain } from "../servers/cli.js";
import { startServer, type TestServer } from "../servers/http.js";
import { NOW, startWorld, worldFlags, type World } from "../servers/scan-world.js";

const verdict = (domain: string, state: DomainVerdict["state"], errorCode?: string) =>
  ({
    domain,
    state,
    statuses: [],
    source: "rdap",
    checkedAt: NOW.toISOString(),
    ...(errorCode ? { errorCode, error: `${errorCode} happened` } : {}),
  }) as DomainVerdict;
const meta = (name: string, status: PackageMeta["status"]): PackageMeta => ({
  name,
  status,
  emails: [],
  ...(status === "error" ? { error: "pypi.org unreachable: DNS lookup failed" } : {}),
});

describe("computeCoverage", () => {
  it("counts a 404 as an answer, no-RDAP domains and non-PyPI packages apart", () => {
    const c = computeCoverage({
      dependencies: [
        { name: "a", file: "r.txt", line: 1, format: "requirements", kind: "pypi" },
        { name: "local", file: "r.txt", line: 2, format: "requirements", kind: "path" },
        { name: "git-thing", file: "r.txt", line: 3, format: "requirements", kind: "vcs" },
      ],
      names: ["a", "b", "c"],
      packages: new Map([
        ["a", meta("a", "ok")],
        ["b", meta("b", "not-found")],
        ["c", meta("c", "error")],
      ]),
      verdicts: new Map([
        ["x.com", verdict("x.com", "registered")],
        ["y.com", verdict("y.com", "unknown", "timeout")],
        ["z.io", verdict("z.io", "unknown", "no-rdap")],
        ["d.com", verdict("d.com", "unknown", "dns-contradicts")],
      ]),
      indexUrl: "https://pypi.org/pypi",
    });
    expect(c.packages).toEqual({ checked: 2, total: 3, notLookedUp: 2 });
    expect(c.domains).toEqual({ checked: 2, total: 3, noRdap: 1 });
    expect(c.reason).toContain("pypi.org unreachable");
    expect(coverageWords(c)).toBe(
      "2 of 3 packages and 2 of 3 domains checked; 1 domain under a TLD without RDAP; 2 packages not looked up (not from PyPI)",
    );
  });

  it("every package not found (3 or more): the index URL looks wrong", () => {
    const names = ["a", "b", "c"];
    const c = computeCoverage({
      dependencies: [],
      names,
      packages: new Map(names.map((n) => [n, meta(n, "not-found")])),
      verdicts: new Map(),
      indexUrl: "http://127.0.0.1:9/simple",
    });
    expect(c.packages.checked).toBe(3);
    expect(coverageShortfall(c, 0)).toMatch(/the index URL looks wrong/);
    // Two packages are not enough to say so.
    const two = computeCoverage({
      dependencies: [],
      names: ["a", "b"],
      packages: new Map(["a", "b"].map((n) => [n, meta(n, "not-found")])),
      verdicts: new Map(),
      indexUrl: "x",
    });
    expect(coverageShortfall(two, 0.9)).toBeUndefined();
  });

  it("no package from PyPI at all (version control, URLs, paths; private indexes too): nothing was looked up, exit 3 unless min-coverage is 0", () => {
    const dep = (name: string, kind: "vcs" | "url" | "path" | "pypi") =>
      ({ name, file: "r.txt", line: 1, format: "requirements", kind }) as const;
    const only = computeCoverage({
      dependencies: [dep("y", "vcs"), dep("./local", "path"), dep("z", "url")],
      names: [],
      packages: new Map(),
      verdicts: new Map(),
      indexUrl: "https://pypi.org/pypi",
    });
    expect(only.packages).toEqual({ checked: 0, total: 0, notLookedUp: 3 });
    expect(only.reason).toBe(
      "no package comes from PyPI (3 from version control, a URL or a local path), so none was looked up and no maintainer could be checked: set min-coverage to 0 to accept this",
    );
    expect(coverageShortfall(only, 0.9)).toBe(`could not check enough: ${only.reason}`);
    expect(coverageShortfall(only, 0)).toBeUndefined();
    const report = { findings: [], coverage: only } as unknown as Report;
    expect(exitCodeOf(report, { minCoverage: 0.9 })).toBe(3);
    const mixed = computeCoverage({
      dependencies: [dep("y", "vcs"), dep("internal", "pypi")],
      names: ["internal"],
      packages: new Map([["internal", meta("internal", "skipped")]]),
      verdicts: new Map(),
      indexUrl: "https://pypi.org/pypi",
    });
    expect(mixed.reason).toMatch(
      /^no package comes from PyPI \(1 from a private index with no JSON API configured, 1 from version control, a URL or a local path\), .*: map each private index to its JSON API with index-urls, or set min-coverage to 0/,
    );
    expect(coverageShortfall(mixed, 0.5)).toBeDefined();
    // One PyPI package among them is something to look at: the usual shares apply.
    const some = computeCoverage({
      dependencies: [dep("y", "vcs"), dep("a", "pypi")],
      names: ["a"],
      packages: new Map([["a", meta("a", "ok")]]),
      verdicts: new Map(),
      indexUrl: "https://pypi.org/pypi",
    });
    expect(some.reason).toBeUndefined();
    expect(coverageShortfall(some, 0.9)).toBeUndefined();
  });

  it("exit 1 wins over 3; 3 only below min-coverage", () => {
    const coverage: Coverage = {
      packages: { checked: 9, total: 10, notLookedUp: 0 },
      domains: { checked: 5, total: 10, noRdap: 0 },
    };
    const report = { findings: [], coverage } as unknown as Report;
    expect(exitCodeOf(report, { minCoverage: 0.9 })).toBe(3);
    expect(exitCodeOf(report, { minCoverage: 0.5 })).toBe(0);
    const failing = { ...report, findings: [{ failing: true }] } as unknown as Report;
    expect(exitCodeOf(failing, { minCoverage: 0.9 })).toBe(1);
  });

  it("a run that checked nothing never says No findings", () => {
    const report = {
      findings: [],
      packages: [meta("a", "error")],
      domains: [],
      errors: [],
      stats: { packages: 1, lockfiles: 1, deadlineReached: false },
      coverage: {
        packages: { checked: 0, total: 1, notLookedUp: 0 },
        domains: { checked: 0, total: 0, noRdap: 0 },
        reason: "pypi.org unreachable: DNS lookup failed",
      },
    } as unknown as Report;
    const line = verdictLine(report);
    expect(line).toMatch(
      /^Nothing was checked in 1 package from 1 lockfile: pypi\.org unreachable/,
    );
    expect(line).not.toContain("No findings");
  });
});

describe("min-coverage and the 404-everything mirror, through the CLI", () => {
  let world: World;
  let mirror: TestServer;
  let dir: string;
  beforeAll(async () => {
    world = await startWorld();
    mirror = await startServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<h1>Not Found</h1>");
    });
    dir = await mkdtemp(join(tmpdir(), "mdg-coverage-"));
    await mkdir(join(dir, "half"));
    // clean-pkg's domain answers; flaky-pkg's registry fails every time: 1 of 2 domains.
    await writeFile(join(dir, "half", "requirements.txt"), "clean-pkg==1.0\nflaky-pkg==1.0\n");
    // The real wheel answer: a provider address and one at a .fi domain, a TLD the bootstrap
    // lacks: no domain of the run can be checked.
    await mkdir(join(dir, "no-rdap"));
    await writeFile(join(dir, "no-rdap", "requirements.txt"), "wheel==0.40.0\n");
    await mkdir(join(dir, "three"));
    await writeFile(
      join(dir, "three", "requirements.txt"),
      "requests==2.0\nflask==3.0\nnumpy==2.0\n",
    );
  });
  afterAll(async () => {
    await Promise.all([world?.close(), mirror?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  const run = (path: string, extra: string[], format = "json") => {
    const flags = Object.entries(worldFlags(world)).flatMap(([k, v]) => [`--${k}`, v]);
    return runMain(["scan", join(dir, path), "--format", format, ...flags, ...extra], {
      cwd: dir,
      now: () => NOW,
    });
  };

  it.each([
    ["0.5", 0],
    ["0.6", 3],
  ])("--min-coverage %s with 1 of 2 domains checked exits %i", async (min, exit) => {
    const { code, stdout, stderr } = await run("half", ["--min-coverage", min]);
    expect(code).toBe(exit);
    const report = JSON.parse(stdout) as { coverage: Coverage };
    expect(report.coverage).toEqual({
      packages: { checked: 2, total: 2, notLookedUp: 0 },
      domains: { checked: 1, total: 2, noRdap: 0 },
      // The one domain that answered takes mail: DNS was asked for its mail servers.
      mx: { checked: 1, total: 1 },
      reason: expect.stringContaining("RDAP could not be asked"),
      // The JSON says why the run fails, with the same sentence as stderr.
      ...(exit === 3
        ? { shortfall: expect.stringMatching(/^could not check enough: only 1 of 2 domains/) }
        : {}),
    });
    if (exit === 3) expect(stderr).toMatch(/could not check enough: only 1 of 2 domains checked/);
    else expect(stderr).not.toMatch(/could not check enough/);
  });

  it.each([
    ["0.9", 3],
    ["0", 0],
  ])(
    "--min-coverage %s when every domain is under a TLD without RDAP exits %i: it looked at no domain",
    async (min, exit) => {
      const { code, stdout, stderr } = await run("no-rdap", ["--min-coverage", min]);
      expect(code).toBe(exit);
      const report = JSON.parse(stdout) as { coverage: Coverage };
      expect(report.coverage.domains).toMatchObject({ checked: 0, total: 0 });
      expect(report.coverage.domains.noRdap).toBeGreaterThan(0);
      if (exit === 3)
        expect(stderr).toMatch(
          /could not check enough: no domain could be checked, every one \(\d+\) is under a top-level domain without an RDAP service/,
        );
      else expect(stderr).not.toMatch(/could not check enough/);
    },
  );

  it("the table verdict line says the coverage in words", async () => {
    const { stdout } = await run("half", ["--min-coverage", "0"], "table");
    expect(stdout).toContain("2 of 2 packages and 1 of 2 domains checked");
  });

  it("every package not found: says the index URL looks wrong and exits 3", async () => {
    const { code, stdout, stderr } = await run("three", ["--pypi-url", `${mirror.url}/pypi`]);
    expect(code).toBe(3);
    expect(stderr).toContain(`was not found on ${mirror.url}/pypi: the index URL looks wrong`);
    const report = JSON.parse(stdout) as { coverage: Coverage };
    expect(report.coverage.packages).toEqual({ checked: 3, total: 3, notLookedUp: 0 });
  });
});
