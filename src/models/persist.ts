// Saving and reloading fitted models: model.json (type, config, item ids, a tfjs-style weights manifest)
// + weights.bin (the arrays back to back, little-endian float32/int32), the TensorFlow.js layout.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from './model.ts';
import { SAVED_FORMAT, SAVED_TYPES, type NamedArray, type SavedModel, type SavedType } from './artifacts.ts';
import { WEIGHTS, type SavedJson } from './save.ts';
import { itemKnnFromSaved, type ItemKnnConfig } from './itemknn.ts';
import { popularityFromSaved, type PopularityConfig } from './popularity.ts';
import { mapItems } from './itemMap.ts';
import { easeFromSaved, type EaseConfig } from './ease.ts';
import type { MfConfig } from './mf.ts';
import type { GruConfig } from './gru4rec.ts';
import { modelMsg } from './messages.ts';
import { InputError } from '../errors.ts';
import type { EventLog } from '../log/eventLog.ts';

export { saveModel, savedFiles } from './save.ts';

/**
 * Read a model saved by saveModel and bind it to `log`: items are matched by external id, log items
 * the model never saw score -Infinity. `name` renames it (the scenario's model name).
 *
 * @example
 * const model = await loadModel('models/ease-2024-02', log);
 */
export async function loadModel(dir: string, log: EventLog, name?: string): Promise<Model> {
  const saved = readSaved(dir);
  if (name) saved.name = name;
  return bindSaved(saved, log);
}

/**
 * A model from its saved state (read from disk, or handed over by another thread), bound to `log`.
 *
 * @example
 * const copy = await bindSaved(model.toSaved!(), log); // scores exactly as `model`
 */
export async function bindSaved(saved: SavedModel, log: EventLog): Promise<Model> {
  const map = mapItems(saved.items, log.dict.item);
  switch (saved.type) {
    case 'popularity':
      return popularityFromSaved(saved as SavedModel<PopularityConfig>, map);
    case 'itemknn':
      return itemKnnFromSaved(saved as SavedModel<ItemKnnConfig>, log, map);
    case 'ease':
      return easeFromSaved(saved as SavedModel<EaseConfig>, log, map);
    case 'mf':
      // TensorFlow.js models import it only when one is loaded.
      return (await import('./mf.ts')).mfFromSaved(saved as SavedModel<MfConfig>, log, map);
    case 'gru4rec':
      return (await import('./gru4rec.ts')).gruFromSaved(saved as SavedModel<GruConfig>, log, map);
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
  if (!SAVED_TYPES.includes(json.modelType as SavedType))
    throw new InputError(modelMsg.savedInvalid(file, `unknown model type ${JSON.stringify(json.modelType)}`));
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
