// Every calibration message as a function: errors, progress lines, the twin file's comments and the validation
// table's words. Tests compare against these functions.
import type { DriftStatus } from '../audit/drift.ts';
import type { DriftProbe } from './driftMap.ts';
import type { Stats } from './logStats.ts';

const n = (x: number) => x.toLocaleString('en-US');
/** Below this many persons the table says that sampling noise, not the fit, sets its errors. */
export const SMALL_LOG_PERSONS = 1000;
/** A statistic for people: 3 significant digits, thousands separated for counts. */
export const showValue = (x: number): string => (x === x ? (Number.isInteger(x) && Math.abs(x) >= 1000 ? n(x) : String(+x.toPrecision(3))) : 'n/a');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const percent = (x: number) => (x === Infinity ? 'inf' : `${(100 * x).toFixed(1)}%`);

const LABELS: Record<string, string> = {
  persons: 'persons with events',
  items: 'items with events',
  events: 'events',
  days: 'days from first to last event',
  visitsPerPerson: 'visits per person, mean',
  visitsCv: 'visits per person, coefficient of variation',
  oneVisitShare: 'persons with a single visit, share',
  eventsPerVisit: 'events per visit, mean',
  zipf: 'item popularity, Zipf exponent over the top half of events',
  popularityNdcg: "popularity's offline NDCG@10 (purchases follow popularity)",
  cartPerView: 'carts per view',
  purchasePerCart: 'purchases per cart',
  purchasePerView: 'purchases per view',
  sameVisitShare: 'purchases in the visit of their last touch, share',
  laterDelayDays: 'days from last touch to a later purchase, median',
  tauDays: 'drift window tau (days; check 01 fit)',
  driftLoss: 'similarity lost to drift (1 - c)',
  keysPerPerson: 'keys per person, mean',
  multiKeyShare: 'persons on two or more keys, share',
  loginAll: 'sessions logged in, share',
};

export const calibrateMsg = {
  // Errors.
  noItems: (input: string) => `${input}: no events with an item; calibration needs a log of item interactions`,
  noSpan: (input: string) => `${input}: every event has the same time; calibration needs a log that spans time`,
  noTwinTypes: (input: string, types: readonly string[]) =>
    `${input}: no event type the twin can play (it has ${types.join(', ')}); name them view, cart or purchase (data.eventMap), or give a log of one event type`,
  badPersons: (value: string) => `--persons must be a positive integer (got ${JSON.stringify(value)})`,
  personsAboveLog: (persons: number, logPersons: number) =>
    `--persons ${persons} is more than the log's ${n(logPersons)} persons; --persons only scales the twin down`,
  unknownFormat: (format: string, formats: readonly string[]) => `--format ${JSON.stringify(format)}: not a log format; use one of ${formats.join(', ')}`,
  outNotYaml: (out: string) => `--out ${out}: the twin is a scenario; name a .yaml or .yml file`,

  // Progress lines.
  measuredLine: (s: Stats, drift: DriftStatus | null) =>
    `${n(s.persons)} persons, ${n(s.items)} items, ${n(s.events)} events over ${s.days.toFixed(1)} days; drift ${drift === 'decay' ? `tau ${s.tauDays.toFixed(2)} days` : (drift ?? 'not measured')}`,
  phaseLine: (maxError: number, rounds: number) => `${rounds} round${rounds === 1 ? '' : 's'}, largest error ${percent(maxError)}`,
  gridLine: (probes: readonly DriftProbe[], kappa: number) =>
    `tau ${probes.map((p) => `${showValue(p.tauDays)}d at kappa ${showValue(p.kappa)}`).join(', ')}: kappa ${showValue(kappa)}`,
  devicesLine: (devices: readonly number[]) => `devices [${devices.join(', ')}]`,
  twinLine: (events: number) => `${n(events)} events`,

  // Where a setting came from (twin.yaml comments).
  statLabel: (name: string): string => {
    const [kind, channel] = name.split('.');
    if (kind === 'login') return `${channel} sessions logged in, share`;
    if (kind === 'channel') return `sessions on ${channel}, share`;
    return LABELS[name] ?? name;
  },
  /** `wants`: the value the log wants beyond the bound when the fit can say, else which side of the bound. */
  noteAtBound: (bound: number, wants: number | null, below: boolean) =>
    `; at its bound ${showValue(bound)} (the log wants ${wants !== null ? showValue(wants) : `${below ? 'below' : 'above'} ${showValue(bound)}`}): the generator cannot go further`,
  noteTail: (cv: number, one: number, gamma: { one: number; reached: boolean }) =>
    `measured: the log's visits per person (CV ${showValue(cv)}, ${percent(one)} with a single visit) are beyond a Gamma activity's reach (${gamma.reached ? `at that mean and CV it gives ${percent(gamma.one)} single visits` : `none gives that CV at that mean`}), so activity is lognormal with one-off persons`,
  noteFitted: (label: string, source: number, twin: number) => `fitted: the log's ${label} is ${showValue(source)}, the twin's ${showValue(twin)}`,
  noteDevices: (source: number, twin: number, multiSource: number, multiTwin: number) =>
    `fitted to the keys-per-person histogram: mean ${showValue(source)} in the log, ${showValue(twin)} in the twin; on two or more keys ${percent(multiSource)} and ${percent(multiTwin)}`,
  notePersons: (source: number, twin: number) =>
    `fitted: ${n(source)} persons with events in the log, ${n(twin)} in the twin (the world also holds persons who never show up)`,
  notePersonsScaled: (from: number, to: number, sample: number, twin: number) =>
    `scaled down by --persons ${n(to)} from the log's ${n(from)} persons: fitted to a person sample of the log (${n(sample)} persons with events; the twin shows ${n(twin)}); rates per person are the log's`,
  noteStart: (firstMs: number) => `measured: the log's first event is at ${new Date(firstMs).toISOString()}`,
  noteDays: (firstMs: number, lastMs: number) => `measured: the log runs from ${day(firstMs)} to ${day(lastMs)}`,
  noteCategories: (count: number) => `measured: the log's items fall into ${count} categories`,
  noteNoDecay: () => "measured: the log shows no behaviour drift (check 01's fit: no decay), so the twin has none",
  noteKept: (reason: string) => `not measured: ${reason}; default kept`,
  noteStandIn: (reason: string) => `not measured: ${reason}`,

  // Why a setting is not measured.
  reasonFewItemCounts: () => 'too few items are seen five times or more for a rank-frequency fit',
  reasonNoViews: () => 'the log records no views, so every twin view goes on to a cart (views stand in for what the log does not record)',
  reasonNoCarts: () => 'the log records no carts',
  reasonPurchasesOnly: () => "the log records purchases only; the twin's views all end in a purchase in the same visit, so its visits are the log's baskets",
  reasonNoPurchases: () => 'the log records no purchases',
  reasonNoLaterPurchases: () => 'no purchase in the log comes in a later visit than its last touch',
  reasonNoTouches: () => 'no purchase in the log follows a view or cart of its item',
  reasonDriftTooLittle: () => "the log has too little data for check 01's drift fit",
  reasonNoKeys: () => 'the log has one key per person (no device or cookie ids)',
  reasonFragmentKept: () => "the log has one key per person; the source scenario's data.fragment settings are kept",
  reasonNoChannels: () => 'the log has no canonical channels (app, mweb, desktop)',
  reasonNoLogins: () => 'the log has no logins',
  reasonSharedDevices: () => 'a log cannot tell a shared device from a merged identity',

  // The twin file's header and its sections' comments.
  header: (input: string, scaled: string | null) =>
    [
      ` A synthetic twin of ${input}, written by recgap calibrate.`,
      ' Its world is fitted so that a generated log shows the statistics the source shows (calibration.json has',
      ' the validation table); every fitted setting says what it was fitted to. Settings not listed are the',
      " generator's defaults. The twin is an assumption about what the log cannot show, not a measurement of it.",
      ...(scaled ? [` ${scaled}`] : []),
    ].join('\n'),
  sectionFrom: (source: string) => ` from ${source}`,
  sectionDefaults: () => " the quickstart's (the log came without a scenario); positives: the log's",

  // The validation table.
  tableTitle: (input: string) => `calibration of ${input}: the log against its twin (the twin seen through the log's columns)`,
  tableHeader: () => ['statistic', 'log', 'twin', 'error', ''],
  statusMatched: (ok: boolean) => (ok ? 'ok' : 'MISS'),
  statusReported: () => 'reported (no knob)',
  statusAtBound: (setting: string, value: number) => `MISS: out of the generator's reach (${setting} at its bound ${value})`,
  keptTitle: () => 'not measured, defaults kept:',
  keptLine: (setting: string, reason: string) => `  ${setting}: ${reason}`,
  auditTitle: () => 'audit verdicts (same settings on both):',
  auditLine: (id: string, name: string, log: string, logValue: number, twin: string, twinValue: number) =>
    `  ${id} ${name.padEnd(28)} log ${`${log} (${showValue(logValue)})`.padEnd(18)} twin ${`${twin} (${showValue(twinValue)})`.padEnd(18)} ${log === twin ? 'equal' : 'DIFFERENT'}`,
  smallLog: (persons: number) =>
    `the log has ${n(persons)} persons: its statistics and the twin's move by sampling noise, and a twin within 10% on each is not to be expected below about ${n(SMALL_LOG_PERSONS)}`,
  goalLine: (matched: number, within: number, tolerance: number, verdictsEqual: number, checks: number) =>
    `${within} of ${matched} matched statistics within ${Math.round(100 * tolerance)}%; ${verdictsEqual} of ${checks} audit verdicts equal`,
};
