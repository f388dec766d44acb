// Where a request's profile comes from: the frozen offline snapshot, or a serving configuration.
import type { EventLog } from '../log/eventLog.ts';
import { groupPrefix, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { ServedViews, type ViewIndexes } from '../pipeline/servedView.ts';
import type { ServingConfig } from '../pipeline/serving.ts';

export interface SourceView {
  events: Int32Array;
  /** Views with the same (cutMs, cluster) hold the same events; NaN cutMs = never shared. */
  cutMs: number;
  cluster: number;
}

export interface ViewSource {
  view(tMs: number, key: number, person: number): SourceView;
}

/** The frozen view: all of the person's events with ts < t, identity resolved perfectly, all channels. */
export function frozenSource(log: EventLog, byPerson: GroupIndex): ViewSource {
  return {
    view(tMs, _key, person) {
      return { events: groupPrefix(byPerson, person, lowerBoundTime(log.tsMs, tMs)), cutMs: NaN, cluster: person };
    },
  };
}

/** What production serves under `config`. */
export function servedSource(log: EventLog, config: ServingConfig, idx: ViewIndexes): ViewSource {
  const views = new ServedViews(log, config, idx);
  return { view: (tMs, key, person) => views.view(tMs, key, person) };
}
