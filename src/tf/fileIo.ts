// model.json + weights.bin on local disk without tfjs-node (whose file:// handler is the only one that
// ships): a save handler on tf.io.withSaveHandler and a load handler on tf.io.getModelArtifactsForJSON,
// writing and reading the same layout the converter and tfjs-node use.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../errors.ts';
import { tfMsg } from './messages.ts';

const WEIGHTS_FILE = 'weights.bin';

/**
 * A handler that writes `dir/model.json` and `dir/weights.bin` (one shard), for `model.save(handler)`.
 *
 * @example
 * await layersModel.save(fileSaveHandler('out/model'));
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(dir, { recursive: true });
    const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    // The fields tfjs-node's file handler writes (getModelJSONForModelArtifacts is not exported).
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.signature != null && { signature: artifacts.signature }),
      ...(artifacts.userDefinedMetadata != null && { userDefinedMetadata: artifacts.userDefinedMetadata }),
      ...(artifacts.modelInitializer != null && { modelInitializer: artifacts.modelInitializer }),
      ...(artifacts.initializerSignature != null && { initializerSignature: artifacts.initializerSignature }),
      ...(artifacts.trainingConfig != null && { trainingConfig: artifacts.trainingConfig }),
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
    writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/**
 * A handler that reads a model.json and the weight files its manifest lists (paths relative to it),
 * for tf.loadLayersModel / tf.loadGraphModel.
 *
 * @example
 * const model = await tf.loadLayersModel(fileLoadHandler('out/model/model.json'));
 */
export function fileLoadHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = readModelJson(modelJsonPath);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = join(dirname(modelJsonPath), p);
            if (!existsSync(file)) throw new InputError(tfMsg.fileMissing(file));
            const b = readFileSync(file);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/**
 * Parse a model.json, with one-line errors for a missing or malformed file.
 *
 * @example
 * const json = readModelJson('m/model.json'); // json.format: 'layers-model' | 'graph-model'
 */
export function readModelJson(path: string): tf.io.ModelJSON {
  if (!existsSync(path)) throw new InputError(tfMsg.fileMissing(path));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(tfMsg.notModelJson(path, e instanceof Error ? e.message : String(e)));
  }
  const j = json as Partial<tf.io.ModelJSON> | null;
  if (!j || typeof j !== 'object' || !j.modelTopology) throw new InputError(tfMsg.notModelJson(path, 'no modelTopology'));
  if (!Array.isArray(j.weightsManifest)) throw new InputError(tfMsg.notModelJson(path, 'no weightsManifest'));
  return j as tf.io.ModelJSON;
}
