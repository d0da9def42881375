// Requests through a proxy, against real loopback proxies: https origins through one CONNECT
// tunnel per kept connection, http ones forwarded in absolute form, the proxy's credentials sent
// to the proxy alone and printed nowhere; and proxies that misbehave as real ones do: a 407 or
// 403 is the proxy's refusal (named, said once, never retried as if the origin had answered), a
// proxy that closes every tunnel costs one attempt per attempt (no storm of CONNECTs), a body
// cut short through the proxy is never taken as whole, a proxy that never answers ends with the
// request's timeout, and a setting no request can go through says so without sending a byte.
import { readFileSync } from "node:fs";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FAIL_FAST_AFTER, HttpClient, type OriginDown } from "../../src/net/http.js";
import { transportForEnv } from "../../src/net/proxy.js";
import { closedAfterEach } from "../servers/http.js";
import { closedPort, startProxy } from "../servers/trouble.js";

const { serve, track } = closedAfterEach();

const tlsDir = join(import.meta.dirname, "..", "fixtures", "tls");
const cert = readFileSync(join(tlsDir, "loopback-cert.pem"), "utf8");
const key = readFileSync(join(tlsDir, "loopback-key.pem"), "utf8");
const BODY = JSON.stringify({ info: { author_email: "a@example.org", summary: "x".repeat(4000) } });

function client(env: Record<string, string>, retries = 2, timeoutMs = 2_000) {
  const downs: OriginDown[] = [];
  const http = new HttpClient({
    transport: transportForEnv(env, { ca: cert }),
    userAgent: "mdg-test/1.0",
    timeoutMs,
    retries,
    maxRetryWaitMs: 10,
    backoffBaseMs: 1,
    random: () => 0.5,
    onOriginDown: (d) => downs.push(d),
  });
  return { http, downs };
}

/** An HTTPS origin on 127.0.0.1 (the fixture certificate); the headers of each request. */
async function httpsOrigin() {
  const requests: Record<string, string | string[] | undefined>[] = [];
  const server = createHttpsServer({ cert, key }, (req, res) => {
    requests.push(req.headers);
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(BODY));
  });
  await listen(server);
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

async function listen(server: Server | HttpsServer): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  track({
    close: () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/**
 * A proxy made of raw bytes: `answer` gets what arrived on each new connection and writes the
 * reply itself (null: close without a word). Counts connections and how many were closed.
 */
async function rawProxy(answer: (first: string, socket: Socket) => string | Buffer | null) {
  const stats = { connections: 0, closed: 0, firstLines: [] as string[] };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      stats.closed++;
      sockets.delete(socket);
    });
    socket.once("data", (data) => {
      const text = data.toString("latin1");
      stats.firstLines.push(text.split("\r\n")[0]!);
      const reply = answer(text, socket);
      if (reply === null) socket.destroy();
      else if (reply.length > 0) socket.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  track({
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

// A proxy's refusal as RFC 9110 §15.5.8 and §11.7.1 describe it, with the body and headers a
// caching proxy sends (an HTML page, kept alive).
const REFUSED_407 = [
  "HTTP/1.1 407 Proxy Authentication Required",
  "Content-Type: text/html;charset=utf-8",
  'Proxy-Authenticate: Basic realm="proxy"',
  "Content-Length: 27",
  "Connection: keep-alive",
  "",
  "<html>access denied</html>\n",
].join("\r\n");
const REFUSED_403 =
  "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

describe("https through an http proxy (CONNECT)", () => {
  it("one tunnel carries every request of a kept connection; the origin sees no proxy header", async () => {
    const proxy = await startProxy();
    track(proxy);
    const origin = await httpsOrigin();
    const { http } = client({ HTTPS_PROXY: proxy.url });
    for (const name of ["a", "b", "c"]) {
      const r = await http.get(`${origin.url}/pypi/${name}/json`, { kind: "pypi" });
      expect(r).toMatchObject({ ok: true, status: 200 });
      expect(r.ok && JSON.parse(r.body)).toEqual(JSON.parse(BODY));
    }
    expect(proxy.seen).toEqual([`CONNECT ${new URL(origin.url).host}`]);
    expect(origin.requests).toHaveLength(3);
    expect(origin.requests.every((h) => h["proxy-authorization"] === undefined)).toBe(true);
  });

  it("the proxy's user:password (percent-encoded) goes to the proxy alone, and is printed nowhere", async () => {
    const proxy = await startProxy();
    track(proxy);
    const origin = await httpsOrigin();
    const proxyUrl = proxy.url.replace("http://", "http://ci%40corp:s3cr%3At@");
    const { http } = client({ https_proxy: proxyUrl });
    const r = await http.get(`${origin.url}/pypi/a/json`, { kind: "pypi" });
    expect(r.ok).toBe(true);
    expect(proxy.authorizations).toEqual([
      `Basic ${Buffer.from("ci@corp:s3cr:t").toString("base64")}`,
    ]);
    expect(origin.requests[0]!["proxy-authorization"]).toBeUndefined();
    expect(origin.requests[0]!.authorization).toBeUndefined();
  });

  it("a 407 is the proxy's refusal: named with what to do, not retried, said once, then nothing is sent", async () => {
    const proxy = await rawProxy(() => REFUSED_407);
    const { http, downs } = client({ HTTPS_PROXY: proxy.url });
    const results = [];
    for (let i = 0; i < FAIL_FAST_AFTER + 3; i++)
      results.push(await http.get(`https://index.example/pypi/p${i}/json`, { kind: "pypi" }));
    for (const r of results) expect(r).toMatchObject({ ok: false, code: "unreachable" });
    const port = new URL(proxy.url).port;
    expect(results[0]).toMatchObject({
      attempts: 1,
      error:
        `index.example unreachable: the proxy 127.0.0.1:${port} refused: 407 Proxy Authentication Required; ` +
        "give the proxy's user and password in HTTPS_PROXY, before its host: user:password@host:port",
    });
    expect(proxy.stats.connections).toBe(FAIL_FAST_AFTER);
    expect(proxy.stats.firstLines[0]).toBe("CONNECT index.example:443 HTTP/1.1");
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatchObject({ host: "index.example", kind: "pypi" });
  });

  it("a 403 names the proxy and NO_PROXY; HTTPS taken from HTTP_PROXY names HTTP_PROXY on a 407", async () => {
    const forbidding = await rawProxy(() => REFUSED_403);
    const r403 = await client({ HTTPS_PROXY: forbidding.url }).http.get(
      "https://index.example/pypi/a/json",
      { kind: "pypi" },
    );
    expect(r403).toMatchObject({
      ok: false,
      code: "unreachable",
      error: expect.stringMatching(
        /the proxy 127\.0\.0\.1:\d+ refused: 403 Forbidden; check that the proxy allows this host, or list the host in NO_PROXY$/,
      ),
    });
    const asking = await rawProxy(() => REFUSED_407);
    const r407 = await client({ HTTP_PROXY: asking.url }).http.get(
      "https://index.example/pypi/a/json",
      { kind: "pypi" },
    );
    expect(r407.ok === false && r407.error).toContain(
      "in HTTP_PROXY, before its host: user:password@",
    );
  });

  it("a proxy that closes every tunnel costs one CONNECT per attempt, never a storm", async () => {
    const proxy = await rawProxy(() => null);
    const once = await client({ HTTPS_PROXY: proxy.url }, 0).http.get(
      "https://index.example/pypi/a/json",
      { kind: "pypi" },
    );
    expect(once).toMatchObject({ ok: false, code: "network", attempts: 1 });
    expect(once.ok === false && once.error).toMatch(/through the proxy 127\.0\.0\.1:\d+/);
    expect(proxy.stats.connections).toBe(1);
    const retried = await client({ HTTPS_PROXY: proxy.url }, 2).http.get(
      "https://index.example/pypi/b/json",
      { kind: "pypi" },
    );
    expect(retried).toMatchObject({ ok: false, attempts: 3 });
    expect(proxy.stats.connections).toBe(1 + 3);
  });

  it("a proxy that never answers the CONNECT: the request's timeout ends it, and the tunnel with it", async () => {
    const proxy = await rawProxy(() => "");
    const t0 = Date.now();
    const r = await client({ HTTPS_PROXY: proxy.url }, 0, 300).http.get(
      "https://index.example/pypi/a/json",
      { kind: "pypi" },
    );
    expect(r).toMatchObject({ ok: false, code: "timeout" });
    expect(Date.now() - t0).toBeLessThan(2_000);
    await expect.poll(() => proxy.stats.closed).toBe(1);
  });

  it("a proxy that is down: the proxy is named in the failure, the origin given up once", async () => {
    const port = await closedPort();
    const { http, downs } = client({ HTTPS_PROXY: `http://u:pw-secret@127.0.0.1:${port}` });
    const results = [];
    for (let i = 0; i < FAIL_FAST_AFTER + 1; i++)
      results.push(await http.get(`https://index.example/pypi/p${i}/json`, { kind: "pypi" }));
    expect(results[0]).toMatchObject({
      ok: false,
      code: "unreachable",
      error: `index.example unreachable: connection refused (ECONNREFUSED) at the proxy 127.0.0.1:${port}`,
    });
    expect(JSON.stringify(results)).not.toContain("pw-secret");
    expect(JSON.stringify(downs)).not.toContain("pw-secret");
    expect(downs).toHaveLength(1);
  });

  it("an https proxy (TLS to the proxy, then the tunnel inside it)", async () => {
    const proxy = await startProxy({ tls: { cert, key } });
    track(proxy);
    expect(proxy.url).toMatch(/^https:/);
    const origin = await httpsOrigin();
    const r = await client({ HTTPS_PROXY: proxy.url }).http.get(`${origin.url}/pypi/a/json`, {
      kind: "pypi",
    });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(proxy.seen).toEqual([`CONNECT ${new URL(origin.url).host}`]);
  });

  it.each([
    [
      "socks5://127.0.0.1:1080",
      "HTTPS_PROXY is a socks5 proxy; only http and https proxies are supported",
    ],
    ["http://[::1", "HTTPS_PROXY is not a URL; write it as http://host:port"],
  ])("HTTPS_PROXY=%s: every request says what is wrong, nothing is sent", async (setting, said) => {
    const origin = await httpsOrigin();
    const { http, downs } = client({ HTTPS_PROXY: setting });
    const r = await http.get(`${origin.url}/pypi/a/json`, { kind: "pypi" });
    expect(r).toMatchObject({ ok: false, code: "unreachable", attempts: 1 });
    expect(r.ok === false && r.error).toContain(said);
    expect(origin.requests).toEqual([]);
    expect(downs).toHaveLength(0);
  });
});

describe("http through an http proxy (absolute form)", () => {
  it("forwarded as `GET http://host/path` with the proxy's credentials, which the origin never gets", async () => {
    const proxy = await startProxy();
    track(proxy);
    const origin = await serve((_req, res) => res.writeHead(200).end(BODY));
    const { http } = client({ HTTP_PROXY: proxy.url.replace("http://", "http://me:pa55@") });
    for (const name of ["a", "b"]) {
      const r = await http.get(`${origin.url}/pypi/${name}/json?x=1`, { kind: "pypi" });
      expect(r).toMatchObject({ ok: true, status: 200 });
    }
    expect(proxy.seen).toEqual([
      `GET ${origin.url}/pypi/a/json?x=1`,
      `GET ${origin.url}/pypi/b/json?x=1`,
    ]);
    expect(proxy.authorizations).toEqual([
      `Basic ${Buffer.from("me:pa55").toString("base64")}`,
      `Basic ${Buffer.from("me:pa55").toString("base64")}`,
    ]);
    expect(origin.requests.map((q) => q.headers["proxy-authorization"])).toEqual([
      undefined,
      undefined,
    ]);
    expect(origin.requests[0]!.headers.host).toBe(new URL(origin.url).host);
  });

  it("a 407 to a forwarded request is the proxy's refusal, not the origin's answer", async () => {
    const proxy = await rawProxy(() => REFUSED_407);
    const r = await client({ HTTP_PROXY: proxy.url }).http.get("http://index.example/pypi/a/json", {
      kind: "pypi",
    });
    expect(r).toMatchObject({
      ok: false,
      code: "unreachable",
      attempts: 1,
      error: expect.stringContaining(
        "refused: 407 Proxy Authentication Required; give the proxy's user and password in HTTP_PROXY",
      ),
    });
    expect(proxy.stats.firstLines).toEqual(["GET http://index.example/pypi/a/json HTTP/1.1"]);
  });

  const head = (headers: string) => `HTTP/1.1 200 OK\r\n${headers}connection: close\r\n\r\n`;
  const gz = gzipSync(BODY);
  it.each([
    [
      "a gzip body cut in half",
      () =>
        Buffer.concat([
          Buffer.from(head(`content-encoding: gzip\r\ncontent-length: ${gz.length}\r\n`)),
          gz.subarray(0, gz.length >> 1),
        ]),
    ],
    [
      "a gzip stream that stops early, its Content-Length matching",
      () =>
        Buffer.concat([
          Buffer.from(head(`content-encoding: gzip\r\ncontent-length: ${gz.length >> 1}\r\n`)),
          gz.subarray(0, gz.length >> 1),
        ]),
    ],
    [
      "a chunked body without its last chunk",
      () => Buffer.from(`${head("transfer-encoding: chunked\r\n")}9\r\n{"info":{\r\n`),
    ],
    [
      "a body shorter than its Content-Length",
      () => Buffer.from(`${head(`content-length: ${BODY.length}\r\n`)}${BODY.slice(0, 100)}`),
    ],
  ])("%s, through the proxy, is never taken as whole", async (_what, reply) => {
    const proxy = await rawProxy(() => reply());
    const r = await client({ HTTP_PROXY: proxy.url }, 1).http.get(
      "http://index.example/pypi/a/json",
      { kind: "pypi" },
    );
    expect(r).toMatchObject({ ok: false, code: "network", attempts: 2 });
    expect(r.ok === false && r.error).toContain("was cut off");
  });
});
