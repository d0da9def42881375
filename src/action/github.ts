// Posting to GitHub: the sticky pull-request comment and the scheduled tracking issue.
// Rendering is done by src/report/markdown.ts; this module only finds, creates and updates.
// Every failure is returned as a message for a warning: a read-only token never fails a scan.
import type { CommentOnPr } from "../options/options.js";
import {
  appBotLogin,
  authorRecord,
  creatorLogin,
  recordedAuthor,
  writtenBy,
  type Authored,
  type TokenIdentity,
} from "./identity.js";
import type { Octokit } from "./octokit.js";

export type { Octokit } from "./octokit.js";

/** Hidden marker that identifies our comment and our issue. */
export const MARKER = "<!-- maintainer-domain-guard -->";
/** Label that, with the marker, identifies the tracking issue. */
export const TRACKING_LABEL = "maintainer-domain-guard";
export const TRACKING_TITLE = "Maintainer e-mail domains need attention";
/** GitHub refuses comment and issue bodies longer than this. */
export const MAX_BODY_CHARS = 65_536;
/** The REST API version every request asks for. */
export const GITHUB_API_VERSION = "2022-11-28";

/** Every request names the REST API version it was written against. */
export function pinApiVersion(octokit: Octokit): Octokit {
  octokit.hook.before("request", (options) => {
    options.headers["x-github-api-version"] = GITHUB_API_VERSION;
  });
  return octokit;
}

export interface Repo {
  owner: string;
  repo: string;
}

/** "owner/name" from GITHUB_REPOSITORY, or undefined when it is not that shape. */
export function parseRepository(text: string | undefined): Repo | undefined {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text ?? "");
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}

/**
 * Put the marker first (and, for a GitHub App's bot, the record of its author: see
 * `authorRecord`) and keep the body under GitHub's limit, saying so when it cuts.
 */
/**
 * Whether a body is one this action wrote: the marker is its first line, as withMarker writes
 * it. A marker quoted further down (another workflow echoing a pull request's title) is not.
 */
export function carriesMarker(body: string): boolean {
  return body.replace(/^\uFEFF/, "").startsWith(MARKER);
}

export function withMarker(body: string, appBot?: string): string {
  let text = carriesMarker(body) ? body : `${MARKER}\n${body}`;
  if (appBot !== undefined && recordedAuthor(text) !== appBot)
    text = text.replace(MARKER, `${MARKER}\n${authorRecord(appBot)}`);
  if (text.length <= MAX_BODY_CHARS) return text;
  const note = "\n\n…cut to fit GitHub's comment limit; the full list is in the job summary.\n";
  let cut = text.slice(0, MAX_BODY_CHARS - note.length);
  // Do not leave half a surrogate pair or half a table row behind.
  const lastLine = cut.lastIndexOf("\n");
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  return cut + note;
}

/** What a refused write needs, per feature: said in the warning. */
export type Feature = "comment" | "issue";
const PERMISSION: Record<Feature, string> = {
  comment: "pull-requests: write",
  issue: "issues: write",
};

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

export function describe(error: unknown, feature: Feature): string {
  const e = error as { status?: number; message?: string };
  const status = statusOf(error);
  const message = (e.message ?? String(error)).split("\n")[0]!.slice(0, 200);
  let hint = "";
  if (status === 410) hint = " (issues are turned off in this repository's settings)";
  else if (isRateLimited(error))
    hint = " (GitHub's rate limit for this token: the next run writes it)";
  else if (status === 404 && feature === "issue")
    hint = ` (issues may be turned off in this repository's settings; else grant '${PERMISSION[feature]}' in the workflow's permissions)`;
  else if (status === 403 || status === 404)
    hint = ` (the token is read-only here: grant '${PERMISSION[feature]}' in the workflow's permissions; pull requests from forks and Dependabot always get a read-only token)`;
  return [status !== undefined ? `HTTP ${status}` : "", message].filter(Boolean).join(": ") + hint;
}

/** A 403 or 429 that is GitHub's (secondary) rate limit, not a refusal of the write itself. */
function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const e = error as { message?: string; response?: { headers?: Record<string, unknown> } };
  const headers = e.response?.headers ?? {};
  return (
    /rate limit/i.test(e.message ?? "") ||
    headers["retry-after"] !== undefined ||
    headers["x-ratelimit-remaining"] === "0"
  );
}

export type CommentOutcome =
  | { action: "created" | "updated" | "resolved"; id: number }
  | { action: "skipped"; reason: string }
  | { action: "failed"; warning: string; status?: number };

interface IssueComment extends Authored {
  id: number;
  body?: string | null;
}

/** Our comment among many: one carrying the marker and written by the token's identity. */
export function pickStickyComment(
  comments: IssueComment[],
  identity: TokenIdentity,
): IssueComment | undefined {
  const marked = comments.filter((c) => typeof c.body === "string" && carriesMarker(c.body));
  return writtenBy(identity, marked)[0];
}

/**
 * Keep one sticky comment on the pull request. `findingsBody` is the rendered findings, or
 * undefined when there are none; then an existing comment becomes `resolvedBody`. Only a
 * comment written by `identity` is edited; when editing is refused (403: it was not ours after
 * all), a new comment is written instead.
 */
export async function syncPrComment(
  octokit: Octokit,
  input: Repo & {
    number: number;
    mode: CommentOnPr;
    identity: TokenIdentity;
    findingsBody: string | undefined;
    resolvedBody: string;
  },
): Promise<CommentOutcome> {
  const { owner, repo, number, mode } = input;
  if (mode === "never") return { action: "skipped", reason: "comment-on-pr is never" };
  try {
    const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100,
    })) as IssueComment[];
    const existing = pickStickyComment(comments, input.identity);
    const hasFindings = input.findingsBody !== undefined;
    if (!existing && !hasFindings && mode === "on-findings") {
      return { action: "skipped", reason: "no findings and no earlier comment" };
    }
    const text = input.findingsBody ?? input.resolvedBody;
    if (existing) {
      const body = withMarker(text, appBotLogin(existing));
      try {
        if (existing.body !== body) {
          await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
        }
        return { action: hasFindings ? "updated" : "resolved", id: existing.id };
      } catch (error) {
        // A rate limit is no answer about whose the comment is: said, and left for the next run.
        if (statusOf(error) !== 403 || isRateLimited(error)) throw error;
        // Not editable with this token: write our own below.
      }
    }
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body: withMarker(text),
    });
    // A GitHub App's bot learns who it is from what it wrote: the body records it.
    const bot = appBotLogin(created.data as IssueComment);
    if (bot !== undefined)
      await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: created.data.id,
        body: withMarker(text, bot),
      });
    return { action: "created", id: created.data.id };
  } catch (error) {
    const status = statusOf(error);
    return {
      action: "failed",
      warning: `Could not write the pull-request comment: ${describe(error, "comment")}`,
      ...(status !== undefined ? { status } : {}),
    };
  }
}

export type IssueOutcome =
  | {
      action: "created" | "updated" | "closed" | "reopened";
      number: number;
      /** Set when GitHub dropped the label (a token without push access): said as a warning. */
      warning?: string;
    }
  | { action: "skipped"; reason: string }
  | { action: "failed"; warning: string; status?: number };

interface IssueItem extends Authored {
  number: number;
  state?: string;
  body?: string | null;
  pull_request?: unknown;
  updated_at?: string;
  labels?: (string | { name?: string | null })[];
}

function ourIssues(items: IssueItem[], identity: TokenIdentity): IssueItem[] {
  return writtenBy(
    identity,
    items.filter((i) => !i.pull_request && typeof i.body === "string" && carriesMarker(i.body)),
  );
}

/** Issues read when looking for an app bot's issue without its label: the latest first. */
const LATEST_ISSUE_PAGES = 10;

async function latestIssues(octokit: Octokit, owner: string, repo: string): Promise<IssueItem[]> {
  const out: IssueItem[] = [];
  let pages = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 100,
  })) {
    out.push(...(page.data as IssueItem[]));
    if (++pages >= LATEST_ISSUE_PAGES) break;
  }
  return out;
}

function hasLabel(issue: IssueItem, label: string): boolean {
  return (issue.labels ?? []).some((l) => (typeof l === "string" ? l : l.name) === label);
}

/**
 * Keep one tracking issue current: found through the issues list (not the search API, which
 * lags) by label, marker and author, or, when GitHub dropped the label, by author and marker;
 * created or updated while findings exist, closed with a comment when the scan is clean,
 * reopened when findings return.
 */
export async function syncTrackingIssue(
  octokit: Octokit,
  input: Repo & {
    identity: TokenIdentity;
    findingsBody: string | undefined;
    closingComment: string;
  },
): Promise<IssueOutcome> {
  const { owner, repo, identity } = input;
  try {
    const list = (filter: { labels: string } | { creator: string }) =>
      octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        state: "all",
        per_page: 100,
        ...filter,
      }) as Promise<IssueItem[]>;
    let ours = ourIssues(await list({ labels: TRACKING_LABEL }), identity);
    if (ours.length === 0)
      ours = ourIssues(await list({ creator: creatorLogin(identity) }), identity);
    // Before opening one: a GitHub App's bot (not GITHUB_TOKEN's) whose label GitHub dropped
    // has a login not known before it writes, so the latest issues are read for its marker and
    // recorded author.
    if (ours.length === 0 && identity.kind === "installation" && input.findingsBody !== undefined)
      ours = ourIssues(await latestIssues(octokit, owner, repo), identity);
    const existing =
      ours.find((i) => i.state === "open") ??
      [...ours].sort((a, b) => (b.updated_at ?? "").localeCompare(a.updated_at ?? ""))[0];
    if (input.findingsBody === undefined) {
      if (!existing || existing.state !== "open")
        return { action: "skipped", reason: "clean scan, no open issue" };
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: existing.number,
        body: input.closingComment,
      });
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: existing.number,
        state: "closed",
        state_reason: "completed",
      });
      return { action: "closed", number: existing.number };
    }
    if (!existing) {
      const created = await octokit.rest.issues.create({
        owner,
        repo,
        title: TRACKING_TITLE,
        body: withMarker(input.findingsBody),
        labels: [TRACKING_LABEL],
      });
      const issue = created.data as IssueItem;
      const bot = appBotLogin(issue);
      if (bot !== undefined)
        await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: issue.number,
          body: withMarker(input.findingsBody, bot),
        });
      return {
        action: "created",
        number: issue.number,
        ...(hasLabel(issue, TRACKING_LABEL)
          ? {}
          : {
              warning: `The tracking issue #${issue.number} was opened without the label '${TRACKING_LABEL}': GitHub drops labels when the token has no push access (grant 'contents: write', or create the label and use a token that may apply it). Later runs still find the issue by its author and marker.`,
            }),
      };
    }
    const reopen = existing.state !== "open";
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      body: withMarker(input.findingsBody, appBotLogin(existing)),
      ...(reopen ? { state: "open" as const } : {}),
    });
    return { action: reopen ? "reopened" : "updated", number: existing.number };
  } catch (error) {
    const status = statusOf(error);
    return {
      action: "failed",
      warning: `Could not update the tracking issue: ${describe(error, "issue")}`,
      ...(status !== undefined ? { status } : {}),
    };
  }
}
