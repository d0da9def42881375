// "Tell the maintainers": for a domain finding, a ready-to-paste issue text for the package's
// maintainers (what was seen, what the registry said, the risk, what to do), and the link to
// their issue tracker. Blocking a dependency is half the job; getting the account fixed is the
// other half. Every untrusted value is one control-free, bounded line with its `@`s and URL
// schemes defused, so the text mentions nobody and links nothing where it is shown or pasted.
import { FINDING_INFO } from "../codes.js";
import { httpUrl } from "../domains/links.js";
import type { Finding, Report } from "../types.js";
import { breakLegacyCommands, capLength, stripControl, unMarkdownCode, ZWJ } from "./escape.js";

/** Where PyPI documents changing an account's address, and its account page. */
export const PYPI_ACCOUNT_HELP = "https://pypi.org/help/#account-recovery";
export const PYPI_ACCOUNT_SETTINGS = "https://pypi.org/manage/account/";

/** The kinds that get a note: a domain that lapsed or may have changed hands. */
export function wantsMaintainerNote(f: Finding): boolean {
  return (
    f.kind.startsWith("domain-") ||
    f.kind === "mx-domain-lapsed" ||
    f.kind === "project-url-domain-lapsed"
  );
}

/** Untrusted text for the note: one line, bounded, inert when shown or pasted. */
function inert(text: string, max = 300): string {
  return (
    breakLegacyCommands(capLength(stripControl(text).trim(), max))
      .replace(/@/g, `@${ZWJ}`)
      // No tag can start (`</details>` would close the block where HTML is read).
      .replace(/</g, `<${ZWJ}`)
      .replace(/:(?=\/)/g, `:${ZWJ}`)
      .replace(/#(?=\d)/g, `#${ZWJ}`)
      // Nor an autolink (`www.example.com`) or an issue reference (`GH-1`).
      .replace(/\b(www)\./gi, `$1${ZWJ}.`)
      .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWJ}`)
  );
}

export interface MaintainerNote {
  /** The issue's title. */
  title: string;
  /** The issue's text, line by line (plain text; shown in a code block, pasted as is). */
  lines: string[];
}

function whatToDo(f: Finding, domain: string): string[] {
  switch (f.kind) {
    case "mx-domain-lapsed":
      return [
        `- Point the MX records of ${inert(f.mx?.maintainerDomain ?? "your domain", 100)} at mail servers you control, or renew ${domain}; or`,
        `- change the e-mail address of your PyPI account to one on a domain you hold.`,
      ];
    case "project-url-domain-lapsed":
      return [
        `- Renew ${domain}, or change or remove the ${inert(f.link?.label ?? "project", 80)} link in the project's metadata in the next release.`,
      ];
    case "domain-expiring":
      return [
        `- Renew ${domain} (or check that it renews automatically); or`,
        `- change the e-mail address of your PyPI account to one on a domain you hold.`,
      ];
    default:
      return [
        `- Renew ${domain} if it is still yours (or check who holds it now); or`,
        `- change the e-mail address of your PyPI account to one on a domain you hold.`,
      ];
  }
}

/** The issue text for one domain finding. */
export function maintainerNote(f: Finding, report: Report): MaintainerNote {
  const info = FINDING_INFO[f.kind];
  const domain = inert(f.domain ?? "the domain", 100);
  const pkg = inert(f.package, 100);
  const version = f.version !== undefined ? ` ${inert(f.version, 60)}` : "";
  const lines: string[] = [];
  lines.push(
    f.maintainerName !== undefined ? `Hello ${inert(f.maintainerName, 120)},` : "Hello,",
    "",
    `${report.tool.name} flagged ${pkg}${version} on PyPI.`,
    "",
    `What was seen: ${inert(unMarkdownCode(f.message), 500)}`,
  );
  if (f.evidence !== undefined)
    lines.push(`What the registry says: ${inert(unMarkdownCode(f.evidence), 700)}`);
  lines.push("");
  if (f.kind === "project-url-domain-lapsed") {
    lines.push(
      `Why it matters: whoever registers ${domain} can serve altered install steps, documentation or downloads under the project's name to everyone who follows the link.`,
    );
  } else {
    const address = f.email !== undefined ? inert(f.email, 120) : "the maintainer's address";
    lines.push(
      `Why it matters: whoever holds ${domain} receives the mail sent to ${address}, PyPI's password-reset mail included, and could take over the PyPI account and publish a release.`,
    );
  }
  lines.push("", "What to do:", ...whatToDo(f, domain));
  if (f.kind !== "project-url-domain-lapsed")
    lines.push(
      `  PyPI explains how: ${PYPI_ACCOUNT_HELP} (account settings: ${PYPI_ACCOUNT_SETTINGS}).`,
    );
  lines.push(
    "",
    `(${inert(info.title, 120)}; found by ${report.tool.name} ${report.tool.version}.)`,
  );
  return { title: `${info.title}: ${domain}`, lines };
}

/**
 * The package's issue tracker as a Markdown link destination, or undefined when it is not an
 * http(s) URL without credentials. Characters that could end the destination or start Markdown
 * are percent-encoded.
 */
export function trackerHref(tracker: string | undefined): string | undefined {
  const url = httpUrl(tracker);
  if (!url || url.username !== "" || url.password !== "") return undefined;
  // A link to one GitHub issue or pull request would post a cross-reference there: point at the
  // repository's issues page instead.
  const github = /^\/([^/]+)\/([^/]+)\/(?:issues|pull)\/\d+/.exec(url.pathname);
  if (url.hostname === "github.com" && github)
    return trackerHref(`https://github.com/${github[1]}/${github[2]}/issues`);
  return url.href.replace(
    /[()<>"'`\\|[\]{}^\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
