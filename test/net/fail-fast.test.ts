// Fail fast on a dead server: connection-level failures are not retried, and after a few
// failures from an origin that never answered, nothing more is sent to it (said once). Also:
// credentials in a URL go as Authorization and never appear in a result; a stop request ends
// requests as `interrupted`; what the client waits on, for a heartbeat.
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  FAIL_FAST_AFTER,
  HttpClient,
  type HttpPolicy,
  type OriginDown,
} from "../../src/net/http.js";
import { connectionFailure } from "../../src/net/errors.js";
import { bypassesProxy, proxySettings, transportForEnv } from "../../src/net/proxy.js";
import { closedAfterEach } from "../servers/http.js";
import { closedPort, startBlackHole, startProxy } from "../servers/trouble.js";
import { directTransport } from "../../src/net/transport.js";

const { serve, track } = closedAfterEach();

function client(overrides: Partial<HttpPolicy> = {}) {
  const downs: OriginDown[] = [];
  const http = new HttpClient({
    transport: directTransport(),
    userAgent: "mdg-test/1.0",
    timeoutMs: 2_000,
    retries: 3,
    maxRetryWaitMs: 1_000,
    backoffBaseMs: 10,
    random: () => 0.5,
    onOriginDown: (d) => downs.push(d),
    ...overrides,
  });
  return { http, downs };
}

describe("connection-level failures", () => {
  it("a closed port: not retried, given up after the first few, said once", async () => {
    const port = await closedPort();
    const { http, downs } = client();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http.get(`http://127.0.0.1:${port}/pypi/p${i}/json`, { kind: "pypi" }),
      ),
    );
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, code: "unreachable" });
      expect(r.attempts).toBeLessThanOrEqual(1);
    }
    expect(results[0]!.ok === false && results[0]!.error).toContain(
      "unreachable: connection refused (ECONNREFUSED)",
    );
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatchObject({ host: `127.0.0.1:${port}`, kind: "pypi" });
    // Later requests are settled without a connection attempt.
    const before = http.stats.pypi;
    await http.get(`http://127.0.0.1:${port}/late`, { kind: "pypi" });
    expect(http.stats.pypi).toBe(before);
    expect(http.stats.retries).toBe(0);
  });

  it("a black-holed port: after a few timeouts with no answer, nothing more is sent", async () => {
    const hole = await startBlackHole();
    track(hole);
    const { http, downs } = client({ timeoutMs: 200, retries: 3 });
    const t0 = Date.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => http.get(`${hole.url}/p${i}`, { kind: "rdap" })),
    );
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(downs).toHaveLength(1);
    expect(http.stats.rdap).toBeLessThan(12 * 4);
  });

  it("an origin that resets every connection before answering: given up after the first few, said once", async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
      socket.once("data", () => socket.resetAndDestroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    track({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { http, downs } = client({ backoffBaseMs: 1 });
    const results = [];
    for (let i = 0; i < 10; i++)
      results.push(await http.get(`${url}/pypi/p${i}/json`, { kind: "pypi" }));
    for (const r of results) expect(r.ok).toBe(false);
    expect(downs).toHaveLength(1);
    expect(downs[0]!.reason).toMatch(/^no answer \(/);
    // Nothing sent once given up: far fewer than 10 packages x 4 attempts.
    expect(connections).toBeLessThanOrEqual(FAIL_FAST_AFTER + 1);
  });

  it("an origin that sends headers and then never the body: given up after the first few, as one that never answers", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 5000 });
      res.write("{"); // and nothing more
    });
    const { http, downs } = client({ timeoutMs: 150, backoffBaseMs: 1 });
    const results = [];
    for (let i = 0; i < 8; i++)
      results.push(await http.get(`${server.url}/pypi/p${i}/json`, { kind: "pypi" }));
    for (const r of results) expect(r.ok).toBe(false);
    expect(downs).toHaveLength(1);
    expect(downs[0]!.reason).toBe("the headers came but not the body, within 150 ms");
    // Nothing sent once given up: far fewer than 8 packages x 4 attempts.
    expect(server.requests.length).toBeLessThanOrEqual(FAIL_FAST_AFTER + 1);
  });

  it("a 101 (Switching Protocols) is no answer: the request ends at once, never at the deadline", async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.on("error", () => undefined);
      socket.once("data", () =>
        socket.write(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        ),
      ); // and the socket is left open
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    track({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { http } = client({ timeoutMs: 60_000, retries: 1, backoffBaseMs: 1 });
    const started = Date.now();
    const result = await http.get(`${url}/pypi/p/json`, { kind: "pypi" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ ok: false });
    expect(result.ok === false && result.error).toContain("switched protocols (101)");
    expect(connections).toBe(2);
  });

  it("an origin that answered once is never given up", async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      if (n++ === 0) res.writeHead(200).end("{}");
      else res.writeHead(401).end();
    });
    const { http, downs } = client();
    await http.get(`${server.url}/a`, { kind: "pypi" });
    for (let i = 0; i < FAIL_FAST_AFTER + 2; i++)
      await http.get(`${server.url}/b${i}`, { kind: "pypi" });
    expect(downs).toEqual([]);
    expect(server.requests).toHaveLength(FAIL_FAST_AFTER + 3);
  });

  it("a 401 mirror: never retried, given up after the first few, said once", async () => {
    const server = await serve((_req, res) => res.writeHead(401).end("login"));
    const { http, downs } = client();
    const results = [];
    for (let i = 0; i < 10; i++)
      results.push(await http.get(`${server.url}/p${i}`, { kind: "pypi" }));
    expect(server.requests).toHaveLength(FAIL_FAST_AFTER);
    expect(results.every((r) => !r.ok && r.status === 401)).toBe(true);
    expect(results.at(-1)).toMatchObject({ code: "refused" });
    expect(downs).toEqual([expect.objectContaining({ status: 401, kind: "pypi" })]);
  });

  it("reads DNS, refused, connect timeout and TLS failures from fetch's cause", () => {
    const wrap = (code: string) =>
      new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
    expect(connectionFailure(wrap("ENOTFOUND"))).toBe("DNS lookup failed (ENOTFOUND)");
    expect(connectionFailure(wrap("ECONNREFUSED"))).toBe("connection refused (ECONNREFUSED)");
    expect(connectionFailure(wrap("UND_ERR_CONNECT_TIMEOUT"))).toMatch(/connect timeout/);
    expect(connectionFailure(wrap("CERT_HAS_EXPIRED"))).toMatch(/TLS error/);
    expect(connectionFailure(wrap("ECONNRESET"))).toBeUndefined();
  });
});

describe("credentials", () => {
  it("user:password@ goes as Basic to that origin only, and is in no result", async () => {
    const other = await serve((_req, res) => res.writeHead(200).end("{}"));
    const server = await serve((req, res) => {
      if (req.url === "/hop") res.writeHead(302, { location: `${other.url}/landed` }).end();
      else res.writeHead(req.headers.authorization ? 200 : 401).end("{}");
    });
    const { http } = client();
    const withCreds = server.url.replace("http://", "http://alice:s3cr%40t@");
    const ok = await http.get(`${withCreds}/simple`, { kind: "pypi" });
    expect(ok).toMatchObject({ ok: true, status: 200, url: `${server.url}/simple` });
    expect(server.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from("alice:s3cr@t").toString("base64")}`,
    );
    const hop = await http.get(`${withCreds}/hop`, { kind: "pypi" });
    expect(JSON.stringify(hop)).not.toContain("s3cr");
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("configured credentials (a bearer token) go to their origin", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end("{}"));
    const { http } = client({
      credentials: [{ origin: server.url, authorization: "Bearer tok-123" }],
    });
    await http.get(`${server.url}/x`, { kind: "pypi" });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer tok-123");
  });
});

describe("stop requests and waiting", () => {
  it("an aborted signal ends a request in flight and sends nothing more", async () => {
    const hole = await startBlackHole();
    track(hole);
    const controller = new AbortController();
    const { http } = client({ timeoutMs: 10_000, signal: controller.signal });
    const pending = http.get(`${hole.url}/slow`, { kind: "rdap" });
    setTimeout(() => controller.abort(), 50);
    const t0 = Date.now();
    expect(await pending).toMatchObject({ ok: false, code: "interrupted" });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await http.get(`${hole.url}/next`, { kind: "rdap" })).toMatchObject({
      code: "interrupted",
      attempts: 0,
    });
  });

  it("says what it waits on: a retry after a 429 before requests in flight", async () => {
    const server = await serve((_req, res) => res.writeHead(429, { "retry-after": "1" }).end());
    const { http } = client({ retries: 1, maxRetryWaitMs: 1_000 });
    const pending = http.get(`${server.url}/x`, { kind: "rdap" });
    await new Promise((r) => setTimeout(r, 150));
    expect(http.waitingOn()).toMatch(/^127\.0\.0\.1:\d+ \(429, retry in 1 s\)$/);
    await pending;
    expect(http.waitingOn()).toBeUndefined();
  });
});

describe("proxy settings", () => {
  it.each<[string, string, boolean]>([
    // curl's rules: a name and every name under it, a leading dot or *. alike, ports, IPs, CIDR.
    ["internal.example", "http://pypi.internal.example/simple", true],
    ["internal.example", "http://internal.example/", true],
    [".internal.example", "http://internal.example/", true],
    ["*.internal.example", "https://a.b.internal.example/", true],
    ["internal.example", "http://notinternal.example/", false],
    ["internal.example", "http://internal.example.evil.com/", false],
    ["Internal.Example.", "http://PYPI.internal.example./", true],
    ["internal.example:8080", "http://internal.example:8080/", true],
    ["internal.example:8080", "http://internal.example/", false],
    ["10.0.0.0/8", "http://10.255.255.1/", true],
    ["10.0.0.0/8", "http://11.0.0.1/", false],
    ["192.168.1.7", "http://192.168.1.7:3000/", true],
    ["::1", "http://[::1]:8080/", true],
    ["[::1]:8080", "http://[::1]:8080/", true],
    ["fd00::/8", "http://[fd12::1]/", true],
    // An address is the same address however it is written (curl compares them as numbers).
    ["0:0:0:0:0:0:0:1", "http://[::1]:8080/", true],
    ["[fd12:0::0001]", "http://[fd12::1]/", true],
    ["fd12::2", "http://[fd12::1]/", false],
    ["fd00::/8", "http://10.0.0.1/", false],
    ["a.com, b.com  c.com", "https://x.c.com/", true],
    ["*", "https://anything.example/", true],
    ["", "https://anything.example/", false],
  ])("NO_PROXY=%j: %s goes directly: %s", (noProxy, url, direct) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(direct);
  });

  it("through a proxy (one written without a scheme, as curl reads it), NO_PROXY hosts never reach it", async () => {
    const proxy = await startProxy();
    track(proxy);
    const origin = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    const bare = proxy.url.replace("http://", "");
    const get = (env: Record<string, string>) =>
      new HttpClient({
        transport: transportForEnv(env),
        userAgent: "mdg-test/1.0",
        timeoutMs: 2_000,
        retries: 0,
        maxRetryWaitMs: 10,
      }).get(`${origin.url}/pypi/x/json`, { kind: "pypi" });
    expect(await get({ HTTP_PROXY: bare })).toMatchObject({ ok: true });
    // Plain http is forwarded in absolute form.
    expect(proxy.seen).toEqual([`GET ${origin.url}/pypi/x/json`]);
    expect(await get({ HTTP_PROXY: bare, NO_PROXY: "127.0.0.0/8" })).toMatchObject({ ok: true });
    expect(proxy.seen).toHaveLength(1);
  });

  it("read upper and lower case, lower case first; HTTPS falls back to HTTP", () => {
    expect(proxySettings({ HTTP_PROXY: "http://p:1", no_proxy: "a.com" })).toEqual({
      httpProxy: "http://p:1",
      httpsProxy: "http://p:1",
      noProxy: "a.com",
    });
    expect(proxySettings({ https_proxy: "http://low:2", HTTPS_PROXY: "http://up:3" })).toEqual({
      httpsProxy: "http://low:2",
    });
    expect(proxySettings({})).toEqual({});
  });
});
