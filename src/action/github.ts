// Posting to GitHub: the sticky pull-request comment and the scheduled tracking issue.
// Rendering is done by src/report/markdown.ts; this module only finds, creates and updates.
// Every failure is returned as a message for a warning: a read-only token never fails a scan.
import type { getOctokit } from "@actions/github";
import type { CommentOnPr } from "../options/options.js";

export type Octokit = ReturnType<typeof getOctokit>;

/** Hidden marker that identifies our comment and our issue. */
export const MARKER = "<!-- maintainer-domain-guard -->";
/** Label that, with the marker, identifies the tracking issue. */
export const TRACKING_LABEL = "maintainer-domain-guard";
export const TRACKING_TITLE = "Maintainer e-mail domains need attention";
/** GitHub refuses comment and issue bodies longer than this. */
export const MAX_BODY_CHARS = 65_536;

export interface Repo {
  owner: string;
  repo: string;
}

/** "owner/name" from GITHUB_REPOSITORY, or undefined when it is not that shape. */
export function parseRepository(text: string | undefined): Repo | undefined {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text ?? "");
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}

/** Put the marker first and keep the body under GitHub's limit, saying so when it cuts. */
export function withMarker(body: string): string {
  const text = body.includes(MARKER) ? body : `${MARKER}\n${body}`;
  if (text.length <= MAX_BODY_CHARS) return text;
  const note = "\n\n…cut to fit GitHub's comment limit; the full list is in the job summary.\n";
  let cut = text.slice(0, MAX_BODY_CHARS - note.length);
  // Do not leave half a surrogate pair or half a table row behind.
  const lastLine = cut.lastIndexOf("\n");
  if (lastLine > 0) cut = cut.slice(0, lastLine);
  return cut + note;
}

function describe(error: unknown): string {
  const e = error as { status?: number; message?: string };
  const status = typeof e.status === "number" ? `HTTP ${e.status}` : "";
  const message = (e.message ?? String(error)).split("\n")[0]!.slice(0, 200);
  const hint =
    e.status === 403 || e.status === 404
      ? " (the token is read-only here: forks and Dependabot get one; grant `pull-requests: write` / `issues: write`)"
      : "";
  return [status, message].filter(Boolean).join(": ") + hint;
}

export type CommentOutcome =
  | { action: "created" | "updated" | "resolved"; id: number }
  | { action: "skipped"; reason: string }
  | { action: "failed"; warning: string };

interface IssueComment {
  id: number;
  body?: string | null;
  user?: { type?: string | null; login?: string | null } | null;
}

/** Our comment among many: one carrying the marker, preferring one written by a bot. */
export function pickStickyComment(comments: IssueComment[]): IssueComment | undefined {
  const ours = comments.filter((c) => typeof c.body === "string" && c.body.includes(MARKER));
  return ours.find((c) => c.user?.type === "Bot") ?? ours[0];
}

/**
 * Keep one sticky comment on the pull request. `findingsBody` is the rendered findings, or
 * undefined when there are none; then an existing comment becomes `resolvedBody`.
 */
export async function syncPrComment(
  octokit: Octokit,
  input: Repo & {
    number: number;
    mode: CommentOnPr;
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
    const existing = pickStickyComment(comments);
    const hasFindings = input.findingsBody !== undefined;
    if (!existing && !hasFindings && mode === "on-findings") {
      return { action: "skipped", reason: "no findings and no earlier comment" };
    }
    const body = withMarker(input.findingsBody ?? input.resolvedBody);
    if (existing) {
      if (existing.body !== body) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      }
      return { action: hasFindings ? "updated" : "resolved", id: existing.id };
    }
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: number,
      body,
    });
    return { action: "created", id: created.data.id };
  } catch (error) {
    return {
      action: "failed",
      warning: `Could not write the pull-request comment: ${describe(error)}`,
    };
  }
}

export type IssueOutcome =
  | { action: "created" | "updated" | "closed" | "reopened"; number: number }
  | { action: "skipped"; reason: string }
  | { action: "failed"; warning: string };

interface IssueItem {
  number: number;
  state?: string;
  body?: string | null;
  pull_request?: unknown;
  updated_at?: string;
}

/**
 * Keep one tracking issue current: found by label and marker through the issues list (not the
 * search API, which lags); created or updated while findings exist, closed with a comment when
 * the scan is clean, reopened when findings return.
 */
export async function syncTrackingIssue(
  octokit: Octokit,
  input: Repo & { findingsBody: string | undefined; closingComment: string },
): Promise<IssueOutcome> {
  const { owner, repo } = input;
  try {
    const items = (await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state: "all",
      labels: TRACKING_LABEL,
      per_page: 100,
    })) as IssueItem[];
    const ours = items.filter(
      (i) => !i.pull_request && typeof i.body === "string" && i.body.includes(MARKER),
    );
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
    const body = withMarker(input.findingsBody);
    if (!existing) {
      const created = await octokit.rest.issues.create({
        owner,
        repo,
        title: TRACKING_TITLE,
        body,
        labels: [TRACKING_LABEL],
      });
      return { action: "created", number: created.data.number };
    }
    const reopen = existing.state !== "open";
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      body,
      ...(reopen ? { state: "open" as const } : {}),
    });
    return { action: reopen ? "reopened" : "updated", number: existing.number };
  } catch (error) {
    return { action: "failed", warning: `Could not update the tracking issue: ${describe(error)}` };
  }
}
