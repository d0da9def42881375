// The optional YAML config file: every option by its kebab-case name, plus `allow:` entries.
import { open } from "node:fs/promises";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { DEFAULT_CONFIG_FILE, OptionsError, configLayer, type RawValue } from "./options.js";

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Read the config file named by `file` (relative to `root`), or the default one when it exists.
 * A named file that is missing or malformed is an OptionsError; no file at all is an empty layer.
 */
export async function loadConfigLayer(
  root: string,
  file: string | undefined,
): Promise<Record<string, RawValue>> {
  const name =
    file ?? (existsSync(resolve(root, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (!name) return {};
  const text = await readConfigText(resolve(root, name), name);
  return parseConfigText(text, name);
}

/**
 * A config file's text, read only when it is a regular file of at most 1 MiB: never a device,
 * a FIFO or a link to one (`/dev/zero` would be read for ever). `shown` names it in errors.
 */
export async function readConfigText(path: string, shown: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, "r");
    const info = await handle.stat();
    if (!info.isFile())
      throw new OptionsError([
        `${shown}: the config file is not a regular file; give the path of a YAML file`,
      ]);
    if (info.size > MAX_CONFIG_BYTES)
      throw new OptionsError([`${shown}: config file is larger than 1 MiB`]);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_CONFIG_BYTES)
      throw new OptionsError([`${shown}: config file is larger than 1 MiB`]);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } catch (error) {
    if (error instanceof OptionsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const what =
      code === "ENOENT"
        ? "no such file; check the path (config-file / --config)"
        : code === "EISDIR"
          ? "it is a folder; give the path of a YAML file"
          : (code ?? (error as Error).message);
    throw new OptionsError([`${shown}: cannot read config file: ${what}`]);
  } finally {
    await handle?.close();
  }
}

/** Parse config text; YAML errors name the file and line. */
export function parseConfigText(text: string, name: string): Record<string, RawValue> {
  // prettyErrors fills in `linePos` (1-based line and column) on every error.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw new OptionsError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        return {
          text: `${name}${pos ? `:${pos.line}:${pos.col}` : ""}: invalid YAML: ${message} [${e.code}]`,
          place: { file: name, ...(pos ? { line: pos.line, column: pos.col } : {}) },
        };
      }),
    );
  }
  // Where each top-level key (and each item of a list) is, so that a bad value names its line.
  const lines = new Map<string, { line: number; itemLines?: number[] }>();
  const lineOf = (range: readonly number[] | null | undefined) =>
    range ? lineCounter.linePos(range[0]!).line : undefined;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) {
        // `? [a]: 1`: a list or a mapping as a key names no option.
        const at = isNode(pair.key) ? lineOf(pair.key.range) : undefined;
        throw new OptionsError([
          {
            text: `${name}${at ? `:${at}` : ""}: a key must be an option name, not a list or a mapping`,
            place: { file: name, ...(at ? { line: at } : {}) },
          },
        ]);
      }
      const line = lineOf(pair.key.range);
      if (line === undefined) continue;
      const itemLines = isSeq(pair.value)
        ? pair.value.items.map((item) => (isNode(item) ? lineOf(item.range) : undefined) ?? line)
        : undefined;
      lines.set(String(pair.key.value), { line, ...(itemLines ? { itemLines } : {}) });
    }
  }
  return configLayer(doc.toJS({ maxAliasCount: 100 }), name, lines);
}
