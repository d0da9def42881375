// Writing to GitHub: the sticky pull-request comment and the tracking issue. A refusal is a
// warning (or, where it is certain, one notice), never a failed scan.
import type { Options } from "../options/options.js";
import { renderMarkdown } from "../report/markdown.js";
import { failedToLook } from "../report/verdict.js";
import type { Finding, Report } from "../types.js";
import {
  MARKER,
  MAX_BODY_CHARS,
  syncPrComment,
  syncTrackingIssue,
  type Octokit,
  type Repo,
} from "./github.js";
import type { TokenIdentity } from "./identity.js";
import type { ActionCore } from "./log.js";

export interface PublishInput {
  core: ActionCore;
  octokit: Octokit;
  identity: TokenIdentity;
  repo: Repo;
  report: Report;
  options: Options;
  counted: Finding[];
  links: { repoUrl?: string; sha?: string };
  configNote?: string;
}

const BUDGET = MAX_BODY_CHARS - 512;

/** Whether a lockfile could not be read: what it pins is unknown, so nothing is "resolved". */
function unreadLockfile(report: Report): boolean {
  const files = report.coverage?.lockfiles;
  return files !== undefined && files.read < files.total;
}

/** Whether a finding fails this run: counted or not (an info finding can fail it). */
function failsRun(report: Report): boolean {
  return report.findings.some((f) => f.failing);
}

/** The sticky comment on pull request `number`, for the scanned head `head`. */
export async function commentOnPullRequest(
  input: PublishInput & { number: number; head: string },
): Promise<void> {
  const { core, report, options, links } = input;
  // In a pull request, what matters is what the change brings in.
  const relevant = input.counted.filter((f) => f.introduced !== false);
  // A run that could not check enough, that fails (an info `lookup-failed` does, with
  // on-lookup-error: fail), or whose lookups failed for what the change brings in, is never
  // "resolved": the comment says what was not checked.
  const incomplete =
    report.coverage?.shortfall !== undefined ||
    unreadLockfile(report) ||
    failsRun(report) ||
    failedToLook(
      report,
      report.findings.filter((f) => f.introduced !== false),
    );
  const body =
    relevant.length > 0 ||
    incomplete ||
    options.commentOnPr === "always" ||
    input.configNote !== undefined
      ? renderMarkdown(report, {
          maxLength: BUDGET,
          context: "comment",
          marker: MARKER,
          ...links,
          ...(input.configNote !== undefined ? { configNote: input.configNote } : {}),
        })
      : undefined;
  // Our own text only: the head sha was checked to be hex by readEventMode, and it is the
  // commit that was scanned (the checkout step makes sure of that).
  const resolved = `${MARKER}\n## Maintainer e-mail domains\n\n:white_check_mark: Resolved: no maintainer e-mail domain findings remain in this pull request as of ${input.head.slice(0, 7)}.\n`;
  const outcome = await syncPrComment(input.octokit, {
    ...input.repo,
    number: input.number,
    mode: options.commentOnPr,
    identity: input.identity,
    findingsBody: body,
    resolvedBody: resolved,
  });
  if (outcome.action === "failed") core.warning(outcome.warning);
  else
    core.info(
      `pull-request comment: ${outcome.action}${"id" in outcome ? ` (${outcome.id})` : ""}`,
    );
}

/** The tracking issue of scheduled runs. */
export async function updateTrackingIssue(input: PublishInput): Promise<void> {
  const { core, report, links } = input;
  // Never closed by a run that could not look (at all, or at some domain this time), or that
  // fails: it stays open and says why.
  const body =
    input.counted.length > 0 ||
    report.coverage?.shortfall !== undefined ||
    unreadLockfile(report) ||
    failsRun(report) ||
    failedToLook(report, report.findings)
      ? renderMarkdown(report, { maxLength: BUDGET, context: "issue", marker: MARKER, ...links })
      : undefined;
  const outcome = await syncTrackingIssue(input.octokit, {
    ...input.repo,
    identity: input.identity,
    findingsBody: body,
    closingComment: `The scan of ${report.startedAt.slice(0, 10)} found no maintainer e-mail domain findings; closing. This issue reopens if findings return.`,
  });
  if (outcome.action === "failed") {
    core.warning(outcome.warning);
    return;
  }
  if ("warning" in outcome && outcome.warning) core.warning(outcome.warning);
  core.info(
    `tracking issue: ${outcome.action}${"number" in outcome ? ` (#${outcome.number})` : ""}`,
  );
}
