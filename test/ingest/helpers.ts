// Shared helpers for the ingest tests: fixture paths, a normalized DataSpec, and a log decoded to readable rows.
import { fileURLToPath } from 'node:url';
import type { DataFormat, DataSpec } from '../../src/scenario/types.ts';
import type { EventLog } from '../../src/log/eventLog.ts';
import { defaultDataSpec } from '../../src/scenario/defaults.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/ingest/', import.meta.url));

export const MIN = 60_000;

/** A normalized data spec for a fixture, defaults as the scenario normalizer fills them. */
export function dataSpec(file: string, format: DataFormat, extra: Partial<DataSpec> = {}): DataSpec {
  return defaultDataSpec(file.startsWith('/') ? file : FIXTURES + file, format, extra);
}

export type Row = [
  tsMs: number,
  person: string | null,
  key: string,
  login: string | null,
  channel: string,
  session: number,
  item: string,
  type: string,
  value: number,
];

/** Every event as its strings (null for an unknown person or login), in log order. */
export function decode(log: EventLog): Row[] {
  const d = log.dict;
  const rows: Row[] = [];
  for (let i = 0; i < log.length; i++) {
    rows.push([
      log.tsMs[i],
      log.person[i] < 0 ? null : d.person[log.person[i]],
      d.key[log.key[i]],
      log.login[i] < 0 ? null : d.login[log.login[i]],
      d.channel[log.channel[i]],
      log.session[i],
      d.item[log.item[i]],
      d.type[log.type[i]],
      log.value[i],
    ]);
  }
  return rows;
}

/** The value a Float32Array holds for x. */
export const f32 = (x: number): number => Math.fround(x);
