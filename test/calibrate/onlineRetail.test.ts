// The calibration goal on a real log: UCI Online Retail (purchases only, one key per customer). Every matched
// statistic within 10%, the visits' spread and one-visit share included (lognormal activity with one-off
// persons); the funnel and the identity listed as not measured; the audit's four verdicts equal on the log and
// on its twin.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATION_TOLERANCE } from '../../src/calibrate/validation.ts';
import { calibrateJob } from '../../src/jobs/calibrate.ts';

const RETAIL = new URL('../../../shared/datasets/online-retail/online_retail.csv.gz', import.meta.url).pathname;
const have = existsSync(RETAIL);

describe('calibrate on Online Retail', () => {
  it.skipIf(!have)(
    have
      ? 'every matched statistic within 10%, activity lognormal, funnel and identity not measured, verdicts equal'
      : 'SKIPPED: ../shared/datasets/online-retail is absent on this machine',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'recgap-calibrate-retail-'));
      const { report } = await calibrateJob({ input: RETAIL, format: 'online-retail', out: join(dir, 'twin.yaml') });
      const matched = report.statistics.filter((r) => r.status === 'matched');
      // Visits per person are more spread than any Gamma-Poisson activity can make them at this mean (a few
      // wholesalers with hundreds of invoices, thousands of one-off guest checkouts): activity is lognormal with
      // one-off persons, and the spread and the one-visit share are matched too.
      expect(matched.filter((r) => r.error > VALIDATION_TOLERANCE).map((r) => r.name)).toEqual([]);
      expect(matched.map((r) => r.name)).toEqual([
        'persons',
        'items',
        'events',
        'days',
        'visitsPerPerson',
        'visitsCv',
        'oneVisitShare',
        'eventsPerVisit',
        'zipf',
        'tauDays',
      ]);
      const twin = readFileSync(join(dir, 'twin.yaml'), 'utf8');
      expect(twin).toMatch(/^ {4}tail: lognormal # measured: /m);
      expect(twin).not.toContain('heterogeneity:');
      expect(twin).not.toContain('at its bound');
      // Purchases only and no device keys: funnel and identity are listed, not matched.
      expect(report.notMeasured.map((k) => k.setting)).toEqual([
        'funnel.cart',
        'funnel.purchase',
        'funnel.sameSession',
        'funnel.delayMean',
        'identity.devices',
        'identity.loginRate',
        'identity.sharedDevices',
      ]);
      expect(report.audit.checks.map((c) => [c.id, c.log, c.twin])).toEqual([
        ['01', 'pass', 'pass'],
        ['02', 'unknown', 'unknown'],
        ['03', 'fail', 'fail'],
        ['04', 'unknown', 'unknown'],
      ]);
    },
    300_000,
  );
});
