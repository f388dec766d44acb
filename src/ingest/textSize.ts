// The size of a log file's text and a sample of its first megabyte, without reading the whole file: for a plain
// file its size and head; for gzip the inflated size from the trailer and the inflated head. A 6 MB gzip can hold
// 2.5 GB of CSV, so sizing memory or columns by the compressed bytes would be off by that factor.
//
// The gzip trailer's last 4 bytes (ISIZE) hold the inflated size modulo 2^32: exact below 4 GiB, and for larger
// logs one of ISIZE + k x 4 GiB. k is chosen by the compression ratio of the head: the candidate nearest to
// compressed size x head ratio. A file of several gzip members (concatenated .gz files) has only the last
// member's size there; the same rule then gives an estimate, not the exact size.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

/** Inflated bytes sampled from the start of the text. */
const HEAD_BYTES = 1 << 20;
/** Compressed prefixes tried in turn until the head is inflated (4 KB, 16 KB, ... 1 MB). */
const FIRST_PREFIX = 1 << 12;
const LAST_PREFIX = 1 << 20;
/** No prefix may inflate to more than this (deflate reaches 1032:1). */
const MAX_INFLATE = 64 << 20;
const WRAP = 2 ** 32;

export interface TextSize {
  /** Bytes on disk. */
  fileBytes: number;
  /** Bytes of text: the file's size, or what a .gz file inflates to. */
  textBytes: number;
  gzip: boolean;
  /** The gzip trailer's size had wrapped past 4 GiB (or the file has several members) and was extended by the head's ratio. */
  extended: boolean;
  /** The text's first bytes (about a megabyte, fewer for a short file), as latin1. */
  head: string;
}

/**
 * Size and head of a log file's text; `.gz` files by their trailer and inflated head.
 *
 * @example
 * textSize('events.csv.gz'); // { fileBytes: 6_291_456, textBytes: 2_684_354_560, gzip: true, extended: false, head: 'time,person,...' }
 */
export function textSize(file: string): TextSize {
  const fileBytes = statSync(file).size;
  if (!file.endsWith('.gz')) return { fileBytes, textBytes: fileBytes, gzip: false, extended: false, head: readAt(file, 0, HEAD_BYTES).toString('latin1') };
  const { text, ratio } = inflateHead(file, fileBytes);
  const isize = fileBytes >= 4 ? readAt(file, fileBytes - 4, 4).readUInt32LE(0) : 0;
  const k = Math.max(0, Math.round((fileBytes * ratio - isize) / WRAP));
  return { fileBytes, textBytes: isize + k * WRAP, gzip: true, extended: k > 0, head: text.toString('latin1') };
}

/** The inflated start of a gzip file and its compression ratio (inflated / compressed bytes of the prefix). */
function inflateHead(file: string, fileBytes: number): { text: Buffer; ratio: number } {
  let best: { text: Buffer; ratio: number } = { text: Buffer.alloc(0), ratio: 1 };
  for (let prefix = FIRST_PREFIX; ; prefix *= 4) {
    const bytes = readAt(file, 0, Math.min(prefix, fileBytes));
    let text: Buffer;
    try {
      // Z_SYNC_FLUSH: a stream cut at the prefix is fine.
      text = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATE });
    } catch (e) {
      // The prefix inflates past the cap: the ratio is at least that; broken data is the reader's to report.
      if (e instanceof RangeError) return { text: best.text, ratio: Math.max(best.ratio, MAX_INFLATE / bytes.length) };
      return best;
    }
    best = { text, ratio: text.length / Math.max(1, bytes.length) };
    if (text.length >= HEAD_BYTES || bytes.length >= fileBytes || prefix >= LAST_PREFIX) return best;
  }
}

function readAt(file: string, position: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, position));
  } finally {
    closeSync(fd);
  }
}
