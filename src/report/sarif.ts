// SARIF 2.1.0 for code scanning: one rule per finding kind, results at the lockfile line,
// fingerprints that do not move when lines do, allowed findings as suppressions.
import { createHash } from "node:crypto";
import { inertJsonText, stripControl, unMarkdownCode } from "./escape.js";
import { FINDING_INFO, FINDING_KINDS } from "../codes.js";
import type { Finding, FindingKind, Report, Severity } from "../types.js";

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
    properties: {
      "security-severity": info.securitySeverity,
      "problem.severity": sarifProblemSeverity(info.severity),
      tags: ["security", "supply-chain"],
      precision: kind === "lookup-failed" ? "low" : "high",
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

/** Stable across runs and line moves: kind, file, package and domain; never the line. */
export function fingerprint(f: Finding): string {
  return createHash("sha256")
    .update([f.kind, f.file, f.package, f.domain ?? ""].join("\u0000"))
    .digest("hex")
    .slice(0, 32);
}

/** A relative path as a URI reference: each segment percent-encoded. */
function uriOf(file: string): string {
  return file
    .replace(/\\/g, "/")
    .replace(/^\/+/, "")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/**
 * Plain text for a SARIF message: one line, no controls, and `[` `]` escaped with a backslash
 * (SARIF 2.1.0 §3.11.6 renders `[text](target)` in `message.text` as an embedded link).
 */
function text(s: string, max = 1000): string {
  const clean = stripControl(s)
    .trim()
    .replace(/[[\]]/g, (c) => `\\${c}`);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function result(f: Finding, ruleIndex: number) {
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
          artifactLocation: { uri: uriOf(f.file), uriBaseId: "%SRCROOT%" },
          region: { startLine: Math.max(1, Math.trunc(f.line) || 1) },
        },
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(f) },
    ...(f.allowed
      ? {
          suppressions: [
            { kind: "external", status: "accepted", justification: text(f.allowed.reason, 500) },
          ],
        }
      : {}),
    properties: {
      package: text(f.package, 200),
      ...(f.version !== undefined ? { version: text(f.version, 100) } : {}),
      ...(f.domain !== undefined ? { domain: text(f.domain, 253) } : {}),
      ...(f.email !== undefined ? { email: text(f.email, 254) } : {}),
      ...(f.maintainerName !== undefined ? { maintainerName: text(f.maintainerName, 120) } : {}),
      ...(f.mx !== undefined
        ? { mxHost: text(f.mx.host, 253), maintainerDomain: text(f.mx.maintainerDomain, 253) }
        : {}),
      ...(f.link !== undefined
        ? { linkLabel: text(f.link.label, 80), linkUrl: text(f.link.url, 2048) }
        : {}),
      ...(f.tracker !== undefined ? { tracker: text(f.tracker, 2048) } : {}),
      severity: f.severity,
      failing: f.failing,
    },
  };
}

/**
 * The run's invocation. A run that could not check enough (below min-coverage, or nothing
 * looked at) is not a successful execution, with the reason as an error notification: an upload
 * of it must not read as a complete analysis, whose missing results would close earlier alerts.
 */
function invocation(report: Report): Record<string, unknown> {
  const short = report.coverage?.shortfall;
  if (short === undefined) return { executionSuccessful: true, startTimeUtc: report.startedAt };
  return {
    executionSuccessful: false,
    startTimeUtc: report.startedAt,
    toolExecutionNotifications: [
      {
        level: "error",
        descriptor: { id: "incomplete-scan" },
        message: { text: text(`The scan could not check enough: ${short}`, 2048) },
      },
    ],
  };
}

export function renderSarif(report: Report): string {
  const ruleIndex = new Map<FindingKind, number>(FINDING_KINDS.map((k, i) => [k, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: FINDING_KINDS.map(rule),
          },
        },
        invocations: [invocation(report)],
        results: report.findings.map((f) => result(f, ruleIndex.get(f.kind) ?? 0)),
      },
    ],
  };
  return `${inertJsonText(JSON.stringify(log, null, 2))}\n`;
}
