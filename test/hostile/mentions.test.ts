// @mentions: a registry status or an e-mail local part such as `@octocat` or
// `@github/security-team` must not notify anyone when the summary or a comment is rendered.
// GitHub mentions `@name` when `@` follows a non-word character; escaping with `\@` does not
// stop it, so the text must be broken (or kept inside a code span).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outsideCode, rdapBody, startHostileWorld, type HostileWorld } from "./harness.js";

const ATTACKS = {
  user: "@octocat please look at this",
  team: "cc @github/security-team",
  afterPunctuation: "(@dependabot) rebase",
  escapedAttempt: "\\@octocat",
  htmlEntity: "&#64;octocat",
  fullwidth: "\uff20octocat",
};

let world: HostileWorld;

beforeAll(async () => {
  world = await startHostileWorld({
    files: { "requirements.txt": "mention-victim==1.0.0\n" },
    packages: {
      "mention-victim": {
        name: "mention-victim",
        author_email: `"@octocat"@mention-hostile.com, "cc @github/security-team"@mention-hostile.com`,
      },
    },
    domains: {
      "mention-hostile.com": rdapBody("mention-hostile.com", [
        "client hold",
        ...Object.values(ATTACKS),
      ]),
    },
  });
});

afterAll(async () => {
  await world?.close();
});

describe("@mentions", () => {
  it("the Markdown summary mentions nobody", async () => {
    const { code, stdout } = await world.run("markdown");
    expect(code).toBe(0); // on hold is medium: below fail-on high
    expect(stdout).toContain("octocat"); // shown, so the check below is not vacuous
    const live = outsideCode(stdout);
    // `@` directly followed by a name character, after start, space or punctuation.
    expect(live).not.toMatch(/(^|[^\w\u200d`])@[A-Za-z0-9]/m);
    // An HTML entity for `@` would be decoded and mention too.
    expect(live).not.toMatch(/(?<!&amp;)&#0*64;[A-Za-z0-9]/);
  });

  it("SARIF markdown messages mention nobody", async () => {
    const { stdout } = await world.run("sarif");
    const sarif = JSON.parse(stdout) as {
      runs: { results: { message: { markdown?: string } }[] }[];
    };
    for (const result of sarif.runs.flatMap((r) => r.results)) {
      if (!result.message.markdown) continue;
      expect(outsideCode(result.message.markdown)).not.toMatch(/(^|[^\w\u200d`])@[A-Za-z0-9]/m);
    }
  });
});
