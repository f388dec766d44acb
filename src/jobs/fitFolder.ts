// A fit folder (`recgap fit`): a scenario's fitted models and the identity resolution quality of its
// pipelines, written once so that the n shards of a run (`recgap run --shard i/n --fitted DIR`) load them
// instead of each fitting the models and measuring identity quality again. The log is not stored: a shard
// generates or reads it again (deterministic), because it replays its persons' events against it.
//   fit folder: fit.json (format, what it was fitted from, models, quality) + models/<model>/{model.json,weights.bin}
// A fit serves only a scenario it was fitted from: the same fitInputs (seed, world or data source, split,
// models, the eval settings that choose requests) and, for a data file, the same file size and modification
// time. Anything else is refused with one line naming the first field that differs.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { jobMsg } from './messages.ts';
import type { Scenario, ModelSpec } from '../scenario/types.ts';
import type { EventLog } from '../log/eventLog.ts';
import type { OutputFile } from '../results/output.ts';
import type { ResolutionQuality } from '../identity/quality.ts';
import type { Model } from '../models/model.ts';
import { savedFiles } from '../models/save.ts';
import { bindSaved, readSaved } from '../models/persist.ts';
import { fitInputs, type FittedRun, type FitOptions } from '../run/prepare.ts';
import { readFormatJson } from './formatJson.ts';

export const FIT_FORMAT = 'recgap-fit/1';

/** A data file as a fit saw it: a changed file (size or modification time) is another log. */
export interface LogFileIdentity {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/** A number of a quality record: JSON writes NaN as null, read back as NaN. */
const num = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));
const qualitySchema = z.strictObject({
  pairwisePrecision: num,
  pairwiseRecall: num,
  bcubedPrecision: num,
  bcubedRecall: num,
  keysPerPerson: num,
  purity: num,
  coverage: num,
  keys: num,
  persons: num,
  requests: num,
  atMs: num,
});

const fitJsonSchema = z.strictObject({
  format: z.literal(FIT_FORMAT),
  // Compared with the scenario's own fitInputs value by value: whatever it holds, only an exact match is used.
  fittedFrom: z.unknown(),
  logFile: z.strictObject({ path: z.string(), bytes: z.number(), mtimeMs: z.number() }).nullable(),
  models: z.array(z.strictObject({ name: z.string(), type: z.string(), saved: z.boolean() })),
  quality: z.array(z.strictObject({ key: z.string(), value: qualitySchema })),
});
type FitJson = z.input<typeof fitJsonSchema>;

/**
 * The output folder name of a scenario's fit.
 *
 * @example
 * fitFolderName('quickstart') // 'quickstart.fit'
 */
export function fitFolderName(scenarioName: string): string {
  return `${scenarioName}.fit`;
}

/**
 * The data file a scenario reads, as it is now (size, modification time); null for a synthetic world.
 *
 * @example
 * logFileIdentity(scenario) // { path: '/data/events.csv.gz', bytes: 23100000, mtimeMs: 1733270400000 }
 */
export function logFileIdentity(scenario: Pick<Scenario, 'log'>): LogFileIdentity | null {
  if (!scenario.log) return null;
  const path = scenario.log.data.path;
  const st = statSync(path);
  return { path, bytes: st.size, mtimeMs: st.mtimeMs };
}

/**
 * The files of a fit folder: fit.json and each saveable model's model.json + weights.bin under models/<name>/.
 * `fitted.reuse.quality` holds the identity quality planRun measured for the scenario's pipelines.
 *
 * @example
 * out.write(fitFiles(scenario, fitted));
 */
export function fitFiles(scenario: Scenario, fitted: FittedRun): OutputFile[] {
  const json: FitJson = {
    format: FIT_FORMAT,
    fittedFrom: fitInputs(scenario),
    logFile: logFileIdentity(scenario),
    models: fitted.models.map((m) => ({ name: m.name, type: m.type, saved: m.toSaved !== undefined })),
    quality: [...fitted.reuse.quality].map(([key, value]) => ({ key, value })),
  };
  const models = fitted.models.flatMap((m) => (m.toSaved ? savedFiles(m).map((f) => ({ name: `models/${m.name}/${f.name}`, content: f.content })) : []));
  // NaN (an undefined quality number) is written as null, as in results.json.
  return [{ name: 'fit.json', content: JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) }, ...models];
}

/** A fit folder read back for one scenario: what fitRun takes, and the model files a run's output carries. */
export interface LoadedFit {
  dir: string;
  fit: Required<Pick<FitOptions, 'loadModel' | 'quality'>>;
  /** models/<name>/<file> of each saved model, as the fit wrote them. */
  modelFiles: OutputFile[];
}

/**
 * Read a fit folder for `scenario`: checks fit.json (untrusted), that it was fitted from this scenario's
 * fitInputs and, for a data file, from the file as it is now; refuses with one line naming what differs.
 *
 * @example
 * const fit = readFitFolder('reports/quickstart.fit', scenario);
 * await runScenario(scenario, { ...fit.fit, log, provenance });
 */
export function readFitFolder(dir: string, scenario: Scenario): LoadedFit {
  const file = join(dir, 'fit.json');
  const { value: json, data } = readFormatJson(file, FIT_FORMAT, fitJsonSchema, {
    missing: () => jobMsg.notFitFolder(dir),
    invalid: (problem) => jobMsg.fitInvalid(file, problem),
  });
  // The fit's inputs as written (a JSON round trip of the scenario's, so compared as JSON).
  const mine = JSON.parse(JSON.stringify(fitInputs(scenario))) as unknown;
  const differs = firstDifference(json.fittedFrom, mine, '');
  if (differs !== null) throw new InputError(jobMsg.fitOtherScenario(dir, differs.path, differs.fit, differs.run));
  // A data file that cannot be read is left to the reader, which names it in its own message.
  const now = existsSync(scenario.log?.data.path ?? '') ? logFileIdentity(scenario) : null;
  if (now && json.logFile && (now.bytes !== json.logFile.bytes || now.mtimeMs !== json.logFile.mtimeMs)) {
    throw new InputError(
      jobMsg.fitLogChanged(dir, now.path, json.logFile.bytes, new Date(json.logFile.mtimeMs).toISOString(), now.bytes, new Date(now.mtimeMs).toISOString()),
    );
  }
  // The signature matched, so the models are the scenario's, in its order and with its (checked) names.
  const specs = scenario.models;
  if (json.models.length !== specs.length || json.models.some((m, i) => m.name !== specs[i].name))
    throw new InputError(jobMsg.fitInvalid(file, jobMsg.fitModels()));
  const savedDir = (name: string) => join(dir, 'models', name);
  const saved = new Set(json.models.filter((m) => m.saved).map((m) => m.name));
  const modelFiles = specs.flatMap((m) => (saved.has(m.name) ? regularFiles(dir, m.name) : []));
  const loadModel = async (spec: ModelSpec, log: EventLog): Promise<Model | null> => {
    if (!saved.has(spec.name)) return null;
    const state = readSaved(savedDir(spec.name));
    // TensorFlow.js loads only for models that score with it.
    if (state.type === 'mf' || state.type === 'gru4rec') await (await import('../tf/backend.ts')).initTf();
    return bindSaved({ ...state, name: spec.name }, log);
  };
  // The file's own objects, with null back to NaN, not the schema's copies: those list keys in the schema's
  // order, and results.json must be byte for byte a single run's.
  const raw = (data as { quality: Array<{ key: string; value: Record<string, number | null> }> }).quality;
  const quality = new Map(
    raw.map((q) => [q.key, Object.fromEntries(Object.entries(q.value).map(([k, v]) => [k, v ?? Number.NaN])) as unknown as ResolutionQuality]),
  );
  return { dir, fit: { loadModel, quality }, modelFiles };
}

/** A saved model's files, regular files only: a link in a fit folder must not copy a file from elsewhere into an output. */
function regularFiles(dir: string, model: string): OutputFile[] {
  const folder = join(dir, 'models', model);
  for (const d of [join(dir, 'models'), folder]) if (!existsSync(d) || !lstatSync(d).isDirectory()) throw new InputError(jobMsg.fitModelMissing(d));
  return readdirSync(folder).map((f) => {
    const path = join(folder, f);
    if (!lstatSync(path).isFile()) throw new InputError(jobMsg.fitModelMissing(path));
    return { name: `models/${model}/${f}`, content: readFileSync(path) };
  });
}

/** The first path (e.g. `world.persons`, `models.1.neighbors`) where two JSON values differ, with both values shown. */
function firstDifference(fit: unknown, run: unknown, path: string): { path: string; fit: string; run: string } | null {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObj(fit) && isObj(run) && Array.isArray(fit) === Array.isArray(run)) {
    for (const k of new Set([...Object.keys(fit), ...Object.keys(run)])) {
      const d = firstDifference(fit[k], run[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  if (JSON.stringify(fit) === JSON.stringify(run)) return null;
  const show = (v: unknown) => (v === undefined ? 'absent' : clip(JSON.stringify(v)));
  return { path: path || 'the fit', fit: show(fit), run: show(run) };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
