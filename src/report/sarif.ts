// SARIF 2.1.0 for code scanning: one rule per finding kind, results at the lockfile line,
// fingerprints that do not move when lines do, allowed findings as suppressions.
import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inertJsonText, sarifMessageText, sarifPropertyText, unMarkdownCode } from "./escape.js";
import { failedLookups } from "./verdict.js";
import { FINDING_INFO, FINDING_KINDS } from "../codes.js";
import type { Finding, FindingKind, Report, Severity } from "../types.js";
import { plural } from "../words.js";
import { TOOL_NAME, VERSION } from "../version.js";

/** Results GitHub code scanning accepts in one run; a log with more is refused whole. */
export const MAX_SARIF_RESULTS = 25_000;

/**
 * The key of our fingerprint in `partialFingerprints`. Not `primaryLocationLineHash`: the
 * upload action computes that one itself from the line's text and warns for every result whose
 * given value differs.
 */
export const FINGERPRINT_KEY = "maintainerDomainGuard/v1";

const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "critical" || severity === "high"
    ? "error"
    : severity === "medium"
      ? "warning"
      : "note";
}

/** Rule id in PascalCase for the `name` field: `domain-expired` -> `DomainExpired`. */
function ruleName(kind: FindingKind): string {
  return kind
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function rule(kind: FindingKind) {
  const info = FINDING_INFO[kind];
  return {
    id: kind,
    name: ruleName(kind),
    shortDescription: { text: info.title },
    fullDescription: { text: info.meaning },
    defaultConfiguration: { level: sarifLevel(info.severity) },
    help: {
      text: `${info.meaning}\n\nWhat to do: ${info.action}\n\nTo allow a finding once verified, add to .github/maintainer-domain-guard.yml:\nallow:\n  - package: <name>\n    kind: ${kind}\n    reason: "<why>"\n    until: <YYYY-MM-DD>`,
      markdown: `${info.meaning}\n\n**What to do:** ${info.action}\n\nTo allow a finding once verified, add to \`.github/maintainer-domain-guard.yml\`:\n\n\`\`\`yaml\nallow:\n  - package: <name>\n    kind: ${kind}\n    reason: "<why>"\n    until: <YYYY-MM-DD>\n\`\`\``,
    },
    // Information (a lookup that failed, no address at all) is no vulnerability: without a
    // security-severity it shows as a note, not as a security alert that opens and closes with
    // the network.
    properties:
      info.severity === "info"
        ? {
            "problem.severity": sarifProblemSeverity(info.severity),
            tags: ["supply-chain"],
            precision: kind === "lookup-failed" ? "low" : "high",
          }
        : {
            "security-severity": info.securitySeverity,
            "problem.severity": sarifProblemSeverity(info.severity),
            tags: ["security", "supply-chain"],
            precision: "high",
          },
  };
}

function sarifProblemSeverity(severity: Severity): "error" | "warning" | "recommendation" {
  return severity === "critical" || severity === "high"
    ? "error"
    : severity === "medium"
      ? "warning"
      : "recommendation";
}

/**
 * Stable across runs and line moves: kind, file, package and domain (the address when there is
 * no domain); never the line. Results that share all of these (one package pinned on two lines
 * of a file, under two markers) are told apart by their order: `:2`, `:3`, as CodeQL does.
 */
export function fingerprint(f: Finding): string {
  return createHash("sha256")
    .update([f.kind, f.file, f.package, f.domain ?? f.email ?? ""].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

/**
 * Where a finding's file is: relative to the repository root (`%SRCROOT%`), each segment
 * percent-encoded; a file outside it (an absolute path, or `../`) as an absolute `file:` URI.
 */
function artifactLocation(file: string, root: string): { uri: string; uriBaseId?: string } {
  const path = file.replace(/\\/g, "/");
  if (isAbsolute(path) || path === ".." || path.startsWith("../"))
    return { uri: pathToFileURL(resolve(root, path)).href };
  return {
    uri: path
      .split("/")
      .map((seg) => encodeURIComponent(seg))
      .join("/"),
    uriBaseId: "%SRCROOT%",
  };
}

const text = (s: string, max = 1000) => sarifMessageText(s, max);
const prop = (s: string, max: number) => sarifPropertyText(s, max);

function result(f: Finding, ruleIndex: number, root: string, key: string) {
  const sentences = [f.message, f.evidence, f.remediation].filter(
    (s): s is string => s !== undefined && s !== "",
  );
  if (f.allowExpired)
    sentences.push(
      `An allow-list entry expired on ${f.allowExpired.until} (${f.allowExpired.reason}).`,
    );
  if (f.introduced === false) sentences.push("Already present before this change.");
  if (f.maintainerName !== undefined) sentences.push(`Maintainer: ${f.maintainerName}.`);
  if (f.tracker !== undefined) sentences.push(`Issue tracker: ${f.tracker}.`);
  return {
    ruleId: f.kind,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: text(unMarkdownCode(sentences.join(" "))) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file, root),
          region: { startLine: Math.max(1, Math.trunc(f.line) || 1) },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: key },
    ...(f.allowed
      ? {
          suppressions: [
            { kind: "external", status: "accepted", justification: prop(f.allowed.reason, 500) },
          ],
        }
      : {}),
    properties: {
      package: prop(f.package, 200),
      ...(f.version !== undefined ? { version: prop(f.version, 100) } : {}),
      ...(f.domain !== undefined ? { domain: prop(f.domain, 253) } : {}),
      ...(f.email !== undefined ? { email: prop(f.email, 254) } : {}),
      ...(f.maintainerName !== undefined ? { maintainerName: prop(f.maintainerName, 120) } : {}),
      ...(f.mx !== undefined
        ? { mxHost: prop(f.mx.host, 253), maintainerDomain: prop(f.mx.maintainerDomain, 253) }
        : {}),
      ...(f.link !== undefined
        ? { linkLabel: prop(f.link.label, 80), linkUrl: prop(f.link.url, 2048) }
        : {}),
      ...(f.tracker !== undefined ? { tracker: prop(f.tracker, 2048) } : {}),
      severity: f.severity,
      failing: f.failing,
      // The finding stands on the registry's answer of this time: this run's lookup failed.
      ...(f.keptFrom !== undefined ? { keptFrom: f.keptFrom } : {}),
    },
  };
}

/**
 * The run's invocation. A run that could not check enough (below min-coverage, or nothing
 * looked at) is not a successful execution, with the reason as an error notification: an upload
 * of it must not read as a complete analysis, whose missing results would close earlier alerts.
 */
function invocation(report: Report, left: number): Record<string, unknown> {
  const short = report.coverage?.shortfall;
  const notifications: Record<string, unknown>[] = [];
  if (short !== undefined)
    notifications.push({
      level: "error",
      descriptor: { id: "incomplete-scan" },
      message: { text: text(`The scan could not check enough: ${short}`, 2048) },
    });
  // Above min-coverage the run is complete, but what failed to be looked up this time shows
  // as a lookup-failed note: an alert found before for it is no longer in this log.
  const failed = failedLookups(report, report.findings);
  if (failed.length > 0) {
    const domains = new Set(failed.flatMap((f) => (f.domain ? [f.domain] : []))).size;
    const packages = new Set(failed.filter((f) => !f.domain).map((f) => f.package)).size;
    const what = [
      ...(domains > 0 ? [plural(domains, "domain")] : []),
      ...(packages > 0 ? [plural(packages, "package")] : []),
    ].join(" and ");
    notifications.push({
      level: "warning",
      descriptor: { id: "lookup-failed" },
      message: {
        text: text(
          `${what} could not be looked up this run: their results are lookup-failed notes, or findings that stand on an earlier answer (keptFrom). An alert found for them before that is missing from this log could not be checked; it was not fixed.`,
          2048,
        ),
      },
    });
  }
  if (left > 0)
    notifications.push({
      level: "warning",
      descriptor: { id: "too-many-results" },
      message: {
        text: text(
          `${plural(left, "result")} of the least severe were left out: code scanning accepts at most ${MAX_SARIF_RESULTS} per run. The JSON report (--format json) has every finding.`,
          2048,
        ),
      },
    });
  return {
    executionSuccessful: short === undefined,
    startTimeUtc: report.startedAt,
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };
}

/** The fingerprint of each finding, told apart by order where several share one. */
function fingerprintsOf(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = fingerprint(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}:${n}`;
  });
}

/** The log of one run of the tool: its rules, `invocation` and `results`, as text. */
function sarifLog(
  tool: { name: string; version: string },
  invocation: Record<string, unknown>,
  results: unknown[],
): string {
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            rules: FINDING_KINDS.map(rule),
          },
        },
        invocations: [invocation],
        results,
      },
    ],
  };
  return `${inertJsonText(JSON.stringify(log, null, 2))}\n`;
}

export function renderSarif(report: Report): string {
  const ruleIndex = new Map<FindingKind, number>(FINDING_KINDS.map((k, i) => [k, i]));
  // The report holds findings most severe first (assess/order.ts): a cut keeps the worst.
  const kept = report.findings.slice(0, MAX_SARIF_RESULTS);
  const keys = fingerprintsOf(kept);
  const left = report.findings.length - kept.length;
  return sarifLog(
    report.tool,
    invocation(report, left),
    kept.map((f, i) => result(f, ruleIndex.get(f.kind) ?? 0, report.root, keys[i]!)),
  );
}

/**
 * The log of a run that read nothing (no lockfile could be read) or did not finish (it was
 * interrupted): no results, and an unsuccessful execution with the reason, so that uploading it
 * never passes for an analysis that found nothing, and an earlier run's file is not left in its
 * place.
 */
export function renderSarifNotRun(
  reason: string,
  why: "no-input" | "interrupted" = "no-input",
): string {
  return sarifLog(
    { name: TOOL_NAME, version: VERSION },
    {
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: "error",
          descriptor: { id: why },
          message: {
            text: text(
              why === "no-input" ? `Nothing was scanned: ${reason}` : `Not finished: ${reason}`,
              2048,
            ),
          },
        },
      ],
    },
    [],
  );
}
