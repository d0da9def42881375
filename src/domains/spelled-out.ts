// Addresses written out to hide them from harvesters: `kjetilja at gmail.com`, `foundation at
// djangoproject com`, `name (at) host dot org`, `ops[at]host.net`. Personal domains like these are
// the ones that lapse, so they are read, but strictly: only a field with no `@` at all, only the
// forms below, and the rewritten address must be one plain addr-spec whose host passes the Public
// Suffix List. Anything else yields nothing, so prose that happens to contain " at " stays prose.

export interface SpelledOutAddress {
  /** The address after rewriting, e.g. `jane@example.org`. */
  address: string;
  /** The text as the metadata wrote it, bounded. */
  written: string;
}

/** At most this many addresses from one field, as for written addresses. */
const MAX_ADDRESSES = 20;
/** Longest part (between commas) looked at; real spelled-out addresses are short. */
const MAX_PART_CHARS = 254;

// ` at ` needs white space on both sides; the bracketed forms may stand without it.
const AT = /\s*[([{<]\s*at\s*[)\]}>]\s*|\s+at\s+/giu;
const DOT = /\s*[([{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+/giu;
/** After the rewrite: one addr-spec, ASCII dot-atom local part, LDH host labels. */
const ADDR_SPEC =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))+$/u;
/**
 * `host com`: a host, one space, then a final label written in lower case that is a common
 * top-level domain. Not any label the Public Suffix List knows: `Acme GmbH`, `our site`, `the
 * Shop` and `Acme Inc` would read as domains (`.gmbh`, `.site`, `.shop`, `.inc` exist).
 */
const SPACE_BEFORE_TLD = /^(.*@[\p{L}\p{N}][\p{L}\p{N}.-]*[\p{L}\p{N}]) ([a-z]{2,4})$/u;
const GENERIC_TLDS = new Set(["com", "org", "net", "edu", "gov", "info", "biz", "io"]);
/** Two-letter country codes that are also words or abbreviations in names and prose. */
const WORDLIKE_CCTLDS = new Set(
  "ad ai am an as at be by co do go hi id in is it la me mo my no oh ok on or so to tv us we".split(
    " ",
  ),
);

function tldLooking(label: string): boolean {
  return GENERIC_TLDS.has(label) || (label.length === 2 && !WORDLIKE_CCTLDS.has(label));
}

function rewrite(part: string): string | undefined {
  // `Jane <jane at example dot org>`: the bracketed part is the address.
  let text = part.replace(/<\s*(at|dot)\s*>/giu, " [$1] ");
  const bracketed = /<([^<>]*)>/u.exec(text);
  if (bracketed) text = bracketed[1] ?? "";
  text = text.trim().replace(AT, "@").replace(DOT, ".");
  const ats = text.split("@").length - 1;
  if (ats !== 1) return undefined;
  const spaced = SPACE_BEFORE_TLD.exec(text);
  if (spaced && tldLooking(spaced[2]!)) text = `${spaced[1]}.${spaced[2]}`;
  return ADDR_SPEC.test(text) ? text : undefined;
}

/**
 * The first `max` characters of `value`, ending at the last separator before the cut: an
 * address cut in the middle (`jane at example dot co dot uk` to `... dot co`) names another.
 */
function cutAtSeparator(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  const last = Math.max(cut.lastIndexOf(","), cut.lastIndexOf(";"), cut.lastIndexOf("\n"));
  return last > 0 ? cut.slice(0, last) : "";
}

/** A final comment in parentheses, other than a spelled-out `(at)` / `(dot)`. */
const FINAL_COMMENT = /\s*\(((?!\s*(?:at|dot)\s*\))[^()]*)\)$/iu;

/**
 * The address one part spells out, and the text it was read from. A comment in parentheses at
 * the end names the person (`jane at example dot org (Jane Doe)`), unless the address is in it
 * (`Jane Doe (jane at example dot org)`): the text before it is tried first, then the comment.
 */
function spelledOutPart(whole: string): { address: string; part: string } | undefined {
  const text = whole.replace(/\.$/u, "");
  const comment = FINAL_COMMENT.exec(text);
  const candidates = comment ? [text.slice(0, comment.index), comment[1]!] : [text];
  for (const candidate of candidates) {
    const part = candidate
      .trim()
      // A label before the address (`Maintainer: jane at example dot org`).
      .replace(/^[\p{L} .'-]{1,40}:\s+/u, "")
      // A full stop ending the sentence.
      .replace(/\.$/u, "")
      .trim();
    if (part === "" || part.length > MAX_PART_CHARS) continue;
    const address = rewrite(part);
    if (address) return { address, part };
  }
  return undefined;
}

/**
 * The spelled-out addresses in a field value that has no `@`. Parts are separated by commas or
 * semicolons; each must rewrite to exactly one plain address, else it is left out. A value with
 * an `@` is the RFC 822 reader's business and yields nothing here. The caller still checks the
 * host against the Public Suffix List (`extractEmails` drops those that fail).
 */
export function parseSpelledOut(value: string): SpelledOutAddress[] {
  if (value.includes("@")) return [];
  const out: SpelledOutAddress[] = [];
  const seen = new Set<string>();
  for (const raw of cutAtSeparator(value, 4096).split(/[,;\n]/u)) {
    const found = spelledOutPart(raw.trim());
    if (!found) continue;
    const { address, part } = found;
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ address, written: part });
    if (out.length >= MAX_ADDRESSES) break;
  }
  return out;
}
