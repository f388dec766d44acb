import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.ts';
import { drawCatalog } from '../../src/world/items.ts';
import { drawPersons } from '../../src/world/persons.ts';
import { DEFAULT_WORLD } from '../../src/scenario/worldSpec.ts';
import { world } from './helpers.ts';

describe('personal taste and popularity', () => {
  // The default catalogue (30 categories, 3 favourites each), fewer persons.
  const spec = { ...DEFAULT_WORLD, persons: 1000, days: 28 };
  const w = world(spec);
  // Re-derive the persons' favourites from the same named streams generateWorld uses.
  const rng = Rng.fromSeed(7);
  const catalog = drawCatalog(spec, rng.fork('items').fork('catalog'));
  const persons = drawPersons(spec, catalog, rng.fork('persons'));

  it('re-derives the same catalogue as the world', () => {
    expect(Array.from(catalog.price)).toEqual(Array.from(w.items.price));
  });

  it("puts most views in the person's favourite categories, far above their popularity share", () => {
    let views = 0;
    let favourite = 0;
    let popularityShare = 0;
    const F = persons.perPerson;
    for (let e = 0; e < w.log.length; e++) {
      if (w.log.type[e] !== 0) continue;
      const p = w.log.person[e];
      const c = w.items.category[w.log.item[e]];
      views++;
      for (let f = 0; f < F; f++) {
        const fav = persons.favorites[p * F + f];
        if (fav === c) favourite++;
        popularityShare += Math.exp(catalog.categoryLogShare[fav]);
      }
    }
    const share = favourite / views;
    const byPopularity = popularityShare / views;
    expect(byPopularity).toBeGreaterThan(0.05);
    expect(byPopularity).toBeLessThan(0.2);
    expect(share).toBeGreaterThan(0.55);
    expect(share).toBeGreaterThan(4 * byPopularity);
  });

  it('still sends a large share of views to popular items', () => {
    const views = new Float64Array(spec.items);
    let total = 0;
    for (let e = 0; e < w.log.length; e++) {
      if (w.log.type[e] !== 0) continue;
      views[w.log.item[e]]++;
      total++;
    }
    const byPopularity = Array.from(w.items.popularity.keys()).sort((a, b) => w.items.popularity[b] - w.items.popularity[a]);
    const top = byPopularity.slice(0, spec.items / 10).reduce((s, i) => s + views[i], 0);
    // The 10% most popular items take far more than 10% of views.
    expect(top / total).toBeGreaterThan(0.4);
  });

  it('favours cheaper items within a category when betaPrice > 0', () => {
    // Correlation of log price with views, controlling for popularity by comparing against the expected
    // views under popularity alone, is negative.
    const views = new Float64Array(spec.items);
    for (let e = 0; e < w.log.length; e++) if (w.log.type[e] === 0) views[w.log.item[e]]++;
    let num = 0;
    let den = 0;
    let meanLog = 0;
    for (let i = 0; i < spec.items; i++) meanLog += Math.log(w.items.price[i]) / spec.items;
    for (let i = 0; i < spec.items; i++) {
      const ratio = Math.log((views[i] + 1) / (w.items.popularity[i] * 1e6));
      num += (Math.log(w.items.price[i]) - meanLog) * ratio;
      den += (Math.log(w.items.price[i]) - meanLog) ** 2;
    }
    expect(num / den).toBeLessThan(0);
  });
});
