// How every message says things: counts ("1 package", "2 packages"), and URLs without the
// credentials written into them.

/** `plural(1, "package")` is "1 package", `plural(2, "package")` is "2 packages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Text with every URL's `user:password@` replaced by `***@`, for results and messages. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1***@");
}
