// What the CLI says about itself: the general help, one usage per command (each flag with its
// value, choices and default), and the nearest known flag for a mistyped one.
import {
  EXIT_CLEAN,
  EXIT_FINDINGS,
  EXIT_INCOMPLETE,
  EXIT_SIGINT,
  EXIT_SIGTERM,
  EXIT_USAGE,
} from "../codes.js";
import { nearestName } from "../options/nearest.js";
import { OPTION_SPECS } from "../options/options.js";
import { TOOL_NAME } from "../version.js";

export type Command = "scan" | "deps";
export const COMMANDS: readonly Command[] = ["scan", "deps"];

type Spec = (typeof OPTION_SPECS)[number];

/** Flags of the CLI beyond the option table. */
const EXTRA_FLAGS = [
  { name: "config", value: "FILE", description: "Same as --config-file." },
  { name: "help", short: "h", description: "Show this help." },
  { name: "version", short: "V", description: "Print the version." },
];

/** Flags `deps` takes (it reads lockfiles only, no network). */
export const DEPS_FLAGS: ReadonlySet<string> = new Set(["format", "output"]);

/** Option table entries offered as CLI flags. */
export function cliSpecs(): Spec[] {
  return OPTION_SPECS.filter((s) => !s.actionOnly && s.name !== "paths");
}

/** Every long flag the CLI knows, without `--`. */
export function knownFlags(): string[] {
  return [...cliSpecs().map((s) => s.name), ...EXTRA_FLAGS.map((f) => f.name)];
}

function valueOf(spec: Spec, command: Command): string {
  const kind = spec.kind;
  switch (kind.type) {
    case "enum":
      if (spec.name !== "format") return kind.values.join("|");
      return command === "deps" ? "table|json" : "table|json|markdown|sarif";
    case "int":
      return "N";
    case "duration":
      return "DURATION";
    case "fraction":
      return "0..1";
    case "boolean":
      return "true|false";
    case "url":
      return "URL";
    case "url-or-file":
      return "URL|FILE";
    case "host-port":
      return "HOST:PORT";
    case "list":
    case "allow":
      return "LIST";
    case "index-map":
      return "SIMPLE_URL=API_URL";
    case "cache-file":
      return "FILE";
    case "string":
      return /file|output|cache/.test(spec.name) ? "FILE" : "VALUE";
  }
}

function defaultOf(spec: Spec): string | undefined {
  const d = spec.default;
  if (d === undefined || (Array.isArray(d) && d.length === 0)) return undefined;
  if (spec.kind.type === "duration" && typeof d === "number") {
    if (d % 86_400_000 === 0) return `${d / 86_400_000}d`;
    if (d % 60_000 === 0 && d >= 60_000) return `${d / 60_000}m`;
    if (d % 1000 === 0) return `${d / 1000}s`;
    return `${d}ms`;
  }
  return String(d);
}

function flagLines(specs: Spec[], command: Command): string[] {
  const rows = specs.map((s) => {
    const left = `--${s.name} ${valueOf(s, command)}`;
    const dflt = defaultOf(s);
    return [left, `${s.description}${dflt !== undefined ? ` Default: ${dflt}.` : ""}`];
  });
  // `deps` reads no config file: --config is scan's alone.
  for (const f of EXTRA_FLAGS.filter((e) => command === "scan" || e.name !== "config")) {
    rows.push([
      `${f.short ? `-${f.short}, ` : ""}--${f.name}${f.value ? ` ${f.value}` : ""}`,
      f.description,
    ]);
  }
  const width = Math.max(...rows.map(([l]) => l!.length)) + 2;
  return rows.map(([l, r]) => `  ${l!.padEnd(width)}${r}`);
}

const EXIT_LINE = `Exit codes: ${EXIT_CLEAN} clean, ${EXIT_FINDINGS} findings at or above --fail-on, ${EXIT_USAGE} bad usage or nothing could be read, ${EXIT_INCOMPLETE} could not check enough (--min-coverage), ${EXIT_SIGINT}/${EXIT_SIGTERM} interrupted.`;

/** `maintainer-domain-guard help`: the commands, then every flag. */
export function generalUsage(): string {
  return `Usage: ${TOOL_NAME} <command> [PATH...] [flags]

Commands:
  scan [PATH...]    Parse lockfiles, look up maintainer e-mail domains, report findings.
  deps [PATH...]    Parse lockfiles only (no network) and print the dependencies found.
  help [COMMAND]    Show the flags of a command.

Flags (scan):
${flagLines(cliSpecs(), "scan").join("\n")}

${EXIT_LINE}
Environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (proxies); MDG_PYPI_TOKEN (bearer token for --pypi-url); MDG_INDEX_TOKEN (bearer token for the indexes of --index-urls).
`;
}

/** `maintainer-domain-guard help scan`: one command's usage line and its flags. */
export function commandUsage(command: Command): string {
  if (command === "deps") {
    return `Usage: ${TOOL_NAME} deps [PATH...] [flags]

Parse lockfiles only (no network) and print the dependencies found.

Flags:
${flagLines(
  cliSpecs().filter((s) => DEPS_FLAGS.has(s.name)),
  "deps",
).join("\n")}

Exit codes: ${EXIT_CLEAN} at least one lockfile read, ${EXIT_USAGE} bad usage or nothing could be read.
`;
  }
  return `Usage: ${TOOL_NAME} scan [PATH...] [flags]

Parse lockfiles (files or directories; default .), look up maintainer e-mail domains, report findings.
With one directory, its .github/maintainer-domain-guard.yml is read (else the git root's, else the working directory's).

Flags:
${flagLines(cliSpecs(), "scan").join("\n")}

${EXIT_LINE}
`;
}

/** The known flag nearest to `name` (without dashes), when it is near enough to be a typo. */
export function nearestFlag(name: string): string | undefined {
  return nearestName(name, knownFlags());
}
