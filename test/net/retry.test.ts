// What is retried and how long to wait, as pure functions: the clock and the jitter are arguments.
import { describe, expect, it } from "vitest";
import * as http from "../../src/net/http.js";
import {
  backoffMs,
  DEFAULT_BACKOFF_BASE_MS,
  isRetriedStatus,
  parseRetryAfter,
  readsRetryAfter,
  retryVerdict,
  retryWaitMs,
} from "../../src/net/retry.js";

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

  it("is the one http.ts exports, with the backoff default", () => {
    expect(http.parseRetryAfter).toBe(parseRetryAfter);
    expect(http.DEFAULT_BACKOFF_BASE_MS).toBe(DEFAULT_BACKOFF_BASE_MS);
  });
});

describe("which statuses", () => {
  it.each([
    [429, true, true],
    [500, true, false],
    [502, true, false],
    [503, true, true],
    [504, true, false],
    [200, false, false],
    [304, false, false],
    [404, false, false],
    [410, false, false],
  ])("%i: retried %j, Retry-After read %j", (status, retried, readsAfter) => {
    expect(isRetriedStatus(status)).toBe(retried);
    expect(readsRetryAfter(status)).toBe(readsAfter);
  });
});

describe("backoff", () => {
  it("doubles with each failure, from the base, at jitter 1.0", () => {
    expect([1, 2, 3, 4].map((f) => backoffMs(f, false, 100, () => 0.5))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it("is twice as long after a 429", () => {
    expect([1, 2].map((f) => backoffMs(f, true, 100, () => 0.5))).toEqual([200, 400]);
  });

  it("jitters within [0.5, 1.5) of the step", () => {
    expect(backoffMs(2, false, 100, () => 0)).toBe(100);
    expect(backoffMs(2, false, 100, () => 0.999)).toBe(300);
  });
});

describe("retryWaitMs", () => {
  const base = { failures: 2, baseMs: 100, maxMs: 10_000, random: () => 0.5 };

  it("takes the server's Retry-After over the backoff, even when shorter", () => {
    expect(retryWaitMs({ ...base, status: 503, retryAfterMs: 3_000 })).toBe(3_000);
    expect(retryWaitMs({ ...base, status: 429, retryAfterMs: 0 })).toBe(0);
  });

  it("without one, backs off (longer after a 429, none for a network failure's missing status)", () => {
    expect(retryWaitMs({ ...base, status: 500 })).toBe(200);
    expect(retryWaitMs({ ...base, status: 429 })).toBe(400);
    expect(retryWaitMs(base)).toBe(200);
  });

  it("never waits longer than maxMs", () => {
    expect(retryWaitMs({ ...base, retryAfterMs: 3_600_000 })).toBe(10_000);
    expect(retryWaitMs({ ...base, failures: 20 })).toBe(10_000);
  });
});

describe("retryVerdict", () => {
  it.each([
    [{ failures: 1, retries: 3, waitMs: 100, deadlineLeftMs: Infinity }, "retry"],
    [{ failures: 3, retries: 3, waitMs: 100, deadlineLeftMs: 101 }, "retry"],
    [{ failures: 4, retries: 3, waitMs: 100, deadlineLeftMs: Infinity }, "exhausted"],
    [{ failures: 1, retries: 0, waitMs: 0, deadlineLeftMs: 0 }, "exhausted"],
    [{ failures: 1, retries: 3, waitMs: 100, deadlineLeftMs: 100 }, "deadline"],
    [{ failures: 1, retries: 3, waitMs: 5_000, deadlineLeftMs: 2_000 }, "deadline"],
  ] as const)("%j -> %s", (input, expected) => {
    expect(retryVerdict(input)).toBe(expected);
  });
});
