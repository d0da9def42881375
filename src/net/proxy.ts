// Proxies, as `@actions/http-client` and curl read them: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// (upper or lower case; lower case wins, as curl does). Every request of the run (PyPI, RDAP, the
// bootstrap) goes through the transport this returns: https through a CONNECT tunnel
// (tunnel.ts), http forwarded to the proxy in absolute form.
import { BlockList, isIP } from "node:net";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { PROXY_REFUSED, ProxyRefused, TunnelAgent, type ProxyEndpoint } from "./tunnel.js";
import {
  directRouter,
  directTransport,
  nodeTransport,
  targetOf,
  type Router,
  type Transport,
} from "./transport.js";
import { decodeUserinfo } from "./url.js";

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

function pick(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== "" ? value.trim() : undefined;
}

/** A proxy written without a scheme (`proxy.corp:3128`) is an http proxy, as curl reads it. */
function withScheme(proxy: string | undefined): string | undefined {
  if (proxy === undefined) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/**
 * Whether `url` goes directly by NO_PROXY, as curl reads it: `*` for every host; a name matches
 * itself and every name under it (a leading `.` or `*.` changes nothing); `host:port` only that
 * port; an IP address itself, or a CIDR range (`10.0.0.0/8`, `fd00::/8`); IPv6 with or without
 * brackets. Entries are separated by commas or white space; case does not matter.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const family = isIP(host);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    // `host:port` (a bracketed IPv6 may carry one too); a bare IPv6 has colons of its own.
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      entryPort = bracketed[2];
    } else if (isIP(entry.split("/")[0]!) !== 6) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1]!;
        entryPort = m[2];
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    const [address, bits] = entry.split("/");
    const entryFamily = isIP(address ?? "");
    if (entryFamily !== 0) {
      if (family !== entryFamily) continue;
      // One address is a range of all its bits: `0:0::1` is `::1`, as curl compares them.
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      if (!Number.isInteger(prefix)) continue;
      const list = new BlockList();
      try {
        list.addSubnet(address!, prefix, family === 6 ? "ipv6" : "ipv4");
      } catch {
        continue;
      }
      if (list.check(host, family === 6 ? "ipv6" : "ipv4")) return true;
      continue;
    }
    const name = entry.replace(/^\*?\./, "").replace(/\.$/, "");
    if (name !== "" && (host === name || host.endsWith(`.${name}`))) return true;
  }
  return false;
}

/** The proxy settings in an environment; HTTPS falls back to the HTTP proxy. */
export function proxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const httpProxy = withScheme(pick(env, "http_proxy"));
  const httpsProxy = withScheme(pick(env, "https_proxy")) ?? httpProxy;
  const noProxy = pick(env, "no_proxy");
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  };
}

/**
 * A proxy URL as requests reach it: credentials taken out of it (and sent as
 * `Proxy-Authorization: Basic`); an error for a setting no request can go through (not a URL,
 * a scheme other than http(s)).
 */
function endpoint(proxy: string, variable: string, ca?: string): ProxyEndpoint | Error {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    return new ProxyUnusable(`${variable} is not a URL; write it as http://host:port`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return new ProxyUnusable(
      `${variable} is a ${url.protocol.replace(/:$/, "")} proxy; only http and https proxies are supported`,
    );
  const user = decodeUserinfo(url.username);
  const password = decodeUserinfo(url.password);
  const bare = new URL(url.origin);
  return {
    url: bare,
    variable,
    ...(user || password
      ? {
          authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
        }
      : {}),
    ...(ca ? { ca } : {}),
  };
}

/** A proxy setting no request can go through (not a URL, a SOCKS proxy): said by each request. */
class ProxyUnusable extends Error {
  readonly code = PROXY_REFUSED;
}

export interface ProxyTransportOptions {
  /** Certificates to trust instead of Node's own, for the origins and an https proxy (tests). */
  ca?: string;
}

/**
 * How a run sends its requests: directly (node:http / node:https) when no proxy is set, else
 * through the proxy the environment describes (NO_PROXY hosts directly): https origins through a
 * CONNECT tunnel (`TunnelAgent`), http ones forwarded in absolute form, as curl sends them.
 */
export function transportForEnv(
  env: Readonly<Record<string, string | undefined>>,
  opts: ProxyTransportOptions = {},
): Transport {
  const settings = proxySettings(env);
  if (!settings.httpProxy && !settings.httpsProxy) return directTransport(opts);
  const httpsVariable = pick(env, "https_proxy") ? "HTTPS_PROXY" : "HTTP_PROXY";
  return nodeTransport(proxyRouter(settings, httpsVariable, opts));
}

/** The router of `transportForEnv` with a proxy set. */
function proxyRouter(
  settings: ProxySettings,
  httpsVariable: string,
  opts: ProxyTransportOptions,
): Router {
  const direct = directRouter(opts);
  const forHttps = settings.httpsProxy
    ? endpoint(settings.httpsProxy, httpsVariable, opts.ca)
    : undefined;
  const forHttp = settings.httpProxy
    ? endpoint(settings.httpProxy, "HTTP_PROXY", opts.ca)
    : undefined;
  const tunnels =
    forHttps && !(forHttps instanceof Error)
      ? [new TunnelAgent(forHttps, true, opts.ca), new TunnelAgent(forHttps, false, opts.ca)]
      : undefined;
  const forwarders =
    forHttp && !(forHttp instanceof Error)
      ? forHttp.url.protocol === "https:"
        ? [
            new HttpsAgent({ keepAlive: true, ...(opts.ca ? { ca: opts.ca } : {}) }),
            new HttpsAgent({ keepAlive: false, ...(opts.ca ? { ca: opts.ca } : {}) }),
          ]
        : [new HttpAgent({ keepAlive: true }), new HttpAgent({ keepAlive: false })]
      : undefined;
  return (url, resent) => {
    if (bypassesProxy(url, settings.noProxy)) return direct(url, resent);
    const secure = url.protocol === "https:";
    const proxy = secure ? forHttps : forHttp;
    if (proxy === undefined) return direct(url, resent);
    // A setting no request can go through: each one fails with what to do, nothing is sent.
    if (proxy instanceof Error) return proxy;
    if (secure) {
      return {
        send: httpsRequest,
        options: { ...targetOf(url), agent: tunnels![resent ? 1 : 0] },
      };
    }
    return {
      send: proxy.url.protocol === "https:" ? httpsRequest : httpRequest,
      options: {
        ...targetOf(proxy.url),
        path: url.href,
        agent: forwarders![resent ? 1 : 0],
        headers: {
          host: url.host,
          ...(proxy.authorization ? { "proxy-authorization": proxy.authorization } : {}),
        },
      },
      // The proxy is named by its host:port, never with its credentials.
      refusedBy: (status, text) => new ProxyRefused(proxy.url.host, status, text, proxy.variable),
    };
  };
}
