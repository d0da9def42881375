import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { renderReport } from "../../src/report/render.js";
import {
  HOSTILE,
  cleanReport,
  hostileReport,
  smallReport,
} from "../fixtures/report/small-report.js";

describe("JSON report", () => {
  it("writes characters a terminal acts on, or that reorder text, as \\u escapes: the same data, inert on screen", () => {
    const report = smallReport();
    const first = report.findings[0]!;
    const hostile = "evil\u009b2J\u202eexe.\u2028next\u0085";
    const text = renderJson({ ...report, findings: [{ ...first, maintainerName: hostile }] });
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    expect(text).toContain("evil\\u009b2J\\u202eexe.\\u2028next\\u0085");
    const back = JSON.parse(text) as { findings: { maintainerName?: string }[] };
    expect(back.findings[0]!.maintainerName).toBe(hostile);
  });

  it("matches the snapshot of the small report", async () => {
    await expect(renderJson(smallReport())).toMatchFileSnapshot(
      "./__snapshots__/small-report.json",
    );
  });

  it("is what renderReport gives for json", () => {
    expect(renderReport(smallReport(), "json")).toBe(renderJson(smallReport()));
  });

  it("keeps the documented key order, with null for absent values", () => {
    const parsed = JSON.parse(renderJson(smallReport())) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      "dependencies",
      "findings",
      "domains",
      "coverageLimits",
      "packages",
      "errors",
      "lockfiles",
      "stats",
      "tool",
      "startedAt",
      "failOn",
      "diff",
    ]);
    const findings = parsed.findings as Record<string, unknown>[];
    expect(Object.keys(findings[0] ?? {})).toEqual([
      "kind",
      "severity",
      "package",
      "version",
      "email",
      "maintainerName",
      "field",
      "domain",
      "tracker",
      "file",
      "line",
      "message",
      "evidence",
      "remediation",
      "failing",
      "introduced",
    ]);
    const notFound = findings.find((f) => f.kind === "package-not-found");
    expect(notFound).toMatchObject({
      email: null,
      domain: null,
      evidence: null,
      file: "requirements.txt",
      line: 17,
    });
    const deps = parsed.dependencies as Record<string, unknown>[];
    expect(deps.find((d) => d.name === "localpkg")).toEqual({
      name: "localpkg",
      version: null,
      file: "requirements.txt",
      line: 19,
      format: "requirements",
      kind: "path",
    });
  });

  it("leaves out the diff outside pull requests and never prints the absolute root", () => {
    const text = renderJson(cleanReport());
    expect(JSON.parse(text)).not.toHaveProperty("diff");
    expect(text).not.toContain('"/repo"');
  });

  it("is 2-space indented and ends in a newline", () => {
    const text = renderJson(cleanReport());
    expect(text.startsWith('{\n  "dependencies": [')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("keeps hostile strings as data: exact after parsing, and no printed line can start a workflow command", () => {
    const text = renderJson(hostileReport());
    const parsed = JSON.parse(text) as { findings: { package: string }[] };
    expect(parsed.findings.map((f) => f.package)).toContain(HOSTILE.commandName);
    expect(text.split("\n").filter((l) => l.trimStart().startsWith("::"))).toEqual([]);
    expect(text).not.toContain("\u001b");
  });
});
