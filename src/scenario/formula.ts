// business.value: a formula for what one order is worth, over named quantities (e.g. `aov * margin - shipping`).
// mathjs parses the text; the tree is then checked against a whitelist (numbers, the named quantities, + - * /
// and parentheses) and copied into a plain tree that recgap evaluates itself. Nothing of the user's text is
// ever run as code, and mathjs loads only when a scenario has a formula.
import { createRequire } from 'node:module';

export type Operator = '+' | '-' | '*' | '/';

/** A checked formula: numbers, named quantities and the four arithmetic operators. */
export type Formula = { kind: 'number'; value: number } | { kind: 'name'; name: string } | { kind: 'op'; op: Operator; args: Formula[] };

interface MathNode {
  type: string;
  value?: unknown;
  name?: string;
  op?: string;
  fn?: string;
  args?: MathNode[];
  content?: MathNode;
}

const OPS: Record<string, Operator> = { add: '+', subtract: '-', multiply: '*', divide: '/', unaryMinus: '-' };

/**
 * Parse and check a formula over `names`; returns the checked tree, or a sentence saying what is not allowed.
 *
 * @example
 * parseFormula('aov * margin - shipping', ['aov', 'margin', 'shipping']) // { formula: { kind: 'op', op: '-', ... } }
 * parseFormula('cos(aov)', ['aov'])  // { error: 'cos(...) is not allowed: use numbers, ...' }
 */
export function parseFormula(text: string, names: readonly string[]): { formula: Formula } | { error: string } {
  let root: MathNode;
  try {
    const { parse } = createRequire(import.meta.url)('mathjs') as { parse: (t: string) => MathNode };
    root = parse(text);
  } catch (e) {
    return { error: `it does not parse (${(e as Error).message.split('\n')[0]})` };
  }
  const allowed = `numbers, ${names.join(', ')}, + - * / and parentheses`;
  const walk = (n: MathNode): Formula | string => {
    if (n.type === 'ParenthesisNode' && n.content) return walk(n.content);
    if (n.type === 'ConstantNode')
      return typeof n.value === 'number' && Number.isFinite(n.value) ? { kind: 'number', value: n.value } : `${String(n.value)} is not a number`;
    if (n.type === 'SymbolNode') return names.includes(n.name ?? '') ? { kind: 'name', name: n.name! } : `${n.name} is not a known quantity: use ${allowed}`;
    if (n.type === 'OperatorNode' && n.fn && n.fn in OPS && n.args) {
      const args = n.args.map(walk);
      const bad = args.find((a) => typeof a === 'string');
      if (bad !== undefined) return bad as string;
      const op = OPS[n.fn];
      return n.fn === 'unaryMinus' ? { kind: 'op', op, args: [{ kind: 'number', value: 0 }, args[0] as Formula] } : { kind: 'op', op, args: args as Formula[] };
    }
    const what =
      n.type === 'FunctionNode'
        ? `${n.name ?? (n as { fn?: { name?: string } }).fn?.name ?? 'a function'}(...)`
        : n.op
          ? `the operator ${n.op}`
          : article(n.type.replace(/Node$/, '').toLowerCase());
    return `${what} is not allowed: use ${allowed}`;
  };
  const out = walk(root);
  return typeof out === 'string' ? { error: out } : { formula: out };
}

/**
 * The formula's value for the named quantities (NaN when a name has no value).
 *
 * @example
 * evaluateFormula(formula, { aov: 50, margin: 0.3, shipping: 4 }) // 11
 */
export function evaluateFormula(f: Formula, scope: Readonly<Record<string, number>>): number {
  if (f.kind === 'number') return f.value;
  // Own keys only: a name such as toString must not reach the object's inherited properties.
  if (f.kind === 'name') return Object.hasOwn(scope, f.name) ? scope[f.name] : NaN;
  const [a, b] = f.args.map((x) => evaluateFormula(x, scope));
  return f.op === '+' ? a + b : f.op === '-' ? a - b : f.op === '*' ? a * b : a / b;
}

function article(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}
