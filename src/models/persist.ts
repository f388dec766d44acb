// Saving and reloading fitted models: model.json (type, config, item ids, a tfjs-style weights manifest)
// + weights.bin (the arrays back to back, little-endian float32/int32), the TensorFlow.js layout.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from './model.ts';
import { SAVED_FORMAT, SAVED_TYPES, type NamedArray, type SavedModel, type SavedType } from './artifacts.ts';
import { itemKnnFromSaved, type ItemKnnConfig } from './itemknn.ts';
import { popularityFromSaved, type PopularityConfig } from './popularity.ts';
import { mapItems } from './itemMap.ts';
import { easeFromSaved, type EaseConfig } from './ease.ts';
import { mfFromSaved, type MfConfig } from './mf.ts';
import { gruFromSaved, type GruConfig } from './gru4rec.ts';
import { modelMsg } from './messages.ts';
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';

const WEIGHTS = 'weights.bin';

interface SavedJson {
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
    weightsManifest: [{ paths: [WEIGHTS], weights: saved.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.data instanceof Int32Array ? 'int32' : 'float32' })) }],
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

/**
 * Read a model saved by saveModel and bind it to `log`: items are matched by external id, log items
 * the model never saw score -Infinity. `name` renames it (the scenario's model name).
 *
 * @example
 * const model = loadModel('models/ease-2024-02', log);
 */
export function loadModel(dir: string, log: EventLog, name?: string): Model {
  const saved = readSaved(dir);
  if (name) saved.name = name;
  return bindSaved(saved, log);
}

/**
 * A model from its saved state (read from disk, or handed over by another thread), bound to `log`.
 *
 * @example
 * const copy = bindSaved(model.toSaved!(), log); // scores exactly as `model`
 */
export function bindSaved(saved: SavedModel, log: EventLog): Model {
  const map = mapItems(saved.items, log.dict.item);
  switch (saved.type) {
    case 'popularity':
      return popularityFromSaved(saved as SavedModel<PopularityConfig>, map);
    case 'itemknn':
      return itemKnnFromSaved(saved as SavedModel<ItemKnnConfig>, log, map);
    case 'ease':
      return easeFromSaved(saved as SavedModel<EaseConfig>, log, map);
    case 'mf':
      return mfFromSaved(saved as SavedModel<MfConfig>, log, map);
    case 'gru4rec':
      return gruFromSaved(saved as SavedModel<GruConfig>, log, map);
  }
}

/**
 * The saved state in `dir`, validated (format, type, weight sizes).
 *
 * @example
 * const { type, items } = readSaved('models/ease');
 */
export function readSaved(dir: string): SavedModel {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new InputError(modelMsg.savedNotFound(dir));
  let json: Partial<SavedJson>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedJson>;
  } catch (e) {
    throw new InputError(modelMsg.savedInvalid(file, e instanceof Error ? e.message : String(e)));
  }
  if (json.format !== SAVED_FORMAT) throw new InputError(modelMsg.savedInvalid(file, `format is ${JSON.stringify(json.format)}; expected "${SAVED_FORMAT}"`));
  if (!SAVED_TYPES.includes(json.modelType as SavedType)) throw new InputError(modelMsg.savedInvalid(file, `unknown model type ${JSON.stringify(json.modelType)}`));
  if (!Array.isArray(json.items) || !json.weightsManifest?.[0]) throw new InputError(modelMsg.savedInvalid(file, 'items or weightsManifest missing'));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const expected = specs.reduce((s, w) => s + 4 * count(w.shape), 0);
  const wfile = join(dir, WEIGHTS);
  if (!existsSync(wfile)) throw new InputError(modelMsg.savedWeightsMissing(wfile));
  const buf = readFileSync(wfile);
  if (buf.byteLength !== expected) throw new InputError(modelMsg.savedWrongSize(wfile, expected, buf.byteLength));
  const weights: NamedArray[] = [];
  let at = 0;
  for (const w of specs) {
    const bytes = 4 * count(w.shape);
    // Copy out of the file buffer: typed arrays need 4-byte alignment, which a Buffer slice need not have.
    const raw = buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes);
    weights.push({ name: w.name, shape: w.shape, data: w.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw) });
    at += bytes;
  }
  return { type: json.modelType!, name: json.name ?? json.modelType!, items: json.items.map(String), config: json.config, weights };
}
