// RDAP verdicts from the real captured registry answers in test/fixtures/rdap/, served by a
// loopback RDAP server, plus synthetic states built by editing a real capture's `status` or
// `events` in code (no real capture of redemption, pending delete or hold exists; see the
// fixtures' README). `now` is pinned to each capture's date so its expiry reads as it did then.
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeVerdict, normalizeStatus } from "../../src/assess/lifecycle.js";
import { HttpClient } from "../../src/net/http.js";
import {
  createRdapChecker,
  loadBootstrap,
  parseRdapDate,
  type BootstrapData,
  type RdapChecker,
  type RdapCheckerOptions,
} from "../../src/rdap/client.js";
import type { DomainVerdict } from "../../src/types.js";
import { startDnsServer, type DnsServer } from "../servers/dns.js";
import { startServer } from "../servers/http.js";
import {
  bootstrapFor,
  fixture,
  fixtureJson,
  startRdapServer,
  type RdapAnswer,
  type RdapRoute,
  type RdapServer,
} from "../servers/rdap.js";
import { directTransport } from "../../src/net/transport.js";

function client(sleeps: number[] = [], timeoutMs = 3_000) {
  return new HttpClient({
    transport: directTransport(),
    userAgent: "maintainer-domain-guard-test",
    timeoutMs,
    retries: 2,
    maxRetryWaitMs: 10_000,
    backoffBaseMs: 10,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

let dns: DnsServer;
let silentDns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({ delegated: ["delegated-but-404.com"] });
  silentDns = await startDnsServer({ delegated: [], silent: true });
});
afterAll(async () => {
  await dns.close();
  await silentDns.close();
});

const TLDS = [
  "com",
  "org",
  "xyz",
  "click",
  "cyou",
  "cz",
  "moscow",
  "top",
  "tube",
  "fr",
  "no",
  "design",
];

async function withRdap<T>(
  routes: Record<string, RdapRoute>,
  now: string,
  fn: (ctx: {
    rdap: RdapServer;
    checker: RdapChecker;
    check: (d: string) => Promise<DomainVerdict>;
    http: HttpClient;
    sleeps: number[];
  }) => Promise<T>,
  extra: Partial<RdapCheckerOptions> = {},
): Promise<T> {
  const rdap = await startRdapServer(routes);
  const sleeps: number[] = [];
  const http = client(sleeps);
  try {
    const checker = createRdapChecker({
      http,
      bootstrap: bootstrapFor(Object.fromEntries(TLDS.map((t) => [t, `${rdap.url}/rdap/`]))),
      dnsServer: dns.address,
      now: () => new Date(now),
      timeoutMs: 1_000,
      perOriginConcurrency: 4,
      ...extra,
    });
    // What the registry said, judged at the pinned clock as the scan judges it.
    const check = async (d: string) => judgeVerdict(await checker.check(d), new Date(now));
    return await fn({ rdap, checker, check, http, sleeps });
  } finally {
    await rdap.close();
  }
}

const ok = (file: string): RdapAnswer => ({ status: 200, body: fixture(file) });

describe("verdicts from real registry answers, clock pinned to the capture date", () => {
  it.each([
    // file, domain asked, capture date, state, created, expires
    [
      "verisign-com-google.com-related-registrar.json",
      "google.com",
      "2024-07-29",
      "registered",
      "1997-09-15T04:00:00.000Z",
      "2028-09-14T04:00:00.000Z",
    ],
    [
      "verisign-com-themarquetry.com-short-term.json",
      "themarquetry.com",
      "2022-01-20",
      "registered",
      "2021-03-16T17:07:37.000Z",
      "2022-03-16T17:07:37.000Z",
    ],
    [
      "pir-org-iana.org-related-registrar.json",
      "iana.org",
      "2026-08-01",
      "registered",
      "1995-06-05T04:00:00.772Z",
      "2027-12-08T17:00:53.000Z",
    ],
    [
      "centralnic-xyz-nic.xyz.json",
      "nic.xyz",
      "2024-06-12",
      "registered",
      "2013-09-11T11:58:06.000Z",
      "2024-09-11T23:59:59.000Z",
    ],
    [
      "click-microsoft.click.json",
      "microsoft.click",
      "2024-06-18",
      "registered",
      "2014-11-12T19:15:55.283Z",
      "2024-11-12T19:15:55.283Z",
    ],
    [
      "flexireg-moscow-home.moscow.json",
      "home.moscow",
      "2024-06-18",
      "registered",
      "2021-10-19T19:28:12.000Z",
      "2024-10-19T19:28:12.000Z",
    ],
    [
      "zdns-top-bitcoin.top.json",
      "bitcoin.top",
      "2021-04-17",
      "registered",
      "2014-11-17T16:00:29.000Z",
      "2021-11-17T16:00:29.000Z",
    ],
    [
      "nictube-tube-you.tube-related-registrar.json",
      "you.tube",
      "2021-04-16",
      "registered",
      "2016-04-17T11:31:13.000Z",
      "2022-04-16T23:59:59.000Z",
    ],
    [
      "afnic-fr-lemonde.fr.json",
      "lemonde.fr",
      "2024-06-17",
      "registered",
      "2005-08-02T14:16:36.000Z",
      "2025-06-09T22:08:09.000Z",
    ],
    [
      "afnic-fr-afnic.fr.json",
      "afnic.fr",
      "2023-03-07",
      "registered",
      "2001-12-10T23:00:00.000Z",
      "2029-07-18T08:26:59.000Z",
    ],
    [
      "cznic-cz-example.cz.json",
      "example.cz",
      "2017-09-30",
      "registered",
      "2004-08-30T22:55:00.000Z",
      "2019-08-30T12:00:00.000Z",
    ],
    [
      "norid-no-norway.no-no-expiration.json",
      "norway.no",
      "2021-06-10",
      "registered",
      "2017-01-24T12:09:23.000Z",
      undefined,
    ],
    [
      "namecheap-registrar-bitcoin.org.json",
      "bitcoin.org",
      "2021-05-07",
      "registered",
      "2008-08-18T13:19:55.000Z",
      "2029-08-18T13:19:55.000Z",
    ],
    [
      "markmonitor-registrar-abc.xyz.json",
      "abc.xyz",
      "2021-05-07",
      "registered",
      "2014-03-20T12:59:17.000Z",
      "2025-03-20T07:00:00.000Z",
    ],
    [
      "comlaude-registrar-amazon.cyou.json",
      "amazon.cyou",
      "2021-04-15",
      "registered",
      "2020-05-14T00:00:00.000Z",
      "2021-05-14T00:00:00.000Z",
    ],
  ])("%s reads as %s on %s", async (file, domain, now, state, created, expires) => {
    await withRdap({ [domain]: ok(file) }, `${now}T12:00:00Z`, async ({ rdap, check }) => {
      const verdict = await check(domain);
      expect(verdict).toMatchObject({
        domain,
        state,
        created,
        source: "rdap",
        server: `${rdap.url}/rdap/`,
      });
      expect(verdict.expires).toBe(expires);
      expect(verdict.errorCode).toBeUndefined();
      expect(verdict.statuses).toEqual(fixtureJson(file).status ?? []);
      expect(rdap.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /rdap/domain/${domain}`,
      ]);
    });
  });

  it("the same real .cz answer reads as expired once its expiration date (2019-08-30) has passed", async () => {
    await withRdap(
      { "example.cz": ok("cznic-cz-example.cz.json") },
      "2026-11-25T00:00:00Z",
      async ({ check }) => {
        expect(await check("example.cz")).toMatchObject({
          state: "expired",
          expires: "2019-08-30T12:00:00.000Z",
        });
      },
    );
  });

  it("a .no answer without an expiration event stays registered with no expiry, years later", async () => {
    await withRdap(
      { "norway.no": ok("norid-no-norway.no-no-expiration.json") },
      "2030-01-01T00:00:00Z",
      async ({ check }) => {
        const verdict = await check("norway.no");
        expect(verdict.state).toBe("registered");
        expect(verdict).not.toHaveProperty("expires");
      },
    );
  });

  it("asks for the canonical name: upper case and a trailing dot are normalised, IDNs become punycode", async () => {
    await withRdap(
      { "google.com": ok("verisign-com-google.com-related-registrar.json") },
      "2024-07-29T00:00:00Z",
      async ({ rdap, check }) => {
        expect((await check("GOOGLE.COM.")).state).toBe("registered");
        await check("bücher.com");
        expect(rdap.requests.map((r) => r.path)).toEqual([
          "/rdap/domain/google.com",
          "/rdap/domain/xn--bcher-kva.com",
        ]);
      },
    );
  });
});

describe("synthetic states, built by editing a real capture (themarquetry.com, Verisign)", () => {
  const BASE = "verisign-com-themarquetry.com-short-term.json";
  const NOW = "2022-01-20T12:00:00Z";
  const edited = (edit: (o: Record<string, unknown>) => void): RdapRoute => {
    const obj = fixtureJson(BASE);
    edit(obj);
    return { status: 200, body: obj };
  };

  it.each([
    // status strings as written by the registry, expected state
    [["redemption period", "pending delete"], "expired"],
    [["pending delete"], "expired"],
    [["pending restore", "pending delete"], "expired"],
    [["redemptionPeriod"], "expired"],
    [["client hold"], "on-hold"],
    [["clientHold"], "on-hold"],
    [["CLIENT-HOLD"], "on-hold"],
    [["client_hold"], "on-hold"],
    [["Server Hold"], "on-hold"],
    [["inactive"], "on-hold"],
    [["client hold", "redemption period", "pending delete"], "expired"],
    [["client transfer prohibited", "active"], "registered"],
  ])("status %j reads as %s", async (status, state) => {
    await withRdap(
      { "themarquetry.com": edited((o) => (o.status = status)) },
      NOW,
      async ({ check }) => {
        const verdict = await check("themarquetry.com");
        expect(verdict.state).toBe(state);
        expect(verdict.statuses).toEqual(status);
      },
    );
  });

  it("a reregistration event is reported as `reregistered`", async () => {
    const route = edited((o) => {
      (o.events as object[]).push({
        eventAction: "reregistration",
        eventDate: "2021-12-01T10:00:00Z",
      });
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
      expect(await check("themarquetry.com")).toMatchObject({
        state: "registered",
        created: "2021-03-16T17:07:37.000Z",
        reregistered: "2021-12-01T10:00:00.000Z",
      });
    });
  });

  it.each([
    "re-registration",
    "reRegistration",
    "Re-Registration",
    "re_registration",
    "Reregistration",
  ])("a %s event is the same reregistration", async (eventAction) => {
    const route = edited((o) => {
      (o.events as object[]).push({ eventAction, eventDate: "2021-12-01T10:00:00Z" });
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
      expect((await check("themarquetry.com")).reregistered).toBe("2021-12-01T10:00:00.000Z");
    });
  });

  it("a domain expiring in ten days is still registered and carries its expiry", async () => {
    const route = edited((o) => {
      o.events = [
        { eventAction: "registration", eventDate: "2021-03-16T17:07:37Z" },
        { eventAction: "expiration", eventDate: "2022-01-30T12:00:00Z" },
      ];
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
      expect(await check("themarquetry.com")).toMatchObject({
        state: "registered",
        expires: "2022-01-30T12:00:00.000Z",
      });
    });
  });

  it("redemption period with an expiration date still in the future is expired (the status wins)", async () => {
    const route = edited((o) => {
      o.status = ["redemption period", "pending delete"];
      o.events = [{ eventAction: "expiration", eventDate: "2023-01-20T00:00:00Z" }];
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
      expect(await check("themarquetry.com")).toMatchObject({
        state: "expired",
        expires: "2023-01-20T00:00:00.000Z",
      });
    });
  });

  it.each([["next year"], ["2022-13-45"], [""], [null]])(
    "an expiration event whose date %j cannot be read is unknown (malformed), neither registered nor expired",
    async (eventDate) => {
      const route = edited((o) => {
        o.events = [
          { eventAction: "registration", eventDate: "2021-03-16T17:07:37Z" },
          { eventAction: "expiration", eventDate },
        ];
      });
      await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
        const verdict = await check("themarquetry.com");
        expect(verdict).toMatchObject({ state: "unknown", errorCode: "malformed" });
        expect(verdict.error).toContain("expiration date");
      });
    },
  );

  it("an unreadable expiration date does not hide a hold or a pending delete", async () => {
    const hold = edited((o) => {
      o.status = ["client hold"];
      o.events = [{ eventAction: "expiration", eventDate: "soon" }];
    });
    const deleting = edited((o) => {
      o.status = ["pendingDelete"];
      o.events = [{ eventAction: "expiration", eventDate: "soon" }];
    });
    await withRdap({ "themarquetry.com": hold }, NOW, async ({ check }) => {
      expect((await check("themarquetry.com")).state).toBe("on-hold");
    });
    await withRdap({ "themarquetry.com": deleting }, NOW, async ({ check }) => {
      expect((await check("themarquetry.com")).state).toBe("expired");
    });
  });

  it("the registry record decides: a registrar's `related` record saying active is not followed", async () => {
    const route = edited((o) => {
      o.status = ["redemption period", "pending delete"];
      o.links = [
        {
          rel: "related",
          href: "http://127.0.0.1:9/registrar/domain/themarquetry.com",
          type: "application/rdap+json",
        },
      ];
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ rdap, check }) => {
      expect((await check("themarquetry.com")).state).toBe("expired");
      expect(rdap.requests.map((r) => r.path)).toEqual(["/rdap/domain/themarquetry.com"]);
    });
  });

  it("an expiration one second in the past is expired", async () => {
    const route = edited((o) => {
      o.events = [{ eventAction: "expiration", eventDate: "2022-01-20T11:59:59Z" }];
    });
    await withRdap({ "themarquetry.com": route }, NOW, async ({ check }) => {
      expect((await check("themarquetry.com")).state).toBe("expired");
    });
  });
});

describe("404: unregistered only when the registry says so and DNS agrees", () => {
  const NOW = "2021-12-17T12:00:00Z";
  const EMPTY_404: RdapRoute = {
    status: 404,
    body: "",
    headers: { "content-type": "application/rdap+json" },
  };

  it.each([
    ["a 429", { errorCode: 429, title: "Too Many Requests" }, "unknown"],
    ["a 503", { errorCode: 503, title: "Service Unavailable" }, "unknown"],
    ["a 404", { errorCode: 404, title: "Not Found" }, "unregistered"],
    ["no errorCode", { title: "Not Found" }, "unregistered"],
  ])("a 404 whose RDAP error body says %s reads as %s", async (_what, body, state) => {
    await withRdap(
      {
        "jsiqpmcurt.com": {
          status: 404,
          body,
          headers: { "content-type": "application/rdap+json" },
        },
      },
      NOW,
      async ({ check }) => {
        expect((await check("jsiqpmcurt.com")).state).toBe(state);
      },
    );
  });

  it("Verisign's 404 with an empty body and no DNS delegation is unregistered", async () => {
    await withRdap({ "jsiqpmcurt.com": EMPTY_404 }, NOW, async ({ rdap, check, checker }) => {
      expect(await check("jsiqpmcurt.com")).toMatchObject({
        state: "unregistered",
        dns: "no-delegation",
        server: `${rdap.url}/rdap/`,
      });
      expect(dns.queries).toContain("NS jsiqpmcurt.com");
      expect(checker.stats.dns).toBe(1);
    });
  });

  it("CentralNic's 404 with an RFC 9083 error body is unregistered", async () => {
    const route: RdapRoute = { status: 404, body: fixture("centralnic-design-404-notfound.json") };
    await withRdap({ "lapsed-example.design": route }, NOW, async ({ check }) => {
      expect(await check("lapsed-example.design")).toMatchObject({
        state: "unregistered",
        dns: "no-delegation",
      });
    });
  });

  it("a 302 to the registry that then answers 404 (as the rdap.org capture shows) is unregistered", async () => {
    const route: RdapRoute = (n): RdapAnswer =>
      n === 0
        ? { status: 302, headers: { location: "/verisign/com/v1/domain/jsiqpmcurt.com" } }
        : { status: 404, body: "", headers: { "content-type": "application/rdap+json" } };
    await withRdap({ "jsiqpmcurt.com": route }, NOW, async ({ rdap, check }) => {
      expect(await check("jsiqpmcurt.com")).toMatchObject({
        state: "unregistered",
        server: `${rdap.url}/verisign/com/v1/`,
      });
      expect(rdap.requests.map((r) => r.path)).toEqual([
        "/rdap/domain/jsiqpmcurt.com",
        "/verisign/com/v1/domain/jsiqpmcurt.com",
      ]);
    });
  });

  it("a 404 contradicted by a DNS delegation is unknown (dns-contradicts), never unregistered", async () => {
    await withRdap({ "delegated-but-404.com": EMPTY_404 }, NOW, async ({ check }) => {
      expect(await check("delegated-but-404.com")).toMatchObject({
        state: "unknown",
        errorCode: "dns-contradicts",
        error: "RDAP says not found but DNS delegation exists",
        dns: "delegated",
      });
    });
  });

  it("a 404 when DNS never answers stays unregistered and says DNS was not consulted", async () => {
    await withRdap(
      { "jsiqpmcurt.com": EMPTY_404 },
      NOW,
      async ({ check }) => {
        expect(await check("jsiqpmcurt.com")).toMatchObject({
          state: "unregistered",
          dns: "not-consulted",
        });
        expect(silentDns.queries).toContain("NS jsiqpmcurt.com");
      },
      { dnsServer: silentDns.address, timeoutMs: 150 },
    );
  });

  it("a redirector's own 404 (rdap.org: TLD not in its bootstrap) is unknown (no-rdap), not unregistered, even with DNS silent", async () => {
    const route: RdapRoute = {
      status: 404,
      body: fixture("rdaporg-404-tld-not-in-bootstrap.json"),
      headers: { "content-type": "application/rdap+json" },
    };
    await withRdap(
      { "lemonde.fr": route },
      NOW,
      async ({ check }) => {
        const verdict = await check("lemonde.fr");
        expect(verdict).toMatchObject({ state: "unknown", errorCode: "no-rdap" });
        expect(verdict.error).toContain("not the registry");
        expect(silentDns.queries).not.toContain("NS lemonde.fr");
      },
      { dnsServer: silentDns.address, timeoutMs: 150 },
    );
  });

  it("a 404 with an HTML page (a proxy, not the registry) is unknown, not unregistered", async () => {
    const route: RdapRoute = {
      status: 404,
      body: "<html><body>Not Found</body></html>",
      headers: { "content-type": "text/html" },
    };
    await withRdap({ "jsiqpmcurt.com": route }, NOW, async ({ check }) => {
      expect(await check("jsiqpmcurt.com")).toMatchObject({
        state: "unknown",
        errorCode: "malformed",
      });
    });
  });
});

describe("failures are unknown with a reason, never a registration state", () => {
  const NOW = "2024-07-29T12:00:00Z";
  const GOOGLE = "verisign-com-google.com-related-registrar.json";

  it("a TLD missing from the bootstrap is unknown (no-rdap) without any request", async () => {
    await withRdap({}, NOW, async ({ rdap, check }) => {
      expect(await check("example.io")).toMatchObject({ state: "unknown", errorCode: "no-rdap" });
      expect(rdap.requests).toEqual([]);
    });
  });

  it("no bootstrap at all: every verdict is unknown (bootstrap-failed) with the reason", async () => {
    const checker = createRdapChecker({
      http: client(),
      bootstrap: undefined,
      bootstrapError: "connection refused",
      now: () => new Date(NOW),
      timeoutMs: 100,
      perOriginConcurrency: 1,
    });
    const verdict = await checker.check("google.com");
    expect(verdict).toMatchObject({ state: "unknown", errorCode: "bootstrap-failed" });
    expect(verdict.error).toContain("connection refused");
  });

  it("429 with Retry-After then 200: exactly two requests, one clamped wait, a real verdict", async () => {
    const route: RdapRoute = (n) =>
      n === 0 ? { status: 429, headers: { "retry-after": "30" } } : ok(GOOGLE);
    await withRdap({ "google.com": route }, NOW, async ({ rdap, check, http, sleeps }) => {
      expect((await check("google.com")).state).toBe("registered");
      expect(rdap.requests.map((r) => r.path)).toEqual([
        "/rdap/domain/google.com",
        "/rdap/domain/google.com",
      ]);
      expect(sleeps).toEqual([10_000]);
      expect(http.stats).toMatchObject({ rdap: 2, retries: 1, rateLimited: 1 });
    });
  });

  describe("a 200 that does not show it is this domain's record is never judged (pending delete in each)", () => {
    const google = (edit: (o: Record<string, unknown>) => void): RdapRoute => {
      const obj = fixtureJson(GOOGLE);
      obj.status = ["pending delete"];
      edit(obj);
      return { status: 200, body: obj };
    };
    it.each([
      [
        "no ldhName, a unicodeName of another domain",
        (o: Record<string, unknown>) => {
          delete o.ldhName;
          o.unicodeName = "someone-else.com";
        },
      ],
      [
        "no ldhName nor unicodeName",
        (o: Record<string, unknown>) => {
          delete o.ldhName;
        },
      ],
      [
        "an ldhName that is not a string",
        (o: Record<string, unknown>) => {
          o.ldhName = ["google.com"];
        },
      ],
      [
        "an objectClassName that is not a string",
        (o: Record<string, unknown>) => {
          o.objectClassName = ["entity"];
        },
      ],
      [
        "an errorCode beside objectClassName domain",
        (o: Record<string, unknown>) => {
          o.errorCode = 404;
          o.title = "Not Found";
        },
      ],
    ])("%s: unknown (malformed)", async (_what, edit) => {
      await withRdap({ "google.com": google(edit) }, NOW, async ({ check }) => {
        expect(await check("google.com")).toMatchObject({
          state: "unknown",
          errorCode: "malformed",
        });
      });
    });

    it("the same answer with its ldhName is the registry's, and reads as expired", async () => {
      await withRdap({ "google.com": google(() => undefined) }, NOW, async ({ check }) => {
        expect((await check("google.com")).state).toBe("expired");
      });
    });
  });

  it("a redirect to another operator's host is unknown (redirected-away), whatever that host says", async () => {
    const other = await startRdapServer({
      "google.com": { status: 200, body: { ...fixtureJson(GOOGLE), status: ["pending delete"] } },
      "lapsed-example.com": { status: 404, body: "" },
    });
    try {
      // `localhost` is another host than the registry's 127.0.0.1.
      const away = (d: string): RdapRoute => ({
        status: 302,
        headers: { location: `${other.url.replace("127.0.0.1", "localhost")}/rdap/domain/${d}` },
      });
      await withRdap(
        { "google.com": away("google.com"), "lapsed-example.com": away("lapsed-example.com") },
        NOW,
        async ({ check }) => {
          for (const d of ["google.com", "lapsed-example.com"]) {
            const verdict = await check(d);
            expect(verdict).toMatchObject({ state: "unknown", errorCode: "redirected-away" });
            expect(verdict.error).toMatch(/redirected to localhost:\d+, another operator's host/);
          }
        },
      );
      // Not even asked: the registry's redirect is refused before it is followed.
      expect(other.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("a redirect on the registry's own host is followed", async () => {
    await withRdap(
      {
        "google.com": { status: 301, headers: { location: "/rdap/domain/moved.com" } },
        "moved.com": ok(GOOGLE),
      },
      NOW,
      async ({ check }) => {
        // The answer names google.com, which was asked for: it is read.
        expect((await check("google.com")).state).toBe("registered");
      },
    );
  });

  it("429 past the retry budget is unknown (rate-limited)", async () => {
    await withRdap(
      { "google.com": { status: 429, headers: { "retry-after": "1" } } },
      NOW,
      async ({ rdap, check }) => {
        expect(await check("google.com")).toMatchObject({
          state: "unknown",
          errorCode: "rate-limited",
        });
        expect(rdap.requests).toHaveLength(3);
      },
    );
  });

  it("500s then success gives the real verdict", async () => {
    const route: RdapRoute = (n) => (n < 2 ? { status: 500, body: "oops" } : ok(GOOGLE));
    await withRdap({ "google.com": route }, NOW, async ({ rdap, check }) => {
      expect((await check("google.com")).state).toBe("registered");
      expect(rdap.requests).toHaveLength(3);
    });
  });

  it.each([
    ["500 forever", { status: 500, body: "oops" }, "server-error"],
    ["503 forever", { status: 503 }, "server-error"],
    [
      "403 (a registry refusing a throttled client)",
      { status: 403, body: "forbidden" },
      "forbidden",
    ],
    ["400", { status: 400, body: "{}" }, "http-status"],
    [
      "malformed JSON",
      { status: 200, body: '{"objectClassName": "domain", "ldhName": ' },
      "malformed",
    ],
    [
      "an HTML page with 200 (wrong content type)",
      { status: 200, body: "<html>hi</html>", headers: { "content-type": "text/html" } },
      "malformed",
    ],
    [
      "JSON that is not a domain object",
      { status: 200, body: { objectClassName: "entity", handle: "X" } },
      "malformed",
    ],
    [
      "an RDAP error object with 200",
      { status: 200, body: fixture("rdaporg-404-tld-not-in-bootstrap.json") },
      "malformed",
    ],
    [
      "a domain object for another name",
      {
        status: 200,
        body: { objectClassName: "domain", ldhName: "evil.com", status: ["pending delete"] },
      },
      "malformed",
    ],
    ["a JSON array", { status: 200, body: "[]" }, "malformed"],
    ["JSON null", { status: 200, body: "null" }, "malformed"],
    ["a body over 5 MiB", { status: 200, body: " ".repeat(6 * 1024 * 1024) }, "too-large"],
    [
      "a redirect to itself",
      { status: 302, headers: { location: "/rdap/domain/google.com" } },
      "redirect-loop",
    ],
  ] as [string, RdapRoute, string][])("%s is unknown (%s)", async (_name, route, code) => {
    await withRdap({ "google.com": route }, NOW, async ({ check }) => {
      const verdict = await check("google.com");
      expect(verdict).toMatchObject({ state: "unknown", errorCode: code, statuses: [] });
      expect(verdict.error).toBeTruthy();
    });
  });

  it("an answer that stalls past the timeout is unknown (timeout), after 1 + retries requests", async () => {
    const rdap = await startRdapServer({
      "google.com": { status: 200, body: "{}", delayMs: 1_000 },
    });
    try {
      const checker = createRdapChecker({
        http: client([], 100),
        bootstrap: bootstrapFor({ com: `${rdap.url}/` }),
        now: () => new Date(NOW),
        timeoutMs: 100,
        perOriginConcurrency: 1,
      });
      expect(await checker.check("google.com")).toMatchObject({
        state: "unknown",
        errorCode: "timeout",
      });
      expect(rdap.requests).toHaveLength(3);
    } finally {
      await rdap.close();
    }
  });

  it("a server that is not listening is unknown (unreachable, not retried)", async () => {
    const gone = await startServer((_req, res) => res.end());
    const url = gone.url;
    await gone.close();
    const checker = createRdapChecker({
      http: client(),
      bootstrap: bootstrapFor({ com: `${url}/` }),
      now: () => new Date(NOW),
      timeoutMs: 500,
      perOriginConcurrency: 1,
    });
    expect(await checker.check("google.com")).toMatchObject({
      state: "unknown",
      errorCode: "unreachable",
      error: expect.stringContaining("connection refused (ECONNREFUSED)"),
    });
  });
});

describe("scheduling", () => {
  const NOW = "2024-07-29T12:00:00Z";

  it("two checks of one domain in flight make one request", async () => {
    const route: RdapRoute = {
      ...ok("verisign-com-google.com-related-registrar.json"),
      delayMs: 50,
    };
    await withRdap({ "google.com": route }, NOW, async ({ rdap, checker }) => {
      const [a, b] = await Promise.all([checker.check("google.com"), checker.check("Google.com.")]);
      expect(a).toBe(b);
      expect(rdap.requests).toHaveLength(1);
    });
  });

  it("keeps at most `perOriginConcurrency` requests in flight at one RDAP origin", async () => {
    const domains = Array.from({ length: 12 }, (_, i) => `d${i}.com`);
    const routes = Object.fromEntries(
      domains.map((d) => [d, { status: 404, delayMs: 40 } as RdapRoute]),
    );
    await withRdap(
      routes,
      NOW,
      async ({ rdap, check }) => {
        await Promise.all(domains.map((d) => check(d)));
        expect(rdap.requests).toHaveLength(12);
        expect(rdap.maxInFlight).toBe(3);
      },
      { perOriginConcurrency: 3 },
    );
  });
});

describe("loadBootstrap", () => {
  it("loads IANA's real file from a URL once and adds the supplement's ccTLDs", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(fixture("bootstrap-dns.json"));
    });
    try {
      const http = client();
      const result = await loadBootstrap(`${server.url}/rdap/dns.json`, http, "/");
      expect(result.ok).toBe(true);
      const data = (result as { data: BootstrapData }).data;
      const urlFor = (tld: string) => data.services.find((s) => s[0]!.includes(tld))?.[1];
      expect(urlFor("com")).toEqual(["https://rdap.verisign.com/com/v1/"]);
      expect(urlFor("io")).toEqual(["https://rdap.identitydigital.services/rdap/"]);
      expect(urlFor("de")).toEqual(["https://rdap.denic.de/"]);
      expect(server.requests.map((r) => r.path)).toEqual(["/rdap/dns.json"]);
      expect(http.stats.bootstrap).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("a bootstrap URL's user:password@ is in no error, though the server refused it", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no");
    });
    try {
      const url = `${server.url.replace("http://", "http://ci:s3cret@")}/rdap/dns.json`;
      const result = await loadBootstrap(url, client(), "/");
      expect(result.ok).toBe(false);
      const error = (result as { error: string }).error;
      expect(error).toContain("/rdap/dns.json");
      expect(error).not.toContain("s3cret");
      // It was sent, as Basic, to that server.
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("the bootstrap wins over the supplement where both list a TLD", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mdg-bootstrap-"));
    await writeFile(
      join(dir, "dns.json"),
      JSON.stringify(bootstrapFor({ io: "https://rdap.example.test/io/" })),
    );
    const result = await loadBootstrap("dns.json", client(), dir);
    expect(result.ok).toBe(true);
    const data = (result as { data: BootstrapData }).data;
    expect(data.services.filter((s) => s[0]!.includes("io"))).toEqual([
      [["io"], ["https://rdap.example.test/io/"]],
    ]);
  });

  it.each([
    ["not JSON", "<html>", "not JSON"],
    ["no services", '{"version": "1.0"}', 'no "services"'],
    ["services of the wrong shape", '{"services": [["com", "x"]]}', "no usable RDAP services"],
  ])("a bootstrap file that is %s is refused with a reason", async (_name, text, reason) => {
    const dir = await mkdtemp(join(tmpdir(), "mdg-bootstrap-"));
    await writeFile(join(dir, "dns.json"), text);
    const result = await loadBootstrap("dns.json", client(), dir);
    expect(result.ok).toBe(false);
    expect((result as { error: string }).error).toContain(reason);
  });

  it("an unreachable bootstrap URL and a missing file are errors, not throws", async () => {
    const gone = await startServer((_req, res) => res.end());
    await gone.close();
    const byUrl = await loadBootstrap(`${gone.url}/dns.json`, client(), "/");
    expect(byUrl).toMatchObject({ ok: false });
    expect((byUrl as { error: string }).error).toContain("[unreachable]");
    const byFile = await loadBootstrap("missing.json", client(), tmpdir());
    expect(byFile).toMatchObject({ ok: false });
    expect((byFile as { error: string }).error).toContain("ENOENT");
  });
});

describe("status and date spellings", () => {
  it.each([
    ["clientHold", "clienthold"],
    ["client hold", "clienthold"],
    ["CLIENT-HOLD", "clienthold"],
    ["client_hold", "clienthold"],
    ["Redemption  Period", "redemptionperiod"],
  ])("%j normalises to %j", (input, expected) => {
    expect(normalizeStatus(input)).toBe(expected);
  });

  it.each([
    ["2028-09-14T04:00:00Z", "2028-09-14T04:00:00.000Z"], // Verisign
    ["2024-09-11T23:59:59.0Z", "2024-09-11T23:59:59.000Z"], // CentralNic, one fraction digit
    ["2024-06-12T22:09:39.881923Z", "2024-06-12T22:09:39.881Z"], // AFNIC, microseconds
    ["2019-08-30T12:00:00+00:00", "2019-08-30T12:00:00.000Z"], // CZ.NIC
    ["2024-06-18T22:01:39+03:00", "2024-06-18T19:01:39.000Z"], // Flexireg
    ["2028-09-13T07:00:00.000+0000", "2028-09-13T07:00:00.000Z"], // MarkMonitor, no colon
    ["2021-05-07T02:36:33", "2021-05-07T02:36:33.000Z"], // Namecheap, no zone: UTC
    ["2021-05-07", "2021-05-07T00:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"], // a leap day is a day
  ])("%s parses to %s", (input, expected) => {
    expect(parseRdapDate(input)).toBe(expected);
  });

  it.each([
    ["yesterday"],
    [""],
    ["2021-13-45T00:00:00Z"],
    [12345],
    [null],
    // Days and times the calendar does not have: Date.parse would move them on a day.
    ["2024-02-30T00:00:00Z"],
    ["2023-02-29"],
    ["2024-04-31T12:00:00Z"],
    ["2024-01-01T24:00:00Z"],
    ["2024-01-01T23:60:00Z"],
  ])("%j is not a date", (input) => {
    expect(parseRdapDate(input)).toBeUndefined();
  });
});
