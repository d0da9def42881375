// Revalidation instead of re-downloading: metadata past its max-age is kept with its ETag and
// Last-Modified, the next run asks If-None-Match / If-Modified-Since, and a 304 refreshes the
// cache entry without a body. A 304 is never an HTTP error.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpClient } from "../../src/net/http.js";
import { fetchPackageEntry, userAgent } from "../../src/pypi/client.js";
import { CACHE_VERSION, cacheScope, openCache, parseCacheFile } from "../../src/scan/cache.js";
import type { LogEvent, PackageMeta, Report } from "../../src/types.js";
import { runMain } from "../servers/cli.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startServer, type TestServer } from "../servers/http.js";
import { pypiFixture, withInfo } from "../servers/pypi.js";
import { bootstrapFor, fixture, startRdapServer, type RdapServer } from "../servers/rdap.js";
import { directTransport } from "../../src/net/transport.js";

const NOW = new Date("2026-03-23T12:00:00Z");
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const SCOPE = cacheScope({
  pypiUrl: "https://index.example/pypi",
  rdapBootstrap: "bootstrap.json",
  dnsServer: undefined,
  indexUrls: [],
});

let dir: string;
let logged: string[];
const log = (e: LogEvent) => logged.push(`${e.level}: ${e.text}`);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdg-revalidate-"));
  logged = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A JSON API that sends ETag, Last-Modified and max-age=900, and 304 when the ETag matches. */
async function startConditionalIndex(
  bodies: Record<string, string>,
): Promise<TestServer & { sent: { status: number; bytes: number }[] }> {
  const sent: { status: number; bytes: number }[] = [];
  const server = await startServer((req, res) => {
    const name = /^\/pypi\/([^/]+)\/json$/.exec(req.url ?? "")?.[1] ?? "";
    const body = bodies[name];
    if (body === undefined) {
      res.writeHead(404).end();
      sent.push({ status: 404, bytes: 0 });
      return;
    }
    const etag = `"${name}-v1"`;
    const headers = {
      etag,
      "last-modified": "Tue, 14 Mar 2023 15:10:02 GMT",
      "x-pypi-last-serial": "17284957",
      "cache-control": "max-age=900, public",
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers).end();
      sent.push({ status: 304, bytes: 0 });
      return;
    }
    res.writeHead(200, { ...headers, "content-type": "application/json" }).end(body);
    sent.push({ status: 200, bytes: Buffer.byteLength(body) });
  });
  return Object.assign(server, { sent });
}

const client = () =>
  new HttpClient({
    transport: directTransport(),
    userAgent: userAgent(),
    timeoutMs: 2_000,
    retries: 0,
    maxRetryWaitMs: 10,
  });

/** Ask again with what `entry` brought back: its metadata and validators. */
const askAgain = (base: string, entry: Awaited<ReturnType<typeof fetchPackageEntry>>) =>
  fetchPackageEntry("wheel", {
    http: client(),
    baseUrl: base,
    revalidate: { meta: entry.meta, validators: entry.validators! },
  });

describe("fetchPackageEntry with validators", () => {
  let server: (TestServer & { sent: { status: number; bytes: number }[] }) | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("keeps ETag, Last-Modified and the serial; a 304 hands back the cached entry", async () => {
    server = await startConditionalIndex({ wheel: pypiFixture("wheel-0.40.0.json") });
    const base = `${server.url}/pypi`;
    const first = await fetchPackageEntry("wheel", { http: client(), baseUrl: base });
    expect(first.validators).toEqual({
      etag: '"wheel-v1"',
      lastModified: "Tue, 14 Mar 2023 15:10:02 GMT",
      lastSerial: "17284957",
    });
    const again = await askAgain(base, first);
    expect(again.notModified).toBe(true);
    expect(again.meta).toEqual(first.meta);
    expect(again.maxAgeSeconds).toBe(900);
    expect(server.requests[1]?.headers["if-none-match"]).toBe('"wheel-v1"');
    expect(server.requests[1]?.headers["if-modified-since"]).toBe("Tue, 14 Mar 2023 15:10:02 GMT");
    expect(server.sent.map((s) => s.status)).toEqual([200, 304]);
  });

  it("a 304 that sends only some validators (the serial) keeps the others for next time", async () => {
    const etag = '"wheel-v1"';
    server = Object.assign(
      await startServer((req, res) => {
        if (req.headers["if-none-match"] === etag) {
          // A mirror's 304: the serial and max-age, no ETag or Last-Modified.
          res.writeHead(304, { "x-pypi-last-serial": "17284958", "cache-control": "max-age=900" });
          res.end();
          return;
        }
        res
          .writeHead(200, {
            "content-type": "application/json",
            etag,
            "last-modified": "Tue, 14 Mar 2023 15:10:02 GMT",
            "x-pypi-last-serial": "17284957",
          })
          .end(pypiFixture("wheel-0.40.0.json"));
      }),
      { sent: [] },
    );
    const base = `${server.url}/pypi`;
    const first = await fetchPackageEntry("wheel", { http: client(), baseUrl: base });
    const second = await askAgain(base, first);
    expect(second.notModified).toBe(true);
    expect(second.validators).toEqual({
      etag,
      lastModified: "Tue, 14 Mar 2023 15:10:02 GMT",
      lastSerial: "17284958",
    });
    const third = await askAgain(base, second);
    expect(third.notModified).toBe(true);
    expect(server.requests.map((r) => r.headers["if-none-match"] ?? null)).toEqual([
      null,
      etag,
      etag,
    ]);
  });

  it("a changed answer (ETag no longer matches) is read in full", async () => {
    server = await startConditionalIndex({ wheel: pypiFixture("wheel-0.40.0.json") });
    const stale: PackageMeta = { name: "wheel", status: "ok", emails: [], latestVersion: "0.1" };
    const entry = await fetchPackageEntry("wheel", {
      http: client(),
      baseUrl: `${server.url}/pypi`,
      revalidate: { meta: stale, validators: { etag: '"wheel-v0"' } },
    });
    expect(entry.notModified).toBeUndefined();
    expect(entry.meta.latestVersion).toBe("0.40.0");
  });

  it("a 304 to a request that asked nothing conditional is still not an answer to use", async () => {
    const odd = await startServer((_req, res) => res.writeHead(304).end());
    try {
      const entry = await fetchPackageEntry("wheel", {
        http: client(),
        baseUrl: `${odd.url}/pypi`,
      });
      expect(entry.meta.status).toBe("error");
      expect(entry.meta.error).toContain("304");
    } finally {
      await odd.close();
    }
  });
});

describe("the cache file keeps stale metadata with its validators", () => {
  const meta: PackageMeta = {
    name: "wheel",
    status: "ok",
    emails: [{ address: "a@b.com", field: "author_email", domain: "b.com" }],
    links: [],
  };

  it("fresh for max-age, then handed out for revalidation until the ceiling", async () => {
    const file = join(dir, "c.json");
    const cache = await openCache(file, { maxAgeMs: 7 * 24 * HOUR, log, scope: SCOPE });
    cache.putPackage(meta, NOW, 900, { etag: '"x"' });
    expect(cache.getPackage("wheel", at(60_000))).toBeDefined();
    expect(cache.getStalePackage("wheel", at(60_000))).toBeUndefined();
    expect(cache.getPackage("wheel", at(HOUR))).toBeUndefined();
    expect(cache.getStalePackage("wheel", at(HOUR))).toEqual({
      meta,
      validators: { etag: '"x"' },
    });
    // Saved an hour later: stale, yet kept because it can be revalidated.
    await cache.save(at(HOUR));
    const reread = await openCache(file, { maxAgeMs: 7 * 24 * HOUR, log, scope: SCOPE });
    expect(reread.getStalePackage("wheel", at(2 * HOUR))?.validators).toEqual({ etag: '"x"' });
    // Past the ceiling it is neither trusted nor revalidated, and the next save drops it.
    expect(reread.getStalePackage("wheel", at(8 * 24 * HOUR))).toBeUndefined();
    await reread.save(at(8 * 24 * HOUR));
    expect(JSON.parse(await readFile(file, "utf8")).packages).toEqual({});
  });

  it("without validators a stale entry is dropped as before", async () => {
    const file = join(dir, "c.json");
    const cache = await openCache(file, { maxAgeMs: 7 * 24 * HOUR, log, scope: SCOPE });
    cache.putPackage(meta, NOW, 900);
    await cache.save(at(HOUR));
    expect(JSON.parse(await readFile(file, "utf8")).packages).toEqual({});
  });

  it("validators of an unexpected shape drop the entry", () => {
    const entry = (validators: unknown) =>
      JSON.stringify({
        version: CACHE_VERSION,
        scope: SCOPE,
        verdicts: {},
        packages: {
          wheel: {
            meta,
            storedAt: NOW.toISOString(),
            expiresAt: NOW.toISOString(),
            validators,
          },
        },
      });
    const ok = parseCacheFile(entry({ etag: '"x"' }));
    expect(ok.ok && ok.dropped).toBe(0);
    for (const bad of [{ etag: 5 }, { etag: '"x"\r\nx-evil: 1' }, "etag", ["x"]]) {
      const parsed = parseCacheFile(entry(bad));
      expect(parsed.ok && parsed.dropped).toBe(1);
    }
  });
});

describe("a warm scan revalidates instead of re-downloading", () => {
  let pypi: Awaited<ReturnType<typeof startConditionalIndex>>;
  let rdap: RdapServer;
  let dns: DnsServer;
  beforeEach(async () => {
    const wheel = pypiFixture("wheel-0.40.0.json");
    pypi = await startConditionalIndex({
      "stable-pkg": withInfo(wheel, { name: "stable-pkg", author_email: "a@google.com" }),
      "other-pkg": withInfo(wheel, { name: "other-pkg", author_email: "b@google.com" }),
    });
    rdap = await startRdapServer({
      "google.com": {
        status: 200,
        body: fixture("verisign-com-google.com-related-registrar.json"),
      },
      "nextday.fi": { status: 404, body: "" },
    });
    dns = await startDnsServer({ delegated: ["nextday.fi"] });
    await writeFile(join(dir, "requirements.txt"), "stable-pkg==1.0\nother-pkg==2.0\n");
    await writeFile(
      join(dir, "bootstrap.json"),
      JSON.stringify(bootstrapFor({ com: `${rdap.url}/`, fi: `${rdap.url}/` })),
    );
  });
  afterEach(async () => {
    await Promise.all([pypi.close(), rdap.close(), dns.close()]);
  });

  const scanAt = async (now: Date) => {
    const { code, stdout } = await runMain(
      [
        "scan",
        join(dir, "requirements.txt"),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--pypi-url",
        `${pypi.url}/pypi`,
        "--rdap-bootstrap",
        join(dir, "bootstrap.json"),
        "--dns-server",
        dns.address,
        "--retries",
        "0",
        "--cache",
        join(dir, "cache.json"),
      ],
      { cwd: dir, now: () => now },
    );
    return { code, report: JSON.parse(stdout) as Report };
  };

  it("sends If-None-Match once the metadata is past its max-age; 304s refresh the cache file", async () => {
    const cold = await scanAt(NOW);
    expect(cold.code).toBe(0);
    expect(pypi.sent.map((s) => s.status)).toEqual([200, 200]);
    const coldFile = JSON.parse(await readFile(join(dir, "cache.json"), "utf8"));
    expect(coldFile.packages["stable-pkg"].validators.etag).toBe('"stable-pkg-v1"');

    // Two hours later: past max-age (15 minutes), so each package is revalidated, not re-read.
    const warm = await scanAt(at(2 * HOUR));
    expect(warm.code).toBe(0);
    expect(pypi.sent.slice(2).map((s) => s.status)).toEqual([304, 304]);
    expect(
      pypi.requests
        .slice(2)
        .map((r) => r.headers["if-none-match"])
        .sort(),
    ).toEqual(['"other-pkg-v1"', '"stable-pkg-v1"']);
    const pkgs = (r: Report) => r.packages.map((p) => [p.name, p.status, p.emails.length]);
    expect(pkgs(warm.report)).toEqual(pkgs(cold.report));
    expect(warm.report.findings).toEqual(cold.report.findings);
    const warmFile = JSON.parse(await readFile(join(dir, "cache.json"), "utf8"));
    expect(warmFile.packages["stable-pkg"].storedAt).toBe(at(2 * HOUR).toISOString());
    // And ten minutes after that, the refreshed entries are fresh: nothing is asked at all.
    await scanAt(at(2 * HOUR + 10 * 60_000));
    expect(pypi.sent).toHaveLength(4);
  });
});
