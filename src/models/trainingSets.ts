// The binary person x item training matrix that co-occurrence models (item-kNN, EASE) start from: each
// person's distinct items among events before the split, as CSR.
import type { FitContext } from './model.ts';

/** Person p's distinct training items are items[offsets[p] .. offsets[p + 1]), in first-seen order. */
export interface PersonItems {
  offsets: Int32Array;
  items: Int32Array;
}

/**
 * Distinct items per person over events with index < trainBound.
 *
 * @example
 * const { offsets, items } = personItems(ctx);
 */
export function personItems(ctx: Pick<FitContext, 'log' | 'trainBound' | 'trainByPerson'>): PersonItems {
  const { log, trainBound, trainByPerson } = ctx;
  const nPersons = trainByPerson.groups;
  const stamp = new Int32Array(log.dict.item.length).fill(-1);
  const offsets = new Int32Array(nPersons + 1);
  const items: number[] = [];
  for (let p = 0; p < nPersons; p++) {
    for (let o = trainByPerson.offsets[p]; o < trainByPerson.offsets[p + 1]; o++) {
      const e = trainByPerson.events[o];
      if (e >= trainBound) break;
      const it = log.item[e];
      if (stamp[it] !== p) {
        stamp[it] = p;
        items.push(it);
      }
    }
    offsets[p + 1] = items.length;
  }
  return { offsets, items: Int32Array.from(items) };
}
