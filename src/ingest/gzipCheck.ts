// Whether a .gz file decompresses to its end. DuckDB reads a gzip stream that is cut short without a word (the
// rows up to the cut load, the rest is silently missing), so every .gz is also inflated here, alongside DuckDB's
// read (zlib works on its own thread): the verdict decides before anything else is reported about the file.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ingestMsg } from './messages.ts';

/** What a .gz check found: nothing wrong, or the message naming the file. */
export type GzipVerdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Start inflating `file`; the promise never rejects. `signal` stops the check (a read that failed early).
 *
 * @example
 * const gz = checkGzip('/data/events.csv.gz', controller.signal);
 * const verdict = await gz; // { ok: false, message: '/data/events.csv.gz: the gzip data is cut short ...' }
 */
export async function checkGzip(file: string, signal: AbortSignal): Promise<GzipVerdict> {
  const discard = new Writable({ write: (_chunk, _enc, next) => next() });
  try {
    await pipeline(createReadStream(file), createGunzip(), discard, { signal });
    return { ok: true };
  } catch (e) {
    if (signal.aborted) return { ok: true };
    return { ok: false, message: gzipMessage(file, e) };
  }
}

/** True for the errors zlib throws on bad compressed data. */
export const isZlibError = (e: unknown): boolean => typeof (e as { code?: unknown })?.code === 'string' && /^Z_/.test((e as { code: string }).code);

function gzipMessage(file: string, e: unknown): string {
  const detail = e instanceof Error ? e.message : String(e);
  if (detail === 'incorrect header check') return ingestMsg.notGzip(file);
  if (detail === 'unexpected end of file') return ingestMsg.gzipCutShort(file);
  return ingestMsg.gzipCorrupt(file, detail);
}
