// The request policy against real loopback servers: what is retried, what is not, how long it
// waits (recorded through an injected sleep, so nothing here depends on wall time), and that
// every failure comes back as a result with a code. Request counts come from the servers' logs.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HttpClient, type HttpPolicy } from "../../src/net/http.js";
import { closedAfterEach, type Handler } from "../servers/http.js";
import { directTransport } from "../../src/net/transport.js";

const { serve } = closedAfterEach();

function client(overrides: Partial<HttpPolicy> = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient({
    transport: directTransport(),
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

  it("a transport that throws is a network result, never an exception", async () => {
    const { http } = client({
      retries: 1,
      transport: () => {
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

  // A reset on a new connection is a real failure (retries 0: one request); only a reset on a
  // kept connection is sent again without counting (see "kept connections").
  it.each([0, 2])(
    "a connection reset is a network failure, retried (retries %i)",
    async (retries) => {
      const server = await serve((req) => {
        req.socket.destroy();
      });
      const { http } = client({ retries });
      expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
        ok: false,
        code: "network",
        attempts: 1 + retries,
      });
      expect(server.requests).toHaveLength(1 + retries);
    },
  );
});

describe("kept connections", () => {
  // A server closes an idle kept connection at the moment the next request is written to it:
  // here the server resets the first connection when a second request arrives on it, which is
  // what the client sees in that race (a reset on a reused socket, before any answer).
  function closingIdleConnections(): Handler {
    const served = new WeakMap<object, number>();
    let connections = 0;
    return (req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, n);
      if (n === 1) connections++;
      if (n > 1 && connections === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json", connection: "keep-alive" });
      res.end(JSON.stringify({ connection: connections }));
    };
  }

  it("a request that finds its kept connection closed is sent on a new one, not failed or retried", async () => {
    const server = await serve(closingIdleConnections());
    const { http, sleeps } = client({ retries: 0 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({ ok: true, attempts: 1 });
    expect(await http.get(server.url, { kind: "pypi" })).toMatchObject({
      ok: true,
      attempts: 1,
      body: '{"connection":2}',
    });
    // The second request reached the server twice: on the closed connection, then on a new one.
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([]);
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
  it("a pause another request earned that runs past the deadline: rate-limited, not the deadline", async () => {
    // The scan stops everything at its deadline; an origin's own Retry-After must not look like
    // that deadline, or one busy registry would end the whole scan early.
    const now = 3_000_000;
    const server = await serve(json(429, {}, { "retry-after": "5" }));
    const { http, sleeps } = client({ now: () => now, deadlineAt: now + 2_000 });
    const key = "busy-origin";
    const first = await http.get(`${server.url}/a`, {
      kind: "rdap",
      concurrency: { key, limit: 2 },
    });
    expect(first).toMatchObject({ ok: false, code: "rate-limited" });
    const second = await http.get(`${server.url}/b`, {
      kind: "rdap",
      concurrency: { key, limit: 2 },
    });
    expect(second).toMatchObject({ ok: false, code: "rate-limited", attempts: 0 });
    expect(second.ok === false && second.error).toMatch(
      /asked to wait 5 s, past the scan deadline/,
    );
    expect(sleeps).toEqual([]);
    expect(server.requests.map((r) => r.path)).toEqual(["/a"]);
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
});

describe("rate cap after a 429", () => {
  /**
   * A clock that only the (injected) sleep moves, for requests sent one after another: every
   * answer arrives at the instant its request was sent.
   */
  function steppedClient(overrides: Partial<HttpPolicy> = {}) {
    const clock = { t: 1_000_000 };
    const sleeps: number[] = [];
    const http = new HttpClient({
      transport: directTransport(),
      userAgent: "maintainer-domain-guard-test/1.0",
      timeoutMs: 5_000,
      retries: 3,
      maxRetryWaitMs: 10_000,
      backoffBaseMs: 100,
      random: () => 0.5,
      now: () => clock.t,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.t += ms;
      },
      ...overrides,
    });
    return { http, sleeps, clock };
  }

  /** Answer 429 (with these headers) to the first request for each path in `refuse`, 200 otherwise. */
  const refuseOnce = (refuse: string[], headers: Record<string, string> = {}): Handler => {
    const refused = new Set<string>();
    return (req, res) => {
      const path = req.url ?? "";
      if (refuse.includes(path) && !refused.has(path)) {
        refused.add(path);
        json(429, {}, headers)(req, res, 0);
      } else json(200, {})(req, res, 0);
    };
  };

  it("learns from a sliding-window limit's first 429 and is not refused again, at no slower than that rate", async () => {
    // The origin accepts 3 requests per sliding second (of the test's clock), 429 beyond.
    const { http, clock } = steppedClient();
    const start = clock.t;
    const accepted: number[] = [];
    const server = await serve((req, res) => {
      while (accepted.length > 0 && accepted[0]! <= clock.t - 1_000) accepted.shift();
      if (accepted.length >= 3) return json(429, {}, { "retry-after": "1" })(req, res, 0);
      accepted.push(clock.t);
      json(200, {})(req, res, 0);
    });
    const key = "sliding";
    for (let i = 0; i < 20; i++) {
      const result = await http.get(`${server.url}/domain/d${i}.com`, {
        kind: "rdap",
        concurrency: { key, limit: 4 },
      });
      expect(result.ok).toBe(true);
    }
    // One refusal (the fourth request of the first second), then three starts per window.
    expect(server.requests).toHaveLength(21);
    expect(http.stats).toMatchObject({ rdap: 21, rateLimited: 1, retries: 1 });
    expect(http.currentRateCap(key)).toEqual({ starts: 3, windowMs: 1_050 });
    expect(http.currentLimit(key)).toBe(4);
    // 20 answers, 3 per 1,050 ms window: the last three windows start 6 windows after the first.
    expect(clock.t - start).toBe(6 * 1_050);
  });

  it("the first 429 caps starts per window at the number the origin accepted in the second before it; concurrency stays", async () => {
    const server = await serve(refuseOnce(["/limited"]));
    const { http, sleeps } = steppedClient();
    const key = "learned";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    expect(http.currentRateCap(key)).toBeUndefined();
    for (let i = 0; i < 5; i++) await get(`/ok${i}`);
    expect(http.currentRateCap(key)).toEqual({ starts: Infinity, windowMs: 1_050 });
    expect(sleeps).toEqual([]);
    // Five starts in the same instant were accepted, the sixth refused: five per window.
    expect(await get("/limited")).toMatchObject({ ok: true, attempts: 2 });
    expect(http.currentRateCap(key)).toEqual({ starts: 5, windowMs: 1_050 });
    expect(http.currentLimit(key)).toBe(4);
    // The 429's backoff (2 x 100 ms x jitter 1.0), then the retry waits until the window of the
    // first five starts has passed (1,050 ms after them).
    expect(sleeps).toEqual([200, 850]);
    // Four more starts fit in the retry's window; the fifth after it waits a whole window.
    for (let i = 0; i < 5; i++) await get(`/next${i}`);
    expect(sleeps).toEqual([200, 850, 1_050]);
    expect(server.requests).toHaveLength(12);
    expect(http.stats.rateLimited).toBe(1);
  });

  it("the wait for the learned rate is whole, even when longer than max-retry-wait", async () => {
    // max-retry-wait caps what a server asks for (Retry-After, backoff); a request sent before
    // its place in the learned rate is what earns the next 429.
    const server = await serve(refuseOnce(["/limited"]));
    const { http, sleeps } = steppedClient({ maxRetryWaitMs: 300 });
    const key = "learned-short-wait";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    for (let i = 0; i < 5; i++) await get(`/ok${i}`);
    expect(await get("/limited")).toMatchObject({ ok: true, attempts: 2 });
    for (let i = 0; i < 5; i++) await get(`/next${i}`);
    expect(sleeps).toEqual([200, 850, 1_050]);
    expect(http.stats.rateLimited).toBe(1);
  });

  it("a further 429 lowers the cap by one; 429s within a second of the last change do not", async () => {
    // The server holds /busy-b until the test lets it answer, after /busy-a's 429 was handled.
    let arrivedB!: () => void;
    const bArrived = new Promise<void>((resolve) => (arrivedB = resolve));
    let answerB!: () => void;
    const refuse = refuseOnce(["/busy-a", "/busy-b", "/busy-c"], { "retry-after": "0" });
    const server = await serve((req, res) => {
      if (req.url === "/busy-b") {
        answerB = () => refuse(req, res, 0);
        arrivedB();
      } else refuse(req, res, 0);
    });
    const { http, clock } = steppedClient({ retries: 0 });
    const key = "lowered";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    for (let i = 0; i < 5; i++) await get(`/ok${i}`);
    const a = get("/busy-a");
    const b = get("/busy-b");
    expect(await a).toMatchObject({ ok: false, code: "rate-limited" });
    expect(http.currentRateCap(key)?.starts).toBe(5);
    await bArrived;
    answerB();
    // /busy-b was sent before the cap existed: its 429 says nothing new.
    expect(await b).toMatchObject({ ok: false, code: "rate-limited" });
    expect(http.currentRateCap(key)?.starts).toBe(5);
    // Two seconds later the origin still refuses: one start fewer per window.
    clock.t += 2_000;
    expect(await get("/busy-c")).toMatchObject({ ok: false, code: "rate-limited" });
    expect(http.currentRateCap(key)?.starts).toBe(4);
    expect(http.stats.rateLimited).toBe(3);
    expect(server.requests).toHaveLength(8);
  });

  it("after 10 s without a 429 the cap rises by one, once per quiet spell", async () => {
    const server = await serve(refuseOnce(["/limited"], { "retry-after": "0" }));
    const { http, sleeps, clock } = steppedClient({ retries: 0 });
    const key = "recovering";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 4 } });
    for (let i = 0; i < 3; i++) await get(`/ok${i}`);
    await get("/limited");
    expect(http.currentRateCap(key)?.starts).toBe(3);
    clock.t += 9_999;
    await get("/quiet1");
    expect(http.currentRateCap(key)?.starts).toBe(3);
    clock.t += 1;
    await get("/quiet2");
    expect(http.currentRateCap(key)?.starts).toBe(4);
    await get("/quiet3");
    expect(http.currentRateCap(key)?.starts).toBe(4);
    clock.t += 10_000;
    await get("/quiet4");
    expect(http.currentRateCap(key)?.starts).toBe(5);
    // The raised cap is the one applied: five starts in this window, the sixth waits.
    expect(sleeps).toEqual([]);
    for (let i = 0; i < 4; i++) await get(`/burst${i}`);
    expect(sleeps).toEqual([]);
    await get("/burst4");
    expect(sleeps).toEqual([1_050]);
    expect(http.stats.rateLimited).toBe(1);
  });

  it("a Retry-After still pauses every queued request, and the cap then spaces their starts", async () => {
    // A clock that stands still: each wait is recorded, none of them shortens another.
    const now = 7_000_000;
    const server = await serve(refuseOnce(["/busy"], { "retry-after": "2" }));
    const { http, sleeps } = client({ now: () => now });
    const key = "queued";
    const get = (p: string) =>
      http.get(`${server.url}${p}`, { kind: "rdap", concurrency: { key, limit: 1 } });
    await get("/ok0");
    await get("/ok1");
    const results = await Promise.all(["/busy", "/q1", "/q2"].map(get));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(http.currentRateCap(key)?.starts).toBe(2);
    // Three waits of the Retry-After (the refused request and the two queued behind it), then
    // three starts after the three in the first window (/ok0, /ok1 and the refused /busy): two
    // in the next window, one in the window after that.
    expect([...sleeps].sort((x, y) => x - y)).toEqual([1_050, 1_050, 2_000, 2_000, 2_000, 2_100]);
    expect(server.requests.map((r) => r.path).sort()).toEqual([
      "/busy",
      "/busy",
      "/ok0",
      "/ok1",
      "/q1",
      "/q2",
    ]);
  });
});

describe("credentials in refused URLs", () => {
  it.each([
    ["a scheme that is not http(s)", "ftp://ci:s3cret@mirror.example/pypi/x/json"],
    ["a URL that does not parse", "https://ci:s3cret@mirror example/pypi/x/json"],
    ["a broken escape in the password", "https://ci:s3cret%zz@127.0.0.1:1/pypi/x/json"],
  ])("%s: the password is in no part of the result", async (_what, url) => {
    const { http } = client({ retries: 0 });
    const result = await http.get(url, { kind: "pypi" });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("s3cret");
  });
});

describe("a small body that never arrives", () => {
  it("is cut within a second of the answer being dropped: its socket does not outlive the request", async () => {
    let closedAt: number | undefined;
    const server = await serve((req, res) => {
      req.socket.once("close", () => (closedAt = Date.now()));
      res.writeHead(429, { "content-type": "text/plain", "content-length": "100" });
      res.write("partial");
      // ... and the other 93 bytes never come.
    });
    const { http } = client({ retries: 0 });
    const result = await http.get(`${server.url}/pypi/x/json`, { kind: "pypi" });
    expect(result).toMatchObject({ ok: false, status: 429 });
    const answered = Date.now();
    for (let i = 0; i < 40 && closedAt === undefined; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(closedAt, "the socket is still open").toBeDefined();
    expect(closedAt! - answered).toBeLessThan(1_800);
  });
});
