// `recgap audit` end to end on logs written the way users bring them.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, auditJson, GAP_FAIL, GAP_WARN } from '../../src/jobs/audit.ts';
import { verdictWithin } from '../../src/audit/checks.ts';
import { generateJob } from '../../src/jobs/runJob.ts';
import { smallScenario, smallScenarioYaml } from '../helpers.ts';
import { InputError } from '../../src/errors.ts';
import { auditMsg } from '../../src/audit/messages.ts';

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
    // The verdict is the relative gap's interval against the thresholds, printed with it.
    const rel = gap.data.relativeGap as { mean: number; lo: number; hi: number };
    expect(rel.mean).toBe(gap.value);
    expect(gap.verdict).toBe(verdictWithin(rel, GAP_WARN, GAP_FAIL));
    expect(gap.detail).toContain(`[${(100 * rel.lo).toFixed(1)}%, ${(100 * rel.hi).toFixed(1)}%]`);
  });

  it('injects fragmentation for check 03 when every person has one key', async () => {
    const report = await runAudit({ input: join(dir, 'whole.csv'), refreshMs: 'stream', latencyMs: 0 });
    expect(report.checks[2].data.fragmentationInjected).toBe(true);
    expect(report.checks[2].detail).toContain('fragmentation injected');
    // Streaming with no latency: what age remains is the time since the key's last visit, which no
    // pipeline can remove: the pipeline lag is 0, so 01 passes, as 03's staleness share of 0 says.
    const fresh = report.checks[0];
    const d = fresh.data as { ageMs: { p50: number }; inactivityMs: { p50: number }; lagMs: { p50: number; p90: number } };
    expect(d.ageMs.p50).toBe(d.inactivityMs.p50);
    expect(d.lagMs).toMatchObject({ p50: 0, p90: 0 });
    expect(fresh.verdict).toBe('pass');
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

describe('checks the log cannot answer are unknown, and the others still run', () => {
  it('02 is unknown without device keys, 04 with only purchases, 03 without requests; none aborts the audit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-audit-unknown-'));
    // Nine days of purchases only, one key per person: no devices, no touches before a purchase, and a 7-day
    // window that leaves almost no request after the 75% split.
    const lines = ['time,person,item,event'];
    for (let p = 0; p < 60; p++) for (let d = 0; d < 9; d++) lines.push(`${Date.UTC(2024, 0, 1 + d, p % 24)},p${p},i${(p * 7 + d) % 40},purchase`);
    const file = join(dir, 'purchases.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await runAudit({ input: file, windowMs: 7 * 864e5 });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(report.checks.map((c) => c.id)).toEqual(['01', '02', '03', '04']);
    expect(byId['02']).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('one key per person') });
    expect(byId['04']).toMatchObject({ verdict: 'unknown', reason: auditMsg.conversionsOnly(['purchase']) });
    expect(byId['03']).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('no requests to evaluate') });
    for (const c of report.checks) expect(c.verdict).not.toBe('pass');
    expect(JSON.parse(auditJson(report)).checks[1]).toMatchObject({ verdict: 'unknown', value: null });
  });
});

describe('audit as a CI gate and with the scenario settings', () => {
  it('--fail-on exits 3 when a check reaches the level, 0 otherwise; unknown counts as a warning', async () => {
    const { auditExitCode, AUDIT_FAIL_EXIT } = await import('../../src/jobs/audit.ts');
    const report = (...verdicts: string[]) => ({ checks: verdicts.map((verdict) => ({ verdict })) }) as unknown as Parameters<typeof auditExitCode>[0];
    expect(AUDIT_FAIL_EXIT).toBe(3);
    expect(auditExitCode(report('pass', 'warn', 'pass', 'pass'), undefined)).toBe(0);
    expect(auditExitCode(report('pass', 'warn', 'pass', 'pass'), 'fail')).toBe(0);
    expect(auditExitCode(report('pass', 'warn', 'pass', 'pass'), 'warn')).toBe(3);
    expect(auditExitCode(report('pass', 'unknown', 'pass', 'pass'), 'warn')).toBe(3);
    expect(auditExitCode(report('pass', 'unknown', 'pass', 'pass'), 'fail')).toBe(0);
    expect(auditExitCode(report('fail', 'pass', 'pass', 'pass'), 'fail')).toBe(3);
  });

  it('the CLI returns that code after printing the report', async () => {
    const { inProcess } = await import('../cliHelpers.ts');
    const dir = mkdtempSync(join(tmpdir(), 'recgap-audit-gate-'));
    const lines = ['time,person,item,event'];
    for (let p = 0; p < 60; p++) for (let d = 0; d < 9; d++) lines.push(`${Date.UTC(2024, 0, 1 + d, p % 24)},p${p},i${(p * 7 + d) % 40},purchase`);
    writeFileSync(join(dir, 'p.csv'), lines.join('\n') + '\n');
    const gated = await inProcess(['audit', 'p.csv', '--fail-on', 'warn', '--quiet'], dir);
    expect(gated.status).toBe(3);
    expect(gated.stdout).toContain('UNKNOWN');
    expect((await inProcess(['audit', 'p.csv', '--quiet'], dir)).status).toBe(0);
  });

  it('check 03 takes the scenario split, positives, window and excludeSeen', async () => {
    const scenario = smallScenarioYaml({ eval: '{ k: [10], window: 4d, positives: [purchase, cart], excludeSeen: view, bootstrap: 50 }' }).replace(
      'train: { until: "70%" }',
      'train: { until: "65%" }',
    );
    const dir = mkdtempSync(join(tmpdir(), 'recgap-audit-scn-'));
    writeFileSync(join(dir, 'small.yaml'), scenario);
    const report = await runAudit({ input: join(dir, 'small.yaml') });
    const gap = report.checks[2];
    expect(report.settings).toMatchObject({ window: '4d', positives: ['purchase', 'cart'] });
    expect(gap.verdict).not.toBe('unknown');
    expect(gap.data).toMatchObject({ until: '"65%"', excludeSeen: 'view' });
  });
});

describe('audit options for a bare file', () => {
  it('--columns maps the file, --split and --exclude-seen set check 03; a bad --columns is one line, exit 2', async () => {
    const { inProcess } = await import('../cliHelpers.ts');
    const dir = mkdtempSync(join(tmpdir(), 'recgap-audit-cols-'));
    // A generated log with its columns renamed.
    await generateJob(smallScenario({ persons: 600 }), join(dir, 'g.csv'));
    const [header, ...rows] = readFileSync(join(dir, 'g.csv'), 'utf8').trimEnd().split('\n');
    const renamed = header.replace(/^time,person,key/, 'ts,user_id,device');
    writeFileSync(join(dir, 'renamed.csv'), [renamed, ...rows].join('\n') + '\n');
    const out = await inProcess(
      ['audit', 'renamed.csv', '--columns', 'time=ts,person=user_id,key=device', '--split', '60%', '--exclude-seen', 'person', '--json', '--quiet'],
      dir,
    );
    expect(out.status).toBe(0);
    const gap = JSON.parse(out.stdout).checks[2];
    expect(gap.data).toMatchObject({ until: '"60%"', excludeSeen: 'person' });
    const bad = await inProcess(['audit', 'renamed.csv', '--columns', 'when=ts'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'recgap: --columns takes field=column pairs separated by commas, fields from time, person, key, login, session, item, event, value, channel, ip, userAgent, geo (got "when=ts")',
    );
  });

  it("a catalogue no larger than check 03's K gets a warning that says what the gap then measures (issue 17 item 9)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-audit-items-'));
    await generateJob(smallScenario({ persons: 600 }), join(dir, 'g.csv'));
    // Eight items: every ranking lists them all.
    const rows = readFileSync(join(dir, 'g.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((r, i) => (i === 0 ? r : r.replace(/,i(\d+),/, (_m, n) => `,i${Number(n) % 8},`)));
    writeFileSync(join(dir, 'eight-items.csv'), rows.join('\n') + '\n');
    const report = await runAudit({ input: join(dir, 'eight-items.csv') });
    expect(report.warnings).toEqual([auditMsg.gapKBeyondCatalogue(10, 8)]);
    expect((await runAudit({ input: join(dir, 'g.csv') })).warnings).toEqual([]);
  });
});
