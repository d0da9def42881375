// The GitHub Action, as a list of named steps over one state object: read the inputs, read the
// event, inspect the checkout (what is checked out, what to scan, which base to compare with),
// read the config, read the lockfiles, compare with the base, scan, report (annotations, files,
// outputs, summary), comment, tracking issue, exit. Every dependency is passed in, so tests run
// this against loopback servers and real git repositories.
import * as actionsCore from "@actions/core";
import { appendFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { loadDependencies, parseLockfileText, writeRefusal } from "../discover/discover.js";
import { writeWhole } from "../discover/write.js";
import { OPTION_SPECS, OptionsError, type Options, type RawValue } from "../options/options.js";
import { buildAnnotations } from "../report/annotations.js";
import { renderMarkdown } from "../report/markdown.js";
import { renderReport } from "../report/render.js";
import { cacheScope, openCache, type FileVerdictCache } from "../scan/cache.js";
import { HEARTBEAT_INTERVAL_MS, scan } from "../scan/scan.js";
import type { DependencySet, Finding, Report, Severity } from "../types.js";
import { EXIT_SIGINT, EXIT_SIGTERM, moreSevere } from "../codes.js";
import { transportForEnv } from "../net/proxy.js";
import type { Transport } from "../net/transport.js";
import { coverageShortfall, unreadSources } from "../scan/coverage.js";
import { coverageWords } from "../report/verdict.js";
import { TOOL_NAME, VERSION } from "../version.js";
import {
  ensureCommit,
  inspectHead,
  materializeHead,
  readBlob,
  relativeInside,
  repositoryRoot,
  type CheckoutState,
} from "./checkout.js";
import { configPath, guardConfig, readWorkingConfig, type ConfigLayer } from "./config-guard.js";
import {
  failOnOptions,
  readActionOptions,
  warnHeadProblems,
  type ConfigFileView,
} from "./config-problems.js";
import { readOnlyReason } from "./event.js";
import { createGit } from "./git.js";
import { parseRepository, pinApiVersion, type Octokit, type Repo } from "./github.js";
import { whoAmI, type TokenIdentity } from "./identity.js";
import { guardedCore, routeLogEvent, type ActionCore, type AnnotationCounts } from "./log.js";
import {
  changedPaths,
  compareWithBase,
  isOnlyChanged,
  isPullRequestEvent,
  readEventMode,
  type BaseComparison,
  type EventMode,
  type GitExec,
} from "./pr-diff.js";
import { commentOnPullRequest, updateTrackingIssue } from "./publish.js";
import { cacheKeys, type ActionsCache } from "./verdict-cache.js";
import { plural } from "../words.js";

export type { ActionCore } from "./log.js";
export type { ActionsCache } from "./verdict-cache.js";
export { routeLogEvent } from "./log.js";

export interface ActionDeps {
  core: ActionCore;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  transport: Transport;
  octokitFactory: (
    token: string,
    opts: { baseUrl: string; userAgent: string },
  ) => Octokit | Promise<Octokit>;
  /**
   * Runs git. Default: git itself, authenticated with `github-token` for GITHUB_SERVER_URL
   * through the environment. A test may pass its own.
   */
  exec?: GitExec;
  /** Loaded only when the cache service is configured (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL). */
  actionsCache: () => Promise<ActionsCache>;
  /**
   * Where SIGINT and SIGTERM come from (the runner sends them when a run is cancelled); default
   * `process`. The first stops the scan, which saves the verdicts it has; a second exits at once.
   */
  signals?: NodeJS.EventEmitter;
  /** How often the scan says what it is doing in the log (milliseconds). */
  heartbeatMs?: number;
}

/** Job summaries over 1 MiB are refused by the runner. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;
/** Lockfile problems shown as warnings; the rest go to the log. */
const MAX_READ_WARNINGS = 3;
const PR_COMMENT_EVENTS = new Set(["pull_request", "pull_request_target"]);
const TRACKING_EVENTS = new Set(["schedule", "workflow_dispatch"]);
const CLIENT_NAME = `${TOOL_NAME}/${VERSION}`;

function defaultDeps(): ActionDeps {
  return {
    core: actionsCore,
    env: process.env,
    now: () => new Date(),
    // HTTP_PROXY, HTTPS_PROXY and NO_PROXY, as the runner's own tools honour them.
    transport: transportForEnv(process.env),
    signals: process,
    // Loaded lazily: @actions/github reads the event file when it is imported.
    octokitFactory: async (token, opts) =>
      (await import("@actions/github")).getOctokit(token, opts),
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

/** "2 findings fail this run (fail-on: high)". */
export function failureMessage(failing: number, failOn: Options["failOn"]): string {
  return `${failing} ${failing === 1 ? "finding fails" : "findings fail"} this run (fail-on: ${failOn})`;
}

const COMMIT_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

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

/** Thrown by a step to end the run with a failure message (already decided, not a crash). */
class StepFailure extends Error {}

/** Everything the steps share; each step reads what earlier ones set. */
interface RunState {
  deps: ActionDeps;
  core: ActionCore;
  env: NodeJS.ProcessEnv;
  workspace: string;
  issued: AnnotationCounts;
  /** The config file this run reads, relative to the workspace (the head's copy in a PR). */
  configFile?: string;
  inputs: Record<string, RawValue>;
  token?: string;
  git: GitExec;
  eventName?: string;
  payload?: unknown;
  event: EventMode;
  /** Why the token cannot write to this pull request (forks, Dependabot). */
  readOnly?: string;
  /** The repository of the scan (its top folder), when the workspace holds one. */
  repoRoot?: string;
  /** Pull-request mode: what is checked out and what is compared. */
  checkout?: CheckoutState;
  /** Where the lockfiles are read from: the workspace, or the head's blobs written to a folder. */
  scanRoot: string;
  baseReadable: boolean;
  configNote?: string;
  options?: Options;
  useCache: boolean;
  set?: DependencySet;
  comparison?: BaseComparison;
  cacheFile?: string;
  cache?: FileVerdictCache;
  report?: Report;
  /** The report as shown on GitHub: files in their repository, lines of the head commit. */
  presented?: Report;
  links: { repoUrl?: string; sha?: string };
  repo?: Repo;
  counted: Finding[];
  failing: Finding[];
  /** Set by the first SIGINT/SIGTERM: the scan stops, the cache is saved, the step fails. */
  stop: AbortController;
  signalled?: "SIGINT" | "SIGTERM";
}

/**
 * Run the action. Only this function catches everything: an unexpected error ends in
 * `core.setFailed`, never in an unhandled rejection.
 */
export async function run(partial: Partial<ActionDeps> = {}): Promise<void> {
  const deps: ActionDeps = { ...defaultDeps(), ...partial };
  const issued: AnnotationCounts = { error: 0, warning: 0, notice: 0 };
  const core = guardedCore(deps.core, issued);
  let state: RunState | undefined;
  const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
    if (!state || state.signalled) process.exit(name === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM);
    state.signalled = name;
    state.stop.abort();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  deps.signals?.on("SIGINT", onInt);
  deps.signals?.on("SIGTERM", onTerm);
  try {
    state = readInputsStep(deps, core, issued);
    await readEventStep(state);
    await inspectCheckoutStep(state);
    await readConfigStep(state);
    await materializeHeadStep(state);
    if (!(await readLockfilesStep(state))) return;
    await compareWithBaseStep(state);
    await restoreCacheStep(state);
    await scanStep(state);
    await saveCacheStep(state);
    if (interruptedStep(state)) return;
    await presentStep(state);
    annotateStep(state);
    await writeFilesAndOutputsStep(state);
    await writeSummaryStep(state);
    await publishStep(state);
    exitStep(state);
  } catch (error) {
    if (error instanceof OptionsError) {
      failOnOptions(core, error, configFileView(state));
      return;
    }
    if (error instanceof StepFailure) {
      core.setFailed(error.message);
      return;
    }
    const e = error as Error;
    core.debug(e.stack ?? String(e));
    core.setFailed(`${TOOL_NAME} failed: ${e.message}`);
  } finally {
    deps.signals?.off("SIGINT", onInt);
    deps.signals?.off("SIGTERM", onTerm);
  }
}

/** Step: the workflow's inputs; the token is masked and given to git through the environment. */
function readInputsStep(deps: ActionDeps, core: ActionCore, issued: AnnotationCounts): RunState {
  const { env } = deps;
  const inputs = readInputs(core);
  const raw = inputs["github-token"]?.value;
  const token = typeof raw === "string" && raw.trim() ? raw.trim() : undefined;
  if (token) core.setSecret(token);
  for (const spec of OPTION_SPECS) {
    const value = spec.secret ? inputs[spec.name]?.value : undefined;
    if (typeof value === "string" && value.trim()) core.setSecret(value.trim());
  }
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  return {
    deps,
    core,
    env,
    workspace,
    issued,
    inputs,
    ...(token ? { token } : {}),
    git: deps.exec ?? createGit({ env, token, serverUrl: serverUrl(env) }),
    event: { mode: "full", event: "" },
    scanRoot: workspace,
    baseReadable: false,
    useCache: true,
    links: {},
    counted: [],
    failing: [],
    stop: new AbortController(),
  };
}

function serverUrl(env: NodeJS.ProcessEnv): string {
  return /^https?:\/\/[^\s/]+$/.test(env.GITHUB_SERVER_URL ?? "")
    ? env.GITHUB_SERVER_URL!
    : "https://github.com";
}

/** Step: the event decides the mode; forks and Dependabot are known to get a read-only token. */
async function readEventStep(state: RunState): Promise<void> {
  const { env, core } = state;
  state.eventName = env.GITHUB_EVENT_NAME;
  const { payload, problem } = await readPayload(env.GITHUB_EVENT_PATH);
  if (problem) core.warning(problem);
  state.payload = payload;
  state.event = readEventMode(state.eventName, payload);
  // A pull request's verdict needs its base and head: without them the working tree's config
  // (the pull request's own) would judge it, and a base checkout would pass for the change.
  if (state.event.mode === "full" && isPullRequestEvent(state.eventName))
    throw new StepFailure(
      `${state.event.problem ?? `the ${state.eventName} event payload could not be read`}, so this pull request cannot be judged: its base and head are unknown. Run the action on the event GitHub sends (a workflow triggered by ${state.eventName}), not with a replaced or missing GITHUB_EVENT_PATH`,
    );
  const readOnly = readOnlyReason(state.eventName, payload, env.GITHUB_ACTOR);
  if (readOnly) state.readOnly = readOnly;
}

/**
 * Step: find the repository, and in pull-request mode make sure the scan reads the head. HEAD
 * is the head, or a test merge of it (then its first parent is the base); otherwise the head's
 * lockfiles are read as blobs, fetched by SHA. A head that cannot be read fails the step: the
 * base branch must never be reported as the pull request.
 */
async function inspectCheckoutStep(state: RunState): Promise<void> {
  const { core, workspace, event, git } = state;
  const wantsGit = event.mode === "pull-request";
  if (!wantsGit) return;
  // The repository the lockfiles are in: `paths` may name a checkout below the workspace
  // (actions/checkout `path:`).
  const firstPath = String(state.inputs["paths"]?.value ?? ".")
    .split(/[\n,]/)
    .map((p) => p.trim())
    .find(Boolean);
  const start = resolve(workspace, firstPath ?? ".");
  const repoRoot =
    (await repositoryRoot(git, start)) ??
    (await repositoryRoot(git, dirname(start))) ??
    (await repositoryRoot(git, workspace));
  if (!repoRoot) {
    // Without git, what is checked out cannot be told from the base (pull_request_target's
    // default), and the base's config cannot be read: the pull request would judge itself.
    throw new StepFailure(
      `${firstPath ?? "."} is not in a git repository, so this pull request cannot be judged: whether the checkout is its head, and what its base holds, cannot be read. Check out the repository with actions/checkout and git installed (in a container job, git 2.18 or later; without it actions/checkout downloads the files without a repository)`,
    );
  }
  state.repoRoot = repoRoot;
  const checkout = await inspectHead(git, repoRoot, event);
  state.checkout = checkout;
  core.info(
    checkout.kind === "head"
      ? `checked out: the pull request's head ${checkout.head.slice(0, 12)}`
      : checkout.kind === "merge"
        ? `checked out: the test merge ${checkout.checkedOut?.slice(0, 12)} of the head ${checkout.head.slice(0, 12)}; its first parent ${checkout.base.slice(0, 12)} is the base`
        : `checked out: ${checkout.checkedOut?.slice(0, 12) ?? "no commit"}, which is not the pull request's head ${checkout.head.slice(0, 12)}; reading the head's lockfiles from git`,
  );
  if (checkout.kind === "elsewhere") {
    const got = await ensureCommit(git, repoRoot, checkout.head);
    if (got.problem) {
      throw new StepFailure(
        `could not read the pull request's head commit ${checkout.head.slice(0, 12)} (${got.problem}); the checkout holds ${checkout.checkedOut?.slice(0, 12) ?? "no commit"} instead, and scanning it would report on code that is not this pull request. Give the action a github-token that can read the repository, or check out the head (see the pull_request_target recipe in the README)`,
      );
    }
    if (got.fetched) core.info(`fetched the head commit ${checkout.head.slice(0, 12)} by SHA`);
  }
  // The base is needed for its config file even when only-changed is off.
  const base = await ensureCommit(git, repoRoot, checkout.base);
  state.baseReadable = !base.problem;
  if (base.fetched)
    core.info(
      `the base commit ${checkout.base.slice(0, 12)} was not in the checkout; fetched it from origin`,
    );
}

/**
 * Step: when the checkout is not the pull request's head, write the head's lockfiles from git
 * into a tree of their own, after the config is read: the files its `paths` names are written
 * too, as the input's are.
 */
async function materializeHeadStep(state: RunState): Promise<void> {
  const { core, workspace, repoRoot, git, checkout } = state;
  if (checkout?.kind !== "elsewhere" || repoRoot === undefined) return;
  const repoInWorkspace = relativeInside(workspace, repoRoot) ?? "";
  const named = state.options!.paths.flatMap((p) => {
    const inRepo = relativeInside(repoRoot, resolve(workspace, p));
    return inRepo ? [inRepo] : [];
  });
  const tree = await materializeHead({
    exec: git,
    repoRoot,
    repoInWorkspace,
    head: checkout.head,
    named,
    ...(state.env.RUNNER_TEMP ? { tempDir: state.env.RUNNER_TEMP } : {}),
  });
  if (tree.problem)
    throw new StepFailure(
      `could not write the pull request's lockfiles from its head commit ${checkout.head.slice(0, 12)}: ${tree.problem}; scanning part of them would report on less than this pull request. Check out the head instead (see the pull_request_target recipe in the README), or name the lockfiles with paths`,
    );
  core.info(`read ${plural(tree.files, "file", "files")} of the head commit as blobs`);
  state.scanRoot = tree.root;
}

/**
 * Step: the config file, then the inputs on top. In pull-request mode the file is read from the
 * base commit; the head's copy only tells what the change would alter.
 */
async function readConfigStep(state: RunState): Promise<void> {
  const { core, workspace, inputs } = state;
  const named = (inputs["config-file"]?.value as string | undefined)?.trim() || undefined;
  const where = configPath(workspace, state.repoRoot, named);
  if (where) state.configFile = where.path;
  let configLayer: ConfigLayer;
  if (state.checkout && state.repoRoot) {
    let headText: string | undefined;
    if (where) {
      if (state.checkout.kind === "elsewhere") {
        const inRepo = relativeInside(state.repoRoot, resolve(workspace, where.path));
        headText =
          inRepo !== undefined
            ? await readBlob(state.git, state.repoRoot, state.checkout.head, inRepo)
            : undefined;
      } else {
        headText = await readFile(resolve(workspace, where.path), "utf8").catch(() => undefined);
      }
    }
    const guarded = await guardConfig({
      exec: state.git,
      repoRoot: state.repoRoot,
      workspace,
      where,
      base: state.checkout.base,
      baseReadable: state.baseReadable,
      headText,
    });
    for (const line of guarded.log) core.info(line);
    if (guarded.change) {
      state.configNote = guarded.change;
      core.notice(guarded.change, { title: `${TOOL_NAME}: configuration` });
    }
    warnHeadProblems(
      core,
      guarded.headLayer
        ? readActionOptions(guarded.headLayer, {}).problems
        : (guarded.headProblems ?? []),
      configFileView(state),
      MAX_READ_WARNINGS,
    );
    configLayer = guarded.layer;
  } else {
    configLayer = (await readWorkingConfig(workspace, where)).layer;
  }
  const read = readActionOptions(configLayer, inputs);
  state.useCache = read.useCache;
  if (read.options) state.options = read.options;
  const { problems } = read;
  if (!state.options || problems.length > 0) throw new OptionsError(problems);
}

/** Step: discover and parse the lockfiles. False when none could be read (the step failed). */
async function readLockfilesStep(state: RunState): Promise<boolean> {
  const { core } = state;
  const options = state.options!;
  const set = await loadDependencies(options.paths, state.scanRoot);
  state.set = set;
  // Read problems keep warning slots for findings (GitHub shows 10 warnings per step).
  set.errors.forEach((e, i) => {
    const text = `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message} [${e.code}]`;
    if (i < MAX_READ_WARNINGS)
      core.warning(`${e.message} [${e.code}]`, {
        title: `${TOOL_NAME}: problem in ${e.file}`,
        file: repoFile(state, e.file),
        ...(e.line !== undefined ? { startLine: e.line } : {}),
      });
    else core.info(text);
  });
  if (set.errors.length > MAX_READ_WARNINGS) {
    core.warning(
      `${set.errors.length - MAX_READ_WARNINGS} more lockfile problems are listed in the log and the JSON report`,
    );
  }
  if (set.lockfiles.length === 0) {
    core.setFailed(
      `no lockfile could be read in ${options.paths.join(", ")} (input 'paths', relative to ${state.workspace})`,
    );
    return false;
  }
  core.info(
    `${plural(set.dependencies.length, "dependency", "dependencies")} in ${plural(set.lockfiles.length, "lockfile", "lockfiles")}`,
  );
  return true;
}

/**
 * A scan path (relative to the workspace) as a path in its repository, as annotations, line
 * links and SARIF need it. With actions/checkout `path: app`, `app/requirements.txt` is
 * `requirements.txt`. Unchanged when there is no repository or the file is outside it.
 */
/** Where the config file is, for annotations on its lines. */
function configFileView(state: RunState | undefined): ConfigFileView {
  return {
    configFile: state?.configFile,
    repoFile: (file) => (state ? repoFile(state, file) : file),
  };
}

function repoFile(state: RunState, file: string): string {
  if (!state.repoRoot) return file;
  return relativeInside(state.repoRoot, resolve(state.workspace, file)) || file;
}

/** Step: in pull-request mode, which dependencies the change added or re-pinned. */
async function compareWithBaseStep(state: RunState): Promise<void> {
  const { core, event } = state;
  const options = state.options!;
  if (!isOnlyChanged(options.onlyChanged, state.eventName)) return;
  if (event.mode !== "pull-request") {
    if (event.problem) core.warning(event.problem);
    else if (options.onlyChanged === "true")
      core.info(
        `only-changed: true has no base to compare with on a ${state.eventName ?? "local"} event; scanning everything`,
      );
    return;
  }
  if (!state.repoRoot || !state.checkout) return;
  const comparison = await compareWithBase({
    set: state.set!,
    base: state.checkout.base,
    head: event.head,
    exec: state.git,
    cwd: state.repoRoot,
    repoPath: (file) => relativeInside(state.repoRoot!, resolve(state.workspace, file)),
    ...(state.checkout.kind === "elsewhere" ? { scannedCommit: state.checkout.head } : {}),
  });
  for (const line of comparison.log) core.info(line);
  if (!comparison.baseAvailable && comparison.note) core.warning(comparison.note);
  state.comparison = comparison;
}

/** Step: the verdict cache, through the Actions cache when the service is there. */
async function restoreCacheStep(state: RunState): Promise<void> {
  const { env, core } = state;
  const options = state.options!;
  if (!state.useCache || !(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)) return;
  let service: ActionsCache;
  try {
    service = await state.deps.actionsCache();
    if (service.isFeatureAvailable && !service.isFeatureAvailable()) {
      core.info("the Actions cache is not available on this runner; verdicts are not kept");
      return;
    }
  } catch (error) {
    core.warning(`Could not load the Actions cache: ${(error as Error).message}`);
    return;
  }
  const keys = cacheKeys(env, options);
  // Named after the key's job and scope, and removed first: a miss must not leave the file of
  // an earlier step of the job (another index, another bootstrap) to be read as this one's.
  const cacheFile = join(env.RUNNER_TEMP || tmpdir(), `${keys.prefix.replace(/-$/, "")}.json`);
  state.cacheFile = cacheFile;
  await rm(cacheFile, { force: true }).catch(() => undefined);
  try {
    const hit = await service.restoreCache([cacheFile], keys.restore, [keys.prefix]);
    core.info(hit ? `verdict cache restored from ${hit}` : "no verdict cache yet");
  } catch (error) {
    core.warning(`Could not restore the verdict cache: ${(error as Error).message}`);
  }
  state.cache = await openCache(cacheFile, {
    maxAgeMs: options.cacheMaxAgeMs,
    log: (event) => routeLogEvent(core, event),
    scope: cacheScope(options),
    ownPath: true,
  });
}

/** Step: the scan itself. */
async function scanStep(state: RunState): Promise<void> {
  const { deps, core } = state;
  const { comparison } = state;
  const report = await scan(state.set!, state.options!, {
    now: deps.now,
    transport: deps.transport,
    log: (event) => routeLogEvent(core, event),
    cwd: state.scanRoot,
    signal: state.stop.signal,
    heartbeat: {
      intervalMs: deps.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
      write: (l) => core.info(l),
    },
    ...(state.cache ? { cache: state.cache } : {}),
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
  state.report = await withChangedUnread(state, report);
  state.counted = countedFindings(report);
  state.failing = report.findings.filter((f) => f.failing);
}

/**
 * In a pull request, a lockfile the change touches that could not be read fails the run,
 * whatever share of the others was read: otherwise a pull request could pass by breaking the
 * very file it changes (a NUL byte, 20 MB of padding). The sentence becomes the coverage's
 * shortfall, so every sink says the run fails and why, and nothing reads as resolved.
 */
async function withChangedUnread(state: RunState, report: Report): Promise<Report> {
  const { checkout, repoRoot } = state;
  if (state.event.mode !== "pull-request" || !checkout || !repoRoot || !report.coverage)
    return report;
  if (report.coverage.shortfall !== undefined) return report;
  const unread = unreadSources(state.set!);
  if (unread.length === 0) return report;
  const changed = await changedPaths(state.git, repoRoot, checkout.base, checkout.head);
  const inRepo = (file: string) => relativeInside(repoRoot, resolve(state.workspace, file)) ?? file;
  const hit = unread.find((u) => changed === undefined || changed.has(inRepo(u.file)));
  if (!hit) return report;
  const shortfall = `could not check enough: this pull request changes ${hit.shown}, which could not be read (${hit.message}), so what it pins is unknown: fix the file`;
  return { ...report, coverage: { ...report.coverage, shortfall } };
}

async function saveCacheStep(state: RunState): Promise<void> {
  const { cache, cacheFile, core, env } = state;
  if (!cache || !cacheFile) return;
  try {
    if (!(await cache.save(state.deps.now()))) throw new Error(`${cacheFile} could not be written`);
    const service = await state.deps.actionsCache();
    await service.saveCache([cacheFile], cacheKeys(env, state.options!).save);
  } catch (error) {
    core.warning(`Could not save the verdict cache: ${(error as Error).message}`);
  }
}

/**
 * Where a finding is shown: its file in its repository, and, for a test merge, the line in the
 * head commit (GitHub attaches annotations to the head, and links to a merge commit die when
 * refs/pull/N/merge moves). A dependency the head does not pin keeps the line it was found on.
 */
async function presentStep(state: RunState): Promise<void> {
  const report = state.report!;
  const checkout = state.checkout;
  const headLines = new Map<string, Map<string, number>>();
  if (checkout?.kind === "merge" && state.repoRoot) {
    for (const file of new Set(report.findings.map((f) => f.file))) {
      const inRepo = relativeInside(state.repoRoot, resolve(state.workspace, file));
      const text =
        inRepo !== undefined
          ? await readBlob(state.git, state.repoRoot, checkout.head, inRepo)
          : undefined;
      const lines = new Map<string, number>();
      if (text !== undefined) {
        for (const d of parseLockfileText(file, text).dependencies) {
          const key = `${d.name}\0${d.version ?? ""}`;
          if (d.file === file && !lines.has(key)) lines.set(key, d.line);
        }
      }
      headLines.set(file, lines);
    }
  }
  const findings = report.findings.map((f) => {
    const atHead = headLines.get(f.file)?.get(`${f.package}\0${f.version ?? ""}`);
    return { ...f, file: repoFile(state, f.file), line: atHead ?? f.line };
  });
  state.presented = { ...report, findings };
  state.links = linkTarget(state);
}

/** The report with files relative to their repository (SARIF: lines as scanned). */
function locatedReport(state: RunState): Report {
  const report = state.report!;
  return {
    ...report,
    findings: report.findings.map((f) => ({ ...f, file: repoFile(state, f.file) })),
  };
}

/** Step: annotations on the lockfile lines (the toolkit escapes workflow commands). */
function annotateStep(state: RunState): void {
  const { core } = state;
  const used = { ...state.issued };
  // The read-only notice publishStep gives later needs its slot: GitHub drops the 11th.
  if (wantsComment(state) && state.readOnly) used.notice = (used.notice ?? 0) + 1;
  for (const a of buildAnnotations(state.presented!, { used })) {
    core[a.level](a.message, { title: a.title, file: a.file, startLine: a.startLine });
  }
}

/** Step: the JSON report, the SARIF file and the outputs. */
async function writeFilesAndOutputsStep(state: RunState): Promise<void> {
  const { core, env } = state;
  const report = state.report!;
  const options = state.options!;
  const reportDir = env.RUNNER_TEMP || tmpdir();
  const reportFile = join(reportDir, `${TOOL_NAME}-report.json`);
  await writeWhole(reportFile, renderReport(report, "json"));
  let sarifFile = "";
  const refused =
    options.sarifFile && options.writesFromConfig.includes("sarif-file")
      ? writeRefusal(state.workspace, options.sarifFile)
      : undefined;
  if (refused) {
    core.warning(
      `sarif-file ${options.sarifFile} (from the config file) is not written: ${refused}; give the sarif-file input to write elsewhere`,
    );
  } else if (options.sarifFile) {
    sarifFile = resolve(state.workspace, options.sarifFile);
    await writeWhole(sarifFile, renderReport(locatedReport(state), "sarif"));
  }
  core.setOutput("findings-count", String(state.counted.length));
  core.setOutput("failing-count", String(state.failing.length));
  core.setOutput("highest-severity", highestSeverity(report));
  core.setOutput("report-file", reportFile);
  core.setOutput("sarif-file", sarifFile);
  if (report.coverage) core.setOutput("coverage", coverageWords(report.coverage));
}

/**
 * Step: after a cancel, say how far the scan got and that its verdicts are kept, and fail the
 * step. Nothing is posted: a partial scan must never read as a verdict on the pull request.
 */
function interruptedStep(state: RunState): boolean {
  if (!state.signalled) return false;
  const report = state.report!;
  const checked = report.coverage?.domains.checked ?? 0;
  const kept = state.cache ? "cache saved" : "no verdict cache";
  state.core.setFailed(
    `interrupted: ${checked} of ${report.stats.domains} domains checked; ${kept}`,
  );
  return true;
}

/** The line links: to the head in pull-request mode, else to the commit checked out. */
function linkTarget(state: RunState): { repoUrl?: string; sha?: string } {
  const repo = parseRepository(state.env.GITHUB_REPOSITORY);
  let sha: string | undefined;
  if (state.checkout) sha = state.checkout.head;
  else if (COMMIT_SHA.test(state.env.GITHUB_SHA ?? "")) sha = state.env.GITHUB_SHA!.toLowerCase();
  return repo && sha ? { repoUrl: `${serverUrl(state.env)}/${repo.owner}/${repo.repo}`, sha } : {};
}

/** Step: the job summary (the wide layout). */
async function writeSummaryStep(state: RunState): Promise<void> {
  const { core, env } = state;
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    const summary = renderMarkdown(state.presented!, {
      maxLength: MAX_SUMMARY_BYTES - 1024,
      unit: "bytes",
      context: "summary",
      ...state.links,
      ...(state.configNote !== undefined ? { configNote: state.configNote } : {}),
    });
    await appendFile(env.GITHUB_STEP_SUMMARY, summary.endsWith("\n") ? summary : `${summary}\n`);
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** Whether the event and the inputs want the sticky pull-request comment. */
function wantsComment(state: RunState): boolean {
  const { event, eventName } = state;
  return (
    state.options!.commentOnPr !== "never" &&
    PR_COMMENT_EVENTS.has(eventName ?? "") &&
    event.mode === "pull-request" &&
    event.number !== undefined
  );
}

/** Step: the sticky comment and the tracking issue, when the event and the inputs want them. */
async function publishStep(state: RunState): Promise<void> {
  const { core, env, event, eventName } = state;
  const options = state.options!;
  const wantsPrComment = wantsComment(state);
  const wantsIssue = options.trackingIssue && TRACKING_EVENTS.has(eventName ?? "");
  if (!wantsPrComment && !wantsIssue) return;
  if (wantsPrComment && state.readOnly) {
    core.notice(
      `No pull-request comment: ${state.readOnly}. The findings are in the annotations and the job summary; to comment on such pull requests, run the action on pull_request_target as the README shows.`,
      { title: `${TOOL_NAME}: read-only token` },
    );
    if (!wantsIssue) return;
  }
  const token = options.githubToken;
  const repo = parseRepository(env.GITHUB_REPOSITORY);
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
    octokit = pinApiVersion(
      await state.deps.octokitFactory(token, { baseUrl: apiUrl, userAgent: CLIENT_NAME }),
    );
  } catch (error) {
    core.warning(`Could not create the GitHub client: ${(error as Error).message}`);
    return;
  }
  const identity: TokenIdentity = await whoAmI(octokit);
  const input = {
    core,
    octokit,
    identity,
    repo,
    report: state.presented!,
    options,
    counted: state.counted,
    links: state.links,
    ...(state.configNote !== undefined ? { configNote: state.configNote } : {}),
  };
  if (wantsPrComment && !state.readOnly && event.mode === "pull-request")
    await commentOnPullRequest({ ...input, number: event.number!, head: event.head });
  if (wantsIssue) await updateTrackingIssue(input);
}

/** Step: the step's result. */
function exitStep(state: RunState): void {
  const { report, options } = state;
  if (state.failing.length > 0) {
    state.core.setFailed(failureMessage(state.failing.length, options!.failOn));
    return;
  }
  // Never green without having looked: too little checked fails the step (exit 3 in the CLI).
  const shortfall =
    report?.coverage &&
    (report.coverage.shortfall ?? coverageShortfall(report.coverage, options!.minCoverage));
  if (shortfall) state.core.setFailed(shortfall);
}
