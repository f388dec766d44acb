// Fit once, shard the replay: what a sharded run costs against a single run, split into the fixed cost every
// shard pays (start-up, generating or reading the log, loading the fit, building requests) and the cost the
// shards divide (the replay), plus the fit and the merge paid once. Every step is its own process (as on n
// machines), run one after another, timed by /usr/bin/time (wall, user+system CPU, peak resident memory);
// stage times come from the reporter's lines on stderr. Optionally the merged output is compared with a
// single run's (results.json minus runtime, requests.csv, requests.parquet, report files).
// Workload: the quickstart with the dense 1M-request protocol of bench/scale.ts replay (split at 40%, W = 1
// day, every event type a label), scaled by persons.
// Run: node --import tsx bench/shards.ts [persons, default 30000] [shards, default 4] [--no-single] [--same-as DIR] [--first K]
//   --no-single: skip the single run (its figures come from elsewhere, e.g. bench/scale.ts)
//   --same-as DIR: also compare the merged output with DIR/quickstart (a single run of the same workload)
//   --first K: run only the first K shards (no merge): the divided cost is their mean replay times n
//   --predict EVENTS NODES: the events and nodes to extrapolate to (default 1e9 100), linearly in the log's size
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--no-')));
const flagValue = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : null);
const sameAs = flagValue('--same-as');
const positional = args.filter((a, i) => !a.startsWith('--') && !['--same-as', '--first', '--predict'].includes(args[i - 1]) && args[i - 2] !== '--predict');
const predict = flagValue('--predict')
  ? { events: Number(flagValue('--predict')), nodes: Number(args[args.indexOf('--predict') + 2]) }
  : { events: 1e9, nodes: 100 };
const persons = Number(positional[0] ?? 30_000);
const shards = Number(positional[1] ?? 4);
const first = Number(flagValue('--first') ?? shards);
const BIN = resolve(import.meta.dirname, '../bin/recgap.js');
const SETS = [`world.persons=${persons}`, 'train.until=40%', 'eval.window=1d', 'eval.positives=[view, cart, purchase]'].flatMap((s) => ['--set', s]);
const out = mkdtempSync(join(tmpdir(), 'recgap-shards-bench-'));

interface Step {
  name: string;
  wallS: number;
  cpuS: number;
  peakMb: number;
  stages: Record<string, number>;
  stderr: string;
}

/** One recgap process under /usr/bin/time: wall, CPU and peak memory, and its stage times (s). */
function step(name: string, cli: string[]): Step {
  // --force: the guard's estimate is not what is measured here (merge holds no log and has no guard).
  const force = cli[0] === 'run' || cli[0] === 'fit' ? ['--force'] : [];
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, BIN, ...cli, ...force], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const time = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !time) throw new Error(`${name} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const stages: Record<string, number> = {};
  for (const line of r.stderr.split('\n')) {
    const m = /^([^:(]+?)(?:: .*)? \(([\d.]+) s\)$/.exec(line);
    if (m) stages[m[1]] = (stages[m[1]] ?? 0) + Number(m[2]);
  }
  const s = { name, wallS: Number(time[1]), cpuS: Number(time[2]) + Number(time[3]), peakMb: Number(time[4]) / 1024, stages, stderr: r.stderr };
  console.error(`${name}: ${s.wallS.toFixed(1)} s wall, ${s.cpuS.toFixed(1)} s CPU, ${s.peakMb.toFixed(0)} MB peak (load ${loadavg()[0].toFixed(1)})`);
  return s;
}

/** Stage groups: what every shard pays again, what the shards divide, what the fit and the merge do once. */
const GROUPS: Array<[string, (stage: string) => boolean]> = [
  ['log', (s) => s === 'generate world' || s === 'read log'],
  ['fit/load', (s) => s === 'fit models' || s === 'load fitted models'],
  ['requests', (s) => s === 'build requests'],
  ['identity', (s) => s === 'identity resolution quality'],
  ['replay', (s) => s.startsWith('replay')],
  ['finish', (s) => s === 'bootstrap and decomposition' || s === 'read shards' || s === 'requests.parquet' || s === 'report' || s === 'write output'],
];
const group = (st: Step, g: string) =>
  Object.entries(st.stages)
    .filter(([k]) => GROUPS.find(([n]) => n === g)![1](k))
    .reduce((a, [, v]) => a + v, 0);
/** Wall time outside the stages: Node and module start-up, CSV text, writing the folder. */
const rest = (st: Step) => st.wallS - GROUPS.reduce((a, [g]) => a + group(st, g), 0);

// A process that starts and stops (loading the CLI and its TypeScript): paid by every step, whatever the log.
const startup = step('start-up (recgap --version)', ['--version']);
const steps: Step[] = [];
const load0 = loadavg();
if (!flags.has('--no-single')) steps.push(step('single run', ['run', ...SETS, '--out', join(out, 'single')]));
steps.push(step('fit', ['fit', ...SETS, '--out', join(out, 'shards')]));
const fitDir = join(out, 'shards', 'quickstart.fit');
for (let i = 0; i < first; i++)
  steps.push(step(`shard ${i}/${shards}`, ['run', ...SETS, '--shard', `${i}/${shards}`, '--fitted', fitDir, '--out', join(out, 'shards')]));
const dirs = Array.from({ length: shards }, (_, i) => join(out, 'shards', `quickstart.shard-${i}-of-${shards}`));
if (first === shards) steps.push(step('merge', ['merge', ...dirs, '--out', join(out, 'merged')]));
// One shard without the fit folder: what fitting (and identity quality) costs a shard that fits itself.
steps.push(step(`shard 0/${shards} without --fitted`, ['run', ...SETS, '--shard', `0/${shards}`, '--out', join(out, 'plain')]));

const f = (x: number) => x.toFixed(1);
console.log(
  `\nquickstart, ${persons.toLocaleString('en-US')} persons, dense protocol (split 40%, W = 1d, all event types), ${shards} shards one after another, 1 thread each`,
);
console.log(
  `load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start, ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} at end\n`,
);
console.log('| step | wall s | CPU s | peak MB | log | fit/load | requests | identity | replay | finish | other |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of steps)
  console.log(`| ${s.name} | ${f(s.wallS)} | ${f(s.cpuS)} | ${s.peakMb.toFixed(0)} | ${GROUPS.map(([g]) => f(group(s, g))).join(' | ')} | ${f(rest(s))} |`);

const sh = steps.filter((s) => /^shard \d+\/\d+$/.test(s.name));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fixed = mean(sh.map((s) => s.wallS - group(s, 'replay')));
const fixedCpu = mean(sh.map((s) => s.cpuS - (group(s, 'replay') * s.cpuS) / s.wallS));
// With --first K < n: the shards not run are taken to replay as long as the mean of those run.
const divided = (sh.reduce((a, s) => a + group(s, 'replay'), 0) * shards) / sh.length;
const fit = steps.find((s) => s.name === 'fit')!;
const merge = steps.find((s) => s.name === 'merge') ?? null;
const single = steps.find((s) => s.name === 'single run');
console.log(
  `\nfixed cost per shard (wall outside the replay): ${f(fixed)} s (about ${f(fixedCpu)} s CPU); log ${f(mean(sh.map((s) => group(s, 'log'))))} s, load fit ${f(mean(sh.map((s) => group(s, 'fit/load'))))} s`,
);
console.log(
  `divided cost (replay, summed over shards${sh.length < shards ? `, ${sh.length} of ${shards} run` : ''}): ${f(divided)} s${single ? `; the single run replays in ${f(group(single, 'replay'))} s` : ''}`,
);
console.log(`paid once: fit ${f(fit.wallS)} s${merge ? `, merge ${f(merge.wallS)} s` : ' (merge not run)'}`);
if (merge)
  console.log(
    `n shards in parallel: fit + fixed + divided / n + merge = ${f(fit.wallS + fixed + divided / shards + merge.wallS)} s${single ? ` against the single run's ${f(single.wallS)} s` : ''}`,
  );

// Extrapolation, in CPU seconds (one thread per process: on an idle machine wall is about CPU), every cost
// linear in the log's size with the workload's requests per event: the fixed cost of a shard (its whole log,
// requests, start-up), the replay divided among the nodes, the fit and the merge paid once.
const count = (re: RegExp) => Number(re.exec(fit.stderr)?.[1].replaceAll(',', '') ?? Number.NaN);
const events = count(/generate world: ([\d,]+) events/);
const requests = count(/build requests: ([\d,]+) requests/);
const k = predict.events / events;
// Start-up is not scaled: CPU and memory beyond it grow with the log.
const cpuAt = (cpu: number, per = 1) => (cpu - startup.cpuS) * (k / per) + startup.cpuS;
const gbAt = (mb: number) => ((mb - startup.peakMb) * k + startup.peakMb) / 1024;
const replayCpu = (s: Step) => (group(s, 'replay') * s.cpuS) / s.wallS;
const dividedCpu = (sh.reduce((a, s) => a + replayCpu(s), 0) * shards) / sh.length;
const peakShard = Math.max(...sh.map((s) => s.peakMb));
const csvBytes = merge ? statSync(join(out, 'merged', 'quickstart', 'requests.csv')).size : Number.NaN;
const h = (sec: number) => (sec >= 3600 ? `${(sec / 3600).toFixed(1)} h` : `${(sec / 60).toFixed(0)} min`);
console.log(
  `\nmeasured on ${events.toLocaleString('en-US')} events, ${requests.toLocaleString('en-US')} requests; at ${predict.events.toExponential(0)} events (x${k.toFixed(0)}, about ${Math.round(requests * k).toLocaleString('en-US')} requests) on ${predict.nodes} nodes, one shard each:`,
);
console.log(`  fit (one node): ${h(cpuAt(fit.cpuS))} CPU, peak about ${gbAt(fit.peakMb).toFixed(0)} GB`);
console.log(
  `  each shard: fixed ${h(cpuAt(fixedCpu))} + its replay ${h((dividedCpu * k) / predict.nodes)} CPU, peak about ${gbAt(peakShard).toFixed(0)} GB (every shard holds the whole log)`,
);
if (merge)
  console.log(
    `  merge (one node): ${h(cpuAt(merge.cpuS))} CPU, peak about ${gbAt(merge.peakMb).toFixed(0)} GB; requests.csv about ${((csvBytes * k) / 2 ** 30).toFixed(0)} GiB of text, against V8's string limit of 0.5 GiB`,
  );

if (merge && (sameAs || single)) {
  const ref = sameAs ? join(sameAs, 'quickstart') : join(out, 'single', 'quickstart');
  const got = join(out, 'merged', 'quickstart');
  const files = (d: string, p = ''): string[] =>
    readdirSync(join(d, p)).flatMap((e) => (e === '.recgap-output' ? [] : statSync(join(d, p, e)).isDirectory() ? files(d, join(p, e)) : [join(p, e)]));
  const differ = files(ref).filter((rel) => {
    if (!existsSync(join(got, rel))) return true;
    if (rel === 'results.json') {
      const strip = (t: string) => JSON.stringify({ ...JSON.parse(t), runtime: null });
      return strip(readFileSync(join(ref, rel), 'utf8')) !== strip(readFileSync(join(got, rel), 'utf8'));
    }
    return !readFileSync(join(ref, rel)).equals(readFileSync(join(got, rel)));
  });
  console.log(
    `\nmerged output against ${ref}: ${differ.length === 0 ? `identical (${files(ref).length} files; results.json without runtime)` : `DIFFERS: ${differ.join(', ')}`}`,
  );
}
rmSync(out, { recursive: true, force: true });
