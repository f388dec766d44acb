// The first bytes of a (possibly gzipped) text file, read before DuckDB reads the whole file: adapters recognise
// which variant of a public data set they were given by its first line, the CSV reader checks its header, and a
// file of blank lines only is caught before DuckDB takes its first blank line for a header.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const LIMIT = 64 * 1024;
const NL = 10;

/**
 * First line of the file as bytes, without its line break (empty for an empty file); at most 64 KiB.
 *
 * @example
 * new TextDecoder('utf-8', { fatal: true }).decode(await firstLineBytes('/data/events.csv')); // throws unless UTF-8
 */
export async function firstLineBytes(file: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  await eachChunk(file, true, (chunk) => {
    const nl = chunk.indexOf(NL);
    parts.push(nl >= 0 ? chunk.subarray(0, nl) : chunk);
    size += chunk.length;
    return nl >= 0 || size >= LIMIT;
  });
  const line = Buffer.concat(parts).subarray(0, LIMIT);
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line;
}

/**
 * First line of the file without its line break ('' for an empty file).
 *
 * @example
 * await firstLine('/data/ml-100k/u.data'); // '196\t242\t3\t881250949'
 */
export async function firstLine(file: string): Promise<string> {
  return (await firstLineBytes(file)).toString('utf8');
}

/**
 * Whether the file holds nothing but white space and line breaks (reads up to the first other byte).
 *
 * @example
 * await isBlank('/data/blank.jsonl'); // true for "\n\n\n"
 */
export async function isBlank(file: string): Promise<boolean> {
  let blank = true;
  await eachChunk(file, false, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== 10 && b !== 13 && b !== 32 && b !== 9) return !(blank = false);
    }
    return false;
  });
  return blank;
}

/** Feed the (decompressed) bytes to `take` until it returns true or the file ends. */
async function eachChunk(file: string, limited: boolean, take: (chunk: Buffer) => boolean): Promise<void> {
  const gz = file.endsWith('.gz');
  const input = createReadStream(file, gz || !limited ? {} : { end: LIMIT - 1 });
  const stream = gz ? input.pipe(createGunzip()) : input;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) if (take(chunk)) return;
  } finally {
    input.destroy();
    if (stream !== input) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
