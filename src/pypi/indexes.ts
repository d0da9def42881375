// Where a dependency's metadata is looked up. A dependency whose lockfile names an index other
// than PyPI is never asked for on `pypi-url` (that would judge a public project that merely
// shares the name, and tell the public index the private name). It is asked for on its own
// index when that index serves the PyPI JSON API: an `index-urls` entry says where, else an
// index URL ending in `/simple` maps to `/pypi/<name>/json` on the same base (devpi,
// Artifactory, Nexus, pypiserver-style servers). Otherwise it is not looked up at all.
import { parseIndexUrlEntry } from "../options/options.js";
import { indexIdentity, redactUrl, withoutUserinfo } from "../words.js";

/** Where to look a package up. */
export type IndexTarget =
  | {
      kind: "api";
      /** JSON API base without credentials: the request is `{baseUrl}/{name}/json`. */
      baseUrl: string;
      /** The `Authorization` header value, when credentials apply; never printed. */
      authorization?: string;
      /** Host of the private index, for people; undefined for `pypi-url`. */
      privateHost?: string;
      /** The API base was guessed from a `/simple` URL, not configured in `index-urls`. */
      guessed?: true;
    }
  | { kind: "none"; host: string; reason: string };

export interface IndexRouting {
  /** `pypi-url`. */
  pypiUrl: string;
  /** `index-urls`: simple URL (as the lockfile writes it) -> JSON API base. */
  indexUrls: readonly string[];
  /** `index-token`: sent as a Bearer token to the indexes listed in `index-urls` only. */
  indexToken?: string | undefined;
}

/** The reason a private-index package is not looked up, as reports show it. */
export function noApiReason(host: string): string {
  return `from the private index ${host}; no JSON API configured`;
}

/** The URL with `user:password@` removed (`withoutUserinfo`): safe to print, log, cache or report. */
export const stripCredentials = withoutUserinfo;

/** Comparable form of an index URL (`indexIdentity`): the routing's key. */
const indexKey = indexIdentity;

function hostOf(url: string): string {
  try {
    return new URL(stripCredentials(url)).host;
  } catch {
    // Not a URL a parser reads (a raw `/` in a password, say): hidden up to its last `@`.
    return redactUrl(stripCredentials(url)).slice(0, 100);
  }
}

/** `Authorization` from a URL's userinfo (Basic) or the token (Bearer); undefined for neither. */
function authorizationFor(url: string, token: string | undefined): string | undefined {
  try {
    const u = new URL(url);
    if (u.username !== "" || u.password !== "") {
      const user = decodeURIComponent(u.username);
      const pass = decodeURIComponent(u.password);
      return `Basic ${Buffer.from(`${user}:${pass}`, "utf8").toString("base64")}`;
    }
  } catch {
    // not a URL: no userinfo
  }
  return token ? `Bearer ${token}` : undefined;
}

/**
 * Build the routing once per run: `target(index)` says where a dependency from `index` (undefined:
 * PyPI) is looked up. Credentials go only to indexes the options name (`index-urls`): a lockfile
 * in a pull request cannot make the token travel to a host of its choosing.
 */
export function createIndexRouting(
  routing: IndexRouting,
): (index: string | undefined) => IndexTarget {
  const mapping = new Map<string, string>();
  for (const entry of routing.indexUrls) {
    const parsed = parseIndexUrlEntry(entry);
    if (!("error" in parsed)) mapping.set(indexKey(parsed.from), parsed.to);
  }
  const cache = new Map<string, IndexTarget>();
  return (index) => {
    if (index === undefined) return { kind: "api", baseUrl: routing.pypiUrl };
    const key = indexKey(index);
    let target = cache.get(key);
    if (target) return target;
    const host = hostOf(index);
    const mapped = mapping.get(key);
    if (mapped !== undefined) {
      const authorization = authorizationFor(mapped, routing.indexToken);
      target = {
        kind: "api",
        baseUrl: stripCredentials(mapped).replace(/\/+$/, ""),
        privateHost: host,
        ...(authorization ? { authorization } : {}),
      };
    } else if (/^https?:\/\//i.test(index) && /\/simple\/?$/i.test(stripCredentials(index))) {
      const base = stripCredentials(index.trim()).replace(/\/simple\/?$/i, "");
      target = { kind: "api", baseUrl: `${base}/pypi`, privateHost: host, guessed: true };
    } else {
      target = { kind: "none", host, reason: noApiReason(host) };
    }
    cache.set(key, target);
    return target;
  };
}
