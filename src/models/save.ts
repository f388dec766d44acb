// Writing fitted models: model.json (type, config, item ids, a tfjs-style weights manifest) + weights.bin
// (the arrays back to back, little-endian float32/int32), the TensorFlow.js layout. Separate from reading
// (persist.ts) so that writing a run's models never loads TensorFlow.js.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from './model.ts';
import { SAVED_FORMAT, type SavedModel } from './artifacts.ts';
import { modelMsg } from './messages.ts';
import { InputError } from '../errors.ts';

export const WEIGHTS = 'weights.bin';

/** model.json as written. */
export interface SavedJson {
  format: typeof SAVED_FORMAT;
  generatedBy: string;
  modelType: SavedModel['type'];
  name: string;
  config: unknown;
  items: string[];
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: 'float32' | 'int32' }> }>;
}

/**
 * The files of a fitted model (popularity, itemknn, ease, mf, gru4rec): model.json + weights.bin, named relative to its folder.
 *
 * @example
 * savedFiles(model).map((f) => f.name); // ['model.json', 'weights.bin']
 */
export function savedFiles(model: Model): Array<{ name: string; content: string | Uint8Array }> {
  if (!model.toSaved) throw new InputError(modelMsg.cannotSave(model.name, model.type));
  const saved = model.toSaved();
  const json: SavedJson = {
    format: SAVED_FORMAT,
    generatedBy: 'recgap',
    modelType: saved.type,
    name: saved.name,
    config: saved.config,
    items: saved.items,
    weightsManifest: [
      { paths: [WEIGHTS], weights: saved.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.data instanceof Int32Array ? 'int32' : 'float32' })) },
    ],
  };
  const total = saved.weights.reduce((s, w) => s + w.data.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const w of saved.weights) {
    bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    at += w.data.byteLength;
  }
  return [
    { name: 'model.json', content: JSON.stringify(json) },
    { name: WEIGHTS, content: bytes },
  ];
}

/**
 * Write a fitted model (popularity, itemknn, ease, mf, gru4rec) to `dir` (created if needed): model.json + weights.bin.
 *
 * @example
 * saveModel(await fitModel(spec, ctx), 'models/ease-2024-02');
 */
export function saveModel(model: Model, dir: string): void {
  const files = savedFiles(model);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.name), f.content);
}
