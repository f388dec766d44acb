// Which source column feeds each canonical field: `data.columns` first, else a column with the canonical name
// (exact, then ignoring case), so a file written by `recgap generate` maps itself.
import type { ColumnMap } from '../scenario/types.ts';
import { InputError } from '../errors.ts';
import { ingestMsg } from './messages.ts';
import { DELIMITERS } from './formats/csv.ts';
import { FIELDS, SIGNAL_FIELDS, type Field, type Relation, type SignalField } from './plan.ts';

export type ResolvedColumns = Partial<Record<Field | SignalField, string>>;

/**
 * Source column per field (absent fields left out). Throws when a mapped column is missing, when time, item or
 * both key and person are absent, and when a CSV splits into one column (a wrong delimiter).
 *
 * @example
 * resolveColumns('/d/log.csv', relation, { item: 'sku' }); // { time: 'time', key: 'key', item: 'sku', ... }
 */
export function resolveColumns(file: string, relation: Relation, map: ColumnMap | null): ResolvedColumns {
  const names = relation.columns.map((c) => c.name);
  const fail = (message: string): never => {
    const delimiter = relation.numbering.kind === 'lines' ? relation.numbering.delimiter : null;
    if (names.length === 1 && delimiter !== null) throw new InputError(ingestMsg.singleColumn(file, names[0], delimiter, betterDelimiter(names[0], delimiter)));
    throw new InputError(message);
  };
  const out: ResolvedColumns = {};
  for (const field of [...FIELDS, ...SIGNAL_FIELDS]) {
    const mapped = map?.[field];
    if (mapped !== undefined) {
      if (!names.includes(mapped)) fail(ingestMsg.mappedColumnMissing(file, field, mapped, names));
      out[field] = mapped;
      continue;
    }
    const found = names.find((n) => n === field) ?? names.find((n) => n.toLowerCase() === field.toLowerCase());
    if (found !== undefined) out[field] = found;
  }
  if (out.time === undefined) fail(ingestMsg.fieldMissing(file, 'time', names));
  if (out.item === undefined) fail(ingestMsg.fieldMissing(file, 'item', names));
  if (out.key === undefined && out.person === undefined) fail(ingestMsg.keyAndPersonMissing(file, names));
  return out;
}

/** The common delimiter that splits a one-column header into the most parts, if any splits it. */
function betterDelimiter(header: string, used: string): string | null {
  let best: string | null = null;
  let parts = 1;
  for (const d of DELIMITERS) {
    const n = header.split(d).length;
    if (d !== used && n > parts) {
      best = d;
      parts = n;
    }
  }
  return best;
}
