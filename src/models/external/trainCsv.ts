// The training events an external model fits on, as a CSV file it can read with any tool: the events before
// the split (indices [0, trainBound)), in time order, with the person-resolved identity an offline training
// set has. Written to a fresh temporary folder that the model that wrote it removes on dispose().
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventLog } from '../../log/eventLog.ts';
import { csvField } from '../../log/csv.ts';

/** The columns of the training file, in order. */
export const TRAIN_HEADER = 'time,person,key,item,event';

/**
 * Write events [0, trainBound) of `log` as `time,person,key,item,event` (time in epoch ms; an event without a
 * person has an empty person cell) into a new temporary folder; returns the folder and the file's absolute path.
 *
 * @example
 * const { dir, file } = writeTrainCsv(log, trainBound); // file = /tmp/recgap-train-XXXXXX/train.csv
 * rmSync(dir, { recursive: true });
 */
export function writeTrainCsv(log: EventLog, trainBound: number): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'recgap-train-'));
  const file = join(dir, 'train.csv');
  try {
    const fd = openSync(file, 'w');
    try {
      const d = log.dict;
      const person = d.person.map(csvField);
      const key = d.key.map(csvField);
      const item = d.item.map(csvField);
      const type = d.type.map(csvField);
      writeSync(fd, `${TRAIN_HEADER}\n`);
      const CHUNK = 50_000;
      for (let c0 = 0; c0 < trainBound; c0 += CHUNK) {
        const c1 = Math.min(trainBound, c0 + CHUNK);
        let s = '';
        for (let i = c0; i < c1; i++) {
          const p = log.person[i];
          s += `${log.tsMs[i]},${p >= 0 ? person[p] : ''},${key[log.key[i]]},${item[log.item[i]]},${type[log.type[i]]}\n`;
        }
        writeSync(fd, s);
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, file };
}
