// Calibration (docs/method.md 2.13): fit a synthetic world's settings to a log so that the twin shows the log's
// statistics. One-shot estimates first (twinWorld.ts), then bounded rounds of fixed-point correction: generate
// the twin, measure it through the source's lens, move each knob by what its statistic still misses. The drift
// rate is mapped from the log's drift window through twins generated at a grid of kappas (driftMap.ts), the device
// mix from the keys-per-person histogram through twins where everyone has j devices (deviceMix.ts). Every twin
// comes from the same seed, so the whole fit is deterministic.
import type { EventLog } from '../log/eventLog.ts';
import { InputError } from '../errors.ts';
import { hashString, unitFromHash } from '../util/hash.ts';
import { silentReporter, type Reporter } from '../util/progress.ts';
import { measureDrift } from '../audit/drift.ts';
import { kappaForTau, KAPPA_GRID, type DriftProbe } from './driftMap.ts';
import { deviceMix } from './deviceMix.ts';
import { nextKnobValue, relativeError } from './fixedPoint.ts';
import { deviceColumns as simulateDeviceColumns } from './deviceColumns.ts';
import { EVENT_TYPES } from '../log/eventLog.ts';
import { parseScenario } from '../scenario/load.ts';
import { KNOBS, knobValue, setKnob, setSetting, type Knob, type WorldInput } from './knobs.ts';
import { lensOf, selectEvents, sourceView, throughLens, type Lens } from './lens.ts';
import { byChannel, measureLog, type Measured } from './logStats.ts';
import { calibrateMsg } from './messages.ts';
import { lognormalStep } from './activityStep.ts';
import { generateTwin, worldScenarioText } from './twinLog.ts';
import { initialPlan, normalizeShares, type TwinPlan } from './twinWorld.ts';

/** Rounds of fixed-point correction per phase, and the largest relative error that ends a phase early. */
export const MAX_ROUNDS = 8;
export const TOLERANCE = 0.02;
/** Device counts the mixture considers (the scenario allows up to 8). */
const MAX_DEVICES = 5;
/** Seed of the person sample behind --persons (any fixed value; samples nest as the share grows). */
const SAMPLE_SEED = 0x2c1b7a53;

export interface CalibrateOptions {
  /** Names the source in messages. */
  input: string;
  /** The source log as read (anonymous events allowed; they become stand-in persons). */
  log: EventLog;
  /** Item categories when the source knows them (a synthetic world's). */
  categories: Int32Array | null;
  /** The source scenario's data.fragment (YAML shape): the twin's identity when the log has no device keys. */
  fragment: Record<string, unknown> | null;
  /** Scale the twin down to this many persons (rates per person unchanged). */
  persons?: number;
  /** The twin's seed; also the seed of the drift fits, as in the audit. */
  seed: number;
  /** Rounds of fixed-point correction per phase (default MAX_ROUNDS). */
  rounds?: number;
  reporter?: Reporter;
}

/** One generated twin: which phase, the largest error over the statistics that phase fits, the settings. */
export interface Round {
  phase: 'behaviour' | 'all';
  maxError: number;
  stats: Record<string, number>;
  world: WorldInput;
  /** Setting path -> the value the round's statistics wanted beyond the knob's bound (activityStep.ts). */
  wanted: Record<string, number>;
}

export interface Calibration {
  lens: Lens;
  /** The log the statistics are measured on (a person sample under --persons), as read: for the audit. */
  sourceLog: EventLog;
  source: Measured;
  /** --persons: the source's persons and the sample's; null without scaling. */
  scaled: { from: number; to: number; share: number } | null;
  plan: TwinPlan;
  rounds: Round[];
  driftProbes: DriftProbe[];
  /** Keys-per-person histograms of twins with 1, 2, ... devices each (the mixture's columns). */
  deviceColumns: number[][] | null;
}

/**
 * Fit a twin world to `o.log`.
 *
 * @example
 * const cal = await calibrate({ input: 'events.csv', log, categories: null, fragment: null, seed: 7 });
 * cal.plan.world; // the twin's world: section, ready for twinYaml.ts
 */
export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  const rep = o.reporter ?? silentReporter();
  if (o.log.length === 0 || o.log.dict.item.length === 0) throw new InputError(calibrateMsg.noItems(o.input));
  const lens = lensOf(o.log, o.categories !== null, o.input);
  const full = sourceView(o.log, lens);
  const { sourceLog, view, scaled } = scaleDown(o, full);
  const m = rep.stage('measure the log');
  const source = await measureLog(view, { lens, categories: o.categories ?? undefined, drift: true, popularity: true, seed: o.seed });
  if (!(source.stats.days > 0)) throw new InputError(calibrateMsg.noSpan(o.input));
  m.end(calibrateMsg.measuredLine(source.stats, source.driftStatus));
  const plan = initialPlan(source.stats, lens, {
    persons: source.stats.persons,
    firstMs: view.tsMs[0],
    lastMs: view.tsMs[view.length - 1],
    fragment: o.fragment,
    categories: o.categories ? countCategories(o.categories) : null,
    drift: source.driftStatus ?? 'too-little-data',
  });

  const rounds: Round[] = [];
  const twinStats = async (world: WorldInput, drift: boolean) => {
    const twin = await generateTwin(worldScenarioText(world, o.seed), 'calibration');
    return measureLog(throughLens(twin.log, lens, false), { lens, categories: twin.categories, drift, seed: o.seed });
  };
  /**
   * Rounds on `knobs` until every statistic in `check` is within TOLERANCE; the best round's world stays. A
   * statistic whose knob sits at a bound and would go further is out of the generator's reach: it does not
   * count toward the round's error (it would make the round closest to the bound look best).
   */
  const refine = async (phase: Round['phase'], knobs: Knob[], check: readonly string[], drift: boolean) => {
    const s = rep.stage(`calibrate: ${phase}`);
    let best: Round | null = null;
    const most = o.rounds ?? MAX_ROUNDS;
    for (let r = 0; r < most; r++) {
      const measured = await twinStats(plan.world, drift);
      const stuck = new Set<string>();
      const next = new Map<Knob, number>();
      for (const knob of knobs) {
        const stat = measured.stats[knob.stat];
        if (!(stat === stat)) continue;
        const value = knobValue(plan.world, knob);
        const wanted = nextKnobValue(knob, value, stat, source.stats[knob.stat]);
        if ((value <= knob.min && wanted <= value) || (value >= knob.max && wanted >= value)) stuck.add(knob.stat);
        next.set(knob, wanted);
      }
      let beyond: Record<string, number> = {};
      if (plan.activityKnobs.length > 0) {
        const step = lognormalStep(plan.world, measured.stats, source.stats);
        for (const [knob, value] of step.next) next.set(knob, value);
        for (const stat of step.stuck) stuck.add(stat);
        beyond = step.wanted;
      }
      const errors = check.filter((k) => !stuck.has(k)).map((k) => relativeError(measured.stats[k], source.stats[k]));
      const maxError = Math.max(0, ...errors.filter((e) => e === e));
      const round: Round = { phase, maxError, stats: measured.stats, world: structuredClone(plan.world), wanted: beyond };
      rounds.push(round);
      s.tick(r + 1, most);
      if (best === null || maxError < best.maxError) best = round;
      if (maxError <= TOLERANCE || r === most - 1) break;
      for (const [knob, value] of next) setKnob(plan.world, knob, value);
      if (plan.knobs.some((k) => k.path[1] === 'channelMix')) normalizeShares(plan.world, ['identity', 'channelMix']);
    }
    plan.world = structuredClone(best!.world);
    plan.wanted = new Map(Object.entries(best!.wanted));
    s.end(calibrateMsg.phaseLine(best!.maxError, rounds.filter((x) => x.phase === phase).length));
  };

  // 1. Behaviour (and channel and login) knobs, and the size of the drift (scale, against the similarity drift
  // takes away, which depends little on kappa), with kappa at its first guess 1 / tau.
  const drifts = plan.driftKnobs.length > 0;
  const behaviour = plan.matched.filter((k) => !['tauDays', 'keysPerPerson', 'multiKeyShare'].includes(k));
  await refine('behaviour', [...plan.knobs, ...plan.driftKnobs], behaviour, drifts);

  // 2. Drift: tau measured on twins at a grid of kappas around the first guess, inverted through a line. Each
  // probe is a world of its own draw (seed), so the line averages over catalogues and persons as well.
  const driftProbes: DriftProbe[] = [];
  if (drifts) {
    const g = rep.stage('calibrate: drift grid');
    const guess = knobValue(plan.world, KNOBS.kappa);
    for (const [j, mult] of KAPPA_GRID.entries()) {
      const world = structuredClone(plan.world);
      const kappa = setKnob(world, KNOBS.kappa, guess * mult);
      const twin = await generateTwin(worldScenarioText(world, (o.seed + 1 + j) % 2 ** 32), 'calibration');
      const d = measureDrift(throughLens(twin.log, lens, false), lens.categories ? twin.categories : undefined, { seed: o.seed });
      driftProbes.push({ kappa, tauDays: d.status === 'too-little-data' ? Number.NaN : d.tauMs / 86_400_000 });
      g.tick(driftProbes.length, KAPPA_GRID.length);
    }
    // kappa stays where the grid puts it: tau measured on a single twin moves by tens of percent with the
    // world's draw (catalogue, persons), so chasing it round by round would chase the draw; the line through
    // five twins of five draws averages it out.
    setKnob(plan.world, KNOBS.kappa, kappaForTau(driftProbes, source.stats.tauDays, guess));
    g.end(calibrateMsg.gridLine(driftProbes, knobValue(plan.world, KNOBS.kappa)));
  }

  // 3. Devices: the keys-per-person histogram as a mixture of twins where everyone has j devices.
  let deviceColumns: number[][] | null = null;
  if (plan.fitDevices && source.keyHistogram) {
    const d = rep.stage('calibrate: devices');
    const spec = parseScenario(worldScenarioText(plan.world, o.seed), 'calibration').world!;
    const visible = Uint8Array.from(EVENT_TYPES, (t) => (lens.types[t] !== null ? 1 : 0));
    deviceColumns = simulateDeviceColumns(spec, o.seed, visible, MAX_DEVICES, byChannel(lens));
    const mix = deviceMix(deviceColumns, source.keyHistogram, source.stats.persons);
    // Trailing device counts with no weight are left out: [0.5, 0.35, 0.15], not [0.5, 0.35, 0.15, 0, 0].
    while (mix.length > 1 && mix[mix.length - 1] < 5e-5) mix.pop();
    setSetting(plan.world, ['identity', 'devices'], mix);
    normalizeShares(plan.world, ['identity', 'devices']);
    d.end(calibrateMsg.devicesLine(getDevices(plan.world)));
  }

  // 4. Everything together, drift measured in every round when it is fitted (scale against the similarity drift
  // takes away, which is steady from world to world).
  if (drifts || plan.fitDevices) {
    // tau is no knob's statistic here, but it counts toward a round's error: of rounds equally close otherwise,
    // the one whose draw shows the log's drift window is kept.
    await refine('all', [...plan.knobs, ...plan.driftKnobs], plan.matched, drifts);
  }
  return { lens, sourceLog, source, scaled, plan, rounds, driftProbes, deviceColumns };
}

function getDevices(world: WorldInput): number[] {
  return ((world.identity as Record<string, unknown>).devices as number[]) ?? [];
}

function countCategories(categories: Int32Array): number {
  let max = -1;
  for (const c of categories) if (c > max) max = c;
  return max + 1;
}

/**
 * The source to measure: the whole log, or under --persons a person-hash sample of about that many persons
 * (whole persons, so their rates stay as they are), taken from the log as read (for the audit) and from its
 * statistics view alike.
 */
function scaleDown(o: CalibrateOptions, full: EventLog): { sourceLog: EventLog; view: EventLog; scaled: Calibration['scaled'] } {
  const persons = full.dict.person.length;
  if (o.persons === undefined || o.persons >= persons) {
    if (o.persons !== undefined && o.persons > persons) throw new InputError(calibrateMsg.personsAboveLog(o.persons, persons));
    return { sourceLog: o.log, view: full, scaled: null };
  }
  const share = o.persons / persons;
  const inSample = (id: string) => unitFromHash(hashString(id, SAMPLE_SEED)) < share;
  const pick = (log: EventLog) => {
    const chosen = log.dict.person.map(inSample);
    const keep = new Uint8Array(log.length);
    // Anonymous events of the log as read are sampled by the stand-in person sourceView gives them.
    for (let i = 0; i < log.length; i++) keep[i] = (log.person[i] >= 0 ? chosen[log.person[i]] : inSample(`key:${log.dict.key[log.key[i]]}`)) ? 1 : 0;
    return selectEvents(log, keep);
  };
  const view = pick(full);
  return { sourceLog: pick(o.log), view, scaled: { from: persons, to: o.persons, share } };
}
