// One attempt through a fetch transport that returns in-memory Responses: how each answer is sorted
// into done, redirect or retry. The loopback tests in http.test.ts cover the same over sockets.
import { describe, expect, it } from "vitest";
import { sendOnce, type AttemptRequest } from "../../src/net/attempt.js";
import { fetchTransport } from "../../src/net/transport.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function request(
  answer: () => Response | Promise<Response>,
  overrides: Partial<AttemptRequest> = {},
) {
  const sent: { url: string; init: RequestInit }[] = [];
  const req: AttemptRequest = {
    transport: fetchTransport(async (url, init) => {
      sent.push({ url: String(url), init: init ?? {} });
      return answer();
    }),
    userAgent: "maintainer-domain-guard-test/1.0",
    url: new URL("https://rdap.example/domain/a.com"),
    accept: "application/rdap+json",
    timeoutMs: 1_000,
    cutByDeadline: false,
    maxBodyBytes: 1_000,
    now: () => NOW,
    ...overrides,
  };
  return { req, sent };
}

/** A fetch that never answers until aborted, as a stalled server. */
function stalled(init?: RequestInit): Promise<Response> {
  return new Promise((_resolve, reject) =>
    init?.signal?.addEventListener("abort", () =>
      reject(new DOMException("aborted", "AbortError")),
    ),
  );
}

describe("sendOnce", () => {
  it("sends one GET with manual redirects, the Accept and the User-Agent", async () => {
    const { req, sent } = request(() => new Response("{}", { status: 200 }));
    expect(await sendOnce(req)).toMatchObject({ type: "done", result: { ok: true, body: "{}" } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      url: "https://rdap.example/domain/a.com",
      init: {
        method: "GET",
        redirect: "manual",
        headers: {
          accept: "application/rdap+json",
          "user-agent": "maintainer-domain-guard-test/1.0",
        },
      },
    });
  });

  it("a redirect with a Location is followed by the caller; without one it is http-status", async () => {
    const moved = request(() => new Response(null, { status: 302, headers: { location: "/b" } }));
    expect(await sendOnce(moved.req)).toEqual({ type: "redirect", location: "/b" });
    const nowhere = request(() => new Response(null, { status: 301 }));
    expect(await sendOnce(nowhere.req)).toMatchObject({
      type: "done",
      result: { ok: false, code: "http-status", status: 301 },
    });
  });

  it("304 is not a redirect", async () => {
    const { req } = request(() => new Response(null, { status: 304, headers: { location: "/b" } }));
    expect(await sendOnce(req)).toMatchObject({
      type: "done",
      result: { ok: false, code: "http-status", status: 304 },
    });
  });

  it.each([
    [429, "rate-limited", "3", 3_000],
    [503, "server-error", "Thu, 01 Jan 2026 00:00:04 GMT", 4_000],
    [500, "server-error", "3", undefined],
  ])("%i is retried as %s; its Retry-After %j is %j ms", async (status, code, after, ms) => {
    const { req } = request(
      () => new Response("busy", { status, headers: { "retry-after": after } }),
    );
    const outcome = await sendOnce(req);
    expect(outcome).toMatchObject({ type: "retry", result: { ok: false, code, status } });
    expect(outcome.type === "retry" && outcome.retryAfterMs).toBe(ms);
    expect(outcome.type === "retry" && outcome.result.error).toContain(`(Retry-After: ${after})`);
  });

  it("a fetch that rejects is a network failure, retried, naming the cause", async () => {
    const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const { req } = request(() => Promise.reject(new TypeError("fetch failed", { cause })));
    expect(await sendOnce(req)).toMatchObject({
      type: "retry",
      result: {
        code: "network",
        error:
          "request to https://rdap.example/domain/a.com failed: fetch failed (ECONNRESET read ECONNRESET)",
      },
    });
  });

  it("no answer within the timeout is retried; cut by the deadline it is done", async () => {
    const slow = request(() => new Response()).req;
    slow.transport = fetchTransport(async (_url, init) => stalled(init));
    expect(await sendOnce({ ...slow, timeoutMs: 20 })).toMatchObject({
      type: "retry",
      result: { code: "timeout" },
    });
    expect(await sendOnce({ ...slow, timeoutMs: 20, cutByDeadline: true })).toMatchObject({
      type: "done",
      result: { code: "deadline" },
    });
  });

  it("a body over the cap is too-large, not retried; other statuses keep their body", async () => {
    const big = request(() => new Response("x".repeat(11)), { maxBodyBytes: 10 });
    expect(await sendOnce(big.req)).toMatchObject({
      type: "done",
      result: { ok: false, code: "too-large", status: 200 },
    });
    const gone = request(() => new Response('{"errorCode":404}', { status: 404 }));
    expect(await sendOnce(gone.req)).toMatchObject({
      type: "done",
      result: { ok: false, code: "http-status", status: 404, body: '{"errorCode":404}' },
    });
  });
});
