// The view -> cart -> purchase funnel and the delay from the last touch to the purchase, measured the same way on
// the source log and on the twin (both with the twin's type names, lens.ts). Each rate needs both of its types
// in the log; a purchases-only log has none of them.
import { NONE, type EventLog } from '../log/eventLog.ts';
import { groupEvents } from '../log/groupIndex.ts';
import { quantile7 } from '../stats/bootstrap.ts';

export interface FunnelStats {
  views: number;
  carts: number;
  purchases: number;
  /** Carts per view (needs both types), purchases per cart, purchases per view; NaN where a type is missing. */
  cartPerView: number;
  purchasePerCart: number;
  purchasePerView: number;
  /** Purchases with an earlier touch (view or cart) of the same item by the same person. */
  touched: number;
  /** Of those, the share whose last touch is in the purchase's own visit. */
  sameVisitShare: number;
  /** Median time from the last touch to the purchase, over purchases in a later visit (ms). */
  laterDelayMedianMs: number;
}

/**
 * Funnel rates and conversion delays. `visit` is the person-visit id per event (activityStats.ts
 * personVisits); types are found by the twin's names (view, cart, purchase; lens.ts).
 *
 * The last touch of a purchase is the latest view or cart of the item by the same person before it, on any key:
 * a purchase in the world follows its cart either in the same session or after an exponential delay
 * (docs/method.md 2.8), so the same-visit share and the delay median fit `sameSession` and `delayMean`.
 *
 * @example
 * funnelStats(log, personVisits(log).visit) // { cartPerView: 0.081, purchasePerCart: 0.34, sameVisitShare: 0.61, ... }
 */
export function funnelStats(log: EventLog, visit: Int32Array): FunnelStats {
  // -2 never matches a type code: a type the log lacks.
  const code = (name: string) => (log.dict.type.includes(name) ? log.dict.type.indexOf(name) : -2);
  const [VIEW, CART, PURCHASE] = [code('view'), code('cart'), code('purchase')];
  let views = 0;
  let carts = 0;
  let purchases = 0;
  for (let i = 0; i < log.length; i++) {
    const t = log.type[i];
    if (t === VIEW) views++;
    else if (t === CART) carts++;
    else if (t === PURCHASE) purchases++;
  }
  const ratio = (a: number, b: number) => (a > 0 && b > 0 ? a / b : NaN);

  // Per person, the time and visit of each item's last touch; stamps avoid clearing the arrays per person.
  const nItems = log.dict.item.length;
  const stamp = new Int32Array(nItems).fill(-1);
  const touchTs = new Float64Array(nItems);
  const touchVisit = new Int32Array(nItems);
  const byPerson = groupEvents(log.person, log.dict.person.length);
  const later: number[] = [];
  let touched = 0;
  let same = 0;
  for (let p = 0; p < byPerson.groups; p++) {
    for (let j = byPerson.offsets[p]; j < byPerson.offsets[p + 1]; j++) {
      const e = byPerson.events[j];
      const item = log.item[e];
      const type = log.type[e];
      if (type === VIEW || type === CART) {
        stamp[item] = p;
        touchTs[item] = log.tsMs[e];
        touchVisit[item] = visit[e];
      } else if (type === PURCHASE && stamp[item] === p) {
        touched++;
        if (touchVisit[item] === visit[e] && visit[e] !== NONE) same++;
        else later.push(log.tsMs[e] - touchTs[item]);
      }
    }
  }
  const sorted = Float64Array.from(later).sort();
  return {
    views,
    carts,
    purchases,
    cartPerView: ratio(carts, views),
    purchasePerCart: ratio(purchases, carts),
    purchasePerView: ratio(purchases, views),
    touched,
    sameVisitShare: touched > 0 ? same / touched : NaN,
    laterDelayMedianMs: sorted.length > 0 ? quantile7(sorted, 0.5) : NaN,
  };
}
