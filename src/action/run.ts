// The GitHub Action: inputs -> Options, the scan (with the pull-request diff), then everything a
// user sees: annotations, the job summary, outputs, the JSON and SARIF files, the sticky PR
// comment, the tracking issue, and the step's result. Every dependency is passed in, so tests
// run this against loopback servers.
import * as actionsCore from "@actions/core";
import { execFile } from "node:child_process";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { loadConfigLayer } from "../options/config-file.js";
import {
  GIT_BUFFER_LIMIT,
  compareWithBase,
  isOnlyChanged,
  readEventMode,
  type BaseComparison,
  type GitExec,
} from "./pr-diff.js";
import { loadDependencies } from "../discover/discover.js";
import {
  MARKER,
  parseRepository,
  syncPrComment,
  syncTrackingIssue,
  type Octokit,
  MAX_BODY_CHARS,
} from "./github.js";
import {
  OPTION_SPECS,
  OptionsError,
  resolveOptions,
  type Options,
  type RawValue,
} from "../options/options.js";
import { buildAnnotations, type AnnotationLevel } from "../report/annotations.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderReport } from "../report/render.js";
import { scan } from "../scan/scan.js";
import { openCache, type FileVerdictCache } from "../scan/cache.js";
import type { Finding, LogEvent, Report, Severity } from "../types.js";
import { moreSevere } from "../codes.js";
import { TOOL_NAME } from "../version.js";
import { stripControl } from "../report/escape.js";

/** The part of @actions/core the action uses. */
export type ActionCore = Pick<
  typeof actionsCore,
  | "getInput"
  | "setOutput"
  | "setSecret"
  | "setFailed"
  | "error"
  | "warning"
  | "notice"
  | "info"
  | "debug"
>;

/** The part of @actions/cache the action uses. */
export interface ActionsCache {
  restoreCache(
    paths: string[],
    primaryKey: string,
    restoreKeys?: string[],
  ): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export interface ActionDeps {
  core: ActionCore;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  fetch: typeof fetch;
  octokitFactory: (token: string, baseUrl: string) => Octokit | Promise<Octokit>;
  exec: GitExec;
  /** Loaded only when the cache service is configured (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL). */
  actionsCache: () => Promise<ActionsCache>;
}

/** Job summaries over 1 MiB are refused by the runner. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;
/** Lockfile problems shown as warnings; the rest go to the log. */
const MAX_READ_WARNINGS = 3;
const CACHE_KEY_PREFIX = `${TOOL_NAME}-verdicts-v1-`;
const PR_COMMENT_EVENTS = new Set(["pull_request", "pull_request_target"]);
const TRACKING_EVENTS = new Set(["schedule", "workflow_dispatch"]);

const gitExec: GitExec = (args, cwd) =>
  new Promise((done) => {
    execFile(
      "git",
      args,
      {
        cwd,
        maxBuffer: GIT_BUFFER_LIMIT,
        encoding: "utf8",
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr: stderr || (error && code !== 0 ? error.message : "") });
      },
    );
  });

function defaultDeps(): ActionDeps {
  return {
    core: actionsCore,
    env: process.env,
    now: () => new Date(),
    fetch: globalThis.fetch,
    // Loaded lazily: @actions/github reads the event file when it is imported.
    octokitFactory: async (token, baseUrl) =>
      (await import("@actions/github")).getOctokit(token, { baseUrl }),
    exec: gitExec,
    actionsCache: async () => await import("@actions/cache"),
  };
}

/** Every input the action reads, in one place: the option table (minus CLI-only options). */
export function readInputs(core: Pick<ActionCore, "getInput">): Record<string, RawValue> {
  const layer: Record<string, RawValue> = {};
  for (const spec of OPTION_SPECS) {
    if (spec.cliOnly) continue;
    const value = core.getInput(spec.name);
    if (value.trim() !== "") layer[spec.name] = { value, source: "input" };
  }
  return layer;
}

/** Findings a user is told about in the counts: low or above, not allowed. */
export function countedFindings(report: Report): Finding[] {
  return report.findings.filter((f) => !f.allowed && f.severity !== "info");
}

export function highestSeverity(report: Report): Severity | "none" {
  let best: Severity | undefined;
  for (const f of report.findings) {
    if (f.allowed) continue;
    best = best ? moreSevere(best, f.severity) : f.severity;
  }
  return best ?? "none";
}

/**
 * A log line that may carry untrusted text (file names, registry answers): one line, no control
 * characters, and never the start of a workflow command (the runner trims leading spaces).
 */
function logLine(core: Pick<ActionCore, "info">, text: string): void {
  const line = stripControl(text);
  core.info(/^\s*::/.test(line) ? `> ${line}` : line);
}

/**
 * Where a log event from the scan or the cache goes: a warning becomes a warning annotation; the
 * rest goes to the log. Both are one line with no control characters.
 */
export function routeLogEvent(core: Pick<ActionCore, "info" | "warning">, event: LogEvent): void {
  if (event.level === "warning") core.warning(stripControl(event.text));
  else logLine(core, event.text);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 findings fail this run (fail-on: high)". */
export function failureMessage(failing: number, failOn: Options["failOn"]): string {
  return `${failing} ${failing === 1 ? "finding fails" : "findings fail"} this run (fail-on: ${failOn})`;
}

/** The action's `cache` option: true or false, true when not given. */
function cacheEnabled(raw: RawValue | undefined, problems: string[]): boolean {
  if (raw === undefined) return true;
  const text = String(raw.value).trim().toLowerCase();
  if (text === "true" || text === "") return true;
  if (text === "false") return false;
  const where =
    raw.source === "config"
      ? `from key 'cache' in ${raw.file ?? "the config file"}`
      : "from action input 'cache'";
  problems.push(`cache: ${JSON.stringify(raw.value)} is not true or false (${where})`);
  return false;
}

const COMMIT_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/**
 * The commit whose files were scanned, for line links: the line numbers come from the working
 * tree, so a link must point at the commit checked out, not at the pull request's head. On
 * `pull_request` the default checkout is the merge commit (GITHUB_SHA), whose lines differ from
 * the head's when the base changed the same file. In pull-request mode git is already in use and
 * is asked for HEAD; otherwise GITHUB_SHA is what the runner checked out. No sha, no links.
 */
async function checkedOutCommit(
  deps: ActionDeps,
  workspace: string,
  askGit: boolean,
): Promise<string | undefined> {
  if (askGit) {
    const head = await deps
      .exec(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], workspace)
      .catch(() => undefined);
    const sha = head?.code === 0 ? head.stdout.trim() : "";
    if (COMMIT_SHA.test(sha)) return sha.toLowerCase();
  }
  const fromEnv = deps.env.GITHUB_SHA ?? "";
  return COMMIT_SHA.test(fromEnv) ? fromEnv.toLowerCase() : undefined;
}

async function readPayload(
  path: string | undefined,
): Promise<{ payload?: unknown; problem?: string }> {
  if (!path) return {};
  try {
    return { payload: JSON.parse(await readFile(path, "utf8")) as unknown };
  } catch (error) {
    return {
      problem: `could not read the event payload: ${(error as Error).message.split("\n")[0]}`,
    };
  }
}

/**
 * Run the action. Only this function catches everything: an unexpected error ends in
 * `core.setFailed`, never in an unhandled rejection.
 */
export async function run(partial: Partial<ActionDeps> = {}): Promise<void> {
  const deps: ActionDeps = { ...defaultDeps(), ...partial };
  const { core } = deps;
  const counts: AnnotationCounts = { error: 0, warning: 0, notice: 0 };
  deps.core = countingAnnotations(core, counts);
  try {
    await runAction(deps, counts);
  } catch (error) {
    if (error instanceof OptionsError) {
      core.setFailed(error.problems.join("\n"));
      return;
    }
    const e = error as Error;
    core.debug(e.stack ?? String(e));
    core.setFailed(`${TOOL_NAME} failed: ${e.message}`);
  }
}

/** Annotations issued so far in this step, per level (GitHub shows 10 of each). */
type AnnotationCounts = Record<AnnotationLevel, number>;

/** The same toolkit, counting the annotations it issues so findings know the slots left. */
function countingAnnotations(core: ActionCore, counts: AnnotationCounts): ActionCore {
  return {
    ...core,
    error: (...args) => (counts.error++, core.error(...args)),
    warning: (...args) => (counts.warning++, core.warning(...args)),
    notice: (...args) => (counts.notice++, core.notice(...args)),
  };
}

async function runAction(deps: ActionDeps, issued: AnnotationCounts): Promise<void> {
  const { core, env } = deps;
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());

  // Inputs: the config file first, the workflow's inputs win.
  const inputLayer = readInputs(core);
  const token = inputLayer["github-token"]?.value;
  if (typeof token === "string" && token.trim()) core.setSecret(token.trim());
  const configName = inputLayer["config-file"]?.value as string | undefined;
  const configLayer = await loadConfigLayer(workspace, configName?.trim() || undefined);
  if (typeof configLayer["cache"]?.value === "boolean") {
    configLayer["cache"] = { ...configLayer["cache"], value: String(configLayer["cache"].value) };
  }
  // A token in a committed file would be a leaked secret; it comes from the workflow only.
  const tokenInConfig = configLayer["github-token"];
  delete configLayer["github-token"];
  const problems: string[] = [];
  if (tokenInConfig) {
    problems.push(
      `github-token: not read from ${tokenInConfig.file ?? "the config file"}: pass it as an action input from a secret`,
    );
  }
  const useCache = cacheEnabled(inputLayer["cache"] ?? configLayer["cache"], problems);
  let options: Options | undefined;
  try {
    options = resolveOptions([configLayer, inputLayer]);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    problems.unshift(...error.problems);
  }
  if (!options || problems.length > 0) throw new OptionsError(problems);

  // The event decides the mode.
  const eventName = env.GITHUB_EVENT_NAME;
  const { payload, problem: payloadProblem } = await readPayload(env.GITHUB_EVENT_PATH);
  if (payloadProblem) core.warning(payloadProblem);
  const event = readEventMode(eventName, payload);
  const onlyChanged = isOnlyChanged(options.onlyChanged, eventName);

  const set = await loadDependencies(options.paths, workspace);
  // Read problems keep warning slots for findings (GitHub shows 10 warnings per step).
  set.errors.forEach((e, i) => {
    const text = `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message} [${e.code}]`;
    if (i < MAX_READ_WARNINGS)
      core.warning(`${e.message} [${e.code}]`, {
        title: `${TOOL_NAME}: problem in ${e.file}`,
        file: e.file,
        startLine: e.line,
      });
    else logLine(core, text);
  });
  if (set.errors.length > MAX_READ_WARNINGS) {
    core.warning(
      `${set.errors.length - MAX_READ_WARNINGS} more lockfile problems are listed in the log and the JSON report`,
    );
  }
  if (set.lockfiles.length === 0) {
    core.setFailed(
      `no lockfile could be read in ${options.paths.join(", ")} (input 'paths', relative to ${workspace})`,
    );
    return;
  }
  core.info(
    `${plural(set.dependencies.length, "dependency", "dependencies")} in ${plural(set.lockfiles.length, "lockfile", "lockfiles")}`,
  );

  // Pull-request mode: compare with the base commit.
  let comparison: BaseComparison | undefined;
  if (onlyChanged) {
    if (event.mode === "pull-request") {
      comparison = await compareWithBase({
        set,
        base: event.base,
        head: event.head,
        exec: deps.exec,
        cwd: workspace,
      });
      for (const line of comparison.log) logLine(core, line);
      if (!comparison.baseAvailable && comparison.note) core.warning(comparison.note);
    } else if (event.problem) {
      core.warning(event.problem);
    } else if (options.onlyChanged === "true") {
      core.info(
        `only-changed: true has no base to compare with on a ${eventName ?? "local"} event; scanning everything`,
      );
    }
  }

  // The verdict cache, through the Actions cache when the service is there.
  const cacheFile = join(env.RUNNER_TEMP || tmpdir(), `${TOOL_NAME}-cache.json`);
  const cacheService = useCache && Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
  let cache: FileVerdictCache | undefined;
  if (cacheService) {
    try {
      const service = await deps.actionsCache();
      const hit = await service.restoreCache(
        [cacheFile],
        `${CACHE_KEY_PREFIX}${env.GITHUB_RUN_ID ?? "0"}`,
        [CACHE_KEY_PREFIX],
      );
      core.info(hit ? `verdict cache restored from ${hit}` : "no verdict cache yet");
    } catch (error) {
      core.warning(`Could not restore the verdict cache: ${(error as Error).message}`);
    }
    cache = await openCache(cacheFile, {
      maxAgeMs: options.cacheMaxAgeMs,
      log: (event) => routeLogEvent(core, event),
    });
  }

  const report = await scan(set, options, {
    now: deps.now,
    fetch: deps.fetch,
    log: (event) => routeLogEvent(core, event),
    cwd: workspace,
    ...(cache ? { cache } : {}),
    ...(comparison ? { introduced: comparison.introduced } : {}),
  });
  if (comparison) {
    report.diff = {
      base: comparison.base,
      head: comparison.head,
      introduced: comparison.counts.introduced,
      unchanged: comparison.counts.unchanged,
      ...(comparison.note ? { note: comparison.note } : {}),
    };
  }

  if (cache && cacheService) {
    try {
      if (!(await cache.save(deps.now()))) throw new Error(`${cacheFile} could not be written`);
      const service = await deps.actionsCache();
      await service.saveCache(
        [cacheFile],
        `${CACHE_KEY_PREFIX}${env.GITHUB_RUN_ID ?? "0"}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
      );
    } catch (error) {
      core.warning(`Could not save the verdict cache: ${(error as Error).message}`);
    }
  }

  // Annotations (the toolkit escapes workflow commands; the texts are already one line).
  for (const a of buildAnnotations(report, { used: { ...issued } })) {
    core[a.level](a.message, { title: a.title, file: a.file, startLine: a.startLine });
  }

  // Files and outputs.
  const repo = parseRepository(env.GITHUB_REPOSITORY);
  const serverUrl = /^https?:\/\/[^\s/]+$/.test(env.GITHUB_SERVER_URL ?? "")
    ? env.GITHUB_SERVER_URL!
    : "https://github.com";
  const sha = await checkedOutCommit(deps, workspace, event.mode === "pull-request");
  const links = repo && sha ? { repoUrl: `${serverUrl}/${repo.owner}/${repo.repo}`, sha } : {};

  const reportDir = env.RUNNER_TEMP || tmpdir();
  const reportFile = join(reportDir, `${TOOL_NAME}-report.json`);
  await mkdir(reportDir, { recursive: true });
  await writeFile(reportFile, renderReport(report, "json"));
  let sarifFile = "";
  if (options.sarifFile) {
    sarifFile = resolve(workspace, options.sarifFile);
    await mkdir(dirname(sarifFile), { recursive: true });
    await writeFile(sarifFile, renderReport(report, "sarif"));
  }

  const counted = countedFindings(report);
  const failing = report.findings.filter((f) => f.failing);
  core.setOutput("findings-count", String(counted.length));
  core.setOutput("failing-count", String(failing.length));
  core.setOutput("highest-severity", highestSeverity(report));
  core.setOutput("report-file", reportFile);
  core.setOutput("sarif-file", sarifFile);

  // Job summary.
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      const summary = renderMarkdown(report, {
        maxLength: MAX_SUMMARY_BYTES - 1024,
        unit: "bytes",
        context: "summary",
        ...links,
      });
      await appendFile(env.GITHUB_STEP_SUMMARY, summary.endsWith("\n") ? summary : `${summary}\n`);
    } catch (error) {
      core.warning(`Could not write the job summary: ${(error as Error).message}`);
    }
  }

  await publishToGitHub(deps, { report, options, event, eventName, repo, links, counted });

  if (failing.length > 0) core.setFailed(failureMessage(failing.length, options.failOn));
}

async function publishToGitHub(
  deps: ActionDeps,
  ctx: {
    report: Report;
    options: Options;
    event: ReturnType<typeof readEventMode>;
    eventName: string | undefined;
    repo: ReturnType<typeof parseRepository>;
    links: { repoUrl?: string; sha?: string };
    counted: Finding[];
  },
): Promise<void> {
  const { core, env } = deps;
  const { report, options, event, eventName, repo, links } = ctx;
  const wantsComment =
    options.commentOnPr !== "never" &&
    PR_COMMENT_EVENTS.has(eventName ?? "") &&
    event.mode === "pull-request";
  const wantsIssue = options.trackingIssue && TRACKING_EVENTS.has(eventName ?? "");
  if (!wantsComment && !wantsIssue) return;
  const token = options.githubToken;
  if (!token || !repo) {
    core.warning(
      !token
        ? "No github-token: the pull-request comment and the tracking issue were skipped"
        : `GITHUB_REPOSITORY ${JSON.stringify(env.GITHUB_REPOSITORY ?? "")} is not owner/name: the comment and the issue were skipped`,
    );
    return;
  }
  const apiUrl = /^https?:\/\//.test(env.GITHUB_API_URL ?? "")
    ? env.GITHUB_API_URL!.replace(/\/+$/, "")
    : "https://api.github.com";
  let octokit: Octokit;
  try {
    octokit = await deps.octokitFactory(token, apiUrl);
  } catch (error) {
    core.warning(`Could not create the GitHub client: ${(error as Error).message}`);
    return;
  }
  const budget = MAX_BODY_CHARS - 512;

  if (wantsComment && event.mode === "pull-request" && event.number !== undefined) {
    // In a pull request, what matters is what the change brings in.
    const relevant = ctx.counted.filter((f) => f.introduced !== false);
    const body =
      relevant.length > 0 || options.commentOnPr === "always"
        ? renderMarkdown(report, {
            maxLength: budget,
            context: "comment",
            marker: MARKER,
            ...links,
          })
        : undefined;
    // Our own text only: the head sha was checked to be hex by readEventMode.
    const resolved = `${MARKER}\n## Maintainer e-mail domains\n\n:white_check_mark: Resolved: no maintainer e-mail domain findings remain in this pull request as of ${event.head.slice(0, 7)}.\n`;
    const outcome = await syncPrComment(octokit, {
      ...repo,
      number: event.number,
      mode: options.commentOnPr,
      findingsBody: body,
      resolvedBody: resolved,
    });
    if (outcome.action === "failed") core.warning(outcome.warning);
    else
      core.info(
        `pull-request comment: ${outcome.action}${"id" in outcome ? ` (${outcome.id})` : ""}`,
      );
  }

  if (wantsIssue) {
    const body =
      ctx.counted.length > 0
        ? renderMarkdown(report, { maxLength: budget, context: "issue", marker: MARKER, ...links })
        : undefined;
    const outcome = await syncTrackingIssue(octokit, {
      ...repo,
      findingsBody: body,
      closingComment: `The scan of ${report.startedAt.slice(0, 10)} found no maintainer e-mail domain findings; closing. This issue reopens if findings return.`,
    });
    if (outcome.action === "failed") core.warning(outcome.warning);
    else
      core.info(
        `tracking issue: ${outcome.action}${"number" in outcome ? ` (#${outcome.number})` : ""}`,
      );
  }
}
