// Where a request may go: only http(s) URLs, and redirects followed by hand (fetch is told not
// to) so that each hop is checked the same way, and loops and long chains end with a result.

/** Redirects followed before giving up with `redirect-loop`. */
export const MAX_REDIRECTS = 5;

/** Why a URL is not requested; the codes are those of HttpErrorCode. */
export interface UrlRefusal {
  code: "bad-url" | "http-status" | "redirect-loop";
  error: string;
}

/** Parse the URL a caller asked for; anything but http(s) is refused before a request is made. */
export function parseRequestUrl(
  url: string,
): { ok: true; url: URL } | ({ ok: false } & UrlRefusal) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, code: "bad-url", error: `not a URL: ${JSON.stringify(url)}` };
  }
  if (!isHttp(parsed))
    return { ok: false, code: "bad-url", error: `not an http(s) URL: ${parsed.href}` };
  return { ok: true, url: parsed };
}

function isHttp(url: URL): boolean {
  return url.protocol === "http:" || url.protocol === "https:";
}

/** The hops of one request: every URL visited, to stop at a loop or after MAX_REDIRECTS. */
export class RedirectTrail {
  private readonly seen: Set<string>;
  private followed = 0;

  constructor(start: URL) {
    this.seen = new Set([start.href]);
  }

  /**
   * `from` answered with a redirect to `location` (relative to it): the next URL to request,
   * or why not (an unreadable or non-http(s) location, a URL already visited, too many hops).
   */
  follow(from: URL, location: string): { ok: true; next: URL } | ({ ok: false } & UrlRefusal) {
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      return {
        ok: false,
        code: "http-status",
        error: `redirect from ${from.href} to an invalid location ${JSON.stringify(location)}`,
      };
    }
    if (!isHttp(next)) {
      return {
        ok: false,
        code: "bad-url",
        error: `redirect from ${from.href} to a non-http(s) location ${next.href}`,
      };
    }
    if (from.protocol === "https:" && next.protocol === "http:") {
      // What came over TLS must not be answered in the clear: anyone on the way could answer.
      return {
        ok: false,
        code: "bad-url",
        error: `redirect from ${from.href} to plain http ${next.href} refused: the answer would come without TLS`,
      };
    }
    this.followed++;
    if (this.seen.has(next.href) || this.followed > MAX_REDIRECTS) {
      return {
        ok: false,
        code: "redirect-loop",
        error: this.seen.has(next.href)
          ? `redirect loop: ${from.href} -> ${next.href}, already visited`
          : `more than ${MAX_REDIRECTS} redirects, last ${from.href} -> ${next.href}`,
      };
    }
    this.seen.add(next.href);
    return { ok: true, next };
  }
}

/** A percent-encoded user or password; taken as written when its escapes are broken. */
export function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
