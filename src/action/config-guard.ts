// A pull request must not configure its own verdict. In pull-request mode the config file is
// read from the base commit; the head's copy is only compared with it, and what the change
// would alter is said in the summary and the comment. Endpoint keys (where the scan sends its
// requests) are never taken from a config file the pull request changed.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseConfigText, readConfigText } from "../options/config-file.js";
import {
  DEFAULT_CONFIG_FILE,
  OptionsError,
  type OptionProblem,
  type RawValue,
} from "../options/options.js";
import { readBlob, relativeInside } from "./checkout.js";
import type { GitExec } from "./pr-diff.js";
import { plural } from "../words.js";

/** Keys that decide where requests go: never from a file the change touched. */
export const ENDPOINT_KEYS = ["pypi-url", "rdap-bootstrap", "index-urls", "dns-server"] as const;

export type ConfigLayer = Record<string, RawValue>;

/** The config file's path, relative to the workspace, and whether it was named explicitly. */
export function configPath(
  workspace: string,
  repoRoot: string | undefined,
  named: string | undefined,
): { path: string; named: boolean } | undefined {
  if (named) return { path: named, named: true };
  if (existsSync(resolve(workspace, DEFAULT_CONFIG_FILE)))
    return { path: DEFAULT_CONFIG_FILE, named: false };
  // With `actions/checkout` `path:`, the repository (and its .github folder) sits below the workspace.
  if (repoRoot) {
    const inRepo = relativeInside(workspace, resolve(repoRoot, DEFAULT_CONFIG_FILE));
    if (inRepo !== undefined && existsSync(resolve(workspace, inRepo)))
      return { path: inRepo, named: false };
    return { path: inRepo ?? DEFAULT_CONFIG_FILE, named: false };
  }
  return undefined;
}

/** Read and parse the working tree's config file (a named file must exist). */
export async function readWorkingConfig(
  workspace: string,
  where: { path: string; named: boolean } | undefined,
): Promise<{ layer: ConfigLayer; text?: string }> {
  if (!where) return { layer: {} };
  const full = resolve(workspace, where.path);
  if (!where.named && !existsSync(full)) return { layer: {} };
  const text = await readConfigText(full, where.path);
  return { layer: parseConfigText(text, where.path), text };
}

function shortValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** What the head's config changes against the base's, as short clauses ("sets fail-on: never"). */
export function describeConfigChange(base: ConfigLayer, head: ConfigLayer): string[] {
  const out: string[] = [];
  const entries = (layer: ConfigLayer) =>
    Array.isArray(layer["allow"]?.value)
      ? (layer["allow"].value as unknown[]).map((e) => JSON.stringify(e))
      : [];
  const baseAllow = entries(base);
  const headAllow = entries(head);
  const added = headAllow.filter((e) => !baseAllow.includes(e)).length;
  const removed = baseAllow.filter((e) => !headAllow.includes(e)).length;
  if (added > 0) out.push(`adds ${plural(added, "allow entry", "allow entries")}`);
  if (removed > 0) out.push(`removes ${plural(removed, "allow entry", "allow entries")}`);
  const keys = new Set([...Object.keys(base), ...Object.keys(head)].filter((k) => k !== "allow"));
  for (const key of [...keys].sort()) {
    const before = base[key]?.value;
    const after = head[key]?.value;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (after === undefined) out.push(`removes ${key}`);
    else out.push(`sets ${key}: ${shortValue(after)}`);
  }
  return out;
}

export interface GuardedConfig {
  /** The layer this run applies. */
  layer: ConfigLayer;
  /** One sentence for the summary and the comment when the change touches the config. */
  change?: string;
  /** Lines for the log. */
  log: string[];
  /**
   * The head's copy when the change touches it and it parses: never applied to this run, but
   * read for what would be refused once it is the base.
   */
  headLayer?: ConfigLayer;
  /** Why the head's copy does not parse, when it does not. */
  headProblems?: OptionProblem[];
}

/**
 * The config layer for a pull request: the base commit's file. `headText` is the head's copy
 * (undefined when the head has none); `baseReadable` false means the base commit is missing,
 * and then no file is used at all (the head's would let the change set its own verdict).
 */
export async function guardConfig(input: {
  exec: GitExec;
  repoRoot: string;
  workspace: string;
  where: { path: string; named: boolean } | undefined;
  base: string;
  baseReadable: boolean;
  headText: string | undefined;
}): Promise<GuardedConfig> {
  const { where } = input;
  const log: string[] = [];
  if (!where) return { layer: {}, log };
  const inRepo = relativeInside(input.repoRoot, resolve(input.workspace, where.path));
  if (!input.baseReadable || inRepo === undefined) {
    const reason = !input.baseReadable
      ? "the base commit could not be read"
      : "it is outside the repository";
    if (input.headText !== undefined)
      log.push(
        `${where.path} is not used: ${reason}, and a pull request's own copy is not trusted`,
      );
    return {
      layer: {},
      log,
      ...(input.headText !== undefined
        ? {
            change: `${where.path} was not applied to this run: ${reason}, and the pull request's own copy does not configure its verdict`,
          }
        : {}),
    };
  }
  const baseText = await readBlob(input.exec, input.repoRoot, input.base, inRepo);
  // The same text as the checkout's names the checkout's file, so its problems are shown on it.
  const baseName = baseText === input.headText ? where.path : `${where.path} (base)`;
  const baseLayer = baseText === undefined ? {} : parseConfigText(baseText, baseName);
  if (baseText !== undefined)
    log.push(`config: ${where.path} as of the base commit ${input.base.slice(0, 12)}`);
  if (baseText === input.headText) return { layer: baseLayer, log };

  let clauses: string[];
  let headProblems: GuardedConfig["headProblems"];
  let headLayer: ConfigLayer | undefined;
  if (input.headText === undefined) clauses = ["deletes it"];
  else {
    try {
      headLayer = parseConfigText(input.headText, where.path);
      clauses = describeConfigChange(baseLayer, headLayer);
    } catch (error) {
      clauses = [
        `to a form that does not parse (${error instanceof OptionsError ? (error.problems[0] ?? "") : (error as Error).message})`,
      ];
      if (error instanceof OptionsError) headProblems = error.placed;
    }
  }
  if (clauses.length === 0) clauses = ["changes its formatting only"];
  const change =
    baseText === undefined
      ? `this pull request adds ${where.path}: ${clauses.join(", ")}; the base has no such file, so this run uses the workflow's inputs and the defaults`
      : `this pull request changes ${where.path}: ${clauses.join(", ")}; the base's configuration applies to this run`;
  return {
    layer: baseLayer,
    log,
    change,
    ...(headLayer ? { headLayer } : {}),
    ...(headProblems?.length ? { headProblems } : {}),
  };
}
