// The sticky pull-request comment and the tracking issue, against a loopback GitHub REST server
// through the real Octokit from @actions/github (baseUrl passed explicitly).
import { getOctokit } from "@actions/github";
import { afterEach, describe, expect, it } from "vitest";
import {
  MARKER,
  describe as describeError,
  MAX_BODY_CHARS,
  TRACKING_LABEL,
  parseRepository,
  syncPrComment,
  syncTrackingIssue,
  withMarker,
} from "../../src/action/github.js";
import {
  authorMatch,
  authorRecord,
  whoAmI,
  type TokenIdentity,
} from "../../src/action/identity.js";
import {
  ACTIONS_APP,
  REPOSITORY_ID,
  ACTIONS_BOT,
  startGitHubServer,
  type GitHubServer,
} from "../servers/github.js";

let gh: GitHubServer | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const repo = { owner: "octo", repo: "lib" };
const resolvedBody = `${MARKER}\nresolved`;
/** GITHUB_TOKEN: an installation token, which writes as github-actions[bot]. */
const identity: TokenIdentity = { kind: "installation" };

async function server(opts: { perPage?: number } = {}) {
  gh = await startGitHubServer(opts);
  return { gh, octokit: getOctokit("ghs_test_token", { baseUrl: gh.url }) };
}

describe("sticky pull-request comment", () => {
  it("is created with findings, updated in place, then turned into 'resolved' when findings disappear", async () => {
    const { gh, octokit } = await server();
    gh.addComment(7, { body: "LGTM", user: { login: "alice", type: "User" } });

    const first = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "2 findings",
      resolvedBody,
      identity,
    });
    expect(first.action).toBe("created");
    const second = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "1 finding",
      resolvedBody,
      identity,
    });
    expect(second).toEqual({ action: "updated", id: "id" in first ? first.id : -1 });
    const third = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: undefined,
      resolvedBody,
      identity,
    });
    expect(third.action).toBe("resolved");

    const ours = gh.comments.filter((c) => c.body.includes(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(resolvedBody);
    expect(gh.comments.find((c) => c.user.login === "alice")!.body).toBe("LGTM");
    expect(gh.log()).toEqual([
      "GET /repos/octo/lib/issues/7/comments",
      "POST /repos/octo/lib/issues/7/comments",
      "GET /repos/octo/lib/issues/7/comments",
      "PATCH /repos/octo/lib/issues/comments/1001",
      "GET /repos/octo/lib/issues/7/comments",
      "PATCH /repos/octo/lib/issues/comments/1001",
    ]);
    expect(gh.requests.every((r) => r.authorization === "token ghs_test_token")).toBe(true);
  });

  it("on-findings does not create a comment for a clean pull request", async () => {
    const { gh, octokit } = await server();
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 3,
      mode: "on-findings",
      findingsBody: undefined,
      resolvedBody,
      identity,
    });
    expect(outcome.action).toBe("skipped");
    expect(gh.log()).toEqual(["GET /repos/octo/lib/issues/3/comments"]);
  });

  it("never edits a human's comment that carries the marker; writes its own instead", async () => {
    const { gh, octokit } = await server();
    const human = gh.addComment(7, {
      body: `${MARKER}\nquoted`,
      user: { login: "alice", type: "User" },
    });
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "findings",
      resolvedBody,
      identity,
    });
    expect(outcome.action).toBe("created");
    expect(gh.comments.find((c) => c.id === human.id)!.body).toBe(`${MARKER}\nquoted`);
    expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual([
      "POST /repos/octo/lib/issues/7/comments",
    ]);
    // And a clean run does not "resolve" the human's comment either.
    const clean = await syncPrComment(octokit, {
      ...repo,
      number: 3,
      mode: "on-findings",
      findingsBody: undefined,
      resolvedBody,
      identity,
    });
    expect(clean.action).toBe("skipped");
  });

  it("recognises its comment by performed_via_github_app; another app's bot only where its body records it", async () => {
    const { gh, octokit } = await server();
    gh.addComment(7, {
      body: `${MARKER}\nother app`,
      user: { login: "renovate[bot]", type: "Bot" },
      performed_via_github_app: { slug: "renovate" },
    });
    const ours = gh.addComment(7, {
      body: `${MARKER}\nours`,
      user: ACTIONS_BOT,
      performed_via_github_app: ACTIONS_APP,
    });
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "new",
      resolvedBody,
      identity,
    });
    expect(outcome).toEqual({ action: "updated", id: ours.id });
    // Another app's bot is ours only where the body records it as the author (what our writes
    // with an app's token do): a bot quoting our comment has another login than the recorded one.
    const appBot = {
      user: { login: "octo-app[bot]", type: "Bot" },
      performed_via_github_app: { slug: "octo-app" },
    };
    expect(authorMatch(identity, { ...appBot, body: MARKER })).toBe(0);
    expect(authorMatch(identity, { ...appBot, body: authorRecord("octo-app[bot]") })).toBe(1);
    expect(authorMatch(identity, { ...appBot, body: authorRecord("renovate[bot]") })).toBe(0);
    expect(authorMatch(identity, { user: { login: "github-actions[bot]", type: "User" } })).toBe(0);
  });

  it("with a personal token, only comments of that login are ours (GET /user names it)", async () => {
    const me = { login: "release-bot", type: "User" as const };
    gh = await startGitHubServer({ user: me, writer: { user: me, app: null } });
    const octokit = getOctokit("ghp_test", { baseUrl: gh.url });
    gh.addComment(7, { body: `${MARKER}\nby actions`, user: ACTIONS_BOT });
    const mine = gh.addComment(7, { body: `${MARKER}\nmine`, user: me });
    const who = await whoAmI(octokit);
    expect(who).toEqual({ kind: "user", login: "release-bot" });
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "x",
      resolvedBody,
      identity: who,
    });
    expect(outcome).toEqual({ action: "updated", id: mine.id });
  });

  it("a 403 on editing a comment that looked like ours writes a new one instead of blaming the token", async () => {
    // A Bot comment through the github-actions app, but written by another installation.
    const { gh, octokit } = await server();
    gh.addComment(7, {
      body: `${MARKER}\nlooks like ours`,
      user: { login: "someone[bot]", type: "Bot" },
      performed_via_github_app: ACTIONS_APP,
    });
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody: "x",
      resolvedBody,
      identity,
    });
    expect(outcome.action).toBe("created");
    expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual([
      "PATCH /repos/octo/lib/issues/comments/1000",
      "POST /repos/octo/lib/issues/7/comments",
    ]);
  });

  it("follows Link headers that name /repositories/{id}", async () => {
    gh = await startGitHubServer({ perPage: 1, repositoryIdLinks: true });
    const octokit = getOctokit("ghs_test_token", { baseUrl: gh.url });
    gh.addComment(9, { body: "chatter", user: { login: "bob", type: "User" } });
    const ours = gh.addComment(9, { body: `${MARKER}\nold`, user: ACTIONS_BOT });
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 9,
      mode: "on-findings",
      findingsBody: "new",
      resolvedBody,
      identity,
    });
    expect(outcome).toEqual({ action: "updated", id: ours.id });
    expect(gh.requests.map((r) => r.path.split("?")[0])).toContain(
      `/repositories/${REPOSITORY_ID}/issues/9/comments`,
    );
  });

  it("finds its comment on a later page and prefers the bot's over a user's quoting the marker", async () => {
    const { gh, octokit } = await server({ perPage: 2 });
    gh.addComment(9, { body: `quoting ${MARKER}`, user: { login: "mallory", type: "User" } });
    for (let i = 0; i < 4; i++)
      gh.addComment(9, { body: `chatter ${i}`, user: { login: "bob", type: "User" } });
    const bots = gh.addComment(9, { body: `${MARKER}\nold`, user: ACTIONS_BOT });

    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 9,
      mode: "on-findings",
      findingsBody: "new",
      resolvedBody,
      identity,
    });
    expect(outcome).toEqual({ action: "updated", id: bots.id });
    expect(gh.comments.find((c) => c.user.login === "mallory")!.body).toBe(`quoting ${MARKER}`);
    // Three pages of two comments, followed through the Link header.
    expect(
      gh.requests
        .filter((r) => r.method === "GET")
        .map((r) => new URL(r.path, gh.url).searchParams.get("page")),
    ).toEqual([null, "2", "3"]);
  });

  it("a read-only token ends in a warning text, not an exception", async () => {
    const { gh, octokit } = await server();
    gh.readOnly = true;
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "always",
      findingsBody: "x",
      resolvedBody,
      identity,
    });
    expect(outcome.action).toBe("failed");
    expect("warning" in outcome && outcome.warning).toMatch(
      /^Could not write the pull-request comment: HTTP 403: .*read-only/,
    );
    expect(gh.log()).not.toContain("GET /user");
  });

  it("never posts more than GitHub's 65,536 characters, and says it cut", () => {
    const body = withMarker("| row |\n".repeat(20_000));
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toMatch(/cut to fit GitHub's comment limit/);
  });
});

describe("tracking issue", () => {
  it("is created, updated, closed with a comment when clean, and reopened when findings return", async () => {
    const { gh, octokit } = await server();
    // An unrelated issue with our label but no marker, and a pull request, are not ours.
    gh.addIssue({ title: "label reused by a person", body: "hello", labels: [TRACKING_LABEL] });
    const sync = (findingsBody: string | undefined) =>
      syncTrackingIssue(octokit, {
        ...repo,
        identity,
        findingsBody,
        closingComment: "clean now; closing",
      });

    const created = await sync("3 findings");
    expect(created.action).toBe("created");
    const number = "number" in created ? created.number : -1;
    expect(await sync("2 findings")).toEqual({ action: "updated", number });
    expect(await sync(undefined)).toEqual({ action: "closed", number });
    expect(await sync(undefined)).toEqual({
      action: "skipped",
      reason: "clean scan, no open issue",
    });
    expect(await sync("1 finding")).toEqual({ action: "reopened", number });

    const issue = gh.issues.find((i) => i.number === number)!;
    expect(issue).toMatchObject({ state: "open", labels: [TRACKING_LABEL] });
    expect(issue.body).toBe(`${MARKER}\n1 finding`);
    expect(gh.comments.filter((c) => c.issue_number === number).map((c) => c.body)).toEqual([
      "clean now; closing",
    ]);
    expect(gh.issues).toHaveLength(2);
    // Found through the issues list with state=all and the label, never the search API.
    const lists = gh.requests.filter((r) => r.method === "GET");
    expect(lists.every((r) => r.path.startsWith("/repos/octo/lib/issues?"))).toBe(true);
    expect(
      lists.every(
        (r) =>
          /state=all/.test(r.path) &&
          (/labels=maintainer-domain-guard/.test(r.path) ||
            /creator=github-actions/.test(r.path) ||
            /sort=created&direction=desc/.test(r.path)),
      ),
    ).toBe(true);
    expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual([
      "POST /repos/octo/lib/issues",
      "PATCH /repos/octo/lib/issues/2",
      "POST /repos/octo/lib/issues/2/comments",
      "PATCH /repos/octo/lib/issues/2",
      "PATCH /repos/octo/lib/issues/2",
    ]);
  });

  it("warns when GitHub dropped the label, and the next run still finds the issue by its author", async () => {
    const { gh, octokit } = await server();
    gh.dropLabels = true;
    const sync = (findingsBody: string | undefined) =>
      syncTrackingIssue(octokit, { ...repo, identity, findingsBody, closingComment: "closing" });
    const created = await sync("3 findings");
    expect(created).toMatchObject({ action: "created" });
    expect("warning" in created && created.warning).toMatch(
      /was opened without the label 'maintainer-domain-guard': GitHub drops labels when the token has no push access/,
    );
    const number = "number" in created ? created.number : -1;
    expect(await sync("2 findings")).toEqual({ action: "updated", number });
    expect(gh.issues).toHaveLength(1);
    expect(gh.requests.some((r) => /creator=github-actions%5Bbot%5D/.test(r.path))).toBe(true);
  });

  it("an issue a person opened with the marker and the label is not ours", async () => {
    const { gh, octokit } = await server();
    gh.addIssue({
      title: "copy",
      body: `${MARKER}\npasted`,
      labels: [TRACKING_LABEL],
      user: { login: "alice", type: "User" },
    });
    const outcome = await syncTrackingIssue(octokit, {
      ...repo,
      identity,
      findingsBody: "x",
      closingComment: "c",
    });
    expect(outcome.action).toBe("created");
    expect(gh.issues.find((i) => i.user.login === "alice")!.body).toBe(`${MARKER}\npasted`);
  });

  it("410 (issues turned off) says so", async () => {
    const { gh, octokit } = await server();
    gh.issuesDisabled = true;
    const outcome = await syncTrackingIssue(octokit, {
      ...repo,
      identity,
      findingsBody: "x",
      closingComment: "c",
    });
    expect("warning" in outcome && outcome.warning).toMatch(
      /^Could not update the tracking issue: HTTP 410: .*issues are turned off/,
    );
  });

  it("a 403 on create is a warning text", async () => {
    const { gh, octokit } = await server();
    gh.readOnly = true;
    const outcome = await syncTrackingIssue(octokit, {
      ...repo,
      findingsBody: "x",
      closingComment: "c",
      identity,
    });
    expect(outcome.action).toBe("failed");
    expect("warning" in outcome && outcome.warning).toMatch(
      /^Could not update the tracking issue: HTTP 403/,
    );
  });
});

describe("GITHUB_REPOSITORY", () => {
  it.each([
    ["octo/lib", { owner: "octo", repo: "lib" }],
    ["octo/lib/extra", undefined],
    ["octo", undefined],
    ["../x/y", undefined],
    [undefined, undefined],
  ])("%s", (text, expected) => {
    expect(parseRepository(text)).toEqual(expected);
  });
});

describe("other bots that quote the marker, and a GitHub App's own token", () => {
  const APP = { user: { login: "my-guard[bot]", type: "Bot" as const }, app: { slug: "my-guard" } };
  const quoting = (slug: string) => ({
    body: `Copied from elsewhere:\n${MARKER}\n## Maintainer e-mail domains ...`,
    user: { login: `${slug}[bot]`, type: "Bot" as const },
    performed_via_github_app: { slug },
  });
  const comment = (octokit: ReturnType<typeof getOctokit>, findingsBody: string | undefined) =>
    syncPrComment(octokit, {
      ...repo,
      number: 7,
      mode: "on-findings",
      findingsBody,
      resolvedBody,
      identity,
    });

  it("a comment of github-actions[bot] from another workflow that quotes the marker is never edited", async () => {
    const { gh, octokit } = await server();
    const other = gh.addComment(7, {
      body: `Title lint (another workflow): the title \`${MARKER} fix stuff\` is too long`,
      user: { login: "github-actions[bot]", type: "Bot" },
      performed_via_github_app: { slug: "github-actions" },
    });
    const result = await comment(octokit, "1 finding");
    expect(result.action).toBe("created");
    expect(gh.log().filter((l) => l.startsWith("PATCH"))).toEqual([]);
    expect(gh.comments.find((c) => c.id === other.id)?.body).toContain("Title lint");
  });

  it("a clean pull request with only another bot's quoting comment: nothing written", async () => {
    const { gh, octokit } = await server();
    gh.addComment(7, quoting("some-bot"));
    expect(await comment(octokit, undefined)).toEqual({
      action: "skipped",
      reason: "no findings and no earlier comment",
    });
    expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual([]);
  });

  it("with an app's token, its comment records its author, and later runs edit that one comment", async () => {
    gh = await startGitHubServer({ writer: APP });
    const octokit = getOctokit("ghs_app_token", { baseUrl: gh.url });
    gh.addComment(7, quoting("summariser"));
    for (const findings of ["3 findings", "2 findings", "1 finding"])
      await comment(octokit, findings);
    const ours = gh.comments.filter((c) => c.user.login === "my-guard[bot]");
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${MARKER}\n${authorRecord("my-guard[bot]")}\n1 finding`);
    // The quoting bot's comment was never written to.
    expect(gh.log().filter((l) => /PATCH .*comments\/1000\b/.test(l))).toEqual([]);
  });

  it("a 404 from the issues API says issues may be turned off, not only that the token is read-only", () => {
    const text = describeError(Object.assign(new Error("Not Found"), { status: 404 }), "issue");
    expect(text).toBe(
      "HTTP 404: Not Found (issues may be turned off in this repository's settings; else grant 'issues: write' in the workflow's permissions)",
    );
  });

  it("a secondary rate limit on the edit is a warning, never a second comment", async () => {
    const { gh, octokit } = await server();
    const first = await comment(octokit, "3 findings");
    expect(first.action).toBe("created");
    octokit.hook.wrap("request", async (request, options) => {
      if (options.method === "PATCH")
        throw Object.assign(new Error("You have exceeded a secondary rate limit."), {
          status: 403,
          response: { headers: { "retry-after": "60" } },
        });
      return request(options);
    });
    const second = await comment(octokit, "2 findings");
    expect(second).toMatchObject({ action: "failed", status: 403 });
    expect("warning" in second && second.warning).toContain("rate limit");
    expect(gh.comments.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
  });

  it("GITHUB_TOKEN: our closed issue is reopened, another bot's open issue with the marker and label is left alone", async () => {
    const { gh, octokit } = await server();
    const sync = (findingsBody: string | undefined) =>
      syncTrackingIssue(octokit, {
        ...repo,
        identity,
        findingsBody,
        closingComment: "clean now; closing",
      });
    const created = await sync("1 finding");
    await sync(undefined);
    const number = "number" in created ? created.number : -1;
    gh.addIssue({
      ...quoting("digest-bot"),
      title: "Weekly digest",
      labels: [TRACKING_LABEL],
      state: "open",
    });
    expect(await sync("2 findings")).toEqual({ action: "reopened", number });
    const other = gh.issues.find((i) => i.user.login === "digest-bot[bot]")!;
    expect(other.body).toContain("Copied from elsewhere");
    expect(other.state).toBe("open");
    // A clean run closes ours, never the other bot's.
    expect(await sync(undefined)).toEqual({ action: "closed", number });
    expect(other.state).toBe("open");
  });

  it("an app's token whose label GitHub drops finds its one issue again by marker and recorded author", async () => {
    gh = await startGitHubServer({ writer: APP, dropLabels: true });
    const octokit = getOctokit("ghs_app_token", { baseUrl: gh.url });
    const outcomes = [];
    for (const findings of ["3 findings", "2 findings", "1 finding"])
      outcomes.push(
        await syncTrackingIssue(octokit, {
          ...repo,
          identity,
          findingsBody: findings,
          closingComment: "clean now; closing",
        }),
      );
    expect(outcomes.map((o) => o.action)).toEqual(["created", "updated", "updated"]);
    expect(gh.issues.filter((i) => i.user.login === "my-guard[bot]")).toHaveLength(1);
  });
});
