// Every message of the model layer as a function in one place: tests compare against these.
import { show } from '../errors.ts';

export const modelMsg = {
  savedWeightMissing: (name: string) => `weight "${name}" is missing`,
  savedWeightShape: (name: string, shape: readonly number[], type: string, expected: readonly number[], dtype: string) =>
    `weight "${name}" is ${shape.join('x')} ${type}; expected ${expected.join('x')} ${dtype}`,
  tooManyItemsForEase: (name: string, items: number, max: number) =>
    `models.${name}: ease inverts a dense items x items matrix (items^3 float64 operations, items^2 x 12 bytes); the log has ${items.toLocaleString('en-US')} items, above its limit of ${max.toLocaleString('en-US')}; use mf or itemknn`,
  notPositiveDefinite: (name: string, lambda: number) => `models.${name}: the ease Gram matrix is not positive definite with lambda ${lambda}; raise lambda`,
  noTrainingSequences: (name: string) => `models.${name}: no training person has two or more events: nothing to learn a sequence from`,
  savedNotFound: (dir: string) => `saved model not found: ${dir}/model.json`,
  savedWeightsMissing: (file: string) => `saved model weights not found: ${file}`,
  savedInvalid: (file: string, detail: string) => `${file}: not a saved recgap model: ${detail}`,
  savedWrongSize: (file: string, expected: number, got: number) => `${file}: expected ${expected} bytes of weights, found ${got}`,
  cannotSave: (name: string, type: string) =>
    `model "${name}" (${type}) cannot be saved; saveable types: popularity, recency-popularity, itemknn, ease, mf, gru4rec`,
  noKnownItems: (name: string, file: string) => `models.${name}: none of the items in ${file} occur in the log`,
  itemIdsMissing: (file: string) => `item id list not found: ${file}`,
  itemIdsInvalid: (file: string) => `${file}: expected a JSON array of item ids (strings or numbers)`,
  tfjsInputShape: (name: string, shape: string, input: string) => `models.${name}: the model's input shape ${shape} does not fit input "${input}"`,
  tfjsOutputShape: (name: string, shape: string, items: number) =>
    `models.${name}: the model's output shape ${shape} does not give one score per item (${items} items)`,
  externalCannotStart: (name: string, program: string, code: string) =>
    `models.${name}: cannot start ${show(program)}: ${code === 'ENOENT' ? 'no such program (give a program on PATH, or a path relative to the scenario file)' : code === 'EACCES' ? 'not executable (EACCES)' : code}`,
  externalExited: (name: string, where: string, code: number | null, signal: string | null) =>
    `models.${name}: ${where}: the model process ${signal ? `was killed by ${signal}` : `exited with code ${code}`} before answering`,
  externalInterrupted: (name: string, where: string, signal: string) =>
    `models.${name}: ${where}: stopped by ${signal} (the model's process group and recgap's were signalled)`,
  externalTimeout: (name: string, where: string, duration: string, setting: 'timeout' | 'startTimeout') =>
    `models.${name}: ${where}: no answer within ${duration} (models.${name}.${setting})`,
  externalMalformed: (name: string, where: string, problem: string, text: string) => `models.${name}: ${where}: the answer ${problem}: ${show(text)}`,
  externalNotReady: (name: string, text: string) =>
    `models.${name}: the handshake: the answer is not {"ready": true} (optionally with "scores": "json" or "f32"): ${show(text)}`,
  externalWrongId: (name: string, expected: number, got: unknown) =>
    `models.${name}: request ${expected}: the answer carries id ${show(got)}; answers come in request order, each with its request's id`,
  externalWrongCount: (name: string, where: string, got: number, expected: number) =>
    `models.${name}: ${where}: the answer has ${got} scores; expected one per catalogue item (${expected})`,
  externalNotFinite: (name: string, where: string, index: number, item: string, value: string) =>
    `models.${name}: ${where}: score ${index} (item ${show(item)}) is ${value}; expected a finite number (null in JSON, -Infinity in f32: never recommend)`,
  externalHttpStatus: (name: string, where: string, url: string, status: number, attempts: number, body: string) =>
    `models.${name}: ${where}: POST ${url} answered HTTP ${status}${attempts > 1 ? ` (${attempts} attempts)` : ''}${body ? `: ${show(body)}` : ''}`,
  externalUnreachable: (name: string, where: string, url: string, detail: string, attempts: number) =>
    `models.${name}: ${where}: cannot reach ${url}: ${detail} (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`,
  externalWrongResults: (name: string, where: string, got: number, expected: number) =>
    `models.${name}: ${where}: the answer has ${got} results; expected one per request (${expected}), in request order`,
  externalBridgeFailed: (name: string, where: string, detail: string) => `models.${name}: ${where}: the connection to the model failed: ${detail}`,
  externalStopped: (name: string) => `models.${name}: the model stopped after an earlier failure or after dispose()`,
  /** A line the model wrote on its stderr, passed through. */
  externalStderr: (name: string, line: string) => `[${name}] ${line}`,
};
