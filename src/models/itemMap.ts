// Maps between a model's item order and the log's item indices. A fitted model uses the log's own order
// (identity); a model loaded from disk or an external model maps through external item ids.

export interface ItemMap {
  /** True when model index = log index for every item. */
  readonly identity: boolean;
  /** Items the model scores. */
  readonly nModel: number;
  /** Items in the log (length of a score row). */
  readonly nLog: number;
  /** log item index -> model index, or -1 when the model does not know the item. */
  readonly logToModel: Int32Array;
  /** model index -> log item index, or -1 when the log has no such item. */
  readonly modelToLog: Int32Array;
}

/**
 * The identity map over n items (a model fitted on this log).
 *
 * @example
 * const map = identityMap(log.dict.item.length);
 */
export function identityMap(n: number): ItemMap {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  return { identity: true, nModel: n, nLog: n, logToModel: ids, modelToLog: ids };
}

/**
 * Match a model's external item ids against the log's. Identity when both lists are equal.
 *
 * @example
 * const map = mapItems(['b', 'a'], ['a', 'b', 'c']); // modelToLog [1, 0], logToModel [1, 0, -1]
 */
export function mapItems(modelIds: readonly string[], logIds: readonly string[]): ItemMap {
  if (modelIds.length === logIds.length && modelIds.every((id, i) => id === logIds[i])) return identityMap(modelIds.length);
  const byId = new Map<string, number>();
  logIds.forEach((id, i) => byId.set(id, i));
  const modelToLog = new Int32Array(modelIds.length).fill(-1);
  const logToModel = new Int32Array(logIds.length).fill(-1);
  modelIds.forEach((id, m) => {
    const l = byId.get(id);
    if (l !== undefined) {
      modelToLog[m] = l;
      logToModel[l] = m;
    }
  });
  return { identity: false, nModel: modelIds.length, nLog: logIds.length, logToModel, modelToLog };
}

/**
 * Number of log items the model knows.
 *
 * @example
 * knownItems(mapItems(['b', 'x'], ['a', 'b'])); // 1
 */
export function knownItems(map: ItemMap): number {
  let n = 0;
  for (let m = 0; m < map.nModel; m++) if (map.modelToLog[m] >= 0) n++;
  return n;
}

/**
 * Write rows of model scores (rows x nModel) into rows of log scores (rows x nLog). Log items the
 * model does not know get -Infinity ("cannot recommend").
 *
 * @example
 * toLogScores(mapItems(['b'], ['a', 'b']), Float32Array.of(0.5), 1, out); // out = [-Infinity, 0.5]
 */
export function toLogScores(map: ItemMap, modelScores: Float32Array, rows: number, out: Float32Array): void {
  if (map.identity) {
    if (modelScores !== out) out.set(modelScores.subarray(0, rows * map.nLog));
    return;
  }
  const { nModel, nLog, modelToLog } = map;
  for (let r = 0; r < rows; r++) {
    const dst = out.subarray(r * nLog, (r + 1) * nLog);
    dst.fill(-Infinity);
    const base = r * nModel;
    for (let m = 0; m < nModel; m++) {
      const l = modelToLog[m];
      if (l >= 0) dst[l] = modelScores[base + m];
    }
  }
}
