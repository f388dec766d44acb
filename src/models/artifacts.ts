// The saved form of a fitted model: what `saveModel` writes (model.json + weights.bin) and `loadModel`
// reads back. Items are stored by external id so a saved model can score a log with another item order.
import { InputError } from '../errors.ts';
import { modelMsg } from './messages.ts';

/** A named array of weights (row-major). */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export const SAVED_FORMAT = 'recgap-model/1';

/** Model types whose fitted state can be saved and reloaded. */
export const SAVED_TYPES = ['popularity', 'itemknn', 'ease', 'mf', 'gru4rec'] as const;
export type SavedType = (typeof SAVED_TYPES)[number];

/** A fitted model's state. `config` holds the settings scoring needs, typed by each model. */
export interface SavedModel<C = unknown> {
  type: SavedType;
  name: string;
  /** External item ids, in the model's item order. */
  items: string[];
  config: C;
  weights: NamedArray[];
}

/**
 * The weight named `name` with the expected shape, or an InputError naming what is wrong (a saved model's
 * model.json can be edited by hand).
 *
 * @example
 * const b = weight(saved, 'B', [n, n]); // Float32Array of n * n
 */
export function weight(saved: SavedModel, name: string, shape: readonly number[], dtype: 'float32' | 'int32' = 'float32'): Float32Array | Int32Array {
  const w = saved.weights.find((x) => x.name === name);
  if (!w) throw new InputError(modelMsg.savedWeightMissing(name));
  const okType = dtype === 'float32' ? w.data instanceof Float32Array : w.data instanceof Int32Array;
  if (!okType || w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
    throw new InputError(modelMsg.savedWeightShape(name, w.shape, w.data.constructor.name, shape, dtype));
  }
  return w.data;
}

export const f32 = (saved: SavedModel, name: string, shape: readonly number[]): Float32Array => weight(saved, name, shape, 'float32') as Float32Array;
