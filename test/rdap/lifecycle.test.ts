// The domain lifecycle as registries publish it, end to end through the RDAP checker: a
// loopback registry serving the captures in test/fixtures/rdap/ (real ones, and the `derived-…`
// files whose one edit SOURCES.md names), a second loopback server as the registrar, and the
// assessment at a clock pinned to each capture's date. The HttpClient's transport refuses every
// host but 127.0.0.1, so a registrar link to a real server fails the way a dead registrar does,
// and no test reaches the network.
import { directTransport, type Transport } from "../../src/net/transport.js";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { judgeVerdict, needsRegistrarRecord } from "../../src/assess/lifecycle.js";
import { assess } from "../../src/assess/risk.js";
import { canonicalDomain } from "../../src/domains/canonical.js";
import { HttpClient } from "../../src/net/http.js";
import { createRdapChecker, type RdapCheckerOptions } from "../../src/rdap/client.js";
import type { DomainVerdict, Finding } from "../../src/types.js";
import {
  bootstrapFor,
  fixture,
  fixtureJson,
  startRdapServer,
  type RdapAnswer,
  type RdapServer,
} from "../servers/rdap.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/rdap/", import.meta.url));

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
  "pw",
];

/**
 * Capture dates of the files without a `last update of RDAP database` event: the commit date of
 * their source (README.md and SOURCES.md of the fixtures).
 */
const COMMIT_DATES: Record<string, string> = {
  "afnic-fr-lemonde.fr.json": "2024-06-17T00:00:00Z",
  "afnic-fr-afnic.fr.json": "2023-03-07T00:00:00Z",
  "cznic-cz-example.cz.json": "2017-09-30T00:00:00Z",
  "norid-no-norway.no-no-expiration.json": "2021-06-10T00:00:00Z",
};

/** The original a derived file was made from: its name after `-from-`. */
function originalOf(file: string): string {
  return file.startsWith("derived-") ? file.slice(file.indexOf("-from-") + "-from-".length) : file;
}

/** When the answer was captured (a derived file: when its original was). */
function captureDate(file: string): string {
  const original = originalOf(file);
  const events = (fixtureJson(original).events ?? []) as {
    eventAction: string;
    eventDate: string;
  }[];
  const snapshot = events.find((e) => e.eventAction === "last update of RDAP database");
  const date = snapshot?.eventDate ?? COMMIT_DATES[original];
  if (!date) throw new Error(`no capture date known for ${file}`);
  // Namecheap's dates have no zone: read as UTC, as the reader does.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(date) ? date : `${date}Z`).toISOString();
}

function domainOf(file: string): string {
  return canonicalDomain(String(fixtureJson(file).ldhName));
}

/** Every URL the HttpClient tried to reach that is not loopback (refused, never sent). */
const refused: string[] = [];

const direct = directTransport();
const loopbackOnly: Transport = (request) => {
  if (request.url.hostname !== "127.0.0.1") {
    refused.push(request.url.href);
    return Promise.reject(new TypeError(`${request.url.host} is not a loopback test server`));
  }
  return direct(request);
};

function client() {
  return new HttpClient({
    transport: loopbackOnly,
    userAgent: "maintainer-domain-guard-test",
    timeoutMs: 2_000,
    retries: 1,
    maxRetryWaitMs: 1_000,
    backoffBaseMs: 1,
    random: () => 0.5,
    sleep: async () => {},
  });
}

interface Judged {
  verdict: DomainVerdict;
  findings: Finding[];
  registry: RdapServer;
  registrar: RdapServer;
}

interface Case {
  /** The registry's answer (a fixture file name, or an edited object). */
  answer: string | Record<string, unknown>;
  domain: string;
  now: string;
  /** The registrar server's answer for the domain; its URL replaces the `related` link. */
  registrarAnswer?: RdapAnswer;
  /** Point the `related` link at the registry's own server instead. */
  relatedToRegistry?: boolean;
  lastReleaseAt?: string;
  checker?: Partial<RdapCheckerOptions>;
}

/** Look the domain up as the scan does (registrar follow on demand), judge it, assess it. */
async function judge(c: Case): Promise<Judged> {
  let body: string | Record<string, unknown> =
    typeof c.answer === "string" ? fixture(c.answer) : c.answer;
  const registry = await startRdapServer({ [c.domain]: () => ({ status: 200, body }) });
  const registrar = await startRdapServer(
    c.registrarAnswer ? { [c.domain]: c.registrarAnswer } : {},
  );
  try {
    if (c.registrarAnswer || c.relatedToRegistry) {
      // The `related` link is pointed at a loopback server here (the edit is made in the test).
      const obj = typeof body === "string" ? (JSON.parse(body) as Record<string, unknown>) : body;
      const base = c.relatedToRegistry ? registry.url : registrar.url;
      obj.links = ((obj.links ?? []) as Record<string, unknown>[]).map((l) =>
        l.rel === "related" ? { ...l, href: `${base}/rdap/domain/${c.domain.toUpperCase()}` } : l,
      );
      body = obj;
    }
    const now = new Date(c.now);
    const checker = createRdapChecker({
      http: client(),
      bootstrap: bootstrapFor(Object.fromEntries(TLDS.map((t) => [t, `${registry.url}/rdap/`]))),
      now: () => now,
      timeoutMs: 2_000,
      perOriginConcurrency: 2,
      wantsRegistrar: needsRegistrarRecord,
      allowHttpRegistrar: true,
      checkDelegation: async () => "no-delegation",
      ...c.checker,
    });
    const verdict = judgeVerdict(await checker.check(c.domain), now);
    const findings = assess({
      dependencies: [
        {
          name: "pkg",
          version: "1.0",
          file: "requirements.txt",
          line: 1,
          format: "requirements",
          kind: "pypi",
        },
      ],
      packages: new Map([
        [
          "pkg",
          {
            name: "pkg",
            status: "ok" as const,
            latestVersion: "1.0",
            lastReleaseAt: c.lastReleaseAt ?? c.now,
            emails: [
              { address: `dev@${c.domain}`, field: "maintainer_email" as const, domain: c.domain },
            ],
          },
        ],
      ]),
      verdicts: new Map([[c.domain, verdict]]),
      now,
      expiryWarningDays: 30,
    });
    return { verdict, findings, registry, registrar };
  } finally {
    await registry.close();
    await registrar.close();
  }
}

const kinds = (findings: Finding[]) => findings.map((f) => f.kind);

/** Every real domain answer in the fixtures folder (not derived, not an error body or bootstrap). */
const REAL_CAPTURES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json") && !f.startsWith("derived-"))
  .filter((f) => fixtureJson(f).objectClassName === "domain");

describe("no new false alarm: every real healthy capture, at its capture date", () => {
  it("covers every real capture in the folder", () => {
    expect(REAL_CAPTURES.length).toBeGreaterThanOrEqual(17);
  });

  it.each(REAL_CAPTURES)("%s", async (file) => {
    const domain = domainOf(file);
    const { verdict, findings } = await judge({ answer: file, domain, now: captureDate(file) });
    // amazon.cyou was captured 29 days before its expiry: the one true finding in the folder.
    const expected = file === "comlaude-registrar-amazon.cyou.json" ? ["domain-expiring"] : [];
    expect(kinds(findings)).toEqual(expected);
    expect(["registered"]).toContain(verdict.state);
  });

  it.each([
    ["derived-renew-period-from-flexireg-moscow-home.moscow.json", []],
    ["derived-add-period-from-zdns-top-bitcoin.top.json", []],
    ["derived-transfer-period-recent-transfer-from-pir-org-iana.org-related-registrar.json", []],
    // pending transfer on amazon.cyou: still only the coming expiry, nothing from the status.
    ["derived-pending-transfer-from-comlaude-registrar-amazon.cyou.json", ["domain-expiring"]],
  ])("%s (derived: one status added) gives %j", async (file, expected) => {
    const domain = domainOf(file);
    const { verdict, findings } = await judge({ answer: file, domain, now: captureDate(file) });
    expect(kinds(findings)).toEqual(expected);
    expect(verdict.unknownStatuses).toEqual([]);
  });

  it("follows no registrar link for a healthy domain far from its anniversary", async () => {
    const { registrar, findings, verdict } = await judge({
      answer: "verisign-com-google.com-related-registrar.json",
      domain: "google.com",
      now: captureDate("verisign-com-google.com-related-registrar.json"),
      registrarAnswer: { status: 200, body: fixture("markmonitor-registrar-google.com.json") },
    });
    expect(findings).toEqual([]);
    expect(registrar.requests).toEqual([]);
    expect(verdict.registrar).toBeUndefined();
  });
});

describe("domain-grace: a Verisign-shaped answer in auto renew period", () => {
  const FILE = "derived-auto-renew-from-verisign-com-google.com-related-registrar.json";
  const NOW = captureDate(FILE); // 2024-07-29; the derived expiry 2025-06-30 was moved a year on 2024-06-30

  it("without a registrar answer (its real HTTPS link cannot be reached): domain-grace, and says why", async () => {
    refused.length = 0;
    const { findings, verdict } = await judge({ answer: FILE, domain: "google.com", now: NOW });
    expect(kinds(findings)).toEqual(["domain-grace"]);
    expect(findings[0]?.severity).toBe("high");
    expect(verdict.state).toBe("grace");
    // One hop to the registrar named by the registry, tried once and retried once.
    expect(refused).toEqual([
      "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM",
      "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM",
    ]);
    expect(verdict.registrar).toMatchObject({
      url: "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM",
      errorCode: "network",
    });
    expect(findings[0]?.evidence).toContain("anniversary on 2024-06-30");
    expect(findings[0]?.evidence).toContain("moved the expiry to 2025-06-30");
    expect(findings[0]?.evidence).toContain(
      "the registrar's record was not used (rdap.markmonitor.com)",
    );
  });

  it("with the registrar's record showing its term ended (derived): domain-expired", async () => {
    const { findings, verdict, registrar } = await judge({
      answer: FILE,
      domain: "google.com",
      now: NOW,
      registrarAnswer: {
        status: 200,
        body: fixture(
          "derived-registrar-expiration-past-from-markmonitor-registrar-google.com.json",
        ),
      },
    });
    expect(registrar.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /rdap/domain/GOOGLE.COM",
    ]);
    expect(kinds(findings)).toEqual(["domain-expired"]);
    expect(verdict.state).toBe("expired");
    expect(verdict.registrar?.expires).toBe("2024-06-30T07:00:00.000Z");
    expect(findings[0]?.evidence).toContain("the registrar's term ended 2024-06-30");
    expect(findings[0]?.evidence).toContain("auto renew period");
  });

  it("with the registrar's record showing a renewed term in the future (derived): no finding", async () => {
    const { findings, verdict, registrar } = await judge({
      answer: FILE,
      domain: "google.com",
      now: NOW,
      registrarAnswer: {
        status: 200,
        body: fixture(
          "derived-registrar-expiration-future-from-markmonitor-registrar-google.com.json",
        ),
      },
    });
    expect(registrar.requests).toHaveLength(1);
    expect(findings).toEqual([]);
    expect(verdict.state).toBe("registered");
    expect(verdict.registrar?.expires).toBe("2028-09-13T07:00:00.000Z");
  });

  it("with the real registrar answer, which has no domain-level registrar expiration: domain-grace", async () => {
    const { findings, verdict } = await judge({
      answer: FILE,
      domain: "google.com",
      now: NOW,
      registrarAnswer: { status: 200, body: fixture("markmonitor-registrar-google.com.json") },
    });
    expect(kinds(findings)).toEqual(["domain-grace"]);
    // The registrar's own `expiration` is the registry's date again: it decides nothing.
    expect(verdict.registrar?.expires).toBeUndefined();
    expect(findings[0]?.evidence).toContain("gives no `registrar expiration`");
  });

  it.each<[string, RdapAnswer, string, number]>([
    ["a 500 (retried once)", { status: 500, body: "" }, "server-error", 2],
    ["a 404", { status: 404, body: "" }, "http-status", 1],
    ["a 501 (not retried: permanent)", { status: 501, body: "" }, "http-status", 1],
    ["an HTML page", { status: 200, body: "<html>hi</html>" }, "malformed", 1],
    [
      "an answer about another name (real google.pw registrar capture)",
      {
        status: 200,
        body: fixture("markmonitor-registrar-google.pw-entity-registrar-expiration.json"),
      },
      "malformed",
      1,
    ],
  ])(
    "a registrar that answers %s leaves the registry's verdict, said in the evidence",
    async (_what, answer, code, requests) => {
      const { findings, verdict, registrar } = await judge({
        answer: FILE,
        domain: "google.com",
        now: NOW,
        registrarAnswer: answer,
      });
      expect(kinds(findings)).toEqual(["domain-grace"]);
      expect(verdict.registrar?.errorCode).toBe(code);
      expect(registrar.requests).toHaveLength(requests);
      expect(findings[0]?.evidence).toContain("the registrar's record was not used");
    },
  );

  it("follows HTTPS links only unless told otherwise: a plain http link is not requested", async () => {
    const { findings, verdict, registrar } = await judge({
      answer: FILE,
      domain: "google.com",
      now: NOW,
      registrarAnswer: { status: 200, body: fixture("markmonitor-registrar-google.com.json") },
      checker: { allowHttpRegistrar: false },
    });
    expect(registrar.requests).toEqual([]);
    expect(verdict.registrar?.errorCode).toBe("not-https");
    expect(kinds(findings)).toEqual(["domain-grace"]);
  });

  it("does not follow a link back to the registry's own host", async () => {
    const { verdict, registry } = await judge({
      answer: FILE,
      domain: "google.com",
      now: NOW,
      relatedToRegistry: true,
    });
    expect(verdict.registrar?.errorCode).toBe("same-host");
    expect(registry.requests).toHaveLength(1);
  });

  it("client hold beside auto renew period (derived .com short term): domain-grace wins, hold named", async () => {
    const file =
      "derived-auto-renew-client-hold-from-verisign-com-themarquetry.com-short-term.json";
    // SOURCES.md: the capture snapshot predates the state shown; pinned to 2022-04-01.
    const { findings } = await judge({
      answer: file,
      domain: "themarquetry.com",
      now: "2022-04-01T00:00:00Z",
    });
    expect(kinds(findings)).toEqual(["domain-grace"]);
    expect(findings[0]?.evidence).toContain("anniversary on 2022-03-16");
    expect(findings[0]?.evidence).toContain("also client hold");
  });
});

describe("registrar follow within 45 days of the expiry anniversary, without the status", () => {
  // Real Verisign google.com, with one edit made here: expiration 2028-09-14 -> 2025-07-10, so
  // the anniversary 2024-07-10 lies 19 days before the capture (a registry that auto-renews
  // without publishing `auto renew period`).
  const answer = fixtureJson("verisign-com-google.com-related-registrar.json");
  answer.events = (answer.events as { eventAction: string; eventDate: string }[]).map((e) =>
    e.eventAction === "expiration" ? { ...e, eventDate: "2025-07-10T04:00:00Z" } : e,
  );
  const NOW = captureDate("verisign-com-google.com-related-registrar.json");

  it("a registrar term that ended makes it domain-expired", async () => {
    const { findings, registrar } = await judge({
      answer,
      domain: "google.com",
      now: NOW,
      registrarAnswer: {
        status: 200,
        body: fixture(
          "derived-registrar-expiration-past-from-markmonitor-registrar-google.com.json",
        ),
      },
    });
    expect(registrar.requests).toHaveLength(1);
    expect(kinds(findings)).toEqual(["domain-expired"]);
  });

  it("a registrar record without registrar expiration leaves it clean", async () => {
    const { findings, registrar } = await judge({
      answer,
      domain: "google.com",
      now: NOW,
      registrarAnswer: { status: 200, body: fixture("markmonitor-registrar-google.com.json") },
    });
    expect(registrar.requests).toHaveLength(1);
    expect(findings).toEqual([]);
  });
});

describe("domain-transferred: a transfer event after the latest upload", () => {
  it("the derived recent transfer (3 days before capture), last release three months before", async () => {
    const file =
      "derived-transfer-period-recent-transfer-from-pir-org-iana.org-related-registrar.json";
    const { findings, verdict } = await judge({
      answer: file,
      domain: "iana.org",
      now: captureDate(file),
      lastReleaseAt: "2026-05-01T00:00:00Z",
    });
    expect(verdict.transferred).toBe("2026-07-29T20:22:11.191Z");
    expect(kinds(findings)).toEqual(["domain-transferred"]);
    expect(findings[0]?.severity).toBe("medium");
    expect(findings[0]?.evidence).toContain("transfer 2026-07-29");
  });

  it("the real PIR answer (transfer 2018) for a package last released in 2017", async () => {
    const file = "pir-org-iana.org-related-registrar.json";
    const { findings } = await judge({
      answer: file,
      domain: "iana.org",
      now: captureDate(file),
      lastReleaseAt: "2017-03-01T00:00:00Z",
    });
    expect(kinds(findings)).toEqual(["domain-transferred"]);
  });

  it("the real AFNIC answer (transfer 2022-06-09) for a package released after it: nothing", async () => {
    const { findings } = await judge({
      answer: "afnic-fr-lemonde.fr.json",
      domain: "lemonde.fr",
      now: captureDate("afnic-fr-lemonde.fr.json"),
      lastReleaseAt: "2023-01-01T00:00:00Z",
    });
    expect(findings).toEqual([]);
  });
});

describe("registries' own words, each on a derived capture at its capture date", () => {
  it.each([
    ["derived-nl-in-quarantaine-from-cznic-cz-example.cz.json", "example.cz", "domain-expired"],
    ["derived-eu-quarantine-from-cznic-cz-example.cz.json", "example.cz", "domain-expired"],
    ["derived-ee-deletecandidate-from-cznic-cz-example.cz.json", "example.cz", "domain-expired"],
    ["derived-expired-from-cznic-cz-example.cz.json", "example.cz", "domain-expired"],
    ["derived-suspended-from-cznic-cz-example.cz.json", "example.cz", "domain-on-hold"],
    [
      "derived-de-redemption-period-from-norid-no-norway.no-no-expiration.json",
      "norway.no",
      "domain-expired",
    ],
    [
      "derived-de-transit-from-norid-no-norway.no-no-expiration.json",
      "norway.no",
      "domain-expired",
    ],
    // The expiry (2029) is ahead: the status alone decides.
    ["derived-uk-renewal-required-from-afnic-fr-afnic.fr.json", "afnic.fr", "domain-expired"],
    ["derived-url-form-statuses-from-centralnic-xyz-nic.xyz.json", "nic.xyz", "domain-expired"],
  ])("%s -> %s", async (file, domain, kind) => {
    const { findings, verdict } = await judge({ answer: file, domain, now: captureDate(file) });
    expect(kinds(findings)).toEqual([kind]);
    expect(verdict.unknownStatuses).toEqual([]);
  });

  it("a 'being released' 200 (rdapper: not registered) is domain-expired, not lookup-failed", async () => {
    const file = "derived-pending-release-from-cznic-cz-example.cz.json";
    const { findings, verdict, registry } = await judge({
      answer: file,
      domain: "example.cz",
      now: captureDate(file),
    });
    expect(registry.requests).toHaveLength(1);
    expect(verdict.state).toBe("expired");
    expect(verdict.statuses).toEqual(["pending release"]);
    expect(kinds(findings)).toEqual(["domain-expired"]);
    expect(findings[0]?.evidence).toContain("status pending release");
  });

  it("a 'being released' 200 for another name is still lookup-failed", async () => {
    const answer = fixtureJson("derived-pending-release-from-cznic-cz-example.cz.json");
    answer.ldhName = "example.com";
    const { findings, verdict } = await judge({
      answer,
      domain: "example.cz",
      now: COMMIT_DATES["cznic-cz-example.cz.json"]!,
    });
    expect(verdict.errorCode).toBe("malformed");
    expect(kinds(findings)).toEqual(["lookup-failed"]);
  });
});

describe("expiry under other names, from the domain's own events only", () => {
  it("`Record expires` (.kg's word; derived .top answer)", async () => {
    const file = "derived-record-expires-from-zdns-top-bitcoin.top.json";
    const { verdict, findings } = await judge({
      answer: file,
      domain: "bitcoin.top",
      now: captureDate(file),
    });
    expect(verdict).toMatchObject({
      expires: "2021-11-17T16:00:29.000Z",
      expiresFrom: "record expires",
    });
    expect(findings).toEqual([]);
  });

  it("`soft expiration` (.is's word; derived .top answer): read as the expiry, and a passed one is a lapse", async () => {
    const file = "derived-soft-expiration-from-zdns-top-bitcoin.top.json";
    const atCapture = await judge({ answer: file, domain: "bitcoin.top", now: captureDate(file) });
    expect(atCapture.verdict).toMatchObject({
      expires: "2021-11-17T16:00:29.000Z",
      expiresFrom: "soft expiration",
    });
    expect(atCapture.findings).toEqual([]);
    // The same answer read 60 days after that date: passed, and not "publishes no expiry".
    const later = await judge({
      answer: file,
      domain: "bitcoin.top",
      now: "2022-01-16T00:00:00.000Z",
    });
    expect(kinds(later.findings)).toEqual(["domain-expired"]);
  });

  it("a `status` sent as one string, not a list, is still read (a real answer, edited)", async () => {
    const answer = JSON.parse(fixture("zdns-top-bitcoin.top.json")) as Record<string, unknown>;
    answer.status = "redemption period";
    const { verdict, findings } = await judge({
      answer,
      domain: "bitcoin.top",
      now: captureDate("zdns-top-bitcoin.top.json"),
    });
    expect(verdict.statuses).toEqual(["redemption period"]);
    expect(kinds(findings)).toEqual(["domain-expired"]);
  });

  it("`expiration date` (derived .fr answer)", async () => {
    const file = "derived-expiration-date-eventaction-from-afnic-fr-afnic.fr.json";
    const { verdict } = await judge({ answer: file, domain: "afnic.fr", now: captureDate(file) });
    expect(verdict).toMatchObject({
      expires: "2029-07-18T08:26:59.000Z",
      expiresFrom: "expiration date",
    });
  });

  it("only `registrar expiration` (derived registrar answer): it is the expiry, and here it passed", async () => {
    const file = "derived-registrar-expiration-past-from-markmonitor-registrar-google.com.json";
    const { verdict, findings } = await judge({
      answer: file,
      domain: "google.com",
      now: captureDate(file),
    });
    expect(verdict.expires).toBe("2024-06-30T07:00:00.000Z");
    expect(kinds(findings)).toEqual(["domain-expired"]);
    expect(findings[0]?.evidence).toContain("(from `registrar expiration`)");
  });

  it("the registry's own `expiration` wins over a `registrar expiration` beside it (edit made here)", async () => {
    const answer = fixtureJson("markmonitor-registrar-google.com.json");
    answer.events = [
      ...(answer.events as object[]),
      { eventAction: "registrar expiration", eventDate: "2024-06-30T07:00:00.000+0000" },
    ];
    const { verdict, findings } = await judge({
      answer,
      domain: "google.com",
      now: captureDate("markmonitor-registrar-google.com.json"),
    });
    expect(verdict.expires).toBe("2028-09-13T07:00:00.000Z");
    expect(verdict.registrarExpires).toBe("2024-06-30T07:00:00.000Z");
    expect(findings).toEqual([]);
  });

  it("an entity's `registrar expiration` is not the domain's (real google.pw registrar capture)", async () => {
    const file = "markmonitor-registrar-google.pw-entity-registrar-expiration.json";
    const { verdict, findings } = await judge({
      answer: file,
      domain: "google.pw",
      now: captureDate(file),
    });
    expect(verdict.expires).toBe("2022-02-10T08:00:00.000Z");
    expect(verdict.registrarExpires).toBeUndefined();
    expect(findings).toEqual([]);
  });
});

describe("statuses the vocabulary does not know, and what cannot be seen", () => {
  it("AFNIC's `server recover prohibited` (real) is surfaced and gives no finding", async () => {
    const { verdict, findings } = await judge({
      answer: "afnic-fr-lemonde.fr.json",
      domain: "lemonde.fr",
      now: captureDate("afnic-fr-lemonde.fr.json"),
    });
    expect(verdict.unknownStatuses).toEqual(["server recover prohibited"]);
    expect(findings).toEqual([]);
  });

  it("an invented status on a real capture is surfaced as written, never a finding", async () => {
    const answer = fixtureJson("cznic-cz-example.cz.json");
    answer.status = ["Registrar-Lock Pending Review"];
    const { verdict, findings } = await judge({
      answer,
      domain: "example.cz",
      now: COMMIT_DATES["cznic-cz-example.cz.json"]!,
    });
    expect(verdict.state).toBe("registered");
    expect(verdict.unknownStatuses).toEqual(["Registrar-Lock Pending Review"]);
    expect(findings).toEqual([]);
  });
});

describe("the answer must describe the name asked", () => {
  it.each([
    ["GOOGLE.COM.", "registered"],
    ["google.pw", "unknown"],
  ])("ldhName %j for google.com -> %s", async (ldhName, state) => {
    const answer = fixtureJson("verisign-com-google.com-related-registrar.json");
    answer.ldhName = ldhName;
    const { verdict, findings } = await judge({
      answer,
      domain: "google.com",
      now: captureDate("verisign-com-google.com-related-registrar.json"),
    });
    expect(verdict.state).toBe(state);
    if (state === "unknown") expect(kinds(findings)).toEqual(["lookup-failed"]);
  });

  it("a 501 from the registry is not retried", async () => {
    const server = await startRdapServer({ "google.com": { status: 501, body: "" } });
    try {
      const checker = createRdapChecker({
        http: client(),
        bootstrap: bootstrapFor({ com: `${server.url}/rdap/` }),
        now: () => new Date("2024-07-29T00:00:00Z"),
        timeoutMs: 2_000,
        perOriginConcurrency: 2,
      });
      const verdict = await checker.check("google.com");
      expect(server.requests).toHaveLength(1);
      expect(verdict).toMatchObject({ state: "unknown", errorCode: "http-status" });
    } finally {
      await server.close();
    }
  });
});
