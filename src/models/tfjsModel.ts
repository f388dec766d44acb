// External TensorFlow.js models (a LayersModel or GraphModel on disk) behind the Model interface: an
// adapter turns the profile into the model's input and maps its output indices to the log's items.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Model, Profile } from './model.ts';
import { mapItems, knownItems, toLogScores } from './itemMap.ts';
import { profileReader } from './profileItems.ts';
import { modelMsg } from './messages.ts';
import { fileLoadHandler, readModelJson } from '../tf/fileIo.ts';
import { readInto } from '../tf/readInto.ts';
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';

export interface TfjsModelOptions {
  /** Path of model.json. */
  path: string;
  /**
   * 'sequence': rows x L item indices (the profile's last L items, oldest first, consecutive repeats
   *   collapsed), left-padded with the catalogue size n (so an Embedding of n + 1 rows takes them).
   * 'multihot': rows x n, 1 for every item in the profile.
   */
  input: 'sequence' | 'multihot';
  /** L for 'sequence'; a fixed length in the model's input shape wins over it. */
  sequenceLength: number;
  /** JSON array: output index -> item id; relative paths are next to model.json. */
  itemIds: string;
}

/**
 * Load a TensorFlow.js LayersModel or GraphModel and score with it. The model must map its input to
 * rows x n scores (n = length of the id list); items the log does not have are ignored, log items the
 * model does not know score -Infinity. The loaded weights stay in memory until `dispose()`.
 *
 * @example
 * const m = await loadTfjsModel('ext', { path: 'm/model.json', input: 'sequence', sequenceLength: 20, itemIds: 'ids.json' }, log);
 */
export async function loadTfjsModel(name: string, opts: TfjsModelOptions, log: EventLog): Promise<Model> {
  const json = readModelJson(opts.path);
  const idsFile = isAbsolute(opts.itemIds) ? opts.itemIds : join(dirname(opts.path), opts.itemIds);
  const ids = readItemIds(idsFile);
  const n = ids.length;
  const map = mapItems(ids, log.dict.item);
  if (knownItems(map) === 0) throw new InputError(modelMsg.noKnownItems(name, idsFile));
  const isGraph = json.format === 'graph-model' || (json.modelTopology as { node?: unknown }).node !== undefined;
  const net: tf.LayersModel | tf.GraphModel = isGraph
    ? await tf.loadGraphModel(fileLoadHandler(opts.path))
    : await tf.loadLayersModel(fileLoadHandler(opts.path));

  // Input shape and dtype from the model's signature (-1 or null: any size). A graph may not declare
  // its output shape; then the first batch checks it.
  const dim = (d: number | null | undefined): number | null => (typeof d === 'number' && d > 0 ? d : null);
  const input = net.inputs[0];
  const inShape = (input.shape ?? []).map(dim);
  const inDtype = (input.dtype ?? 'float32') as 'float32' | 'int32';
  const L = opts.input === 'sequence' ? (inShape[1] ?? opts.sequenceLength) : n;
  const outShape = (net.outputs[0].shape ?? []).map(dim);
  const fail = (message: string): never => {
    net.dispose();
    throw new InputError(message);
  };
  if (inShape.length !== 2 || (opts.input === 'multihot' && inShape[1] !== null && inShape[1] !== n))
    fail(modelMsg.tfjsInputShape(name, JSON.stringify(input.shape), opts.input));
  if (outShape.length > 0 && outShape[outShape.length - 1] !== n) fail(modelMsg.tfjsOutputShape(name, JSON.stringify(net.outputs[0].shape), n));

  const read = profileReader(log, map, 0);
  let x = new Float32Array(0);
  let buf = new Float32Array(0);
  const scoreBatch = (profiles: readonly Profile[], out: Float32Array): void => {
    const rows = profiles.length;
    if (x.length < rows * L) x = new Float32Array(rows * L);
    encode(profiles, read, opts.input, L, n, x);
    if (buf.length < rows * n) buf = new Float32Array(rows * n);
    tf.tidy(() => {
      const t = tf.tensor2d(x.subarray(0, rows * L), [rows, L], 'float32');
      const p = net.predict(inDtype === 'int32' ? t.toInt() : t);
      const y = (Array.isArray(p) ? p[0] : p) as tf.Tensor;
      if (y.size !== rows * n) throw new InputError(modelMsg.tfjsOutputShape(name, JSON.stringify(y.shape), n));
      readInto(y, buf);
    });
    toLogScores(map, buf, rows, out);
  };
  let disposed = false;
  return {
    name,
    type: 'tfjs',
    nItems: map.nLog,
    dependsOn: 'events',
    score: (profile, out) => scoreBatch([profile], out),
    scoreBatch,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      net.dispose();
    },
  };
}

/** Write the model inputs of `profiles` into x (rows x L). */
function encode(
  profiles: readonly Profile[],
  read: ReturnType<typeof profileReader>,
  kind: 'sequence' | 'multihot',
  L: number,
  n: number,
  x: Float32Array,
): void {
  x.fill(kind === 'sequence' ? n : 0, 0, profiles.length * L);
  for (let r = 0; r < profiles.length; r++) {
    if (kind === 'sequence') {
      const seq = read.recent(profiles[r].events, L);
      for (let s = 0; s < seq.length; s++) x[r * L + L - seq.length + s] = seq[s];
    } else {
      const { n: k, items } = read.distinct(profiles[r].events);
      for (let j = 0; j < k; j++) x[r * L + items[j]] = 1;
    }
  }
}

/**
 * The id list: a JSON array of strings or numbers (kept as their string form).
 *
 * @example
 * readItemIds('m/ids.json'); // ['sku-1', 'sku-2', ...]
 */
export function readItemIds(file: string): string[] {
  if (!existsSync(file)) throw new InputError(modelMsg.itemIdsMissing(file));
  let ids: unknown;
  try {
    ids = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new InputError(modelMsg.itemIdsInvalid(file));
  }
  if (!Array.isArray(ids) || ids.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw new InputError(modelMsg.itemIdsInvalid(file));
  return ids.map(String);
}
