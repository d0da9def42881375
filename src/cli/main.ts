// The CLI: parse argv into the shared Options, run `deps` or `scan`, print, and pick the exit code.
// Under trouble it behaves: a mistyped flag gets the nearest one, an unwritable output file is
// one line (the report goes to stdout instead), a closed pipe ends quietly, and the first
// SIGINT/SIGTERM stops the scan and saves the cache (a second one exits at once).
import { parseArgs } from "node:util";
import { existsSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { EXIT_CLEAN, EXIT_INCOMPLETE, EXIT_SIGINT, EXIT_SIGTERM, EXIT_USAGE } from "../codes.js";
import {
  DEFAULT_CONFIG_FILE,
  OptionsError,
  resolveOptions,
  type Options,
  type OutputFormat,
  type RawValue,
} from "../options/options.js";
import { redactUrl } from "../words.js";
import { loadConfigLayer } from "../options/config-file.js";
import { nearestName } from "../options/nearest.js";
import { cacheScope, openCache } from "../scan/cache.js";
import { loadDependencies, writeRefusal } from "../discover/discover.js";
import { linkTextTarget, writeFailure, writeWhole } from "../discover/write.js";
import { formatParseError, formatSourceContext, renderDeps } from "../report/deps.js";
import { plainText } from "../report/escape.js";
import { renderReport } from "../report/render.js";
import { renderSarifNotRun } from "../report/sarif.js";
import { transportForEnv } from "../net/proxy.js";
import type { Transport } from "../net/transport.js";
import { HEARTBEAT_INTERVAL_MS, scan } from "../scan/scan.js";
import { coverageShortfall, exitCodeOf } from "../scan/coverage.js";
import type { LogEvent } from "../types.js";
import { TOOL_NAME, VERSION } from "../version.js";
import {
  COMMANDS,
  DEPS_FLAGS,
  cliSpecs,
  commandUsage,
  generalUsage,
  nearestFlag,
  type Command,
} from "./usage.js";

export interface CliIo {
  cwd: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** How requests are sent; default: directly, or through the proxy the environment names. */
  transport?: Transport;
  /** Where SIGINT and SIGTERM come from (the CLI passes `process`); none: no signal handling. */
  signals?: NodeJS.EventEmitter;
  /** Exit at once (a second signal); default `process.exit`. */
  exit?: (code: number) => void;
  /** Heartbeat interval when stderr is not a terminal; default 15 s (tests shorten it). */
  heartbeatMs?: number;
}

/** The environment variable read for a bearer token (never the config file). */
export const PYPI_TOKEN_ENV = "MDG_PYPI_TOKEN";

function cliFlags() {
  const flags: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> =
    {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
      config: { type: "string" },
    };
  for (const spec of cliSpecs()) {
    flags[spec.name] = {
      type: "string",
      multiple:
        spec.kind.type === "list" || spec.kind.type === "allow" || spec.kind.type === "index-map",
    };
  }
  return flags;
}

/**
 * An unknown command as one line, with what was likely meant: the nearest command for a typo
 * (`scna`), or `scan <it>` when it names a file or folder (the command left out).
 */
function unknownCommand(command: string, cwd: string): string {
  const shown = plainText(command, 80);
  const near = nearestName(command, COMMANDS);
  const hint = near
    ? `: did you mean ${near}?`
    : existsSync(resolve(cwd, command))
      ? `: to scan it, run \`${TOOL_NAME} scan ${shown}\``
      : "";
  return `${TOOL_NAME}: unknown command "${shown}"${hint} (use scan or deps; run \`${TOOL_NAME} help\`)`;
}

/** A parseArgs error as one line: the nearest known flag for an unknown one. */
function argumentProblem(error: unknown, command: string | undefined): string {
  const e = error as Error & { code?: string };
  const helpHint = `run \`${TOOL_NAME} help${command && COMMANDS.includes(command as Command) ? ` ${command}` : ""}\` for the flags`;
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(e.message)?.[1] ?? "";
    const near = flag.startsWith("--") ? nearestFlag(flag.slice(2)) : undefined;
    return `${TOOL_NAME}: unknown flag ${plainText(flag, 80)}${near ? `: did you mean --${near}?` : ""} (${helpHint})`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // "Option '-h, --help' does not take an argument", "Option '--format <value>' argument missing"
    const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(e.message)?.[1] ?? "a flag";
    const what = /does not take an argument/.test(e.message) ? "takes no value" : "needs a value";
    return `${TOOL_NAME}: ${flag} ${what} (${helpHint})`;
  }
  return `${TOOL_NAME}: ${plainText(e.message.split("\n")[0] ?? "", 200)} (${helpHint})`;
}

/** What stdout can still take: a closed pipe (`| head`) makes later writes no-ops. */
function guardStdout(io: CliIo): { write: (text: string) => void; release: () => void } {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") closed = true;
    else throw error;
  };
  io.stdout.on("error", onError);
  return {
    write: (text) => {
      if (closed) return;
      try {
        io.stdout.write(text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EPIPE") closed = true;
        else throw error;
      }
    },
    // The listener stays: an EPIPE may arrive after main() returned, and must stay quiet.
    release: () => {},
  };
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (error) {
    // A defect of this tool, not a finding: say so, never exit 1 ("findings") or 0.
    const e = error as Error;
    const where = (e.stack ?? "").split("\n").find((l) => l.trim().startsWith("at ")) ?? "";
    try {
      io.stderr.write(
        `${TOOL_NAME}: internal error: ${plainText(e.message ?? String(error), 300)}${where ? ` (${plainText(where.trim(), 200)})` : ""}; the run did not finish; this is a bug, please report it with the command line\n`,
      );
    } catch {
      // stderr closed: the exit code says it.
    }
    return EXIT_INCOMPLETE;
  }
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const say = (text: string) => {
    try {
      io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
    } catch {
      // stderr closed: nothing left to tell.
    }
  };
  const out = guardStdout(io);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: cliFlags(), allowPositionals: true, strict: true });
  } catch (error) {
    const command = argv.find((a) => !a.startsWith("-"));
    say(argumentProblem(error, command));
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    out.write(`${VERSION}\n`);
    return EXIT_CLEAN;
  }
  const [command, ...paths] = positionals;
  if (command === "help") {
    const topic = paths[0];
    if (topic === undefined) {
      out.write(generalUsage());
      return EXIT_CLEAN;
    }
    if (!COMMANDS.includes(topic as Command)) {
      say(`${TOOL_NAME}: no help for "${plainText(topic, 80)}": commands are scan and deps`);
      return EXIT_USAGE;
    }
    out.write(commandUsage(topic as Command));
    return EXIT_CLEAN;
  }
  if (values.help) {
    out.write(
      command && COMMANDS.includes(command as Command)
        ? commandUsage(command as Command)
        : generalUsage(),
    );
    return EXIT_CLEAN;
  }
  if (!command) {
    say(generalUsage());
    return EXIT_USAGE;
  }
  if (command !== "scan" && command !== "deps") {
    say(unknownCommand(command, io.cwd));
    return EXIT_USAGE;
  }

  if (command === "deps") {
    // deps reads lockfiles only: a scan flag there would be taken for one that does something.
    const other = Object.keys(values).find(
      (name) => values[name] !== undefined && !DEPS_FLAGS.has(name) && name !== "help",
    );
    if (other) {
      say(
        `${TOOL_NAME}: deps takes only --format and --output (it reads lockfiles, no network); --${other} is scan's (see ${TOOL_NAME} help deps)`,
      );
      return EXIT_USAGE;
    }
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
    const token = io.env[PYPI_TOKEN_ENV];
    if (command === "scan" && token) flagLayer["pypi-token"] = { value: token, source: "input" };
    // The private indexes' token, from the environment too (argv is visible to every process).
    const indexToken = io.env.MDG_INDEX_TOKEN;
    if (command === "scan" && indexToken)
      flagLayer["index-token"] = { value: indexToken, source: "input" };
    const configFile =
      typeof values.config === "string"
        ? values.config
        : (values["config-file"] as string | undefined);
    let configLayer: Record<string, RawValue> = {};
    if (command === "scan") {
      const found = configFile ?? discoverConfig(io.cwd, paths);
      say(
        found
          ? `config: ${plainText(found, 300)}`
          : `config: none (no ${DEFAULT_CONFIG_FILE} found)`,
      );
      if (found) configLayer = await loadConfigLayer(io.cwd, found);
    }
    options = resolveOptions([configLayer, flagLayer]);
  } catch (error) {
    if (error instanceof OptionsError) {
      say(error.problems.map((p) => `${TOOL_NAME}: ${plainText(redactUrl(p), 500)}`).join("\n"));
      return EXIT_USAGE;
    }
    throw error;
  }

  const format: OutputFormat = options.format ?? (io.stdout.isTTY ? "table" : "json");
  const set = await loadDependencies(options.paths, io.cwd);
  const collision = writeCollision(
    command === "scan"
      ? { "--output": options.output, "--sarif-file": options.sarifFile, "--cache": options.cache }
      : { "--output": options.output },
    set,
    io.cwd,
  );
  if (collision) {
    say(`${TOOL_NAME}: ${collision}`);
    return EXIT_USAGE;
  }

  if (command === "deps") {
    if (format !== "table" && format !== "json") {
      say(
        `${TOOL_NAME}: deps writes table or json, not ${format}: --format ${format} is for scan (${TOOL_NAME} help deps)`,
      );
      return EXIT_USAGE;
    }
    const text = renderDeps(set, format);
    const wrote = await emit(text, options.output, io, out.write, say, "--output");
    if (set.lockfiles.length === 0) {
      say(nothingRead(options.paths));
      return EXIT_USAGE;
    }
    return wrote ? EXIT_CLEAN : EXIT_USAGE;
  }

  if (set.lockfiles.length === 0) {
    for (const e of set.errors) say([formatParseError(e), ...formatSourceContext(e)].join("\n"));
    say(nothingRead(options.paths));
    // A SARIF file from an earlier run must not be uploaded as this one's: it says this run
    // did not run, which code scanning does not take as a complete analysis.
    await writeSarifNotRun(
      renderSarifNotRun(nothingRead(options.paths).slice(TOOL_NAME.length + 2)),
      options,
      io,
      say,
    );
    return EXIT_USAGE;
  }

  // Stop requests: the first stops the scan (the cache is saved), a second exits at once.
  const controller = new AbortController();
  let signalled: "SIGINT" | "SIGTERM" | undefined;
  const onSignal = (name: "SIGINT" | "SIGTERM") => {
    if (signalled) (io.exit ?? process.exit)(name === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM);
    signalled = name;
    controller.abort();
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  io.signals?.on("SIGINT", onInt);
  io.signals?.on("SIGTERM", onTerm);
  try {
    return await runScan(set, options, format, io, controller.signal, () => signalled, out, say);
  } finally {
    io.signals?.off("SIGINT", onInt);
    io.signals?.off("SIGTERM", onTerm);
    out.release();
  }
}

async function runScan(
  set: Awaited<ReturnType<typeof loadDependencies>>,
  options: Options,
  format: OutputFormat,
  io: CliIo,
  signal: AbortSignal,
  signalled: () => "SIGINT" | "SIGTERM" | undefined,
  out: { write: (text: string) => void },
  say: (text: string) => void,
): Promise<number> {
  const tty = io.stderr.isTTY === true;
  const progress = tty
    ? (done: { packages: number; packagesTotal: number; domains: number; domainsTotal: number }) =>
        io.stderr.write(
          `\rpackages ${done.packages}/${done.packagesTotal}, domains ${done.domains}/${done.domainsTotal}`,
        )
    : undefined;
  if (tty) io.stderr.write(`asking ${plainText(hostOf(options.pypiUrl), 100)} …`);
  // Verdict cache across runs (--cache FILE): read before the scan, written back after it.
  const cacheRefused =
    options.cache && options.writesFromConfig.includes("cache")
      ? writeRefusal(io.cwd, options.cache)
      : undefined;
  if (cacheRefused)
    say(
      `warning: ${plainText(options.cache!, 300)}: the cache file the config file names is not used: ${cacheRefused}`,
    );
  const cache =
    options.cache && !cacheRefused
      ? await openCache(resolve(io.cwd, options.cache), {
          maxAgeMs: options.cacheMaxAgeMs,
          log: (event) => say(logText(event)),
          scope: cacheScope(options),
        })
      : undefined;
  const report = await scan(set, options, {
    now: io.now,
    transport: io.transport ?? transportForEnv(io.env),
    onProgress: progress,
    log: (event) => say(logText(event)),
    cache,
    cwd: io.cwd,
    signal,
    ...(tty
      ? {}
      : {
          heartbeat: {
            intervalMs: io.heartbeatMs ?? HEARTBEAT_INTERVAL_MS,
            write: (line: string) => say(plainText(line, 300)),
          },
        }),
  });
  const saved = cache ? await cache.save(io.now()) : false;
  if (tty) io.stderr.write("\n");
  const interrupted = signalled();
  if (interrupted) {
    const checked = report.coverage?.domains.checked ?? 0;
    say(
      `interrupted: ${checked} of ${report.stats.domains} domains checked; ${cache ? (saved ? "cache saved" : "cache not saved") : "no cache (--cache FILE keeps verdicts)"}`,
    );
    // An earlier run's SARIF must not be uploaded as this one's: it says this run did not finish.
    await writeSarifNotRun(
      renderSarifNotRun(
        `the scan was interrupted (${interrupted}) with ${checked} of ${report.stats.domains} domains checked; its results are not in this file`,
        "interrupted",
      ),
      options,
      io,
      say,
    );
    return interrupted === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
  }
  // Colour only for a terminal: never into an --output file.
  const confined = (name: string) => options.writesFromConfig.includes(name);
  let wrote = await emit(
    renderReport(report, format, { color: io.stdout.isTTY === true && !options.output }),
    options.output,
    io,
    out.write,
    say,
    "--output",
    confined("output"),
  );
  if (options.sarifFile) {
    wrote =
      (await emit(
        renderReport(report, "sarif"),
        options.sarifFile,
        io,
        // Standard output carries the report when there is no --output: not the SARIF too.
        options.output ? out.write : undefined,
        say,
        "--sarif-file",
        confined("sarif-file"),
      )) && wrote;
  }
  const code = exitCodeOf(report, options);
  const shortfall = report.coverage && coverageShortfall(report.coverage, options.minCoverage);
  if (shortfall) say(`${TOOL_NAME}: ${plainText(shortfall, 1000)}`);
  return wrote ? code : EXIT_USAGE;
}

/** The SARIF log of a run that did not run or finish, to --sarif-file when there is one. */
async function writeSarifNotRun(
  log: string,
  options: Options,
  io: CliIo,
  say: (text: string) => void,
): Promise<void> {
  if (!options.sarifFile) return;
  await emit(
    log,
    options.sarifFile,
    io,
    undefined,
    say,
    "--sarif-file",
    options.writesFromConfig.includes("sarif-file"),
  );
}

/**
 * Write `text` to `file` (parent folders created), or to stdout without one. A write that fails
 * is one line, and the text goes to `fallback` (stdout) instead of being lost, when there is one.
 * False when it failed.
 */
async function emit(
  text: string,
  file: string | undefined,
  io: CliIo,
  fallback: ((text: string) => void) | undefined,
  say: (text: string) => void,
  /** The option that names the file, for the message when it cannot be written. */
  flag: string,
  /** The path came from a config file: written only inside the working directory. */
  confined = false,
): Promise<boolean> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (!file) {
    fallback?.(body);
    return true;
  }
  // Standard output or error by name: written to the stream itself. Opening the name would open
  // the file a shell sent the stream to anew, at its start, over what was already there.
  const stream = STANDARD_STREAMS[resolve(io.cwd, file)];
  if (stream !== undefined && !confined) {
    (stream === 1 ? io.stdout : io.stderr).write(body);
    return true;
  }
  const target = resolve(io.cwd, file);
  const refused = confined ? writeRefusal(io.cwd, file) : undefined;
  if (refused) {
    say(
      `${TOOL_NAME}: not writing ${plainText(file, 300)}, which the config file names: ${refused}; ${fallback ? "the report follows on standard output instead" : "give the path as a flag to write elsewhere"}`,
    );
    fallback?.(body);
    return false;
  }
  try {
    await writeWhole(target, body);
    return true;
  } catch (error) {
    const where = fallback
      ? "it follows on standard output instead"
      : "it is not written anywhere else (standard output has the report)";
    say(
      `${TOOL_NAME}: cannot write ${plainText(file, 300)}: ${plainText(writeFailure(error), 120)}; ${where}; give ${flag} a path you can write to`,
    );
    fallback?.(body);
    return false;
  }
}

/**
 * The config file for `scan DIR` (one directory, no --config): DIR's own, else the one at the
 * git root above DIR, else the working directory's. Returned relative to the working directory.
 */
export function discoverConfig(cwd: string, paths: readonly string[]): string | undefined {
  const candidates: string[] = [];
  if (paths.length === 1) {
    const dir = resolve(cwd, paths[0]!);
    if (isDirectory(dir)) {
      candidates.push(join(dir, DEFAULT_CONFIG_FILE));
      const root = gitRoot(dir);
      if (root) candidates.push(join(root, DEFAULT_CONFIG_FILE));
    }
  }
  candidates.push(join(resolve(cwd), DEFAULT_CONFIG_FILE));
  const found = candidates.find((c) => existsSync(c));
  if (!found) return undefined;
  const rel = relative(cwd, found);
  return rel.split("\\").join("/");
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a linked checkout). */
function gitRoot(dir: string): string | undefined {
  let current = dir;
  for (let i = 0; i < 100; i++) {
    if (existsSync(join(current, ".git"))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Names of the standard streams, as `--output` may give them. */
const STANDARD_STREAMS: Record<string, 1 | 2> = {
  "/dev/stdout": 1,
  "/dev/fd/1": 1,
  "/proc/self/fd/1": 1,
  "/dev/stderr": 2,
  "/dev/fd/2": 2,
  "/proc/self/fd/2": 2,
};

/**
 * Two options naming one file (the report would overwrite the cache, or the SARIF the report),
 * or an output naming a lockfile this run reads: why, for a usage error; undefined when none.
 */
function writeCollision(
  targets: Record<string, string | undefined>,
  set: { root: string; lockfiles: readonly { path: string }[] },
  cwd: string,
): string | undefined {
  // Compared by real path: a file (or a lockfile) may be named through a link, also one whose
  // file is not there yet (it names where the write goes).
  const real = (path: string, hops = 0): string => {
    try {
      return realpathSync(path);
    } catch {
      try {
        if (hops < 40)
          return real(linkTextTarget(realpathSync(dirname(path)), readlinkSync(path)), hops + 1);
      } catch {
        // not a link: a file still to be made, under its folder's real path
      }
      try {
        return join(realpathSync(dirname(path)), basename(path));
      } catch {
        return path;
      }
    }
  };
  // A standard stream is one target under each of its names; the report goes to standard
  // output when `--output` names nothing.
  const where = (file: string) => {
    const at = resolve(cwd, file);
    const stream = STANDARD_STREAMS[at];
    return stream === undefined ? real(at) : `standard stream ${stream}`;
  };
  const named = Object.entries(targets).flatMap(([flag, file]) =>
    file ? [{ flag, file, at: where(file) }] : [],
  );
  if ("--output" in targets && !targets["--output"])
    named.unshift({ flag: "the report", file: "standard output", at: "standard stream 1" });
  for (const [i, a] of named.entries()) {
    for (const b of named.slice(i + 1)) {
      if (a.at === b.at)
        return `${a.flag} and ${b.flag} name the same file (${plainText(b.file, 300)}): give each its own`;
    }
  }
  const read = new Set(
    set.lockfiles.flatMap((l) => {
      const at = resolve(set.root, l.path);
      return [at, real(at)];
    }),
  );
  for (const t of named) {
    if (read.has(t.at) || read.has(real(t.at)))
      return `${t.flag} names ${plainText(t.file, 300)}, a lockfile this run reads: writing there would replace it; give another path`;
  }
  return undefined;
}

function nothingRead(paths: string[]): string {
  return `${TOOL_NAME}: no lockfile could be read in ${paths.map((p) => plainText(p, 200)).join(", ")}`;
}

/** A log event as a stderr line: warnings say so, so they stand out in a terminal and in CI logs. */
function logText(event: LogEvent): string {
  const text = plainText(redactUrl(event.text), 1000);
  return event.level === "warning" ? `warning: ${text}` : text;
}
