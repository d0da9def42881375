// The CLI: parse argv into the shared Options, run `deps` or `scan`, print, and pick the exit code.
import { parseArgs } from "node:util";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EXIT_CLEAN, EXIT_USAGE } from "../codes.js";
import {
  OPTION_SPECS,
  OptionsError,
  resolveOptions,
  type Options,
  type OutputFormat,
  type RawValue,
} from "../options/options.js";
import { loadConfigLayer } from "../options/config-file.js";
import { openCache } from "../scan/cache.js";
import { loadDependencies } from "../discover/discover.js";
import { formatParseError, formatSourceContext, renderDeps } from "../report/deps.js";
import { plainText } from "../report/escape.js";
import { renderReport } from "../report/render.js";
import { exitCodeFor } from "../assess/risk.js";
import { scan } from "../scan/scan.js";
import type { LogEvent } from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";

export interface CliIo {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Tests pass a fetch bound to loopback; the CLI uses the global one. */
  fetch?: typeof fetch;
}

const USAGE = `Usage: ${TOOL_NAME} <command> [PATH...] [flags]

Commands:
  scan [PATH...]   Parse lockfiles, look up maintainer e-mail domains, report findings.
  deps [PATH...]   Parse lockfiles only (no network) and print the dependencies found.

Flags:
${OPTION_SPECS.filter((s) => !s.actionOnly && s.name !== "paths")
  .map((s) => `  --${s.name.padEnd(22)} ${s.description}`)
  .join("\n")}
  --config FILE            Same as --config-file.
  --help                   Show this help.
  --version                Print the version.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or nothing could be read.
`;

function cliFlags() {
  const flags: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    help: { type: "boolean" },
    version: { type: "boolean" },
    config: { type: "string" },
  };
  for (const spec of OPTION_SPECS) {
    if (spec.actionOnly || spec.name === "paths") continue;
    flags[spec.name] = {
      type: "string",
      multiple: spec.kind.type === "list" || spec.kind.type === "allow",
    };
  }
  return flags;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: cliFlags(), allowPositionals: true, strict: true });
  } catch (error) {
    say(`${TOOL_NAME}: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  const [command, ...paths] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(USAGE);
    return values.help ? EXIT_CLEAN : EXIT_USAGE;
  }
  if (command !== "scan" && command !== "deps") {
    say(`${TOOL_NAME}: unknown command "${command}": use scan or deps\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let options: Options;
  try {
    const flagLayer: Record<string, RawValue> = {};
    for (const [name, value] of Object.entries(values)) {
      if (name === "help" || name === "version" || name === "config" || value === undefined)
        continue;
      const v = Array.isArray(value) ? value.join("\n") : value;
      flagLayer[name] = { value: v, source: "flag" };
    }
    if (values.config !== undefined)
      flagLayer["config-file"] = { value: values.config, source: "flag" };
    if (paths.length > 0) flagLayer["paths"] = { value: paths, source: "flag" };
    // A secret: from the environment rather than argv (visible to every process on the machine).
    if (io.env.MDG_INDEX_TOKEN && flagLayer["index-token"] === undefined)
      flagLayer["index-token"] = { value: io.env.MDG_INDEX_TOKEN, source: "flag" };
    const configFile =
      typeof values.config === "string"
        ? values.config
        : (values["config-file"] as string | undefined);
    const configLayer = command === "scan" ? await loadConfigLayer(io.cwd, configFile) : {};
    options = resolveOptions([configLayer, flagLayer]);
  } catch (error) {
    if (error instanceof OptionsError) {
      say(error.problems.map((p) => `${TOOL_NAME}: ${p}`).join("\n"));
      return EXIT_USAGE;
    }
    throw error;
  }

  const format: OutputFormat = options.format ?? (io.stdout.isTTY ? "table" : "json");
  const set = await loadDependencies(options.paths, io.cwd);

  if (command === "deps") {
    const text = renderDeps(set, format === "table" ? "table" : "json");
    await emit(text, options, io);
    if (set.lockfiles.length > 0) return EXIT_CLEAN;
    say(nothingRead(options.paths));
    return EXIT_USAGE;
  }

  if (set.lockfiles.length === 0) {
    for (const e of set.errors) say([formatParseError(e), ...formatSourceContext(e)].join("\n"));
    say(nothingRead(options.paths));
    return EXIT_USAGE;
  }

  const progress = io.stderr.isTTY
    ? (done: { packages: number; packagesTotal: number; domains: number; domainsTotal: number }) =>
        io.stderr.write(
          `\rpackages ${done.packages}/${done.packagesTotal}, domains ${done.domains}/${done.domainsTotal}`,
        )
    : undefined;
  // Verdict cache across runs (--cache FILE): read before the scan, written back after it.
  const cache = options.cache
    ? await openCache(resolve(io.cwd, options.cache), {
        maxAgeMs: options.cacheMaxAgeMs,
        log: (event) => say(logText(event)),
      })
    : undefined;
  const report = await scan(set, options, {
    now: io.now,
    fetch: io.fetch ?? globalThis.fetch,
    onProgress: progress,
    log: (event) => say(logText(event)),
    cache,
    cwd: io.cwd,
  });
  await cache?.save(io.now());
  if (progress) io.stderr.write("\n");
  await emit(renderReport(report, format, { color: io.stdout.isTTY === true }), options, io);
  if (options.sarifFile) {
    await writeFile(resolve(io.cwd, options.sarifFile), renderReport(report, "sarif"));
  }
  return exitCodeFor(report, options);
}

async function emit(text: string, options: Options, io: CliIo): Promise<void> {
  if (options.output) {
    await writeFile(resolve(io.cwd, options.output), text);
  } else {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }
}

function nothingRead(paths: string[]): string {
  return `${TOOL_NAME}: no lockfile could be read in ${paths.map((p) => plainText(p, 200)).join(", ")}`;
}

/** A log event as a stderr line: warnings say so, so they stand out in a terminal and in CI logs. */
function logText(event: LogEvent): string {
  return event.level === "warning" ? `warning: ${event.text}` : event.text;
}
