import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/render.js";
import { renderTable } from "../../src/report/table.js";
import {
  cleanReport,
  fullScanReport,
  hostileReport,
  smallReport,
} from "../fixtures/report/small-report.js";

describe("table report", () => {
  it("matches the snapshot of the small report", async () => {
    await expect(renderTable(smallReport())).toMatchFileSnapshot(
      "./__snapshots__/small-report.table.txt",
    );
  });

  it("prints one line for a clean run", () => {
    const text = renderTable(cleanReport());
    expect(text).toBe(
      "No findings in 1 package from 1 lockfile (1 package, 1 domain, 1 RDAP lookup, 0 cache hits, 850 ms)\n",
    );
  });

  it("orders findings by severity, then package, and ends with the verdict and what fails", () => {
    const lines = renderTable(fullScanReport()).trimEnd().split("\n");
    const severities = lines
      .filter((l) => /^(CRITICAL|HIGH|MEDIUM|LOW) /.test(l))
      .map((l) => l.split(" ")[0]);
    expect(severities).toEqual([
      "CRITICAL",
      "CRITICAL",
      "CRITICAL",
      "CRITICAL",
      "CRITICAL",
      "HIGH",
      "HIGH",
      "MEDIUM",
      "MEDIUM",
      "MEDIUM",
    ]);
    expect(lines.at(-1)).toMatch(
      /^9 findings \(4 critical, 2 high, 3 medium\) in 8 of 12 packages from 2 lockfiles; 1 allowed; 1 domain could not be checked/,
    );
    expect(lines.at(-1)).toMatch(/6 findings fail this run \(fail-on: high\)\.$/);
  });

  it("lists what was not checked with a reason, and broken files compiler-style", () => {
    const text = renderTable(smallReport());
    expect(text).toMatch(
      /Not checked\n {2}domain +faraway-example\.de +no-rdap: no RDAP server for \.de +\(faraway\)/,
    );
    expect(text).toMatch(/package +private-pkg +not found on the package index/);
    expect(text).toContain("  sub/Pipfile.lock:4:9: invalid JSON: unexpected token [json-syntax]");
  });

  it("shows allowed findings with their reason, and expired allowances", () => {
    const text = renderTable(smallReport());
    expect(text).toMatch(/knownlib 1\.0 .* allowed: Maintainer moved to a new address/);
    expect(text).toMatch(/stalelib 0\.3\.0 .*\(allowance expired 2026-01-01: Checked once\)/);
    expect(text).toMatch(/movedlib 1\.4\.0 .*\(already present\)/);
  });

  it("colours only when asked", () => {
    expect(renderReport(smallReport(), "table")).not.toContain("\u001b[");
    expect(renderReport(smallReport(), "table", { color: true })).toContain(
      "\u001b[1;31mCRITICAL\u001b[0m",
    );
  });

  it("prints hostile text inert: no escape sequences, no line starting a workflow command", () => {
    const text = renderTable(hostileReport());
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = text.split("\n");
    expect(lines.filter((l) => l.trimStart().startsWith("::"))).toEqual([]);
    expect(text).toContain("./::add-mask::x.txt:1");
    expect(text).toContain("x ::add-mask::y");
  });
});
