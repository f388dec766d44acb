// How many rows to make room for before streaming: from the first megabyte of a text file (lines, or OTTO
// events, per byte) scaled to the file's size (for gzip, the uncompressed size in its trailer), or DuckDB's
// count for Parquet and Arrow, which it knows without reading the data.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Duck } from './duck.ts';
import type { Relation } from './plan.ts';

const SAMPLE = 1 << 20;

/**
 * A generous estimate of the events in the file (the columns grow if it falls short).
 *
 * @example
 * await estimateRows(duck, '/data/events.csv', relation, /\n/g); // about size / bytes per line
 */
export async function estimateRows(duck: Duck, file: string, relation: Relation, unit: RegExp): Promise<number> {
  if (relation.numbering.kind === 'records') {
    const [[n]] = (await duck.rows(`SELECT count(*) FROM ${relation.from}`)) as number[][];
    return n;
  }
  const size = statSync(file).size;
  const gz = file.endsWith('.gz');
  const head = readHead(file, gz ? SAMPLE / 4 : SAMPLE);
  let text: string;
  try {
    text = (gz ? gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a truncated stream is fine */ }) : head).toString('latin1');
  } catch {
    text = '';
  }
  const units = Math.max(1, (text.match(unit) ?? []).length);
  // The gzip trailer holds the uncompressed size modulo 2^32; below the compressed size it has wrapped.
  const isize = gz ? readTrailer(file, size) : size;
  const total = gz ? (isize >= size ? isize : size * 8) : size;
  return Math.ceil((total / Math.max(1, text.length)) * units * 1.1) + 1024;
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

function readTrailer(file: string, size: number): number {
  if (size < 4) return 0;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    readSync(fd, buf, 0, 4, size - 4);
    return buf.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}
