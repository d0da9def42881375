// The seeded fault-injection suite: for each seed, PyPI and RDAP servers answer every request
// with a fault drawn from a seeded PRNG (resets, 5xx, 429 with and without Retry-After, stalls,
// truncated bodies, bodies over the 5 MiB cap, a gzip bomb, redirect loops, wrong content
// types, malformed JSON), the bootstrap comes from a file or from the faulty server, and the DNS
// server answers or stays silent. Whatever was drawn, the scan must end, on time, with every
// dependency in a definite state and no domain finding that a real answer did not produce.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { scan } from "../../src/scan/scan.js";
import type { Finding, Report } from "../../src/types.js";
import {
  FAULTS,
  prepareLargeBodies,
  RETRY_AFTER_SECONDS,
  type FaultServer,
} from "./fault-server.js";
import {
  buildScenario,
  faultsServed,
  KIND_FOR,
  NOW,
  SEEDED_LIMITS,
  STATE_FOR,
  type Scenario,
} from "./harness.js";
import { directTransport } from "../../src/net/transport.js";
import { PACE_WINDOW_MS } from "../../src/net/pacing.js";

const SEEDS = Array.from({ length: 60 }, (_, i) => 1000 + i);
/** Scheduling noise on a loaded CI machine, plus a request queued behind a stalled one. */
const SLACK_MS = 600;

const served: { pypi: FaultServer; rdap: FaultServer }[] = [];

/** True when the server sent this path's real answer at least once. */
function answered(server: FaultServer, path: string): boolean {
  return server.log.some((r) => r.path === path && r.fault === "ok");
}

/** The longest time between two consecutive attempts at one URL. */
function longestGap(server: FaultServer): { path: string; gap: number } {
  const byPath = new Map<string, number[]>();
  for (const r of server.log) {
    if (r.path.startsWith("/__loop/")) continue;
    byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.at]);
  }
  let worst = { path: "", gap: 0 };
  for (const [path, times] of byPath) {
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] as number) - (times[i - 1] as number);
      if (gap > worst.gap) worst = { path, gap };
    }
  }
  return worst;
}

function checkInvariants(s: Scenario, report: Report, elapsedMs: number, lagMs: number): void {
  const where = `seed ${s.seed} (event loop lag up to ${Math.round(lagMs)} ms)`;
  // The run ends within its deadline.
  expect(elapsedMs, where).toBeLessThan(s.options.deadlineMs + SLACK_MS);

  // A failed MX query (a silent DNS server) is a lookup-failed of its own beside the maintainer
  // domain's verdict, and only for a domain whose MX query did fail: set apart here.
  const mxFailed = (f: Finding) =>
    f.kind === "lookup-failed" &&
    f.domain === undefined &&
    f.email !== undefined &&
    report.domains.find((d) => d.domain === f.email!.split("@")[1]!.toLowerCase())?.mx?.status ===
      "failed";
  for (const f of report.findings)
    if (mxFailed(f)) expect(s.dnsSilent, `${where}: ${f.message}`).toBe(true);
  for (const p of s.packages) {
    const meta = report.packages.find((m) => m.name === p.name);
    const mine = report.findings.filter((f) => f.package === p.name && !mxFailed(f));
    // Every dependency ends in a definite state.
    expect(meta, `${where}: ${p.name} has no state`).toBeDefined();
    if (!meta) continue;
    expect(["ok", "not-found", "error"], where).toContain(meta.status);
    const pypiPath = `/pypi/${p.name}/json`;
    if (meta.status === "error") {
      expect(meta.error, `${where}: ${p.name} failed without a reason`).toBeTruthy();
      expect(
        mine.map((f) => f.kind),
        `${where}: ${p.name}`,
      ).toEqual(["lookup-failed"]);
    }
    if (meta.status === "not-found") {
      // A 404 only from the real answer, never from a fault.
      expect(p.truth, `${where}: ${p.name} reported not found`).toBe("not-found");
      expect(answered(s.pypi, pypiPath), where).toBe(true);
      expect(
        mine.map((f) => f.kind),
        where,
      ).toEqual(["package-not-found"]);
    }
    if (meta.status === "ok")
      expect(answered(s.pypi, pypiPath), `${where}: ${p.name} ok without an answer`).toBe(true);
    // When the index's real answer arrived, the package is not left as an error.
    if (answered(s.pypi, pypiPath)) {
      expect(
        meta.status,
        `${where}: ${p.name}: ${meta.error} (${JSON.stringify(s.pypi.log.filter((r) => r.path === pypiPath))})`,
      ).not.toBe("error");
    }

    if (meta.status !== "ok") continue;
    if (p.truth === "no-email")
      expect(
        mine.map((f) => f.kind),
        where,
      ).toEqual(["no-maintainer-email"]);
    if (p.truth === "provider") expect(mine, `${where}: provider address looked up`).toEqual([]);
    if (p.truth === "no-rdap") {
      expect(
        mine.map((f) => f.kind),
        where,
      ).toEqual(["lookup-failed"]);
      // No RDAP server for the TLD; when the bootstrap itself failed, that is the reason given.
      expect(["no-rdap", "bootstrap-failed"], where).toContain(
        report.domains.find((d) => d.domain === p.domain)?.errorCode,
      );
    }
    if (!p.domain || !s.domains.has(p.domain)) continue;

    const truth = s.domains.get(p.domain)!;
    const verdict = report.domains.find((d) => d.domain === p.domain);
    expect(verdict, `${where}: ${p.domain} has no verdict`).toBeDefined();
    if (!verdict) continue;
    const rdapPath = `/domain/${p.domain}`;
    if (verdict.state === "unknown") {
      // Not checked: said so, with a reason.
      expect(verdict.error, `${where}: ${p.domain} unknown without a reason`).toBeTruthy();
      expect(
        mine.map((f) => f.kind),
        where,
      ).toEqual(["lookup-failed"]);
      // ... and only because no real answer ever reached the client.
      expect(answered(s.rdap, rdapPath), `${where}: ${p.domain} was answered but is unknown`).toBe(
        false,
      );
    } else {
      // A definite state only from a real answer, and it is the true one.
      expect(
        answered(s.rdap, rdapPath),
        `${where}: ${p.domain} is ${verdict.state} without an answer`,
      ).toBe(true);
      expect(verdict.state, `${where}: ${p.domain}`).toBe(STATE_FOR[truth]);
      const expected = KIND_FOR[truth];
      expect(
        mine.map((f) => f.kind),
        `${where}: ${p.name}`,
      ).toEqual(expected ? [expected] : []);
    }
  }

  // No domain finding from a failure, whichever package carries it.
  for (const f of report.findings) {
    if (!f.kind.startsWith("domain-")) continue;
    const truth = f.domain ? s.domains.get(f.domain) : undefined;
    expect(truth, `${where}: ${f.kind} for ${f.domain}, which has no real answer`).toBeDefined();
    expect(f.kind, `${where}: ${f.domain}`).toBe(KIND_FOR[truth!]);
    expect(answered(s.rdap, `/domain/${f.domain}`), where).toBe(true);
  }

  // Each unique package fetched once, each unique domain looked up once: at most 1 + retries
  // attempts per URL, none after its real answer, and no single wait longer than a timeout
  // plus the cap. A reset of a request on a kept connection is what a client sees when the
  // server closed that connection while idle: the request is sent once more on a new
  // connection, which is not an attempt of its own.
  for (const server of [s.pypi, s.rdap]) {
    const byPath = new Map<string, string[]>();
    const staleByPath = new Map<string, number>();
    for (const r of server.log) {
      if (r.path.startsWith("/__loop/")) continue;
      if (r.fault === "reset" && r.reused)
        staleByPath.set(r.path, (staleByPath.get(r.path) ?? 0) + 1);
      byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.fault]);
    }
    for (const [path, faults] of byPath) {
      const stale = staleByPath.get(path) ?? 0;
      const attempts = faults.length - stale;
      expect(
        attempts,
        `${where}: ${path} asked ${faults.length} times, ${stale} on closed kept connections`,
      ).toBeLessThanOrEqual(1 + s.options.retries);
      expect(stale, `${where}: ${path}: more resends than attempts`).toBeLessThanOrEqual(attempts);
      const ok = faults.indexOf("ok");
      if (ok >= 0)
        expect(faults.slice(ok + 1), `${where}: ${path} asked again after its answer`).toEqual([]);
    }
    const worst = longestGap(server);
    // Between two attempts at one URL: its own timeout, one capped wait (or the learned rate's
    // window, which is waited whole), and (after a 429 drops the host's concurrency to 1) a
    // turn behind each other stalled request to that host. A 429 asks for RETRY_AFTER_SECONDS
    // (30 s): this bound holds only if the cap applies.
    const bound =
      byPath.size * s.options.timeoutMs +
      Math.max(s.options.maxRetryWaitMs, PACE_WINDOW_MS) +
      SLACK_MS;
    expect(bound).toBeLessThan(RETRY_AFTER_SECONDS * 1000);
    expect(
      worst.gap,
      `${where}: waited ${Math.round(worst.gap)} ms before retrying ${worst.path}`,
    ).toBeLessThan(bound);
  }
}

describe("seeded faults", () => {
  beforeAll(async () => {
    // Timing invariants use real clocks: build the large bodies and load every module of the
    // pipeline (one fault-free scan) before the first seed starts its clock.
    prepareLargeBodies();
    const warm = await buildScenario(1, SEEDED_LIMITS, { faultFree: true });
    try {
      await scan(warm.set, warm.options, {
        now: () => NOW,
        transport: directTransport(),
        cwd: warm.set.root,
      });
    } finally {
      await warm.close();
    }
  });

  afterAll(() => {
    // The seeds together must have exercised every fault the servers know.
    const seen = faultsServed(served);
    expect([...FAULTS].filter((f) => !seen.has(f))).toEqual([]);
    // And a reset on a kept connection, the case of a connection the server closed while idle.
    const logs = served.flatMap((s) => [...s.pypi.log, ...s.rdap.log]);
    expect(logs.filter((r) => r.fault === "reset" && r.reused).length).toBeGreaterThan(0);
  });

  it.concurrent.each(SEEDS)(
    "seed %i: ends on time, every dependency definite, no domain finding from a failure",
    async (seed) => {
      const s = await buildScenario(seed, SEEDED_LIMITS);
      served.push(s);
      try {
        const lag = monitorEventLoopDelay({ resolution: 10 });
        lag.enable();
        const started = performance.now();
        const report = await scan(s.set, s.options, {
          now: () => NOW,
          transport: directTransport(),
          cwd: s.set.root,
        });
        const elapsed = performance.now() - started;
        lag.disable();
        checkInvariants(s, report, elapsed, lag.max / 1e6);
      } finally {
        await s.close();
      }
    },
    20_000,
  );
});
