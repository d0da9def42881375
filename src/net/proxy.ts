// Proxies, as `@actions/http-client` and curl read them: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// (upper or lower case; lower case wins, as curl does). Every request of the run (PyPI, RDAP, the
// bootstrap) goes through the transport this returns; undici's proxy dispatcher from the
// environment does the work.
import { BlockList, isIP } from "node:net";
import { directTransport, fetchTransport, type Transport } from "./transport.js";

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
      if (bits === undefined) {
        if (address === host) return true;
        continue;
      }
      const prefix = Number(bits);
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
 * How a run sends its requests: directly (node:http / node:https) when no proxy is set, else
 * through undici's fetch with the proxy dispatcher the environment describes (NO_PROXY hosts
 * directly).
 */
export function transportForEnv(env: Readonly<Record<string, string | undefined>>): Transport {
  const settings = proxySettings(env);
  if (!settings.httpProxy && !settings.httpsProxy) return directTransport();
  // undici is loaded only when a proxy is set: most runs never pay for it at start-up.
  const proxied = import("undici").then(({ EnvHttpProxyAgent, fetch: undiciFetch }) => {
    // It reads process.env unless told; tell it exactly what this environment says. NO_PROXY is
    // decided here (`bypassesProxy`): undici matches names exactly, not as curl does.
    const dispatcher = new EnvHttpProxyAgent({
      httpProxy: settings.httpProxy ?? "",
      httpsProxy: settings.httpsProxy ?? "",
      noProxy: "",
    });
    return fetchTransport(((input: string, init?: RequestInit) =>
      undiciFetch(input, {
        ...(init as object),
        dispatcher,
      } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch);
  });
  const direct = directTransport();
  return async (request) =>
    bypassesProxy(request.url, settings.noProxy) ? direct(request) : (await proxied)(request);
}
