// The request policy against real loopback servers: what is retried, what is not, how long it
// waits (recorded through an injected sleep, so nothing here depends on wall time), and that
// every failure comes back as a result with a code. Request counts come from the servers' logs.
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { HttpClient, parseRetryAfter, type HttpPolicy } from "../src/http.js";
import { startServer, type Handler, type TestServer } from "./servers/http.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

function client(overrides: Partial<HttpPolicy> = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient({
    fetch: globalThis.fetch,
    userAgent: "maintainer-domain-guard-test/1.0",
    timeoutMs: 5_000,
    retries: 3,
    maxRetryWaitMs: 10_000,
    backoffBaseMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { http, sleeps };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

/** Answer request n with handlers[n], repeating the last one. */
const sequence =
  (...handlers: Handler[]): Handler =>
  (req, res, n) =>
    handlers[Math.min(n, handlers.length - 1)]!(req, res, n);

describe("success", () => {
  it("returns the body, sends the User-Agent and the Accept asked for, counts the request by kind", async () => {
    const server = await serve(json(200, { hello: "world" }));
    const { http } = client();
    const result = await http.get(`${server.url}/pypi/requests/json`, { kind: "pypi" });
    expect(result).toMatchObject({ ok: true, status: 200, body: '{"hello":"world"}', attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/pypi/requests/json" });
    expect(server.requests[0]!.headers["user-agent"]).toBe("maintainer-domain-guard-test/1.0");
    expect(server.requests[0]!.headers.accept).toBe("application/json");
    expect(http.stats).toMatchObject({ pypi: 1, rdap: 0, bootstrap: 0, retries: 0 });
  });

  it("follows redirects itself and returns the final URL", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/pypi/Django/json") {
        res.writeHead(301, { location: "/pypi/django/json" });
        res.end();
      } else json(200, { name: "django" })(req, res, 0);
    });
    const { http } = client();
    const result = await http.get(`${server.url}/pypi/Django/json`, { kind: "pypi" });
    expect(result).toMatchObject({ ok: true, url: `${server.url}/pypi/django/json` });
    expect(server.requests.map((r) => r.path)).toEqual(["/pypi/Django/json", "/pypi/django/json"]);
  });

  it("reads a gzip-encoded body", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ zipped: true })));
    });
    const { http } = client();
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({
      ok: true,
      body: '{"zipped":true}',
    });
  });
});

describe("answers that are not retried", () => {
  it.each([404, 410, 400, 403])(
    "%i comes back with status and body after one request",
    async (status) => {
      const server = await serve(json(status, { errorCode: status }));
      const { http, sleeps } = client();
      const result = await http.get(`${server.url}/domain/x.com`, { kind: "rdap" });
      expect(result).toMatchObject({
        ok: false,
        status,
        code: "http-status",
        body: `{"errorCode":${status}}`,
      });
      expect(server.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    },
  );

  it("a redirect loop stops with redirect-loop", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === "/a" ? "/b" : "/a" });
      res.end();
    });
    const { http } = client();
    const result = await http.get(`${server.url}/a`, { kind: "rdap" });
    expect(result).toMatchObject({ ok: false, code: "redirect-loop" });
    expect(server.requests.map((r) => r.path)).toEqual(["/a", "/b"]);
  });

  it("more than five redirects stop with redirect-loop", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: `/r${Number(req.url!.slice(2)) + 1}` });
      res.end();
    });
    const { http } = client();
    expect(await http.get(`${server.url}/r0`, { kind: "rdap" })).toMatchObject({
      ok: false,
      code: "redirect-loop",
    });
    expect(server.requests).toHaveLength(6);
  });

  it("a body over 5 MiB is refused (too-large), while streaming, without retry", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 6; i++) res.write(chunk);
      res.end();
    });
    const { http } = client();
    const result = await http.get(server.url, { kind: "pypi" });
    expect(result).toMatchObject({ ok: false, code: "too-large", status: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it("a declared Content-Length over the cap is refused before reading", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(200) });
      res.end("x".repeat(200));
    });
    const { http } = client({ maxBodyBytes: 100 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "too-large",
    });
  });

  it("a gzip bomb (small on the wire, over the cap inflated) is refused", async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(bomb);
    });
    const { http } = client();
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({
      ok: false,
      code: "too-large",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("a fetch that throws is a network result, never an exception", async () => {
    const { http } = client({
      retries: 1,
      fetch: () => {
        throw new TypeError("boom");
      },
    });
    expect(await http.get("http://127.0.0.1:9/x", { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "network",
      attempts: 2,
    });
  });

  it("a URL that is not http(s) is refused without a request", async () => {
    const { http } = client();
    expect(await http.get("file:///etc/passwd", { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "bad-url",
      attempts: 0,
    });
    expect(await http.get("not a url", { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "bad-url",
    });
    expect(http.stats.pypi).toBe(0);
  });
});

describe("retries", () => {
  it("429 with Retry-After in seconds, then 200: two requests, one wait of that length", async () => {
    const server = await serve(
      sequence(json(429, {}, { "retry-after": "3" }), json(200, { ok: 1 })),
    );
    const { http, sleeps } = client();
    const result = await http.get(`${server.url}/domain/a.com`, { kind: "rdap" });
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([3_000]);
    expect(http.stats).toMatchObject({ rdap: 2, retries: 1, rateLimited: 1 });
  });

  it("Retry-After as an HTTP date waits until then, and a long one is clamped to maxRetryWaitMs", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const server = await serve(
      sequence(
        json(503, {}, { "retry-after": "Thu, 01 Jan 2026 00:00:04 GMT" }),
        json(429, {}, { "retry-after": "3600" }),
        json(200, {}),
      ),
    );
    const { http, sleeps } = client({ now: () => now, maxRetryWaitMs: 10_000 });
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({ ok: true, attempts: 3 });
    expect(sleeps).toEqual([4_000, 10_000]);
  });

  it("500s then success: exponential backoff with (injected) jitter", async () => {
    const server = await serve(sequence(json(500, {}), json(502, {}), json(200, { ok: 1 })));
    const { http, sleeps } = client({ random: () => 0.5 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({ ok: true, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it("500s forever: server-error after 1 + retries requests", async () => {
    const server = await serve(json(500, { no: true }));
    const { http } = client({ retries: 2 });
    const result = await http.get(server.url, { kind: "pypi" });
    expect(result).toMatchObject({ ok: false, code: "server-error", status: 500, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(http.stats).toMatchObject({ pypi: 3, retries: 2 });
  });

  it("429 forever: rate-limited", async () => {
    const server = await serve(json(429, {}));
    const { http } = client({ retries: 1 });
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({
      ok: false,
      code: "rate-limited",
      status: 429,
    });
    expect(server.requests).toHaveLength(2);
  });

  it("a stall before the headers times out and is retried", async () => {
    const server = await serve(() => {
      /* never answer */
    });
    const { http } = client({ timeoutMs: 100, retries: 1 });
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({
      ok: false,
      code: "timeout",
      attempts: 2,
    });
    expect(server.requests).toHaveLength(2);
  });

  it("a body that stalls after the headers times out too", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial": ');
    });
    const { http } = client({ timeoutMs: 100, retries: 0 });
    expect(await http.get(server.url, { kind: "rdap" })).toMatchObject({
      ok: false,
      code: "timeout",
      status: 200,
    });
  });

  it("a truncated body (connection closed before Content-Length bytes) is a network failure, retried", async () => {
    const server = await serve(
      sequence(
        (_req, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
          res.write('{"cut": "');
          setTimeout(() => res.socket?.destroy(), 10);
        },
        json(200, { whole: true }),
      ),
    );
    const { http } = client();
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: true,
      body: '{"whole":true}',
      attempts: 2,
    });
    expect(server.requests).toHaveLength(2);
  });

  it("a connection reset is a network failure, retried", async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const { http } = client({ retries: 2 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "network",
      attempts: 3,
    });
    expect(server.requests).toHaveLength(3);
  });
});

describe("deadline", () => {
  it("no request is sent once the deadline has passed", async () => {
    const server = await serve(json(200, {}));
    const { http } = client({ deadlineAt: Date.now() - 1 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "deadline",
      attempts: 0,
    });
    expect(server.requests).toHaveLength(0);
  });

  it("a request still unanswered at the deadline ends with deadline, not retried", async () => {
    const server = await serve(() => {
      /* never answer */
    });
    const { http } = client({ timeoutMs: 5_000, deadlineAt: Date.now() + 150 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: false,
      code: "deadline",
      attempts: 1,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("a Retry-After that would run past the deadline is not waited for", async () => {
    const now = 1_000_000;
    const server = await serve(json(429, {}, { "retry-after": "5" }));
    const { http, sleeps } = client({ now: () => now, deadlineAt: now + 2_000 });
    const result = await http.get(server.url, { kind: "rdap" });
    expect(result).toMatchObject({ ok: false, code: "rate-limited", attempts: 1 });
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe("concurrency", () => {
  it("never has more than the limit in flight for one key", async () => {
    const server = await serve((_req, res) => setTimeout(() => json(200, {})(_req, res, 0), 30));
    const { http } = client();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http.get(`${server.url}/p${i}`, { kind: "pypi", concurrency: { key: "pypi", limit: 3 } }),
      ),
    );
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
  });

  it("a 429 drops the origin's limit to one; successes bring it back one step at a time", async () => {
    let first = true;
    const server = await serve((req, res) => {
      if (first && req.url === "/busy") {
        first = false;
        json(429, {}, { "retry-after": "1" })(req, res, 0);
      } else setTimeout(() => json(200, {})(req, res, 0), 5);
    });
    const { http } = client();
    const key = new URL(server.url).origin;
    expect(http.currentLimit(key)).toBeUndefined();
    // 429, then the retry succeeds: down to 1, and that one success earns a second slot.
    await http.get(`${server.url}/busy`, { kind: "rdap", concurrency: { key, limit: 4 } });
    expect(http.currentLimit(key)).toBe(2);
    await http.get(`${server.url}/q`, { kind: "rdap", concurrency: { key, limit: 4 } });
    expect(http.currentLimit(key)).toBe(2);
    for (let i = 0; i < 10; i++)
      await http.get(`${server.url}/q${i}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    expect(http.currentLimit(key)).toBe(4);
  });

  it("after a 429 the origin is paced at a little under the rate it accepted, then speeds up", async () => {
    // A clock that only the (injected) sleep moves: every answer arrives at the same instant.
    let t = 1_000_000;
    const sleeps: number[] = [];
    let n = 0;
    const server = await serve((req, res) =>
      n++ === 5 ? json(429, {})(req, res, 0) : json(200, {})(req, res, 0),
    );
    const { http } = client({
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    });
    const key = "paced";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    for (let i = 0; i < 5; i++) await get(`/ok${i}`);
    expect(http.currentSpacing(key)).toBe(0);
    // Five answers in the last second, then a 429: pace at 1100 ms / 5 = 220 ms between starts.
    expect(await get("/limited")).toMatchObject({ ok: true, attempts: 2 });
    expect(http.currentSpacing(key)).toBe(220);
    await get("/next1");
    await get("/next2");
    // The 429's backoff (2 x 100 ms x jitter 1.0), then two paced starts.
    expect(sleeps).toEqual([200, 220, 220]);
    for (let i = 0; i < 20; i++) await get(`/more${i}`);
    expect(http.currentSpacing(key)).toBeCloseTo(209, 0);
    expect(server.requests).toHaveLength(29);
    // Another 429 more than a second later slows the pace by a fifth.
    n = 5;
    t += 2_000;
    await get("/limited-again");
    expect(http.currentSpacing(key)).toBeCloseTo(250.8, 1);
  });

  it("a Retry-After pauses every request queued for that origin, not only the one that got it", async () => {
    const now = 5_000_000;
    let n = 0;
    const server = await serve((req, res) =>
      n++ === 0 ? json(429, {}, { "retry-after": "2" })(req, res, 0) : json(200, {})(req, res, 0),
    );
    const { http, sleeps } = client({ now: () => now });
    const key = "one-origin";
    const results = await Promise.all(
      ["/a", "/b"].map((p) =>
        http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 1 } }),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(sleeps).toEqual([2_000, 2_000]);
    expect(server.requests.map((r) => r.path).sort()).toEqual(["/a", "/a", "/b"]);
  });

  it("while an origin is throttled, parallel requests to it run one at a time", async () => {
    let n = 0;
    const server = await serve((req, res) => {
      if (n++ === 0) json(429, {})(req, res, 0);
      else setTimeout(() => json(200, {})(req, res, 0), 20);
    });
    const { http } = client();
    const key = "rdap-origin";
    await http.get(`${server.url}/first`, { kind: "rdap", concurrency: { key, limit: 4 } });
    const before = server.requests.length;
    // The first request retried after its 429 and succeeded: the limit is back at 2 at most.
    expect(http.currentLimit(key)).toBeLessThanOrEqual(2);
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        http.get(`${server.url}/p${i}`, { kind: "rdap", concurrency: { key, limit: 4 } }),
      ),
    );
    expect(server.requests.length - before).toBe(3);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["120", 120_000],
    ["0", 0],
    ["1.5", 1_500],
    ["Thu, 01 Jan 2026 00:01:00 GMT", 60_000],
    ["Wed, 31 Dec 2025 23:00:00 GMT", 0],
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
  ])("%j -> %j ms", (value, expected) => {
    expect(parseRetryAfter(value, Date.parse("2026-01-01T00:00:00Z"))).toBe(expected);
  });
});
