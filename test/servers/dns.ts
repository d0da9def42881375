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
 * NS queries for a delegated name get two NS records; every other query gets NXDOMAIN.
 * `silent: true` records queries but never answers (a resolver that times out).
 */
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import * as packet from "dns-packet";

export interface DnsServerOptions {
  delegated: string[];
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
  const delegated = new Set(options.delegated.map((d) => d.toLowerCase().replace(/\.$/, "")));
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
    const found = question.type === "NS" && delegated.has(name);
    const answer = packet.encode({
      type: "response",
      id: query.id,
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (found ? 0 : 3), // rcode 3: NXDOMAIN
      questions: [question],
      answers: found
        ? [
            { type: "NS", name: question.name, ttl: 300, class: "IN", data: `ns1.${name}` },
            { type: "NS", name: question.name, ttl: 300, class: "IN", data: `ns2.${name}` },
          ]
        : [],
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
