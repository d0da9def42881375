import { describe, expect, it } from "vitest";
import { escapeWorkflowCommand } from "../../src/report/escape.js";
import { buildAnnotations, type Annotation } from "../../src/report/annotations.js";
import type { Finding } from "../../src/types.js";
import { fullScanReport, hostileReport, smallReport } from "../fixtures/report/small-report.js";

/** The workflow command line the toolkit issues for an annotation, with its escaping rules. */
function commandLine(a: Annotation): string {
  const props = `file=${escapeWorkflowCommand(a.file, "property")},line=${a.startLine},title=${escapeWorkflowCommand(a.title, "property")}`;
  return `::${a.level} ${props}::${escapeWorkflowCommand(a.message)}`;
}

describe("annotations", () => {
  it("match the snapshot of the small report", async () => {
    await expect(
      `${JSON.stringify(buildAnnotations(smallReport()), null, 2)}\n`,
    ).toMatchFileSnapshot("./__snapshots__/small-report.annotations.json");
  });

  it("are errors for failing findings, warnings for other medium+ ones, notices for the rest", () => {
    const annotations = buildAnnotations(smallReport());
    const byTitle = new Map(annotations.map((a) => [a.title, a]));
    expect(byTitle.get("domain-unregistered: ctx-like 0.1.2")).toMatchObject({
      level: "error",
      file: "requirements.txt",
      startLine: 3,
    });
    expect(byTitle.get("domain-reregistered: stalelib 0.3.0")?.level).toBe("error");
    expect(byTitle.get("domain-on-hold: heldlib 0.9")?.level).toBe("warning");
    expect(byTitle.get("domain-reregistered: movedlib 1.4.0")).toMatchObject({ level: "notice" });
    expect(byTitle.get("domain-reregistered: movedlib 1.4.0")?.message).toMatch(
      /^Already present before this change\./,
    );
    expect(byTitle.get("domain-expired: knownlib 1.0")?.message).toMatch(
      /^Allowed: Maintainer moved/,
    );
    expect(byTitle.get("lookup-failed: faraway 5.0")?.level).toBe("notice");
  });

  it("put what, evidence and what to do in the message, in that order", () => {
    const a = buildAnnotations(fullScanReport()).find(
      (x) => x.title === "domain-expired: oldlib 2.0.0",
    );
    expect(a?.message).toMatch(
      /^Maintainer e-mail domain has expired for oldlib\. RDAP for redeem-example\.net reports redemption period, expiry 2026-01-14\. Review releases/,
    );
  });

  it("keep at most 9 per level and add one notice that says how many more and where", () => {
    const base = fullScanReport();
    const template = base.findings[0] as Finding;
    const findings: Finding[] = [
      ...Array.from({ length: 15 }, (_, i) => ({ ...template, package: `fail-${i}`, line: i + 1 })),
      ...Array.from({ length: 12 }, (_, i) => ({
        ...template,
        package: `warn-${i}`,
        severity: "medium" as const,
        kind: "domain-on-hold" as const,
        failing: false,
        line: i + 1,
      })),
    ];
    const annotations = buildAnnotations({ ...base, findings });
    expect(annotations.filter((a) => a.level === "error")).toHaveLength(9);
    expect(annotations.filter((a) => a.level === "warning")).toHaveLength(9);
    const notices = annotations.filter((a) => a.level === "notice");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toBe(
      "9 more findings are in the job summary and the JSON report (GitHub shows at most 10 annotations of each level per step).",
    );
    expect(annotations.filter((a) => a.level === "error").map((a) => a.title)).toContain(
      "domain-unregistered: fail-0 0.1.2",
    );
  });

  it("leave the slots the step already used to earlier warnings, and count what they push out", () => {
    const base = fullScanReport();
    const template = base.findings[0] as Finding;
    const findings: Finding[] = Array.from({ length: 8 }, (_, i) => ({
      ...template,
      package: `warn-${i}`,
      severity: "medium" as const,
      kind: "domain-on-hold" as const,
      failing: false,
      line: i + 1,
    }));
    // Four warnings (lockfile problems, the base-commit note) were issued before the findings.
    const annotations = buildAnnotations({ ...base, findings }, { used: { warning: 4 } });
    expect(annotations.filter((a) => a.level === "warning")).toHaveLength(5);
    expect(annotations.filter((a) => a.level === "notice").map((a) => a.message)).toEqual([
      "3 more findings are in the job summary and the JSON report (GitHub shows at most 10 annotations of each level per step).",
    ]);
  });

  it("add no summary notice when everything fits", () => {
    expect(buildAnnotations(smallReport()).some((a) => /more finding/.test(a.title))).toBe(false);
  });

  it("keep hostile text on one line, so the issued command cannot start another", () => {
    const annotations = buildAnnotations(hostileReport());
    for (const a of annotations) {
      for (const field of [a.title, a.message, a.file])
        expect(field).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    const output = annotations.map(commandLine).join("\n");
    expect(output.split("\n")).toHaveLength(annotations.length);
    expect(output.split("\n").every((l) => /^::(error|warning|notice) file=/.test(l))).toBe(true);
    expect(output).toContain("file=%3A%3Aadd-mask%3A%3Ax.txt");
    expect(output).toContain("x.com%250A%3A%3Aset-output");
  });
});
