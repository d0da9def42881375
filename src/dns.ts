// The DNS cross-check before calling a domain unregistered: does the parent zone delegate it?
// An NS answer means the domain exists whatever RDAP said; NXDOMAIN or an empty answer means
// no delegation; anything else (timeout, refused, SERVFAIL) means DNS could not be consulted.
import { Resolver } from "node:dns/promises";

export type Delegation = "delegated" | "no-delegation" | "not-consulted";

export interface DelegationOptions {
  /** HOST:PORT (IPv6 as `[::1]:53`); default: the system resolver. */
  server?: string;
  /** Per-try timeout, milliseconds. */
  timeoutMs: number;
}

/** Error codes of node:dns that mean "the name has no NS records". */
const NO_DELEGATION_CODES = new Set(["ENOTFOUND", "ENODATA"]);

/** Ask for the NS records of `domain` (already reduced to its registrable domain). Never throws. */
export async function checkDelegation(
  domain: string,
  options: DelegationOptions,
): Promise<Delegation> {
  let resolver: Resolver;
  try {
    resolver = new Resolver({ timeout: Math.max(1, Math.round(options.timeoutMs)), tries: 2 });
    if (options.server) resolver.setServers([options.server]);
  } catch {
    return "not-consulted";
  }
  try {
    const records = await resolver.resolveNs(domain.replace(/\.$/, ""));
    return records.length > 0 ? "delegated" : "no-delegation";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && NO_DELEGATION_CODES.has(code) ? "no-delegation" : "not-consulted";
  } finally {
    resolver.cancel();
  }
}
