import { describe, expect, it } from "vitest";
import { extractEmails } from "../../src/domains/emails.js";
import { parseSpelledOut } from "../../src/domains/spelled-out.js";

describe("parseSpelledOut: addresses written out to hide them from harvesters", () => {
  it.each([
    [
      "pycurl: two addresses with ` at `",
      "kjetilja at gmail.com, markus at oberhumer.com",
      ["kjetilja@gmail.com", "markus@oberhumer.com"],
    ],
    [
      "Django: ` at ` and a space before the final label",
      "foundation at djangoproject com",
      ["foundation@djangoproject.com"],
    ],
    ["(at) and ` dot `", "name (at) host dot org", ["name@host.org"]],
    ["[at] without spaces", "ops[at]host.net", ["ops@host.net"]],
    ["{at}", "ops{at}host.net", ["ops@host.net"]],
    ["<at>", "ops<at>host.net", ["ops@host.net"]],
    ["(dot) and [dot]", "jane (at) mail(dot)example[dot]co.uk", ["jane@mail.example.co.uk"]],
    ["upper case words", "Jane AT Example DOT Org", ["Jane@Example.Org"]],
    [
      "a display name with the address in brackets",
      "Jane Doe <jane at example dot org>",
      ["jane@example.org"],
    ],
    [
      "semicolons between addresses",
      "a at one dot com; b at two dot org",
      ["a@one.com", "b@two.org"],
    ],
    ["the same address twice", "a at one.com, A AT ONE.COM", ["a@one.com"]],
    ["a country code after a space", "jane at example de", ["jane@example.de"]],
    [
      "one address per line",
      "jane at example dot org\nbob at foo dot com",
      ["jane@example.org", "bob@foo.com"],
    ],
    ["a full stop ending the sentence", "jane at example dot org.", ["jane@example.org"]],
    ["a comment naming the person", "jane at example dot org (Jane Doe)", ["jane@example.org"]],
    [
      "the address in a comment after the name",
      "Kenneth Reitz (me at kennethreitz dot org)",
      ["me@kennethreitz.org"],
    ],
    [
      "the address in a comment, and a full stop",
      "Jane Doe (jane at example dot org).",
      ["jane@example.org"],
    ],
    ["a label before the address", "Maintainer: jane at example dot org", ["jane@example.org"]],
  ])("%s", (_what, text, expected) => {
    expect(parseSpelledOut(text).map((a) => a.address)).toEqual(expected);
  });

  it.each([
    ["prose with ` at `", "Meet me at the office"],
    ["a name and a company", "John Smith at Example Corp"],
    ["a single-label host", "kjetilja at gmail"],
    ["two `at`s", "a at b at c.com"],
    ["`at` glued to words", "cat atlas.com"],
    ["a dot without spaces around `dot`", "jane at exampledotcom"],
    ["a name list", "holger krekel, Ronny Pfannschmidt and others"],
    ["a sentence ending in a word", "Written at night by Jane"],
    ["spaces inside the local part", "Jane Doe at example.com"],
    ["an empty value", ""],
    // Company and prose words that are top-level domains too (.gmbh, .llc, .site, .shop, ...):
    // only a lower-case common TLD after a space counts.
    ["a company form", "Developers at Acme GmbH"],
    ["LLC", "Research at Acme LLC"],
    ["Ltd", "Engineering at Acme Ltd"],
    ["Inc", "Engineering at Acme Inc"],
    ["Group", "Staff at Acme Group"],
    ["Software", "Team at Acme Software"],
    ["Co", "Jane at Acme Co"],
    ["a site", "support at our site"],
    ["a shop", "Jane at the Shop"],
    ["`dot` itself at the end", "meet at home dot"],
    ["a word-like country code", "reachable at his co"],
    ["a name and a comment that is no address", "Jane Doe (the maintainer)"],
  ])("%s yields nothing", (_what, text) => {
    expect(parseSpelledOut(text)).toEqual([]);
  });

  it("a field cut at its length limit is cut between addresses, never inside one", () => {
    // The limit (4096) falls right after `... dot co`: read there, it would name example.co.
    const filler = "x, ".repeat(1358);
    const found = parseSpelledOut(`${filler}jane at example dot co dot uk`);
    expect(found.map((a) => a.address)).toEqual([]);
  });

  it("a field with an `@` is left to the RFC 822 reader", () => {
    expect(parseSpelledOut("jane@example.org, bob at example dot org")).toEqual([]);
  });
});

describe("extractEmails with spelled-out addresses", () => {
  it("keeps the field, the domain and the text as written", () => {
    expect(
      extractEmails({ author_email: "kjetilja at gmail.com, markus at oberhumer.com" }),
    ).toEqual([
      {
        address: "kjetilja@gmail.com",
        field: "author_email",
        domain: "gmail.com",
        spelledOut: "kjetilja at gmail.com",
      },
      {
        address: "markus@oberhumer.com",
        field: "author_email",
        domain: "oberhumer.com",
        spelledOut: "markus at oberhumer.com",
      },
    ]);
    expect(extractEmails({ maintainer_email: "foundation at djangoproject com" })).toEqual([
      {
        address: "foundation@djangoproject.com",
        field: "maintainer_email",
        domain: "djangoproject.com",
        spelledOut: "foundation at djangoproject com",
      },
    ]);
  });

  it("drops an address whose host does not pass the Public Suffix List", () => {
    expect(extractEmails({ author_email: "jane at example dot invalid" })).toEqual([]);
    expect(extractEmails({ author_email: "jane at example dot notatld" })).toEqual([]);
    expect(extractEmails({ author_email: "root at 10 dot 0 dot 0 dot 1" })).toEqual([]);
  });

  it("reads only author_email and maintainer_email, never author or maintainer", () => {
    expect(extractEmails({ author: "jane at example dot org" })).toEqual([]);
    expect(extractEmails({ maintainer: "jane at example dot org" })).toEqual([]);
  });

  it("a written address beside a spelled-out one in the same field: only the written one", () => {
    expect(
      extractEmails({ author_email: "jane@example.org, bob at example dot org" }).map(
        (e) => e.address,
      ),
    ).toEqual(["jane@example.org"]);
  });
});

describe("a finding about a spelled-out address", () => {
  it("says in its evidence that the address was spelled out", async () => {
    const { assess } = await import("../../src/assess/risk.js");
    const emails = extractEmails({ author_email: "markus at oberhumer dot com" });
    const findings = assess({
      dependencies: [
        { name: "pycurl", version: "7.45.2", file: "uv.lock", line: 3, format: "uv", kind: "pypi" },
      ],
      packages: new Map([["pycurl", { name: "pycurl", status: "ok" as const, emails }]]),
      verdicts: new Map([
        [
          "oberhumer.com",
          {
            domain: "oberhumer.com",
            state: "unregistered" as const,
            statuses: [],
            dns: "no-delegation" as const,
            source: "rdap" as const,
            checkedAt: "2026-12-01T00:00:00Z",
          },
        ],
      ]),
      now: new Date("2026-12-01T00:00:00Z"),
      expiryWarningDays: 30,
    });
    expect(findings.map((f) => f.kind)).toEqual(["domain-unregistered"]);
    expect(findings[0]?.evidence).toContain(
      "`author_email` is `markus@oberhumer.com` (spelled out as `markus at oberhumer dot com`)",
    );
  });
});
