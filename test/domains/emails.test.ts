import { describe, expect, it } from "vitest";
import {
  extractEmails,
  markProviders,
  parseAddressList,
  registrableDomain,
} from "../../src/domains/emails.js";
import { createSkipList, DEFAULT_SKIP_DOMAINS } from "../../src/domains/providers.js";
import { pypiFixture } from "../servers/pypi.js";

const info = (file: string) =>
  (JSON.parse(pypiFixture(file)) as { info: Record<string, unknown> }).info;

describe("parseAddressList: each address-list shape found in PyPI metadata", () => {
  it.each([
    ["bare address", "lukasz@langa.pl", ["lukasz@langa.pl"]],
    ["name and angle address", "Daniel Holth <dholth@fastmail.fm>", ["dholth@fastmail.fm"]],
    [
      "non-ASCII display name",
      "Alex Grönholm <alex.gronholm@nextday.fi>",
      ["alex.gronholm@nextday.fi"],
    ],
    [
      "three comma-separated mailboxes (annotated-types 0.4.0)",
      "Samuel Colvin <s@muelcolvin.com>, Adrian Garcia Badaracco <1755071+adriangb@users.noreply.github.com>, Zac Hatfield-Dodds <zac@zhd.dev>",
      ["s@muelcolvin.com", "1755071+adriangb@users.noreply.github.com", "zac@zhd.dev"],
    ],
    [
      "quoted name with a comma",
      '"Doe, Jane" <jane@example.com>, bob@example.org',
      ["jane@example.com", "bob@example.org"],
    ],
    [
      "semicolon-separated (not RFC 822: fallback)",
      "a@one.com; b@two.org",
      ["a@one.com", "b@two.org"],
    ],
    ["unquoted name with a comma (fallback)", "Doe, Jane <jane@example.com>", ["jane@example.com"]],
    ["unclosed bracket (fallback)", "Jane <jane@example.com", ["jane@example.com"]],
    ["space-separated (fallback)", "a@one.com b@two.org", ["a@one.com", "b@two.org"]],
    ["IDN host", "Jörg <j@bücher.de>", ["j@bücher.de"]],
    ["the same address twice", "a@one.com, A@ONE.COM", ["a@one.com"]],
    ["obfuscated (no address)", "jane at example dot com", []],
    ["names only", "holger krekel, Ronny Pfannschmidt, Benjamin Peterson and others", []],
  ])("%s", (_shape, text, expected) => {
    expect(parseAddressList(text)).toEqual(expected);
  });

  it.each([
    ["in single quotes", "'jane@x.org'"],
    ["quoted inside brackets", "Jane Doe <'jane@x.org'>"],
    ["with a quote after it", "jane@x.org'"],
    ["in backticks", "`jane@x.org`"],
    ["with a brace after it", "jane@x.org}"],
    ["with an exclamation mark after it", "jane@x.org!"],
  ])("an address %s still names its domain", (_what, text) => {
    const [email] = extractEmails({ author_email: text });
    expect(email).toMatchObject({ domain: "x.org" });
    expect(email).not.toHaveProperty("skipped");
  });

  it("reads at most 20 addresses from a hostile field", () => {
    const text = Array.from({ length: 500 }, (_, i) => `u${i}@d${i}.com`).join(", ");
    expect(parseAddressList(text)).toHaveLength(20);
  });
});

describe("a field longer than 4096 characters", () => {
  it("is cut before the entry the cut would split: never a shortened domain", () => {
    const name = "Team " + "x".repeat(4074);
    expect(parseAddressList(`${name} <jane@example.com>`)).toEqual([]);
    const list = ["a@one.org", "b@two.org"].join(", ");
    const long = `${list}, ${"c".repeat(4096 - list.length - 13)}@example.com`;
    expect(long.length).toBeGreaterThan(4096);
    expect(parseAddressList(long)).toEqual(["a@one.org", "b@two.org"]);
    // One short of the limit: read whole.
    const fits = `${list}, ${"c".repeat(4096 - list.length - 14)}@example.com`;
    expect(fits.length).toBe(4096);
    expect(parseAddressList(fits)).toHaveLength(3);
  });
});

describe("registrableDomain", () => {
  it.each([
    ["cs.uni.edu", "uni.edu"],
    ["foo.co.uk", "foo.co.uk"],
    ["mail.foo.co.uk", "foo.co.uk"],
    ["Example.COM.", "example.com"],
    ["users.noreply.github.com", "github.com"],
    ["bücher.de", "xn--bcher-kva.de"],
    ["someone.github.io", "github.io"],
  ])("%s -> %s", (host, domain) => {
    expect(registrableDomain(host)).toMatchObject({ ok: true, domain });
  });

  it.each([
    ["[127.0.0.1]", "IP address"],
    ["192.168.1.1", "IP address"],
    ["localhost", "not a valid domain"],
    ["under_score.com", "not a valid domain"],
    ["-dash.com", "not a valid domain"],
    [`${"a".repeat(64)}.com`, "not a valid domain"],
    ["printer.local", "not under a public"],
    ["co.uk", "not under a public"],
  ])("refuses %s (%s)", (host, reason) => {
    const result = registrableDomain(host);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe("extractEmails on real PyPI metadata", () => {
  it("wheel 0.40.0: author_email and maintainer_email, each with its field and domain", () => {
    expect(extractEmails(info("wheel-0.40.0.json"))).toEqual([
      {
        address: "dholth@fastmail.fm",
        field: "author_email",
        domain: "fastmail.fm",
        name: "Daniel Holth",
      },
      {
        address: "alex.gronholm@nextday.fi",
        field: "maintainer_email",
        domain: "nextday.fi",
        name: "Alex Grönholm",
      },
    ]);
  });

  it("twisted 18.9.0: separate bare addresses in both fields", () => {
    expect(
      extractEmails(info("twisted-18.9.0.json")).map((e) => [e.field, e.address, e.domain]),
    ).toEqual([
      ["author_email", "twisted-python@twistedmatrix.com", "twistedmatrix.com"],
      ["maintainer_email", "glyph@twistedmatrix.com", "twistedmatrix.com"],
    ]);
  });

  it.each([
    ["discord-py-2.0.0.json", "empty strings"],
    ["isodate-0.7.0.json", "nulls"],
    ["luigi.json", "nulls, project endpoint"],
  ])("%s has no address (%s)", (file) => {
    expect(extractEmails(info(file))).toEqual([]);
  });

  it("py 1.5.3: a list of names in author is not an address", () => {
    expect(extractEmails(info("py-1.5.3.json"))).toEqual([
      {
        address: "pytest-dev@python.org",
        field: "author_email",
        domain: "python.org",
        // The name beside the address is what `author` says, however many people it lists.
        name: "holger krekel, Ronny Pfannschmidt, Benjamin Peterson and others",
      },
    ]);
  });

  it("ignores UNKNOWN and None, reads an address written in author", () => {
    expect(
      extractEmails({
        author_email: "UNKNOWN",
        maintainer_email: "None",
        author: "Jane Doe <jane@lapsed-example.com>",
        maintainer: null,
      }),
    ).toEqual([
      {
        address: "jane@lapsed-example.com",
        field: "author",
        domain: "lapsed-example.com",
        name: "Jane Doe",
      },
    ]);
  });

  it("an IP-literal host is kept as invalid-host with a reason, without a domain", () => {
    const [email] = extractEmails({ author_email: "root@[10.0.0.1]" });
    expect(email).toMatchObject({ address: "root@[10.0.0.1]", skipped: "invalid-host" });
    expect(email?.domain).toBeUndefined();
    expect(email?.skipReason).toContain("IP address");
  });
});

describe("the provider skip list", () => {
  const emails = extractEmails({
    author_email:
      "a@gmail.com, b@users.noreply.github.com, c@github.com, d@mail.yandex.ru, e@fastmail.fm, f@lapsed.com",
  });

  it("skips providers on the full host first, then the registrable domain", () => {
    const marked = markProviders(
      emails,
      createSkipList({ skipDomains: [], replaceSkipDomains: false }),
    );
    expect(marked.map((e) => [e.address, e.skipped ?? "checked"])).toEqual([
      ["a@gmail.com", "provider"],
      ["b@users.noreply.github.com", "provider"],
      // github.com itself is a company domain, not a provider: checked.
      ["c@github.com", "checked"],
      ["d@mail.yandex.ru", "provider"],
      ["e@fastmail.fm", "provider"],
      ["f@lapsed.com", "checked"],
    ]);
  });

  it("extends with skip-domains, or replaces the built-in list", () => {
    const extended = markProviders(
      emails,
      createSkipList({ skipDomains: ["Lapsed.com."], replaceSkipDomains: false }),
    );
    expect(extended.find((e) => e.address === "f@lapsed.com")?.skipped).toBe("provider");
    const replaced = markProviders(
      emails,
      createSkipList({ skipDomains: ["lapsed.com"], replaceSkipDomains: true }),
    );
    expect(replaced.filter((e) => e.skipped).map((e) => e.address)).toEqual(["f@lapsed.com"]);
  });

  it("lists only lower-case ASCII hosts, each once", () => {
    expect(new Set(DEFAULT_SKIP_DOMAINS).size).toBe(DEFAULT_SKIP_DOMAINS.length);
    for (const d of DEFAULT_SKIP_DOMAINS) expect(d).toMatch(/^[a-z0-9.-]+$/);
  });
});

describe("the reviewed provider additions", () => {
  it.each([
    "aliyun.com",
    "163.com",
    "qq.com",
    "foxmail.com",
    "yandex.ru",
    "mail.ru",
    "gmx.de",
    "web.de",
    "fastmail.com",
  ])("%s is skipped by default", (domain) => {
    const list = createSkipList({ skipDomains: [], replaceSkipDomains: false });
    expect(list.has(domain, domain)).toBe(true);
  });

  it("a company domain at a provider's parent is not skipped (github.com, aliyuncs.com)", () => {
    const list = createSkipList({ skipDomains: [], replaceSkipDomains: false });
    expect(list.has("github.com", "github.com")).toBe(false);
    expect(list.has("aliyuncs.com", "aliyuncs.com")).toBe(false);
  });
});
