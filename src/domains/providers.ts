// Large mail providers and hosts whose domains do not lapse: addresses there are not looked up.
// Only providers that hand out mailboxes to the public belong here, never a company's own domain:
// a company can let its domain lapse, a free-mail provider cannot without the whole world noticing.
import { getDomain } from "tldts";
import { canonicalDomain } from "./canonical.js";

/** The reviewed built-in list (hosts or registrable domains, ASCII, lower case). */
export const DEFAULT_SKIP_DOMAINS: readonly string[] = [
  // Google
  "gmail.com",
  "googlemail.com",
  // Microsoft
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  // Yahoo, AOL
  "yahoo.com",
  "ymail.com",
  "aol.com",
  // Apple
  "icloud.com",
  "me.com",
  "mac.com",
  // Proton
  "protonmail.com",
  "protonmail.ch",
  "proton.me",
  "pm.me",
  // Fastmail
  "fastmail.com",
  "fastmail.fm",
  // Zoho
  "zoho.com",
  // GMX and WEB.DE
  "gmx.de",
  "gmx.net",
  "gmx.com",
  "web.de",
  // Yandex, Mail.ru (inbox.ru, list.ru and bk.ru are Mail.ru's own free domains)
  "yandex.ru",
  "yandex.com",
  "mail.ru",
  "inbox.ru",
  "list.ru",
  "bk.ru",
  // Tencent (qq.com, foxmail.com), NetEase (163.com, 126.com, yeah.net), Sina, Alibaba
  "qq.com",
  "foxmail.com",
  "163.com",
  "126.com",
  "yeah.net",
  "sina.com",
  "aliyun.com",
  // Tutanota
  "tutanota.com",
  // GitHub's no-reply addresses: matched on the full host, since github.com itself is a company.
  "users.noreply.github.com",
];

/**
 * Mail hosting that does not lapse: an MX host under one of these (or under the mail providers
 * above) is not looked up. Reviewed: the hosted-mail and mail-filtering services that real
 * maintainer domains point their MX records at.
 */
export const DEFAULT_MX_SKIP_DOMAINS: readonly string[] = [
  // Google Workspace (aspmx.l.google.com), Gmail
  "google.com",
  "googlemail.com",
  // Microsoft 365 (*.mail.protection.outlook.com)
  "outlook.com",
  "protection.outlook.com",
  // Yahoo, iCloud, Zoho, Proton, Fastmail
  "yahoodns.net",
  "icloud.com",
  "zoho.com",
  "zoho.eu",
  "zohomail.com",
  "protonmail.ch",
  "messagingengine.com",
  // Mail filtering and relays
  "mimecast.com",
  "pphosted.com",
  "ppe-hosted.com",
  "iphmx.com",
  "messagelabs.com",
  "barracudanetworks.com",
  "mailgun.org",
  "sendgrid.net",
  "amazonaws.com",
  "amazonses.com",
  "cloudflare.net",
  "improvmx.com",
  "forwardemail.net",
  "migadu.com",
  "mailbox.org",
  "mxroute.com",
  // Hosting companies' mail (GoDaddy, OVH, Gandi, IONOS, Namecheap, Hostinger, one.com)
  "secureserver.net",
  "ovh.net",
  "gandi.net",
  "kundenserver.de",
  "ionos.com",
  "registrar-servers.com",
  "privateemail.com",
  "hostinger.com",
  "one.com",
  // Yandex, Mail.ru, Tencent, NetEase, Alibaba
  "yandex.net",
  "yandex.ru",
  "mail.ru",
  "qq.com",
  "163.com",
  "mxhichina.com",
];

/**
 * Code hosts and platforms whose domains do not lapse: a project link there is not looked up.
 * Reviewed: what real `project_urls` point at besides a project's own site.
 */
export const DEFAULT_LINK_SKIP_DOMAINS: readonly string[] = [
  // Code hosts
  "github.com",
  "github.io",
  "githubusercontent.com",
  "gitlab.com",
  "gitlab.io",
  "bitbucket.org",
  "bitbucket.io",
  "codeberg.org",
  "gitea.com",
  "sr.ht",
  "sourceforge.net",
  "sourceforge.io",
  "launchpad.net",
  "gitee.com",
  "googlesource.com",
  // Documentation hosts
  "readthedocs.io",
  "readthedocs.org",
  "readthedocs.com",
  "gitbook.io",
  // Python's own sites
  "python.org",
  "pypi.org",
  "pythonhosted.org",
  // Packaging, CI, coverage, archives
  "anaconda.org",
  "codecov.io",
  "coveralls.io",
  "travis-ci.org",
  "travis-ci.com",
  "circleci.com",
  "zenodo.org",
  "doi.org",
  "arxiv.org",
  "huggingface.co",
  // Chat, social and funding platforms
  "google.com",
  "youtube.com",
  "twitter.com",
  "x.com",
  "linkedin.com",
  "discord.com",
  "discord.gg",
  "gitter.im",
  "slack.com",
  "stackoverflow.com",
  "medium.com",
  "opencollective.com",
  "patreon.com",
  "ko-fi.com",
  "buymeacoffee.com",
  "tidelift.com",
  "wikipedia.org",
];

export interface SkipList {
  /** Whether an address at this host (and its registrable domain) is not looked up. */
  has(host: string, domain: string | undefined): boolean;
  /** The entries in use, sorted. */
  readonly entries: readonly string[];
}

function normalizeEntry(entry: string): string {
  return canonicalDomain(entry.trim().replace(/^@/, ""));
}

/**
 * The skip list for a run: a built-in list (the mail providers unless another is given: the
 * providers and mail hosting for MX hosts, the platforms for project links) plus `skipDomains`, or only `skipDomains` when
 * `replaceSkipDomains` is set. An entry matches the full host first, then the registrable domain,
 * so `users.noreply.github.com` does not skip every address at `github.com`, and `gmail.com`
 * also skips `mail.gmail.com`'s registrable domain.
 */
export function createSkipList(
  options: {
    skipDomains: readonly string[];
    replaceSkipDomains: boolean;
  },
  builtIn: readonly string[] = DEFAULT_SKIP_DOMAINS,
): SkipList {
  const base = options.replaceSkipDomains ? [] : builtIn;
  const set = new Set([...base, ...options.skipDomains].map(normalizeEntry).filter(Boolean));
  return {
    entries: [...set].sort(),
    has(host: string, domain: string | undefined): boolean {
      const h = normalizeEntry(host);
      if (set.has(h)) return true;
      const d = domain ?? getDomain(h, { allowPrivateDomains: false }) ?? undefined;
      // The registrable domain matches only entries that are registrable domains themselves:
      // a host entry such as users.noreply.github.com must not skip all of github.com.
      return d !== undefined && set.has(d);
    },
  };
}
