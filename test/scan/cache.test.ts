import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMain } from "../servers/cli.js";
import { lstat, mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CACHE_VERSION,
  cacheScope,
  CHANGING_TTL_MS,
  openCache,
  parseCacheFile,
  STABLE_TTL_MS,
  UNSTABLE_TTL_MS,
  verdictTtlMs,
} from "../../src/scan/cache.js";
import type { DomainVerdict, PackageMeta, Report } from "../../src/types.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { pypiFixture, startPypiServer, withInfo, type PypiServer } from "../servers/pypi.js";
import { bootstrapFor, fixture, startRdapServer, type RdapServer } from "../servers/rdap.js";
import type { LogEvent } from "../../src/types.js";

const NOW = new Date("2026-03-23T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const SCOPE = cacheScope({
  pypiUrl: "https://index.example/pypi",
  rdapBootstrap: "bootstrap.json",
  dnsServer: undefined,
  indexUrls: [],
});
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

function verdict(
  partial: Partial<DomainVerdict> & Pick<DomainVerdict, "domain" | "state">,
): DomainVerdict {
  return { statuses: [], source: "rdap", checkedAt: NOW.toISOString(), ...partial };
}

let dir: string;
let logged: string[];
/** Log events as the CLI prints them: `warning: <text>`. */
const log = (e: LogEvent) => logged.push(`${e.level}: ${e.text}`);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdg-cache-"));
  logged = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("how long a verdict is trusted", () => {
  it.each([
    [
      "registered, expiry years ahead: a week",
      verdict({ domain: "a.com", state: "registered", expires: "2028-09-14T04:00:00Z" }),
      WEEK,
      STABLE_TTL_MS,
    ],
    [
      "registered, expiry years ahead, ceiling one day: the ceiling",
      verdict({ domain: "a.com", state: "registered", expires: "2028-09-14T04:00:00Z" }),
      DAY,
      DAY,
    ],
    [
      "registered, expiry in 40 days: hours",
      verdict({ domain: "a.com", state: "registered", expires: at(40 * DAY).toISOString() }),
      WEEK,
      UNSTABLE_TTL_MS,
    ],
    [
      "registered, no expiry date (.no): hours",
      verdict({ domain: "a.no", state: "registered" }),
      WEEK,
      UNSTABLE_TTL_MS,
    ],
    [
      "registered, expiry in 2 hours: until the expiry",
      verdict({ domain: "a.com", state: "registered", expires: at(2 * HOUR).toISOString() }),
      WEEK,
      2 * HOUR,
    ],
    [
      "expired: one hour",
      verdict({ domain: "a.com", state: "expired", expires: at(-20 * DAY).toISOString() }),
      WEEK,
      CHANGING_TTL_MS,
    ],
    [
      "on hold, expiry in 30 minutes: until the expiry",
      verdict({ domain: "a.com", state: "on-hold", expires: at(30 * 60_000).toISOString() }),
      WEEK,
      30 * 60_000,
    ],
    [
      "on hold: one hour",
      verdict({ domain: "a.com", state: "on-hold", expires: "2027-01-01T00:00:00Z" }),
      WEEK,
      CHANGING_TTL_MS,
    ],
    [
      "unregistered: one hour",
      verdict({ domain: "a.com", state: "unregistered" }),
      WEEK,
      CHANGING_TTL_MS,
    ],
    [
      "unknown: never",
      verdict({ domain: "a.com", state: "unknown", errorCode: "rate-limited" }),
      WEEK,
      0,
    ],
  ])("%s", (_name, v, ceiling, expected) => {
    expect(verdictTtlMs(v, NOW, ceiling)).toBe(expected);
  });

  it("serves a stable verdict for a week from the cache, then asks again", async () => {
    const cache = await openCache(join(dir, "c.json"), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putVerdict(
      verdict({
        domain: "Google.COM",
        state: "registered",
        expires: "2028-09-14T04:00:00Z",
        statuses: ["client hold"],
      }),
      NOW,
    );
    const hit = cache.getVerdict("google.com", at(WEEK - 1));
    expect(hit).toMatchObject({
      domain: "google.com",
      state: "registered",
      source: "cache",
      checkedAt: NOW.toISOString(),
    });
    expect(cache.getVerdict("google.com", at(WEEK))).toBeUndefined();
    expect(cache.stats).toMatchObject({ verdictHits: 1, verdictMisses: 1 });
  });

  it("asks again about an unregistered domain after an hour", async () => {
    const cache = await openCache(join(dir, "c.json"), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putVerdict(verdict({ domain: "lapsed.com", state: "unregistered" }), NOW);
    expect(cache.getVerdict("lapsed.com", at(HOUR - 1))?.state).toBe("unregistered");
    expect(cache.getVerdict("lapsed.com", at(HOUR))).toBeUndefined();
  });

  it("never stores unknown, and an unknown does not evict a fresh verdict", async () => {
    const cache = await openCache(join(dir, "c.json"), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putVerdict(verdict({ domain: "flaky.com", state: "unknown", errorCode: "timeout" }), NOW);
    expect(cache.getVerdict("flaky.com", NOW)).toBeUndefined();
    cache.putVerdict(
      verdict({ domain: "ok.com", state: "registered", expires: "2030-01-01T00:00:00Z" }),
      NOW,
    );
    cache.putVerdict(
      verdict({ domain: "ok.com", state: "unknown", errorCode: "server-error" }),
      at(HOUR),
    );
    expect(cache.getVerdict("ok.com", at(2 * HOUR))?.state).toBe("registered");
  });
});

/**
 * The CLI on `dir`'s lockfile with the verdict cache `verdicts.json`, JSON out (table when asked),
 * no retries, no MX, against the given index and DNS server and `dir`'s bootstrap file.
 */
async function scanWithCache(
  at: { pypi: string; dns: string; lockfile?: string },
  now: Date,
  extra: string[] = [],
): Promise<{ code: number; stdout: string; report: Report | undefined }> {
  const { code, stdout } = await runMain(
    [
      "scan",
      join(dir, at.lockfile ?? "requirements.txt"),
      "--format",
      "json",
      "--pypi-url",
      at.pypi,
      "--rdap-bootstrap",
      join(dir, "bootstrap.json"),
      "--dns-server",
      at.dns,
      "--retries",
      "0",
      "--check-mx",
      "false",
      "--cache",
      join(dir, "verdicts.json"),
      ...extra,
    ],
    { cwd: dir, now: () => now },
  );
  return {
    code,
    stdout,
    report: extra.includes("table") ? undefined : (JSON.parse(stdout) as Report),
  };
}

describe("a lapse kept to stand in for a lookup that fails later", () => {
  it("is kept past its hour, up to the ceiling, and never for a registered domain", async () => {
    const file = join(dir, "c.json");
    const cache = await openCache(file, { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putVerdict(verdict({ domain: "lapsed.com", state: "unregistered" }), NOW);
    cache.putVerdict(
      verdict({ domain: "ok.com", state: "registered", expires: at(40 * DAY).toISOString() }),
      NOW,
    );
    expect(cache.getVerdict("lapsed.com", at(2 * HOUR))).toBeUndefined();
    expect(cache.getLapsedVerdict("lapsed.com", at(2 * HOUR))).toMatchObject({
      state: "unregistered",
      source: "cache",
      checkedAt: NOW.toISOString(),
    });
    expect(cache.getLapsedVerdict("ok.com", at(7 * HOUR))).toBeUndefined();
    // Written back past its hour, read back by the next run, gone at the ceiling.
    await cache.save(at(2 * HOUR));
    const next = await openCache(file, { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(next.getLapsedVerdict("lapsed.com", at(3 * DAY))?.state).toBe("unregistered");
    expect(next.getLapsedVerdict("lapsed.com", at(WEEK))).toBeUndefined();
    expect(cache.stats).toMatchObject({ verdictHits: 0 });
  });

  it("through the CLI: the registry failing the next day keeps the finding, marked, and the domain counts as not checked", async () => {
    const wheel = pypiFixture("wheel-0.40.0.json");
    const pypi = await startPypiServer({
      "lapsed-pkg": withInfo(wheel, {
        name: "lapsed-pkg",
        author_email: "bo@lapsed-domain.com",
        maintainer_email: null,
      }),
      "ok-pkg": withInfo(wheel, {
        name: "ok-pkg",
        author_email: "cy@ok-domain.com",
        maintainer_email: null,
      }),
      "slow-pkg": withInfo(wheel, {
        name: "slow-pkg",
        author_email: "di@slow-domain.com",
        maintainer_email: null,
      }),
    });
    let mode: "answering" | "failing" | "slow" | "garbled" = "answering";
    const doc = JSON.parse(fixture("verisign-com-google.com-related-registrar.json")) as Record<
      string,
      unknown
    >;
    const rdap = await startRdapServer({
      "lapsed-domain.com": () =>
        mode === "answering"
          ? { status: 404, body: "" }
          : mode === "slow"
            ? { status: 404, body: "", delayMs: 5_000 }
            : mode === "garbled"
              ? // The registry answers a record again: active, its expiry not a date. An answer.
                {
                  status: 200,
                  body: {
                    ...doc,
                    ldhName: "LAPSED-DOMAIN.COM",
                    status: ["active"],
                    events: [{ eventAction: "expiration", eventDate: "not-a-date" }],
                  },
                }
              : { status: 503, body: "unavailable" },
      "ok-domain.com": () =>
        mode === "answering"
          ? { status: 200, body: { ...doc, ldhName: "OK-DOMAIN.COM" } }
          : { status: 503, body: "unavailable" },
      "slow-domain.com": { status: 503, body: "unavailable", delayMs: 5_000 },
    });
    const dns = await startDnsServer({ delegated: [] });
    try {
      await writeFile(join(dir, "requirements.txt"), "lapsed-pkg==2.0\nok-pkg==1.0\n");
      await writeFile(
        join(dir, "bootstrap.json"),
        JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })),
      );
      const scanAt = (now: Date, extra: string[] = [], lockfile = "requirements.txt") =>
        scanWithCache({ pypi: pypi.url, dns: dns.address, lockfile }, now, extra);
      const cold = await scanAt(NOW);
      expect(cold.code).toBe(1);
      expect(cold.report!.findings.map((f) => f.kind)).toEqual(["domain-unregistered"]);

      mode = "failing";
      const next = await scanAt(at(DAY));
      // The lapse stays (exit 1), from the registry's earlier answer, and says so.
      expect(next.code).toBe(1);
      const finding = next.report!.findings.find((f) => f.package === "lapsed-pkg");
      expect(finding).toMatchObject({ kind: "domain-unregistered", keptFrom: NOW.toISOString() });
      expect(finding?.evidence).toMatch(
        /This is what RDAP said on 2026-03-23; this run's lookup of lapsed-domain\.com failed\.$/,
      );
      expect(next.report!.domains.find((d) => d.domain === "lapsed-domain.com")).toMatchObject({
        state: "unregistered",
        source: "cache",
        checkedAt: NOW.toISOString(),
        lookupFailed: { errorCode: "server-error" },
      });
      // The registered domain's verdict is still fresh (a week): from the cache, checked.
      const ok = next.report!.domains.find((d) => d.domain === "ok-domain.com");
      expect(ok).toMatchObject({ state: "registered", source: "cache" });
      expect(ok?.lookupFailed).toBeUndefined();
      // The lapsed one was not checked this run.
      expect(next.report!.coverage?.domains).toMatchObject({ checked: 1, total: 2 });

      // In the table: the finding says where it stands, and Not checked says why.
      const table = await scanAt(at(DAY), ["--format", "table"]);
      expect(table.stdout).toContain("(RDAP's answer of 2026-03-23: this run's lookup failed)");
      expect(table.stdout).toMatch(
        /Not checked\n {2}domain +lapsed-domain\.com +its finding stands on RDAP's answer of 2026-03-23; server-error: /,
      );
      expect(table.stdout).toMatch(/1 domain could not be checked/);

      // A failed lookup fails the run when asked to, kept finding or not.
      expect((await scanAt(at(DAY), ["--fail-on", "never", "--min-coverage", "0"])).code).toBe(0);
      expect(
        (
          await scanAt(at(DAY), [
            "--fail-on",
            "never",
            "--min-coverage",
            "0",
            "--on-lookup-error",
            "fail",
          ])
        ).code,
      ).toBe(1);

      // The deadline coming while the lookup is in flight keeps it too, and so does the
      // deadline coming while it still waits its turn (behind a slow lookup on one server).
      mode = "slow";
      const cut = await scanAt(at(DAY), ["--deadline", "1s", "--min-coverage", "0"]);
      expect(cut.report!.stats.deadlineReached).toBe(true);
      expect(cut.report!.findings.find((f) => f.package === "lapsed-pkg")).toMatchObject({
        kind: "domain-unregistered",
        keptFrom: NOW.toISOString(),
      });
      mode = "failing";
      await writeFile(join(dir, "queued.txt"), "slow-pkg==1.0\nlapsed-pkg==2.0\n");
      rdap.requests.length = 0;
      const queued = await scanAt(
        at(DAY),
        [
          "--deadline",
          "1s",
          "--min-coverage",
          "0",
          "--rdap-concurrency",
          "1",
          "--pypi-concurrency",
          "1",
        ],
        "queued.txt",
      );
      expect(rdap.requests.map((r) => r.path)).toEqual(["/domain/slow-domain.com"]);
      expect(queued.report!.findings.find((f) => f.package === "lapsed-pkg")).toMatchObject({
        kind: "domain-unregistered",
        keptFrom: NOW.toISOString(),
      });

      // A record the registry gives again, whose expiry cannot be read, is an answer: not
      // replaced by the past. It no longer shows a lapse.
      mode = "garbled";
      const garbled = await scanAt(at(DAY));
      expect(garbled.report!.findings.find((f) => f.package === "lapsed-pkg")).toMatchObject({
        kind: "lookup-failed",
      });
      expect(garbled.report!.findings.some((f) => f.keptFrom !== undefined)).toBe(false);

      // Past the ceiling (cache-max-age, a week) the past is not told any more, and a
      // registered domain's verdict never stands in for a failed lookup.
      mode = "failing";
      const late = await scanAt(at(WEEK + DAY));
      expect(late.report!.findings.map((f) => f.kind)).toEqual(["lookup-failed", "lookup-failed"]);
      expect(late.report!.coverage?.domains).toMatchObject({ checked: 0, total: 2 });
    } finally {
      await Promise.all([pypi.close(), rdap.close(), dns.close()]);
    }
  });
});

describe("a kept lapse that says nothing of today", () => {
  const registry = JSON.parse(fixture("verisign-com-google.com-related-registrar.json")) as Record<
    string,
    unknown
  >;

  async function world(
    routes: Record<string, () => { status: number; body?: string | object }>,
    packages: Record<string, Record<string, unknown>>,
  ) {
    const wheel = pypiFixture("wheel-0.40.0.json");
    const pypi = await startPypiServer(
      Object.fromEntries(
        Object.entries(packages).map(([name, info]) => [
          name,
          withInfo(wheel, {
            name,
            maintainer_email: null,
            home_page: null,
            project_urls: null,
            ...info,
          }),
        ]),
      ),
    );
    const rdap = await startRdapServer(routes);
    const dns = await startDnsServer({ delegated: [] });
    await writeFile(
      join(dir, "bootstrap.json"),
      JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })),
    );
    await writeFile(
      join(dir, "requirements.txt"),
      Object.keys(packages)
        .map((n) => `${n}==1.0\n`)
        .join(""),
    );
    const scanAt = async (now: Date, extra: string[] = []) => {
      const run = await scanWithCache({ pypi: pypi.url, dns: dns.address }, now, [
        "--min-coverage",
        "0",
        ...extra,
      ]);
      return { code: run.code, report: run.report! };
    };
    return { scanAt, close: () => Promise.all([pypi.close(), rdap.close(), dns.close()]) };
  }

  it("an expiry judged a lapse only within its window is, past the window, a failed lookup again", async () => {
    // The registrar's term ended 44 days ago; the registry already shows the next year. Within
    // 45 days of the end that is a lapse; two days later it says nothing of today.
    let failing = false;
    const ended = at(-44 * DAY).toISOString();
    const answer = {
      ...registry,
      ldhName: "TERM-DOMAIN.COM",
      links: [],
      status: ["client transfer prohibited"],
      events: [
        { eventAction: "registration", eventDate: "2010-01-01T00:00:00Z" },
        {
          eventAction: "expiration",
          eventDate: new Date(Date.parse(ended) + 365 * DAY).toISOString(),
        },
        { eventAction: "registrar expiration", eventDate: ended },
      ],
    };
    const w = await world(
      {
        "term-domain.com": () =>
          failing ? { status: 503, body: "down" } : { status: 200, body: answer },
      },
      { "term-pkg": { author_email: "a@term-domain.com" } },
    );
    try {
      const first = await w.scanAt(NOW);
      expect(first.report.findings.map((f) => f.kind)).toEqual(["domain-expired"]);
      failing = true;
      const later = await w.scanAt(at(2 * DAY), ["--on-lookup-error", "fail"]);
      expect(later.code).toBe(1);
      expect(later.report.findings.map((f) => [f.kind, f.keptFrom])).toEqual([
        ["lookup-failed", undefined],
      ]);
      expect(later.report.domains[0]).toMatchObject({
        state: "unknown",
        errorCode: "server-error",
      });
    } finally {
      await w.close();
    }
  });

  it("a link's domain kept on hold or in grace (no finding for a link) is a failed lookup when its lookup fails", async () => {
    let failing = false;
    const body = (name: string, status: string[]) => ({
      ...registry,
      ldhName: name,
      links: [],
      status,
    });
    const w = await world(
      {
        "held-link.com": () =>
          failing
            ? { status: 503, body: "down" }
            : { status: 200, body: body("HELD-LINK.COM", ["client hold"]) },
        "grace-link.com": () =>
          failing
            ? { status: 503, body: "down" }
            : { status: 200, body: body("GRACE-LINK.COM", ["auto renew period"]) },
        "ok-domain.com": () => ({
          status: 200,
          body: body("OK-DOMAIN.COM", ["client transfer prohibited"]),
        }),
      },
      {
        "link-pkg": {
          author_email: "a@ok-domain.com",
          project_urls: {
            Homepage: "https://held-link.com/",
            Documentation: "https://grace-link.com/",
          },
        },
      },
    );
    try {
      const first = await w.scanAt(NOW);
      expect(first.report.findings).toEqual([]);
      failing = true;
      const later = await w.scanAt(at(2 * HOUR), ["--on-lookup-error", "fail"]);
      expect(later.code).toBe(1);
      expect(later.report.findings.map((f) => [f.kind, f.domain]).sort()).toEqual([
        ["lookup-failed", "grace-link.com"],
        ["lookup-failed", "held-link.com"],
      ]);
    } finally {
      await w.close();
    }
  });
});

describe("package metadata", () => {
  const meta: PackageMeta = {
    name: "wheel",
    status: "ok",
    latestVersion: "0.40.0",
    emails: [{ address: "alex@example.com", field: "author_email", domain: "example.com" }],
    lastReleaseAt: "2023-03-14T00:00:00Z",
  };

  it("is kept for the index's max-age and marked as cached", async () => {
    const cache = await openCache(join(dir, "c.json"), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putPackage(meta, NOW, 900);
    expect(cache.getPackage("wheel", at(899_000))).toEqual({ ...meta, cached: true });
    expect(cache.getPackage("wheel", at(900_000))).toBeUndefined();
  });

  it.each([
    ["no max-age", meta, undefined],
    ["max-age 0", meta, 0],
    ["a failed fetch", { ...meta, status: "error" as const, error: "HTTP 500" }, 900],
  ])("is not kept with %s", async (_name, m, maxAge) => {
    const cache = await openCache(join(dir, "c.json"), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putPackage(m, NOW, maxAge);
    expect(cache.getPackage("wheel", NOW)).toBeUndefined();
  });
});

describe("the cache file", () => {
  const file = () => join(dir, "cache.json");
  const stored = (domain: string, storedAt = NOW, expiresAt = at(DAY)) => ({
    verdict: verdict({ domain, state: "registered", expires: "2030-01-01T00:00:00Z" }),
    storedAt: storedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  });

  it("missing: an empty cache, silently", async () => {
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(cache.size).toEqual({ verdicts: 0, packages: 0 });
    expect(logged).toEqual([]);
  });

  it.each([
    [
      "a future version",
      `{"version": ${CACHE_VERSION + 1}, "verdicts": {}, "packages": {}}`,
      new RegExp(`cache\\.json: cache format version ${CACHE_VERSION + 1} is newer`),
    ],
    [
      // Version 1 entries carry no project links: reading them would leave links unchecked.
      "a version 1 file",
      '{"version": 1, "verdicts": {}, "packages": {}}',
      /cache\.json: cache format version 1 is no longer read/,
    ],
    [
      // Version 2 files do not say which index and registries answered.
      "a version 2 file",
      '{"version": 2, "verdicts": {}, "packages": {}}',
      /cache\.json: cache format version 2 is no longer read/,
    ],
    [
      "no scope",
      `{"version": ${CACHE_VERSION}, "verdicts": {}, "packages": {}}`,
      /cache\.json: the cache does not say which index and registries it holds/,
    ],
    [
      "verdicts of the wrong type",
      `{"version": ${CACHE_VERSION}, "scope": ${JSON.stringify(SCOPE)}, "verdicts": "all good", "packages": {}}`,
      /must be objects/,
    ],
  ])(
    "%s: ignored with one warning that names the file, never fatal, and rewritten",
    async (_name, text, warning) => {
      await writeFile(file(), text);
      const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
      expect(cache.size).toEqual({ verdicts: 0, packages: 0 });
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(warning);
      expect(logged[0]).toMatch(/will be rewritten/);
      // And the next save replaces it with a readable file.
      cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
      await cache.save();
      expect(JSON.parse(await readFile(file(), "utf8")).version).toBe(CACHE_VERSION);
    },
  );

  it.each([
    ["not JSON", "SECRET_TOKEN=ghp_0123456789abcdef\n", /cache\.json: not JSON: not a cache file/],
    ["truncated", '{"version": 3, "verdicts": {"a.com": {"verdict":', /not JSON: not a cache file/],
    ["an array", "[1, 2, 3]", /cache\.json: not a JSON object: not a cache file/],
    ["another tool's JSON", '{"name": "app", "version": 1}', /no cache format version/],
  ])(
    "%s: not a cache of this tool, so neither read nor overwritten, and its text is not echoed",
    async (_name, text, warning) => {
      await writeFile(file(), text);
      const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
      expect(cache.size).toEqual({ verdicts: 0, packages: 0 });
      expect(logged).toEqual([expect.stringMatching(warning)]);
      expect(logged[0]).toMatch(/it is left as it is, and no cache is kept this run/);
      expect(logged[0]).not.toMatch(/SECRET|ghp_|app/);
      cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
      expect(await cache.save()).toBe(false);
      expect(await readFile(file(), "utf8")).toBe(text);
    },
  );

  it("an empty file (made by mktemp or touch) is an empty cache, and written", async () => {
    await writeFile(file(), "");
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
    expect(await cache.save()).toBe(true);
    expect(logged).toEqual([]);
    expect(JSON.parse(await readFile(file(), "utf8")).version).toBe(CACHE_VERSION);
  });

  it("a FIFO (as /dev/null is a device) is neither read nor replaced by a file", async () => {
    execFileSync("mkfifo", [file()]);
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(logged).toEqual([
      expect.stringMatching(
        /cache\.json: the cache path is not a regular file; it is left as it is/,
      ),
    ]);
    cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
    expect(await cache.save()).toBe(false);
    expect((await lstat(file())).isFIFO()).toBe(true);
  });

  it("a symbolic link is neither followed nor replaced", async () => {
    const target = join(dir, "elsewhere.txt");
    await writeFile(target, "not yours\n");
    await symlink(target, file());
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(logged).toEqual([
      expect.stringMatching(/cache\.json: the cache path is a symbolic link .*left as it is/),
    ]);
    cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
    expect(await cache.save()).toBe(false);
    expect((await lstat(file())).isSymbolicLink()).toBe(true);
    expect(await readFile(target, "utf8")).toBe("not yours\n");
  });

  it("a file written under another index, bootstrap or DNS server is not used, and says which", async () => {
    const other = cacheScope({
      pypiUrl: "https://other-index.example/pypi",
      rdapBootstrap: "bootstrap.json",
      dnsServer: "127.0.0.1:53",
      indexUrls: [],
    });
    const first = await openCache(file(), { maxAgeMs: WEEK, log, scope: other });
    first.putVerdict(
      verdict({ domain: "a.com", state: "registered", expires: "2030-01-01T00:00:00Z" }),
      NOW,
    );
    await first.save();
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(cache.getVerdict("a.com", NOW)).toBeUndefined();
    expect(logged).toEqual([
      expect.stringMatching(
        /cache\.json: the cache was written with another dns-server, pypi-url; its answers are not used/,
      ),
    ]);
    // The file is this tool's: it is rewritten for this scope.
    expect(await cache.save()).toBe(true);
    expect(JSON.parse(await readFile(file(), "utf8")).scope).toEqual(SCOPE);
  });

  it("a directory where the file should be: a warning, and nothing is written", async () => {
    await mkdir(file());
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(logged).toEqual([
      expect.stringMatching(
        /cache\.json: the cache path is not a regular file; it is left as it is/,
      ),
    ]);
    cache.putVerdict(verdict({ domain: "a.com", state: "unregistered" }), NOW);
    expect(await cache.save()).toBe(false);
  });

  it("drops entries with an unexpected shape, keeps the rest, warns once", async () => {
    const doc = {
      version: CACHE_VERSION,
      scope: SCOPE,
      verdicts: {
        "good.com": stored("good.com"),
        "other.com": stored("mismatch.com"),
        "bad.com": {
          ...stored("bad.com"),
          verdict: { ...stored("bad.com").verdict, statuses: "hold" },
        },
        "unknown.com": {
          ...stored("unknown.com"),
          verdict: verdict({ domain: "unknown.com", state: "unknown" }),
        },
        "Not A Domain": stored("Not A Domain"),
        "no-dates.com": { verdict: stored("no-dates.com").verdict },
      },
      packages: {
        "Bad Name": {
          meta: { name: "Bad Name", status: "ok", emails: [] },
          storedAt: NOW.toISOString(),
          expiresAt: at(DAY).toISOString(),
        },
      },
    };
    await writeFile(
      file(),
      JSON.stringify(doc)
        .replace('"Not A Domain"', '"__proto__"')
        .replace('"domain":"Not A Domain"', '"domain":"__proto__"'),
    );
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(cache.size).toEqual({ verdicts: 1, packages: 0 });
    expect(cache.getVerdict("good.com", NOW)?.source).toBe("cache");
    expect(logged).toEqual([
      expect.stringMatching(
        /cache\.json: 6 cache entries have an unexpected shape and were ignored/,
      ),
    ]);
  });

  describe("reads back only what a live answer gives", () => {
    const withEntries = (verdicts: Record<string, unknown>, packages: Record<string, unknown>) =>
      JSON.stringify({ version: CACHE_VERSION, scope: SCOPE, verdicts, packages });
    const pkgEntry = (meta: Record<string, unknown>) => ({
      meta: { name: "pkg", status: "ok", links: [], ...meta },
      storedAt: NOW.toISOString(),
      expiresAt: at(DAY).toISOString(),
    });

    it("mail servers are never read from the file (they are asked afresh), nor written to it", async () => {
      const entry = stored("a.com");
      const text = withEntries(
        {
          "a.com": {
            ...entry,
            verdict: { ...entry.verdict, mx: { status: "answered", hosts: "nope" } },
          },
        },
        {},
      );
      await writeFile(file(), text);
      const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
      expect(cache.getVerdict("a.com", NOW)).not.toHaveProperty("mx");
      cache.putVerdict(
        {
          ...verdict({ domain: "b.com", state: "registered", expires: "2030-01-01T00:00:00Z" }),
          mx: { status: "answered", hosts: [{ host: "mx.b.com", skipped: "same-domain" }] },
        },
        NOW,
      );
      await cache.save();
      expect(await readFile(file(), "utf8")).not.toContain("mx.b.com");
    });

    it.each([
      ["ownership that is not an object", { ownership: "bogus" }],
      ["roles that are not a list", { ownership: { roles: "maintainer" } }],
      ["no links (a link must not go unchecked for coming from the cache)", { links: undefined }],
      ["a link that is not an http(s) URL", { links: [{ label: "Home", url: "javascript:x" }] }],
      ["an address without @", { emails: [{ address: "nobody", field: "author_email" }] }],
      ["an unknown field", { emails: [{ address: "a@b.com", field: "x_email" }] }],
      ["a registrar that is not an object", {}, { registrar: "r" }],
      ["unknown statuses that are not strings", {}, { unknownStatuses: [5] }],
      ["a dns mark of another kind", {}, { dns: "maybe" }],
    ])(
      "an entry with %s is dropped",
      async (_what, meta, verdictFields?: Record<string, unknown>) => {
        const entry = stored("a.com");
        const verdicts = verdictFields
          ? { "a.com": { ...entry, verdict: { ...entry.verdict, ...verdictFields } } }
          : {};
        const parsed = parseCacheFile(
          withEntries(verdicts, verdictFields ? {} : { pkg: pkgEntry({ emails: [], ...meta }) }),
        );
        expect(parsed).toMatchObject({ ok: true, dropped: 1 });
      },
    );

    it("an address's domain is derived again from the address, whatever the file says", async () => {
      await writeFile(
        file(),
        withEntries(
          {},
          {
            pkg: pkgEntry({
              emails: [
                { address: "jane@lapsed-example.com", field: "author_email", domain: "google.com" },
                { address: "joe@other-lapsed.org", field: "maintainer_email", skipped: "zzz" },
                { address: "ann@third.net", field: "author_email", skipped: "invalid-host" },
              ],
              links: [
                {
                  label: "Docs",
                  url: "https://docs.fourth.io/x",
                  host: "github.com",
                  skipped: "platform",
                },
              ],
            }),
          },
        ),
      );
      const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
      const meta = cache.getPackage("pkg", NOW);
      expect(meta?.emails).toEqual([
        { address: "jane@lapsed-example.com", field: "author_email", domain: "lapsed-example.com" },
        { address: "joe@other-lapsed.org", field: "maintainer_email", domain: "other-lapsed.org" },
        { address: "ann@third.net", field: "author_email", domain: "third.net" },
      ]);
      expect(meta?.links).toEqual([
        {
          label: "Docs",
          url: "https://docs.fourth.io/x",
          host: "docs.fourth.io",
          domain: "fourth.io",
        },
      ]);
      expect(logged).toEqual([]);
    });
  });

  it("does not trust an entry past the configured ceiling, whatever the file says", async () => {
    await writeFile(
      file(),
      JSON.stringify({
        version: CACHE_VERSION,
        scope: SCOPE,
        verdicts: { "a.com": stored("a.com", NOW, at(365 * DAY)) },
        packages: {},
      }),
    );
    const cache = await openCache(file(), { maxAgeMs: DAY, log, scope: SCOPE });
    expect(cache.getVerdict("a.com", at(DAY - 1))).toBeDefined();
    expect(cache.getVerdict("a.com", at(DAY))).toBeUndefined();
  });

  it("does not trust an entry stored in the future (clock skew, an edited file)", async () => {
    await writeFile(
      file(),
      JSON.stringify({
        version: CACHE_VERSION,
        scope: SCOPE,
        verdicts: { "a.com": stored("a.com", at(HOUR), at(2 * HOUR)) },
        packages: {},
      }),
    );
    const cache = await openCache(file(), { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(cache.getVerdict("a.com", NOW)).toBeUndefined();
  });

  it("saves atomically and reads back what it saved, without the stale entries (a lapse is kept to the ceiling)", async () => {
    const target = join(dir, "nested", "dir", "cache.json");
    const first = await openCache(target, { maxAgeMs: WEEK, log, scope: SCOPE });
    first.putVerdict(
      verdict({
        domain: "google.com",
        state: "registered",
        expires: "2028-09-14T04:00:00Z",
        created: "1997-09-15T04:00:00Z",
        statuses: ["client delete prohibited"],
        server: "http://127.0.0.1:1/",
      }),
      NOW,
    );
    first.putVerdict(
      verdict({ domain: "lapsed.com", state: "unregistered", dns: "no-delegation" }),
      NOW,
    );
    first.putPackage(
      { name: "wheel", status: "ok", emails: [], latestVersion: "0.40.0" },
      NOW,
      900,
    );
    // Two hours later lapsed.com (one hour) and the metadata (15 minutes) are stale.
    first.getVerdict("google.com", at(2 * HOUR));
    expect(await first.save()).toBe(true);
    expect(await readdir(join(dir, "nested", "dir"))).toEqual(["cache.json"]);

    const saved = JSON.parse(await readFile(target, "utf8"));
    expect(saved.version).toBe(CACHE_VERSION);
    // lapsed.com is stale, but kept (to stand in for a lookup that fails later).
    expect(Object.keys(saved.verdicts)).toEqual(["google.com", "lapsed.com"]);
    expect(saved.packages).toEqual({});
    expect(parseCacheFile(JSON.stringify(saved))).toMatchObject({ ok: true, dropped: 0 });

    const second = await openCache(target, { maxAgeMs: WEEK, log, scope: SCOPE });
    expect(second.getVerdict("google.com", at(3 * HOUR))).toEqual({
      domain: "google.com",
      state: "registered",
      expires: "2028-09-14T04:00:00Z",
      created: "1997-09-15T04:00:00Z",
      statuses: ["client delete prohibited"],
      server: "http://127.0.0.1:1/",
      source: "cache",
      checkedAt: NOW.toISOString(),
    });
    expect(second.getVerdict("lapsed.com", at(3 * HOUR))).toBeUndefined();
    expect(logged).toEqual([]);
  });
});

describe("a warm run through the CLI", () => {
  let pypi: PypiServer;
  let rdap: RdapServer;
  let dns: DnsServer;

  beforeEach(async () => {
    const wheel = pypiFixture("wheel-0.40.0.json");
    pypi = await startPypiServer({
      "stable-pkg": withInfo(wheel, {
        name: "stable-pkg",
        author_email: "Ann <ann@google.com>",
        maintainer_email: null,
      }),
      "lapsed-pkg": withInfo(wheel, {
        name: "lapsed-pkg",
        author_email: "bo@lapsed-domain.com",
        maintainer_email: null,
      }),
      "flaky-pkg": withInfo(wheel, {
        name: "flaky-pkg",
        author_email: "cy@flaky-registry.com",
        maintainer_email: null,
      }),
      "also-google": withInfo(wheel, {
        name: "also-google",
        author_email: "dee@google.com",
        maintainer_email: null,
      }),
      "free-mail": withInfo(wheel, {
        name: "free-mail",
        author_email: "eve@gmail.com",
        maintainer_email: null,
      }),
    });
    rdap = await startRdapServer({
      "google.com": {
        status: 200,
        body: fixture("verisign-com-google.com-related-registrar.json"),
      },
      "lapsed-domain.com": { status: 404, body: "" },
      // Always failing: its verdict is unknown, which is never cached.
      "flaky-registry.com": { status: 500, body: "internal error" },
    });
    dns = await startDnsServer({ delegated: [] });
    await writeFile(
      join(dir, "requirements.txt"),
      "stable-pkg==1.0\nlapsed-pkg==2.0\nflaky-pkg==3.0\nalso-google==4.0\nfree-mail==5.0\n",
    );
    await writeFile(
      join(dir, "bootstrap.json"),
      JSON.stringify(bootstrapFor({ com: `${rdap.url}/` })),
    );
  });
  afterEach(async () => {
    await Promise.all([pypi.close(), rdap.close(), dns.close()]);
  });

  async function scanAt(
    now: Date,
    pypiUrl = pypi.url,
  ): Promise<{ code: number; report: Report; stderr: string }> {
    const { code, stdout, stderr } = await runMain(
      [
        "scan",
        join(dir, "requirements.txt"),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--pypi-url",
        pypiUrl,
        "--rdap-bootstrap",
        join(dir, "bootstrap.json"),
        "--dns-server",
        dns.address,
        "--retries",
        "0",
        "--min-coverage",
        "0",
        "--cache",
        join(dir, "verdicts.json"),
      ],
      { cwd: dir, now: () => now },
    );
    return { code, report: JSON.parse(stdout) as Report, stderr };
  }

  const rdapPaths = () =>
    rdap.requests.map((r) => r.path.replace(/^.*\/domain\//, "").toLowerCase()).sort();

  it("asks RDAP nothing it already knows, and says how many verdicts came from the cache", async () => {
    const cold = await scanAt(NOW);
    expect(cold.code).toBe(0);
    expect(rdapPaths()).toEqual(["flaky-registry.com", "google.com", "lapsed-domain.com"]);
    expect(cold.report.stats.cache.verdictHits).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, "verdicts.json"), "utf8"));
    expect(Object.keys(saved.verdicts).sort()).toEqual(["google.com", "lapsed-domain.com"]);

    // Ten minutes later: only the domain whose lookup failed is asked again.
    rdap.requests.length = 0;
    const warm = await scanAt(at(10 * 60_000));
    expect(rdapPaths()).toEqual(["flaky-registry.com"]);
    expect(warm.report.stats.cache.verdictHits).toBe(2);
    expect(warm.report.stats.requests.rdap).toBe(1);
    const sources = Object.fromEntries(warm.report.domains.map((d) => [d.domain, d.source]));
    expect(sources).toMatchObject({
      "google.com": "cache",
      "lapsed-domain.com": "cache",
      "flaky-registry.com": "rdap",
    });
    // The findings are the same as the cold run's.
    const kinds = (r: Report) => r.findings.map((f) => `${f.kind} ${f.package}`).sort();
    expect(kinds(warm.report)).toEqual(kinds(cold.report));
    expect(kinds(warm.report)).toContain("domain-unregistered lapsed-pkg");

    // Two hours later the unregistered verdict (trusted for one hour) is checked again; the
    // stable one is still served from the cache.
    rdap.requests.length = 0;
    const later = await scanAt(at(2 * HOUR));
    expect(rdapPaths()).toEqual(["flaky-registry.com", "lapsed-domain.com"]);
    expect(later.report.stats.cache.verdictHits).toBe(1);
  });

  it("a run against another index does not use the answers cached from the first, and asks its own", async () => {
    await scanAt(NOW);
    // Index B says stable-pkg's maintainer is at the lapsed domain; index A said google.com.
    const wheel = pypiFixture("wheel-0.40.0.json");
    const other = await startPypiServer({
      "stable-pkg": withInfo(wheel, {
        name: "stable-pkg",
        author_email: "jane@lapsed-domain.com",
        maintainer_email: null,
      }),
    });
    try {
      const run = await scanAt(at(60_000), other.url);
      expect(run.stderr).toMatch(
        /verdicts\.json: the cache was written with another pypi-url; its answers are not used/,
      );
      expect(other.requests.map((r) => r.path)).toContain("/pypi/stable-pkg/json");
      expect(run.report.stats.cache.metadataHits).toBe(0);
      expect(run.report.findings).toContainEqual(
        expect.objectContaining({
          kind: "domain-unregistered",
          package: "stable-pkg",
          domain: "lapsed-domain.com",
        }),
      );
    } finally {
      await other.close();
    }
  });

  it("goes on with a warning when the cache file is of an older format, and rewrites it", async () => {
    await writeFile(join(dir, "verdicts.json"), '{"version": 2, "verdicts": {}, "packages": {}}');
    const run = await scanAt(NOW);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /verdicts\.json: cache format version 2 is no longer read.*rewritten/,
    );
    expect(rdapPaths()).toEqual(["flaky-registry.com", "google.com", "lapsed-domain.com"]);
    expect(JSON.parse(await readFile(join(dir, "verdicts.json"), "utf8")).version).toBe(
      CACHE_VERSION,
    );
  });

  it("goes on with a warning when --cache names a file that is not a cache, and leaves it as it is", async () => {
    const text = "\u0000\u0001 not json";
    await writeFile(join(dir, "verdicts.json"), text);
    const run = await scanAt(NOW);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /verdicts\.json: not JSON: not a cache file of this tool.*left as it is/,
    );
    expect(rdapPaths()).toEqual(["flaky-registry.com", "google.com", "lapsed-domain.com"]);
    expect(await readFile(join(dir, "verdicts.json"), "utf8")).toBe(text);
  });
});
