// The lapse vocabulary and the lifecycle rules, as pure functions: every word in every
// spelling registries use, the grace window and when the registrar's record is worth asking
// for, and the coverage limits of registries that publish no expiry. The end-to-end cases on
// real and derived captures are in test/rdap/lifecycle.test.ts.
import { describe, expect, it } from "vitest";
import {
  coverageLimits,
  expiryAnniversary,
  judgeVerdict,
  needsRegistrarRecord,
  normalizeStatus,
  STATUS_VOCABULARY,
  statusMeaning,
  unknownStatusesOf,
} from "../../src/assess/lifecycle.js";
import type { DomainVerdict } from "../../src/types.js";

/** `pending release` -> `PENDING-RELEASE`, `pendingRelease`, `https://icann.org/epp#pendingRelease`. */
function spellings(word: string): string[] {
  const parts = word.split(/\s+|(?=[A-Z])/).map((p) => p.toLowerCase());
  const camel = parts
    .map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1)))
    .join("");
  return [
    word,
    parts.join(" ").toUpperCase(),
    parts.join("-"),
    parts.join("_"),
    ` ${parts.join("  ")} `,
    camel,
    `https://icann.org/epp#${camel}`,
    `${camel} https://icann.org/epp#${camel}`,
  ];
}

describe("the lapse vocabulary", () => {
  it("names a source for every word, and each word once", () => {
    for (const w of STATUS_VOCABULARY) expect(w.source.length, w.word).toBeGreaterThan(10);
    const keys = STATUS_VOCABULARY.map((w) => normalizeStatus(w.word));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    // RFC 8056, as before
    ["redemption period", "lapsed"],
    ["pending delete", "lapsed"],
    ["pending restore", "lapsed"],
    ["client hold", "hold"],
    ["server hold", "hold"],
    ["inactive", "hold"],
    ["auto renew period", "grace"],
    // beyond RFC 8056: the list
    ["quarantine", "lapsed"],
    ["in quarantaine", "lapsed"],
    ["transit", "lapsed"],
    ["pending release", "lapsed"],
    ["released", "lapsed"],
    ["deleteCandidate", "lapsed"],
    ["renewal required", "lapsed"],
    ["expired", "lapsed"],
    ["suspended", "hold"],
    // known and harmless: no finding from these
    ["add period", "neutral"],
    ["renew period", "neutral"],
    ["transfer period", "neutral"],
    ["pending transfer", "neutral"],
    ["client transfer prohibited", "neutral"],
    ["active", "neutral"],
    ["ok", "neutral"],
  ])("%j means %s in every spelling", (word, meaning) => {
    for (const spelling of spellings(word)) expect(statusMeaning(spelling), spelling).toBe(meaning);
  });

  it("reads rdapper's 'being released' words, colon and all", () => {
    expect(statusMeaning("release process: waiting")).toBe("lapsed");
    expect(statusMeaning("Release Process")).toBe("lapsed");
    expect(statusMeaning("Free")).toBe("lapsed");
    expect(statusMeaning("available")).toBe("lapsed");
  });

  it.each([
    "server recover prohibited",
    "serverForceDelete",
    "https://icann.org/epp#somethingNew",
    "https://example.com/epp#clientHold",
    "client holding",
  ])("does not know %j", (status) => {
    expect(statusMeaning(status)).toBeUndefined();
  });

  it("keeps unknown statuses as written, once each, bounded", () => {
    const many = Array.from({ length: 40 }, (_, i) => `odd status ${i}`);
    expect(unknownStatusesOf(["active", "Weird One", "Weird One", "client hold"])).toEqual([
      "Weird One",
    ]);
    expect(unknownStatusesOf(many)).toHaveLength(20);
    expect(unknownStatusesOf(["x".repeat(500)])[0]).toHaveLength(100);
  });
});

const verdict = (fields: Partial<DomainVerdict>): DomainVerdict => ({
  domain: "example.com",
  state: "registered",
  statuses: [],
  source: "rdap",
  checkedAt: "2024-07-29T00:00:00Z",
  ...fields,
});

describe("when the registrar's record is worth asking for", () => {
  const NOW = new Date("2024-07-29T17:23:53Z");
  it.each<[string, { statuses: string[]; expires?: string }, boolean]>([
    [
      "auto renew period",
      { statuses: ["auto renew period"], expires: "2025-06-30T04:00:00Z" },
      true,
    ],
    ["anniversary 19 days ago", { statuses: [], expires: "2025-07-10T04:00:00Z" }, true],
    ["anniversary 45 days ago", { statuses: [], expires: "2025-06-14T17:23:53Z" }, true],
    ["anniversary 46 days ago", { statuses: [], expires: "2025-06-13T17:00:00Z" }, false],
    [
      "anniversary two years back, 10 days ago",
      { statuses: [], expires: "2026-07-19T00:00:00Z" },
      true,
    ],
    ["far from the anniversary", { statuses: [], expires: "2028-09-14T04:00:00Z" }, false],
    ["renew period", { statuses: ["renew period"], expires: "2028-09-14T04:00:00Z" }, false],
    ["add period", { statuses: ["add period"], expires: "2025-04-01T00:00:00Z" }, false],
    ["transfer period", { statuses: ["transfer period"], expires: "2027-12-08T17:00:53Z" }, false],
    [
      "already expired by date",
      { statuses: ["auto renew period"], expires: "2024-07-01T00:00:00Z" },
      false,
    ],
    [
      "already lapsed by status",
      { statuses: ["auto renew period", "redemption period"], expires: "2025-06-30T04:00:00Z" },
      false,
    ],
    ["no expiry", { statuses: [] }, false],
  ])("%s: %j", (_what, said, expected) => {
    expect(needsRegistrarRecord(said, NOW)).toBe(expected);
  });

  it("finds the anniversary of a 29 February expiry on 28 February", () => {
    const at = expiryAnniversary("2028-02-29T00:00:00Z", new Date("2027-03-10T00:00:00Z"));
    expect(at?.toISOString()).toBe("2027-02-28T00:00:00.000Z");
  });
});

describe("judging, again and again", () => {
  const NOW = new Date("2024-07-29T17:23:53Z");
  it.each<[string, Partial<DomainVerdict>, string]>([
    ["grace alone", { statuses: ["auto renew period"], expires: "2025-06-30T04:00:00Z" }, "grace"],
    [
      "grace, registrar term ended",
      {
        statuses: ["auto renew period"],
        expires: "2025-06-30T04:00:00Z",
        registrar: { url: "https://r.example/d", expires: "2024-06-30T07:00:00Z" },
      },
      "expired",
    ],
    [
      "grace, registrar renewed",
      {
        statuses: ["auto renew period"],
        expires: "2025-06-30T04:00:00Z",
        registrar: { url: "https://r.example/d", expires: "2025-06-30T07:00:00Z" },
      },
      "registered",
    ],
    [
      "grace and hold, registrar renewed: the hold stays",
      {
        statuses: ["auto renew period", "client hold"],
        expires: "2025-06-30T04:00:00Z",
        registrar: { url: "https://r.example/d", expires: "2025-06-30T07:00:00Z" },
      },
      "on-hold",
    ],
    [
      "a registrar failure leaves grace",
      {
        statuses: ["auto renew period"],
        expires: "2025-06-30T04:00:00Z",
        registrar: { url: "https://r.example/d", errorCode: "timeout", error: "timed out" },
      },
      "grace",
    ],
    [
      "a past registrar expiration beside a future expiration, outside the grace window",
      { expires: "2028-09-13T07:00:00Z", registrarExpires: "2024-06-30T07:00:00Z" },
      "registered",
    ],
    ["URL-form statuses", { statuses: ["https://icann.org/epp#pendingDelete"] }, "expired"],
    ["an unknown status alone", { statuses: ["server recover prohibited"] }, "registered"],
  ])("%s -> %s, the same when judged twice", (_what, fields, state) => {
    const once = judgeVerdict(verdict(fields), NOW);
    expect(once.state).toBe(state);
    expect(judgeVerdict(once, NOW)).toEqual(once);
  });

  it("a stored registrar record of the wrong shape (an edited cache) is not trusted", () => {
    const odd = verdict({
      statuses: ["auto renew period"],
      expires: "2025-06-30T04:00:00Z",
      registrar: { expires: 42 as unknown as string },
    });
    expect(judgeVerdict(odd, NOW).state).toBe("grace");
  });
});

describe("coverage limits", () => {
  it("says once per TLD where the registry published no expiry for any domain asked", () => {
    const limits = coverageLimits([
      verdict({ domain: "norway.no" }),
      verdict({ domain: "other.no", statuses: ["redemption period"], state: "expired" }),
      verdict({ domain: "example.de", state: "on-hold" }),
      verdict({ domain: "dated.com", expires: "2030-01-01T00:00:00Z" }),
      verdict({ domain: "undated.com" }),
      verdict({ domain: "gone.fi", state: "unregistered" }),
      verdict({ domain: "failed.fi", state: "unknown" }),
    ]);
    expect(limits.map((l) => [l.tld, l.domains])).toEqual([
      ["de", ["example.de"]],
      ["no", ["norway.no", "other.no"]],
    ]);
    expect(limits[0]?.note).toMatch(
      /^The \.de registry publishes no expiry date: only unregistered/,
    );
  });
});
