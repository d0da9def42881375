// The JSON report: every field in a fixed key order, absent values as null (optional extras are
// left out), paths relative to the scanned root, lines 1-based. Consumers match on codes.
import { coverageLimits } from "../assess/lifecycle.js";
import { inertJsonText, unMarkdownCode } from "./escape.js";
import { jsonProblem } from "./problem.js";
import { redactUrl } from "../words.js";
import type { Dependency, DomainVerdict, Finding, PackageMeta, Report } from "../types.js";

/** Builds an object whose keys appear in the order given, leaving out `undefined` values. */
function ordered(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== undefined) out[key] = value;
  return out;
}

function jsonDependency(d: Dependency): Record<string, unknown> {
  return ordered([
    ["name", d.name],
    ["version", d.version ?? null],
    ["file", d.file],
    ["line", d.line],
    ["format", d.format],
    ["kind", d.kind],
    ["index", d.index === undefined ? undefined : redactUrl(d.index)],
  ]);
}

function jsonFinding(f: Finding): Record<string, unknown> {
  return ordered([
    ["kind", f.kind],
    ["severity", f.severity],
    ["package", f.package],
    ["version", f.version ?? null],
    ["email", f.email ?? null],
    ["maintainerName", f.maintainerName],
    ["field", f.field],
    ["domain", f.domain ?? null],
    [
      "mx",
      f.mx &&
        ordered([
          ["host", f.mx.host],
          ["maintainerDomain", f.mx.maintainerDomain],
        ]),
    ],
    [
      "link",
      f.link &&
        ordered([
          ["label", f.link.label],
          ["url", f.link.url],
        ]),
    ],
    ["tracker", f.tracker],
    ["file", f.file],
    ["line", f.line],
    ["message", unMarkdownCode(f.message)],
    ["evidence", f.evidence !== undefined ? unMarkdownCode(f.evidence) : null],
    ["remediation", f.remediation !== undefined ? unMarkdownCode(f.remediation) : null],
    ["failing", f.failing],
    [
      "allowed",
      f.allowed &&
        ordered([
          ["reason", f.allowed.reason],
          ["until", f.allowed.until],
        ]),
    ],
    [
      "allowExpired",
      f.allowExpired &&
        ordered([
          ["reason", f.allowExpired.reason],
          ["until", f.allowExpired.until],
        ]),
    ],
    ["keptFrom", f.keptFrom],
    ["introduced", f.introduced],
  ]);
}

function jsonDomain(v: DomainVerdict): Record<string, unknown> {
  return ordered([
    ["domain", v.domain],
    ["state", v.state],
    ["created", v.created],
    ["expires", v.expires],
    ["reregistered", v.reregistered],
    ["transferred", v.transferred],
    ["expiresFrom", v.expiresFrom],
    ["registrarExpires", v.registrarExpires],
    ["statuses", [...v.statuses]],
    ["unknownStatuses", [...(v.unknownStatuses ?? [])]],
    [
      "registrar",
      v.registrar &&
        ordered([
          ["url", v.registrar.url],
          ["expires", v.registrar.expires],
          ["error", v.registrar.error],
          ["errorCode", v.registrar.errorCode],
        ]),
    ],
    ["error", v.error],
    ["errorCode", v.errorCode],
    ["dns", v.dns],
    [
      "mx",
      v.mx &&
        (v.mx.status === "answered"
          ? ordered([
              ["status", v.mx.status],
              [
                "hosts",
                v.mx.hosts.map((h) =>
                  ordered([
                    ["host", h.host],
                    ["domain", h.domain],
                    ["skipped", h.skipped],
                  ]),
                ),
              ],
            ])
          : ordered([
              ["status", v.mx.status],
              ["error", v.mx.error],
              ["errorCode", v.mx.errorCode],
            ])),
    ],
    ["server", v.server],
    ["source", v.source],
    ["checkedAt", v.checkedAt],
    [
      "lookupFailed",
      v.lookupFailed &&
        ordered([
          ["error", v.lookupFailed.error],
          ["errorCode", v.lookupFailed.errorCode],
        ]),
    ],
  ]);
}

function jsonPackage(p: PackageMeta): Record<string, unknown> {
  return ordered([
    ["name", p.name],
    ["index", p.index === undefined ? undefined : redactUrl(p.index)],
    ["status", p.status],
    ["error", p.error],
    ["errorCode", p.errorCode],
    ["latestVersion", p.latestVersion ?? null],
    ["lastReleaseAt", p.lastReleaseAt ?? null],
    [
      "emails",
      p.emails.map((e) =>
        ordered([
          ["address", e.address],
          ["field", e.field],
          ["domain", e.domain ?? null],
          ["skipped", e.skipped],
          ["spelledOut", e.spelledOut],
          ["name", e.name],
        ]),
      ),
    ],
    [
      "links",
      p.links?.map((l) =>
        ordered([
          ["label", l.label],
          ["url", l.url],
          ["domain", l.domain ?? null],
          ["skipped", l.skipped],
        ]),
      ),
    ],
    [
      "ownership",
      p.ownership &&
        ordered([
          ["organization", p.ownership.organization],
          ["roles", p.ownership.roles.map((r) => ({ role: r.role, user: r.user }))],
        ]),
    ],
    ["cached", p.cached],
  ]);
}

/** The report as plain data in the documented key order (what `renderJson` serialises). */
export function toJsonReport(report: Report): Record<string, unknown> {
  const s = report.stats;
  return ordered([
    ["dependencies", report.dependencies.map(jsonDependency)],
    ["findings", report.findings.map(jsonFinding)],
    ["domains", report.domains.map(jsonDomain)],
    [
      "coverageLimits",
      coverageLimits(report.domains).map((l) => ({ tld: l.tld, domains: l.domains, note: l.note })),
    ],
    ["packages", report.packages.map(jsonPackage)],
    ["errors", report.errors.map(jsonProblem)],
    [
      "lockfiles",
      report.lockfiles.map((l) => ({ path: l.path, format: l.format, count: l.count })),
    ],
    [
      "stats",
      {
        lockfiles: s.lockfiles,
        dependencies: s.dependencies,
        packages: s.packages,
        domains: s.domains,
        requests: {
          pypi: s.requests.pypi,
          rdap: s.requests.rdap,
          bootstrap: s.requests.bootstrap,
          dns: s.requests.dns,
          ...(s.requests.mx !== undefined ? { mx: s.requests.mx } : {}),
          retries: s.requests.retries,
        },
        cache: {
          verdictHits: s.cache.verdictHits,
          verdictMisses: s.cache.verdictMisses,
          metadataHits: s.cache.metadataHits,
        },
        ...(s.largestAnswers
          ? {
              largestAnswers: s.largestAnswers.map((a) =>
                ordered([
                  ["name", a.name],
                  ["wireBytes", a.wireBytes],
                  ["decodedBytes", a.decodedBytes],
                  ["ms", a.ms],
                ]),
              ),
            }
          : {}),
        durationMs: s.durationMs,
        deadlineReached: s.deadlineReached,
        ...(s.interrupted ? { interrupted: true } : {}),
      },
    ],
    [
      "coverage",
      report.coverage &&
        ordered([
          [
            "packages",
            {
              checked: report.coverage.packages.checked,
              total: report.coverage.packages.total,
              notLookedUp: report.coverage.packages.notLookedUp,
            },
          ],
          [
            "domains",
            {
              checked: report.coverage.domains.checked,
              total: report.coverage.domains.total,
              noRdap: report.coverage.domains.noRdap,
            },
          ],
          [
            "mx",
            report.coverage.mx && {
              checked: report.coverage.mx.checked,
              total: report.coverage.mx.total,
            },
          ],
          [
            "lockfiles",
            report.coverage.lockfiles && {
              read: report.coverage.lockfiles.read,
              total: report.coverage.lockfiles.total,
            },
          ],
          ["reason", report.coverage.reason],
          ["shortfall", report.coverage.shortfall],
        ]),
    ],
    ["tool", { name: report.tool.name, version: report.tool.version }],
    ["startedAt", report.startedAt],
    ["failOn", report.failOn],
    [
      "diff",
      report.diff &&
        ordered([
          ["base", report.diff.base],
          ["head", report.diff.head],
          ["introduced", report.diff.introduced],
          ["unchanged", report.diff.unchanged],
          ["note", report.diff.note],
        ]),
    ],
  ]);
}

/** The JSON report, 2-space indented, ending in a newline. */
export function renderJson(report: Report): string {
  return `${inertJsonText(JSON.stringify(toJsonReport(report), null, 2))}\n`;
}
