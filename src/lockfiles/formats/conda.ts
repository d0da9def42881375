// environment.yml / environment.yaml: conda packages (kind `conda`, never looked up) and the
// `pip:` list, parsed as requirement lines with their YAML line numbers. Aliases and merge keys
// are followed; a key written twice is refused (decodeYaml), since readers disagree on it.
import { isMap, isNode, isScalar, isSeq } from "yaml";
import type { Dependency, LockfileFormat, ParseError, ParseResult } from "../../types.js";
import { baseName, makeDependency, type ParseContext } from "../shared/context.js";
import { decodeYaml } from "../shared/decode.js";
import { preview } from "../shared/pep508.js";
import { YamlView } from "../shared/yaml-nodes.js";
import { isValidName } from "../../names.js";
import { parseEntries, type RequirementLine } from "./requirements.js";

export const format: LockfileFormat = "conda";

export function matches(path: string): boolean {
  return /^environment\.ya?ml$/.test(baseName(path));
}

/** `channel::name=1.2=build`, `name >=1.0`, `name==1.0`, `name 1.0 build`. */
function parseCondaSpec(spec: string): { name: string; version?: string } | undefined {
  const withoutChannel = spec.includes("::") ? spec.slice(spec.lastIndexOf("::") + 2) : spec;
  const m = /^\s*([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$/s.exec(withoutChannel);
  // Conda names may start with `_` (`_libgcc_mutex`), which PEP 508 names may not.
  if (
    !m ||
    m[1]!.length > 200 ||
    !(isValidName(m[1]!) || /^_[A-Za-z0-9._-]*[A-Za-z0-9]$/.test(m[1]!))
  )
    return undefined;
  const rest = m[2]!.trim();
  const exact = /^==\s*([^\s,|=<>!*]+)$/.exec(rest);
  const exported = /^=([^\s,|=<>!*]+)=\S+$/.exec(rest);
  const spaced = /^([0-9][^\s,|=<>!*]*)\s+\S+$/.exec(rest);
  const version = exact?.[1] ?? exported?.[1] ?? spaced?.[1];
  return { name: m[1]!.toLowerCase(), ...(version === undefined ? {} : { version }) };
}

/** Line of a node's start, 1 when it has no range. */
function nodeLine(node: unknown, lineOf: (offset: number) => number): number {
  return isNode(node) && node.range ? lineOf(node.range[0]) : 1;
}

export function parse(text: string, file: string, ctx?: ParseContext): ParseResult {
  const decoded = decodeYaml(text, file);
  if ("error" in decoded) return { dependencies: [], errors: [decoded.error] };
  const { doc, lineOf } = decoded;
  // Aliases and `<<` merges are followed as conda's YAML reader follows them: a list reached
  // through them is in the environment, and its lines are where its anchor was written.
  const yaml = new YamlView(doc);
  const dependencies: Dependency[] = [];
  const errors: ParseError[] = [];
  const deps = yaml.get(doc.contents, "dependencies");
  if (deps === undefined || deps === null) return { dependencies, errors };
  if (!isSeq(deps)) {
    return {
      dependencies,
      errors: [
        {
          file,
          line: nodeLine(deps, lineOf),
          code: "invalid-lockfile",
          message: "`dependencies` is not a list",
        },
      ],
    };
  }
  for (const item of yaml.items(deps)) {
    if (isScalar(item)) {
      const line = nodeLine(item, lineOf);
      const spec = String(item.value ?? "");
      const parsed = parseCondaSpec(spec);
      if (!parsed) {
        errors.push({
          file,
          line,
          code: "invalid-requirement",
          message: `not a conda package spec: "${preview(spec)}"`,
        });
        continue;
      }
      dependencies.push(makeDependency({ ...parsed, file, line, kind: "conda" }, format));
    } else if (isMap(item)) {
      const entries: RequirementLine[] = [];
      for (const p of yaml.items(yaml.get(item, "pip"))) {
        if (!isScalar(p)) continue;
        entries.push({ text: String(p.value ?? ""), line: nodeLine(p, lineOf) });
      }
      const result = parseEntries(entries, file, format, ctx);
      dependencies.push(...result.dependencies);
      errors.push(...result.errors);
    }
  }
  return { dependencies, errors };
}
