// One rule for a log's format from its file name, shared by scenarios and `recgap audit FILE`.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFromPath } from '../../src/scenario/dataFormat.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { readLog } from '../../src/ingest/readLog.ts';
import { defaultDataSpec } from '../../src/scenario/defaults.ts';

describe('formatFromPath', () => {
  it.each([
    ['events.csv', 'csv'],
    ['events.csv.gz', 'csv'],
    ['events.tsv', 'csv'],
    ['events.jsonl', 'jsonl'],
    ['EVENTS.JSONL.GZ', 'jsonl'],
    ['events.parquet', 'parquet'],
    ['events.arrow', 'arrow'],
    ['events.feather', 'arrow'],
    ['events.ipc', 'arrow'],
    ['u.data', 'csv'],
  ])('%s is %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it('is what a scenario without data.format gets', () => {
    const s = parseScenario(
      'name: x\ndata: { path: /tmp/events.feather }\nmodels: [ { name: pop, type: popularity } ]\npipelines: [ { name: p, refresh: stream } ]\n',
      '/tmp/x.yaml',
    );
    expect(s.log!.data.format).toBe('arrow');
  });

  it('reads a .feather file as Arrow IPC (recgap audit used to read it as CSV and fail on its bytes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-feather-'));
    const file = join(dir, 'canonical.feather');
    copyFileSync(new URL('../fixtures/ingest/canonical.arrow', import.meta.url), file);
    const { log } = await readLog(defaultDataSpec(file, formatFromPath(file)));
    expect(log.length).toBeGreaterThan(0);
  });
});
