// Where a request's profile comes from: the frozen offline snapshot, or a serving configuration.
import type { EventLog } from '../log/eventLog.ts';
import { groupEvents, groupPrefix, lowerBoundTime, type GroupIndex } from '../log/groupIndex.ts';
import { buildViewIndexes, ServedViews, type ViewIndexes } from '../pipeline/servedView.ts';
import type { ServingConfig } from '../pipeline/serving.ts';

export interface SourceView {
  events: Int32Array;
  /** Views with the same (cutMs, cluster) hold the same events; NaN cutMs = never shared. */
  cutMs: number;
  cluster: number;
  /** The request key has no event before the cut in the profile store (served views only). */
  unknownKey?: boolean;
}

export interface ViewSource {
  /** The view of a request at tMs by `key` of `person` that carries `login` (-1: none). */
  view(tMs: number, key: number, person: number, login: number): SourceView;
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
  return { view: (tMs, key, person, login) => views.view(tMs, key, person, login) };
}

/**
 * View indexes per channel set, built once and shared by every configuration with that set. `byKey`, when
 * given, is the all-channel key index (a worker thread takes the main thread's instead of building its own).
 *
 * @example
 * const indexOf = viewIndexesOf(log, byPerson);
 * servedSource(log, cfg, indexOf(cfg));
 */
export function viewIndexesOf(log: EventLog, byPerson: GroupIndex, byKey?: GroupIndex): (cfg: ServingConfig) => ViewIndexes {
  const indexes = new Map<string, ViewIndexes>();
  if (byKey) indexes.set('all', { byKey, byPerson });
  return (cfg) => {
    const chKey = cfg.channels ? cfg.channels.join(',') : 'all';
    let idx = indexes.get(chKey);
    if (!idx) {
      idx = cfg.channels ? buildViewIndexes(log, cfg.channels) : { byKey: groupEvents(log.key, log.dict.key.length), byPerson };
      indexes.set(chKey, idx);
    }
    return idx;
  };
}
