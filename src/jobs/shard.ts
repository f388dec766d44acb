// Sharded runs: `recgap run --shard i/n` replays only the requests of persons whose id hashes to shard i
// and writes what merging needs: the run's frame (the request-independent part of results.json, the same
// in every shard) and its per-request rows with their global ids. `recgap merge` puts the rows of all n
// shards back at their global positions and finishes the run exactly as a single process would, so the
// merged results.json equals a single run's (timings aside).
//   shard folder: shard.json (format, shard, frame, per-row ids and names, array manifest) + tables.bin
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { SourceResult } from '../eval/replay.ts';
import { emptySource, scatterSource, type RequestPart, type ShardSpec } from '../eval/partition.ts';
import { METRIC_COUNT } from '../eval/metrics.ts';
import type { WindowAudit } from '../report/windowCheck.ts';
import type { OutputFile } from '../results/output.ts';
import type { RunFrame } from '../run/prepare.ts';
import type { RequestRows } from '../run/requestTable.ts';
import { readFormatJson } from './formatJson.ts';
import { SHARD_FORMAT, shardJsonSchema, shardProblem, type Dtype, type ShardJson } from './shardSchema.ts';

const TABLES = 'tables.bin';

type NumArray = Float64Array | Float32Array | Int32Array | Uint8Array;

/** One shard as read back: its rows (global ids ascending) and tables. */
export interface ShardData {
  dir: string;
  shard: ShardSpec;
  frame: RunFrame;
  audit: WindowAudit | null;
  rows: RequestRows & { ids: Int32Array };
  sources: SourceResult[];
}

/**
 * Parse `--shard`: `i/n` with 0 <= i < n, or `auto/n`, which takes i from the batch engine's array index
 * (Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX; AWS Batch array jobs: AWS_BATCH_JOB_ARRAY_INDEX).
 *
 * @example
 * parseShard('2/8'); // { index: 2, count: 8 }
 * parseShard('auto/8', { JOB_COMPLETION_INDEX: '5' }); // { index: 5, count: 8 }
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const m = /^(\d+|auto)\/(\d+)$/.exec(text.trim());
  if (!m) throw new InputError(jobMsg.shardSyntax(text));
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > 65535) throw new InputError(jobMsg.shardCount(text));
  let index: number;
  if (m[1] === 'auto') {
    const from = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'].find((v) => env[v] !== undefined && env[v] !== '');
    if (!from) throw new InputError(jobMsg.shardAutoUnset(count));
    const raw = env[from]!;
    if (!/^\d+$/.test(raw)) throw new InputError(jobMsg.shardAutoNotInteger(count, from, raw));
    index = Number(raw);
    if (index >= count) throw new InputError(jobMsg.shardAutoIndex(count, from, index));
  } else {
    index = Number(m[1]);
    if (index >= count) throw new InputError(jobMsg.shardIndex(text, count));
  }
  return { index, count };
}

/** The output folder name of a shard. */
export function shardFolderName(scenarioName: string, shard: ShardSpec): string {
  return `${scenarioName}.shard-${shard.index}-of-${shard.count}`;
}

/**
 * The files of a shard: shard.json and tables.bin (little-endian arrays back to back).
 *
 * @example
 * writeAtomically(out, shardFolderName(name, shard), shardFiles(prep.frame, shard, part, sources, log, audit));
 */
export function shardFiles(
  frame: RunFrame,
  shard: ShardSpec,
  part: RequestPart,
  sources: readonly SourceResult[],
  log: EventLog,
  audit: WindowAudit | null,
): OutputFile[] {
  const labels = new Int32Array(part.length);
  for (let r = 0; r < part.length; r++) labels[r] = part.labelOffsets[r + 1] - part.labelOffsets[r];
  const arrays: Array<[string, NumArray]> = [
    ['ids', part.ids],
    ['tsMs', part.tsMs],
    ['person', part.person],
    ['session', part.session],
    ['labels', labels],
  ];
  sources.forEach((s, i) => {
    arrays.push([`source${i}.ageMs`, s.ageMs], [`source${i}.viewSize`, s.viewSize], [`source${i}.unknownKey`, s.unknownKey]);
    s.metrics.forEach((t, m) => arrays.push([`source${i}.metrics${m}`, t]));
  });
  // What the reader's schema (shardSchema.ts) checks, written from the run's own types.
  const json: Omit<ShardJson, 'frame' | 'audit'> & { frame: RunFrame; audit: WindowAudit | null } = {
    format: SHARD_FORMAT,
    shard,
    frame,
    audit,
    personIds: Array.from(part.person, (p) => log.dict.person[p]),
    keyIds: Array.from(part.key, (k) => log.dict.key[k]),
    arrays: arrays.map(([name, a]) => ({ name, dtype: dtypeOf(a), length: a.length })),
  };
  const total = arrays.reduce((s, [, a]) => s + a.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const [, a] of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return [
    { name: 'shard.json', content: JSON.stringify(json) },
    { name: TABLES, content: bytes },
  ];
}

/** A shard folder's shard.json, checked: enough to name the merged output and check the set of shards. */
export interface ShardHeader {
  dir: string;
  shard: ShardJson['shard'];
  frame: RunFrame;
  json: ShardJson;
}

/**
 * Read and check a shard folder's shard.json (untrusted: every field against the schema, names with the
 * scenario's rules, the array manifest against the frame) without reading its tables.
 *
 * @example
 * const h = readShardHeader('reports/quickstart.shard-0-of-4');
 */
export function readShardHeader(dir: string): ShardHeader {
  const file = join(dir, 'shard.json');
  const { value, data } = readFormatJson(file, SHARD_FORMAT, shardJsonSchema, {
    missing: () => jobMsg.notShardFolder(dir),
    invalid: (problem) => jobMsg.shardInvalid(file, problem),
  });
  const problem = shardProblem(value);
  if (problem) throw new InputError(jobMsg.shardInvalid(file, problem));
  // The file's own objects, not the schema's copies: those list keys in the schema's order, and the merged
  // results.json must be byte for byte a single run's. The schema checked every field the frame's type names.
  const json = data as ShardJson;
  return { dir, shard: json.shard, frame: json.frame as unknown as RunFrame, json };
}

/**
 * Read a shard folder written by `recgap run --shard`, validated (shard.json, sizes, tables).
 *
 * @example
 * const s = readShard('reports/quickstart.shard-0-of-4');
 */
export function readShard(dir: string): ShardData {
  return readShardTables(readShardHeader(dir));
}

/**
 * Read the tables of a shard whose shard.json was checked.
 *
 * @example
 * const s = readShardTables(readShardHeader(dir));
 */
export function readShardTables(header: ShardHeader): ShardData {
  const { dir, shard, frame, json } = header;
  const file = join(dir, 'shard.json');
  const { arrays, personIds, keyIds } = json;
  const tfile = join(dir, TABLES);
  if (!existsSync(tfile)) throw new InputError(jobMsg.shardTablesMissing(tfile));
  const buf = readFileSync(tfile);
  const expected = arrays.reduce((s, a) => s + a.length * BYTES[a.dtype], 0);
  if (buf.byteLength !== expected) throw new InputError(jobMsg.shardTablesSize(tfile, buf.byteLength, expected));
  const byName = new Map<string, NumArray>();
  let at = 0;
  for (const a of arrays) {
    const bytes = a.length * BYTES[a.dtype];
    // Copy out: typed arrays need aligned offsets, which a Buffer slice need not have.
    const raw = buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes);
    byName.set(
      a.name,
      a.dtype === 'float64'
        ? new Float64Array(raw)
        : a.dtype === 'float32'
          ? new Float32Array(raw)
          : a.dtype === 'uint8'
            ? new Uint8Array(raw)
            : new Int32Array(raw),
    );
    at += bytes;
  }
  const get = <T extends NumArray>(name: string): T => {
    const a = byName.get(name);
    if (!a) throw new InputError(jobMsg.shardArrayMissing(file, name));
    return a as T;
  };
  const sources: SourceResult[] = [];
  for (let i = 0; i < frame.sources; i++) {
    sources.push({
      ageMs: get(`source${i}.ageMs`),
      viewSize: get(`source${i}.viewSize`),
      unknownKey: get(`source${i}.unknownKey`),
      metrics: frame.models.map((_, m) => get<Float32Array>(`source${i}.metrics${m}`)),
    });
  }
  const ids = get<Int32Array>('ids');
  return {
    dir,
    shard,
    frame,
    audit: json.audit as WindowAudit | null,
    rows: { length: ids.length, ids, tsMs: get('tsMs'), person: get('person'), session: get('session'), labels: get('labels'), personIds, keyIds },
    sources,
  };
}

/**
 * Check that shards (their shard.json is enough) are the n distinct shards of one run; returns its frame.
 *
 * @example
 * const frame = checkShardSet(dirs.map(readShardHeader));
 */
export function checkShardSet(shards: ReadonlyArray<Pick<ShardHeader, 'dir' | 'shard' | 'frame'>>): RunFrame {
  if (shards.length === 0) throw new InputError(jobMsg.noShards());
  const count = shards[0].shard.count;
  const seen = new Map<number, string>();
  const frameText = JSON.stringify(shards[0].frame);
  for (const s of shards) {
    if (s.shard.count !== count) throw new InputError(jobMsg.shardCountMismatch(s.dir, s.shard.index, s.shard.count, shards[0].dir, count));
    const other = seen.get(s.shard.index);
    if (other !== undefined) throw new InputError(jobMsg.shardTwice(s.dir, s.shard.index, count, other));
    seen.set(s.shard.index, s.dir);
    if (JSON.stringify(s.frame) !== frameText) throw new InputError(jobMsg.shardOtherRun(s.dir, shards[0].dir, frameDifference(shards[0].frame, s.frame)));
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length) throw new InputError(jobMsg.shardsMissing(missing, count));
  return shards[0].frame;
}

/**
 * Put shards back together: checks that they are the n distinct shards of one run, then returns the
 * frame, the full request rows and the full per-request tables in global request order.
 *
 * @example
 * const { frame, rows, sources } = mergeShards(dirs.map(readShard));
 */
export function mergeShards(shards: readonly ShardData[]): { frame: RunFrame; audit: WindowAudit | null; rows: RequestRows; sources: SourceResult[] } {
  const frame = checkShardSet(shards);
  const n = frame.counts.requests;
  const total = shards.reduce((s, x) => s + x.rows.length, 0);
  if (total !== n) throw new InputError(jobMsg.shardRequestCount(total, n));
  const cols = frame.config.ks.length * METRIC_COUNT;
  const sources = Array.from({ length: frame.sources }, () => emptySource(n, frame.models.length, cols));
  const rows: RequestRows = {
    length: n,
    tsMs: new Float64Array(n),
    person: new Int32Array(n),
    session: new Int32Array(n),
    labels: new Int32Array(n),
    personIds: new Array<string>(n),
    keyIds: new Array<string>(n),
  };
  const filled = new Uint8Array(n);
  for (const s of shards) {
    const { ids } = s.rows;
    for (let j = 0; j < ids.length; j++) {
      const r = ids[j];
      if (r < 0 || r >= n || filled[r]) throw new InputError(jobMsg.shardRequestClash(s.dir, r));
      filled[r] = 1;
      rows.tsMs[r] = s.rows.tsMs[j];
      rows.person[r] = s.rows.person[j];
      rows.session[r] = s.rows.session[j];
      rows.labels[r] = s.rows.labels[j];
      rows.personIds[r] = s.rows.personIds[j];
      rows.keyIds[r] = s.rows.keyIds[j];
    }
    s.sources.forEach((src, i) => scatterSource(src, ids, sources[i], cols));
  }
  return { frame, audit: shards[0].audit, rows, sources };
}

const BYTES: Record<Dtype, number> = { float64: 8, float32: 4, int32: 4, uint8: 1 };

function dtypeOf(a: NumArray): Dtype {
  return a instanceof Float64Array ? 'float64' : a instanceof Float32Array ? 'float32' : a instanceof Uint8Array ? 'uint8' : 'int32';
}

/** The first top-level field (or scenario field) where two frames differ, for the error message. */
function frameDifference(a: RunFrame, b: RunFrame): string {
  for (const k of Object.keys(a) as Array<keyof RunFrame>) {
    if (JSON.stringify(a[k]) === JSON.stringify(b[k])) continue;
    if (k === 'scenario') {
      const sa = a.scenario as unknown as Record<string, unknown>;
      const sb = b.scenario as unknown as Record<string, unknown>;
      const f = Object.keys(sa).find((x) => JSON.stringify(sa[x]) !== JSON.stringify(sb[x]));
      return f ? `scenario.${f}` : 'scenario';
    }
    return k;
  }
  return 'the frame';
}
