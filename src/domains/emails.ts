// Maintainer e-mail addresses from PyPI metadata, and the registrable domain of each.
// Everything here is untrusted text from a package's metadata: bounded, validated, never trusted.
import emailAddresses from "email-addresses";
import { parse as parseHost } from "tldts";
import type { EmailField, MaintainerEmail } from "../types.js";
import { canonicalDomain } from "./canonical.js";
import type { SkipList } from "./providers.js";
import { parseSpelledOut } from "./spelled-out.js";

/** The metadata fields addresses are read from, in the order they are reported. */
export const EMAIL_FIELDS: readonly EmailField[] = [
  "author_email",
  "maintainer_email",
  "author",
  "maintainer",
];

/** Longer field values are cut: real address lists are short, hostile ones need not be read whole. */
const MAX_FIELD_CHARS = 4096;
/** At most this many addresses are taken from one field. */
const MAX_ADDRESSES_PER_FIELD = 20;

/** Placeholders that mean "no value" in old metadata (distutils wrote UNKNOWN). */
const PLACEHOLDERS = new Set(["", "unknown", "none", "null", "n/a", "-"]);

// A conservative addr-spec for text the RFC 822 parser rejects: a dot-atom local part, then a
// host of letters, digits and hyphens (any script, for IDNs) with at least one dot, or an
// address literal in brackets (reported as invalid-host, never looked up).
const LOOSE_ADDRESS =
  /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:\[[^\]\s]{1,64}\]|[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))+)/gu;

/** A host as domains and IP literals are written: letters, digits, `-` and `.`, or `[...]`. */
const PLAIN_HOST = /^(?:[\p{L}\p{N}.-]+|\[[^\]\s]+\])$/u;

function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.trim().toLowerCase());
}

// The shapes nearly every package uses, read without the full RFC 822 grammar: a bare
// address or `Display Name <address>`, comma-separated, no quotes, comments or escapes.
const SIMPLE_ENTRY =
  /^\s*(?:([^<>"@,;()\\]*)<\s*([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\s*>|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+))\s*$/;

/** An address as listed, with the display name written beside it (`"Jane Doe" <jane@x.org>`). */
export interface ListedAddress {
  address: string;
  name?: string;
}

/** Longest display name kept: real names are short, hostile ones need not be carried whole. */
const MAX_NAME_CHARS = 120;

/**
 * A display name as text for people: control and format characters dropped, white space
 * collapsed, bounded; undefined when nothing (or a placeholder) is left.
 */
export function displayName(raw: string | undefined | null): string | undefined {
  if (typeof raw !== "string") return undefined;
  const text = raw
    .slice(0, MAX_NAME_CHARS * 4)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  // An address where a name should be is not a name (`author` holding `jane@example.org`).
  if (text === "" || isPlaceholder(text) || /[^\s@<]@[^\s@]+\.[^\s@]/.test(text)) return undefined;
  const chars = [...text];
  return chars.length > MAX_NAME_CHARS ? `${chars.slice(0, MAX_NAME_CHARS - 1).join("")}…` : text;
}

function withName(address: string, name: string | undefined | null): ListedAddress {
  const clean = displayName(name);
  return clean === undefined ? { address } : { address, name: clean };
}

function parseSimple(text: string): ListedAddress[] | undefined {
  if (/["()\\;]/.test(text)) return undefined;
  const out: ListedAddress[] = [];
  for (const part of text.split(",")) {
    const match = SIMPLE_ENTRY.exec(part);
    if (!match) return undefined;
    out.push(
      match[2] !== undefined ? withName(match[2], match[1]) : { address: match[3] as string },
    );
  }
  return out;
}

function parseWithLibrary(text: string): ListedAddress[] | undefined {
  let result: ReturnType<typeof emailAddresses> = null;
  try {
    result = emailAddresses({ input: text, rfc6532: true, startAt: "address-list" });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  const out: ListedAddress[] = [];
  for (const entry of result.addresses) {
    if (entry.type === "mailbox") out.push(withName(entry.address, entry.name));
    else
      for (const member of entry.addresses ?? []) out.push(withName(member.address, member.name));
  }
  return out;
}

/**
 * The addresses in an RFC 822 address list as written in `author_email` and friends:
 * `Name <a@b>`, several comma-separated, quoted names with commas, non-ASCII names, bare
 * addresses. When the list is not valid RFC 822 (semicolons, missing brackets, a name without
 * quotes around a comma), the addr-specs are picked out of the text instead.
 */
export function parseAddressList(value: string): string[] {
  return parseListedAddresses(value).map((a) => a.address);
}

/** As `parseAddressList`, with the display name written beside each address, when there is one. */
export function parseListedAddresses(value: string): ListedAddress[] {
  const text = cutField(value).trim();
  if (!text.includes("@")) return [];
  // The library takes `'`, `}` or `!` for part of a host (`'jane@x.org'` gives the host
  // `x.org'`, which is no domain): then the addr-specs are picked out of the text instead.
  const library = parseWithLibrary(text);
  const found =
    parseSimple(text) ??
    (library?.every((a) => PLAIN_HOST.test(hostOf(a.address))) ? library : undefined) ??
    (text.match(LOOSE_ADDRESS) ?? []).map((address) => ({ address }));
  const seen = new Set<string>();
  const out: ListedAddress[] = [];
  for (const entry of found) {
    const key = entry.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
    if (out.length >= MAX_ADDRESSES_PER_FIELD) break;
  }
  return out;
}

/**
 * The field's first MAX_FIELD_CHARS characters, ending before the entry the cut would split:
 * `jane@example.com` cut to `jane@example.co` would name another domain.
 */
function cutField(value: string): string {
  if (value.length <= MAX_FIELD_CHARS) return value;
  const cut = value.slice(0, MAX_FIELD_CHARS);
  const lastSeparator = Math.max(cut.lastIndexOf(","), cut.lastIndexOf(";"), cut.search(/\s\S*$/));
  return lastSeparator > 0 ? cut.slice(0, lastSeparator) : "";
}

/** The host part of an address (after the last `@`), as written. */
export function hostOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1);
}

export type HostCheck =
  { ok: true; host: string; domain: string } | { ok: false; host: string; reason: string };

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Reduce a host to its registrable domain (Public Suffix List, ICANN section): IDNs to ASCII,
 * lower case, no trailing dot. `cs.uni.edu` -> `uni.edu`, `foo.co.uk` -> `foo.co.uk`.
 * IP literals, hosts that are not LDH labels, and hosts outside any public suffix are refused
 * with a reason: they are reported, never looked up.
 */
export function registrableDomain(rawHost: string): HostCheck {
  const written = rawHost.trim().replace(/\.$/, "");
  if (written.startsWith("[") || IPV4.test(written)) {
    return { ok: false, host: written, reason: "the host is an IP address literal, not a domain" };
  }
  const host = canonicalDomain(written);
  if (!host) return { ok: false, host: written, reason: "the host is not a valid domain name" };
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => LDH_LABEL.test(l))) {
    return {
      ok: false,
      host,
      reason:
        "the host is not a valid domain name (letters, digits and hyphens, labels of 1 to 63)",
    };
  }
  const parsed = parseHost(host, { allowPrivateDomains: false });
  if (parsed.isIp) {
    return { ok: false, host, reason: "the host is an IP address literal, not a domain" };
  }
  if (!parsed.isIcann || !parsed.domain) {
    return { ok: false, host, reason: "the host is not under a public top-level domain" };
  }
  return { ok: true, host, domain: parsed.domain };
}

/** The fields where an address may be spelled out (`jane at example dot org`). */
const SPELLED_OUT_FIELDS: ReadonlySet<EmailField> = new Set(["author_email", "maintainer_email"]);

/**
 * The maintainer addresses in a PyPI `info` object, each with the field it came from and its
 * registrable domain (or why it has none). Empty, `null`, `UNKNOWN` and `None` values are
 * ignored. The same address in two fields is kept once, under the first field. In
 * `author_email` and `maintainer_email`, a value without any `@` is read for spelled-out
 * addresses; one is kept only when its host passes the Public Suffix List, and it carries the
 * text as written in `spelledOut`.
 */
export function extractEmails(info: Record<string, unknown>): MaintainerEmail[] {
  const out: MaintainerEmail[] = [];
  const seen = new Set<string>();
  for (const field of EMAIL_FIELDS) {
    const value = info[field];
    if (typeof value !== "string" || isPlaceholder(value)) continue;
    // The name beside an address field: `author` for `author_email`, `maintainer` for
    // `maintainer_email` (when it is a name, not itself an address).
    const beside =
      NAME_FIELD[field] !== undefined ? displayName(info[NAME_FIELD[field]] as string) : undefined;
    if (SPELLED_OUT_FIELDS.has(field) && !value.includes("@")) {
      for (const { address, written } of parseSpelledOut(value)) {
        const key = address.toLowerCase();
        const check = registrableDomain(hostOf(address));
        if (seen.has(key) || !check.ok) continue;
        seen.add(key);
        const email: MaintainerEmail = {
          address,
          field,
          domain: check.domain,
          spelledOut: written,
        };
        if (beside !== undefined) email.name = beside;
        out.push(email);
      }
      continue;
    }
    for (const listed of parseListedAddresses(value)) {
      const { address } = listed;
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const check = registrableDomain(hostOf(address));
      const email: MaintainerEmail = check.ok
        ? { address, field, domain: check.domain }
        : { address, field, skipped: "invalid-host", skipReason: check.reason };
      const name = listed.name ?? beside;
      if (name !== undefined) email.name = name;
      out.push(email);
    }
  }
  return out;
}

/** The field that names the person of an address field. */
const NAME_FIELD: Partial<Record<EmailField, string>> = {
  author_email: "author",
  maintainer_email: "maintainer",
};

/** Mark the addresses at large mail providers (the skip list) as skipped. */
export function markProviders(emails: MaintainerEmail[], skip: SkipList): MaintainerEmail[] {
  return emails.map((email) => {
    if (email.skipped === "invalid-host") return email;
    const host = canonicalDomain(hostOf(email.address));
    if (skip.has(host, email.domain)) return { ...email, skipped: "provider" as const };
    if (email.skipped === "provider") {
      // A cached entry marked under another run's list: this run's list decides.
      const { skipped: _skipped, ...rest } = email;
      return rest;
    }
    return email;
  });
}

/**
 * The domains of these addresses (or links, or mail servers) that need a lookup: not skipped,
 * with a domain; in order, each once.
 */
export function domainsToCheck(items: readonly { skipped?: unknown; domain?: string }[]): string[] {
  const out = new Set<string>();
  for (const item of items) if (!item.skipped && item.domain) out.add(item.domain);
  return [...out];
}
