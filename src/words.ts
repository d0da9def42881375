// How counts are said in every message: "1 package", "2 packages".

/** `plural(1, "package")` is "1 package", `plural(2, "package")` is "2 packages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
