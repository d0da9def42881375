// Reading a YAML node tree the way PyYAML's safe_load (what conda uses) sees the document:
// an alias stands for its anchored node and `<<` merge keys bring in their maps' keys. Nodes
// keep their source ranges, so a value reached through an alias points at the line it was
// written on (the anchor's definition). Each alias is looked up in a table built in one pass;
// the alias bomb guard is decodeYaml's, which expands the document once before this runs.
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node } from "yaml";

export class YamlView {
  /** Each alias and the node it names. */
  private readonly targets = new Map<Node, Node | undefined>();

  constructor(doc: Document) {
    // An alias names the last node anchored with its name before it, in document order (the
    // order the yaml library's own Alias.resolve uses, computed once instead of per alias).
    const anchored = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) this.targets.set(node, anchored.get(node.source));
        else if (node.anchor) anchored.set(node.anchor, node);
      },
    });
  }

  /** The node an alias stands for (itself for any other node); undefined for a dangling alias. */
  resolve(node: unknown): unknown {
    return isAlias(node) ? this.targets.get(node) : node;
  }

  /** The items of a sequence, aliases resolved. */
  items(seq: unknown): unknown[] {
    const node = this.resolve(seq);
    return isSeq(node) ? node.items.map((item) => this.resolve(item)) : [];
  }

  /**
   * The value of `key` in `map`, aliases resolved, as a YAML 1.1 reader merges it: a key written
   * in the map wins; otherwise the `<<` merge sources are searched, a later `<<` key before an
   * earlier one and, within a sequence of sources, the earlier source first (PyYAML's
   * flatten_mapping).
   */
  get(map: unknown, key: string): unknown {
    return this.lookup(this.resolve(map), key, new Set());
  }

  /** `seen`: maps already searched, so a merge cycle (`&a {<<: *a}`) ends and each map costs once. */
  private lookup(map: unknown, key: string, seen: Set<unknown>): unknown {
    if (!isMap(map) || seen.has(map)) return undefined;
    seen.add(map);
    const own = map.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
    if (own) return this.resolve(own.value);
    const merges = map.items.filter((pair) => isMergeKey(pair.key));
    for (const pair of merges.reverse()) {
      const source = this.resolve(pair.value);
      const sources = isSeq(source) ? source.items.map((item) => this.resolve(item)) : [source];
      for (const from of sources) {
        const found = this.lookup(from, key, seen);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
}

/**
 * A plain `<<` key, which the yaml library's `merge: true` turns into a symbol. A quoted "<<" is
 * an ordinary string key, for PyYAML as for the yaml library.
 */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}

/** Where a key is written twice in one mapping, in document order. */
export interface DuplicateKey {
  key: string;
  /** Source offsets of the first and the second key. */
  first: number;
  second: number;
}

/**
 * The first key written twice in one mapping, at any depth. PyYAML keeps the last value and a
 * reader that keeps the first would see another file, so such a file is not read at all. Merge
 * keys are not duplicates: a merged key that the map overrides is how merging works.
 */
export function findDuplicateKey(doc: Document): DuplicateKey | undefined {
  let found: DuplicateKey | undefined;
  visit(doc, {
    Map: (_key, map) => {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || typeof pair.key.value === "symbol") continue;
        const offset = pair.key.range?.[0] ?? 0;
        const earlier = seen.get(pair.key.value);
        if (earlier !== undefined) {
          found = { key: String(pair.key.value), first: earlier, second: offset };
          return visit.BREAK;
        }
        seen.set(pair.key.value, offset);
      }
      return undefined;
    },
  });
  return found;
}
