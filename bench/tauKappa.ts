// How the fitted relevance-loss time scale tau moves with the drift rate kappa: oracle-identity worlds that
// differ only in kappa, item-kNN served through weekly and fortnightly refreshes (lags spread over 0-14 days
// by phase averaging), tau fitted against the pipeline lag.
//   node --import tsx bench/tauKappa.ts [persons] [kappa ...]
import { parseScenario } from '../src/scenario/load.ts';
import { runScenario } from '../src/run/run.ts';
import { silentReporter } from '../src/util/progress.ts';

const persons = Number(process.argv[2] ?? 10000);
const kappas = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [0.1, 0.25, 0.5, 1, 2];
const D = 864e5;
console.log('kappa  1/kappa(d)  pipeline  gap     L_inf   tau(d)  tau*kappa  n      empty');
for (const kappa of kappas) {
  const yaml = `
name: tau-kappa
seed: 7
world: { persons: ${persons}, items: 3000, days: 56, drift: ${kappa === 0 ? 'none' : `{ kappa: ${kappa}, scale: ${process.env.SCALE ?? 1} }`}, identity: none }
train: { until: "65%" }
eval: { k: [10], window: 7d, positives: [purchase], bootstrap: 0 }
models: [ { name: knn, type: itemknn } ]
pipelines:
  - { name: weekly, refresh: 7d, latency: 0, identity: oracle }
  - { name: fortnightly, refresh: 14d, latency: 0, identity: oracle }
  - { name: lag3d, refresh: stream, latency: 3d, identity: oracle }
`;
  const run = await runScenario(parseScenario(yaml, 'tau.yaml'), { reporter: silentReporter() });
  for (const r of run.results.results) {
    const f = r.lagCurve.fit;
    const line = [
      kappa.toFixed(2).padEnd(5),
      (1 / kappa).toFixed(2).padStart(10),
      r.pipeline.padEnd(11),
      r.metrics['ndcg@10'].gap.mean.toFixed(4),
      f.lInf.toFixed(4),
      (f.tauMs / D).toFixed(2).padStart(6),
      ((f.tauMs / D) * kappa).toFixed(2).padStart(9),
      String(f.n).padStart(6),
      String(f.nEmpty).padStart(6),
    ];
    console.log(line.join('  ') + (f.tauAtBound ? '  (at bound)' : ''));
  }
}
