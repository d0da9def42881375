// The direct transport against real loopback servers: what it asks for, how it undoes each
// Content-Encoding a server may send, that a body cut short or a coding that lies is an error
// where the body is read (never a short body taken as whole), and that dropped bodies keep their
// connection when they can (a 304 must not cost a new connection) and cut it when they cannot.
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ChunkSource } from "../../src/net/chunks.js";
import { HttpClient } from "../../src/net/http.js";
import { directTransport, fetchTransport, type Transport } from "../../src/net/transport.js";
import { closedAfterEach } from "../servers/http.js";

const { serve, track } = closedAfterEach();

const TEXT = JSON.stringify({ info: { name: "café", summary: "x".repeat(5000) } });

async function get(transport: Transport, url: string, headers: Record<string, string> = {}) {
  return transport({ url: new URL(url), headers, signal: new AbortController().signal });
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

describe("directTransport", () => {
  it("sends the headers given and asks for gzip, deflate and br", async () => {
    const server = await serve((_req, res) => res.end("ok"));
    const answer = await get(directTransport(), `${server.url}/a`, { accept: "application/json" });
    expect(answer.status).toBe(200);
    expect(await text(answer.body)).toBe("ok");
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/a" });
    expect(server.requests[0]!.headers).toMatchObject({
      accept: "application/json",
      "accept-encoding": "gzip, deflate, br",
    });
  });

  it.each([
    ["gzip", gzipSync(TEXT)],
    ["x-gzip", gzipSync(TEXT)],
    ["deflate", deflateSync(TEXT)],
    ["deflate", deflateRawSync(TEXT)], // raw deflate, as some old servers send it
    ["br", brotliCompressSync(TEXT)],
    ["GZIP", gzipSync(TEXT)],
    ["gzip, br", brotliCompressSync(gzipSync(TEXT))], // applied in order: br last, undone first
  ])("undoes Content-Encoding %s", async (coding, bytes) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": coding, "content-length": bytes.length });
      res.end(bytes);
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    expect(await text(answer.body)).toBe(TEXT);
    // The header is the server's: the size a caller reads from it is the size on the wire.
    expect(answer.headers.get("content-length")).toBe(String(bytes.length));
  });

  it("reads headers in any case; a repeated one is joined as fetch joins it", async () => {
    const server = await serve((_req, res) => {
      res.setHeader("ETag", '"abc"');
      res.setHeader("Cache-Control", ["max-age=900", "public"]);
      res.end();
    });
    const { headers } = await get(directTransport(), `${server.url}/a`);
    expect(headers.get("etag")).toBe('"abc"');
    expect(headers.get("ETAG")).toBe('"abc"');
    expect(headers.get("cache-control")).toBe("max-age=900, public");
    expect(headers.get("last-modified")).toBeNull();
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["deflate", deflateRawSync],
  ])("inflates %s only as fast as it is read: a bomb is not decoded ahead", async (coding, zip) => {
    const bomb = zip(Buffer.alloc(64 * 1024 * 1024)); // 64 MiB of zeros, some 64 KB sent
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": coding, "content-length": bomb.length });
      res.end(bomb);
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    const reader = answer.body[Symbol.asyncIterator]();
    expect((await reader.next()).done).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    // What is decoded but not yet read stays within a few chunks.
    expect((answer.body as ChunkSource).waitingBytes).toBeGreaterThan(0);
    expect((answer.body as ChunkSource).waitingBytes).toBeLessThan(1024 * 1024);
    await answer.cancel();
  });

  it("an empty body marked gzip is an empty body, as fetch reads it, not a cut-off one", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404, {
        "content-encoding": "gzip",
        "content-type": "application/rdap+json",
        "content-length": 0,
      });
      res.end();
    });
    const answer = await get(directTransport(), `${server.url}/domain/lapsed-example.com`);
    expect(answer.status).toBe(404);
    expect(await text(answer.body)).toBe("");
  });

  it.each(["gzip", "br", "deflate"])(
    "an empty chunked body marked %s (no Content-Length) is empty too",
    async (coding) => {
      const server = await serve((_req, res) => {
        res.writeHead(404, { "content-encoding": coding, "content-type": "application/rdap+json" });
        res.end(); // chunked: a zero-length last chunk, nothing before it
      });
      const answer = await get(directTransport(), `${server.url}/domain/lapsed-example.com`);
      expect(answer.headers.get("transfer-encoding")).toBe("chunked");
      expect(answer.status).toBe(404);
      expect(await text(answer.body)).toBe("");
    },
  );

  it("passes an unknown coding on as sent, as fetch does", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "zstd" });
      res.end("not undone");
    });
    expect(await text((await get(directTransport(), `${server.url}/a`)).body)).toBe("not undone");
  });

  it("a body cut short of its Content-Length is an error where it is read", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 1000 });
      res.write("x".repeat(300));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    await expect(text(answer.body)).rejects.toThrow();
  });

  it("a chunked body cut before its last chunk is an error where it is read", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("x".repeat(300));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect(text((await get(directTransport(), `${server.url}/a`)).body)).rejects.toThrow();
  });

  it("gzip cut short, or not gzip at all, is an error, not a shorter body", async () => {
    const zipped = gzipSync(TEXT);
    const server = await serve((req, res) => {
      const bytes = req.url === "/cut" ? zipped.subarray(0, zipped.length - 40) : Buffer.from(TEXT);
      res.writeHead(200, { "content-encoding": "gzip", "content-length": bytes.length });
      res.end(bytes);
    });
    await expect(text((await get(directTransport(), `${server.url}/cut`)).body)).rejects.toThrow();
    await expect(text((await get(directTransport(), `${server.url}/lie`)).body)).rejects.toThrow();
  });

  it("a dropped body that has arrived keeps its connection; a large one still coming is cut", async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(`${req.url} on ${req.socket.remotePort}`);
      if (req.url === "/big") {
        res.writeHead(200);
        res.write("x".repeat(256 * 1024));
        return; // never ends: only a cut connection ends it
      }
      res.writeHead(req.url === "/304" ? 304 : 429, { etag: '"1"' });
      res.end(req.url === "/304" ? undefined : "slow down");
    });
    const transport = directTransport();
    for (const path of ["/304", "/429", "/304"]) {
      const answer = await get(transport, `${server.url}${path}`);
      await answer.cancel();
      await new Promise((r) => setTimeout(r, 10));
    }
    const ports = seen.map((s) => s.split(" on ")[1]);
    expect(new Set(ports).size).toBe(1);

    const big = await get(transport, `${server.url}/big`);
    await big.cancel();
    const next = await get(transport, `${server.url}/304`);
    await next.cancel();
    expect(seen.at(-1)!.split(" on ")[1]).not.toBe(seen.at(-2)!.split(" on ")[1]);
  });

  it("a connection cut before the body is read is an error when it is read, not a crash", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 1000 });
      res.write("x".repeat(10));
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    await new Promise((r) => setTimeout(r, 60)); // the cut arrives while nobody reads
    await expect(text(answer.body)).rejects.toThrow();
  });

  it("an abort ends a body being read", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("x".repeat(1000));
    });
    const controller = new AbortController();
    const answer = await directTransport()({
      url: new URL(`${server.url}/a`),
      headers: {},
      signal: controller.signal,
    });
    const read = text(answer.body);
    controller.abort();
    await expect(read).rejects.toThrow();
  });

  it("a plain body is taken only as fast as it is read, not buffered ahead of its reader", async () => {
    const size = 64 * 1024 * 1024;
    let written = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": size });
      const piece = Buffer.alloc(1024 * 1024, 0x61);
      const more = () => {
        while (written < size) {
          written += piece.length;
          if (!res.write(piece)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    const reader = answer.body[Symbol.asyncIterator]();
    expect((await reader.next()).done).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect((answer.body as ChunkSource).waitingBytes).toBeLessThan(1024 * 1024);
    // The server is held back too: the rest waits in its socket, not in this process.
    expect(written).toBeLessThan(size / 2);
    await answer.cancel();
  });

  it("leaving the loop early cuts the connection, so nothing is left waiting on it", async () => {
    let closed!: () => void;
    const cut = new Promise<void>((r) => (closed = r));
    const server = await serve((_req, res) => {
      res.on("close", closed);
      res.writeHead(200);
      res.write(Buffer.alloc(2 * 1024 * 1024)); // never ends
    });
    const answer = await get(directTransport(), `${server.url}/a`);
    for await (const chunk of answer.body) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    await cut;
  });

  it("a body is read once: a second loop gets the same reader and nothing again", async () => {
    const server = await serve((_req, res) => res.end(TEXT));
    const answer = await get(directTransport(), `${server.url}/a`);
    expect(answer.body[Symbol.asyncIterator]()).toBe(answer.body[Symbol.asyncIterator]());
    expect(await text(answer.body)).toBe(TEXT);
    expect(await text(answer.body)).toBe("");
  });

  it("no answer at all (a closed port) rejects with the connection's error code", async () => {
    const server = await serve((_req, res) => res.end());
    const url = server.url;
    await server.close();
    await expect(get(directTransport(), `${url}/a`)).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });
});

describe("directTransport over TLS", () => {
  const tls = join(import.meta.dirname, "..", "fixtures", "tls");
  const cert = readFileSync(join(tls, "loopback-cert.pem"), "utf8");
  const key = readFileSync(join(tls, "loopback-key.pem"), "utf8");

  /** An HTTPS server on 127.0.0.1 with the fixture certificate; the client port of each request. */
  async function httpsServer() {
    const ports: number[] = [];
    const server = createHttpsServer({ cert, key }, (req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(gzipSync(TEXT));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    track({
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    });
    return { url, ports };
  }

  it("reads over TLS with the certificate trusted, keeping one connection", async () => {
    const { url, ports } = await httpsServer();
    const transport = directTransport({ ca: cert });
    expect(await text((await get(transport, `${url}/a`)).body)).toBe(TEXT);
    expect(await text((await get(transport, `${url}/b`)).body)).toBe(TEXT);
    expect(ports).toHaveLength(2);
    expect(ports[0]).toBe(ports[1]);
  });

  it("a certificate Node does not trust is a TLS failure: unreachable, never an answer", async () => {
    const { url, ports } = await httpsServer();
    await expect(get(directTransport(), `${url}/a`)).rejects.toMatchObject({
      code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    });
    const http = new HttpClient({
      transport: directTransport(),
      userAgent: "maintainer-domain-guard-test/1.0",
      timeoutMs: 5_000,
      retries: 2,
      maxRetryWaitMs: 10,
    });
    expect(await http.get(`${url}/pypi/x/json`, { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "unreachable",
      error: expect.stringContaining("TLS error (DEPTH_ZERO_SELF_SIGNED_CERT)"),
      attempts: 1,
    });
    expect(ports).toEqual([]);
  });
});

describe("fetchTransport", () => {
  it("sends through the fetch given, redirects left to the caller", async () => {
    const sent: RequestInit[] = [];
    const transport = fetchTransport(async (_url, init) => {
      sent.push(init ?? {});
      return new Response("moved", { status: 301, headers: { location: "/b" } });
    });
    const answer = await get(transport, "https://index.example/a", { accept: "text/plain" });
    expect(answer.status).toBe(301);
    expect(answer.headers.get("location")).toBe("/b");
    expect(sent[0]).toMatchObject({
      method: "GET",
      redirect: "manual",
      headers: { accept: "text/plain" },
    });
    expect(await text(answer.body)).toBe("moved");
  });
});
