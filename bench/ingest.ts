// Benchmark of log ingestion: a synthetic CSV with the canonical columns (as `recgap generate` writes them)
// read through readLog. Run: node --import tsx bench/ingest.ts [rows, default 10000000]
// The CSV is written once to /tmp and reused by later runs with the same row count.
import { defaultDataSpec } from '../src/scenario/defaults.ts';
import { availableParallelism, loadavg } from 'node:os';
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { COLUMN_NAMES } from '../src/log/eventLog.ts';
import { readLog } from '../src/ingest/readLog.ts';

const rows = Number(process.argv[2] ?? 10_000_000);
const file = `/tmp/recgap-ingest-bench-${rows}.csv`;

/** Rows like a fragmented world's: 200k persons with 1-2 keys, 30% logged in, 50k Zipf-ish items, 8-event sessions. */
function writeCsv(path: string, n: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const channels = ['app', 'mweb', 'desktop'];
  const events = ['view', 'view', 'view', 'view', 'cart', 'purchase'];
  let x = 0x2545f491;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  let t = 1_700_000_000_000;
  let s = 'time,person,key,login,channel,session,item,event,value\n';
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 500);
    const p = Math.floor(rnd() * 200_000);
    const k = p * 2 + (rnd() < 0.3 ? 1 : 0);
    const login = rnd() < 0.3 ? `u${p}` : '';
    s += `${t},p${p},${k & 1 ? 'c' : 'a'}${k},${login},${channels[k % 3]},${Math.floor(i / 8)},i${Math.floor(rnd() ** 2 * 50_000)},${events[Math.floor(rnd() * 6)]},1\n`;
    if (s.length > 1 << 20) {
      writeSync(fd, s);
      s = '';
    }
  }
  writeSync(fd, s);
  closeSync(fd);
  renameSync(tmp, path);
}

const fmt = (v: number) => Math.round(v).toLocaleString('en');
if (existsSync(file)) console.log(`reusing ${file}`);
else {
  const g0 = performance.now();
  writeCsv(file, rows);
  console.log(`wrote ${file} in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
}
const rssBefore = process.resourceUsage().maxRSS / 1024;
const cpu0 = process.cpuUsage();
const spec = defaultDataSpec(file, 'csv');
const onStage = (stage: string, seconds: number) => console.log(`  ${stage.padEnd(6)} done at ${seconds.toFixed(2)} s`);
const { log, report } = await readLog(spec, { onStage });
const peakMiB = process.resourceUsage().maxRSS / 1024;
const cpu = process.cpuUsage(cpu0);
const [load1] = loadavg();
let columnBytes = 0;
for (const name of COLUMN_NAMES) columnBytes += log[name].byteLength;
const dictEntries = Object.values(log.dict).reduce((s, d) => s + d.length, 0);
console.log(
  `${fmt(report.rows)} rows (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB CSV), ${fmt(report.loaded)} loaded | ${report.seconds.toFixed(2)} s, ` +
    `${fmt(report.loaded / report.seconds)} rows/s | peak RSS ${fmt(peakMiB)} MiB (before reading ${fmt(rssBefore)} MiB) | ` +
    `log columns ${(columnBytes / log.length).toFixed(1)} bytes/event, ${fmt(dictEntries)} dictionary entries | ` +
    `CPU ${(cpu.user / 1e6).toFixed(1)} s user + ${(cpu.system / 1e6).toFixed(1)} s sys, load average ${load1.toFixed(1)} on ${availableParallelism()} cores`,
);
