// `recgap audit` end to end on logs written the way users bring them.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, auditJson, GAP_FAIL } from '../../src/jobs/audit.ts';
import { generateJob } from '../../src/jobs/runJob.ts';
import { smallScenario, smallScenarioYaml } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';

describe('runAudit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-audit-'));
    await generateJob(smallScenario(), join(dir, 'fragmented.csv'));
    await generateJob(smallScenario({ identity: 'none' }), join(dir, 'whole.csv'));
    writeFileSync(join(dir, 'small.yaml'), smallScenarioYaml());
  });

  it('runs the four checks on a CSV log and prints the documented JSON shape', async () => {
    const report = await runAudit({ input: join(dir, 'fragmented.csv') });
    expect(report.checks.map((c) => c.id)).toEqual(['01', '02', '03', '04']);
    expect(report.settings).toEqual({ refresh: '7d', latency: '6h', window: '7d', positives: ['purchase'] });
    const json = JSON.parse(auditJson(report));
    for (const c of json.checks) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'name', 'verdict', 'value', 'threshold', 'detail']));
      expect(['pass', 'warn', 'fail']).toContain(c.verdict);
    }
    const gap = report.checks[2];
    expect(gap.threshold).toBe(GAP_FAIL);
    expect(gap.value).toBeGreaterThan(0);
    expect(gap.data.fragmentationInjected).toBe(false);
  });

  it('injects fragmentation for check 03 when every person has one key', async () => {
    const report = await runAudit({ input: join(dir, 'whole.csv'), refreshMs: 'stream', latencyMs: 0 });
    expect(report.checks[2].data.fragmentationInjected).toBe(true);
    expect(report.checks[2].detail).toContain('fragmentation injected');
    // Streaming with no latency: what age remains is the time since the key's last visit, which no
    // pipeline can remove, so the served age equals the streaming floor and stays under the drift window.
    const fresh = report.checks[0];
    const d = fresh.data as { ageMs: { p50: number }; streamAgeMs: { p50: number } };
    expect(d.ageMs.p50).toBe(d.streamAgeMs.p50);
    expect(fresh.verdict).not.toBe('fail');
  });

  it('audits a scenario, taking refresh, latency and window from it', async () => {
    const report = await runAudit({ input: join(dir, 'small.yaml') });
    expect(report.settings).toEqual({ refresh: '7d', latency: '6h', window: '5d', positives: ['purchase'] });
  });

  it('names a missing file and an unknown positive type', async () => {
    await expect(runAudit({ input: join(dir, 'nope.csv') })).rejects.toThrow(InputError);
    await expect(runAudit({ input: join(dir, 'whole.csv'), positives: ['refund'] })).rejects.toThrow('no event type "refund" in the log (it has');
  });
});
