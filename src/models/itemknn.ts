// Item-based k nearest neighbours on co-occurrence in persons' training histories (cosine similarity),
// scored from a profile with recency decay. The classic "people who looked at this also looked at that".
import type { FitContext, Model, Profile, SparseScorer } from './model.ts';
import { baselineOrder, topK } from '../util/topk.ts';
import { personItems } from './trainingSets.ts';
import { identityMap, toLogScores, type ItemMap } from './itemMap.ts';
import { popularityPrior } from './ease.ts';
import { f32, weight, type SavedModel } from './artifacts.ts';
import type { EventLog } from '../log/eventLog.ts';
import { knnKernel } from './knnKernel.ts';

export interface ItemKnnOptions {
  /** Neighbours kept per item. */
  neighbors: number;
  /** Profile events lose half their weight every halfLifeMs before the request. */
  halfLifeMs: number;
  /** Shrinkage added to the cosine denominator (damps pairs seen by few persons). */
  shrink: number;
  /** Weight of a profile event by type name; types not listed weigh 1. */
  typeWeights?: Record<string, number>;
}

const DEFAULT_TYPE_WEIGHTS: Record<string, number> = { view: 1, cart: 2, purchase: 2 };

/**
 * Fit item-kNN: sim(i, j) = |P_i ∩ P_j| / (sqrt(|P_i| |P_j|) + shrink) over the sets P_i of persons with
 * any training event on i; sim(i, i) = 1. Score_j = Σ_e w_e sim(item_e, j) over profile events e, with
 * w_e = typeWeight(e) · 2^(-(now - ts_e) / halfLife). Items no neighbour reaches are ordered by training
 * popularity (a prior far below any similarity), which is also what an empty profile gets.
 *
 * Cost: Σ_p |items_p|² for the co-occurrence, computed one item row at a time in O(items) memory.
 *
 * @example
 * const knn = fitItemKnn('knn', ctx, { neighbors: 100, halfLifeMs: 7 * 86400000, shrink: 10 });
 */
export function fitItemKnn(name: string, ctx: FitContext, opts: ItemKnnOptions): Model {
  const { log, trainByPerson } = ctx;
  const nItems = log.dict.item.length;
  const nPersons = trainByPerson.groups;

  // 1. Distinct items per person (CSR) and persons per item.
  const { offsets: piOff, items: pi } = personItems(ctx);
  const degree = new Int32Array(nItems);
  for (let o = 0; o < pi.length; o++) degree[pi[o]]++;
  const ipOff = new Int32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) ipOff[i + 1] = ipOff[i] + degree[i];
  const ip = new Int32Array(pi.length);
  const fill = ipOff.slice(0, nItems);
  for (let p = 0; p < nPersons; p++) for (let o = piOff[p]; o < piOff[p + 1]; o++) ip[fill[pi[o]]++] = p;

  // 2. One row of co-occurrence counts at a time; keep the top neighbours.
  const m = Math.min(opts.neighbors, Math.max(0, nItems - 1));
  const nbr = new Int32Array(nItems * m).fill(-1);
  const sim = new Float32Array(nItems * m);
  const acc = new Float32Array(nItems);
  const touched = new Int32Array(nItems);
  const compactSim = new Float32Array(nItems);
  const picked = new Int32Array(m);
  for (let i = 0; i < nItems; i++) {
    let nt = 0;
    for (let o = ipOff[i]; o < ipOff[i + 1]; o++) {
      const p = ip[o];
      for (let q = piOff[p]; q < piOff[p + 1]; q++) {
        const j = pi[q];
        if (j === i) continue;
        if (acc[j] === 0) touched[nt++] = j;
        acc[j]++;
      }
    }
    if (nt === 0) continue;
    const ids = touched.subarray(0, nt).sort();
    for (let t = 0; t < nt; t++) {
      const j = ids[t];
      compactSim[t] = acc[j] / (Math.sqrt(degree[i] * degree[j]) + opts.shrink);
      acc[j] = 0;
    }
    const got = topK(compactSim.subarray(0, nt), m, picked);
    for (let t = 0; t < got; t++) {
      nbr[i * m + t] = ids[picked[t]];
      sim[i * m + t] = compactSim[picked[t]];
    }
  }

  // 3. Popularity prior for tie-breaking among items no neighbour reaches.
  const config: ItemKnnConfig = {
    neighbors: m,
    halfLifeMs: opts.halfLifeMs,
    shrink: opts.shrink,
    typeWeights: { ...DEFAULT_TYPE_WEIGHTS, ...opts.typeWeights },
  };
  return itemKnnModel(name, log, identityMap(nItems), log.dict.item, { nbr, sim, prior: popularityPrior(degree) }, config);
}

/** What scoring needs besides the weights: the neighbour count kept and the profile weighting. */
export interface ItemKnnConfig {
  neighbors: number;
  halfLifeMs: number;
  shrink: number;
  /** Weight of a profile event by type name; types not listed weigh 1. */
  typeWeights: Record<string, number>;
}

interface KnnWeights {
  /** items x neighbors neighbour indices (model order), -1 past the last neighbour. */
  nbr: Int32Array;
  /** Similarity of each neighbour. */
  sim: Float32Array;
  /** Popularity prior (at most 1e-6) for items no neighbour reaches. */
  prior: Float32Array;
}

/**
 * Bind a saved item-kNN model to `log` through `map` (external item ids).
 *
 * @example
 * const knn = itemKnnFromSaved(readSaved(dir) as SavedModel<ItemKnnConfig>, log, map);
 */
export function itemKnnFromSaved(saved: SavedModel<ItemKnnConfig>, log: EventLog, map: ItemMap): Model {
  const n = saved.items.length;
  const m = saved.config.neighbors;
  const w = { nbr: weight(saved, 'neighbors', [n, m], 'int32') as Int32Array, sim: f32(saved, 'similarity', [n, m]), prior: f32(saved, 'prior', [n]) };
  return itemKnnModel(saved.name, log, map, saved.items, w, saved.config);
}

function itemKnnModel(name: string, log: EventLog, map: ItemMap, itemIds: readonly string[], w: KnnWeights, config: ItemKnnConfig): Model {
  const m = config.neighbors;
  const n = map.nModel;
  const typeWeight = new Float32Array(log.dict.type.length);
  log.dict.type.forEach((t, i) => (typeWeight[i] = config.typeWeights[t] ?? 1));
  const decay = Math.LN2 / config.halfLifeMs;
  const { logToModel } = map;
  const row = map.identity ? null : new Float32Array(n);
  const prior = w.prior;

  /**
   * W_i = Σ over item i's events of w_e into weightOf, the distinct items into distinct[0..k); returns k.
   * A profile repeats items (a view, then a cart of the same item), and the neighbour pass is the costly part,
   * so it runs once per item.
   */
  const itemWeights = (events: Int32Array, nowMs: number, weightOf: Float64Array, distinct: Int32Array): number => {
    // Weights relative to the newest event keep magnitudes sane for old profiles.
    const ref = events.length ? log.tsMs[events[events.length - 1]] : nowMs;
    let k = 0;
    for (let x = 0; x < events.length; x++) {
      const e = events[x];
      const i = logToModel[log.item[e]];
      if (i < 0) continue;
      if (weightOf[i] === 0) distinct[k++] = i;
      weightOf[i] += typeWeight[log.type[e]] * Math.exp(-decay * (ref - log.tsMs[e]));
    }
    return k;
  };

  // The kernel (knnKernel.ts) accumulates Σ_i W_i (e_i + sim(i, ·)) into a scratch row kept at the prior and
  // reports the items reached, in model order; the tables then live in its memory only.
  const kernel = knnKernel(w.nbr, w.sim, prior, m);
  const accumulate = (profile: Profile) => kernel.accumulate(itemWeights(profile.events, profile.nowMs, kernel.weightOf, kernel.distinct));
  /** The full row in model order: the prior, and the kernel's score at every item the profile reaches. */
  const scoreInto = (profile: Profile, dst: Float32Array): void => {
    dst.set(prior);
    const nt = accumulate(profile);
    for (let t = 0; t < nt; t++) dst[kernel.touched[t]] = kernel.scores[kernel.touched[t]];
  };
  // The sparse form is offered in log order only (fitted models: model order = log order).
  const sparse: SparseScorer | undefined = row
    ? undefined
    : {
        baseline: prior,
        order: baselineOrder(prior),
        scores: kernel.scores,
        touched: kernel.touched,
        reached: kernel.reached,
        heap: kernel.heap,
        select: kernel.select,
        score: accumulate,
      };

  return {
    name,
    type: 'itemknn',
    sparse,
    nItems: map.nLog,
    // Recency weights scale every event of a profile by the same factor when nowMs moves, so the
    // ranking depends only on which events the view holds.
    dependsOn: 'events',
    score(profile: Profile, out: Float32Array) {
      if (!row) return scoreInto(profile, out);
      scoreInto(profile, row);
      toLogScores(map, row, 1, out);
    },
    toSaved: () => ({
      type: 'itemknn',
      name,
      items: [...itemIds],
      config,
      weights: [
        { name: 'neighbors', shape: [n, m], data: kernel.nbr },
        { name: 'similarity', shape: [n, m], data: kernel.sim },
        { name: 'prior', shape: [n], data: prior },
      ],
    }),
  };
}
