// YAML text -> plain data at the scenario boundary. A scenario is plain data, so beyond YAML's own errors this
// rejects duplicate keys, keys that are mappings or lists, aliases without an anchor or inside their own anchor,
// and aliases that multiply the data (alias bombs); the yaml package never prints warnings of its own.
import { type LineCounter, isAlias, isCollection, isMap, isPair, isScalar, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import { msg } from '../errors.ts';

/** Values that aliases may add in total; an alias bomb multiplies far past this, a real scenario stays far below. */
export const MAX_ALIAS_VALUES = 10_000;

/**
 * Parsed data, or the first problem: where it starts (a character offset), whether it is a YAML syntax error
 * (rather than data a scenario cannot hold) and its message given a location.
 */
export type YamlResult = { ok: true; doc: Document; data: unknown } | { ok: false; offset: number; syntax: boolean; message: (where: string) => string };

export interface YamlOptions {
  /**
   * Tags the core schema does not know (`!foo`, `!!js/function`): an error (`error`, scenario files), or
   * dropped so the value reads as the plain text it tags (`ignore`, --set values).
   */
  unknownTags: 'error' | 'ignore';
  lineCounter?: LineCounter;
}

/**
 * Parse one YAML document into plain data with the core schema (no custom types, no code).
 *
 * @example
 * const r = readYaml('a: [1, 2]', { unknownTags: 'error' });
 * if (r.ok) r.data // { a: [1, 2] }
 */
export function readYaml(text: string, options: YamlOptions): YamlResult {
  // Unique keys are checked below in linear time (yaml's own check compares every pair of keys).
  const doc = parseDocument(text, { lineCounter: options.lineCounter, schema: 'core', uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const problems = options.unknownTags === 'error' ? [...doc.errors, ...doc.warnings] : doc.errors;
  if (problems.length) {
    const e = problems[0];
    const detail = plainDetail(e.message);
    return {
      ok: false,
      offset: e.pos[0],
      syntax: true,
      message: e.code === 'MULTIPLE_DOCS' ? msg.yamlSecondDocument : (where) => msg.yamlSyntax(where, detail),
    };
  }
  try {
    const problem = checkStructure(doc);
    if (problem) return problem;
    // Aliases are bounded by checkStructure, so yaml's own alias counter (which throws a ReferenceError) is off.
    return { ok: true, doc, data: doc.toJS({ maxAliasCount: -1 }) as unknown };
  } catch (e) {
    const detail = plainDetail(e instanceof Error ? e.message : String(e));
    return { ok: false, offset: 0, syntax: true, message: (where) => msg.yamlSyntax(where, detail) };
  }
}

/** The first line of a yaml or JavaScript error, without JavaScript's words for deep recursion. */
const plainDetail = (message: string): string => (/call stack/i.test(message) ? 'nested too deeply' : message.split('\n')[0]);

type Problem = Extract<YamlResult, { ok: false }>;

/**
 * Duplicate and collection keys and alias problems, found in one pass in document order (the order yaml
 * resolves aliases in).
 */
function checkStructure(doc: Document): Problem | undefined {
  const anchors = new Map<string, Node>();
  const aliases: Array<[Alias, Node]> = [];
  let problem: Problem | undefined;
  // Key names seen per mapping, as the JavaScript object will have them: `1` and "1" collide there too.
  const keysSeen = new Map<unknown, Set<string>>();
  visit(doc, {
    Pair(_key, pair, path) {
      // Earlier entries are visited by now, so an alias key resolves to what its anchor names.
      const key = isAlias(pair.key) ? anchors.get(pair.key.source) : pair.key;
      const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
      if (isCollection(key)) {
        problem = { ok: false, offset, syntax: false, message: (where) => msg.yamlCollectionKey(where, isMap(key) ? 'mapping' : 'list') };
        return visit.BREAK;
      }
      if (isScalar(key) || key === null) {
        const parent = path[path.length - 1];
        const seen = keysSeen.get(parent) ?? new Set<string>();
        keysSeen.set(parent, seen);
        const name = String(isScalar(key) ? key.value : null);
        if (seen.has(name)) {
          problem = { ok: false, offset, syntax: true, message: (where) => msg.yamlSyntax(where, 'Map keys must be unique') };
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        const offset = node.range?.[0] ?? 0;
        if (!target) problem = { ok: false, offset, syntax: false, message: (where) => msg.yamlAliasWithoutAnchor(where, node.source) };
        else if (path.includes(target)) problem = { ok: false, offset, syntax: false, message: (where) => msg.yamlAliasCycle(where, node.source) };
        if (problem) return visit.BREAK;
        aliases.push([node, target!]);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
      return undefined;
    },
  });
  if (problem || aliases.length === 0) return problem;

  // Values each node stands for once aliases are expanded (memoized: the bomb's size is never built).
  const sizes = new Map<Node, number>();
  const targetOf = new Map(aliases);
  const size = (n: unknown): number => {
    if (isAlias(n)) return size(targetOf.get(n));
    if (!isCollection(n)) return 1;
    let s = sizes.get(n);
    if (s === undefined) {
      s = 1;
      for (const item of n.items) s += isPair(item) ? size(item.key) + size(item.value) : size(item);
      sizes.set(n, s);
    }
    return s;
  };
  let added = 0;
  for (const [alias, target] of aliases) {
    added += size(target);
    if (added > MAX_ALIAS_VALUES)
      return { ok: false, offset: alias.range?.[0] ?? 0, syntax: false, message: (where) => msg.yamlAliasBomb(where, alias.source, MAX_ALIAS_VALUES) };
  }
  return undefined;
}

/**
 * The line of the value at `path` (the key's line for mapping entries), or of its nearest existing parent.
 *
 * @example
 * lineOfPath(doc, lineCounter, ['world', 'persons']) // 8
 */
export function lineOfPath(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let len = path.length; len >= 0; len--) {
    const p = path.slice(0, len);
    const parent = len > 0 ? doc.getIn(p.slice(0, -1) as unknown[], true) : undefined;
    if (len > 0 && isMap(parent)) {
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === p[p.length - 1]);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return lc.linePos(range[0]).line;
    }
    const node = doc.getIn(p as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
