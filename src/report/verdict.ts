// What every reporter says the same way: the verdict sentence, counts, order, short evidence,
// and the "not checked" list. Pure functions of the Report; text here is not yet escaped.
import { SEVERITIES } from "../codes.js";
import { isGraceStatus, settledByDns } from "../assess/lifecycle.js";
import type { Coverage, DomainVerdict, Finding, PackageMeta, Report, Severity } from "../types.js";
import { normalizeName } from "../names.js";
import { indexIdentity, plural } from "../words.js";

/** Findings that are not a domain verdict: the package or domain could not be judged. */
export function isNotChecked(f: Finding): boolean {
  return (
    f.kind === "lookup-failed" || f.kind === "package-not-found" || f.kind === "no-maintainer-email"
  );
}

/** Findings a reader acts on: severity low or above, not allowed (an expired allowance counts again). */
export function isActive(f: Finding): boolean {
  return f.severity !== "info" && !isNotChecked(f) && f.allowed === undefined;
}

/** Counts by severity, most severe first, leaving out zeros. */
export function severityCounts(
  findings: readonly Finding[],
): { severity: Severity; count: number }[] {
  return SEVERITIES.map((severity) => ({
    severity,
    count: findings.filter((f) => f.severity === severity).length,
  })).filter((c) => c.count > 0);
}

/** "(1 critical, 1 high)" or "" when there is nothing to count. */
export function severityBreakdown(findings: readonly Finding[]): string {
  const parts = severityCounts(findings).map((c) => `${c.count} ${c.severity}`);
  return parts.length > 0 ? `(${parts.join(", ")})` : "";
}

/** Domains not checked this run: state unknown, or a lapse kept from before for a failed lookup. */
export function uncheckedDomains(report: Report): DomainVerdict[] {
  return report.domains.filter((d) => d.state === "unknown" || d.lookupFailed !== undefined);
}

/**
 * Whether the run looked at nothing at all though there was something to look at (or a reason
 * says why it could not look at anything: every package from a private index, say).
 */
export function nothingChecked(c: Coverage): boolean {
  return (
    c.packages.checked === 0 &&
    c.domains.checked === 0 &&
    (c.packages.total + c.domains.total > 0 || c.reason !== undefined)
  );
}

/**
 * The coverage in words: "27 of 27 packages and 19 of 20 domains checked", plus the known limits
 * ("2 domains under a TLD without RDAP, 3 packages not looked up (not from PyPI)").
 */
export function coverageWords(c: Coverage, opts: { omitNoneToCheck?: boolean } = {}): string {
  const words: string[] = [];
  // "0 of 0 packages and 0 of 0 domains checked" says nothing where a sentence says why already.
  if (!(opts.omitNoneToCheck && c.packages.total === 0 && c.domains.total === 0))
    words.push(
      `${c.packages.checked} of ${plural(c.packages.total, "package")} and ${c.domains.checked} of ${plural(c.domains.total, "domain")} checked`,
    );
  if (c.mx)
    words.push(`mail servers of ${c.mx.checked} of ${plural(c.mx.total, "domain")} looked up`);
  if (c.lockfiles)
    words.push(`${c.lockfiles.read} of ${plural(c.lockfiles.total, "lockfile")} read`);
  if (c.domains.noRdap > 0)
    words.push(`${plural(c.domains.noRdap, "domain")} under a TLD without RDAP`);
  if (c.packages.notLookedUp > 0)
    words.push(`${plural(c.packages.notLookedUp, "package")} not looked up (not from PyPI)`);
  return words.join("; ");
}

/**
 * The one-sentence verdict: "2 findings (1 critical, 1 high) in 2 of 148 packages from 3
 * lockfiles; 5 domains could not be checked". A clean run: "No findings in 148 packages from 3 lockfiles".
 */
export function verdictLine(report: Report): string {
  const active = report.findings.filter(isActive);
  const packages = report.stats.packages;
  const from = `from ${plural(report.stats.lockfiles, "lockfile")}`;
  let line: string;
  const coverage = report.coverage;
  const nothing = coverage !== undefined && nothingChecked(coverage) && active.length === 0;
  if (nothing) {
    const why = coverage.reason ?? report.packages.find((p) => p.error)?.error;
    // No PyPI package at all (version control, URLs, paths): count what the lockfiles hold.
    const what =
      packages > 0
        ? plural(packages, "package")
        : plural(report.stats.dependencies, "dependency", "dependencies");
    line = `Nothing was checked in ${what} ${from}${why ? `: ${why}` : ""}`;
  } else if (active.length === 0 && coverage?.shortfall) {
    // Not a clean run: what could not be checked may hide a lapse.
    line = `No findings in what could be checked of ${plural(packages, "package")} ${from}`;
  } else if (active.length === 0 && report.stats.dependencies === 0) {
    // Nothing to look at is not the same as looking and finding nothing: say which it is.
    line = `Nothing to check: the ${plural(report.stats.lockfiles, "lockfile")} read ${report.stats.lockfiles === 1 ? "names" : "name"} no package`;
  } else if (active.length === 0) {
    line = `No findings in ${plural(packages, "package")} ${from}`;
  } else {
    const affected = new Set(active.map((f) => f.package)).size;
    line = `${plural(active.length, "finding")} ${severityBreakdown(active)} in ${affected} of ${plural(packages, "package")} ${from}`;
  }
  const extras: string[] = [];
  const skipped = report.packages.filter((p) => p.status === "skipped").length;
  // Packages from private indexes are said below, in their own words: not also as "not from PyPI".
  if (coverage) {
    const words = coverageWords(
      {
        ...coverage,
        packages: {
          ...coverage.packages,
          // When nothing was checked, the reason already says what was not looked up.
          notLookedUp: nothing ? 0 : Math.max(0, coverage.packages.notLookedUp - skipped),
        },
      },
      { omitNoneToCheck: true },
    );
    if (words !== "") extras.push(words);
  }
  const allowed = report.findings.filter((f) => f.allowed !== undefined);
  if (allowed.length > 0) extras.push(`${allowed.length} allowed`);
  // Those under a TLD without RDAP are already said in the coverage words: not twice. Those DNS
  // shows registered were looked at (and count as checked): said apart, not as "could not".
  const unknown = uncheckedDomains(report);
  const unchecked = unknown.filter(
    (d) => !(coverage && d.errorCode === "no-rdap") && !settledByDns(d),
  ).length;
  if (unchecked > 0) extras.push(`${plural(unchecked, "domain")} could not be checked`);
  const delegated = unknown.filter(settledByDns).length;
  if (delegated > 0)
    extras.push(
      `${plural(delegated, "domain")} registered by DNS only (RDAP said not found; dates unknown)`,
    );
  const notFound = report.packages.filter((p) => p.status === "not-found").length;
  if (notFound > 0) extras.push(`${plural(notFound, "package")} not found on the index`);
  const unread = report.packages.filter((p) => p.status === "error").length;
  if (unread > 0) extras.push(`${plural(unread, "package")} could not be read from the index`);
  // When every package is private and nothing was checked, the reason has said so already.
  if (skipped > 0 && !(nothing && skipped === packages && coverage?.reason !== undefined))
    extras.push(`${plural(skipped, "package")} from private indexes not looked up`);
  if (report.errors.length > 0) extras.push(`${plural(report.errors.length, "file error")}`);
  if (report.stats.deadlineReached) extras.push("the deadline cut the scan short");
  if (report.stats.interrupted) extras.push("the scan was interrupted");
  return extras.length > 0 ? `${line}; ${extras.join("; ")}` : line;
}

/** "2 findings fail this run (fail-on: high)", or undefined when none fails. */
export function failingLine(report: Report): string | undefined {
  const failing = report.findings.filter((f) => f.failing).length;
  if (failing === 0) return undefined;
  return `${plural(failing, "finding")} ${failing === 1 ? "fails" : "fail"} this run (fail-on: ${report.failOn})`;
}

/** "could not check enough: …" when the run fails for what it could not check, else undefined. */
export function incompleteLine(report: Report): string | undefined {
  return report.coverage?.shortfall;
}

/** Date part of an ISO 8601 time, or the text as given when it is not one. */
export function day(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const m = /^\d{4}-\d{2}-\d{2}/.exec(iso);
  return m ? m[0] : iso;
}

/** A mail server's or a link's domain, as the table says it: "not found", "expired 2026-01-02", ... */
function lapseWords(v: DomainVerdict): string {
  if (v.state === "unregistered") return `${v.domain} not found`;
  const statuses = v.statuses.filter((s) => !/^(active|ok)$/i.test(s.trim()));
  const status = statuses.length > 0 ? ` (${statuses.join(", ")})` : "";
  if (v.state === "grace") return `${v.domain} in auto renew period${status}`;
  if (v.state === "expired")
    return `${v.domain} ${v.expires ? `expired ${day(v.expires)}` : "expired"}${status}`;
  const changed = v.reregistered ?? v.created;
  return `${v.domain} registered ${day(changed) ?? "recently"}`;
}

/**
 * A few words of evidence from the domain's verdict ("expired 2026-09-01, redemption period");
 * falls back to the finding's own evidence sentence.
 */
export function shortEvidence(f: Finding, report: Report): string {
  const words = evidenceWords(f, report);
  return f.keptFrom !== undefined
    ? `${words} (RDAP's answer of ${day(f.keptFrom)}: this run's lookup failed)`
    : words;
}

/**
 * The package a finding is about. A name can stand for more than one project (from PyPI in some
 * lockfiles, from private indexes in others: those carry their `index`): the finding's own line
 * says which.
 */
function packageOfFinding(
  report: Report,
  f: Pick<Finding, "package" | "file" | "line">,
): PackageMeta | undefined {
  const named = report.packages.filter((p) => p.name === f.package);
  if (named.length <= 1) return named[0];
  // Its own line, and its own name there: a minified lockfile holds every package on line 1.
  const dep = report.dependencies.find(
    (d) => d.file === f.file && d.line === f.line && normalizeName(d.name) === f.package,
  );
  const index =
    dep?.kind === "pypi" && dep.index !== undefined ? indexIdentity(dep.index) : undefined;
  return (
    named.find((p) => (p.index === undefined ? undefined : indexIdentity(p.index)) === index) ??
    named[0]
  );
}

function evidenceWords(f: Finding, report: Report): string {
  const v = f.domain !== undefined ? report.domains.find((d) => d.domain === f.domain) : undefined;
  const statuses = v ? v.statuses.filter((s) => !/^(active|ok)$/i.test(s.trim())) : [];
  const status = statuses.length > 0 ? `, ${statuses.join(", ")}` : "";
  const lastRelease = packageOfFinding(report, f)?.lastReleaseAt;
  switch (f.kind) {
    case "domain-unregistered":
      if (v)
        return `RDAP: not found${v.dns === "no-delegation" ? ", no DNS delegation" : v.dns === "not-consulted" ? ", DNS not consulted" : ""}`;
      break;
    case "domain-expired":
      if (v) return `${v.expires ? `expired ${day(v.expires)}` : "expired"}${status}`;
      break;
    case "domain-reregistered":
      if (v && (v.reregistered ?? v.created))
        return `registered ${day(v.reregistered ?? v.created)}${lastRelease ? `, last release ${day(lastRelease)}` : ""}`;
      break;
    case "domain-on-hold":
      if (v) return statuses.length > 0 ? statuses.join(", ") : "on hold";
      break;
    case "domain-grace":
      if (v) {
        const others = statuses.filter((s) => !isGraceStatus(s));
        const also = others.length > 0 ? `, ${others.join(", ")}` : "";
        const code = v.registrar?.errorCode;
        const registrar =
          code === undefined
            ? ""
            : code === "no-link"
              ? "; no registrar link"
              : `; registrar record not read (${code})`;
        return `auto renew period${v.expires ? `, auto-renewed to ${day(v.expires)}` : ""}${also}${registrar}`;
      }
      break;
    case "domain-transferred":
      if (v?.transferred)
        return `transferred ${day(v.transferred)}${lastRelease ? `, last release ${day(lastRelease)}` : ""}`;
      break;
    case "domain-expiring":
      if (v?.expires) return `expires ${day(v.expires)}`;
      break;
    case "mx-domain-lapsed":
      if (f.mx && v)
        return `mail server ${f.mx.host} of ${f.mx.maintainerDomain}: ${lapseWords(v)}`;
      break;
    case "project-url-domain-lapsed":
      if (f.link && v) return `${f.link.label} link ${f.link.url}: ${lapseWords(v)}`;
      break;
    case "lookup-failed":
      if (v?.error || v?.errorCode) return [v.errorCode, v.error].filter(Boolean).join(": ");
      break;
    case "package-not-found":
      return "not found on the package index";
    case "no-maintainer-email":
      return "no e-mail address in the metadata";
  }
  return f.evidence ?? f.message;
}

/** One row per thing that could not be judged, with the reason: unknown domains, unreadable packages. */
export interface NotCheckedRow {
  /** The domain, package name, or (for a host that is no domain name) the address. */
  subject: string;
  what: "domain" | "package" | "address";
  reason: string;
  /** Packages behind it (for a domain). */
  packages: string[];
}

export function notCheckedRows(report: Report): NotCheckedRow[] {
  const rows: NotCheckedRow[] = [];
  const packagesOf = (domain: string) =>
    [...new Set(report.findings.filter((f) => f.domain === domain).map((f) => f.package))].sort();
  for (const v of uncheckedDomains(report)) {
    const failed = v.lookupFailed ?? v;
    // A kept lapse says so first: the reason may be cut to fit a table.
    const reason =
      (v.lookupFailed ? `its finding stands on RDAP's answer of ${day(v.checkedAt)}; ` : "") +
      ([failed.errorCode, failed.error].filter((s) => s !== undefined && s !== "").join(": ") ||
        "lookup failed");
    const fromFindings = packagesOf(v.domain);
    // The maintainer domains whose mail servers sit under this domain, when it is one.
    const mailFor = new Set(
      report.domains
        .filter((d) => d.mx?.status === "answered" && d.mx.hosts.some((h) => h.domain === v.domain))
        .map((d) => d.domain),
    );
    const fromMeta = report.packages
      .filter(
        (p) =>
          p.emails.some(
            (e) => e.domain === v.domain || (e.domain !== undefined && mailFor.has(e.domain)),
          ) || (p.links ?? []).some((l) => l.domain === v.domain && l.skipped === undefined),
      )
      .map((p) => p.name);
    rows.push({
      subject: v.domain,
      what: "domain",
      reason,
      packages: [...new Set([...fromFindings, ...fromMeta])].sort(),
    });
  }
  for (const d of report.domains) {
    if (d.mx?.status !== "failed") continue;
    rows.push({
      subject: d.domain,
      what: "domain",
      reason: `mail servers (MX) not looked up: ${[d.mx.errorCode, d.mx.error].filter(Boolean).join(": ")}`,
      packages: report.packages
        .filter((p) => p.emails.some((e) => e.domain === d.domain))
        .map((p) => p.name)
        .sort(),
    });
  }
  for (const p of report.packages) {
    if (p.status === "not-found")
      rows.push({
        subject: p.name,
        what: "package",
        reason: "not found on the package index",
        packages: [p.name],
      });
    else if (p.status === "skipped")
      rows.push({
        subject: p.name,
        what: "package",
        reason: p.error ?? "not looked up",
        packages: [p.name],
      });
    else if (p.status === "error")
      rows.push({
        subject: p.name,
        what: "package",
        reason: p.error ?? "metadata could not be read",
        packages: [p.name],
      });
  }
  const seen = new Set(rows.map((r) => `${r.what}:${r.subject}`));
  for (const f of report.findings) {
    if (f.kind === "no-maintainer-email" && !seen.has(`package:${f.package}`)) {
      seen.add(`package:${f.package}`);
      rows.push({
        subject: f.package,
        what: "package",
        reason: "no maintainer e-mail in the metadata",
        packages: [f.package],
      });
    }
    if (f.kind === "lookup-failed" && f.domain !== undefined && !seen.has(`domain:${f.domain}`)) {
      seen.add(`domain:${f.domain}`);
      rows.push({
        subject: f.domain,
        what: "domain",
        reason: f.evidence ?? "lookup failed",
        packages: packagesOf(f.domain),
      });
    }
    // An address whose host is no domain name (an IP literal): listed, never looked up. (A
    // failed MX query is a lookup-failed without a domain too, listed under its domain above.)
    if (
      f.kind === "lookup-failed" &&
      f.domain === undefined &&
      f.email !== undefined &&
      !hasDomain(packageOfFinding(report, f), f.email) &&
      !seen.has(`package:${f.package}`) &&
      !seen.has(`address:${f.email}`)
    ) {
      seen.add(`address:${f.email}`);
      rows.push({
        subject: f.email,
        what: "address",
        reason: f.evidence ?? f.message,
        packages: [f.package],
      });
    }
    if (f.kind === "package-not-found" && !seen.has(`package:${f.package}`)) {
      seen.add(`package:${f.package}`);
      rows.push({
        subject: f.package,
        what: "package",
        reason: "not found on the package index",
        packages: [f.package],
      });
    }
  }
  return rows;
}

/** Whether the package's address `email` has a domain (its host is a domain name). */
function hasDomain(meta: PackageMeta | undefined, email: string): boolean {
  return meta?.emails.some((e) => e.address === email && e.domain !== undefined) ?? false;
}

/** Domains whose registry used status words the assessment does not know, with those words. */
export function unknownStatusRows(report: Report): { domain: string; statuses: string[] }[] {
  return report.domains
    .filter((d) => (d.unknownStatuses ?? []).length > 0)
    .map((d) => ({ domain: d.domain, statuses: [...(d.unknownStatuses ?? [])] }));
}

/** "2.4 s", "850 ms", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "148 packages, 5 domains, 12 RDAP lookups, 3 cache hits, 2.4 s". */
export function statsLine(report: Report): string {
  const s = report.stats;
  const hits = s.cache.verdictHits + s.cache.metadataHits;
  return [
    plural(s.packages, "package"),
    plural(s.domains, "domain"),
    plural(s.requests.rdap, "RDAP lookup"),
    plural(hits, "cache hit"),
    formatDuration(s.durationMs),
  ].join(", ");
}

/**
 * Whether a lookup among `findings` failed this time (a registry or DNS that did not answer, an
 * index that failed), as opposed to what no run can check (a TLD without RDAP, an address whose
 * host is no domain, a domain only DNS shows registered). A lapse found before may hide behind
 * such a failure, so a run with one resolves nothing: no "Resolved" comment, no closed issue,
 * and its SARIF says which lookups failed.
 */
export function failedToLook(report: Report, findings: readonly Finding[]): boolean {
  return failedLookups(report, findings).length > 0;
}

/** The findings of `findings` that stand for a lookup that failed this time (see failedToLook). */
export function failedLookups(report: Report, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => {
    // A finding that stands on an earlier answer: this run's lookup of its domain failed.
    if (f.keptFrom !== undefined) return true;
    if (f.kind !== "lookup-failed") return false;
    if (f.domain !== undefined) {
      const verdict = report.domains.find((d) => d.domain === f.domain);
      return !verdict || !(verdict.errorCode === "no-rdap" || settledByDns(verdict));
    }
    const meta = packageOfFinding(report, f);
    if (!meta || meta.status === "error") return true;
    // A failed MX query of the address's domain; else the address's host is no domain.
    const domain = meta.emails.find((e) => e.address === f.email)?.domain;
    return (
      domain !== undefined &&
      report.domains.find((d) => d.domain === domain)?.mx?.status === "failed"
    );
  });
}
