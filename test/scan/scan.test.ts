import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanProgress, type VerdictCache } from "../../src/scan/scan.js";
import type {
  Dependency,
  DependencySet,
  DomainVerdict,
  PackageMeta,
  Report,
} from "../../src/types.js";
import { startRdapServer } from "../servers/rdap.js";
import { startPypiServer } from "../servers/pypi.js";
import {
  EXPECTED_KINDS,
  FAILURE_PACKAGES,
  maintainedBy,
  NOW,
  optionsFrom,
  PACKAGES,
  RDAP_ROUTES,
  registryAnswer,
  startWorld,
  worldFlags,
  type World,
} from "../servers/scan-world.js";
import { directTransport } from "../../src/net/transport.js";
import { notCheckedRows, verdictLine } from "../../src/report/verdict.js";

const options = optionsFrom;

const pin = (
  name: string,
  file: string,
  line: number,
  kind: Dependency["kind"] = "pypi",
): Dependency => ({
  name,
  version: "1.0.0",
  file,
  line,
  format: file === "poetry.lock" ? "poetry" : "requirements",
  kind,
});

function dependencySet(root: string): DependencySet {
  const names = Object.keys(EXPECTED_KINDS);
  return {
    root,
    dependencies: [
      ...names.map((n, i) => pin(n, "requirements.txt", i + 1)),
      // The same package pinned in a second lockfile, under a non-normalised spelling.
      pin("Expired_Pkg", "poetry.lock", 12),
      // Not from PyPI: listed, never fetched.
      pin("local-thing", "requirements.txt", 40, "path"),
    ],
    lockfiles: [
      { path: "requirements.txt", format: "requirements", count: names.length + 1 },
      { path: "poetry.lock", format: "poetry", count: 1 },
    ],
    errors: [],
  };
}

describe("scan: the whole pipeline against loopback PyPI, RDAP and DNS", () => {
  let world: World;
  let report: Report;
  const progress: ScanProgress[] = [];

  beforeAll(async () => {
    world = await startWorld();
    report = await scan(dependencySet(world.dir), options(worldFlags(world)), {
      now: () => NOW,
      transport: directTransport(),
      onProgress: (p) => progress.push(p),
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("gives each package the finding its domain's state calls for", () => {
    const byPackage: Record<string, string[]> = {};
    for (const name of Object.keys(EXPECTED_KINDS)) byPackage[name] = [];
    for (const f of report.findings)
      if (f.file === "requirements.txt") byPackage[f.package]?.push(f.kind);
    expect(byPackage).toEqual(EXPECTED_KINDS);
  });

  it("no failure ever yields a domain finding", () => {
    const failed = report.findings.filter((f) => FAILURE_PACKAGES.includes(f.package));
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(["lookup-failed", "package-not-found"]).toContain(f.kind);
    const unknown = report.domains
      .filter((d) => d.state === "unknown")
      .map((d) => [d.domain, d.errorCode]);
    expect(unknown).toEqual([
      ["delegated-example.com", "dns-contradicts"],
      ["flaky-example.com", expect.stringMatching(/server-error/)],
      ["garbled-example.com", "malformed"],
      ["nextday.fi", "no-rdap"],
      ["slow-example.com", "timeout"],
    ]);
  });

  it("a domain DNS shows registered (RDAP said not found) counts as checked, and is said apart", () => {
    // Three lookups failed (flaky, garbled, slow); nextday.fi has no RDAP; delegated-example.com
    // was looked at: DNS settles that it is registered, only its dates are unknown.
    expect(report.coverage?.domains.noRdap).toBe(1);
    expect((report.coverage?.domains.total ?? 0) - (report.coverage?.domains.checked ?? 0)).toBe(3);
    const line = verdictLine(report);
    expect(line).toContain("; 3 domains could not be checked;");
    expect(line).toContain(
      "; 1 domain registered by DNS only (RDAP said not found; dates unknown)",
    );
    expect(notCheckedRows(report).find((r) => r.subject === "delegated-example.com")?.reason).toBe(
      "dns-contradicts: RDAP says not found but DNS delegation exists",
    );
  });

  it("places a finding at every lockfile line that pins the package", () => {
    const expired = report.findings.filter((f) => f.package === "expired-pkg");
    expect(expired.map((f) => [f.kind, f.file, f.line])).toEqual([
      ["domain-expired", "poetry.lock", 12],
      [
        "domain-expired",
        "requirements.txt",
        Object.keys(EXPECTED_KINDS).indexOf("expired-pkg") + 1,
      ],
    ]);
  });

  it("fetches each unique PyPI package exactly once, and nothing that is not from PyPI", () => {
    const expected: Record<string, number> = {};
    for (const name of Object.keys(EXPECTED_KINDS)) expected[`/pypi/${name}/json`] = 1;
    expect(world.pypiCounts()).toEqual(expected);
    expect(report.stats.requests.pypi).toBe(Object.keys(EXPECTED_KINDS).length);
  });

  it("looks up each unique domain once; only 429s, 500s and timeouts are asked again", () => {
    expect(world.rdapCounts()).toEqual({
      "/domain/google.com": 1,
      "/domain/lapsed-example.com": 1,
      "/domain/expired-example.com": 1,
      "/domain/pending-example.org": 1,
      "/domain/rereg-example.com": 1,
      "/domain/hold-example.com": 1,
      "/domain/expiring-example.com": 1,
      "/domain/shared-example.com": 1,
      "/domain/busy-example.com": 2,
      "/domain/flaky-example.com": 2,
      "/domain/slow-example.com": 2,
      "/domain/garbled-example.com": 1,
      "/domain/delegated-example.com": 1,
      "/domain/twistedmatrix.com": 1,
    });
    expect(report.stats.requests.rdap).toBe(world.rdap.requests.length);
    expect(report.stats.domains).toBe(15); // the 14 above and nextday.fi (no RDAP server known)
  });

  it("asks DNS for NS only before calling a domain unregistered", () => {
    expect([...world.dns.queries].filter((q) => q.startsWith("NS ")).sort()).toEqual([
      "NS delegated-example.com",
      "NS lapsed-example.com",
    ]);
    const lapsed = report.domains.find((d) => d.domain === "lapsed-example.com");
    expect(lapsed).toMatchObject({ state: "unregistered", dns: "no-delegation" });
  });

  it("skips providers and IP literals without a lookup, and keeps why", () => {
    const pending = report.packages.find((p) => p.name === "pending-pkg");
    expect(pending?.emails.map((e) => [e.address, e.skipped ?? "checked"])).toEqual([
      ["ann@pending-example.org", "checked"],
      ["bob.dev@gmail.com", "provider"],
    ]);
    const iplit = report.findings.find((f) => f.package === "iplit-pkg");
    expect(iplit?.evidence).toContain("IP address");
    expect(report.domains.map((d) => d.domain)).not.toContain("gmail.com");
    expect(report.domains.map((d) => d.domain)).not.toContain("fastmail.fm");
  });

  it("fails on high and above by default", () => {
    const failing = report.findings.filter((f) => f.failing).map((f) => `${f.kind} ${f.package}`);
    expect([...new Set(failing)].sort()).toEqual([
      "domain-expired expired-pkg",
      "domain-expired pending-pkg",
      "domain-reregistered rereg-pkg",
      "domain-unregistered lapsed-pkg",
    ]);
  });

  it("reports the run: stats, package metadata and progress", () => {
    expect(report.startedAt).toBe(NOW.toISOString());
    expect(report.stats).toMatchObject({
      lockfiles: 2,
      dependencies: Object.keys(EXPECTED_KINDS).length + 2,
      packages: Object.keys(EXPECTED_KINDS).length,
      deadlineReached: false,
    });
    expect(report.stats.requests.bootstrap).toBe(0); // a file, not a URL
    // Two NS checks, and one MX lookup for each maintainer domain that takes mail.
    expect(report.stats.requests.dns).toBe(2 + (report.stats.requests.mx ?? 0));
    expect(report.stats.requests.dns).toBe(world.dns.queries.length);
    expect(report.packages.find((p) => p.name === "missing-pkg")?.status).toBe("not-found");
    expect(report.packages.find((p) => p.name === "broken-meta")?.status).toBe("error");
    expect(report.packages.find((p) => p.name === "twisted")).toMatchObject({
      latestVersion: "18.9.0",
      lastReleaseAt: "2018-10-15T09:11:22.298Z",
      ownership: { organization: "twisted", roles: [] },
    });
    expect(progress.at(-1)).toEqual({
      packages: 20,
      packagesTotal: 20,
      domains: 15,
      domainsTotal: 15,
    });
  });
});

class MemoryCache implements VerdictCache {
  verdicts = new Map<string, DomainVerdict>();
  packages = new Map<string, PackageMeta>();
  getVerdict(domain: string) {
    return this.verdicts.get(domain);
  }
  putVerdict(verdict: DomainVerdict) {
    this.verdicts.set(verdict.domain, verdict);
  }
  getPackage(name: string) {
    return this.packages.get(name);
  }
  putPackage(meta: PackageMeta) {
    this.packages.set(meta.name, meta);
  }
}

describe("scan with a cache", () => {
  it("a warm re-run asks RDAP and PyPI nothing they already answered, with the same findings", async () => {
    const world = await startWorld();
    try {
      const set: DependencySet = {
        root: world.dir,
        dependencies: ["expired-pkg", "clean-pkg", "flaky-pkg", "missing-pkg"].map((n, i) =>
          pin(n, "requirements.txt", i + 1),
        ),
        lockfiles: [{ path: "requirements.txt", format: "requirements", count: 4 }],
        errors: [],
      };
      const cache = new MemoryCache();
      const env = { now: () => NOW, transport: directTransport(), cache };
      const opts = options({ ...worldFlags(world), retries: "0" });
      const cold = await scan(set, opts, env);
      const coldRdap = world.rdap.requests.length;
      const coldPypi = world.pypi.requests.length;
      expect(cold.stats.cache).toEqual({ verdictHits: 0, verdictMisses: 3, metadataHits: 0 });
      // unknown verdicts are not cached; neither is a 404 from the index.
      expect([...cache.verdicts.keys()].sort()).toEqual(["expired-example.com", "google.com"]);

      const warm = await scan(set, opts, env);
      expect(warm.findings.map((f) => [f.package, f.kind])).toEqual(
        cold.findings.map((f) => [f.package, f.kind]),
      );
      expect(warm.stats.cache).toEqual({ verdictHits: 2, verdictMisses: 1, metadataHits: 3 });
      // Only what was not cached is asked again: flaky-example.com and missing-pkg.
      expect(world.rdap.requests.slice(coldRdap).map((r) => r.path)).toEqual([
        "/domain/flaky-example.com",
      ]);
      expect(world.pypi.requests.slice(coldPypi).map((r) => r.path)).toEqual([
        "/pypi/missing-pkg/json",
      ]);
      expect(warm.domains.find((d) => d.domain === "google.com")?.source).toBe("cache");
      expect(warm.packages.find((p) => p.name === "clean-pkg")?.cached).toBe(true);
    } finally {
      await world.close();
    }
  });
});

describe("scan: deadline and bootstrap", () => {
  it("what is unfinished at the deadline ends as lookup-failed, deadline reached", async () => {
    const pypi = await startPypiServer({ "clean-pkg": PACKAGES["clean-pkg"] });
    const rdap = await startRdapServer({
      "google.com": {
        status: 200,
        body: registryAnswer("verisign-com-google.com-related-registrar.json", "google.com"),
        delayMs: 30_000,
      },
    });
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { bootstrapFor } = await import("../servers/rdap.js");
    const dir = await mkdtemp(join(tmpdir(), "mdg-deadline-"));
    try {
      await writeFile(join(dir, "dns.json"), JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })));
      const logged: string[] = [];
      const report = await scan(
        {
          root: dir,
          dependencies: [pin("clean-pkg", "requirements.txt", 1)],
          lockfiles: [],
          errors: [],
        },
        options({
          "pypi-url": pypi.url,
          "rdap-bootstrap": join(dir, "dns.json"),
          timeout: "60s",
          deadline: "3s",
        }),
        {
          now: () => NOW,
          transport: directTransport(),
          log: (e) => logged.push(`${e.level}: ${e.text}`),
        },
      );
      expect(report.stats.deadlineReached).toBe(true);
      expect(report.domains).toEqual([
        expect.objectContaining({
          domain: "google.com",
          state: "unknown",
          error: "deadline reached",
        }),
      ]);
      expect(report.findings.map((f) => [f.kind, f.package, f.failing])).toEqual([
        ["lookup-failed", "clean-pkg", false],
      ]);
      expect(logged.join("\n")).toContain("deadline");
    } finally {
      await Promise.all([pypi.close(), rdap.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("one registry's Retry-After past the deadline fails its own domains; the others are still asked", async () => {
    // The .com registry refuses everything for 30 s, on an 8 s deadline: its domains cannot be
    // looked up in time. That is its limit, not the scan's deadline: the .org domain, asked
    // after them, is still looked up and its lapse reported.
    const busy = ["busy-a", "busy-b", "busy-c"];
    const pypi = await startPypiServer({
      ...Object.fromEntries(
        busy.map((n) => [n, maintainedBy(n, { maintainer_email: `dev@${n}-example.com` })]),
      ),
      "pending-pkg": PACKAGES["pending-pkg"],
    });
    const refusing = await startRdapServer(
      Object.fromEntries(
        busy.map((n) => [
          `${n}-example.com`,
          { status: 429, headers: { "retry-after": "30" }, body: "" },
        ]),
      ),
    );
    const org = await startRdapServer({
      "pending-example.org": RDAP_ROUTES["pending-example.org"]!,
    });
    const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { bootstrapFor } = await import("../servers/rdap.js");
    const dir = await mkdtemp(join(tmpdir(), "mdg-busy-"));
    try {
      await writeFile(
        join(dir, "dns.json"),
        JSON.stringify(bootstrapFor({ com: `${refusing.url}/`, org: `${org.url}/` })),
      );
      const report = await scan(
        {
          root: dir,
          dependencies: [...busy, "pending-pkg"].map((n, i) => pin(n, "requirements.txt", i + 1)),
          lockfiles: [],
          errors: [],
        },
        options({
          "pypi-url": pypi.url,
          "rdap-bootstrap": join(dir, "dns.json"),
          "pypi-concurrency": "1",
          "rdap-concurrency": "1",
          "check-mx": "false",
          deadline: "8s",
        }),
        { now: () => NOW, transport: directTransport() },
      );
      expect(report.stats.deadlineReached).toBe(false);
      expect(org.requests.map((r) => r.path)).toEqual(["/domain/pending-example.org"]);
      expect(report.findings.find((f) => f.package === "pending-pkg")).toMatchObject({
        kind: "domain-expired",
        domain: "pending-example.org",
      });
      for (const n of busy) {
        expect(report.domains.find((d) => d.domain === `${n}-example.com`)).toMatchObject({
          state: "unknown",
          errorCode: "rate-limited",
        });
      }
    } finally {
      await Promise.all([pypi.close(), refusing.close(), org.close()]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("addresses whose host is no domain name are listed under Not checked in every format, never looked up", async () => {
    const pypi = await startPypiServer({
      "two-ip": maintainedBy("two-ip", { author_email: "a@[10.0.0.1], b@[10.0.0.2]" }),
    });
    const { renderTable } = await import("../../src/report/table.js");
    const { renderMarkdown } = await import("../../src/report/markdown.js");
    try {
      const report = await scan(
        {
          root: "/nowhere",
          dependencies: [pin("two-ip", "requirements.txt", 1)],
          lockfiles: [],
          errors: [],
        },
        options({
          "pypi-url": pypi.url,
          "rdap-bootstrap": "/nowhere/dns.json",
          "check-mx": "false",
        }),
        { now: () => NOW, transport: directTransport() },
      );
      expect(report.domains).toEqual([]);
      expect(notCheckedRows(report)).toEqual([
        expect.objectContaining({ what: "address", subject: "a@[10.0.0.1]", packages: ["two-ip"] }),
        expect.objectContaining({ what: "address", subject: "b@[10.0.0.2]", packages: ["two-ip"] }),
      ]);
      expect(renderTable(report)).toMatch(
        /Not checked\n {2}address +a@\[10\.0\.0\.1\] .*\(two-ip\)/,
      );
      const markdown = renderMarkdown(report, { context: "summary", maxLength: 60_000 });
      expect(markdown).toContain("| address `a@[10.0.0.1]` |");
      expect(markdown).toContain("| address `b@[10.0.0.2]` |");
    } finally {
      await pypi.close();
    }
  });

  it("a bootstrap that cannot be read makes every domain lookup-failed, and says why", async () => {
    const pypi = await startPypiServer({ "expired-pkg": PACKAGES["expired-pkg"] });
    try {
      const logged: string[] = [];
      const report = await scan(
        {
          root: "/",
          dependencies: [pin("expired-pkg", "requirements.txt", 1)],
          lockfiles: [],
          errors: [],
        },
        options({ "pypi-url": pypi.url, "rdap-bootstrap": "/nonexistent/dns.json" }),
        {
          now: () => NOW,
          transport: directTransport(),
          log: (e) => logged.push(`${e.level}: ${e.text}`),
        },
      );
      expect(report.domains.map((d) => [d.domain, d.state, d.errorCode])).toEqual([
        ["expired-example.com", "unknown", "bootstrap-failed"],
      ]);
      expect(report.findings.map((f) => f.kind)).toEqual(["lookup-failed"]);
      expect(logged.join("\n")).toContain("RDAP bootstrap");
    } finally {
      await pypi.close();
    }
  });
});
