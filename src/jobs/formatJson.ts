// The JSON file a folder recgap wrote describes itself with (shard.json, fit.json): read as untrusted input,
// with one line for each way it can be wrong (missing, not JSON, another format, a field the schema refuses).
import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { InputError } from '../errors.ts';
import { checkUntrusted } from '../results/untrusted.ts';
import { jobMsg } from './messages.ts';

/**
 * Read `file`, require its `format` to be `format` and check it against `schema`. Returns the checked value
 * and the parsed data as the file has it (the schema's copies list keys in the schema's order; outputs that
 * must be byte for byte a single run's take the file's own objects).
 *
 * @example
 * const { value, data } = readFormatJson(join(dir, 'shard.json'), SHARD_FORMAT, shardJsonSchema, {
 *   missing: () => jobMsg.notShardFolder(dir),
 *   invalid: (problem) => jobMsg.shardInvalid(file, problem),
 * });
 */
export function readFormatJson<S extends z.ZodType>(
  file: string,
  format: string,
  schema: S,
  messages: { missing: () => string; invalid: (problem: string) => string },
): { value: z.output<S>; data: unknown } {
  if (!existsSync(file)) throw new InputError(messages.missing());
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(jobMsg.notJson(file, e instanceof Error ? e.message.split('\n')[0] : String(e)));
  }
  const found = data !== null && typeof data === 'object' ? (data as { format?: unknown }).format : undefined;
  if (found !== format) throw new InputError(jobMsg.shardFormat(file, found, format));
  const checked = checkUntrusted(schema, data);
  if (!checked.ok) throw new InputError(messages.invalid(checked.problem));
  return { value: checked.value, data };
}
