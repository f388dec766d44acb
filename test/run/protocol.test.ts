// The evaluation protocol of docs/method.md section 4, checked against an independent, deliberately naive
// implementation on a real log: UCI Online Retail's customer purchases as a plain CSV.
import { defaultDataSpec } from '../../src/scenario/defaults.ts';
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLog } from '../../src/ingest/readLog.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { loadLog } from '../../src/run/loadLog.ts';
import { runScenario } from '../../src/run/run.ts';
import { silentReporter } from '../../src/util/progress.ts';

const RETAIL = new URL('../../../shared/datasets/online-retail/online_retail.csv.gz', import.meta.url).pathname;
const have = existsSync(RETAIL);
const D = 86_400_000;

describe('evaluation protocol on Online Retail (docs/method.md section 4)', () => {
  it.skipIf(!have)(
    have ? 'popularity frozen metrics equal a naive reference, request by request' : 'SKIPPED: ../shared/datasets/online-retail is absent on this machine',
    async () => {
      // 1. Customer purchases as a plain CSV (time, person, item, event).
      const { log: retail } = await readLog(defaultDataSpec(RETAIL, 'online-retail'));
      const dir = mkdtempSync(join(tmpdir(), 'recgap-protocol-'));
      const csv = join(dir, 'purchases.csv');
      const lines = ['time,person,item,event'];
      for (let i = 0; i < retail.length; i++) {
        if (retail.person[i] < 0) continue;
        lines.push(`${retail.tsMs[i]},${retail.dict.person[retail.person[i]]},${retail.dict.item[retail.item[i]]},purchase`);
      }
      writeFileSync(csv, lines.join('\n') + '\n');

      // 2. recgap: split at a timestamp, W = 28 days, popularity, the frozen view.
      const until = Date.UTC(2011, 9, 1);
      const W = 28 * D;
      const scenario = parseScenario(
        [
          'name: protocol',
          `data: { path: ${csv}, format: csv }`,
          'train: { until: 2011-10-01 }',
          'eval: { k: [10], window: 28d, positives: [purchase], bootstrap: 0 }',
          'models: [ { name: pop, type: popularity } ]',
          'pipelines: [ { name: same, refresh: stream, latency: 0, identity: oracle } ]',
        ].join('\n'),
        'protocol.yaml',
      );
      const { log } = await loadLog(scenario, silentReporter());
      const run = await runScenario(scenario, { log, reporter: silentReporter() });

      // 3. The naive reference: rows, 30-minute sessions per person, requests at session starts.
      const all = readFileSync(csv, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => {
          const [t, person, item] = l.split(',');
          return { t: Number(t), person, item };
        });
      // Rows identical in every column are one event (ingestion drops the repeats as duplicate events).
      const seen = new Set<string>();
      const rows = all.filter((r) => {
        const id = `${r.t},${r.person},${r.item}`;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      rows.sort((a, b) => a.t - b.t); // stable
      const end = rows[rows.length - 1].t;
      const itemIndex = new Map(log.dict.item.map((name, i) => [name, i]));
      const count = new Map<string, number>();
      for (const r of rows) if (r.t < until) count.set(r.item, (count.get(r.item) ?? 0) + 1);
      const ranking = [...itemIndex.keys()].sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0) || itemIndex.get(a)! - itemIndex.get(b)!).slice(0, 10);
      const byPerson = new Map<string, typeof rows>();
      for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
      const last = new Map<string, number>();
      const expected: Array<{ t: number; person: string; hit: number; recall: number; ndcg: number; mrr: number }> = [];
      let candidates = 0;
      let censored = 0;
      let noLabels = 0;
      for (const r of rows) {
        const prev = last.get(r.person);
        last.set(r.person, r.t);
        if (prev !== undefined && r.t - prev < 30 * 60_000) continue; // not a session start
        if (r.t < until) continue;
        candidates++;
        if (r.t + W > end) {
          censored++;
          continue;
        }
        const labels = new Set(
          byPerson
            .get(r.person)!
            .filter((x) => x.t >= r.t && x.t < r.t + W)
            .map((x) => x.item),
        );
        if (labels.size === 0) {
          noLabels++;
          continue;
        }
        const ranks = ranking.map((it, i) => (labels.has(it) ? i + 1 : 0)).filter((x) => x > 0);
        const ideal = Math.min(10, labels.size);
        let idcg = 0;
        for (let i = 1; i <= ideal; i++) idcg += 1 / Math.log2(i + 1);
        expected.push({
          t: r.t,
          person: r.person,
          hit: ranks.length ? 1 : 0,
          recall: ranks.length / ideal,
          ndcg: ranks.reduce((s, k) => s + 1 / Math.log2(k + 1), 0) / idcg,
          mrr: ranks.length ? 1 / ranks[0] : 0,
        });
      }

      // 4. Same requests, same counts, same metrics.
      const req = run.requests;
      expect(run.results.counts).toMatchObject({ candidates, censored, noLabels, requests: expected.length });
      expect(expected.length).toBeGreaterThan(1000);
      const table = run.sources[0].metrics[0];
      for (let q = 0; q < req.length; q++) {
        const e = expected[q];
        expect(req.tsMs[q]).toBe(e.t);
        expect(log.dict.person[req.person[q]]).toBe(e.person);
        // Columns: ndcg, hit, recall, mrr at K = 10 (stored as float32).
        expect(table[q * 4]).toBeCloseTo(e.ndcg, 6);
        expect(table[q * 4 + 1]).toBe(e.hit);
        expect(table[q * 4 + 2]).toBeCloseTo(e.recall, 6);
        expect(table[q * 4 + 3]).toBeCloseTo(e.mrr, 6);
      }
    },
    120_000,
  );
});
