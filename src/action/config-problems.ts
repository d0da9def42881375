// The action's reading of its options (a config layer with the workflow's inputs over it) and
// how their problems reach the step: errors that fail it, on their lines of the config file, or
// warnings about a pull request's own copy of that file, which this run does not apply.
import {
  configPlace,
  OptionsError,
  problemAt,
  resolveOptions,
  type OptionProblem,
  type Options,
  type ProblemPlace,
  type RawValue,
} from "../options/options.js";
import { redactUrl } from "../words.js";
import { plainText } from "../report/escape.js";
import { TOOL_NAME } from "../version.js";
import type { ConfigLayer } from "./config-guard.js";
import type { ActionCore } from "./log.js";

/** Where annotations about the config file go. */
export interface ConfigFileView {
  /** The config file this run read from the checkout, relative to the workspace. */
  configFile?: string | undefined;
  /** A workspace-relative path as the repository root sees it (annotations are relative to it). */
  repoFile: (file: string) => string;
}

/** Error annotations a step shows (GitHub shows 10 per step); one is kept for the failure. */
const MAX_PROBLEM_ERRORS = 9;

const TITLE = `${TOOL_NAME}: configuration`;

/**
 * The options of a config layer with the inputs over it, as the action reads them: `cache` is
 * the action's own (true or false), and a token in a committed file is refused (it would be a
 * leaked secret; it comes from the workflow only). Every problem is returned, none thrown.
 */
export function readActionOptions(
  layer: ConfigLayer,
  inputs: Record<string, RawValue>,
): { options?: Options; useCache: boolean; problems: OptionProblem[] } {
  const configLayer = { ...layer };
  if (typeof configLayer["cache"]?.value === "boolean") {
    configLayer["cache"] = { ...configLayer["cache"], value: String(configLayer["cache"].value) };
  }
  const tokenInConfig = configLayer["github-token"];
  delete configLayer["github-token"];
  const problems: OptionProblem[] = [];
  if (tokenInConfig) {
    problems.push(
      problemAt(
        `github-token: not read from ${configPlace(tokenInConfig)}: pass it as an action input from a secret`,
        tokenInConfig,
      ),
    );
  }
  const useCache = cacheEnabled(inputs["cache"] ?? configLayer["cache"], problems);
  try {
    return { options: resolveOptions([configLayer, inputs]), useCache, problems };
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    problems.unshift(...error.placed);
    return { useCache, problems };
  }
}

/** The action's `cache` option: true or false, true when not given. */
function cacheEnabled(raw: RawValue | undefined, problems: OptionProblem[]): boolean {
  if (raw === undefined) return true;
  const text = String(raw.value).trim().toLowerCase();
  if (text === "true" || text === "") return true;
  if (text === "false") return false;
  const where =
    raw.source === "config"
      ? `from key 'cache' at ${configPlace(raw)}`
      : "from action input 'cache'";
  problems.push(
    problemAt(`cache: ${JSON.stringify(raw.value)} is not true or false (${where})`, raw),
  );
  return false;
}

/**
 * Options that cannot be used: each problem is an error annotation, on its line of the config
 * file when it is in the file this run read from the checkout, and the step fails saying that
 * nothing was scanned.
 */
export function failOnOptions(core: ActionCore, error: OptionsError, view: ConfigFileView): void {
  const problems = error.placed;
  problems.forEach(({ text, place }, i) => {
    if (i >= MAX_PROBLEM_ERRORS) core.info(problemText(text));
    else core.error(problemText(text), { title: TITLE, ...checkoutPlace(view, place) });
  });
  const n = problems.length;
  const more = n > MAX_PROBLEM_ERRORS ? ` (${n - MAX_PROBLEM_ERRORS} more in the log)` : "";
  core.setFailed(
    `${n === 1 ? "1 problem" : `${n} problems`} with the options${more}; nothing was scanned: fix ${n === 1 ? "it" : "them"} and run again`,
  );
}

/**
 * What would be wrong with a pull request's copy of the config file once merged: a warning on
 * each line (the first `max`; the rest in the log). The run uses the base's file, so they fail
 * nothing.
 */
export function warnHeadProblems(
  core: ActionCore,
  problems: readonly OptionProblem[],
  view: ConfigFileView,
  max: number,
): void {
  problems.forEach((problem, i) => {
    const { text, place } =
      typeof problem === "string" ? { text: problem, place: undefined } : problem;
    const message = `once this pull request is merged, the configuration would be refused: ${problemText(text)}`;
    if (i >= max) core.info(message);
    else core.warning(message, { title: TITLE, ...checkoutPlace(view, place) });
  });
}

/**
 * An annotation's file and line for a place in the config file, when that is the checkout's
 * copy (the file this run read); a place in the base commit's copy has no line in the checkout.
 */
function checkoutPlace(
  view: ConfigFileView,
  place: ProblemPlace | undefined,
): { file?: string; startLine?: number; startColumn?: number } {
  if (!place || view.configFile === undefined || place.file !== view.configFile) return {};
  return {
    file: view.repoFile(place.file),
    ...(place.line !== undefined ? { startLine: place.line } : {}),
    ...(place.column !== undefined ? { startColumn: place.column } : {}),
  };
}

/**
 * An options problem as one annotation line: values in it come from inputs or a config file (a
 * pull request's own, for warnings), so credentials in URLs are hidden and the length is capped.
 */
function problemText(text: string): string {
  return plainText(redactUrl(text), 500);
}
