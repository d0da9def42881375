// Markdown injection: the Markdown summary (job summary, PR comment) and SARIF messages must
// show attacker-controlled strings as text: no links, images, HTML, autolinks, math, or cells
// that break the table. Strings arrive through registry statuses and quoted e-mail local parts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideCode, rdapBody, startHostileWorld, type HostileWorld } from "./harness.js";

const ATTACKS = {
  link: "[click to verify](https://evil.example/phish)",
  referenceLink: "[verify][1]\n\n[1]: https://evil.example/ref",
  image: "![tracking pixel](https://evil.example/pixel.png)",
  html: '<img src=x onerror="alert(1)">',
  anchor: '<a href="https://evil.example/a">renew now</a>',
  details: "<details open><summary>All clear</summary>",
  comment: "<!-- hide the rest",
  tableBreak: "| forged | row | with | cells |",
  tableRow: "ok |\n| critical | fake-package | 1.0 | x | y | z |",
  autolink: "https://evil.example/raw",
  angleAutolink: "<https://evil.example/angle>",
  www: "www.evil.example",
  backticks: "``` closing fence ` and `code`",
  emphasis: "***loud*** _quiet_ ~~struck~~",
  math: "$\\color{red}{\\text{ALL CLEAR}}$",
  heading: "# Fake heading",
  issueRef: "fixes #1",
};

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "md-victim==1.0.0\nmd-victim-two==3.1.0\n" },
    packages: {
      "md-victim": {
        name: "md-victim",
        author_email: `"${ATTACKS.link}"@md-hostile.com, "${ATTACKS.html.replace(/"/g, "'")}"@md-hostile.com`,
      },
      "md-victim-two": {
        name: "md-victim-two",
        author_email: `"a|b|c"@md-hostile-two.org, x*y_z\`w\`@md-hostile-two.org`,
      },
    },
    domains: {
      "md-hostile.com": rdapBody("md-hostile.com", ["client hold", ...Object.values(ATTACKS)]),
      "md-hostile-two.org": rdapBody("md-hostile-two.org", [
        "pending delete",
        ATTACKS.tableRow,
        ATTACKS.image,
      ]),
    },
  });
});

afterAll(async () => {
  await world?.close();
});

/** Unescaped `|` in a line: each is a cell boundary in a GFM table. */
function cellBoundaries(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

describe("Markdown injection", () => {
  it("the Markdown summary shows every attack string as text", async () => {
    const { code, stdout } = await world.run("markdown");
    expect(code).toBe(1);
    // The hostile answers were used and shown (escaped), so the checks below are not vacuous.
    expect(stdout).toContain("md-hostile.com");
    expect(stdout).toMatch(/evil/);

    const live = outsideCode(stdout);
    expect(live).not.toMatch(/(?<!\\)\]\((?!\s)/); // [text](url)
    expect(live).not.toMatch(/(?<!\\)!(?<!\\)\[/); // ![image]
    expect(live).not.toMatch(/^\s*\[[^\]]*\]:\s/m); // [1]: url (reference definition)
    expect(live).not.toMatch(/<img|<a\s|<!--|<details open/i);
    expect(live).not.toMatch(/https?:\/\/evil/); // bare autolink
    expect(live).not.toMatch(/<https?:/); // angle autolink
    expect(live).not.toMatch(/(?<![\\\u200d])www\.evil/); // www autolink
    expect(live).not.toMatch(/(?<!\\)\$\\color/); // math
    expect(live).not.toMatch(/^# Fake heading/m);
    expect(live).not.toMatch(/(?<![\\\w])#1\b/); // issue reference

    // Every table keeps its shape: each row has as many cell boundaries as its header.
    const lines = stdout.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const previous = lines[i - 1] ?? "";
      if (!line.startsWith("|") || previous.startsWith("|")) continue;
      const header = cellBoundaries(line);
      for (let j = i + 1; j < lines.length && (lines[j] as string).startsWith("|"); j++) {
        expect(cellBoundaries(lines[j] as string), `table row: ${lines[j]}`).toBe(header);
      }
    }
  });

  it("SARIF messages carry no embedded links (SARIF renders [text](target) in message text)", async () => {
    const { stdout } = await world.run("sarif");
    const sarif = JSON.parse(stdout) as {
      runs: { results: { message: { text?: string; markdown?: string } }[] }[];
    };
    const results = sarif.runs.flatMap((r) => r.results);
    expect(results.length).toBeGreaterThan(0);
    for (const { message } of results) {
      expect(message.text ?? "").not.toMatch(/(?<!\\)\]\(/);
      if (message.markdown) {
        const live = outsideCode(message.markdown);
        expect(live).not.toMatch(/(?<!\\)\]\(/);
        expect(live).not.toMatch(/<img|<a\s/i);
      }
    }
  });
});
