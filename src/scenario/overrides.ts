// `--set path=value` overrides, applied to the YAML document before validation so an override is
// checked exactly like the same edit in the file.
import { parseDocument, parse as parseYaml } from 'yaml';
import { InputError } from '../errors.ts';

/**
 * Apply `a.b.0.c=value` overrides (values are YAML scalars or flow collections) to scenario text.
 *
 * @example
 * applyOverrides(text, ['world.persons=2000', 'pipelines.0.refresh=1d'])
 */
export function applyOverrides(text: string, overrides: readonly string[], file: string): string {
  if (overrides.length === 0) return text;
  const doc = parseDocument(text, { schema: 'core' });
  if (doc.errors.length) return text; // the loader reports the syntax error with its line
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new InputError(`--set ${JSON.stringify(o)}: expected path=value, e.g. world.persons=2000`);
    const path = o.slice(0, eq).split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (path.some((s) => s === '')) throw new InputError(`--set ${JSON.stringify(o)}: empty segment in the path`);
    let value: unknown;
    try {
      value = parseYaml(o.slice(eq + 1), { schema: 'core' });
    } catch {
      throw new InputError(`--set ${JSON.stringify(o)}: the value is not valid YAML`);
    }
    const parentPath = path.slice(0, -1);
    if (parentPath.length && !doc.hasIn(parentPath)) throw new InputError(`--set ${JSON.stringify(o)}: ${file} has no ${parentPath.join('.')}`);
    doc.setIn(path, value);
  }
  return doc.toString();
}
