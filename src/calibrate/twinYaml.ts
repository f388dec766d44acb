// The twin file: a scenario whose world is the fitted one, every setting with a comment saying what it was
// fitted to (the source's value and the twin's), measured from, or why it keeps a default. Written with the
// yaml package's Document API so the comments sit on the settings they explain.
import { Document, isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Calibration } from './calibrate.ts';
import type { Measured } from './logStats.ts';
import { calibrateMsg } from './messages.ts';
import { boundOf } from './validation.ts';

/** The sections beside `world:`: the source scenario's, or the quickstart's for a bare log. */
export interface TwinSections {
  train: unknown;
  eval: unknown;
  models: unknown[];
  pipelines: unknown[];
  business?: unknown;
  /** The scenario file they come from; null for the quickstart defaults. */
  from: string | null;
}

export interface TwinFile {
  name: string;
  seed: number;
  input: string;
  cal: Calibration;
  /** The validation twin's statistics (what the comments quote as the twin's). */
  twin: Measured;
  sections: TwinSections;
}

/**
 * The twin scenario as YAML text with comments.
 *
 * @example
 * writeFileSync('twin.yaml', twinYaml({ name: 'retail-twin', seed: 7, input: 'retail.csv', cal, twin, sections }));
 */
export function twinYaml(t: TwinFile): string {
  const { cal, twin } = t;
  const data: Record<string, unknown> = { name: t.name, seed: t.seed, world: ordered(cal.plan.world), train: t.sections.train, eval: t.sections.eval };
  data.models = t.sections.models;
  data.pipelines = t.sections.pipelines;
  if (t.sections.business !== undefined) data.business = t.sections.business;
  const doc = new Document(data);
  const scaled = cal.scaled ? calibrateMsg.notePersonsScaled(cal.scaled.from, cal.scaled.to, cal.source.stats.persons, twin.stats.persons) : null;
  doc.commentBefore = calibrateMsg.header(t.input, scaled);

  // Comments on the world's settings, children before parents so a commented mapping can stay in block style.
  const paths = [...cal.plan.notes.keys()].sort((a, b) => b.split('.').length - a.split('.').length);
  const withChildNotes = new Set(paths.flatMap((p) => p.split('.').map((_, i, parts) => parts.slice(0, i).join('.'))));
  for (const path of paths) {
    const node = doc.getIn(['world', ...path.split('.')], true) as Node | undefined;
    if (node === undefined || node === null) continue;
    if ((isMap(node) || isSeq(node)) && !withChildNotes.has(path)) node.flow = true;
    const text = noteText(path, cal, twin);
    if (isScalar(node) || isSeq(node) || (isMap(node) && node.flow)) node.comment = ` ${text}`;
    else keyOf(doc, ['world', ...path.split('.')])!.commentBefore = ` ${text}`;
  }
  for (const p of ['activity', 'funnel', 'drift', 'identity']) {
    const node = doc.getIn(['world', p], true);
    if (isMap(node) && !withChildNotes.has(`${p}`) && !cal.plan.notes.has(p)) node.flow = true;
  }
  const devices = doc.getIn(['world', 'identity', 'devices'], true);
  if (isSeq(devices)) devices.flow = true;

  // The sections beside the world: one line each, lists of one line per entry, as the bundled scenarios write them.
  for (const key of ['train', 'eval', 'business']) {
    const node = doc.get(key, true);
    if (isMap(node)) node.flow = true;
  }
  for (const key of ['models', 'pipelines']) {
    const node = doc.get(key, true);
    if (isSeq(node)) for (const item of node.items) if (isMap(item)) (item as YAMLMap).flow = true;
  }
  const train = keyOf(doc, ['train']);
  if (train) train.commentBefore = t.sections.from ? calibrateMsg.sectionFrom(t.sections.from) : calibrateMsg.sectionDefaults();
  return doc.toString({ lineWidth: 0 });
}

/** The world's settings in the order the schema lists them (sizes, period, popularity, activity, funnel, drift, identity). */
const WORLD_ORDER = ['persons', 'items', 'categories', 'start', 'days', 'zipf', 'activity', 'funnel', 'drift', 'identity'];
const ACTIVITY_ORDER = ['sessionsPerDay', 'heterogeneity', 'tail', 'sigma', 'oneOff', 'viewsPerSession'];

function ordered(world: Record<string, unknown>): Record<string, unknown> {
  const sort = (o: Record<string, unknown>, order: readonly string[]) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => rank(order, a) - rank(order, b)));
  const out = sort(world, WORLD_ORDER);
  if (out.activity && typeof out.activity === 'object') out.activity = sort(out.activity as Record<string, unknown>, ACTIVITY_ORDER);
  return out;
}

function rank(order: readonly string[], key: string): number {
  const i = order.indexOf(key);
  return i < 0 ? order.length : i;
}

/**
 * A setting at its bound did not reach the log's value: say so beside it, with what the log wants, not only in
 * the table. Only on the setting that sits at the bound, not on others fitted to the same statistic.
 */
function boundNote(path: string, stat: string, cal: Calibration): string {
  const bound = boundOf(cal, stat);
  if (!bound || bound.setting !== path) return '';
  const knob = [...cal.plan.knobs, ...cal.plan.driftKnobs, ...cal.plan.activityKnobs].find((k) => k.path.join('.') === path);
  return calibrateMsg.noteAtBound(bound.value, bound.wants, knob !== undefined && bound.value <= knob.min);
}

/** The key scalar of the pair at `path`, to hang a comment above it. */
function keyOf(doc: Document, path: readonly string[]): Scalar | null {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return null;
  const pair = parent.items.find((it): it is Pair => isPair(it) && isScalar(it.key) && it.key.value === path[path.length - 1]);
  return pair && isScalar(pair.key) ? pair.key : null;
}

function noteText(path: string, cal: Calibration, twin: Measured): string {
  const note = cal.plan.notes.get(path)!;
  const src = cal.source.stats;
  const tw = twin.stats;
  switch (note.kind) {
    case 'measured':
      return note.text;
    case 'kept':
      return calibrateMsg.noteKept(note.reason);
    case 'stand-in':
      return calibrateMsg.noteStandIn(note.reason);
    case 'fitted':
      if (note.stat === 'persons')
        return cal.scaled
          ? calibrateMsg.notePersonsScaled(cal.scaled.from, cal.scaled.to, src.persons, tw.persons)
          : calibrateMsg.notePersons(src.persons, tw.persons);
      if (path === 'identity.devices') return calibrateMsg.noteDevices(src.keysPerPerson, tw.keysPerPerson, src.multiKeyShare, tw.multiKeyShare);
      return calibrateMsg.noteFitted(calibrateMsg.statLabel(note.stat), src[note.stat], tw[note.stat] ?? Number.NaN) + boundNote(path, note.stat, cal);
  }
}
