// The run's bounds under faults: a scan with stalling servers ends at --deadline and still
// reports what it finished; a 30-second Retry-After is waited no longer than --max-retry-wait;
// a DNS server that never answers costs a bounded wait and never turns into a finding.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import type { DependencySet } from "../../src/types.js";
import { startDnsServer } from "../servers/dns.js";
import { RETRY_AFTER_SECONDS, startFaultServer, type Answer, type Fault } from "./fault-server.js";
import { NOW, optionsFor } from "./harness.js";
import { directTransport } from "../../src/net/transport.js";
import { renderTable } from "../../src/report/table.js";
import { PACE_WINDOW_MS } from "../../src/net/pacing.js";

const SLACK_MS = 700;

function pypiAnswer(name: string, email: string): Answer {
  return {
    status: 200,
    type: "application/json",
    body: JSON.stringify({
      info: {
        name,
        version: "1.0.0",
        author_email: email,
        maintainer_email: "",
        author: "",
        maintainer: "",
      },
      urls: [
        {
          upload_time_iso_8601: "2025-01-10T09:00:00.000000Z",
          packagetype: "sdist",
          yanked: false,
        },
      ],
      last_serial: 1,
    }),
  };
}

/** A registry answer with the given statuses, built on the shape of a real Verisign answer. */
function rdapAnswer(domain: string, status: string[]): Answer {
  return {
    status: 200,
    type: "application/rdap+json",
    body: JSON.stringify({
      objectClassName: "domain",
      ldhName: domain.toUpperCase(),
      status,
      events: [
        { eventAction: "registration", eventDate: "2012-03-01T00:00:00Z" },
        { eventAction: "expiration", eventDate: "2026-10-01T00:00:00Z" },
      ],
      rdapConformance: ["rdap_level_0"],
    }),
  };
}

function dependencySet(names: string[]): DependencySet {
  return {
    root: process.cwd(),
    dependencies: names.map((name, i) => ({
      name,
      version: "1.0.0",
      file: "requirements.txt",
      line: i + 1,
      format: "requirements" as const,
      kind: "pypi" as const,
    })),
    lockfiles: [{ path: "requirements.txt", format: "requirements", count: names.length }],
    errors: [],
  };
}

/** An RDAP fault server that also serves a bootstrap sending `.com` to itself at /bootstrap.json. */
async function startRegistry(
  domainAnswer: (path: string) => Answer,
  choose: (path: string, attempt: number) => Fault,
) {
  let bootstrap = "";
  const server = await startFaultServer({
    seed: 0,
    answer: (path) =>
      path === "/bootstrap.json"
        ? { status: 200, type: "application/json", body: bootstrap }
        : domainAnswer(path),
    choose: (path, attempt) => (path === "/bootstrap.json" ? "ok" : choose(path, attempt)),
  });
  bootstrap = JSON.stringify({
    version: "1.0",
    publication: "2026-11-01T00:00:00Z",
    services: [[["com"], [`${server.url}/`]]],
  });
  return { ...server, bootstrapUrl: `${server.url}/bootstrap.json` };
}

describe("deadline", () => {
  it("ends at --deadline with stalling servers, and reports what it finished", async () => {
    const pypi = await startFaultServer({
      seed: 1,
      answer: (path) => {
        const name = /^\/pypi\/([^/]+)\/json$/.exec(path)?.[1] ?? "";
        return pypiAnswer(name, `dev@${name}.com`);
      },
      // The index never answers for `slow-index`; everything else answers at once.
      choose: (path): Fault => (path.includes("slow-index") ? "stall" : "ok"),
    });
    const rdap = await startRegistry(
      (path) => rdapAnswer(path.replace("/domain/", ""), ["redemption period", "pending delete"]),
      // The registry never answers for `slow-registry.com`.
      (path) => (path.includes("slow-registry") ? "stall" : "ok"),
    );
    const dns = await startDnsServer({ delegated: [] });
    try {
      const options = optionsFor({
        "pypi-url": `${pypi.url}/pypi`,
        "rdap-bootstrap": rdap.bootstrapUrl,
        "dns-server": dns.address,
        timeout: "60s", // longer than the deadline: only the deadline can end these stalls
        deadline: "1500ms",
      });
      const started = performance.now();
      const report = await scan(dependencySet(["fast", "slow-index", "slow-registry"]), options, {
        now: () => NOW,
        transport: directTransport(),
      });
      const elapsed = performance.now() - started;

      expect(elapsed).toBeLessThan(1500 + SLACK_MS);
      expect(report.stats.deadlineReached).toBe(true);
      // The summary line says so: a run cut short never reads as a complete one.
      expect(renderTable(report)).toMatch(/; the deadline cut the scan short/);
      const kinds = (pkg: string) =>
        report.findings.filter((f) => f.package === pkg).map((f) => f.kind);
      // What finished is reported as usual.
      expect(kinds("fast")).toEqual(["domain-expired"]);
      // What did not finish is not checked, with the reason, never a domain finding.
      expect(kinds("slow-index")).toEqual(["lookup-failed"]);
      expect(report.packages.find((p) => p.name === "slow-index")).toMatchObject({
        status: "error",
      });
      expect(kinds("slow-registry")).toEqual(["lookup-failed"]);
      expect(report.domains.find((d) => d.domain === "slow-registry.com")).toMatchObject({
        state: "unknown",
      });
      const reasons = report.findings
        .filter((f) => f.kind === "lookup-failed")
        .map((f) => `${f.message} ${f.evidence}`);
      for (const reason of reasons) expect(reason).toMatch(/deadline/i);
    } finally {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
    }
  });
});

describe("waits", () => {
  it(`waits at most --max-retry-wait when a server asks for ${RETRY_AFTER_SECONDS} s (seconds and HTTP-date forms)`, async () => {
    const pypi = await startFaultServer({
      seed: 2,
      answer: (path) => pypiAnswer(/^\/pypi\/([^/]+)\//.exec(path)?.[1] ?? "", "dev@ok-domain.com"),
      choose: (path, attempt): Fault =>
        attempt === 0
          ? path.includes("date")
            ? "429-retry-after-date"
            : "429-retry-after-seconds"
          : "ok",
    });
    const rdap = await startRegistry(
      () => rdapAnswer("ok-domain.com", ["redemption period", "pending delete"]),
      (_path, attempt) => (attempt === 0 ? "429-retry-after-seconds" : "ok"),
    );
    try {
      const options = optionsFor({
        "pypi-url": `${pypi.url}/pypi`,
        "rdap-bootstrap": rdap.bootstrapUrl,
        "max-retry-wait": "200ms",
        timeout: "2s",
      });
      const report = await scan(dependencySet(["retry-seconds", "retry-date"]), options, {
        now: () => NOW,
        transport: directTransport(),
      });
      // Both packages were read after one retry each, and the domain after one retry.
      expect(report.packages.map((p) => p.status)).toEqual(["ok", "ok"]);
      expect(report.domains).toMatchObject([{ domain: "ok-domain.com", state: "expired" }]);
      for (const server of [pypi, rdap]) {
        for (const path of new Set(server.log.map((r) => r.path))) {
          const times = server.log.filter((r) => r.path === path).map((r) => r.at);
          if (times.length < 2) continue;
          const gap = (times[1] as number) - (times[0] as number);
          // The capped wait, or the rate the 429 taught (one start per window: nothing was
          // accepted in the second before it), whichever is longer; never the 30 s asked for.
          expect(gap, `${path}: waited ${Math.round(gap)} ms`).toBeGreaterThanOrEqual(150);
          expect(gap, `${path}: waited ${Math.round(gap)} ms`).toBeLessThan(
            Math.max(200, PACE_WINDOW_MS) + SLACK_MS,
          );
        }
      }
      expect(pypi.log.map((r) => `${r.path} ${r.fault}`)).toEqual(
        expect.arrayContaining([
          "/pypi/retry-seconds/json 429-retry-after-seconds",
          "/pypi/retry-seconds/json ok",
          "/pypi/retry-date/json 429-retry-after-date",
          "/pypi/retry-date/json ok",
        ]),
      );
    } finally {
      await Promise.all([pypi.close(), rdap.close()]);
    }
  });
});

describe("DNS", () => {
  it("a DNS server that never answers costs a bounded wait; the RDAP 404 is not contradicted", async () => {
    const pypi = await startFaultServer({
      seed: 3,
      answer: () => pypiAnswer("lonely", "dev@lapsed-example-domain.com"),
      choose: () => "ok",
    });
    const rdap = await startRegistry(
      () => ({ status: 404, type: "application/rdap+json", body: "" }),
      () => "ok",
    );
    const dns = await startDnsServer({ delegated: [], silent: true });
    try {
      const options = optionsFor({
        "pypi-url": `${pypi.url}/pypi`,
        "rdap-bootstrap": rdap.bootstrapUrl,
        "dns-server": dns.address,
        timeout: "500ms",
      });
      const started = performance.now();
      const report = await scan(dependencySet(["lonely"]), options, {
        now: () => NOW,
        transport: directTransport(),
      });
      // The resolver tries twice and its second try waits longer (measured: about 4 timeouts
      // in all); what matters is that the wait is bounded by the timeout, not by the DNS server.
      expect(performance.now() - started).toBeLessThan(5 * 500 + SLACK_MS);
      expect(dns.queries).toContain("NS lapsed-example-domain.com");
      expect(report.domains).toMatchObject([
        { domain: "lapsed-example-domain.com", dns: "not-consulted" },
      ]);
    } finally {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
    }
  });
});
