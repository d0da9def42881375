// Project links and the issue tracker, from real PyPI `info` objects and from the shapes real
// metadata uses (labels as maintainers write them, repository URLs with `.git`, GitLab groups).
import { describe, expect, it } from "vitest";
import { extractLinks, issueTracker, markPlatforms } from "../../src/domains/links.js";
import { classifyMailHosts } from "../../src/domains/mail.js";
import { domainsToCheck } from "../../src/domains/emails.js";
import {
  createSkipList,
  DEFAULT_LINK_SKIP_DOMAINS,
  DEFAULT_MX_SKIP_DOMAINS,
  DEFAULT_SKIP_DOMAINS,
} from "../../src/domains/providers.js";
import { pypiFixture } from "../servers/pypi.js";

const info = (file: string) => JSON.parse(pypiFixture(file)).info as Record<string, unknown>;
const links = (project_urls: Record<string, string>, extra: Record<string, unknown> = {}) =>
  extractLinks({ project_urls, ...extra });
const platforms = createSkipList(
  { skipDomains: [], replaceSkipDomains: false },
  DEFAULT_LINK_SKIP_DOMAINS,
);

describe("extractLinks on real metadata", () => {
  it("discord.py 2.0.0: project_urls then home_page, each URL once, with its registrable domain", () => {
    expect(extractLinks(info("discord-py-2.0.0.json"))).toEqual([
      {
        label: "Documentation",
        url: "https://discordpy.readthedocs.io/en/latest/",
        host: "discordpy.readthedocs.io",
        domain: "readthedocs.io",
      },
      {
        label: "Homepage",
        url: "https://github.com/Rapptz/discord.py",
        host: "github.com",
        domain: "github.com",
      },
      {
        label: "Issue tracker",
        url: "https://github.com/Rapptz/discord.py/issues",
        host: "github.com",
        domain: "github.com",
      },
    ]);
  });

  it("twisted 18.9.0: an http home page on the project's own domain is checked", () => {
    const found = markPlatforms(extractLinks(info("twisted-18.9.0.json")), platforms);
    expect(domainsToCheck(found)).toEqual(["twistedmatrix.com"]);
  });

  it("wheel 0.40.0: every link is on a platform, none is looked up", () => {
    const found = markPlatforms(extractLinks(info("wheel-0.40.0.json")), platforms);
    expect(found.every((l) => l.skipped === "platform")).toBe(true);
    expect(domainsToCheck(found)).toEqual([]);
  });

  it("only http and https; credentials dropped; IP hosts and junk kept without a domain", () => {
    const found = links({
      A: "ftp://files.example.org/",
      B: "javascript:alert(1)",
      C: "https://user:pw@docs.example.org/x",
      D: "http://192.0.2.7/pkg",
      E: "not a url",
      F: "   ",
    });
    expect(found.map((l) => [l.label, l.url, l.domain])).toEqual([
      ["C", "https://docs.example.org/x", "example.org"],
      ["D", "http://192.0.2.7/pkg", undefined],
    ]);
  });

  it("labels are bounded and control characters removed; at most 40 links", () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`L${i}`, `https://s${i}.example.org/`]),
    );
    expect(links(many)).toHaveLength(40);
    const [hostile] = links({ ["x\u001b[31m\n".repeat(100)]: "https://a.example.org/" });
    expect(hostile?.label).not.toMatch(/[\u0000-\u001f]/);
    expect([...(hostile?.label ?? "")].length).toBeLessThanOrEqual(80);
  });
});

describe("issueTracker", () => {
  it.each([
    [{ "Bug Tracker": "https://bugs.example.org/pkg" }, "https://bugs.example.org/pkg"],
    [{ Issues: "https://github.com/o/r/issues" }, "https://github.com/o/r/issues"],
    [{ tracker: "https://trac.example.org/" }, "https://trac.example.org/"],
    [{ Source: "https://github.com/o/r.git" }, "https://github.com/o/r/issues"],
    [{ "Source Code": "https://github.com/o/r/tree/main/sub" }, "https://github.com/o/r/issues"],
    [
      { Repository: "https://gitlab.com/group/sub/proj" },
      "https://gitlab.com/group/sub/proj/-/issues",
    ],
    [
      { Source: "https://gitlab.com/group/proj/-/tree/main" },
      "https://gitlab.com/group/proj/-/issues",
    ],
    [{ Source: "https://codeberg.org/o/r" }, "https://codeberg.org/o/r/issues"],
    [{ Source: "https://example.org/o/r" }, undefined],
    [{ Documentation: "https://github.com/o/r" }, undefined],
    [{ Source: "https://github.com/o" }, undefined],
  ])("%j -> %s", (urls, expected) => {
    expect(issueTracker(links(urls))).toBe(expected);
  });

  it("a labelled tracker wins over the repository's issues page", () => {
    expect(
      issueTracker(
        links({ Source: "https://github.com/o/r", "Issue Tracker": "https://bugs.example.org/" }),
      ),
    ).toBe("https://bugs.example.org/");
  });
});

describe("classifyMailHosts", () => {
  const mail = createSkipList({ skipDomains: [], replaceSkipDomains: false }, [
    ...DEFAULT_SKIP_DOMAINS,
    ...DEFAULT_MX_SKIP_DOMAINS,
  ]);

  it("skips hosts under the domain itself and at mail hosting; keeps the rest, each domain once", () => {
    const hosts = classifyMailHosts(
      "example.org",
      [
        "mail.example.org",
        "aspmx.l.google.com",
        "example-org.mail.protection.outlook.com",
        "in1-smtp.messagingengine.com",
        "mx1.other-mail.net",
        "mx2.other-mail.net",
        "MX1.OTHER-MAIL.NET.",
      ],
      mail,
    );
    expect(hosts.map((h) => [h.host, h.skipped ?? h.domain])).toEqual([
      ["mail.example.org", "same-domain"],
      ["aspmx.l.google.com", "provider"],
      ["example-org.mail.protection.outlook.com", "provider"],
      ["in1-smtp.messagingengine.com", "provider"],
      ["mx1.other-mail.net", "other-mail.net"],
      ["mx2.other-mail.net", "other-mail.net"],
    ]);
    expect(domainsToCheck(hosts)).toEqual(["other-mail.net"]);
  });

  it("a null MX and hosts that are not domains are never looked up", () => {
    const hosts = classifyMailHosts("example.org", ["", "10.0.0.1", "mail.internal"], mail);
    expect(hosts.map((h) => h.skipped)).toEqual(["null-mx", "invalid-host", "invalid-host"]);
    expect(domainsToCheck(hosts)).toEqual([]);
  });

  it("skip-domains extends the mail-hosting list; replace-skip-domains replaces it", () => {
    const extended = createSkipList(
      { skipDomains: ["other-mail.net"], replaceSkipDomains: false },
      DEFAULT_MX_SKIP_DOMAINS,
    );
    expect(
      domainsToCheck(classifyMailHosts("example.org", ["mx.other-mail.net"], extended)),
    ).toEqual([]);
    const replaced = createSkipList(
      { skipDomains: [], replaceSkipDomains: true },
      DEFAULT_MX_SKIP_DOMAINS,
    );
    expect(
      domainsToCheck(classifyMailHosts("example.org", ["aspmx.l.google.com"], replaced)),
    ).toEqual(["google.com"]);
  });
});
