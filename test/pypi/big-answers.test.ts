// Big project answers on loopback, as PyPI sends them: plain with Content-Length, gzip, chunked
// (no Content-Length). The client reads them as a stream: `releases` is skipped, the rest kept.
import { createGzip } from "node:zlib";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { HttpClient } from "../../src/net/http.js";
import { fetchPackageEntry, userAgent } from "../../src/pypi/client.js";
import { bigAnswer, bigAnswerFacts, type BigAnswerOptions } from "../servers/big-answer.js";
import { startServer, type TestServer } from "../servers/http.js";
import { directTransport } from "../../src/net/transport.js";

type Encoding = "plain" | "gzip" | "chunked";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const client = () =>
  new HttpClient({
    transport: directTransport(),
    userAgent: userAgent(),
    timeoutMs: 60_000,
    retries: 1,
    maxRetryWaitMs: 50,
    backoffBaseMs: 1,
    random: () => 0,
  });

async function byteLength(opts: BigAnswerOptions): Promise<number> {
  let n = 0;
  for await (const chunk of bigAnswer(opts)) n += chunk.length;
  return n;
}

/** Write the answer to `res`, waiting for drain: the server never holds it whole either. */
async function send(res: ServerResponse, opts: BigAnswerOptions, encoding: Encoding) {
  const headers: Record<string, string | number> = { "content-type": "application/json" };
  if (encoding === "plain") headers["content-length"] = await byteLength(opts);
  if (encoding === "gzip") headers["content-encoding"] = "gzip";
  res.writeHead(200, headers);
  const sink = encoding === "gzip" ? createGzip({ level: 1 }) : res;
  if (encoding === "gzip") sink.pipe(res);
  for await (const chunk of bigAnswer(opts)) {
    if (!sink.write(chunk)) await new Promise((r) => sink.once("drain", r));
  }
  sink.end();
}

async function serve(opts: BigAnswerOptions, encoding: Encoding) {
  server = await startServer(async (_req, res) => send(res, opts, encoding));
  return `${server.url}/pypi`;
}

const MB = 1_000_000;

describe("big answers are read as a stream", () => {
  it.each<[string, BigAnswerOptions, Encoding]>([
    ["6 MB plain with Content-Length", { bytes: 6 * MB }, "plain"],
    ["12 MB gzip", { bytes: 12 * MB }, "gzip"],
    [
      "12 MB chunked, releases before info and urls",
      { bytes: 12 * MB, releasesFirst: true },
      "chunked",
    ],
  ])("%s: every fact read, sizes reported", async (_what, opts, encoding) => {
    const base = await serve(opts, encoding);
    const facts = bigAnswerFacts(opts);
    const entry = await fetchPackageEntry("luigi", { http: client(), baseUrl: base });
    expect(entry.meta).toMatchObject({ status: "ok", latestVersion: facts.version });
    // `urls` carries the latest release's files: its first upload, and the latest of any file.
    expect(entry.meta.lastReleaseAt).toBe(new Date(facts.versionFirstUploadMs).toISOString());
    expect(entry.meta.lastUploadAt).toBe(new Date(facts.latestUploadMs).toISOString());
    expect(entry.meta.lastUploadVersion).toBe(facts.version);
    expect(entry.meta.ownership?.organization).toBe("twisted");
    expect(entry.size?.decodedBytes).toBeGreaterThanOrEqual(opts.bytes);
    if (encoding === "chunked") expect(entry.size?.wireBytes).toBeUndefined();
    if (encoding === "plain") expect(entry.size?.wireBytes).toBe(entry.size?.decodedBytes);
    expect(server?.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /pypi/luigi/json"]);
  });

  it("80 MB chunked: read whole, without building `releases`", { timeout: 120_000 }, async () => {
    const opts = { bytes: 80 * MB };
    const base = await serve(opts, "chunked");
    const before = process.memoryUsage().rss;
    const entry = await fetchPackageEntry("luigi", { http: client(), baseUrl: base });
    expect(entry.meta).toMatchObject({ status: "ok", latestVersion: bigAnswerFacts(opts).version });
    expect(entry.size?.decodedBytes).toBeGreaterThanOrEqual(80 * MB);
    // Far less than the answer: it was never held whole (JSON.parse of it costs 300+ MB).
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("urls empty (latest release without files): dated from the latest upload across releases", async () => {
    const opts = { bytes: 6 * MB, emptyUrls: true };
    const base = await serve(opts, "gzip");
    const facts = bigAnswerFacts(opts);
    const entry = await fetchPackageEntry("luigi", { http: client(), baseUrl: base });
    // The same version in `releases` has files: its first upload.
    expect(entry.meta.lastReleaseAt).toBe(new Date(facts.versionFirstUploadMs).toISOString());
    expect(entry.meta.lastUploadAt).toBe(new Date(facts.latestUploadMs).toISOString());
  });

  it("an `info` over 5 MiB is lookup-failed with its own code, and the bytes read", async () => {
    // `releases` (about 9 MB) first: the decoded bytes read are past it, not the kept size.
    const opts = { bytes: 15 * MB, infoBytes: 6 * 1024 * 1024, releasesFirst: true };
    const base = await serve(opts, "chunked");
    const entry = await fetchPackageEntry("luigi", { http: client(), baseUrl: base });
    expect(entry.meta).toMatchObject({ status: "error", errorCode: "answer-kept-too-large" });
    expect(entry.meta.error).toContain("larger than 5 MiB");
    expect(entry.size?.decodedBytes).toBeGreaterThan(8 * MB + 5 * 1024 * 1024);
    expect(entry.size?.decodedBytes).toBeLessThanOrEqual(await byteLength(opts));
  });

  it("an answer that is not JSON reports the bytes read, not 0", async () => {
    // Refused at its last bytes, after 2 MB read.
    const body = `{"info":{"version":"1.0"},"releases":{"1.0":[]},"pad":"${"p".repeat(2 * MB)}","x":tru}`;
    server = await startServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(body),
    );
    const entry = await fetchPackageEntry("x", { http: client(), baseUrl: `${server.url}/pypi` });
    expect(entry.meta).toMatchObject({ status: "error", errorCode: "answer-not-json" });
    expect(entry.size?.decodedBytes).toBe(Buffer.byteLength(body));
  });

  it("an answer broken before `releases` is refused at once: the bytes read are its first chunk", async () => {
    // Only `releases` is gathered before it is scanned: a problem before it ends the answer as
    // soon as its chunk arrives, with nothing more read.
    const head = `{"info":{"version":"1.0"},"x":tru}`;
    const pad = " ".repeat(64 * 1024);
    server = await startServer(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(head);
      for (let k = 0; k < 40 && !res.destroyed; k++) {
        await new Promise((r) => setTimeout(r, 5));
        res.write(pad);
      }
      res.end();
    });
    const entry = await fetchPackageEntry("x", { http: client(), baseUrl: `${server.url}/pypi` });
    expect(entry.meta).toMatchObject({ status: "error", errorCode: "answer-not-json" });
    expect(entry.size?.decodedBytes).toBe(head.length);
  });

  it("an answer past the total cap is answer-too-large, with the sizes read", async () => {
    const limits = { maxKeptBytes: 5 * 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024 };
    for (const encoding of ["chunked", "gzip", "plain"] as const) {
      const base = await serve({ bytes: 12 * MB }, encoding);
      const entry = await fetchPackageEntry("luigi", { http: client(), baseUrl: base, limits });
      expect(entry.meta).toMatchObject({ status: "error", errorCode: "answer-too-large" });
      expect(entry.meta.error).toContain("the index answer is larger than 8 MiB");
      if (encoding === "plain") {
        // Content-Length says so before a byte is read.
        expect(entry.size?.decodedBytes).toBe(0);
        expect(entry.meta.error).toMatch(/MiB sent\)/);
      } else {
        expect(entry.size?.decodedBytes).toBeGreaterThan(8 * 1024 * 1024);
      }
      await server?.close();
      server = undefined;
    }
  });

  it("the default total cap is 256 MiB: a Content-Length past it is refused unread", async () => {
    const { DEFAULT_ANSWER_LIMITS } = await import("../../src/pypi/answer-stream.js");
    expect(DEFAULT_ANSWER_LIMITS.maxTotalBytes).toBe(256 * 1024 * 1024);
    server = await startServer((_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": 300 * 1024 * 1024,
      });
      res.write("{"); // and never more: the client must not wait for the rest
    });
    const entry = await fetchPackageEntry("x", { http: client(), baseUrl: `${server.url}/pypi` });
    expect(entry.meta).toMatchObject({ status: "error", errorCode: "answer-too-large" });
    expect(entry.meta.error).toContain("the index answer is larger than 256 MiB");
    expect(entry.size).toEqual({ wireBytes: 300 * 1024 * 1024, decodedBytes: 0 });
  });

  it("a connection cut in the middle of `releases` is retried, then read", async () => {
    const opts = { bytes: 6 * MB };
    let n = 0;
    server = await startServer(async (req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(200, { "content-type": "application/json" });
        let sent = 0;
        for await (const chunk of bigAnswer(opts)) {
          res.write(chunk);
          sent += chunk.length;
          if (sent > 2 * MB) break;
        }
        req.socket.destroy();
        return;
      }
      await send(res, opts, "chunked");
    });
    const entry = await fetchPackageEntry("luigi", {
      http: client(),
      baseUrl: `${server.url}/pypi`,
    });
    expect(entry.meta.status).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });
});

describe("in a scan", () => {
  it("an answer over the total cap is lookup-failed with answer-too-large; the others are read", async () => {
    const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { runMain } = await import("../servers/cli.js");
    const { pypiFixture } = await import("../servers/pypi.js");
    const dir = await mkdtemp(join(tmpdir(), "mdg-big-scan-"));
    server = await startServer(async (req, res) => {
      if (req.url === "/pypi/huge/json") {
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": 300 * 1024 * 1024,
        });
        res.write("{");
        return;
      }
      if (req.url === "/pypi/grpcio/json") {
        await send(res, { bytes: 12 * MB }, "gzip");
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(pypiFixture("wheel-0.40.0.json"));
    });
    try {
      await writeFile(join(dir, "requirements.txt"), "huge==1.0\ngrpcio==1.60.0\nwheel==0.40.0\n");
      await writeFile(
        join(dir, "bootstrap.json"),
        JSON.stringify({ version: "1.0", services: [] }),
      );
      const run = await runMain(
        [
          "scan",
          join(dir, "requirements.txt"),
          "--format",
          "json",
          "--fail-on",
          "never",
          "--pypi-url",
          `${server.url}/pypi`,
          "--rdap-bootstrap",
          join(dir, "bootstrap.json"),
          "--retries",
          "0",
          "--replace-skip-domains",
          "true",
          "--skip-domains",
          "fastmail.fm,nextday.fi",
        ],
        { cwd: dir, now: () => new Date("2026-03-23T12:00:00Z") },
      );
      const report = JSON.parse(run.stdout) as {
        packages: { name: string; status: string; errorCode?: string; error?: string }[];
        findings: { kind: string; package: string; evidence?: string }[];
        stats: { largestAnswers?: Record<string, unknown>[] };
      };
      const byName = Object.fromEntries(report.packages.map((p) => [p.name, p]));
      expect(byName.huge).toMatchObject({ status: "error", errorCode: "answer-too-large" });
      expect(byName.huge?.error).toContain("the index answer is larger than 256 MiB");
      expect(byName.grpcio?.status).toBe("ok");
      expect(byName.wheel?.status).toBe("ok");
      const huge = report.findings.find((f) => f.package === "huge");
      expect(huge?.kind).toBe("lookup-failed");
      expect(huge?.evidence).toContain("larger than 256 MiB");
      // The big answer read is listed with its sizes and time; the small one and the refused
      // one (nothing read) are not. Gzip: no Content-Length, so no size as sent.
      const largest = report.stats.largestAnswers;
      expect(largest).toEqual([
        { name: "grpcio", decodedBytes: expect.any(Number), ms: expect.any(Number) },
      ]);
      expect(largest?.[0]?.decodedBytes).toBeGreaterThanOrEqual(12 * MB);
      expect(largest?.[0]?.ms).toBeGreaterThanOrEqual(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
