// The per-event part of the run's report stage: check 04 (windowAudit, the conversion-delay chart's data) on a
// synthetic world, with the quickstart's positives (purchase) and the dense protocol's (view, cart, purchase).
// The rest of the report stage scales with requests, not events (bench/report.ts). Each case also runs the
// reference (the check as first written: events read in entity order, quantiles by sorting) and says whether
// both give the same check. Wall and CPU time, reported, not asserted. Run: node --import tsx bench/windowCheck.ts [persons, default 330000: about 20M events]
import os from 'node:os';
import { Rng } from '../src/util/rng.ts';
import { generateWorld } from '../src/world/generate.ts';
import { DEFAULT_WORLD } from '../src/scenario/worldSpec.ts';
import { windowAudit } from '../src/report/windowCheck.ts';
import { MS } from '../src/util/duration.ts';
import { referenceCheckWindow } from '../src/audit/windowReference.ts';
import { typeMask } from '../src/audit/typeMask.ts';
import { isDeepStrictEqual } from 'node:util';
import { timeStep } from './_stage.ts';

const persons = Number(process.argv[2] ?? 330_000);
const cpu = os.cpus();
console.log(
  `machine: ${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

const time = <T>(label: string, f: () => T) => timeStep(label, f, 44);

const { log } = time(`generate world (${persons.toLocaleString('en-US')} persons)`, () => generateWorld({ ...DEFAULT_WORLD, persons }, Rng.fromSeed(7)));
console.log(`${log.length.toLocaleString('en-US')} events, ${log.dict.key.length.toLocaleString('en-US')} keys`);
const cases: Array<[string, string[], string, number]> = [
  ['purchase, W = 7d (quickstart)', ['purchase'], '7d', 7 * MS.d],
  ['view, cart, purchase, W = 1d (dense protocol)', ['view', 'cart', 'purchase'], '1d', MS.d],
];
for (const [label, positives, window, windowMs] of cases) {
  const results = { scenario: { name: 'bench' }, config: { positives, window, windowMs } };
  const audit = time(`check 04: ${label}`, () => windowAudit(log, results as Parameters<typeof windowAudit>[1]));
  const reference = time('  reference (as first written)', () => referenceCheckWindow(log, { windowMs, positives: typeMask(log, positives) }));
  const check = audit!.checks[0];
  console.log(
    `  ${(check.data as { conversions: number }).conversions.toLocaleString('en-US')} conversions, value ${check.value}; same as the reference: ${isDeepStrictEqual(check, reference) ? 'yes' : 'NO'}`,
  );
}
