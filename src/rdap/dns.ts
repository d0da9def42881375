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
  /** Ends the query at once (the scan stopped: its deadline, an interrupt). */
  signal?: AbortSignal;
}

/**
 * A promise that rejects with an ETIMEOUT-coded error after `timeoutMs`, or at once when the
 * signal aborts (then also cancelling the resolver's queries, so no socket outlives the scan).
 * `done()` clears both.
 */
function budgetOf(
  resolver: Resolver,
  options: DelegationOptions,
  message: string,
): { budget: Promise<never>; done: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const budget = new Promise<never>((_, reject) => {
    const fail = (code: string, text: string) => reject(Object.assign(new Error(text), { code }));
    timer = setTimeout(() => fail("ETIMEOUT", message), options.timeoutMs);
    const signal = options.signal;
    if (signal) {
      onAbort = () => {
        resolver.cancel();
        fail("ESTOPPED", "the scan stopped before DNS answered");
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  });
  return {
    budget,
    done: () => {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    },
  };
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
  const { budget, done } = budgetOf(resolver, options, "budget");
  try {
    const records = await Promise.race([resolver.resolveNs(domain.replace(/\.$/, "")), budget]);
    return records.length > 0 ? "delegated" : "no-delegation";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && NO_DELEGATION_CODES.has(code) ? "no-delegation" : "not-consulted";
  } finally {
    done();
    resolver.cancel();
  }
}

/** What DNS said about a domain's mail servers: MX hosts in preference order, or why not. */
export type MxAnswer =
  { ok: true; exchanges: string[] } | { ok: false; error: string; errorCode: string };

/**
 * Ask for the MX records of `domain`: the exchanges, most preferred first. A name with no MX
 * records (NODATA) or no name at all (NXDOMAIN) answers with none: mail then goes to the domain
 * itself (RFC 5321), which is checked already. Timeouts, refusals and SERVFAIL are failures.
 * Never throws.
 */
export async function lookUpMx(domain: string, options: DelegationOptions): Promise<MxAnswer> {
  let resolver: Resolver;
  try {
    resolver = new Resolver({ timeout: Math.max(1, Math.floor(options.timeoutMs / 3)), tries: 2 });
    if (options.server) resolver.setServers([options.server]);
  } catch (error) {
    return { ok: false, error: (error as Error).message, errorCode: "dns-config" };
  }
  const { budget, done } = budgetOf(resolver, options, "no answer in time");
  try {
    const records = await Promise.race([resolver.resolveMx(domain.replace(/\.$/, "")), budget]);
    const sorted = [...records].sort((a, b) => a.priority - b.priority);
    return { ok: true, exchanges: sorted.map((r) => r.exchange) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "EUNKNOWN";
    if (NO_DELEGATION_CODES.has(code)) return { ok: true, exchanges: [] };
    return { ok: false, error: mxErrorText(code, options), errorCode: `dns-${code.toLowerCase()}` };
  } finally {
    done();
    resolver.cancel();
  }
}

function mxErrorText(code: string, options: DelegationOptions): string {
  const server = options.server ?? "the system resolver";
  switch (code) {
    case "ETIMEOUT":
      return `the MX query to ${server} got no answer within ${options.timeoutMs} ms`;
    case "ESERVFAIL":
      return `the MX query to ${server} failed (SERVFAIL)`;
    case "EREFUSED":
      return `${server} refused the MX query`;
    case "ECONNREFUSED":
      return `${server} is not reachable (connection refused)`;
    case "ESTOPPED":
    case "ECANCELLED":
      return `the scan stopped before ${server} answered the MX query`;
    default:
      return `the MX query to ${server} failed (${code})`;
  }
}
