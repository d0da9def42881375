/**
 * A tiny UDP DNS responder on 127.0.0.1, port 0, for the NS check before `domain-unregistered`.
 *
 * @example
 * ```ts
 * const dns = await startDnsServer({ delegated: ["taken.com"] });
 * await checkDelegation("taken.com", { server: dns.address, timeoutMs: 500 }); // "delegated"
 * await checkDelegation("free.com", { server: dns.address, timeoutMs: 500 });  // "no-delegation"
 * expect(dns.queries).toEqual(["NS taken.com", "NS free.com"]);
 * await dns.close();
 * ```
 *
 * NS queries for a delegated name get two NS records. MX queries for a name in `mx` get its
 * mail servers (in the order given, preference 10, 20, ...; `"."` is a null MX), for a name in
 * `failMx` SERVFAIL, and for a delegated name without MX an empty answer (NODATA). Every other
 * query gets NXDOMAIN. `silent: true` records queries but never answers (a resolver that times
 * out).
 */
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import * as packet from "dns-packet";

export interface DnsServerOptions {
  delegated: string[];
  /** Name -> its MX hosts, most preferred first. */
  mx?: Record<string, string[]>;
  /** Names whose MX query gets SERVFAIL. */
  failMx?: string[];
  silent?: boolean;
}

export interface DnsServer {
  /** `127.0.0.1:PORT`, the form `--dns-server` takes. */
  address: string;
  /** `TYPE name` of every question received, in order. */
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const bare = (d: string) => d.toLowerCase().replace(/\.$/, "");
  const delegated = new Set(options.delegated.map(bare));
  const mx = new Map(Object.entries(options.mx ?? {}).map(([k, v]) => [bare(k), v]));
  const failMx = new Set((options.failMx ?? []).map(bare));
  const queries: string[] = [];
  const socket = createSocket("udp4");
  socket.on("message", (message, remote) => {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    queries.push(`${question.type} ${name}`);
    if (options.silent) return;
    let rcode = 3; // NXDOMAIN
    let answers: packet.Answer[] = [];
    if (question.type === "NS" && delegated.has(name)) {
      rcode = 0;
      answers = [
        { type: "NS", name: question.name, ttl: 300, class: "IN", data: `ns1.${name}` },
        { type: "NS", name: question.name, ttl: 300, class: "IN", data: `ns2.${name}` },
      ];
    } else if (question.type === "MX" && failMx.has(name)) {
      rcode = 2; // SERVFAIL
    } else if (question.type === "MX" && mx.has(name)) {
      rcode = 0;
      answers = (mx.get(name) ?? []).map((exchange, i) => ({
        type: "MX",
        name: question.name,
        ttl: 300,
        class: "IN",
        data: {
          preference: exchange === "." ? 0 : 10 * (i + 1),
          exchange: exchange.replace(/\.$/, ""),
        },
      }));
    } else if (delegated.has(name) || mx.has(name)) {
      rcode = 0; // the name exists; no records of this type (NODATA)
    }
    const answer = packet.encode({
      type: "response",
      id: query.id,
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcode,
      questions: [question],
      answers,
    });
    socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
