// DuckDB's complaints about a file's content, rewritten as one line naming the file: its own text repeats the
// path, appends hints meant for SQL users ("Try auto-detecting the JSON format") and, for JSON, numbers lines
// its own way (the record after the one at fault, blank lines not counted), which becomes the physical line.
import { ingestMsg } from './messages.ts';
import { NO_BREAKS, recordLines } from './recordLines.ts';

/**
 * The message for a DuckDB error about `file`, or null when the error is not about the file's content.
 *
 * @example
 * await duckErrorMessage('/d/e.jsonl', 'jsonl', new Error('Invalid Input Error: Malformed JSON in file "/d/e.jsonl", at byte 3 in line 3: unexpected end of data. '));
 * // '/d/e.jsonl:2: malformed JSON (unexpected end of data)' when line 2 is the second non-blank line
 */
export async function duckErrorMessage(file: string, format: string, e: unknown): Promise<string | null> {
  const text = e instanceof Error ? e.message : String(e);
  if (!/^(IO|Invalid Input|Conversion|Invalid) Error/.test(text)) return null;
  const first = text.split('\n')[0].replace(/^[A-Za-z ]*Error: /, '');
  const json = /^Malformed JSON in file ".*", at byte \d+ in line (\d+): (.*)$/.exec(first);
  if (json !== null) return ingestMsg.malformedJson(file, await jsonLine(file, Number(json[1]) - 1), tidy(file, json[2]));
  return ingestMsg.unreadable(file, format, tidy(file, first));
}

/** Without the path, DuckDB's hints and trailing punctuation. */
function tidy(file: string, detail: string): string {
  const out = detail
    .replace(/\s*Try auto-detecting the JSON format\.?/g, '')
    .replaceAll(` in file "${file}"`, '')
    .replaceAll(`"${file}"`, 'the file')
    .replaceAll(`: ${file}`, '')
    .replaceAll(file, 'the file')
    .replace(/[\s.]+$/, '');
  return out === '' ? detail.trim() : out;
}

/** Physical line of the `record`-th non-blank line, or null when there is none. */
async function jsonLine(file: string, record: number): Promise<number | null> {
  if (!(record >= 1)) return null;
  const { lineOf } = await recordLines(file, { headerLines: 0, json: true }, NO_BREAKS, { records: [record], rejected: [] });
  return lineOf.get(record) ?? null;
}
