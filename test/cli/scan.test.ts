// End to end through the CLI: lockfiles on disk -> `main(["scan", ...])` -> JSON on stdout and
// the exit code, against loopback PyPI, RDAP and DNS servers, with the clock pinned.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";
import {
  EXPECTED_KINDS,
  FAILURE_PACKAGES,
  NOW,
  startWorld,
  worldFlags,
  type World,
} from "../servers/scan-world.js";

interface JsonFinding {
  kind: string;
  severity: string;
  package: string;
  version: string | null;
  email: string | null;
  domain: string | null;
  file: string;
  line: number;
  message: string;
  evidence: string | null;
  failing: boolean;
}

interface JsonReport {
  dependencies: { name: string; file: string; line: number }[];
  findings: JsonFinding[];
  domains: { domain: string; state: string }[];
  stats: { requests: { pypi: number; rdap: number }; packages: number; domains: number };
}

async function runCli(world: World, dir: string, extra: string[] = []) {
  const flags = Object.entries(worldFlags(world)).flatMap(([k, v]) => [`--${k}`, v]);
  return runMain(["scan", dir, "--format", "json", ...flags, ...extra], {
    cwd: dir,
    now: () => NOW,
  });
}

describe("scan through the CLI", () => {
  let world: World;
  let project: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  let report: JsonReport;
  const names = Object.keys(EXPECTED_KINDS);

  beforeAll(async () => {
    world = await startWorld();
    project = join(world.dir, "project");
    await mkdir(project);
    // One pin per line, line N is names[N - 1]; a comment and a blank line shift nothing else.
    await writeFile(
      join(project, "requirements.txt"),
      names.map((n) => `${n}==1.0.0`).join("\n") + "\n",
    );
    // A second lockfile pinning two packages again, with non-normalised spellings.
    await writeFile(
      join(project, "requirements-dev.txt"),
      "# dev tools\n\nExpired_Pkg==1.0.0\nHOLD.pkg==2.0\n",
    );
    result = await runCli(world, project);
    report = JSON.parse(result.stdout) as JsonReport;
  });
  afterAll(async () => {
    await world?.close();
  });

  it("prints every finding kind at the right lockfile lines", () => {
    const got: Record<string, string[]> = {};
    for (const n of names) got[n] = [];
    for (const f of report.findings) {
      if (f.file !== "requirements.txt") continue;
      expect(f.line).toBe(names.indexOf(f.package) + 1);
      got[f.package]?.push(f.kind);
    }
    expect(got).toEqual(EXPECTED_KINDS);
    const kinds = new Set(report.findings.map((f) => f.kind));
    expect([...kinds].sort()).toEqual([
      "domain-expired",
      "domain-expiring",
      "domain-on-hold",
      "domain-reregistered",
      "domain-unregistered",
      "lookup-failed",
      "no-maintainer-email",
      "package-not-found",
    ]);
  });

  it("repeats a finding at each lockfile that pins the package", () => {
    const dev = report.findings.filter((f) => f.file === "requirements-dev.txt");
    expect(dev.map((f) => [f.package, f.kind, f.line, f.version])).toEqual([
      ["expired-pkg", "domain-expired", 3, "1.0.0"],
      ["hold-pkg", "domain-on-hold", 4, "2.0"],
    ]);
  });

  it("never turns a failed lookup into a domain finding", () => {
    for (const f of report.findings.filter((x) => FAILURE_PACKAGES.includes(x.package))) {
      expect(["lookup-failed", "package-not-found"]).toContain(f.kind);
    }
  });

  it("fetches each package once and looks up each domain at most once (plus forced retries)", () => {
    const pypi = world.pypiCounts();
    expect(Object.values(pypi).every((n) => n === 1)).toBe(true);
    expect(Object.keys(pypi).sort()).toEqual(names.map((n) => `/pypi/${n}/json`).sort());
    const rdap = world.rdapCounts();
    const retried = [
      "/domain/busy-example.com",
      "/domain/flaky-example.com",
      "/domain/slow-example.com",
    ];
    for (const [path, n] of Object.entries(rdap)) expect(n).toBe(retried.includes(path) ? 2 : 1);
    expect(rdap["/domain/gmail.com"]).toBeUndefined();
    expect(report.stats.requests).toMatchObject({
      pypi: names.length,
      rdap: world.rdap.requests.length,
    });
  });

  it("exits 1 with the default fail-on (high): critical and high findings", () => {
    expect(result.code).toBe(1);
    const failing = new Set(report.findings.filter((f) => f.failing).map((f) => f.kind));
    expect([...failing].sort()).toEqual([
      "domain-expired",
      "domain-reregistered",
      "domain-unregistered",
    ]);
  });

  it("keeps progress and warnings out of the JSON", () => {
    expect(result.stdout.trimStart().startsWith("{")).toBe(true);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
  });

  it("on a terminal, progress (packages and domains done / total) goes to stderr, never into the JSON", async () => {
    const flags = Object.entries(worldFlags(world)).flatMap(([k, v]) => [`--${k}`, v]);
    const { code, stdout, stderr } = await runMain(
      ["scan", project, "--format", "json", ...flags],
      { cwd: project, now: () => NOW, stderrIsTTY: true },
    );
    expect(code).toBe(1);
    const total = names.length;
    expect(stderr).toMatch(new RegExp(`packages ${total}/${total}, domains (\\d+)/\\1\\n`));
    expect(stdout).not.toMatch(/packages \d+\/\d+/);
    expect((JSON.parse(stdout) as JsonReport).findings.length).toBe(report.findings.length);
  });
});

describe("exit codes with --fail-on", () => {
  let world: World;
  let project: string;
  beforeAll(async () => {
    world = await startWorld();
    project = join(world.dir, "project");
    await mkdir(project);
    await writeFile(
      join(project, "requirements.txt"),
      "hold-pkg==1.0\nexpiring-pkg==1.0\nclean-pkg==1.0\nflaky-pkg==1.0\n",
    );
  });
  afterAll(async () => {
    await world?.close();
  });

  it.each([
    ["high", 0],
    ["medium", 1],
    ["never", 0],
  ])("--fail-on %s exits %i on medium findings", async (failOn, code) => {
    // One of the four domains (flaky) cannot be checked: min-coverage 0 keeps exit 3 out of this.
    const run = await runCli(world, project, ["--fail-on", failOn, "--min-coverage", "0"]);
    expect(run.code).toBe(code);
  });

  it("--on-lookup-error fail makes an unchecked domain fail the run", async () => {
    const run = await runCli(world, project, ["--on-lookup-error", "fail"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.failing).map((f) => f.kind)).toEqual(["lookup-failed"]);
  });

  it("a lockfile that could not be read counts against min-coverage: never green for it (exit 3)", async () => {
    const project = join(world.dir, "unread");
    await mkdir(project);
    await writeFile(join(project, "requirements.txt"), "clean-pkg==1.0\n");
    // A Pipfile.lock cut short (a failed download, a bad merge): its packages are unknown.
    await writeFile(
      join(project, "Pipfile.lock"),
      '{\n  "_meta": {"hash": {"sha256": "0"}},\n  "default": {\n    "expired-pkg": {"version": "==1.0"',
    );
    const run = await runCli(world, project, ["--format", "table"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^No findings in what could be checked of 1 package from 1 lockfile; 1 of 1 package and 1 of 1 domain checked; .*; 1 of 2 lockfiles read; 1 file error/m,
    );
    expect(run.stderr).toContain(
      "could not check enough: only 1 of 2 lockfiles checked, below min-coverage 0.9: Pipfile.lock could not be read (invalid JSON: Expected ',' or '}' after property value), so its packages are unknown: fix it, or leave it out with paths",
    );
    const json = JSON.parse((await runCli(world, project)).stdout) as {
      coverage: { lockfiles?: { read: number; total: number }; shortfall?: string };
    };
    expect(json.coverage.lockfiles).toEqual({ read: 1, total: 2 });
    // min-coverage 0 accepts it; with both files read there is nothing to say.
    expect((await runCli(world, project, ["--min-coverage", "0"])).code).toBe(0);
    await writeFile(join(project, "Pipfile.lock"), '{"_meta": {}, "default": {}}\n');
    const fixed = JSON.parse((await runCli(world, project)).stdout) as {
      coverage: { lockfiles?: unknown };
    };
    expect(fixed.coverage.lockfiles).toBeUndefined();
  });
});
