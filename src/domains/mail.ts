// A maintainer domain's mail servers (MX hosts) -> the registrable domains that need a lookup.
// A healthy domain whose MX hosts sit under a lapsed domain hands its mail, password resets
// included, to whoever registers that domain. Pure: the DNS answer is an argument.
import type { MailHost } from "../types.js";
import { canonicalDomain } from "./canonical.js";
import { registrableDomain } from "./emails.js";
import type { SkipList } from "./providers.js";

/** At most this many MX hosts of one domain are looked at (real domains have one to five). */
const MAX_MAIL_HOSTS = 10;

/**
 * Each MX host with its registrable domain, or why it is not looked up: under the maintainer
 * domain itself, at a large mail provider or mail host (the skip list), a null MX (`.`: the
 * domain takes no mail, RFC 7505), or not a domain. `exchanges` in preference order.
 */
export function classifyMailHosts(
  maintainerDomain: string,
  exchanges: readonly string[],
  skip: SkipList,
): MailHost[] {
  const out: MailHost[] = [];
  const seen = new Set<string>();
  for (const exchange of exchanges.slice(0, MAX_MAIL_HOSTS)) {
    const host = canonicalDomain(exchange);
    if (seen.has(host)) continue;
    seen.add(host);
    if (host === "") {
      out.push({ host: ".", skipped: "null-mx" });
      continue;
    }
    const check = registrableDomain(host);
    if (!check.ok) {
      // As DNS gave it, for people: printable ASCII only, bounded.
      const written = exchange.replace(/[^\x21-\x7e]/g, "?").slice(0, 253);
      out.push({ host: host || written, skipped: "invalid-host" });
      continue;
    }
    const entry: MailHost = { host, domain: check.domain };
    if (check.domain === maintainerDomain) entry.skipped = "same-domain";
    else if (skip.has(host, check.domain)) entry.skipped = "provider";
    out.push(entry);
  }
  return out;
}
