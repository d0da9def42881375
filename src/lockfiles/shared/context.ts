// What a parser may be handed besides its own text: a way to read `-r`/`-c` targets.
import type { Dependency, DependencyKind, LockfileFormat } from "../../types.js";

export type IncludeResult = { file: string; text: string } | { error: string; code: string };

export interface ParseContext {
  /**
   * Reads an included requirements file. `fromFile` is the including file (as the parser names
   * it), `target` the path as written. Returns the included file's name (relative, like
   * `fromFile`) and text, or why it cannot be read (`include-missing`, `include-outside-root`, ...).
   */
  readInclude(fromFile: string, target: string): IncludeResult;
}

/** Builds a Dependency, leaving `version` and `index` out when absent. */
export function makeDependency(
  fields: {
    name: string;
    version?: string;
    file: string;
    line: number;
    kind: DependencyKind;
    index?: string;
  },
  format: LockfileFormat,
): Dependency {
  const dep: Dependency = {
    name: fields.name,
    file: fields.file,
    line: Math.max(1, fields.line),
    format,
    kind: fields.kind,
  };
  if (fields.version !== undefined && fields.version !== "") dep.version = fields.version;
  if (fields.index !== undefined) dep.index = fields.index;
  return dep;
}

/** Base name of a `/`- or `\`-separated path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
