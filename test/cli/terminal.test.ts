// Issue 17 item 8, through the CLI: ids and file names from a log holding an OSC title sequence
// ("\x1b]0;pwned\x07"), an SGR colour ("\x1b[31m") or an 8-bit CSI ("\u009b") reach stdout and stderr escaped,
// in error messages, progress lines and summaries alike.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobMsg } from '../../src/jobs/messages.ts';
import { escapeControls } from '../../src/util/terminal.ts';
import { inProcess } from '../cliHelpers.ts';
import { smallScenarioYaml } from '../helpers.ts';

/** Any C0 control but line feed, DEL, or C1 control. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
const OSC = '\x1b]0;pwned\x07';
const SGR = '\x1b[31m';
const CSI8 = '\u009b2J';

describe('control characters from a log are escaped in everything the CLI prints', () => {
  let dir: string;
  const logName = `events${OSC}.csv`;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-terminal-'));
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${1_700_000_000_000 + i * 3_600_000},p${OSC}${i % 4},i${SGR}${i % 6},${i % 5 === 0 ? `buy${CSI8}` : 'view'}`,
    );
    writeFileSync(join(dir, logName), `time,person,item,event\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml({ persons: 300 }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an error naming ids from the log (audit --positives)', async () => {
    const r = await inProcess(['audit', logName, '--positives', SGR], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`recgap: ${escapeControls(jobMsg.unknownPositive(SGR, ['view', `buy${CSI8}`]))}\n`);
    expect(r.stderr).toContain('\\x1b[31m');
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });

  it("an audit's progress lines and report name the file escaped", async () => {
    const r = await inProcess(['audit', logName, '--positives', `buy${CSI8}`], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`audit of events\\x1b]0;pwned\\x07.csv: 40 events`);
    expect(r.stdout).toContain('positives buy\\u009b2J');
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });

  it("a run's progress lines, drop report and summary", async () => {
    // A generated log whose person ids carry the OSC sequence and item ids the SGR colour, with a few rows of an
    // event type holding an 8-bit CSI (dropped as unknown: the scenario maps view, cart and purchase only).
    expect((await inProcess(['generate', 'small.yaml', '--out', 'clean.csv', '--quiet'], dir)).status).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, 'clean.csv'), 'utf8').trimEnd().split('\n');
    const marked = rows.map((r, i) => {
      const f = r.split(',');
      f[1] = `${OSC}${f[1]}`;
      f[6] = `${f[6]}${SGR}`;
      if (i % 500 === 7) f[7] = `buy${CSI8}`;
      return f.join(',');
    });
    writeFileSync(join(dir, `data${OSC}.csv`), `${header}\n${marked.join('\n')}\n`);
    writeFileSync(
      join(dir, 'data.yaml'),
      smallScenarioYaml({ persons: 300 }).replace(
        /^world: .*$/m,
        `data: { path: "data\\e]0;pwned\\a.csv", eventMap: { view: view, cart: cart, purchase: purchase } }`,
      ),
    );
    const r = await inProcess(['run', 'data.yaml', '--out', 'out'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/read log: [\d,]+ events from \S*data\\x1b\]0;pwned\\x07\.csv \([\d,]+ rows dropped: [\d,]+ unknown event type "buy\\u009b2J"\)/);
    expect(r.stdout).toMatch(/^small: [\d,]+ events/);
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });
});
