// SARIF validated against the OASIS SARIF 2.1.0 schema (errata01, from the oasis-tcs/sarif-spec
// repository), stored in test/fixtures/sarif-schema-2.1.0.json.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { FINDING_INFO, FINDING_KINDS } from "../../src/codes.js";
import {
  FINGERPRINT_KEY,
  MAX_SARIF_RESULTS,
  renderSarif,
  renderSarifNotRun,
} from "../../src/report/sarif.js";
import type { Finding } from "../../src/types.js";
import { failedToLook } from "../../src/report/verdict.js";
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
  partialFingerprints: Record<string, string>;
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

  it("is valid SARIF 2.1.0 for a run that read nothing, with no results and an unsuccessful execution", () => {
    const log = JSON.parse(renderSarifNotRun("no lockfile could be read in [x](y) {0}")) as {
      runs: {
        results: unknown[];
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications: { message: { text: string } }[];
        }[];
      }[];
    };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toBe(
      "Nothing was scanned: no lockfile could be read in \\[x\\](y) {{0}}",
    );
  });

  it("uses a schema check that rejects a broken log", () => {
    const log = JSON.parse(renderSarif(smallReport())) as {
      runs: { results: { level: string }[] }[];
    };
    const first = log.runs[0]?.results[0];
    if (first) first.level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("has one rule per finding kind with help on what to do; security-severity only for risks, not information", () => {
    const rules = parse(renderSarif(cleanReport())).runs[0]?.tool.driver.rules;
    expect(rules?.map((r) => r.id)).toEqual([...FINDING_KINDS]);
    for (const r of rules ?? []) {
      const kind = r.id as keyof typeof FINDING_INFO;
      expect(r.help.markdown).toContain(FINDING_INFO[kind].action);
      if (FINDING_INFO[kind].severity === "info") {
        // A lookup that failed is no vulnerability: a note, never a security alert.
        expect(r.properties["security-severity"]).toBeUndefined();
        expect(r.properties.tags).not.toContain("security");
      } else {
        expect(r.properties["security-severity"]).toBe(FINDING_INFO[kind].securitySeverity);
        expect(r.properties.tags).toContain("security");
      }
    }
    expect(rules?.filter((r) => r.properties["security-severity"] === undefined).length).toBe(
      FINDING_KINDS.filter((k) => FINDING_INFO[k].severity === "info").length,
    );
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
      parse(renderSarif(r)).runs[0]?.results[0]?.partialFingerprints[FINGERPRINT_KEY];
    expect(hash(moved)).toMatch(/^[0-9a-f]{32}$/);
    expect(hash(moved)).toBe(hash({ ...report, findings: [first] }));
    expect(hash(other)).not.toBe(hash({ ...report, findings: [first] }));
  });

  it("never writes primaryLocationLineHash (the upload action computes it, and warns on any other value)", () => {
    const results = parse(renderSarif(smallReport())).runs[0]?.results ?? [];
    for (const r of results) expect(Object.keys(r.partialFingerprints)).toEqual([FINGERPRINT_KEY]);
  });

  it("gives results that share kind, file, package and domain distinct fingerprints, by order", () => {
    const report = smallReport();
    const first = report.findings[0] as Finding;
    // One package pinned on two lines under two markers; and two IP-literal addresses.
    const noDomain = (email: string): Finding => ({
      ...first,
      kind: "lookup-failed",
      severity: "info",
      domain: undefined,
      email,
    });
    const twice = {
      ...report,
      findings: [
        first,
        { ...first, line: first.line + 1, version: "2.0" },
        noDomain("a@[10.0.0.1]"),
        noDomain("b@[10.0.0.2]"),
      ],
    };
    const keys = (parse(renderSarif(twice)).runs[0]?.results ?? []).map(
      (r) => r.partialFingerprints[FINGERPRINT_KEY],
    );
    expect(new Set(keys).size).toBe(4);
    expect(keys[1]).toBe(`${keys[0]}:2`);
    expect(keys[3]).not.toBe(`${keys[2]}:2`);
  });

  it("places a file outside the repository root by its absolute file: URI, never under %SRCROOT%", () => {
    const report = smallReport();
    const first = report.findings[0] as Finding;
    const at = (file: string) =>
      parse(renderSarif({ ...report, root: "/work/app", findings: [{ ...first, file }] })).runs[0]
        ?.results[0]?.locations[0]?.physicalLocation.artifactLocation;
    expect(at("/tmp/other/requirements.txt")).toEqual({
      uri: "file:///tmp/other/requirements.txt",
    });
    expect(at("../shared/poetry.lock")).toEqual({ uri: "file:///work/shared/poetry.lock" });
    expect(at("sub dir/uv.lock")).toEqual({ uri: "sub%20dir/uv.lock", uriBaseId: "%SRCROOT%" });
  });

  it("writes text SARIF would read as markup literally: backslashes, brackets, placeholders; cuts whole characters", () => {
    const report = smallReport();
    const first = report.findings[0] as Finding;
    const message = (text: string) =>
      parse(
        renderSarif({
          ...report,
          findings: [
            {
              ...first,
              message: text,
              evidence: undefined,
              remediation: undefined,
              maintainerName: undefined,
              tracker: undefined,
              allowExpired: undefined,
              introduced: undefined,
            },
          ],
        }),
      ).runs[0]?.results[0]?.message.text;
    // `\[y\](…)` would be a literal backslash, then an embedded link.
    expect(message("\\[y\\](https://evil.example/x)")).toBe(
      "\\\\\\[y\\\\\\](https://evil.example/x)",
    );
    expect(message("{0}{1} placeholder")).toBe("{{0}}{{1}} placeholder");
    const cut = message(`${"a".repeat(998)}😀😀😀`)!;
    expect(cut).toBe(`${"a".repeat(998)}😀…`);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("says which lookups failed this run, so that a missing alert reads as not checked, not fixed", () => {
    const log = parse(renderSarif(smallReport())) as unknown as {
      runs: {
        invocations: {
          executionSuccessful: boolean;
          toolExecutionNotifications?: { level: string; descriptor: { id: string } }[];
        }[];
      }[];
    };
    // The small report's lookup-failed is a TLD without RDAP: no run can look, nothing to say.
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications).toBeUndefined();
    const report = smallReport();
    const failedNow = {
      ...report,
      domains: report.domains.map((d) =>
        d.domain === "faraway-example.de"
          ? { ...d, errorCode: "server-error", error: "answered 503" }
          : d,
      ),
    };
    const failed = parse(renderSarif(failedNow)) as unknown as typeof log &
      SarifLog & {
        runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
      };
    const invocation = failed.runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: "warning", descriptor: { id: "lookup-failed" } }),
    ]);
    expect(failed.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toMatch(
      /^1 domain could not be looked up this run: .*could not be checked; it was not fixed\.$/,
    );
    expect(validate(failed)).toBe(true);
    // A finding that stands on an earlier answer is a failed lookup too (its alert stays, and
    // the run says why it was not looked at again).
    const first = report.findings[0] as Finding;
    const kept = parse(
      renderSarif({ ...report, findings: [{ ...first, keptFrom: "2026-03-22T10:00:00Z" }] }),
    ) as unknown as typeof log;
    expect(kept.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: "warning", descriptor: { id: "lookup-failed" } }),
    ]);
    expect((kept as unknown as SarifLog).runs[0]!.results[0]!.properties.keptFrom).toBe(
      "2026-03-22T10:00:00Z",
    );
    expect(failedToLook(report, [{ ...first, keptFrom: "2026-03-22T10:00:00Z" }])).toBe(true);
    expect(failedToLook(report, [first])).toBe(false);
  });

  it(`writes at most ${MAX_SARIF_RESULTS} results (code scanning refuses more), the most severe, and says so`, () => {
    const report = smallReport();
    const [worst, ...rest] = report.findings as Finding[];
    const many = Array.from({ length: MAX_SARIF_RESULTS + 2 }, (_, i) => ({
      ...rest.at(-1)!,
      package: `pkg-${String(i).padStart(6, "0")}`,
    }));
    const text = renderSarif({ ...report, findings: [worst!, ...many] });
    const log = JSON.parse(text) as {
      runs: {
        results: SarifResult[];
        invocations: { toolExecutionNotifications: { descriptor: { id: string } }[] }[];
      }[];
    };
    expect(log.runs[0]!.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(log.runs[0]!.results[0]!.ruleId).toBe(worst!.kind);
    expect(
      log.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.descriptor.id),
    ).toContain("too-many-results");
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
