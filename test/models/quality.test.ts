// The learned models against the popularity baseline on the small world, end to end through the
// scenario (YAML -> normalized spec -> fitModel -> replay), with default options.
import { describe, expect, it } from 'vitest';
import { runSmall } from '../helpers.ts';

describe('learned models beat popularity offline on the small world', () => {
  it('ease, mf and gru4rec each beat popularity on frozen NDCG@10 by a clear margin', async () => {
    const { results } = await runSmall({
      models: '[ { name: pop, type: popularity }, { name: ease, type: ease }, { name: mf, type: mf }, { name: gru, type: gru4rec } ]',
    });
    const frozen = (model: string) => results.results.find((r) => r.model === model)!.metrics['ndcg@10'].frozen;
    const pop = frozen('pop');
    for (const model of ['ease', 'mf', 'gru']) {
      const m = frozen(model);
      // Measured on seed 11: pop 0.18, ease 0.37, mf 0.37, gru 0.38.
      expect(m.mean - pop.mean, model).toBeGreaterThan(0.1);
      expect(m.lo, model).toBeGreaterThan(pop.hi);
    }
  }, 300_000);
});
