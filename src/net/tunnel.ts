// HTTPS through an HTTP(S) proxy: an https Agent whose connections are CONNECT tunnels, kept
// alive and reused as direct ones are, so that a run of a thousand requests opens a tunnel per
// connection, not per request. What the proxy says is the proxy's: a refused tunnel (a 407, a
// 403) is an error naming the proxy, never an answer of the origin's, and a proxy that closes
// the tunnel costs the request one failed attempt, never a loop of new tunnels.
import { request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { isIP } from "node:net";

/** A proxy as requests reach it: its URL without credentials, and what to send it. */
export interface ProxyEndpoint {
  /** `http://host:port` or `https://host:port`, no user:password. */
  url: URL;
  /** `Basic …` from the proxy URL's user:password, sent only to the proxy. */
  authorization?: string;
  /** Certificates to trust for an https proxy (tests); else Node's own. */
  ca?: string;
  /** The variable the proxy came from (`HTTPS_PROXY`), for what to do when it refuses. */
  variable: string;
}

/** The code of a proxy's refusal; `connectionFailure` reads its message as it is. */
export const PROXY_REFUSED = "ERR_PROXY_REFUSED";

/** The proxy answered a tunnel (or a forwarded request) with a refusal. */
export class ProxyRefused extends Error {
  readonly code = PROXY_REFUSED;
  constructor(
    readonly proxy: string,
    readonly status: number,
    statusText: string | undefined,
    variable: string,
  ) {
    const text = (statusText ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, 60);
    const hint =
      status === 407
        ? `; give the proxy's user and password in ${variable}, before its host: user:password@host:port`
        : "; check that the proxy allows this host, or list the host in NO_PROXY";
    super(`the proxy ${proxy} refused: ${status}${text ? ` ${text}` : ""}${hint}`);
    this.name = "ProxyRefused";
  }
}

/**
 * A failure on the way to the proxy (refused, DNS, reset before it answered), with the code of
 * its cause kept so that it is classified as the same failure would be, and `proxy` naming it.
 */
export function viaProxy(error: unknown, proxy: string): Error {
  const cause = error instanceof Error ? error : new Error(String(error));
  return Object.assign(new Error(`through the proxy ${proxy}: ${cause.message}`, { cause }), {
    code: (cause as NodeJS.ErrnoException).code,
    proxy,
  });
}

/** What a request hands its agent so that the tunnel it may open ends with the request. */
export interface TunnelRequestArgs extends RequestOptions {
  tunnelSignal?: AbortSignal;
}

/** An authority for a request line: an IPv6 address in brackets. */
function authority(host: string, port: number | string): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Options of a request that are the target's, not the TLS session's. */
const NOT_TLS = new Set(["host", "hostname", "port", "path", "agent", "tunnelSignal", "headers"]);

export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    keepAlive: boolean,
    ca?: string,
  ) {
    super({ keepAlive, ...(ca ? { ca } : {}) });
  }

  override createConnection(
    options: TunnelRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const done = once(callback);
    const host = String(options.host ?? options.hostname ?? "localhost").replace(/^\[|\]$/g, "");
    const target = authority(host, options.port ?? 443);
    const proxy = this.proxy;
    const name = proxy.url.host; // host:port, never the credentials
    const secure = proxy.url.protocol === "https:";
    const connect = (secure ? httpsRequest : httpRequest)({
      hostname: proxy.url.hostname.replace(/^\[|\]$/g, ""),
      port: proxy.url.port || (secure ? 443 : 80),
      method: "CONNECT",
      path: target,
      headers: {
        host: target,
        ...(proxy.authorization ? { "proxy-authorization": proxy.authorization } : {}),
      },
      agent: false,
      ...(secure && proxy.ca ? { ca: proxy.ca } : {}),
      ...(options.tunnelSignal ? { signal: options.tunnelSignal } : {}),
    });
    // Node hands every answer to a CONNECT here, whatever its status.
    connect.once("connect", (res, socket, head) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        socket.destroy();
        done(new ProxyRefused(name, status, res.statusMessage, proxy.variable));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const tls: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(options)) if (!NOT_TLS.has(key)) tls[key] = value;
      const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
      // `host` is what the origin's certificate is checked against (the tunnel is the socket).
      done(null, tlsConnect({ ...tls, host, socket, ...(servername ? { servername } : {}) }));
    });
    connect.once("error", (error) => done(viaProxy(error, name)));
    connect.end();
    return undefined;
  }
}

/** The agent's callback, called once (a CONNECT may both fail and close). */
function once(
  callback: ((err: Error | null, stream: Duplex) => void) | undefined,
): (err: Error | null, stream?: Duplex) => void {
  let called = false;
  return (err, stream) => {
    if (called) return;
    called = true;
    callback?.(err, stream as Duplex);
  };
}
