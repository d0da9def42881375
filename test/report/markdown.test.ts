import { describe, expect, it } from "vitest";
import { COMMENT_MAX_CHARS, renderMarkdown } from "../../src/report/markdown.js";
import { renderReport } from "../../src/report/render.js";
import type { Finding, Report } from "../../src/types.js";
import {
  cleanReport,
  fullScanReport,
  hostileReport,
  smallReport,
} from "../fixtures/report/small-report.js";
import { liveMarkdownProblems } from "./inert.js";

const LINKED = {
  repoUrl: "https://github.com/o/r",
  sha: "0123456789abcdef0123456789abcdef01234567",
};

/** Cells of a table row, split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

function tableShapeProblems(markdown: string): string[] {
  const problems: string[] = [];
  let width = -1;
  for (const line of markdown.split("\n")) {
    if (!line.startsWith("|")) {
      width = -1;
      continue;
    }
    const n = cells(line).length;
    if (width === -1) width = n;
    else if (n !== width) problems.push(line);
  }
  return problems;
}

function manyFindings(n: number): Report {
  const base = fullScanReport();
  const template = base.findings[0] as Finding;
  const findings = Array.from({ length: n }, (_, i) => ({
    ...template,
    package: `pkg-${String(i).padStart(5, "0")}`,
    domain: `lapsed-${i}.example.com`,
    line: i + 1,
  }));
  return { ...base, findings, stats: { ...base.stats, packages: n } };
}

describe("Markdown report", () => {
  it("writes a maintainer's name in the note's <summary> as HTML text: no backslash shows, nothing is live", () => {
    const report = smallReport();
    const first = report.findings.find((f) => f.tracker !== undefined)!;
    const named = { ...first, maintainerName: "Jane (ACME) <jane@acme.example> [x](y) #12 *hi*" };
    const markdown = renderMarkdown(
      { ...report, findings: [named] },
      { maxLength: COMMENT_MAX_CHARS, context: "comment" },
    );
    const summary = /<summary>(.*)<\/summary>/.exec(markdown)?.[1] ?? "";
    expect(summary).toContain(
      "(Jane (ACME) &lt;jane@\u200dacme.example&gt; &#91;x&#93;(y) #\u200d12 *hi*)",
    );
    expect(summary).not.toContain("\\");
  });

  it("matches the snapshot of the small report as a PR comment with line links", async () => {
    const text = renderMarkdown(smallReport(), {
      maxLength: COMMENT_MAX_CHARS,
      context: "comment",
      marker: "<!-- maintainer-domain-guard -->",
      ...LINKED,
    });
    await expect(text).toMatchFileSnapshot("./__snapshots__/small-report.comment.md");
  });

  it("matches the snapshot of a full scan through the CLI format", async () => {
    await expect(renderReport(fullScanReport(), "markdown")).toMatchFileSnapshot(
      "./__snapshots__/small-report.full.md",
    );
  });

  it("opens with the marker, then the verdict with counts and plurals", () => {
    const lines = renderMarkdown(smallReport(), {
      maxLength: COMMENT_MAX_CHARS,
      marker: "<!-- m -->",
    }).split("\n");
    expect(lines[0]).toBe("<!-- m -->");
    expect(lines[3]).toContain(
      "9 findings \\(4 critical, 2 high, 3 medium\\) in 8 of 12 packages from 2 lockfiles",
    );
    expect(lines[3]).toContain("1 domain could not be checked");
    expect(lines[5]).toBe(":x: 5 findings fail this run (fail-on: high).");
  });

  it("says a clean run in one verdict line, singular where it should be", () => {
    const text = renderMarkdown(cleanReport(), { maxLength: COMMENT_MAX_CHARS });
    expect(text).toContain("**No findings in 1 package from 1 lockfile.**");
    expect(text).toContain(":white_check_mark: Nothing fails this run (fail-on: high).");
    expect(text).not.toContain("### ");
    expect(text).not.toContain("How to allow");
  });

  it("splits a pull request into introduced and already-present findings", () => {
    const text = renderMarkdown(smallReport(), { maxLength: COMMENT_MAX_CHARS });
    const introduced = text.indexOf("### Introduced by this change");
    const present = text.indexOf("### Already present");
    expect(introduced).toBeGreaterThan(0);
    expect(present).toBeGreaterThan(introduced);
    expect(text.slice(present)).toContain("`movedlib`");
    expect(text.slice(introduced, present)).not.toContain("`movedlib`");
  });

  it("shows evidence in a few words, allowed findings with their reason, and what was not checked", () => {
    const text = renderMarkdown(smallReport(), { maxLength: COMMENT_MAX_CHARS });
    expect(text).toContain("| expired 2026-01-14, redemption period (maintainer: Jane Doe) |");
    expect(text).toContain("allowance expired 2026-01-01: Checked once");
    expect(text).toMatch(
      /### Allowed[\s\S]*`knownlib` \| `known-example.com` \| domain-expired \| Maintainer moved to a new address; verified in the tracker \| 2026-12-31/,
    );
    expect(text).toContain(
      "| domain `faraway-example.de` | no-rdap: no RDAP server for .de | `faraway` |",
    );
  });

  it("links locations only when the repository URL, commit and path are valid", () => {
    const linked = renderMarkdown(smallReport(), { maxLength: COMMENT_MAX_CHARS, ...LINKED });
    expect(linked).toContain(
      `[line 3](https://github.com/o/r/blob/${LINKED.sha}/requirements.txt#L3)`,
    );
    const badSha = renderMarkdown(smallReport(), {
      maxLength: COMMENT_MAX_CHARS,
      repoUrl: LINKED.repoUrl,
      sha: "main)](https://evil",
    });
    expect(badSha).not.toMatch(/\[line \d+\]\(/);
    const badRepo = renderMarkdown(smallReport(), {
      maxLength: COMMENT_MAX_CHARS,
      repoUrl: "javascript:alert(1)",
      sha: LINKED.sha,
    });
    expect(badRepo).not.toMatch(/\[line \d+\]\(/);
  });

  it.each([
    ["comment", COMMENT_MAX_CHARS, "chars" as const],
    ["summary", 200_000, "bytes" as const],
  ])(
    "stays within the %s limit and says how many rows it left out and where the rest is",
    (context, max, unit) => {
      const report = manyFindings(3000);
      const text = renderMarkdown(report, {
        maxLength: max,
        context: context as "comment" | "summary",
      });
      const size = unit === "bytes" ? Buffer.byteLength(text) : text.length;
      expect(size).toBeLessThanOrEqual(max);
      const note = /_(\d+) rows left out to stay within [\d,]+ (characters|bytes); (.*)\._/.exec(
        text,
      );
      expect(note, "a truncation note").not.toBeNull();
      // The summary's wide rows start with the severity, the comment's narrow rows with the package.
      const shown = text
        .split("\n")
        .filter((l) => /^\| (\*\*critical\*\* \| )?`pkg-/.test(l)).length;
      // The rows left out are the findings not shown, plus the unchecked domain, the package
      // missing from the index and the broken file, which rank after every finding, and the
      // 3000 notes for the maintainers, which rank last.
      expect(shown + Number(note?.[1])).toBe(3000 + 3 + 3000);
      expect(text).not.toContain("### Tell the maintainers");
      expect(shown).toBeGreaterThan(100);
      expect(note?.[3]).toMatch(context === "comment" ? /job summary/ : /JSON report/);
      expect(tableShapeProblems(text)).toEqual([]);
    },
  );

  it("with 20,000 findings (multi-byte text) stays under the real 1 MiB summary and 65,536-character comment limits", () => {
    const report = manyFindings(20_000);
    report.findings = report.findings.map((f, i) => ({
      ...f,
      domain: `lapsed-ü-${i}.example.com`,
    }));
    const summary = renderMarkdown(report, { maxLength: 1024 * 1024 - 1024, context: "summary" });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024 - 1024);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(900 * 1024);
    expect(summary).toMatch(/_\d+ rows left out to stay within 1,047,552 bytes; /);
    const comment = renderMarkdown(report, {
      maxLength: COMMENT_MAX_CHARS - 512,
      context: "comment",
    });
    expect(comment.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS - 512);
    expect(comment).toMatch(/_\d+ rows left out to stay within 65,024 characters; the job summary/);
    expect(tableShapeProblems(summary)).toEqual([]);
    expect(tableShapeProblems(comment)).toEqual([]);
  });

  it("keeps the most severe rows when it has to drop some", () => {
    const report = manyFindings(2000);
    report.findings.push({
      ...(report.findings[0] as Finding),
      kind: "domain-expiring",
      severity: "medium",
      package: "aaa-medium",
    });
    const text = renderMarkdown(report, { maxLength: 20_000 });
    expect(text).not.toContain("`aaa-medium`");
    expect(text).toContain("`pkg-00000`");
  });

  it("never exceeds even a tiny limit", () => {
    const text = renderMarkdown(smallReport(), { maxLength: 300 });
    expect(text.length).toBeLessThanOrEqual(300);
  });

  it("renders hostile names, e-mails, domains and reasons inert, and keeps every table row whole", () => {
    const text = renderMarkdown(hostileReport(), {
      maxLength: COMMENT_MAX_CHARS,
      context: "comment",
      ...LINKED,
    });
    expect(liveMarkdownProblems(text)).toEqual([]);
    expect(tableShapeProblems(text)).toEqual([]);
    // The injected file name gets no link: we only link validated relative paths.
    expect(text).toContain("| line 1 |");
  });
});
