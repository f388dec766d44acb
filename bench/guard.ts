// The memory guard against what it guards: every command that allocates at scale run as its own process under
// /usr/bin/time (peak resident memory), with RECGAP_MEMORY_TRACE set so the guard writes each estimate it made;
// the largest one (the check before the replay, once the requests are known) is set against the measured peak.
// The estimate must be at or above the peak (ratio >= 1) and not far above it (ratio <= 1.6). This is the table
// of docs/method.md 10.1.
// Cases, one after another (never two at once: each holds up to its peak):
//   quickstart          scenarios/quickstart.yaml as it is: run with 1 and 2 workers; fit, 4 shards with --fitted, merge
//   dense P             the dense protocol of bench/scale.ts replay (split at 40%, W = 1 day, every event type a
//                       label) at P persons: run with 1 and 2 workers
//   shard P             the same at P persons: fit, the 4 shards with --fitted, merge
// Run: node --import tsx bench/guard.ts [--dense 30000,120000] [--shard 60000,165000] [--merge-up-to 100000]
//        [--workers 1,2] [--no-quickstart]
//   (a list may be "none"; shard sets above --merge-up-to persons skip the merge). The defaults take about 20
//   minutes on an idle 2-core machine; the largest peak is the dense 120,000-person run (about 3.3 GB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const list = (text: string) => (text === '' || text === 'none' ? [] : text.split(',').map(Number));
const dense = list(flag('--dense', '30000,120000'));
const shardSizes = list(flag('--shard', '60000,165000'));
const workerCounts = list(flag('--workers', '1,2'));
// A merge holds every request's tables: above this many persons (dense) it is left out unless raised.
const mergeUpTo = Number(flag('--merge-up-to', '100000'));
const quickstart = !args.includes('--no-quickstart');
const BIN = resolve(import.meta.dirname, '../bin/recgap.js');
const out = mkdtempSync(join(tmpdir(), 'recgap-guard-bench-'));
const MiB = 2 ** 20;
const DENSE = ['train.until=40%', 'eval.window=1d', 'eval.positives=[view, cart, purchase]'];
const sets = (persons: number) => [`world.persons=${persons}`, ...DENSE].flatMap((s) => ['--set', s]);

interface Row {
  name: string;
  peakMiB: number;
  estimateMiB: number;
  wallS: number;
  cpuS: number;
  detail: string;
}
const rows: Row[] = [];

/** One recgap process under /usr/bin/time: its peak, and the largest estimate its guard made. */
function measure(name: string, cli: string[]): Row {
  const trace = join(out, `${rows.length}.trace`);
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, BIN, ...cli, '--quiet'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, RECGAP_MEMORY_TRACE: trace },
  });
  const time = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !time) throw new Error(`${name} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const estimates = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        JSON.parse(l) as {
          bytes: number;
          events: number;
          basis: string;
          options: { built?: number; replay?: { requests: number; views: number; models: number } };
        },
    );
  const largest = estimates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const o = largest.options;
  const detail = [
    // A merge holds no log: its basis names the requests, views and models of its shards.
    largest.events ? `${(largest.events / 1e6).toFixed(2)}M events` : largest.basis,
    o.built ? `${o.built.toLocaleString('en-US')} requests built` : null,
    o.replay ? `${o.replay.requests.toLocaleString('en-US')} x ${o.replay.views} x ${o.replay.models} replayed` : null,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const row = {
    name,
    peakMiB: Number(time[4]) / 1024,
    estimateMiB: largest.bytes / MiB,
    wallS: Number(time[1]),
    cpuS: Number(time[2]) + Number(time[3]),
    detail,
  };
  const ratio = row.estimateMiB / row.peakMiB;
  console.error(
    `${name}: peak ${row.peakMiB.toFixed(0)} MiB, estimate ${row.estimateMiB.toFixed(0)} MiB (x${ratio.toFixed(2)}), ${row.wallS.toFixed(0)} s wall, ${row.cpuS.toFixed(0)} s CPU, load ${loadavg()[0].toFixed(1)}`,
  );
  rows.push(row);
  return row;
}

const load0 = loadavg();
try {
  const workerFlags = (w: number) => (w > 1 ? ['--workers', String(w)] : []);
  /** recgap fit, the 4 shards with --fitted, and the merge of a workload. */
  const shardSet = (label: string, cli: string[], dir: string, merge = true) => {
    measure(`${label}, fit`, ['fit', ...cli, '--force', '--out', dir]);
    const fitted = join(dir, 'quickstart.fit');
    for (let i = 0; i < 4; i++) measure(`${label}, shard ${i}/4 --fitted`, ['run', ...cli, '--shard', `${i}/4`, '--fitted', fitted, '--force', '--out', dir]);
    const shards = Array.from({ length: 4 }, (_, i) => join(dir, `quickstart.shard-${i}-of-4`));
    if (merge) measure(`${label}, merge of 4`, ['merge', ...shards, '--force', '--out', join(dir, 'merged')]);
    rmSync(dir, { recursive: true, force: true });
  };
  const n = (x: number) => x.toLocaleString('en-US');
  if (quickstart) {
    for (const w of workerCounts) {
      measure(`quickstart, ${w} worker${w > 1 ? 's' : ''}`, ['run', ...workerFlags(w), '--force', '--out', join(out, `qs${w}`)]);
      rmSync(join(out, `qs${w}`), { recursive: true, force: true });
    }
    shardSet('quickstart', [], join(out, 'qs-shards'));
  }
  for (const p of dense) {
    for (const w of workerCounts) {
      measure(`dense ${n(p)}, ${w} worker${w > 1 ? 's' : ''}`, ['run', ...sets(p), ...workerFlags(w), '--force', '--out', join(out, `d${p}-${w}`)]);
      rmSync(join(out, `d${p}-${w}`), { recursive: true, force: true });
    }
  }
  for (const p of shardSizes) shardSet(`dense ${n(p)}`, sets(p), join(out, `s${p}`), p <= mergeUpTo);
} finally {
  rmSync(out, { recursive: true, force: true });
}

const cpu = cpus();
console.log(
  `${cpu[0]?.model ?? 'unknown'} x ${cpu.length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load0[0].toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end\n`,
);
console.log('| command | what the guard counted | peak MiB | estimate MiB | estimate / peak | wall s | CPU s |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.detail} | ${r.peakMiB.toFixed(0)} | ${r.estimateMiB.toFixed(0)} | ${(r.estimateMiB / r.peakMiB).toFixed(2)} | ${r.wallS.toFixed(0)} | ${r.cpuS.toFixed(0)} |`,
  );
const bad = rows.filter((r) => r.estimateMiB < r.peakMiB || r.estimateMiB > 1.6 * r.peakMiB);
console.log(bad.length ? `\noutside 1.0-1.6: ${bad.map((r) => r.name).join('; ')}` : '\nevery estimate within 1.0-1.6 of its peak');
