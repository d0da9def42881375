// The canonical form of a domain name, decided once: the RDAP lookup, the verdict cache, the
// provider skip list, the allow-list and the reports all compare domains in this form.
import { domainToASCII } from "node:url";

/** ASCII (punycode), lower case, no surrounding space, no trailing dot. "" when it is not a host name. */
export function canonicalDomain(domain: string): string {
  const trimmed = domain.trim().replace(/\.+$/, "").toLowerCase();
  return domainToASCII(trimmed).toLowerCase();
}
