// The NS check against a real UDP responder on loopback: a delegation, NXDOMAIN, and a server
// that never answers (which must read as "not consulted", never as "no delegation").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDelegation, lookUpMx } from "../../src/rdap/dns.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";

let dns: DnsServer;
let silent: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({ delegated: ["taken.com", "xn--bcher-kva.de"] });
  silent = await startDnsServer({ delegated: ["taken.com"], silent: true });
});
afterAll(async () => {
  await dns.close();
  await silent.close();
});

describe("checkDelegation", () => {
  it("an NS answer is delegated", async () => {
    expect(await checkDelegation("taken.com", { server: dns.address, timeoutMs: 1_000 })).toBe(
      "delegated",
    );
    expect(dns.queries).toContain("NS taken.com");
  });

  it("a trailing dot is ignored, and punycode names are asked as is", async () => {
    expect(await checkDelegation("taken.com.", { server: dns.address, timeoutMs: 1_000 })).toBe(
      "delegated",
    );
    expect(
      await checkDelegation("xn--bcher-kva.de", { server: dns.address, timeoutMs: 1_000 }),
    ).toBe("delegated");
  });

  it("NXDOMAIN is no-delegation", async () => {
    expect(
      await checkDelegation("lapsed-example.com", { server: dns.address, timeoutMs: 1_000 }),
    ).toBe("no-delegation");
    expect(dns.queries).toContain("NS lapsed-example.com");
  });

  it("a server that never answers is not-consulted, after asking", async () => {
    expect(await checkDelegation("taken.com", { server: silent.address, timeoutMs: 100 })).toBe(
      "not-consulted",
    );
    expect(silent.queries.filter((q) => q === "NS taken.com").length).toBeGreaterThanOrEqual(1);
  });

  it("the scan stopping ends a query at once, with no socket or timer left behind", async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const started = Date.now();
    const answers = await Promise.all([
      checkDelegation("taken.com", {
        server: silent.address,
        timeoutMs: 5_000,
        signal: stop.signal,
      }),
      lookUpMx("taken.com", { server: silent.address, timeoutMs: 5_000, signal: stop.signal }),
    ]);
    // Well before the 5 s budget: the stop, not the timeout, ended both.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(answers[0]).toBe("not-consulted");
    expect(answers[1]).toEqual({
      ok: false,
      errorCode: "dns-estopped",
      error: `the scan stopped before ${silent.address} answered the MX query`,
    });
    // Stopped before the query: not asked at all, and still no throw.
    expect(
      await lookUpMx("taken.com", { server: dns.address, timeoutMs: 1_000, signal: stop.signal }),
    ).toMatchObject({ ok: false, errorCode: "dns-estopped" });
  });

  it("a server address that is not HOST:PORT is not-consulted, not a throw", async () => {
    expect(await checkDelegation("taken.com", { server: "not an address", timeoutMs: 100 })).toBe(
      "not-consulted",
    );
  });
});
