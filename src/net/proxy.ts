// Proxies, as `@actions/http-client` and curl read them: HTTPS_PROXY / HTTP_PROXY / NO_PROXY
// (upper or lower case; lower case wins, as curl does). Every request of the run (PyPI, RDAP, the
// bootstrap) goes through the transport this returns; undici's proxy dispatcher from the
// environment does the work.
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

/** The proxy settings in an environment; HTTPS falls back to the HTTP proxy. */
export function proxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const httpProxy = pick(env, "http_proxy");
  const httpsProxy = pick(env, "https_proxy") ?? httpProxy;
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
    // It reads process.env unless told; tell it exactly what this environment says.
    const dispatcher = new EnvHttpProxyAgent({
      httpProxy: settings.httpProxy ?? "",
      httpsProxy: settings.httpsProxy ?? "",
      noProxy: settings.noProxy ?? "",
    });
    return fetchTransport(((input: string, init?: RequestInit) =>
      undiciFetch(input, {
        ...(init as object),
        dispatcher,
      } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch);
  });
  return async (request) => (await proxied)(request);
}
