// "Tell the maintainers" with hostile metadata: the maintainer's name, the link labels and URLs
// and the issue tracker come from the package's metadata, so an attacker chooses them. The
// collapsed block must stay one block, its text must mention and link nothing when shown or
// pasted, the tracker link must be a plain http(s) destination, and no format may carry a
// workflow command.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideCode, startHostileWorld, type HostileWorld } from "./harness.js";

const NAME =
  "@octocat</summary></details><script>alert(1)</script> ``` ::error::x ##[warning]y \u001b[31m see www.evil-example.com and GH-1";
const LABEL = "Docs](javascript:alert(1)) </details> @github/security-team `x`";

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "note-victim==1.0.0\nlink-victim==2.0.0\n" },
    packages: {
      "note-victim": {
        name: "note-victim",
        // The name beside the address: quoted, so RFC 822 keeps the brackets in it.
        author_email: `"${NAME.replace(/"/g, "")}" <dev@note-hostile.com>`,
        project_urls: {
          "Bug Tracker": "https://bugs.example.org/x)](javascript:alert(1))<b>`@octocat`",
        },
      },
      "link-victim": {
        name: "link-victim",
        author: "x".repeat(10_000),
        author_email: "dev@gmail.com",
        project_urls: {
          [LABEL]: "https://docs.link-hostile.com/::error::/##[warning]/@octocat?q=<script>",
          Source: "https://github.com/o/r",
        },
      },
    },
  });
});

afterAll(async () => {
  await world?.close();
});

const blocks = (markdown: string) =>
  markdown.split("<details><summary>Tell the maintainers").slice(1);

describe("the maintainer note with hostile metadata", () => {
  it("renders one closed block per finding, with the hostile text shown but inert", async () => {
    const { stdout } = await world.run("markdown");
    const notes = blocks(stdout);
    // note-victim's address domain, its tracker's domain (a link like any other: this registry
    // has no record of it) and link-victim's documentation site.
    expect(notes).toHaveLength(3);
    expect(stdout).toContain("octocat"); // shown, so the checks below are not vacuous
    for (const note of notes) {
      const [block] = note.split("\n</details>\n");
      // Nothing inside the block closes it or the summary early.
      expect(block).not.toMatch(/<\/details>|<\/summary>.*<\/summary>|<script/i);
      const live = outsideCode(block ?? "");
      expect(live).not.toMatch(/(^|[^\w\u200d`])@[A-Za-z0-9]/m);
      expect(live).not.toMatch(/\]\(javascript:/i);
    }
    expect(stdout.split("\n").some((l) => l.trimStart().startsWith("::"))).toBe(false);
    expect(stdout).not.toMatch(/##\[/);
    // The pasted text mentions nobody either: every @ in it is broken.
    const pasted = stdout.match(/^`{3,}text\n([\s\S]*?)\n`{3,}$/gm) ?? [];
    expect(pasted.length).toBe(3);
    for (const text of pasted) expect(text).not.toMatch(/@(?!\u200d)[A-Za-z0-9]/);
    // Nor autolinks a bare www. host, nor references an issue: shown, but broken.
    expect(pasted.join("\n")).toContain("evil-example.com");
    for (const text of pasted) expect(text).not.toMatch(/\bwww\.|\bGH-\d/i);
  });

  it("the tracker link is an http(s) destination that cannot break out of the link", async () => {
    const { stdout } = await world.run("markdown");
    const links = [...stdout.matchAll(/\[package's issue tracker\]\(([^)\s]*)\)/g)].map(
      (m) => m[1],
    );
    const tracker =
      "https://bugs.example.org/x%29%5D%28javascript:alert%281%29%29%3Cb%3E%60@octocat%60";
    expect([...new Set(links)].sort()).toEqual([tracker, "https://github.com/o/r/issues"].sort());
  });

  it("the name is bounded in every format, and no format carries a workflow command", async () => {
    for (const format of ["table", "json", "sarif"] as const) {
      const { stdout } = await world.run(format);
      expect(stdout, format).not.toMatch(/##\[/);
      expect(
        stdout.split("\n").some((l) => l.trimStart().startsWith("::")),
        format,
      ).toBe(false);
      expect(stdout, format).not.toContain("x".repeat(200));
      expect(stdout, format).not.toContain("\u001b[31m");
    }
    // The JSON escapes `##[` losslessly: the strings parse back as the metadata wrote them.
    const json = JSON.parse((await world.run("json")).stdout) as {
      findings: {
        package: string;
        kind: string;
        maintainerName?: string;
        link?: { label: string };
      }[];
    };
    const victim = json.findings.find((f) => f.package === "note-victim");
    expect(victim?.maintainerName).toContain("@octocat");
    expect(victim?.maintainerName).toContain("##[warning]");
    expect(victim?.maintainerName).not.toMatch(/[\u0000-\u001f]/);
    const link = json.findings.find((f) => f.kind === "project-url-domain-lapsed");
    expect(link?.link?.label.length).toBeLessThanOrEqual(80);
  });
});

describe("a tracker link to one GitHub issue", () => {
  it("points at the repository's issues page, so that rendering it posts no cross-reference", async () => {
    const { trackerHref } = await import("../../src/report/maintainer-note.js");
    expect(trackerHref("https://github.com/o/r/issues/12")).toBe("https://github.com/o/r/issues");
    expect(trackerHref("https://github.com/o/r/pull/7#x")).toBe("https://github.com/o/r/issues");
    expect(trackerHref("https://github.com/o/r/issues")).toBe("https://github.com/o/r/issues");
    expect(trackerHref("javascript:alert(1)")).toBeUndefined();
    expect(trackerHref("https://u:p@bugs.example.org/")).toBeUndefined();
  });
});
