// domain-grace and domain-transferred in every output, and what the registries' answers leave
// open: unknown statuses listed under their domain (escaped: they are registry text) and the
// per-TLD coverage limit where a registry publishes no expiry.
import { describe, expect, it } from "vitest";
import { FINDING_INFO, FINDING_KINDS } from "../../src/codes.js";
import { buildAnnotations } from "../../src/report/annotations.js";
import { renderJson } from "../../src/report/json.js";
import { COMMENT_MAX_CHARS, renderMarkdown } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderTable } from "../../src/report/table.js";
import type { DomainVerdict, Finding, Report } from "../../src/types.js";
import { smallReport } from "../fixtures/report/small-report.js";
import { liveMarkdownProblems } from "./inert.js";

const CHECKED_AT = "2026-03-20T10:00:00.000Z";

const graceVerdict: DomainVerdict = {
  domain: "renewed-late.com",
  state: "grace",
  statuses: ["auto renew period", "client hold"],
  expires: "2027-03-01T00:00:00.000Z",
  registrar: {
    url: "https://rdap.registrar.example/domain/renewed-late.com",
    errorCode: "timeout",
    error: "timed out",
  },
  unknownStatuses: [],
  source: "rdap",
  checkedAt: CHECKED_AT,
};

const movedVerdict: DomainVerdict = {
  domain: "moved-late.org",
  state: "registered",
  statuses: ["client transfer prohibited"],
  created: "2009-01-01T00:00:00.000Z",
  expires: "2028-01-01T00:00:00.000Z",
  transferred: "2026-02-01T00:00:00.000Z",
  unknownStatuses: [],
  source: "rdap",
  checkedAt: CHECKED_AT,
};

const HOSTILE_STATUS = "[click](https://evil.example) @org/team\n::warning::x <b>";

const oddVerdict: DomainVerdict = {
  domain: "lemonde.fr",
  state: "registered",
  statuses: ["server recover prohibited", HOSTILE_STATUS],
  expires: "2027-06-09T22:08:09.000Z",
  unknownStatuses: ["server recover prohibited", HOSTILE_STATUS],
  source: "rdap",
  checkedAt: CHECKED_AT,
};

const noExpiry = (domain: string): DomainVerdict => ({
  domain,
  state: "registered",
  statuses: [],
  unknownStatuses: [],
  source: "rdap",
  checkedAt: CHECKED_AT,
});

function finding(kind: Finding["kind"], pkg: string, domain: string, line: number): Finding {
  return {
    kind,
    severity: FINDING_INFO[kind].severity,
    package: pkg,
    version: "1.0.0",
    email: `dev@${domain}`,
    field: "maintainer_email",
    domain,
    file: "requirements.txt",
    line,
    message: `${FINDING_INFO[kind].title} for ${pkg}.`,
    remediation: FINDING_INFO[kind].action,
    failing: kind === "domain-grace",
  };
}

function report(): Report {
  const base = smallReport();
  return {
    ...base,
    diff: undefined,
    findings: [
      finding("domain-grace", "gracelib", "renewed-late.com", 2),
      finding("domain-transferred", "movedlib", "moved-late.org", 3),
    ],
    errors: [],
    domains: [
      graceVerdict,
      movedVerdict,
      oddVerdict,
      noExpiry("norway.no"),
      noExpiry("other.no"),
      noExpiry("example.de"),
    ],
    packages: [
      {
        name: "movedlib",
        status: "ok",
        latestVersion: "1.0.0",
        lastReleaseAt: "2025-06-01T00:00:00Z",
        emails: [
          { address: "dev@moved-late.org", field: "maintainer_email", domain: "moved-late.org" },
        ],
      },
    ],
  };
}

describe("the two new kinds in every output", () => {
  it("SARIF has a rule for each, with the severity's level", () => {
    const sarif = JSON.parse(renderSarif(report())) as {
      runs: {
        tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
      }[];
    };
    const rules = sarif.runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([...FINDING_KINDS]);
    expect(rules.find((r) => r.id === "domain-grace")?.defaultConfiguration.level).toBe("error");
    expect(rules.find((r) => r.id === "domain-transferred")?.defaultConfiguration.level).toBe(
      "warning",
    );
  });

  it("annotations: a failing grace finding is an error, a transfer a warning", () => {
    const byTitle = new Map(buildAnnotations(report()).map((a) => [a.title, a.level]));
    expect(byTitle.get("domain-grace: gracelib 1.0.0")).toBe("error");
    expect(byTitle.get("domain-transferred: movedlib 1.0.0")).toBe("warning");
  });

  it("the table and the Markdown give each a few words of evidence", () => {
    const table = renderTable(report());
    expect(table).toContain(
      "auto renew period, auto-renewed to 2027-03-01, client hold; registrar record not read (timeout)",
    );
    expect(table).toContain("transferred 2026-02-01, last release 2025-06-01");
    const markdown = renderMarkdown(report(), { maxLength: COMMENT_MAX_CHARS });
    expect(markdown).toContain("| domain-grace |");
    expect(markdown).toContain("| domain-transferred |");
  });

  it("JSON carries the transfer date, the registrar record and unknownStatuses for every domain", () => {
    const json = JSON.parse(renderJson(report())) as {
      domains: Record<string, unknown>[];
      coverageLimits: { tld: string; domains: string[]; note: string }[];
    };
    const by = new Map(json.domains.map((d) => [d.domain, d]));
    expect(by.get("moved-late.org")).toMatchObject({ transferred: "2026-02-01T00:00:00.000Z" });
    expect(by.get("renewed-late.com")).toMatchObject({
      state: "grace",
      registrar: {
        url: "https://rdap.registrar.example/domain/renewed-late.com",
        error: "timed out",
        errorCode: "timeout",
      },
    });
    expect(by.get("lemonde.fr")?.unknownStatuses).toEqual([
      "server recover prohibited",
      HOSTILE_STATUS,
    ]);
    for (const d of json.domains) expect(Array.isArray(d.unknownStatuses)).toBe(true);
    expect(json.coverageLimits.map((l) => [l.tld, l.domains])).toEqual([
      ["de", ["example.de"]],
      ["no", ["norway.no", "other.no"]],
    ]);
  });
});

describe("the Markdown summary: unknown statuses and coverage limits", () => {
  const markdown = renderMarkdown(report(), { maxLength: COMMENT_MAX_CHARS });

  it("lists unknown statuses under their domain, as inert code", () => {
    const lines = markdown.split("\n");
    const at = lines.indexOf("- `lemonde.fr`");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe("  - `server recover prohibited`");
    expect(lines[at + 2]).toMatch(/^ {2}- `+/);
    expect(markdown).toContain("they produce no finding by themselves");
    expect(liveMarkdownProblems(markdown)).toEqual([]);
    expect(markdown).not.toMatch(/^::/m);
  });

  it("says each TLD's coverage limit once", () => {
    const notes = markdown.split("\n").filter((l) => l.includes("registry publishes no expiry"));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toContain("The .de registry publishes no expiry date");
    expect(notes[1]).toContain("`norway.no`, `other.no`");
  });

  it("stays within a PR comment's limit with both blocks", () => {
    const comment = renderMarkdown(report(), { maxLength: 2_000, context: "comment" });
    expect(comment.length).toBeLessThanOrEqual(2_000);
  });
});
