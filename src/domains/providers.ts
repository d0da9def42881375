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
 * The skip list for a run: the built-in list plus `skipDomains`, or only `skipDomains` when
 * `replaceSkipDomains` is set. An entry matches the full host first, then the registrable domain,
 * so `users.noreply.github.com` does not skip every address at `github.com`, and `gmail.com`
 * also skips `mail.gmail.com`'s registrable domain.
 */
export function createSkipList(options: {
  skipDomains: readonly string[];
  replaceSkipDomains: boolean;
}): SkipList {
  const base = options.replaceSkipDomains ? [] : DEFAULT_SKIP_DOMAINS;
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
