// Fill defaults and convert units: validated user input (ScenarioInput) -> normalized Scenario.
import { parseFormula } from './formula.ts';
import { formatFromPath } from './dataFormat.ts';
import { parseDurationMs } from '../util/duration.ts';
import { ACTIVITY_TAIL_DEFAULTS, DEFAULT_WORLD, type ActivitySpec, type WorldSpec, type ChannelMix, type IdentitySpec, type SignalSpec } from './worldSpec.ts';
import { QUANTILE_RANGE, type ScenarioInput } from './schema.ts';
import type { Scenario, ModelSpec, PipelineSpec, TrainUntil, LogSource, BusinessSpec, TimeRange } from './types.ts';
import { canonicalBlockingKey, DEFAULT_GRAPH, DEFAULT_LOGIN, type GraphOptions, type LoginOptions } from './resolverOptions.ts';
import {
  DEFAULT_DATA,
  DEFAULT_DRIFT_SCALE,
  DEFAULT_EVAL,
  DEFAULT_BUSINESS,
  DEFAULT_MODEL_OPTIONS,
  DEFAULT_PIPELINE,
  DEFAULT_SEED,
  DEFAULT_UNTIL_QUANTILE,
} from './defaults.ts';
import { isAbsolute, resolve } from 'node:path';

/** A problem found while normalizing, with the key path it concerns. */
export interface NormalizeIssue {
  path: (string | number)[];
  message: string;
}

const ms = (text: string | number | undefined, fallback: number): number => (text === undefined ? fallback : parseDurationMs(text)!);

/**
 * Normalize a validated scenario. Returns the issues that the schema cannot express (sums, ISO dates).
 *
 * @example
 * const { scenario } = normalizeScenario(scenarioSchema.parse(yaml));
 */
export function normalizeScenario(input: ScenarioInput, baseDir = '.'): { scenario?: Scenario; issues: NormalizeIssue[] } {
  const issues: NormalizeIssue[] = [];
  const iso = (text: string | undefined, path: (string | number)[]): number | null => {
    if (text === undefined) return null;
    const t = parseIso(text);
    if (t === null) issues.push({ path, message: `an ISO 8601 timestamp such as 2024-01-01 or 2024-01-01T06:00:00Z` });
    return t;
  };

  if (input.world && input.data) issues.push({ path: ['data'], message: 'either world (a synthetic log) or data (a log file), not both' });
  const world = input.data ? null : normalizeWorld(input.world ?? {}, iso, issues);
  const log = input.data ? normalizeLog(input.data, baseDir, normalizeTimeRange(input.data.timeRange, iso, issues)) : null;
  if (input.data?.fragment) normalizeIdentity(input.data.fragment, ['data', 'fragment'], issues);
  const until = normalizeUntil(input.train?.until, iso, issues);
  const e = input.eval ?? {};
  const ks = [...new Set(Array.isArray(e.k) ? e.k : e.k === undefined ? DEFAULT_EVAL.ks : [e.k])].sort((a, b) => a - b);
  const ageBinEdgesMs = e.ageBins ? e.ageBins.map((b) => parseDurationMs(b)!) : DEFAULT_EVAL.ageBinEdgesMs;
  if (ageBinEdgesMs.some((v, i) => i > 0 && v <= ageBinEdgesMs[i - 1])) issues.push({ path: ['eval', 'ageBins'], message: 'ascending durations' });
  const sample = normalizeSample(e.sample, issues);

  const models = input.models.map((m) => normalizeModel(m, baseDir));
  const pipelines = input.pipelines.map(
    (p, i): PipelineSpec => ({
      name: p.name,
      refresh: p.refresh === 'stream' ? { kind: 'stream' } : { kind: 'batch', cadenceMs: parseDurationMs(p.refresh)! },
      latencyMs: ms(p.latency, DEFAULT_PIPELINE.latencyMs),
      identity: p.identity ?? DEFAULT_PIPELINE.identity,
      channels: p.channels === undefined || p.channels === 'all' ? null : [...p.channels],
      originMs: iso(p.origin, ['pipelines', i, 'origin']),
      retrainMs: p.retrain === undefined ? null : parseDurationMs(p.retrain)!,
      ...normalizeResolverOptions(p, i, issues),
    }),
  );
  checkUnique(
    [...models.map((m, i) => ({ name: m.name, path: ['models', i, 'name'] })), ...pipelines.map((p, i) => ({ name: p.name, path: ['pipelines', i, 'name'] }))],
    issues,
  );
  const business = normalizeBusiness(
    input.business,
    models.map((m) => m.name),
    pipelines.map((p) => p.name),
    issues,
  );

  if (issues.length) return { issues };
  return {
    issues,
    scenario: {
      name: input.name,
      description: input.description ?? '',
      seed: input.seed ?? DEFAULT_SEED,
      world,
      log,
      train: { until },
      eval: {
        ks,
        windowMs: ms(e.window, DEFAULT_EVAL.windowMs),
        positives: e.positives ?? [...DEFAULT_EVAL.positives],
        // true is the view mode; false is none, and absent the default.
        excludeSeen: e.excludeSeen === undefined ? DEFAULT_EVAL.excludeSeen : e.excludeSeen === true ? 'view' : e.excludeSeen || 'none',
        bootstrap: e.bootstrap ?? DEFAULT_EVAL.bootstrap,
        level: e.level ?? DEFAULT_EVAL.level,
        sample,
        ageBinEdgesMs,
        phases: e.phases ?? DEFAULT_EVAL.phases,
      },
      models,
      pipelines,
      business,
    },
  };
}

/** Business assumptions with defaults; the range must be ordered and the priced model must exist. */
function normalizeBusiness(b: ScenarioInput['business'], modelNames: string[], pipelineNames: string[], issues: NormalizeIssue[]): BusinessSpec {
  const d = DEFAULT_BUSINESS;
  if (!b) return { ...d, incrementalityRange: [...d.incrementalityRange], costs: {}, quantities: {}, source: 'defaults' };
  const quantities = { ...(b.quantities ?? {}) };
  let value: BusinessSpec['value'] = null;
  if (b.value !== undefined) {
    const parsed = parseFormula(b.value, ['aov', 'margin', ...Object.keys(quantities)]);
    if ('error' in parsed)
      issues.push({ path: ['business', 'value'], message: `a formula over numbers, aov, margin and business.quantities (${parsed.error})` });
    else value = { text: b.value, formula: parsed.formula };
  }
  const costs: BusinessSpec['costs'] = {};
  for (const [name, c] of Object.entries(b.costs ?? {})) {
    if (!pipelineNames.includes(name))
      issues.push({ path: ['business', 'costs', name], message: `a key naming one of the scenario's pipelines (${pipelineNames.join(', ')})` });
    costs[name] = { oneOff: c.oneOff ?? 0, perMonth: c.perMonth ?? 0 };
  }
  const range: [number, number] = b.incrementalityRange ? [b.incrementalityRange[0], b.incrementalityRange[1]] : [...d.incrementalityRange];
  if (range[0] > range[1]) issues.push({ path: ['business', 'incrementalityRange'], message: '[low, high] with low <= high' });
  if (b.model !== undefined && !modelNames.includes(b.model))
    issues.push({ path: ['business', 'model'], message: `one of the scenario's models (${modelNames.join(', ')})` });
  return {
    sessionsPerMonth: b.sessionsPerMonth ?? d.sessionsPerMonth,
    averageOrderValue: b.averageOrderValue ?? d.averageOrderValue,
    margin: b.margin ?? d.margin,
    marketingSpendPerMonth: b.marketingSpendPerMonth ?? d.marketingSpendPerMonth,
    exposure: b.exposure ?? d.exposure,
    incrementality: b.incrementality ?? d.incrementality,
    incrementalityRange: range,
    currency: b.currency ?? d.currency,
    model: b.model ?? null,
    baselineConversionRate: b.baselineConversionRate ?? null,
    value,
    quantities,
    costs,
    source: 'scenario',
  };
}

function normalizeModel(m: ScenarioInput['models'][number], baseDir: string): ModelSpec {
  const d = DEFAULT_MODEL_OPTIONS;
  switch (m.type) {
    case 'popularity':
      return { name: m.name, type: 'popularity' };
    case 'recency-popularity':
      return { name: m.name, type: 'recency-popularity', halfLifeMs: ms(m.halfLife, d['recency-popularity'].halfLifeMs) };
    case 'itemknn':
      return {
        name: m.name,
        type: 'itemknn',
        neighbors: m.neighbors ?? d.itemknn.neighbors,
        halfLifeMs: ms(m.halfLife, d.itemknn.halfLifeMs),
        shrink: m.shrink ?? d.itemknn.shrink,
      };
    case 'random':
      return { name: m.name, type: 'random' };
    case 'ease':
      return { name: m.name, type: 'ease', lambda: m.lambda ?? null, halfLifeMs: ms(m.halfLife, d.ease.halfLifeMs) };
    case 'mf':
      return {
        name: m.name,
        type: 'mf',
        factors: m.factors ?? d.mf.factors,
        epochs: m.epochs ?? d.mf.epochs,
        learningRate: m.learningRate ?? d.mf.learningRate,
        regularization: m.regularization ?? d.mf.regularization,
        halfLifeMs: ms(m.halfLife, d.mf.halfLifeMs),
        history: m.history ?? d.mf.history,
        negatives: m.negatives ?? d.mf.negatives,
        batchSize: m.batchSize ?? d.mf.batchSize,
      };
    case 'gru4rec':
      return {
        name: m.name,
        type: 'gru4rec',
        factors: m.factors ?? d.gru4rec.factors,
        epochs: m.epochs ?? d.gru4rec.epochs,
        learningRate: m.learningRate ?? d.gru4rec.learningRate,
        sequenceLength: m.sequenceLength ?? d.gru4rec.sequenceLength,
        negatives: m.negatives ?? d.gru4rec.negatives,
        batchSize: m.batchSize ?? d.gru4rec.batchSize,
        samplesPerEpoch: m.samplesPerEpoch ?? d.gru4rec.samplesPerEpoch,
      };
    case 'saved':
      return { name: m.name, type: 'saved', path: besideScenario(m.path, baseDir) };
    case 'tfjs':
      return {
        name: m.name,
        type: 'tfjs',
        path: besideScenario(m.path, baseDir),
        input: m.input,
        sequenceLength: m.sequenceLength ?? d.tfjs.sequenceLength,
        itemIds: m.itemIds ?? d.tfjs.itemIds,
      };
    case 'command':
      return {
        name: m.name,
        type: 'command',
        // A program given as a path (./score.sh, bin/model) lives beside the scenario; a bare name is looked up on PATH.
        command: [/[\\/]/.test(m.command[0]) ? besideScenario(m.command[0], baseDir) : m.command[0], ...m.command.slice(1)],
        cwd: resolve(baseDir),
        timeoutMs: ms(m.timeout, d.command.timeoutMs),
        startTimeoutMs: ms(m.startTimeout, d.command.startTimeoutMs),
      };
    case 'http':
      return {
        name: m.name,
        type: 'http',
        url: m.url,
        timeoutMs: ms(m.timeout, d.http.timeoutMs),
        startTimeoutMs: ms(m.startTimeout, d.http.startTimeoutMs),
        concurrency: m.concurrency ?? d.http.concurrency,
        retries: m.retries ?? d.http.retries,
        batch: m.batch ?? d.http.batch,
      };
  }
}

function normalizeSample(v: string | number | undefined, issues: NormalizeIssue[]): number {
  if (v === undefined) return DEFAULT_EVAL.sample;
  const share = typeof v === 'number' ? v : Number(v.slice(0, -1)) / 100;
  if (!(share > 0 && share <= 1)) issues.push({ path: ['eval', 'sample'], message: 'a share of persons in (0, 1] or a percentage from 0% (excluded) to 100%' });
  return share;
}

function normalizeUntil(v: string | number | undefined, iso: (t: string, p: (string | number)[]) => number | null, issues: NormalizeIssue[]): TrainUntil {
  if (v === undefined) return { kind: 'quantile', q: DEFAULT_UNTIL_QUANTILE };
  if (typeof v === 'number') return { kind: 'quantile', q: v };
  // Anything ending in % is meant as a quantile ("-5%" too), so it gets the quantile's message, not the timestamp's.
  if (v.trim().endsWith('%')) {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(v.trim());
    const q = pct ? Number(pct[1]) / 100 : NaN;
    if (!(q > 0 && q < 1)) issues.push({ path: ['train', 'until'], message: QUANTILE_RANGE });
    return { kind: 'quantile', q };
  }
  const t = iso(v, ['train', 'until']);
  return { kind: 'time', tsMs: t ?? 0 };
}

type WorldInput = NonNullable<ScenarioInput['world']>;

function normalizeWorld(w: WorldInput, iso: (t: string | undefined, p: (string | number)[]) => number | null, issues: NormalizeIssue[]): WorldSpec {
  const d = DEFAULT_WORLD;
  const drift = w.drift === 'none' ? { kappa: 0, sigma: 0, shiftRate: 0, shiftStrength: d.drift.shiftStrength } : normalizeDrift(w.drift ?? {});
  const idIn = w.identity ?? {};
  const identity =
    idIn === 'none' ? { ...d.identity, fragmented: false, devices: [1], sharedDevices: 0 } : normalizeIdentity(idIn, ['world', 'identity'], issues);
  const promo = w.promotions === 'none' || w.promotions === undefined ? { count: d.promotions.count } : w.promotions;
  const season = w.seasonality === 'none' || w.seasonality === undefined ? { amplitude: d.seasonality.amplitude } : w.seasonality;
  const start = iso(w.start, ['world', 'start']);
  return {
    persons: w.persons ?? d.persons,
    items: w.items ?? d.items,
    categories: Math.min(w.categories ?? d.categories, w.items ?? d.items),
    dim: w.dim ?? d.dim,
    startMs: start ?? d.startMs,
    days: w.days ?? d.days,
    favoriteCategories: w.favoriteCategories ?? d.favoriteCategories,
    itemNoise: w.itemNoise ?? d.itemNoise,
    zipf: w.zipf ?? d.zipf,
    betaPop: w.betaPop ?? d.betaPop,
    betaPrice: w.betaPrice ?? d.betaPrice,
    activity: withoutDefaultTail({ ...d.activity, ...stripUndefined(w.activity ?? {}) }),
    drift,
    promotions: {
      count: promo.count ?? d.promotions.count,
      durationMs: ms('duration' in promo ? promo.duration : undefined, d.promotions.durationMs),
      itemsPerPromotion: ('itemsPerPromotion' in promo ? promo.itemsPerPromotion : undefined) ?? d.promotions.itemsPerPromotion,
      boost: ('boost' in promo ? promo.boost : undefined) ?? d.promotions.boost,
    },
    seasonality: {
      amplitude: season.amplitude ?? d.seasonality.amplitude,
      periodMs: ms('period' in season ? season.period : undefined, d.seasonality.periodMs),
    },
    funnel: {
      cart: w.funnel?.cart ?? d.funnel.cart,
      purchase: w.funnel?.purchase ?? d.funnel.purchase,
      slope: w.funnel?.slope ?? d.funnel.slope,
      sameSession: w.funnel?.sameSession ?? d.funnel.sameSession,
      delayMeanMs: ms(w.funnel?.delayMean, d.funnel.delayMeanMs),
    },
    identity,
  };
}

type IdentityInput = Exclude<NonNullable<WorldInput['identity']>, 'none'>;

/** Identity parameters (world.identity, data.fragment) with defaults, checking that mixes sum to 1. */
function normalizeIdentity(idIn: IdentityInput, path: (string | number)[], issues: NormalizeIssue[]): IdentitySpec {
  const d = DEFAULT_WORLD.identity;
  const identity: IdentitySpec = {
    fragmented: true,
    devices: idIn.devices ?? d.devices,
    channelMix: idIn.channelMix ?? d.channelMix,
    switchProb: idIn.switchProb ?? d.switchProb,
    cookieLifetimeMs: ms(idIn.cookieLifetime, d.cookieLifetimeMs),
    itpShare: idIn.itpShare ?? d.itpShare,
    itpCapMs: ms(idIn.itpCap, d.itpCapMs),
    loginRate: normalizeLoginRate(idIn.loginRate, d.loginRate),
    sharedDevices: idIn.sharedDevices ?? d.sharedDevices,
    signals: normalizeSignals(idIn.signals, [...path, 'signals'], issues),
  };
  const sum = identity.devices.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) issues.push({ path: [...path, 'devices'], message: `probabilities that sum to 1 (they sum to ${+sum.toFixed(6)})` });
  const mix = identity.channelMix;
  const mixSum = mix.app + mix.mweb + mix.desktop;
  if (Math.abs(mixSum - 1) > 1e-6) issues.push({ path: [...path, 'channelMix'], message: `probabilities that sum to 1 (they sum to ${+mixSum.toFixed(6)})` });
  return identity;
}

/** Identity signal parameters (world.identity.signals) with defaults; household sizes must sum to 1. */
function normalizeSignals(x: IdentityInput['signals'], path: (string | number)[], issues: NormalizeIssue[]): SignalSpec {
  const d = DEFAULT_WORLD.identity.signals;
  const householdSize = x?.householdSize ?? d.householdSize;
  const sum = householdSize.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) issues.push({ path: [...path, 'householdSize'], message: `probabilities that sum to 1 (they sum to ${+sum.toFixed(6)})` });
  return {
    householdSize: [...householdSize],
    homeShare: normalizeLoginRate(x?.homeShare, d.homeShare),
    homeIpLifetimeMs: ms(x?.homeIpLifetime, d.homeIpLifetimeMs),
    natPersons: x?.natPersons ?? d.natPersons,
    regions: x?.regions ?? d.regions,
    travel: x?.travel ?? d.travel,
    uaVersions: x?.uaVersions ?? d.uaVersions,
    midSessionLogin: x?.midSessionLogin ?? d.midSessionLogin,
  };
}

/** `graph` and `login` options of a pipeline: defaults for its own resolver, an issue for the other's. */
function normalizeResolverOptions(
  p: ScenarioInput['pipelines'][number],
  i: number,
  issues: NormalizeIssue[],
): { graph: GraphOptions | null; login: LoginOptions | null } {
  const identity = p.identity ?? DEFAULT_PIPELINE.identity;
  if (p.graph && identity !== 'graph')
    issues.push({ path: ['pipelines', i, 'identity'], message: `graph when graph options are given (pipelines.${i}.graph applies to identity: graph only)` });
  if (p.login && identity !== 'login')
    issues.push({ path: ['pipelines', i, 'identity'], message: `login when login options are given (pipelines.${i}.login applies to identity: login only)` });
  const g = p.graph ?? {};
  const l = p.login ?? {};
  return {
    graph:
      identity === 'graph'
        ? {
            threshold: g.threshold ?? DEFAULT_GRAPH.threshold,
            blocking: [...new Set((g.blocking ?? DEFAULT_GRAPH.blocking).map(canonicalBlockingKey))],
            maxBlock: g.maxBlock ?? DEFAULT_GRAPH.maxBlock,
            logins: g.logins ?? DEFAULT_GRAPH.logins,
            atRequest: g.atRequest ?? DEFAULT_GRAPH.atRequest,
          }
        : null,
    login:
      identity === 'login'
        ? {
            retroactive: l.retroactive ?? DEFAULT_LOGIN.retroactive,
            sessionStitch: l.sessionStitch ?? DEFAULT_LOGIN.sessionStitch,
            atRequest: l.atRequest ?? DEFAULT_LOGIN.atRequest,
          }
        : null,
  };
}

type DataInput = NonNullable<ScenarioInput['data']>;

/** A path from the scenario file, relative to the scenario's folder. */
function besideScenario(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** data.timeRange: each end an ISO time or null (open); from must come before to. */
function normalizeTimeRange(
  v: DataInput['timeRange'],
  iso: (t: string | undefined, p: (string | number)[]) => number | null,
  issues: NormalizeIssue[],
): TimeRange | null {
  if (v === undefined) return null;
  const [from, to] = v;
  const fromMs = iso(from ?? undefined, ['data', 'timeRange', 0]);
  const toMs = iso(to ?? undefined, ['data', 'timeRange', 1]);
  if (fromMs !== null && toMs !== null && fromMs >= toMs)
    issues.push({ path: ['data', 'timeRange'], message: '[from, to] with from earlier than to (events in [from, to) are kept)' });
  return fromMs === null && toMs === null ? null : { fromMs, toMs };
}

function normalizeLog(x: DataInput, baseDir: string, timeRange: TimeRange | null): LogSource {
  const path = besideScenario(x.path, baseDir);
  return {
    data: {
      path,
      format: x.format ?? formatFromPath(x.path),
      columns: x.columns ? { ...x.columns } : null,
      timeUnit: x.timeUnit ?? DEFAULT_DATA.timeUnit,
      eventMap: x.eventMap ? { ...x.eventMap } : null,
      delimiter: x.delimiter ?? null,
      sessionGapMs: ms(x.sessionGap, DEFAULT_DATA.sessionGapMs),
      timeRange,
      strict: x.strict ?? DEFAULT_DATA.strict,
    },
    fragment: x.fragment ? normalizeIdentity(x.fragment, ['data', 'fragment'], []) : null,
    drift: {
      clock: x.drift?.clock ?? DEFAULT_DATA.clock,
      shifts: x.drift?.shifts ? { share: x.drift.shifts.share, groups: x.drift.shifts.groups ?? DEFAULT_DATA.shiftGroups } : null,
    },
  };
}

function normalizeDrift(x: Exclude<WorldInput['drift'], 'none' | undefined>): WorldSpec['drift'] {
  const d = DEFAULT_WORLD.drift;
  const kappa = x.kappa ?? d.kappa;
  const scale = x.scale ?? DEFAULT_DRIFT_SCALE;
  return { kappa, sigma: x.sigma ?? scale * Math.sqrt(2 * kappa), shiftRate: x.shiftRate ?? d.shiftRate, shiftStrength: x.shiftStrength ?? d.shiftStrength };
}

function normalizeLoginRate(v: number | { app?: number; web?: number; mweb?: number; desktop?: number } | undefined, fallback: ChannelMix): ChannelMix {
  if (v === undefined) return { ...fallback };
  if (typeof v === 'number') return { app: v, mweb: v, desktop: v };
  return { app: v.app ?? fallback.app, mweb: v.mweb ?? v.web ?? fallback.mweb, desktop: v.desktop ?? v.web ?? fallback.desktop };
}

/**
 * Names are identifiers: one name, one model or pipeline. Compared without case, since a model's name is also a
 * folder (models/<name>/) and macOS and Windows file systems do not tell KNN from knn.
 */
function checkUnique(entries: Array<{ name: string; path: (string | number)[] }>, issues: NormalizeIssue[]): void {
  const seen = new Map<string, { name: string; path: (string | number)[] }>();
  for (const { name, path } of entries) {
    const first = seen.get(name.toLowerCase());
    if (!first) seen.set(name.toLowerCase(), { name, path });
    else if (first.name === name) issues.push({ path, message: `a name no other model or pipeline has ("${name}" is also ${first.path.join('.')})` });
    else issues.push({ path, message: `a name no other model or pipeline has ("${name}" differs from ${first.path.join('.')} "${first.name}" only in case)` });
  }
}

/**
 * The activity settings without tail settings written at their defaults: a scenario that writes
 * `tail: gamma` normalizes (and echoes into results.json) exactly as one that leaves it out, as it did before
 * the tail settings existed.
 */
function withoutDefaultTail(a: ActivitySpec): ActivitySpec {
  const out = { ...a };
  for (const key of ['tail', 'sigma', 'oneOff'] as const) if (out[key] === ACTIVITY_TAIL_DEFAULTS[key]) delete out[key];
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parse an ISO 8601 date or date-time (UTC when no offset is given); null when malformed. */
function parseIso(text: string): number | null {
  const s = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return null;
  const withZone =
    /[T ]\d{2}:\d{2}/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s.replace(' ', 'T') + 'Z' : s.length === 10 ? s + 'T00:00:00Z' : s.replace(' ', 'T');
  const t = Date.parse(withZone);
  return Number.isFinite(t) ? t : null;
}
