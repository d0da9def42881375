// Verdicts + metadata -> findings, then the run's policy (allow-list, fail-on, PR scoping) and
// the exit code. Pure functions: the clock is an argument.
import { EXIT_CLEAN, EXIT_FINDINGS, FINDING_INFO, meetsThreshold, type FailOn } from "../codes.js";
import { canonicalDomain } from "../domains/canonical.js";
import {
  expiryAnniversary,
  GRACE_DAYS,
  isGraceStatus,
  isHoldStatus,
  isLapsedStatus,
  judgeVerdict,
  lapseReason,
  registrarTermOf,
  TAKES_MAIL,
} from "./lifecycle.js";
import { sortFindings } from "./order.js";
import type { OnLookupError, Options } from "../options/options.js";
import { issueTracker } from "../domains/links.js";
import type {
  AllowEntry,
  Dependency,
  DomainVerdict,
  Finding,
  FindingKind,
  MailServers,
  MaintainerEmail,
  PackageMeta,
  ProjectLink,
  Report,
  Severity,
} from "../types.js";

const DAY_MS = 86_400_000;

export interface AssessInput {
  dependencies: readonly Dependency[];
  /** Keyed by normalised package name. */
  packages: Map<string, PackageMeta>;
  /** Keyed by registrable domain. */
  verdicts: Map<string, DomainVerdict>;
  now: Date;
  expiryWarningDays: number;
  /** What DNS said about each maintainer domain's mail servers (absent: MX was not asked). */
  mail?: ReadonlyMap<string, MailServers>;
  /** Whether project links are judged (`check-project-urls`); default true. */
  checkProjectUrls?: boolean;
}

/** What one package/domain pair amounts to, before it is placed at each lockfile line. */
interface Outcome {
  kind: FindingKind;
  /** When it is not the kind's default (an MX domain only in grace is `high`). */
  severity?: Severity;
  email?: MaintainerEmail;
  domain?: string;
  mx?: { host: string; maintainerDomain: string };
  link?: { label: string; url: string };
  message: string;
  evidence?: string;
  remediation?: string;
}

const day = (iso: string | undefined): string | undefined => iso?.slice(0, 10);

function label(pkg: string, version: string | undefined): string {
  return version ? `\`${pkg}\` ${version}` : `\`${pkg}\``;
}

function describeStatuses(verdict: DomainVerdict): string {
  return verdict.statuses.length > 0 ? `status ${verdict.statuses.join(", ")}` : "no status";
}

function addressEvidence(email: MaintainerEmail): string {
  const written = email.spelledOut ? ` (spelled out as \`${email.spelledOut}\`)` : "";
  return `\`${email.field}\` is \`${email.address}\`${written}`;
}

/**
 * The last time the maintainers are known to have published: the later of the latest release's
 * first upload and the latest upload of any file (a later pre-release or fix-up wheel), and
 * which release that date belongs to.
 */
function lastPublished(meta: PackageMeta): { ms: number; at: string; what: string } | undefined {
  const releaseMs = meta.lastReleaseAt ? Date.parse(meta.lastReleaseAt) : NaN;
  const uploadMs = meta.lastUploadAt ? Date.parse(meta.lastUploadAt) : NaN;
  const latest = meta.latestVersion ?? "unknown version";
  if (Number.isFinite(uploadMs) && (!Number.isFinite(releaseMs) || uploadMs > releaseMs)) {
    const version = meta.lastUploadVersion;
    const what =
      version === undefined
        ? "the latest file upload on"
        : version === meta.latestVersion
          ? `files of the latest release (${version}) were last uploaded`
          : `the latest file upload (release ${version}; the latest release is ${latest}) on`;
    return { ms: uploadMs, at: meta.lastUploadAt!, what };
  }
  if (!Number.isFinite(releaseMs)) return undefined;
  return {
    ms: releaseMs,
    at: meta.lastReleaseAt!,
    what: `the latest release (${latest}) was uploaded`,
  };
}

/** ` (from \`record expires\`)` when the expiry came from another event than `expiration`. */
function expirySource(verdict: DomainVerdict): string {
  return verdict.expiresFrom ? ` (from \`${verdict.expiresFrom}\`)` : "";
}

/** What the registrar's record said, when it was wanted: a clause starting with "; ". */
function registrarNote(verdict: DomainVerdict): string {
  const r = verdict.registrar;
  if (!r) return "";
  const where = r.url ? ` (${hostOf(r.url)})` : "";
  if (r.error !== undefined || r.errorCode !== undefined) {
    return `; the registrar's record was not used${where}: ${r.error ?? r.errorCode}`;
  }
  if (r.expires)
    return `; the registrar's record${where} gives its term as ending ${day(r.expires)}`;
  return `; the registrar's record${where} gives no \`registrar expiration\``;
}

/** The host of a URL for a sentence; a stored record is untrusted, so anything else is cut text. */
function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return String(url).slice(0, 100);
  }
}

/** "RDAP for `x` answered not found and DNS shows no delegation". */
function unregisteredEvidence(domain: string, verdict: DomainVerdict): string {
  const dns =
    verdict.dns === "not-consulted"
      ? " (DNS could not be consulted to confirm)"
      : verdict.dns === "no-delegation"
        ? " and DNS shows no delegation"
        : "";
  return `RDAP for \`${domain}\` answered not found${dns}`;
}

function expiredEvidence(v: DomainVerdict, domain: string, now: Date): string {
  const lapsed = v.statuses.filter(isLapsedStatus);
  const expiry = v.expires ? `, expiry ${day(v.expires)}${expirySource(v)}` : "";
  switch (lapseReason(v, now)) {
    case "registrar-term": {
      const grace = v.statuses.filter(isGraceStatus);
      const anniversary = expiryAnniversary(v.expires, now);
      const registry =
        grace.length > 0
          ? `status ${grace.join(", ")} (auto-renewed to ${day(v.expires) ?? "an unknown date"})`
          : `expiry ${day(v.expires)}, a year on from the anniversary ${day(anniversary?.toISOString())}`;
      const where = v.registrar?.url ? ` (${hostOf(v.registrar.url)})` : "";
      return `the registry's RDAP for \`${domain}\` reports ${registry}, and the registrar's record${where} says the registrar's term ended ${day(registrarTermOf(v))}`;
    }
    case "status":
      return `RDAP for \`${domain}\` reports status ${lapsed.join(", ")}${expiry}`;
    default:
      return `RDAP for \`${domain}\` reports ${describeStatuses(v)}${expiry}`;
  }
}

function graceEvidence(v: DomainVerdict, domain: string, now: Date): string {
  const anniversary = expiryAnniversary(v.expires, now);
  const holds = v.statuses.filter(isHoldStatus);
  const when = anniversary
    ? `; the registration reached its anniversary on ${day(anniversary.toISOString())} and the registry moved the expiry to ${day(v.expires)}${expirySource(v)}, paid or not; an unpaid name goes around ${day(new Date(anniversary.getTime() + GRACE_DAYS * DAY_MS).toISOString())}`
    : v.expires
      ? `, expiry ${day(v.expires)}${expirySource(v)}`
      : ", no expiry date";
  const hold = holds.length > 0 ? ` (also ${holds.join(", ")}: mail bounces now)` : "";
  return `RDAP for \`${domain}\` reports status auto renew period${hold}${when}${registrarNote(v)}`;
}

/** The one finding for (package, domain), most severe state first, or none when all is well. */
function judgeDomain(
  pkg: string,
  version: string | undefined,
  meta: PackageMeta,
  email: MaintainerEmail,
  domain: string,
  verdict: DomainVerdict | undefined,
  now: Date,
  expiryWarningDays: number,
): Outcome | undefined {
  const who = label(pkg, version);
  const base = { email, domain };
  if (!verdict || verdict.state === "unknown") {
    const reason = verdict?.error ?? "no verdict was reached";
    return {
      ...base,
      kind: "lookup-failed",
      message: `The maintainer e-mail domain of ${who} could not be checked.`,
      evidence: `${addressEvidence(email)}; the lookup for \`${domain}\` failed: ${reason}.`,
      remediation: FINDING_INFO["lookup-failed"].action,
    };
  }
  if (verdict.state === "unregistered") {
    return {
      ...base,
      kind: "domain-unregistered",
      message: `The maintainer e-mail domain of ${who} is not registered; whoever registers it can reset the PyPI account's password.`,
      evidence: `${addressEvidence(email)}; ${unregisteredEvidence(domain, verdict)}.`,
      remediation: FINDING_INFO["domain-unregistered"].action,
    };
  }
  // A cached verdict may predate a change in how statuses are read: judge it again (idempotent).
  const judged = judgeVerdict(verdict, now);
  if (judged.state === "unknown") {
    // The expiry could not be read, but the registry's record is there: a change of hands it
    // shows is a finding whatever the expiry.
    const changed = reregistration(judged, meta, who, base);
    if (changed) return changed;
    return {
      ...base,
      kind: "lookup-failed",
      message: `The maintainer e-mail domain of ${who} could not be checked.`,
      evidence: `${addressEvidence(email)}; the lookup for \`${domain}\` failed: ${judged.error ?? "no verdict was reached"}.`,
      remediation: FINDING_INFO["lookup-failed"].action,
    };
  }
  if (judged.state === "expired") {
    return {
      ...base,
      kind: "domain-expired",
      message: `The maintainer e-mail domain of ${who} has expired; whoever registers it can reset the PyPI account's password.`,
      evidence: `${addressEvidence(email)}; ${expiredEvidence(judged, domain, now)}.`,
      remediation: FINDING_INFO["domain-expired"].action,
    };
  }
  if (judged.state === "grace") {
    return {
      ...base,
      kind: "domain-grace",
      message: `The maintainer e-mail domain of ${who} passed its expiry and was only auto-renewed by the registry; unless it is paid for, it is deleted or auctioned within about ${GRACE_DAYS} days, and whoever gets it can reset the PyPI account's password.`,
      evidence: `${addressEvidence(email)}; ${graceEvidence(judged, domain, now)}.`,
      remediation: FINDING_INFO["domain-grace"].action,
    };
  }
  const changed = reregistration(judged, meta, who, base);
  if (changed) return changed;
  const published = lastPublished(meta);
  // Compared with the later of the latest release and the latest upload, as a re-registration
  // is: a maintainer who uploaded after the transfer still had the account then.
  const transferredMs = judged.transferred ? Date.parse(judged.transferred) : NaN;
  if (published && Number.isFinite(transferredMs) && transferredMs > published.ms) {
    return {
      ...base,
      kind: "domain-transferred",
      message: `The maintainer e-mail domain of ${who} was transferred after the package's latest release; it may have moved to another holder.`,
      evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports a transfer ${day(judged.transferred)}, after ${published.what} ${day(published.at)}.`,
      remediation: FINDING_INFO["domain-transferred"].action,
    };
  }
  if (judged.state === "on-hold") {
    return {
      ...base,
      kind: "domain-on-hold",
      message: `The maintainer e-mail domain of ${who} is on hold; mail to the maintainer bounces, and holds often come before deletion.`,
      evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports ${describeStatuses(judged)}${registrarNote(judged)}.`,
      remediation: FINDING_INFO["domain-on-hold"].action,
    };
  }
  if (judged.expires) {
    const expiresMs = Date.parse(judged.expires);
    const left = expiresMs - now.getTime();
    if (Number.isFinite(expiresMs) && left >= 0 && left <= expiryWarningDays * DAY_MS) {
      const days = Math.floor(left / DAY_MS);
      const within = days === 0 ? "within a day" : `in ${days} ${days === 1 ? "day" : "days"}`;
      return {
        ...base,
        kind: "domain-expiring",
        message: `The maintainer e-mail domain of ${who} expires ${within}; if it lapses, whoever registers it can reset the PyPI account's password.`,
        evidence: `${addressEvidence(email)}; RDAP for \`${domain}\` reports expiry ${day(judged.expires)}.`,
        remediation: FINDING_INFO["domain-expiring"].action,
      };
    }
  }
  return undefined;
}

/** How a domain that is not the maintainer's own (a mail server's, a link's) has lapsed, if it has. */
interface Lapse {
  state: "unregistered" | "expired" | "grace" | "reregistered";
  /** A clause: what the registry said, e.g. "RDAP for `x.net` answered not found". */
  evidence: string;
}

function lapseOf(
  domain: string,
  verdict: DomainVerdict | undefined,
  meta: PackageMeta,
  now: Date,
): Lapse | undefined {
  if (!verdict) return undefined;
  if (verdict.state === "unregistered")
    return { state: "unregistered", evidence: unregisteredEvidence(domain, verdict) };
  const judged = judgeVerdict(verdict, now);
  if (judged.state === "expired")
    return { state: "expired", evidence: expiredEvidence(judged, domain, now) };
  if (judged.state === "grace")
    return { state: "grace", evidence: graceEvidence(judged, domain, now) };
  if (judged.state === "unknown") return undefined;
  const changedAt = judged.reregistered ?? judged.created;
  const changedMs = changedAt ? Date.parse(changedAt) : NaN;
  const published = lastPublished(meta);
  if (published && Number.isFinite(changedMs) && changedMs > published.ms) {
    const event = judged.reregistered ? "re-registered" : "registered";
    return {
      state: "reregistered",
      evidence: `RDAP for \`${domain}\` reports it ${event} ${day(changedAt)}, after ${published.what} ${day(published.at)}`,
    };
  }
  return undefined;
}

/** Whether a verdict says nothing of the domain (missing, or a lookup that failed). */
function notChecked(verdict: DomainVerdict | undefined, now: Date): boolean {
  return (
    !verdict || (verdict.state !== "unregistered" && judgeVerdict(verdict, now).state === "unknown")
  );
}

/** A lapse kept from before, as this run saw the domain: a lookup that failed, and why. */
function failedNow(verdict: DomainVerdict): DomainVerdict {
  const { lookupFailed, ...rest } = verdict;
  return {
    ...rest,
    state: "unknown",
    error: lookupFailed?.error ?? "no verdict was reached",
    errorCode: lookupFailed?.errorCode ?? "unknown",
  };
}

/**
 * The verdict of a mail server's or a link's domain for judging it: a kept lapse that does not
 * make the finding `counts` asks for stands for the lookup that failed this run.
 */
function asSeenNow(
  verdict: DomainVerdict | undefined,
  lapse: Lapse | undefined,
  counts: (lapse: Lapse) => boolean,
): DomainVerdict | undefined {
  return verdict?.lookupFailed && !(lapse && counts(lapse)) ? failedNow(verdict) : verdict;
}

/**
 * `mx-domain-lapsed` for the package: a maintainer domain that is itself fine whose mail server
 * sits under a domain that is unregistered or expired (critical), or only in grace or registered
 * after the package's latest release (high). One finding per mail-server domain; a domain that
 * is also a maintainer domain of the package has its own finding already.
 */
function judgeMail(
  who: string,
  meta: PackageMeta,
  byDomain: ReadonlyMap<string, MaintainerEmail>,
  input: AssessInput,
): Outcome[] {
  const out: Outcome[] = [];
  const seen = new Set<string>();
  for (const [domain, email] of byDomain) {
    const own = input.verdicts.get(domain);
    const servers = input.mail?.get(domain);
    if (!own || !TAKES_MAIL.has(judgeVerdict(own, input.now).state)) continue;
    if (servers?.status === "failed") {
      // Not a lapse, but not looked at either: on-lookup-error decides whether it fails.
      out.push({
        kind: "lookup-failed",
        email,
        message: `The mail servers (MX) of ${who}'s maintainer e-mail domain \`${domain}\` could not be looked up, so the domains they sit under were not checked.`,
        evidence: `${addressEvidence(email)}; the DNS query for the MX records of \`${domain}\` failed: ${servers.error}.`,
        remediation: FINDING_INFO["lookup-failed"].action,
      });
      continue;
    }
    if (servers?.status !== "answered") continue;
    for (const host of servers.hosts) {
      const mxDomain = host.domain;
      if (host.skipped || !mxDomain || seen.has(mxDomain) || byDomain.has(mxDomain)) continue;
      const kept = input.verdicts.get(mxDomain);
      const verdict = asSeenNow(kept, kept && lapseOf(mxDomain, kept, meta, input.now), () => true);
      if (notChecked(verdict, input.now)) {
        seen.add(mxDomain);
        out.push({
          kind: "lookup-failed",
          email,
          domain: mxDomain,
          mx: { host: host.host, maintainerDomain: domain },
          message: `The mail server of ${who}'s maintainer e-mail domain \`${domain}\` is under \`${mxDomain}\`, which could not be checked.`,
          evidence: `${addressEvidence(email)}; DNS gives \`${host.host}\` as a mail server (MX) of \`${domain}\`; the lookup for \`${mxDomain}\` failed: ${verdict?.error ?? "no verdict was reached"}.`,
          remediation: FINDING_INFO["lookup-failed"].action,
        });
        continue;
      }
      const lapse = lapseOf(mxDomain, verdict, meta, input.now);
      if (!lapse) continue;
      seen.add(mxDomain);
      const severe = lapse.state === "unregistered" || lapse.state === "expired";
      const what =
        lapse.state === "unregistered"
          ? "is not registered"
          : lapse.state === "expired"
            ? "has expired"
            : lapse.state === "grace"
              ? "passed its expiry and was only auto-renewed by the registry"
              : "changed hands after the package's latest release";
      out.push({
        kind: "mx-domain-lapsed",
        severity: severe ? "critical" : "high",
        email,
        domain: mxDomain,
        mx: { host: host.host, maintainerDomain: domain },
        message: `The mail server of ${who}'s maintainer e-mail domain \`${domain}\` is under \`${mxDomain}\`, which ${what}; whoever holds it receives the maintainer's mail, password resets included.`,
        evidence: `${addressEvidence(email)}; DNS gives \`${host.host}\` as a mail server (MX) of \`${domain}\`; ${lapse.evidence}.`,
        remediation: FINDING_INFO["mx-domain-lapsed"].action,
      });
    }
  }
  return out;
}

/**
 * `project-url-domain-lapsed` for the package: a project link on a domain that is unregistered
 * or expired. One finding per link domain; a maintainer domain of the package has its own.
 */
function judgeLinks(
  who: string,
  meta: PackageMeta,
  maintainerDomains: ReadonlySet<string>,
  input: AssessInput,
): Outcome[] {
  if (input.checkProjectUrls === false) return [];
  const out: Outcome[] = [];
  const seen = new Set<string>();
  for (const link of meta.links ?? []) {
    const domain = link.domain;
    if (link.skipped || !domain || seen.has(domain) || maintainerDomains.has(domain)) continue;
    const kept = input.verdicts.get(domain);
    const verdict = asSeenNow(
      kept,
      kept && lapseOf(domain, kept, meta, input.now),
      (l) => l.state === "unregistered" || l.state === "expired",
    );
    if (notChecked(verdict, input.now)) {
      seen.add(domain);
      out.push({
        kind: "lookup-failed",
        domain,
        link: { label: link.label, url: link.url },
        message: `A project link of ${who} (${linkLabel(link)}) points at \`${domain}\`, which could not be checked.`,
        evidence: `The metadata links \`${link.url}\` as ${linkLabel(link)}; the lookup for \`${domain}\` failed: ${verdict?.error ?? "no verdict was reached"}.`,
        remediation: FINDING_INFO["lookup-failed"].action,
      });
      continue;
    }
    const lapse = lapseOf(domain, verdict, meta, input.now);
    if (!lapse || (lapse.state !== "unregistered" && lapse.state !== "expired")) continue;
    seen.add(domain);
    out.push({
      kind: "project-url-domain-lapsed",
      domain,
      link: { label: link.label, url: link.url },
      message: `A project link of ${who} (${linkLabel(link)}) points at \`${domain}\`, which ${lapse.state === "unregistered" ? "is not registered" : "has expired"}; whoever registers it can serve altered install steps or downloads under the project's name.`,
      evidence: `The metadata links \`${link.url}\` as ${linkLabel(link)}; ${lapse.evidence}.`,
      remediation: FINDING_INFO["project-url-domain-lapsed"].action,
    });
  }
  return out;
}

function linkLabel(link: ProjectLink): string {
  return `\`${link.label}\``;
}

/** Everything one package amounts to, independent of where it is pinned. */
function judgePackage(
  name: string,
  version: string | undefined,
  meta: PackageMeta | undefined,
  input: AssessInput,
): Outcome[] {
  const who = label(name, version);
  if (!meta) {
    return [
      {
        kind: "lookup-failed",
        message: `The metadata of ${who} was not fetched.`,
        evidence: "The scan ended before the package index answered.",
        remediation: FINDING_INFO["lookup-failed"].action,
      },
    ];
  }
  if (meta.status === "not-found") {
    return [
      {
        kind: "package-not-found",
        message: `${who} was not found on the package index.`,
        evidence: `The package index answered 404 for \`${name}\`.`,
        remediation: FINDING_INFO["package-not-found"].action,
      },
    ];
  }
  // Not looked up by design (a private index without a JSON API): listed as not checked, and
  // never judged by a public project that shares the name.
  if (meta.status === "skipped") return [];
  if (meta.status === "error") {
    return [
      {
        kind: "lookup-failed",
        message: `The metadata of ${who} could not be read, so its maintainer e-mail domains were not checked.`,
        evidence: `${meta.error ?? "The package index request failed"}.`.replace(/\.\.$/, "."),
        remediation: FINDING_INFO["lookup-failed"].action,
      },
    ];
  }
  if (meta.emails.length === 0) {
    return [
      {
        kind: "no-maintainer-email",
        message: `The metadata of ${who} carries no maintainer e-mail address.`,
        // Empty, or text that is no address (not even spelled out): the metadata does not say which.
        evidence: `No address could be read from \`author_email\` or \`maintainer_email\` of ${meta.latestVersion ?? "the latest release"}: they are empty, or hold no address.`,
        remediation: FINDING_INFO["no-maintainer-email"].action,
      },
      ...judgeLinks(who, meta, new Set(), input),
    ];
  }
  const out: Outcome[] = [];
  const byDomain = new Map<string, MaintainerEmail>();
  for (const email of meta.emails) {
    if (email.skipped === "invalid-host") {
      out.push({
        kind: "lookup-failed",
        email,
        message: `A maintainer e-mail address of ${who} has a host that is not a domain, so it was not checked.`,
        evidence: `${addressEvidence(email)}; ${email.skipReason ?? "the host is not a valid domain name"}.`,
        remediation: FINDING_INFO["lookup-failed"].action,
      });
      continue;
    }
    if (email.skipped || !email.domain || byDomain.has(email.domain)) continue;
    byDomain.set(email.domain, email);
  }
  for (const [domain, email] of byDomain) {
    const verdict = input.verdicts.get(domain);
    const judge = (v: DomainVerdict | undefined) =>
      judgeDomain(name, version, meta, email, domain, v, input.now, input.expiryWarningDays);
    let outcome = judge(verdict);
    // A lapse kept from before that no longer makes a finding (judged again today) says
    // nothing of the domain now: this run's lookup failed, and that is the finding.
    if (verdict?.lookupFailed && (!outcome || outcome.kind === "lookup-failed"))
      outcome = judge(failedNow(verdict));
    if (outcome) out.push(outcome);
  }
  if (input.mail) out.push(...judgeMail(who, meta, byDomain, input));
  out.push(...judgeLinks(who, meta, new Set(byDomain.keys()), input));
  return out;
}

/**
 * Findings for every pinned PyPI package: at most one domain finding per (package, domain),
 * the most severe state winning, placed at every lockfile line that pins the package. A failed
 * lookup is `lookup-failed`, never a domain state. Policy fields (`failing`, `allowed`) are
 * left for `applyPolicy`.
 */
export function assess(input: AssessInput): Finding[] {
  const findings: Finding[] = [];
  const byPackage = new Map<string, Dependency[]>();
  for (const dep of input.dependencies) {
    if (dep.kind !== "pypi") continue;
    const list = byPackage.get(dep.name);
    if (list) list.push(dep);
    else byPackage.set(dep.name, [dep]);
  }
  for (const [key, deps] of byPackage) {
    const meta = input.packages.get(key);
    // The project's own name: the key may stand for one of two projects of that name (scan).
    const name = meta?.name ?? key;
    const tracker = meta?.links ? issueTracker(meta.links) : undefined;
    // Findings are computed once per distinct pinned version (the message names it).
    const outcomesByVersion = new Map<string, Outcome[]>();
    for (const dep of deps) {
      const key = dep.version ?? "";
      let outcomes = outcomesByVersion.get(key);
      if (!outcomes) {
        outcomes = judgePackage(name, dep.version, meta, input);
        outcomesByVersion.set(key, outcomes);
      }
      for (const o of outcomes) {
        const finding: Finding = {
          kind: o.kind,
          severity: o.severity ?? FINDING_INFO[o.kind].severity,
          package: name,
          file: dep.file,
          line: dep.line,
          message: o.message,
          failing: false,
        };
        if (dep.version) finding.version = dep.version;
        if (o.email) {
          finding.email = o.email.address;
          finding.field = o.email.field;
          if (o.email.name !== undefined) finding.maintainerName = o.email.name;
        }
        if (o.domain) finding.domain = o.domain;
        if (o.mx) finding.mx = o.mx;
        if (o.link) finding.link = o.link;
        if (tracker !== undefined && o.domain !== undefined && o.kind !== "lookup-failed")
          finding.tracker = tracker;
        if (o.evidence) finding.evidence = o.evidence;
        const kept = o.domain !== undefined ? input.verdicts.get(o.domain) : undefined;
        if (kept?.lookupFailed && o.kind !== "lookup-failed") {
          // Why it failed is in the domain's record (and Not checked), not in a maintainer's note.
          finding.keptFrom = kept.checkedAt;
          finding.evidence =
            `${finding.evidence ?? ""} This is what RDAP said on ${day(kept.checkedAt)}; this run's lookup of \`${o.domain}\` failed.`.trim();
        }
        if (o.remediation) finding.remediation = o.remediation;
        findings.push(finding);
      }
    }
  }
  return sortFindings(findings);
}

export interface PolicyOptions {
  failOn: FailOn;
  allow: readonly AllowEntry[];
  onLookupError: OnLookupError;
  now: Date;
  /** PR mode: whether the change introduced or re-pinned the finding's package. */
  introduced?: (f: Finding) => boolean;
}

function entryMatches(entry: AllowEntry, f: Finding): boolean {
  if (entry.package && entry.package !== f.package) return false;
  if (entry.domain && canonicalDomain(entry.domain) !== f.domain) return false;
  if (entry.kind && entry.kind !== f.kind) return false;
  return Boolean(entry.package || entry.domain || entry.kind);
}

/** An `until` date applies through the whole of that day (UTC). */
function isLapsed(until: string, now: Date): boolean {
  const end = Date.parse(`${until}T00:00:00Z`) + DAY_MS;
  return Number.isFinite(end) && now.getTime() >= end;
}

/**
 * Decide which findings fail the run: not allowed, at or above `failOn`, and (in PR mode)
 * introduced by the change. `lookup-failed` also fails when `onLookupError` is `fail`.
 * An allow entry whose `until` has passed no longer covers the finding, and the finding says so.
 */
export function applyPolicy(findings: readonly Finding[], policy: PolicyOptions): Finding[] {
  return findings.map((original) => {
    const f: Finding = { ...original };
    delete f.allowed;
    delete f.allowExpired;
    let lapsedEntry: AllowEntry | undefined;
    for (const entry of policy.allow) {
      if (!entryMatches(entry, f)) continue;
      if (entry.until && isLapsed(entry.until, policy.now)) {
        lapsedEntry ??= entry;
        continue;
      }
      f.allowed = entry.until
        ? { reason: entry.reason, until: entry.until }
        : { reason: entry.reason };
      break;
    }
    if (!f.allowed && lapsedEntry?.until) {
      f.allowExpired = { reason: lapsedEntry.reason, until: lapsedEntry.until };
      const note = `The allow entry ("${lapsedEntry.reason}") ended on ${lapsedEntry.until}, so this finding counts again; renew the entry or fix the cause.`;
      f.remediation = f.remediation ? `${note} ${f.remediation}` : note;
    }
    if (policy.introduced) f.introduced = policy.introduced(f);
    const inScope = f.introduced !== false;
    const overThreshold =
      meetsThreshold(f.severity, policy.failOn) ||
      (f.kind === "lookup-failed" && policy.onLookupError === "fail");
    // A finding kept from an earlier answer is a lookup that failed too: an allow entry for the
    // lapse it shows does not allow that this run could not look.
    const failedLookup = f.keptFrom !== undefined && policy.onLookupError === "fail";
    f.failing = inScope && ((!f.allowed && overThreshold) || failedLookup);
    return f;
  });
}

/** EXIT_FINDINGS when any finding fails the run, EXIT_CLEAN otherwise. */
export function exitCodeFor(report: Report, _options?: Options): number {
  return report.findings.some((f) => f.failing) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * `domain-reregistered` when the registry's record shows the domain registered (or
 * re-registered) after the package was last published; undefined otherwise.
 */
function reregistration(
  judged: DomainVerdict,
  meta: PackageMeta,
  who: string,
  base: { email: MaintainerEmail; domain: string },
): Outcome | undefined {
  const changedAt = judged.reregistered ?? judged.created;
  const published = lastPublished(meta);
  const changedMs = changedAt ? Date.parse(changedAt) : NaN;
  if (!published || !Number.isFinite(changedMs) || changedMs <= published.ms) return undefined;
  const event = judged.reregistered ? "re-registered" : "registered";
  return {
    ...base,
    kind: "domain-reregistered",
    message: `The maintainer e-mail domain of ${who} was ${event} after the package's latest release; its holder may not be the maintainer.`,
    evidence: `${addressEvidence(base.email)}; RDAP for \`${base.domain}\` reports it ${event} ${day(changedAt)}, after ${published.what} ${day(published.at)}.`,
    remediation: FINDING_INFO["domain-reregistered"].action,
  };
}
