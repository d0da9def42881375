// One schema for the action's inputs, the CLI's flags and the config file.
// Defaults live here and nowhere else.
import { isIP } from "node:net";
import type { AllowEntry, FindingKind } from "../types.js";
import { FAIL_ON_LEVELS, FINDING_KINDS, type FailOn } from "../codes.js";
import { isValidName, normalizeName } from "../names.js";
import { redactUrl, valueForMessage } from "../words.js";
import { nearestName } from "./nearest.js";

export type OutputFormat = "table" | "json" | "markdown" | "sarif";
export type OnlyChanged = "auto" | "true" | "false";
export type CommentOnPr = "always" | "on-findings" | "never";
export type OnLookupError = "warn" | "fail";

export interface Options {
  /**
   * The options naming a file this tool writes (`output`, `sarif-file`, `cache`) whose value a
   * config file set: written only inside the working directory, never through a link.
   */
  writesFromConfig: string[];
  paths: string[];
  format: OutputFormat | undefined;
  output: string | undefined;
  failOn: FailOn;
  expiryWarningDays: number;
  pypiUrl: string;
  rdapBootstrap: string;
  dnsServer: string | undefined;
  configFile: string | undefined;
  cache: string | undefined;
  onlyChanged: OnlyChanged;
  commentOnPr: CommentOnPr;
  trackingIssue: boolean;
  sarifFile: string | undefined;
  allow: AllowEntry[];
  /** Extra hosts or registrable domains that never lapse (added to the built-in list). */
  skipDomains: string[];
  /** Replace the built-in provider list instead of extending it. */
  replaceSkipDomains: boolean;
  /** Look up the domains of maintainer domains' mail servers (MX). */
  checkMx: boolean;
  /** Look up the domains of the project links in the metadata. */
  checkProjectUrls: boolean;
  githubToken: string | undefined;
  pypiConcurrency: number;
  rdapConcurrency: number;
  /** Per-request timeout, milliseconds. */
  timeoutMs: number;
  /** The longest single wait for a Retry-After or backoff, milliseconds. */
  maxRetryWaitMs: number;
  retries: number;
  /** The whole scan's deadline, milliseconds. */
  deadlineMs: number;
  onLookupError: OnLookupError;
  /** Ceiling for how long a cached verdict is trusted, milliseconds. */
  cacheMaxAgeMs: number;
  /** The share (0 to 1) of packages, of domains and of lockfiles that must be checked (read), else exit 3. */
  minCoverage: number;
  /** Bearer token for the package index (input or `MDG_PYPI_TOKEN`, never the config file). */
  pypiToken: string | undefined;
  /** `user:password` taken out of `pypi-url` (sent as Basic); never printed. Not an option. */
  pypiBasicAuth?: string;
  /** Private indexes: `SIMPLE_URL=JSON_API_BASE` entries (see parseIndexUrlEntry). */
  indexUrls: string[];
  /** Bearer token for the indexes in `indexUrls` (input or `MDG_INDEX_TOKEN`, never the config file). */
  indexToken: string | undefined;
}

type Kind =
  | { type: "string" }
  | { type: "url-or-file" }
  | { type: "url" }
  | { type: "host-port" }
  | { type: "enum"; values: readonly string[] }
  | { type: "boolean" }
  | { type: "int"; min: number; max: number }
  /** `max`: longest accepted, in ms (a timer's own limit for those that set one). */
  | { type: "duration"; max?: number }
  /** The CLI's cache file; `true`/`false` in a config file are the action's switch, not a file. */
  | { type: "cache-file" }
  | { type: "fraction" }
  | { type: "list" }
  | { type: "index-map" }
  | { type: "allow" };

interface Spec {
  /** kebab-case: the CLI flag, the action input and the config key. */
  name: string;
  key: keyof Options;
  kind: Kind;
  default: unknown;
  description: string;
  /** Only meaningful in the action (not offered as a CLI flag). */
  actionOnly?: boolean;
  /** Only meaningful on the CLI. */
  cliOnly?: boolean;
  /** A secret: never read from the config file, never shown. */
  secret?: boolean;
  /**
   * A file this tool writes: from a config file (which a repository, or a pull request, writes)
   * only a relative path that stays inside the working directory.
   */
  writesFile?: boolean;
}

/** The table of every option: name, type, default, and what it does. */
/** Node's timers take at most 2^31 - 1 ms (some 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 24 * 86_400_000;

export const OPTION_SPECS: readonly Spec[] = [
  {
    name: "paths",
    key: "paths",
    kind: { type: "list" },
    default: ["."],
    description: "Lockfiles or directories to scan (directories are searched).",
  },
  {
    name: "format",
    key: "format",
    kind: { type: "enum", values: ["table", "json", "markdown", "sarif"] },
    default: undefined,
    description: "Output format (CLI). Default: table on a terminal, json otherwise.",
    cliOnly: true,
  },
  {
    name: "output",
    key: "output",
    kind: { type: "string" },
    writesFile: true,
    default: undefined,
    description: "Write the report to this file instead of standard output (CLI).",
    cliOnly: true,
  },
  {
    name: "fail-on",
    key: "failOn",
    kind: { type: "enum", values: FAIL_ON_LEVELS },
    default: "high",
    description: "Lowest severity that fails the run; `never` only reports.",
  },
  {
    name: "expiry-warning-days",
    key: "expiryWarningDays",
    kind: { type: "int", min: 0, max: 3650 },
    default: 30,
    description: "Warn (`domain-expiring`) when a domain expires within this many days.",
  },
  {
    name: "pypi-url",
    key: "pypiUrl",
    kind: { type: "url" },
    default: "https://pypi.org/pypi",
    description: "Base URL of the PyPI JSON API.",
  },
  {
    name: "rdap-bootstrap",
    key: "rdapBootstrap",
    kind: { type: "url-or-file" },
    default: "https://data.iana.org/rdap/dns.json",
    description: "RDAP bootstrap file (RFC 9224): a URL or a local file.",
  },
  {
    name: "dns-server",
    key: "dnsServer",
    kind: { type: "host-port" },
    default: undefined,
    description:
      "DNS server (HOST:PORT) for the NS check before `domain-unregistered` and the mail-server (MX) lookups. Default: the system resolver.",
  },
  {
    name: "config-file",
    key: "configFile",
    kind: { type: "string" },
    default: undefined,
    description: "YAML config file. Default: `.github/maintainer-domain-guard.yml` when present.",
  },
  {
    name: "cache",
    key: "cache",
    kind: { type: "cache-file" },
    writesFile: true,
    default: undefined,
    description:
      "Verdict cache. CLI: a JSON file path. Action: `true`/`false` (kept between runs with the Actions cache).",
  },
  {
    name: "only-changed",
    key: "onlyChanged",
    kind: { type: "enum", values: ["auto", "true", "false"] },
    default: "auto",
    description:
      "On pull requests, only packages the change adds or re-pins can fail the run. `auto`: on for pull_request, pull_request_target and merge_group events.",
    actionOnly: true,
  },
  {
    name: "comment-on-pr",
    key: "commentOnPr",
    kind: { type: "enum", values: ["always", "on-findings", "never"] },
    default: "on-findings",
    description: "Keep one sticky pull-request comment with the findings.",
    actionOnly: true,
  },
  {
    name: "tracking-issue",
    key: "trackingIssue",
    kind: { type: "boolean" },
    default: false,
    description: "On scheduled and manual runs, keep one issue current with the findings.",
    actionOnly: true,
  },
  {
    name: "sarif-file",
    key: "sarifFile",
    kind: { type: "string" },
    writesFile: true,
    default: undefined,
    description: "Write a SARIF 2.1.0 file here (for code scanning upload). Empty: none.",
  },
  {
    name: "allow",
    key: "allow",
    kind: { type: "allow" },
    default: [],
    description:
      "Allow-list entries `{package?, domain?, kind?, reason, until?}` (config file), or `package:domain:reason` lines (input).",
  },
  {
    name: "skip-domains",
    key: "skipDomains",
    kind: { type: "list" },
    default: [],
    description:
      "More mail providers, mail hosts or platforms whose domains never lapse, added to the built-in lists.",
  },
  {
    name: "replace-skip-domains",
    key: "replaceSkipDomains",
    kind: { type: "boolean" },
    default: false,
    description:
      "Use only `skip-domains`, not the built-in lists (mail providers, mail hosting, code hosts and platforms).",
  },
  {
    name: "check-mx",
    key: "checkMx",
    kind: { type: "boolean" },
    default: true,
    description:
      "Ask DNS for each maintainer domain's mail servers (MX) and check the domains they sit under.",
  },
  {
    name: "check-project-urls",
    key: "checkProjectUrls",
    kind: { type: "boolean" },
    default: true,
    description:
      "Check the domains of the project's links (`project_urls`, home page, download URL).",
  },
  {
    name: "github-token",
    key: "githubToken",
    kind: { type: "string" },
    default: undefined,
    description: "Token for comments, issues and base-commit fetches (`${{ github.token }}`).",
    actionOnly: true,
  },
  {
    name: "pypi-concurrency",
    key: "pypiConcurrency",
    kind: { type: "int", min: 1, max: 256 },
    default: 16,
    description: "PyPI requests in flight at once.",
  },
  {
    name: "rdap-concurrency",
    key: "rdapConcurrency",
    kind: { type: "int", min: 1, max: 64 },
    default: 4,
    description: "RDAP requests in flight at once per RDAP server.",
  },
  {
    name: "timeout",
    key: "timeoutMs",
    kind: { type: "duration", max: MAX_TIMER_MS },
    default: 15_000,
    description: "Timeout of one HTTP request (seconds, or a duration such as `20s`).",
  },
  {
    name: "max-retry-wait",
    key: "maxRetryWaitMs",
    kind: { type: "duration", max: MAX_TIMER_MS },
    default: 10_000,
    description: "Longest single wait for Retry-After or backoff (seconds or a duration).",
  },
  {
    name: "retries",
    key: "retries",
    kind: { type: "int", min: 0, max: 10 },
    default: 3,
    description:
      "Retries of a request that failed with 429, 5xx, a timeout or a cut connection (a kept connection the server had closed is sent again without counting).",
  },
  {
    name: "deadline",
    key: "deadlineMs",
    kind: { type: "duration", max: MAX_TIMER_MS },
    default: 600_000,
    description:
      "Deadline for the whole scan (seconds or a duration such as `10m`; at most `24d`).",
  },
  {
    name: "on-lookup-error",
    key: "onLookupError",
    kind: { type: "enum", values: ["warn", "fail"] },
    default: "warn",
    description: "Whether domains that could not be checked fail the run.",
  },
  {
    name: "cache-max-age",
    key: "cacheMaxAgeMs",
    kind: { type: "duration" },
    default: 7 * 24 * 3600_000,
    description: "Longest time a cached verdict is trusted (a duration such as `7d`).",
  },
  {
    name: "min-coverage",
    key: "minCoverage",
    kind: { type: "fraction" },
    default: 0.9,
    description:
      "Share (0 to 1) of packages, of domains and of lockfiles that must be checked (read); below it the run exits 3.",
  },
  {
    name: "pypi-token",
    key: "pypiToken",
    kind: { type: "string" },
    default: undefined,
    description:
      "Bearer token for a private package index (CLI: the `MDG_PYPI_TOKEN` environment variable). Never read from the config file.",
    actionOnly: true,
    secret: true,
  },
  {
    name: "index-urls",
    key: "indexUrls",
    kind: { type: "index-map" },
    default: [],
    description:
      "Private indexes with a PyPI JSON API: `SIMPLE_URL=JSON_API_BASE` lines (config: a mapping). Credentials in the API URL are sent as Basic auth.",
  },
  {
    name: "index-token",
    key: "indexToken",
    kind: { type: "string" },
    default: undefined,
    description:
      "Bearer token for the indexes in `index-urls` (CLI: the `MDG_INDEX_TOKEN` environment variable). Never read from the config file.",
    actionOnly: true,
    secret: true,
  },
];

/**
 * One `index-urls` entry, `SIMPLE_URL=JSON_API_BASE` (split at the `=` before the API base's
 * scheme), both http(s) URLs; the error names the entry without its credentials.
 */
export function parseIndexUrlEntry(
  entry: string,
): { from: string; to: string } | { error: string } {
  const strip = valueForMessage;
  const m = /^(\S+?)\s*(?:=|->|→)\s*(https?:\/\/\S+)$/i.exec(entry.trim());
  if (!m) return { error: `"${strip(entry).slice(0, 200)}" is not SIMPLE_URL=JSON_API_BASE` };
  for (const url of [m[1]!, m[2]!]) {
    let ok = false;
    try {
      const parsed = new URL(url);
      ok = parsed.protocol === "http:" || parsed.protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok) return { error: `"${strip(url).slice(0, 200)}" is not an http(s) URL` };
  }
  return { from: m[1]!, to: m[2]! };
}

export const DEFAULT_CONFIG_FILE = ".github/maintainer-domain-guard.yml";

/** Where a raw value came from, for error messages. */
export type Source = "flag" | "input" | "config";

export interface RawValue {
  value: unknown;
  source: Source;
  /** For config values: the file they came from, */
  file?: string;
  /** the line of their key (1-based), */
  line?: number;
  /** and, for a list, the line of each item. */
  itemLines?: number[];
}

/** Where in a config file a problem is (1-based line and column), for an annotation there. */
export interface ProblemPlace {
  file: string;
  line?: number;
  column?: number;
}

/** One problem with the options: its text, and its place when it is in a config file. */
export type OptionProblem = string | { text: string; place?: ProblemPlace };

export class OptionsError extends Error {
  /** Each problem's text, in order. */
  readonly problems: string[];
  /** The same problems with the place of each one that is in a config file. */
  readonly placed: { text: string; place?: ProblemPlace }[];
  constructor(problems: readonly OptionProblem[]) {
    const placed = problems.map((p) => (typeof p === "string" ? { text: p } : p));
    super(placed.map((p) => p.text).join("\n"));
    this.name = "OptionsError";
    this.placed = placed;
    this.problems = placed.map((p) => p.text);
  }
}

/** A problem's text with the config-file place of `raw`, when it came from one. */
export function problemAt(text: string, raw: RawValue, line = raw.line): OptionProblem {
  if (raw.source !== "config" || raw.file === undefined) return text;
  return { text, place: { file: raw.file, ...(line !== undefined ? { line } : {}) } };
}

function describeSource(spec: Spec, raw: RawValue): string {
  switch (raw.source) {
    case "flag":
      return `from flag --${spec.name}`;
    case "input":
      return `from action input '${spec.name}'`;
    case "config":
      return `from key '${spec.name}' at ${configPlace(raw)}`;
  }
}

/** `file:line` of a config value (or what of it is known). */
export function configPlace(raw: RawValue, line = raw.line): string {
  const file = raw.file ?? "the config file";
  return line === undefined ? file : `${file}:${line}`;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `10`, `10s`, `1.5m`, `500ms`, `2h`, `7d` -> milliseconds. A bare number is seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? "s").toLowerCase();
  return Math.round(Number(match[1]) * (DURATION_UNITS[unit] ?? 1000));
}

/** Split a list given as text: commas or new lines, trimmed, empties dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Whether `text` is YYYY-MM-DD and a day the calendar has (not 2026-02-31). */
function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

const ALLOW_KEYS = new Set(["package", "domain", "kind", "reason", "until"]);

function parseAllowEntries(
  value: unknown,
  where: string,
  problems: OptionProblem[],
  itemWhere: (i: number) => string = () => where,
  placed: (text: string, item?: number) => OptionProblem = (text) => text,
): AllowEntry[] {
  const entries: AllowEntry[] = [];
  let items: unknown[];
  if (typeof value === "string") {
    // Input form: one entry a line, `package:domain:reason` (either of the first two may be empty).
    items = value
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((line) => {
        const [pkg = "", domain = "", ...rest] = line.split(":");
        return {
          ...(pkg.trim() ? { package: pkg.trim() } : {}),
          ...(domain.trim() ? { domain: domain.trim() } : {}),
          reason: rest.join(":").trim(),
        };
      });
  } else if (Array.isArray(value)) {
    items = value;
  } else {
    problems.push(placed(`allow: must be a list of entries (${where})`));
    return entries;
  }
  items.forEach((item, i) => {
    const at = `allow[${i}]`;
    const where = itemWhere(i);
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      problems.push(placed(`${at}: must be a mapping with a reason (${where})`, i));
      return;
    }
    const obj = item as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!ALLOW_KEYS.has(key)) {
        problems.push(
          placed(
            `${at}.${key}: unknown key; allowed keys are package, domain, kind, reason, until (${where})`,
            i,
          ),
        );
      }
    }
    const str = (k: string): string | undefined => {
      const v = obj[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v === "string") return v.trim();
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      problems.push(placed(`${at}.${k}: must be a string (${where})`, i));
      return undefined;
    };
    const entry: AllowEntry = { reason: str("reason") ?? "" };
    const pkg = str("package");
    const domain = str("domain");
    const kind = str("kind");
    const until = str("until");
    if (!entry.reason)
      problems.push(placed(`${at}.reason: is required: say why this is allowed (${where})`, i));
    // What an entry names must be able to match: a project name, a domain as findings name
    // it. `requests==2.32.3`, `*.example.com` or `https://example.com/` would never match, and
    // the finding they were meant for would still fail the run.
    if (pkg) {
      if (isValidName(pkg)) entry.package = normalizeName(pkg);
      else
        problems.push(
          placed(
            `${at}.package: "${pkg.slice(0, 80)}" is not a project name (no version, no extras) (${where})`,
            i,
          ),
        );
    }
    if (domain) {
      const d = domain.trim().replace(/\.$/, "");
      if (/^[A-Za-z0-9\p{L}](?:[A-Za-z0-9\p{L}.-]*[A-Za-z0-9\p{L}])?$/u.test(d) && d.includes("."))
        entry.domain = d;
      else
        problems.push(
          placed(
            `${at}.domain: "${d.slice(0, 80)}" is not a domain name (no wildcard, address or URL: the domain itself, e.g. example.com) (${where})`,
            i,
          ),
        );
    }
    if (kind) {
      if ((FINDING_KINDS as readonly string[]).includes(kind)) entry.kind = kind as FindingKind;
      else
        problems.push(
          placed(`${at}.kind: "${kind}" is not one of ${FINDING_KINDS.join(", ")} (${where})`, i),
        );
    }
    if (until) {
      if (isCalendarDate(until)) entry.until = until;
      else
        problems.push(placed(`${at}.until: "${until}" is not a date (YYYY-MM-DD) (${where})`, i));
    }
    if (!entry.package && !entry.domain && !entry.kind) {
      problems.push(
        placed(
          `${at}: names none of package, domain, kind: it would allow everything (${where})`,
          i,
        ),
      );
    }
    entries.push(entry);
  });
  return entries;
}

function convert(spec: Spec, raw: RawValue, problems: OptionProblem[]): unknown {
  const value = convertValue(spec, raw, problems);
  if (
    spec.writesFile &&
    raw.source === "config" &&
    typeof value === "string" &&
    !insidePath(value)
  ) {
    problems.push(
      problemAt(
        `${spec.name}: a config file may name only a relative path inside the working directory (no "..", not absolute), not ${JSON.stringify(redactUrl(value)).slice(0, 200)}; give --${spec.name} (or the input) for another place (${describeSource(spec, raw)})`,
        raw,
      ),
    );
    return undefined;
  }
  return value;
}

/** A relative path whose every step stays below where it starts (either separator). */
function insidePath(path: string): boolean {
  if (
    path.startsWith("/") ||
    path.startsWith("\\") ||
    /^[A-Za-z]:/.test(path) ||
    path.startsWith("~")
  )
    return false;
  return !path.split(/[\\/]+/).includes("..");
}

function convertValue(spec: Spec, raw: RawValue, problems: OptionProblem[]): unknown {
  const where = describeSource(spec, raw);
  const { value } = raw;
  const text = typeof value === "string" ? value.trim() : value;
  const bad = (allowed: string) => {
    const shown = spec.secret
      ? "the value"
      : spec.kind.type === "url" || spec.kind.type === "index-map"
        ? JSON.stringify(valueForMessage(typeof value === "string" ? value : String(value)))
        : typeof value === "number" && !Number.isFinite(value)
          ? String(value) // JSON would say null for YAML's .inf and .nan
          : redactUrl(JSON.stringify(value) ?? String(value));
    problems.push(problemAt(`${spec.name}: ${shown} is not ${allowed} (${where})`, raw));
    return undefined;
  };
  switch (spec.kind.type) {
    case "cache-file":
      if (typeof text === "boolean") return undefined;
      if (typeof text !== "string") return bad("a file path");
      if (raw.source === "config" && /^(true|false)$/i.test(text)) return undefined;
      return text === "" ? undefined : text;
    case "string":
    case "url-or-file":
      if (typeof text !== "string") return bad("a string");
      return text === "" ? undefined : text;
    case "url": {
      if (typeof text !== "string") return bad("a URL");
      try {
        const url = new URL(text);
        if (url.protocol !== "http:" && url.protocol !== "https:") return bad("an http(s) URL");
        return text.replace(/\/+$/, "");
      } catch {
        return bad("a URL");
      }
    }
    case "host-port": {
      if (typeof text !== "string") return bad("HOST:PORT");
      if (text === "") return undefined;
      // An address, not a name (no resolver is there yet to look a name up), and a port that
      // can be sent to: node's resolver aborts the process on port 0.
      const m = /^(\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
      const port = Number(m?.[4]);
      const ip = m?.[2] ?? m?.[3] ?? "";
      if (!m || port < 1 || port > 65535 || isIP(ip) !== (m[2] !== undefined ? 6 : 4))
        return bad("an IP address and port (for example 127.0.0.1:53 or [::1]:53)");
      return text;
    }
    case "enum": {
      const s = typeof text === "boolean" ? String(text) : text;
      if (typeof s !== "string" || !spec.kind.values.includes(s.toLowerCase())) {
        return bad(`one of ${spec.kind.values.join(", ")}`);
      }
      return s.toLowerCase();
    }
    case "boolean": {
      if (typeof text === "boolean") return text;
      if (typeof text === "string" && /^(true|false)$/i.test(text))
        return text.toLowerCase() === "true";
      return bad("true or false");
    }
    case "int": {
      // Number("") is 0: an empty value is no number.
      const n =
        typeof text === "number"
          ? text
          : typeof text === "string" && /^[+-]?\d+$/.test(text)
            ? Number(text)
            : NaN;
      // Digits only: `0x10`, `1e1` or `0b11` is not how a number of days is written.
      if (!Number.isInteger(n) || n < spec.kind.min || n > spec.kind.max) {
        return bad(`a whole number from ${spec.kind.min} to ${spec.kind.max}`);
      }
      return n;
    }
    case "duration": {
      const ms =
        typeof text === "number"
          ? Math.round(text * 1000)
          : typeof text === "string"
            ? parseDuration(text)
            : undefined;
      if (ms === undefined || ms <= 0)
        return bad("a duration (seconds, or such as 500ms, 20s, 10m, 7d)");
      if (spec.kind.max !== undefined && ms > spec.kind.max)
        return bad(`a duration of at most ${spec.kind.max / 86_400_000}d`);
      return ms;
    }
    case "fraction": {
      const n =
        typeof text === "number"
          ? text
          : typeof text === "string" && /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text)
            ? Number(text)
            : NaN;
      if (typeof text === "string" && text === "") return bad("a fraction from 0 to 1");
      if (!Number.isFinite(n) || n < 0 || n > 1) return bad("a fraction from 0 to 1 (such as 0.9)");
      return n;
    }
    case "list": {
      if (Array.isArray(text) && text.every((x) => typeof x === "string")) {
        return (text as string[]).map((s) => s.trim()).filter(Boolean);
      }
      if (typeof text === "string") return splitList(text);
      return bad("a list of strings");
    }
    case "index-map": {
      // Input: lines (or commas); config: a list of lines or a mapping `simple URL: API base`.
      let entries: string[];
      // One per line; a comma separates entries only before another URL (a password may hold one).
      if (typeof text === "string")
        entries = text
          .split(/\n|,(?=\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)/)
          .map((e) => e.trim())
          .filter(Boolean);
      else if (Array.isArray(text) && text.every((x) => typeof x === "string"))
        entries = (text as string[]).map((s) => s.trim()).filter(Boolean);
      else if (text !== null && typeof text === "object" && !Array.isArray(text))
        entries = Object.entries(text as Record<string, unknown>).map(
          ([k, v]) => `${k}=${String(v)}`,
        );
      else return bad("SIMPLE_URL=JSON_API_BASE lines");
      const out: string[] = [];
      for (const entry of entries) {
        const parsed = parseIndexUrlEntry(entry);
        if ("error" in parsed)
          problems.push(problemAt(`${spec.name}: ${parsed.error} (${where})`, raw));
        else out.push(`${parsed.from}=${parsed.to}`);
      }
      return out;
    }
    case "allow":
      return parseAllowEntries(
        value,
        where,
        problems,
        (i) =>
          raw.source === "config" && raw.itemLines?.[i] !== undefined
            ? `from allow[${i}] at ${configPlace(raw, raw.itemLines[i])}`
            : where,
        (text, i) =>
          problemAt(text, raw, i === undefined ? raw.line : (raw.itemLines?.[i] ?? raw.line)),
      );
  }
}

/** The option table, keyed by kebab-case name. */
export function findSpec(name: string): Spec | undefined {
  return OPTION_SPECS.find((s) => s.name === name);
}

/** Defaults for every option. */
export function defaultOptions(): Options {
  const options = {} as Record<string, unknown>;
  for (const spec of OPTION_SPECS) {
    const d = spec.default;
    options[spec.key] = Array.isArray(d) ? [...d] : d;
  }
  options.writesFromConfig = [];
  return options as unknown as Options;
}

/**
 * Merge raw values into validated Options. Later layers win: defaults, then the config file,
 * then explicit flags or inputs. Every problem is collected; one OptionsError reports them all.
 * `allow` and `skip-domains` from the config file and from flags/inputs are combined.
 */
export function resolveOptions(layers: Record<string, RawValue>[]): Options {
  const options = defaultOptions() as unknown as Record<string, unknown>;
  const problems: OptionProblem[] = [];
  const combined = new Set(["allow", "skip-domains"]);
  /** For each option naming a file to write: whether its value came from a config file. */
  const fromConfig = new Map<string, boolean>();
  for (const layer of layers) {
    for (const [name, raw] of Object.entries(layer)) {
      const spec = findSpec(name);
      if (!spec) {
        const where = raw.source === "config" ? ` at ${configPlace(raw)}` : "";
        const near = nearestName(
          name,
          OPTION_SPECS.map((s) => s.name),
        );
        problems.push(
          problemAt(
            `${name}: unknown option${where}${near ? `; did you mean '${near}'?` : ""}`,
            raw,
          ),
        );
        continue;
      }
      if (spec.secret && raw.source === "config") {
        problems.push(
          problemAt(
            `${name}: is a secret and is not read from ${configPlace(raw)}; give it as the action input ${name} (from a secret), or to the CLI in the MDG_${name.toUpperCase().replace(/-/g, "_")} environment variable`,
            raw,
          ),
        );
        continue;
      }
      if (name === "config-file" && raw.source === "config") {
        // The file is already chosen when its keys are read: another name here would be ignored.
        problems.push(
          problemAt(
            `${name}: names the config file, so a config file cannot set it (${configPlace(raw)}); give --config or the config-file input`,
            raw,
          ),
        );
        continue;
      }
      const value = convert(spec, raw, problems);
      if (value === undefined) continue;
      if (combined.has(name) && Array.isArray(options[spec.key])) {
        options[spec.key] = [...(options[spec.key] as unknown[]), ...(value as unknown[])];
      } else {
        options[spec.key] = value;
      }
      if (spec.writesFile) fromConfig.set(name, raw.source === "config");
    }
  }
  options.writesFromConfig = [...fromConfig].filter(([, config]) => config).map(([n]) => n);
  if (problems.length > 0) throw new OptionsError(problems);
  return moveCredentials(options as unknown as Options);
}

/**
 * `user:password@` in `pypi-url` is taken out of the URL (which is printed, logged and cached)
 * and kept apart, to be sent as `Authorization: Basic`.
 */
function moveCredentials(options: Options): Options {
  let url: URL;
  try {
    url = new URL(options.pypiUrl);
  } catch {
    return options;
  }
  if (!url.username && !url.password) return options;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  return {
    ...options,
    pypiUrl: url.href.replace(/\/+$/, ""),
    pypiBasicAuth: `${user}:${password}`,
  };
}

/**
 * Turn a parsed config file (a YAML mapping) into a raw layer. Keys are the kebab-case option
 * names; `allow` holds entries.
 */
export function configLayer(
  doc: unknown,
  file: string,
  lines: ReadonlyMap<string, { line: number; itemLines?: number[] }> = new Map(),
): Record<string, RawValue> {
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new OptionsError([
      { text: `${file}: must be a mapping of option names to values`, place: { file } },
    ]);
  }
  const layer: Record<string, RawValue> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    layer[key] = { value, source: "config", file, ...lines.get(key) };
  }
  return layer;
}
