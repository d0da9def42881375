// The pacing rules on their own: every method takes the time as an argument, so these tests
// pass a number for the clock and never wait.
import { describe, expect, it } from "vitest";
import {
  Gate,
  Gates,
  PACE_PROBE_AFTER_MS,
  PACE_WINDOW_MS,
  RATE_WINDOW_MS,
} from "../../src/net/pacing.js";

const T0 = 1_000_000;

/** Reserve and send `n` starts at `now`, as requests answered at once would. */
function sendMany(gate: Gate, n: number, now: number) {
  return Array.from({ length: n }, () => {
    const start = gate.reserveStart(now);
    gate.markSent(start, now);
    return start;
  });
}

/** A gate whose first 429 (at T0, after `accepted` accepted starts) set the cap to `accepted`. */
function throttledGate(accepted: number): Gate {
  const gate = new Gate(Number.POSITIVE_INFINITY);
  sendMany(gate, accepted, T0);
  const refused = gate.reserveStart(T0);
  refused.failed = true;
  gate.throttle(T0, refused);
  expect(gate.rateCap).toBe(accepted);
  return gate;
}

describe("slots in flight", () => {
  it("grants `limit` slots at once, queues the rest in order, and hands each released slot on", async () => {
    const gate = new Gate(2);
    const granted: string[] = [];
    const take = (name: string) => gate.acquire().then(() => granted.push(name));
    const all = [take("a"), take("b"), take("c"), take("d")];
    await Promise.resolve();
    expect(granted).toEqual(["a", "b"]);
    expect(gate.active).toBe(2);
    gate.release();
    await Promise.resolve();
    expect(granted).toEqual(["a", "b", "c"]);
    expect(gate.active).toBe(2);
    gate.release();
    await Promise.all(all);
    expect(granted).toEqual(["a", "b", "c", "d"]);
    gate.release();
    gate.release();
    expect(gate.active).toBe(0);
  });
});

describe("start reservations", () => {
  it("with no cap (before any 429) every start is now", () => {
    const gate = new Gate(4);
    const starts = sendMany(gate, 50, T0);
    expect(starts.every((s) => s.at === T0)).toBe(true);
    expect(starts.map((s) => s.order)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("with a cap of n, the (n+1)-th start in a window goes a window after the first", () => {
    const gate = throttledGate(3);
    // The three accepted starts at T0 (the refused one failed, but still took a place).
    const next = gate.reserveStart(T0 + 100);
    expect(next.at).toBe(T0 + PACE_WINDOW_MS);
  });

  it("starts older than a window no longer count", () => {
    const gate = throttledGate(2);
    const later = T0 + PACE_WINDOW_MS;
    expect(gate.reserveStart(later).at).toBe(later);
    expect(gate.reserveStart(later).at).toBe(later);
    expect(gate.reserveStart(later).at).toBe(later + PACE_WINDOW_MS);
  });

  it("a start sent late moves to when it was sent, so the next ones keep a window from it", () => {
    const gate = throttledGate(1);
    const start = gate.reserveStart(T0 + 10);
    expect(start.at).toBe(T0 + PACE_WINDOW_MS);
    gate.markSent(start, T0 + PACE_WINDOW_MS + 300);
    expect(start.at).toBe(T0 + PACE_WINDOW_MS + 300);
    expect(gate.reserveStart(T0 + PACE_WINDOW_MS + 300).at).toBe(T0 + 2 * PACE_WINDOW_MS + 300);
  });

  it("a start sent early keeps its reserved time", () => {
    const gate = throttledGate(1);
    const start = gate.reserveStart(T0);
    gate.markSent(start, T0);
    expect(start.at).toBe(T0 + PACE_WINDOW_MS);
  });

  it("a cancelled reservation frees its place for the next start", () => {
    const gate = throttledGate(1);
    const first = gate.reserveStart(T0 + PACE_WINDOW_MS);
    expect(first.at).toBe(T0 + PACE_WINDOW_MS);
    gate.cancelStart(first);
    expect(gate.reserveStart(T0 + PACE_WINDOW_MS).at).toBe(T0 + PACE_WINDOW_MS);
  });
});

describe("learning the rate from 429s", () => {
  it("the first 429 sets the cap to the starts accepted in the second before the refused one", () => {
    const gate = new Gate(4);
    // Two starts over a second before (no longer counted), four within it, one of them failed.
    sendMany(gate, 2, T0 - RATE_WINDOW_MS);
    const recent = sendMany(gate, 4, T0 - 500);
    recent[1]!.failed = true;
    const refused = gate.reserveStart(T0);
    refused.failed = true;
    gate.throttle(T0, refused);
    expect(gate.rateCap).toBe(3);
  });

  it("starts reserved after the refused one do not count as accepted", () => {
    const gate = new Gate(4);
    sendMany(gate, 2, T0);
    const refused = gate.reserveStart(T0);
    sendMany(gate, 5, T0);
    gate.throttle(T0, refused);
    expect(gate.rateCap).toBe(2);
  });

  it("a 429 with nothing accepted before it leaves the rate uncapped", () => {
    const gate = new Gate(4);
    const refused = gate.reserveStart(T0);
    gate.throttle(T0, refused);
    expect(gate.rateCap).toBe(Number.POSITIVE_INFINITY);
  });

  it("a further 429 lowers the cap by one, but not within a second of the last change, and never below one", () => {
    const gate = throttledGate(3);
    gate.throttle(T0 + RATE_WINDOW_MS - 1, gate.reserveStart(T0 + RATE_WINDOW_MS - 1));
    expect(gate.rateCap).toBe(3);
    let t = T0 + RATE_WINDOW_MS;
    for (const expected of [2, 1, 1]) {
      gate.throttle(t, gate.reserveStart(t));
      expect(gate.rateCap).toBe(expected);
      t += RATE_WINDOW_MS;
    }
  });

  it("answers raise the cap by one after a quiet spell, once per spell", () => {
    const gate = throttledGate(3);
    gate.succeed(T0 + PACE_PROBE_AFTER_MS - 1);
    expect(gate.rateCap).toBe(3);
    gate.succeed(T0 + PACE_PROBE_AFTER_MS);
    expect(gate.rateCap).toBe(4);
    gate.succeed(T0 + PACE_PROBE_AFTER_MS + 1);
    expect(gate.rateCap).toBe(4);
    gate.succeed(T0 + 2 * PACE_PROBE_AFTER_MS);
    expect(gate.rateCap).toBe(5);
  });

  it("answers do not raise a cap that was never set", () => {
    const gate = new Gate(4);
    gate.succeed(T0 + 10 * PACE_PROBE_AFTER_MS);
    expect(gate.rateCap).toBe(Number.POSITIVE_INFINITY);
  });

  it("a 429 restarts the quiet spell", () => {
    const gate = throttledGate(3);
    const t = T0 + PACE_PROBE_AFTER_MS - 1;
    gate.throttle(t, gate.reserveStart(t));
    expect(gate.rateCap).toBe(2);
    gate.succeed(T0 + PACE_PROBE_AFTER_MS);
    expect(gate.rateCap).toBe(2);
    gate.succeed(t + PACE_PROBE_AFTER_MS);
    expect(gate.rateCap).toBe(3);
  });
});

describe("Gates", () => {
  it("makes one gate per key, its limit set by the first request (at least one, default none)", () => {
    const gates = new Gates();
    expect(gates.get("a")).toBeUndefined();
    const a = gates.for("a", 3);
    expect(gates.for("a", 10)).toBe(a);
    expect(gates.get("a")?.limit).toBe(3);
    expect(gates.for("zero", 0).limit).toBe(1);
    expect(gates.for("open").limit).toBe(Number.POSITIVE_INFINITY);
  });

  it("a gate first used without a limit (a bootstrap file on the RDAP origin) takes the next one named", () => {
    const gates = new Gates();
    const origin = gates.for("https://rdap.example");
    expect(origin.limit).toBe(Number.POSITIVE_INFINITY);
    expect(gates.for("https://rdap.example", 2)).toBe(origin);
    expect(origin.limit).toBe(2);
    expect(gates.for("https://rdap.example", 8).limit).toBe(2);
    expect(gates.for("https://rdap.example").limit).toBe(2);
  });
});
