// The DNS cross-check before calling a domain unregistered: does the parent zone delegate it?
// An NS answer means the domain exists whatever RDAP said; NXDOMAIN or an empty answer means
// no delegation; anything else (timeout, refused, SERVFAIL) means DNS could not be consulted.
import { Resolver } from "node:dns/promises";

export type Delegation = "delegated" | "no-delegation" | "not-consulted";

export interface DelegationOptions {
  /** HOST:PORT (IPv6 as `[::1]:53`); default: the system resolver. */
  server?: string;
  /** The whole check's budget, milliseconds (two tries share it). */
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
    // The resolver doubles its timeout on the second try: t + 2t stays within the budget.
    resolver = new Resolver({ timeout: Math.max(1, Math.floor(options.timeoutMs / 3)), tries: 2 });
    if (options.server) resolver.setServers([options.server]);
  } catch {
    return "not-consulted";
  }
  try {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error("budget"), { code: "ETIMEOUT" })),
        options.timeoutMs,
      );
    });
    try {
      const records = await Promise.race([resolver.resolveNs(domain.replace(/\.$/, "")), budget]);
      return records.length > 0 ? "delegated" : "no-delegation";
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && NO_DELEGATION_CODES.has(code) ? "no-delegation" : "not-consulted";
  } finally {
    resolver.cancel();
  }
}
