// SARIF validated against the OASIS SARIF 2.1.0 schema (errata01, from the oasis-tcs/sarif-spec
// repository), stored in test/fixtures/sarif-schema-2.1.0.json.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { FINDING_INFO, FINDING_KINDS } from "../../src/codes.js";
import { renderSarif } from "../../src/report/sarif.js";
import type { Finding } from "../../src/types.js";
import {
  HOSTILE,
  cleanReport,
  hostileReport,
  smallReport,
} from "../fixtures/report/small-report.js";

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number };
    };
  }[];
  partialFingerprints: { primaryLocationLineHash: string };
  suppressions?: { kind: string; justification: string }[];
  properties: Record<string, unknown>;
}
interface SarifLog {
  version: string;
  runs: {
    tool: {
      driver: {
        rules: { id: string; properties: Record<string, string>; help: { markdown: string } }[];
      };
    };
    results: SarifResult[];
  }[];
}

function validator() {
  const schema = JSON.parse(
    readFileSync("test/fixtures/sarif-schema-2.1.0.json", "utf8"),
  ) as Record<string, unknown>;
  // The schema is draft-04 (`id`); Ajv speaks draft-07 (`$id`), which reads these keywords the same.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat("uri-reference", (s: string) => !/\s/.test(s));
  ajv.addFormat(
    "date-time",
    (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s),
  );
  return ajv.compile(schema);
}

const parse = (text: string) => JSON.parse(text) as SarifLog;

describe("SARIF report", () => {
  const validate = validator();

  it("matches the snapshot of the small report", async () => {
    await expect(renderSarif(smallReport())).toMatchFileSnapshot(
      "./__snapshots__/small-report.sarif.json",
    );
  });

  it.each([
    ["the small report", smallReport()],
    ["a clean run", cleanReport()],
    ["hostile input", hostileReport()],
    [
      "a run that could not check enough",
      {
        ...cleanReport(),
        coverage: {
          packages: { checked: 0, total: 3, notLookedUp: 0 },
          domains: { checked: 0, total: 0, noRdap: 0 },
          shortfall: "could not check enough: only 0 of 3 packages checked",
        },
      },
    ],
  ])("is valid SARIF 2.1.0 for %s", (_, report) => {
    const ok = validate(JSON.parse(renderSarif(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("uses a schema check that rejects a broken log", () => {
    const log = JSON.parse(renderSarif(smallReport())) as {
      runs: { results: { level: string }[] }[];
    };
    const first = log.runs[0]?.results[0];
    if (first) first.level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("has one rule per finding kind with security-severity and help on what to do", () => {
    const rules = parse(renderSarif(cleanReport())).runs[0]?.tool.driver.rules;
    expect(rules?.map((r) => r.id)).toEqual([...FINDING_KINDS]);
    for (const r of rules ?? []) {
      const kind = r.id as keyof typeof FINDING_INFO;
      expect(r.properties["security-severity"]).toBe(FINDING_INFO[kind].securitySeverity);
      expect(r.help.markdown).toContain(FINDING_INFO[kind].action);
    }
  });

  it("locates results at the lockfile line, relative to the source root, with levels from severity", () => {
    const results = parse(renderSarif(smallReport())).runs[0]?.results ?? [];
    const unregistered = results.find((r) => r.ruleId === "domain-unregistered");
    expect(unregistered?.level).toBe("error");
    expect(unregistered?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "requirements.txt", uriBaseId: "%SRCROOT%" },
      region: { startLine: 3 },
    });
    expect(results.find((r) => r.ruleId === "domain-on-hold")?.level).toBe("warning");
    expect(results.find((r) => r.ruleId === "lookup-failed")?.level).toBe("note");
    expect(results).toHaveLength(smallReport().findings.length);
  });

  it("keeps the fingerprint when the line moves, and changes it for another package", () => {
    const report = smallReport();
    const first = report.findings[0] as Finding;
    const moved = { ...report, findings: [{ ...first, line: first.line + 40 }] };
    const other = { ...report, findings: [{ ...first, package: "another" }] };
    const hash = (r: typeof report) =>
      parse(renderSarif(r)).runs[0]?.results[0]?.partialFingerprints.primaryLocationLineHash;
    expect(hash(moved)).toBe(hash({ ...report, findings: [first] }));
    expect(hash(other)).not.toBe(hash({ ...report, findings: [first] }));
  });

  it("includes allowed findings as externally suppressed, with the reason", () => {
    const results = parse(renderSarif(smallReport())).runs[0]?.results ?? [];
    const allowed = results.find((r) => r.properties.package === "knownlib");
    expect(allowed?.suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "Maintainer moved to a new address; verified in the tracker",
      },
    ]);
    expect(results.filter((r) => r.suppressions !== undefined)).toHaveLength(1);
  });

  it("keeps hostile text on one line without control characters, and percent-encodes the path", () => {
    const text = renderSarif(hostileReport());
    const results = parse(text).runs[0]?.results ?? [];
    for (const r of results) expect(r.message.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(results.map((r) => r.properties.package)).toContain("x ::add-mask::y");
    expect(results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri)).toContain(
      "%3A%3Aadd-mask%3A%3Ax.txt",
    );
    expect(text.split("\n").filter((l) => l.trimStart().startsWith("::"))).toEqual([]);
    expect(HOSTILE.commandName).toContain("\n");
  });
});
