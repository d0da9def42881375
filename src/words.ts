// How every message says things: counts ("1 package", "2 packages"), and URLs without the
// credentials written into them.

/** `plural(1, "package")` is "1 package", `plural(2, "package")` is "2 packages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The URL without the `user:password@` written into it: its authority (up to the first `/`, `?`
 * or `#` after the scheme) up to its last `@` is dropped, as pip's and the WHATWG parsers read
 * it, so that a password with a raw `@` in it goes too. Safe to print, log, cache or report.
 */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, "$1");
}

/**
 * The comparable form of a package index URL: no credentials, scheme and host in lower case (as
 * the URL parser gives them), no trailing `/`; the path and query as written, since they are
 * case-sensitive (`/Team/simple` and `/team/simple` are two indexes). Two spellings of one index
 * (`https://Corp.example/simple/`, `https://corp.example/simple`) are one index: one project of
 * a name, one lookup, the same pin in a pull request.
 */
export function indexIdentity(url: string): string {
  const bare = withoutUserinfo(url.trim());
  try {
    const u = new URL(bare);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}${u.search}`;
  } catch {
    return bare.replace(/\/+$/, "");
  }
}

/**
 * Text with every URL's `user:password@` replaced by `***@`, for results and messages: all of a
 * URL up to its last `@`, so a password with a `/` or an `@` in it is hidden too.
 */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)\S*@/gi, "$1***@");
}

/**
 * A value that should have been a URL, as an error may quote it: everything before its last `@`
 * hidden, with or without a scheme (a list split at a comma inside a password leaves `en@host`).
 */
export function valueForMessage(text: string): string {
  const at = text.lastIndexOf("@");
  if (at < 0) return text;
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? "";
  return `${scheme}***${text.slice(at)}`;
}
