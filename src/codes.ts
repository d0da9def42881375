// Every stable code, in one place: finding kinds, severities (one order), fail-on levels and exit
// codes. JSON consumers, SARIF rule ids, tests and docs match on these, never on message text.
import type { FindingKind, Severity } from "./types.js";

export const FINDING_KINDS = [
  "domain-unregistered",
  "domain-expired",
  "domain-reregistered",
  "domain-on-hold",
  "domain-expiring",
  "domain-grace",
  "domain-transferred",
  "mx-domain-lapsed",
  "project-url-domain-lapsed",
  "lookup-failed",
  "package-not-found",
  "no-maintainer-email",
] as const satisfies readonly FindingKind[];

/** Most severe first: the one order of severities, used by counts, sorting and fail-on. */
export const SEVERITIES = [
  "critical",
  "high",
  "medium",
  "low",
  "info",
] as const satisfies readonly Severity[];

/** `fail-on`: the lowest severity that fails the run, or `never` (report only). */
export const FAIL_ON_LEVELS = [...SEVERITIES, "never"] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** Negative when `a` is more severe than `b`: sorts most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** Whether a finding of this severity fails a run with this fail-on level. */
export function meetsThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== "never" && compareSeverity(severity, failOn) <= 0;
}

/** The more severe of two severities. */
export function moreSevere(a: Severity, b: Severity): Severity {
  return compareSeverity(a, b) <= 0 ? a : b;
}

export interface FindingKindInfo {
  severity: Severity;
  /** Short title for rule lists. */
  title: string;
  /** What it means, one or two sentences. */
  meaning: string;
  /** What to do about it. */
  action: string;
  /** SARIF `security-severity` (0.0 to 10.0). */
  securitySeverity: string;
}

export const FINDING_INFO: Record<FindingKind, FindingKindInfo> = {
  "domain-unregistered": {
    severity: "critical",
    title: "Maintainer e-mail domain is unregistered",
    meaning:
      "The registry's RDAP server has no record of the maintainer's e-mail domain and DNS shows no delegation: anyone can register it, receive the PyPI account's password-reset mail and publish a release.",
    action:
      "Do not upgrade to releases you have not reviewed; ask the maintainers (or PyPI support) to change the account's address; pin to a reviewed version, or allow the finding once verified.",
    securitySeverity: "9.5",
  },
  "domain-expired": {
    severity: "critical",
    title: "Maintainer e-mail domain has expired",
    meaning:
      "The domain's expiration date has passed; the registry reports it in redemption, pending delete, pending restore or a registry's own lapse state (quarantine, transit, renewal required, deleteCandidate, being released, ...); or, in auto renew period, the registrar's own record says its term ended: it is about to become registrable by anyone.",
    action:
      "Review releases published after the expiry date; ask the maintainers to renew the domain or change their address; allow the finding once verified.",
    securitySeverity: "9.0",
  },
  "domain-reregistered": {
    severity: "high",
    title: "Maintainer e-mail domain changed hands after the last release",
    meaning:
      "The domain was created (or re-registered) after the package's latest release was uploaded: whoever holds it now may not be the maintainer, and can reset the account's password.",
    action:
      "Check that the new registrant is the maintainer (ask them); review any release made after the registration date; allow the finding once verified.",
    securitySeverity: "8.0",
  },
  "domain-on-hold": {
    severity: "medium",
    title: "Maintainer e-mail domain is on hold",
    meaning:
      "The registry reports client hold, server hold, inactive or suspended: the domain does not resolve and mail to the maintainer bounces; holds often come before deletion.",
    action:
      "Tell the maintainers their address does not receive mail; watch the domain; allow the finding once verified.",
    securitySeverity: "6.0",
  },
  "domain-expiring": {
    severity: "medium",
    title: "Maintainer e-mail domain expires soon",
    meaning:
      "The domain expires within the warning window (expiry-warning-days). Most domains renew automatically; a lapse would make it registrable by anyone.",
    action:
      "Nothing is wrong yet; if the domain is still unrenewed near the date, tell the maintainers. Raise or lower expiry-warning-days to taste.",
    securitySeverity: "5.0",
  },
  "domain-grace": {
    severity: "high",
    title: "Maintainer e-mail domain is in its auto-renew grace period",
    meaning:
      "The registry shows auto renew period: the registration passed its expiry and the registry renewed it automatically, paid or not. Registrars delete or auction unpaid names within about 45 days, and the new holder can reset the PyPI account's password.",
    action:
      "Ask the maintainers whether they renewed the domain; check it again in a few days (a renewal clears the status); review releases published after the anniversary date; allow the finding once verified.",
    securitySeverity: "8.0",
  },
  "domain-transferred": {
    severity: "medium",
    title: "Maintainer e-mail domain was transferred after the last release",
    meaning:
      "The registry records a transfer after the package's latest release was uploaded: the domain moved to another registrar or holder (expired-name auctions change the holder this way, without a new creation date).",
    action:
      "Ask the maintainers whether they moved the domain themselves; if not, treat the account as at risk and review releases made after the transfer date; allow the finding once verified.",
    securitySeverity: "6.0",
  },
  "mx-domain-lapsed": {
    severity: "critical",
    title: "Maintainer's mail server is on a lapsed domain",
    meaning:
      "The maintainer's e-mail domain is registered, but its mail server (MX record) is a host under another domain that is unregistered or expired: whoever registers that domain receives the maintainer's mail, password resets included. High instead of critical when that domain is only in its auto-renew grace period or changed hands after the package's latest release.",
    action:
      "Do not upgrade to releases you have not reviewed; tell the maintainers to fix their domain's MX records or renew the mail server's domain, or to change the PyPI account's address; allow the finding once verified.",
    securitySeverity: "9.0",
  },
  "project-url-domain-lapsed": {
    severity: "medium",
    title: "Project link points at a lapsed domain",
    meaning:
      "A link in the package's metadata (project_urls, home page, download URL) is on a domain that is unregistered or expired: whoever registers it can serve altered install steps, documentation or downloads under the project's name.",
    action:
      "Do not follow install steps or downloads from that link; tell the maintainers to fix or remove the link in their next release; allow the finding once verified.",
    securitySeverity: "5.5",
  },
  "lookup-failed": {
    severity: "info",
    title: "Maintainer e-mail domain could not be checked",
    meaning:
      "RDAP was unavailable, rate-limited past the retry budget, has no server for the TLD, said not found while DNS shows a delegation, or gave an answer that could not be read (an HTML page, a redirector's own 404, an expiration date that is not a date). This is never reported as expired.",
    action:
      "Re-run later; set on-lookup-error: fail to make unchecked domains fail the run; check the domain by hand if it matters.",
    securitySeverity: "0.0",
  },
  "package-not-found": {
    severity: "info",
    title: "Package not found on the index",
    meaning:
      "The package index answered 404: the package may come from a private index, or was removed from PyPI.",
    action:
      "If it should come from PyPI, check the name; a removed package whose name can be re-registered is a risk of its own.",
    securitySeverity: "0.0",
  },
  "no-maintainer-email": {
    severity: "info",
    title: "Package metadata has no maintainer e-mail",
    meaning:
      "The latest release's metadata carries no e-mail address, so no domain could be checked.",
    action: "Nothing to do; the package's account cannot be judged from its metadata.",
    securitySeverity: "0.0",
  },
};

/** Exit codes of the CLI (and the action's verdict): see README, "Exit codes". */
export const EXIT_CLEAN = 0;
/** Findings at or above fail-on. */
export const EXIT_FINDINGS = 1;
/** Bad usage, or no input at all could be read. */
export const EXIT_USAGE = 2;
/** Could not check enough: coverage below `min-coverage`, or the index URL looks wrong. */
export const EXIT_INCOMPLETE = 3;
/** Interrupted by SIGINT (128 + 2). */
export const EXIT_SIGINT = 130;
/** Interrupted by SIGTERM (128 + 15), as GitHub Actions does on cancel. */
export const EXIT_SIGTERM = 143;
