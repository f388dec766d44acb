// `recgap gate`: the release decision from the paired served difference, its words, and its inputs.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MARGIN, GATE_EXIT, gateJob, gateMarkdown, gateText, runGate, type GateReport } from '../../src/jobs/gate.ts';
import { estimateMemory, memoryInput } from '../../src/jobs/memoryEstimate.ts';
import { formatBytes } from '../../src/jobs/resources.ts';
import { prepareScenario } from '../../src/jobs/runJob.ts';
import { smallScenarioYaml } from '../helpers.ts';
import { jobMsg } from '../../src/jobs/messages.ts';
import { InputError } from '../../src/errors.ts';
import { inProcess } from '../cliHelpers.ts';
import { metricKeys } from '../../src/eval/metrics.ts';
import { spawnSync } from 'node:child_process';

// A world small enough that a close candidate cannot be told apart: 400 persons, 60 with requests.
const TINY = `name: tiny
seed: 3
world: { persons: 400, items: 300, categories: 10, days: 30, drift: { kappa: 0.5 } }
train: { until: "70%" }
eval: { k: [10], window: 5d, positives: [purchase], bootstrap: 300 }
models: [ { name: knn, type: itemknn }, { name: knn-copy, type: itemknn }, { name: knn50, type: itemknn, neighbors: 50 }, { name: recent, type: recency-popularity } ]
pipelines:
  - { name: weekly, refresh: 7d, latency: 6h, identity: key }
  - { name: daily, refresh: 1d, latency: 1h, identity: login }
`;

describe('recgap gate', () => {
  let dir: string;
  let scenario: string;
  const gate = (candidate: string, extra: Partial<Parameters<typeof runGate>[0]> = {}) => runGate({ input: scenario, baseline: 'knn', candidate, ...extra });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'recgap-gate-'));
    scenario = join(dir, 'tiny.yaml');
    writeFileSync(scenario, TINY);
  });

  it('passes the same model as the baseline with a difference of exactly 0 under every view', async () => {
    const g = await gate('knn-copy');
    expect(g.decision).toBe('pass');
    for (const d of [g.offline, ...g.pipelines]) expect(d.difference).toEqual({ mean: 0, lo: 0, hi: 0 });
    expect(g.pipeline).toBe('weekly');
    expect(g.pipelines.map((p) => p.view)).toEqual(['weekly', 'daily']);
    expect(g.margin).toBe(DEFAULT_MARGIN);
    expect(g.disagreement).toBe('');
    expect(g.personsNeeded).toBeNull();
  });

  it('fails a candidate that is worse as served, by more than the margin', async () => {
    const g = await gate('recent');
    expect(g.decision).toBe('fail');
    expect(g.served.difference.hi).toBeLessThan(-DEFAULT_MARGIN);
    expect(gateText(g).split('\n')[0]).toBe(
      `gate: FAIL: ${jobMsg.gateFail(`ndcg@10 under weekly, recent - knn = ${g.served.difference.mean.toFixed(4)}`, 95, g.served.difference.hi, DEFAULT_MARGIN)}`,
    );
  });

  it('is inconclusive when the interval contains -margin, and says how many persons would answer', async () => {
    const g = await gate('knn50');
    const { mean, lo, hi } = g.served.difference;
    expect(g.decision).toBe('inconclusive');
    expect(lo).toBeLessThanOrEqual(-DEFAULT_MARGIN);
    expect(hi).toBeGreaterThanOrEqual(-DEFAULT_MARGIN);
    // Half-width shrinks as 1/sqrt(persons): persons x (half / distance to -margin)^2.
    expect(g.personsNeeded).toBe(Math.ceil(g.persons * ((hi - lo) / 2 / Math.abs(mean + DEFAULT_MARGIN)) ** 2));
    expect(g.personsNeeded!).toBeGreaterThan(g.persons);
  });

  it('decides on the named pipeline, and a wider margin turns the close candidate into a pass', async () => {
    const daily = await gate('knn50', { pipeline: 'daily' });
    expect(daily.pipeline).toBe('daily');
    expect(daily.served.view).toBe('daily');
    const wide = await gate('knn50', { margin: 0.05 });
    expect(wide.decision).toBe('pass');
  });

  it('reads a finished run folder and decides as the scenario run does', async () => {
    const out = join(dir, 'out');
    const r = await inProcess(['run', scenario, '--out', out, '--quiet'], dir);
    expect(r.status).toBe(0);
    const fromRun = await runGate({ input: join(out, 'tiny'), baseline: 'knn', candidate: 'recent' });
    const fromScenario = await gate('recent');
    expect(fromRun.decision).toBe(fromScenario.decision);
    // requests.parquet holds the values at full precision: the same means and differences exactly (the
    // intervals differ: a run folder clusters on hashed person ids, the scenario run on person indexes).
    for (const view of ['served', 'offline'] as const) {
      const [a, b] = [fromRun[view], fromScenario[view]];
      expect([a.baseline, a.candidate, a.difference.mean]).toEqual([b.baseline, b.candidate, b.difference.mean]);
    }
  });

  it.each([
    [{ candidate: 'knn' }, jobMsg.gateSameModel('knn')],
    [{ candidate: 'nope' }, null],
    [{ candidate: 'recent', pipeline: 'hourly' }, jobMsg.gateUnknownPipeline('hourly', ['weekly', 'daily'])],
    [{ candidate: 'recent', metric: 'ndcg@5' }, jobMsg.gateUnknownMetric('ndcg@5', metricKeys([10]))],
    [{ candidate: 'recent', margin: -1 }, jobMsg.gateMargin('-1')],
  ] as const)('refuses %o', async (o, message) => {
    const p = runGate({ input: scenario, baseline: 'knn', ...o });
    await expect(p).rejects.toThrow(InputError);
    if (message) await expect(p).rejects.toThrow(message);
    else await expect(p).rejects.toThrow(jobMsg.gateUnknownModel('nope', scenario, ['knn', 'knn-copy', 'knn50', 'recent']));
  });

  it('exits 0, 3 and 4 from the command line and writes gate.md and gate.json', async () => {
    const out = join(dir, 'cli');
    const run = (candidate: string) => inProcess(['gate', scenario, '--baseline', 'knn', '--candidate', candidate, '--out', out, '--quiet'], dir);
    expect((await run('knn-copy')).status).toBe(GATE_EXIT.pass);
    expect((await run('knn50')).status).toBe(GATE_EXIT.inconclusive);
    const fail = await run('recent');
    expect(fail.status).toBe(GATE_EXIT.fail);
    expect(fail.stdout).toContain(`written: ${join(out, 'tiny-gate')}/gate.md`);
    const md = readFileSync(join(out, 'tiny-gate', 'gate.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## ❌ recgap gate: fail (`recent` vs `knn`)');
    expect(md).toContain('| served: `weekly` (production) |');
    const json = JSON.parse(readFileSync(join(out, 'tiny-gate', 'gate.json'), 'utf8')) as GateReport;
    expect(json).toMatchObject({ version: 'recgap.gate/1', decision: 'fail' });
    expect(JSON.parse(readFileSync(join(out, 'tiny-gate', '.recgap-output'), 'utf8'))).toMatchObject({ kind: 'gate', files: ['gate.json', 'gate.md'] });
    // A folder recgap did not write is refused before the scenario runs, and left as it was.
    mkdirSync(join(dir, 'mine', 'tiny-gate'), { recursive: true });
    writeFileSync(join(dir, 'mine', 'tiny-gate', 'notes.txt'), 'mine');
    const refused = await inProcess(['gate', scenario, '--baseline', 'knn', '--candidate', 'recent', '--out', join(dir, 'mine')], dir);
    expect(refused.status).toBe(2);
    expect(readFileSync(join(dir, 'mine', 'tiny-gate', 'notes.txt'), 'utf8')).toBe('mine');
    const bad = await inProcess(['gate', scenario, '--baseline', 'knn', '--candidate', 'recent', '--margin', 'x'], dir);
    expect(bad.status).toBe(2);
  });
});

describe('gate words', () => {
  const d = (view: string, mean: number, lo: number, hi: number) => ({
    view,
    baseline: 0.3,
    candidate: 0.3 + mean,
    difference: { mean, lo, hi },
    pValue: 0.01,
  });
  const base: GateReport = {
    version: 'recgap.gate/1',
    decision: 'fail',
    reason: '',
    scenario: 's',
    baseline: 'prod',
    candidate: 'cand',
    metric: 'ndcg@10',
    pipeline: 'weekly-batch',
    margin: 0.005,
    level: 0.95,
    requests: 1000,
    persons: 400,
    personsNeeded: null,
    offline: d('frozen', 0.02, 0.01, 0.03),
    served: d('weekly-batch', -0.02, -0.03, -0.01),
    pipelines: [d('weekly-batch', -0.02, -0.03, -0.01)],
    disagreement: jobMsg.gateDisagree('cand', 'wins', 'loses', 'weekly-batch'),
  };

  it('says plainly when the candidate wins offline and loses served', () => {
    expect(base.disagreement).toBe('Offline and served disagree: cand wins offline and loses served under weekly-batch.');
    const md = gateMarkdown(base);
    expect(md).toContain('| offline (frozen view) | 0.3000 | 0.3200 | 0.0200 [0.0100, 0.0300] | 0.010 |');
    expect(md).toContain('**Offline and served disagree: cand wins offline and loses served under weekly-batch.**');
  });
});

describe('the example GitHub Actions workflow', () => {
  it('calls recgap gate with flags the command knows, and posts the gate.md it writes', async () => {
    const { parse } = await import('yaml');
    const wf = parse(readFileSync(resolve(import.meta.dirname, '../../docs/examples/github-actions-gate.yml'), 'utf8'));
    const steps: Array<{ run?: string }> = wf.jobs.gate.steps;
    const line = steps
      .map((s) => s.run ?? '')
      .join('\n')
      .split('\n')
      .find((l) => l.includes('recgap gate'))!;
    const args = line.trim().split(/\s+/);
    expect(args.slice(0, 3)).toEqual(['npx', 'recgap', 'gate']);
    const flags = args.filter((a) => a.startsWith('--')).map((a) => a.slice(2));
    const bin = resolve(import.meta.dirname, '../../bin/recgap.js');
    const help = spawnSync(process.execPath, [bin, 'gate', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const f of flags) expect(help.stdout, f).toContain(`--${f}`);
    const scenario = args[3].replace(/^.*\//, '').replace(/\.yaml$/, '');
    const out = args[args.indexOf('--out') + 1];
    expect(steps.map((s) => s.run ?? '').join('\n')).toContain(`--body-file ${out}/${scenario}-gate/gate.md`);
  });
});

describe('the gate checks memory again once its requests are planned', () => {
  it('a dense protocol that passes the check from the scenario alone is refused before the replay, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-gate-memory-'));
    const file = join(dir, 'dense.yaml');
    writeFileSync(file, smallScenarioYaml({ persons: 600, eval: '{ k: [10], window: 1d, positives: [view, cart, purchase], bootstrap: 50 }' }));
    const scenario = prepareScenario(file, []);
    const before = estimateMemory(memoryInput(scenario), { workers: 1 });
    // Room for the scenario's first estimate, not for the requests a dense protocol plans.
    const budget = { availableBytes: before.bytes + 2 ** 20, hostAvailableBytes: before.bytes + 2 ** 20, cgroup: null, ownBytes: 0 };
    const trace = join(dir, 'trace.jsonl');
    process.env.RECGAP_MEMORY_TRACE = trace;
    try {
      const error = await gateJob({ input: file, baseline: 'pop', candidate: 'knn', outDir: join(dir, 'out'), budget }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      const lines = readFileSync(trace, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { bytes: number; parts: { requests: number } });
      expect(lines).toHaveLength(2);
      expect(lines[0].bytes).toBe(before.bytes);
      expect(lines[1].parts.requests).toBeGreaterThan(0);
      expect(lines[1].bytes).toBeGreaterThan(budget.availableBytes);
      expect((error as Error).message.startsWith(`this run needs about ${formatBytes(lines[1].bytes)} of memory (`)).toBe(true);
      expect(existsSync(join(dir, 'out', 'small-gate'))).toBe(false);
    } finally {
      delete process.env.RECGAP_MEMORY_TRACE;
    }
  });
});
