// The first line of a (possibly gzipped) text file: adapters use it to recognise which variant of a public
// data set they were given before DuckDB reads the whole file.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const LIMIT = 64 * 1024;

/**
 * First line of the file without its line break ('' for an empty file).
 *
 * @example
 * await firstLine('/data/ml-100k/u.data'); // '196\t242\t3\t881250949'
 */
export async function firstLine(file: string): Promise<string> {
  const input = createReadStream(file, file.endsWith('.gz') ? {} : { end: LIMIT - 1 });
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let text = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) return text.slice(0, nl).replace(/\r$/, '');
      if (text.length >= LIMIT) break;
    }
  } finally {
    input.destroy();
  }
  return text.replace(/\r$/, '');
}
