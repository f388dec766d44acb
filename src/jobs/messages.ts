// Every message of the jobs (compare, shard and merge, audit, the memory guard) as functions in one place:
// tests compare against these rather than copied strings.

export const jobMsg = {
  // recgap compare
  metricNotInBoth: (metric: string, dirA: string, metricsA: readonly string[], dirB: string, metricsB: readonly string[]) =>
    `metric "${metric}" is not in both runs; ${dirA} has ${metricsA.join(', ')}; ${dirB} has ${metricsB.join(', ')}`,
  matchUnknown: (model: string, dir: string, known: readonly string[]) => `--match: ${dir} has no model "${model}"; it has ${known.join(', ')}`,
  nothingPairs: (dirA: string, modelsA: readonly string[], dirB: string, modelsB: readonly string[]) =>
    `nothing to compare: no model name is in both runs (${dirA}: ${modelsA.join(', ')}; ${dirB}: ${modelsB.join(', ')}); pair them with --match A=B, e.g. --match ${modelsA[0] ?? 'prod'}=${modelsB[0] ?? 'candidate'}`,
  notRunFolder: (file: string) => `not a run folder: ${file} does not exist`,
  notJson: (file: string, detail: string) => `${file}: not valid JSON (${detail})`,
  noColumn: (file: string, name: string) => `${file}: no column ${name}`,
  requestsParquetMissing: (file: string) =>
    `${file} does not exist: the per-request values are read from requests.parquet, which runs of an older recgap lack; run the scenario again (recgap run) to write it`,
  requestsParquetUnreadable: (file: string, detail: string) => `${file}: not a readable requests.parquet (${detail})`,
  unpairedCounts: (a: number, b: number) => `the runs evaluated different numbers of requests (${a} and ${b})`,
  unpairedRequest: (r: number) => `request ${r} differs (time or person): the runs used different logs or splits`,

  // recgap gate
  gateMargin: (v: string) => `--margin ${v}: expected a non-negative number in the metric's units, e.g. 0.005`,
  gateSameModel: (m: string) => `--baseline and --candidate are both "${m}"; name two different models`,
  gateUnknownModel: (m: string, input: string, known: readonly string[]) => `${input} has no model "${m}"; it has ${known.join(', ')}`,
  gateUnknownPipeline: (p: string, known: readonly string[]) => `--pipeline ${p}: no such pipeline; the run has ${known.join(', ')}`,
  gateUnknownMetric: (m: string, known: readonly string[]) => `--metric ${m}: not computed by this run; it has ${known.join(', ')}`,
  gateRunFolderOptions: (dir: string) => `${dir} is a finished run: --set and --seed apply only when the gate runs a scenario`,
  gateNoInterval: (distinct: number, effective: number, min: number) =>
    `no interval: the requests come from ${distinct} persons (${effective.toFixed(1)} effective), fewer than the ${min} an interval needs`,
  gatePass: (at: string, level: number, lo: number, margin: number) =>
    `${at}; its ${level}% interval starts at ${lo.toFixed(4)}, above -${margin}: not detectably worse than production beyond the margin`,
  gateFail: (at: string, level: number, hi: number, margin: number) =>
    `${at}; its ${level}% interval ends at ${hi.toFixed(4)}, below -${margin}: worse than production as served`,
  gateInconclusive: (at: string, level: number, lo: number, hi: number, margin: number, persons: number, needed: number | null) =>
    `${at}; its ${level}% interval [${lo.toFixed(4)}, ${hi.toFixed(4)}] contains -${margin}: the data cannot tell` +
    (needed === null ? '' : `; about ${needed.toLocaleString('en-US')} persons would (the run has ${persons.toLocaleString('en-US')})`),
  gateDisagree: (candidate: string, offline: string, served: string, pipeline: string) =>
    `Offline and served disagree: ${candidate} ${offline} offline and ${served} served under ${pipeline}.`,

  // recgap audit
  logNotFound: (file: string) => `log file not found: ${file}`,
  auditFolder: (dir: string) => `${dir} is a folder; recgap audit reads a log file or a scenario (.yaml)`,
  unknownPositive: (type: string, known: readonly string[]) =>
    `no event type "${type}" in the log (it has ${known.join(', ')}); pass --positives with one of them`,

  // the memory guard
  /** `what`: "this run", "generating this log", ...; `detail`: the events and where they come from; `limit`: where the limit comes from. */
  notEnoughMemory: (what: string, needs: string, detail: string, available: string, limit: string, advice: string) =>
    `${what} needs about ${needs} of memory (${detail}) but ${available} is available ${limit}; try ${advice}, or pass --force to go ahead anyway`,

  // --shard
  shardSyntax: (text: string) => `--shard ${JSON.stringify(text)}: expected i/n (e.g. 0/4) or auto/n`,
  shardCount: (text: string) => `--shard ${text}: the shard count must be an integer from 1 to 65535`,
  shardAutoUnset: (count: number) =>
    `--shard auto/${count}: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set`,
  shardAutoNotInteger: (count: number, variable: string, raw: string) =>
    `--shard auto/${count}: ${variable} is ${JSON.stringify(raw)}; expected a non-negative integer`,
  shardAutoIndex: (count: number, variable: string, index: number) =>
    `--shard auto/${count}: ${variable} is ${index}; expected an index below the shard count ${count}`,
  shardIndex: (text: string, count: number) => `--shard ${text}: the index must be below the shard count (0 to ${count - 1})`,

  // shard folders and recgap merge
  notShardFolder: (dir: string) => `${dir}: not a shard folder (no shard.json); shards are written by recgap run --shard i/n`,
  shardFormat: (file: string, found: unknown, expected: string) => `${file}: format is ${JSON.stringify(found)}; expected "${expected}"`,
  shardTablesMissing: (file: string) => `${file}: missing (the shard folder is incomplete)`,
  shardTablesSize: (file: string, bytes: number, expected: number) => `${file}: ${bytes} bytes; shard.json describes ${expected}`,
  shardArrayMissing: (file: string, name: string) => `${file}: array ${name} missing`,
  noShards: () => 'recgap merge: no shard folders given',
  shardCountMismatch: (dir: string, index: number, count: number, firstDir: string, firstCount: number) =>
    `${dir}: shard ${index}/${count}, but ${firstDir} is one of ${firstCount} shards`,
  shardTwice: (dir: string, index: number, count: number, other: string) => `${dir}: shard ${index}/${count} is given twice (also ${other})`,
  shardOtherRun: (dir: string, firstDir: string, difference: string) => `${dir}: not from the same run as ${firstDir} (${difference} differs)`,
  shardsMissing: (missing: readonly number[], count: number) =>
    `recgap merge: shards ${missing.map((i) => `${i}/${count}`).join(', ')} missing; all ${count} are needed`,
  shardRequestCount: (total: number, n: number) => `recgap merge: the shards hold ${total} requests; the run has ${n}`,
  shardRequestClash: (dir: string, r: number) => `${dir}: request ${r} is out of range or also in another shard`,
  // shard.json is untrusted: each problem follows the file's name (shardSchema.ts)
  shardInvalid: (file: string, detail: string) => `${file} is not a recgap shard file: ${detail}`,
  shardIndexBeyond: (index: number, count: number) => `shard.index ${index} is not below shard.count ${count}`,
  shardNoKs: () => 'frame.config.ks is empty; expected at least one K',
  shardPlans: () => 'frame.plans, frame.pipelines and frame.identity do not describe the same pipelines',
  shardPlanSource: (plan: number, source: number, sources: number) => `frame.plans.${plan} refers to table ${source}; the shard has ${sources}`,
  shardIdsLength: (keys: number, persons: number) => `keyIds has ${keys} entries and personIds ${persons}; expected one of each per request`,
  shardManifest: (rows: number, first: string) => `arrays do not list the tables a shard of ${rows} requests writes (first difference: ${first})`,
  shardModelFile: (path: string) => `${path}: not a regular file or folder; a shard's models/ holds only the folders and files recgap run wrote`,

  // fit folders (recgap fit) and run --fitted
  notFitFolder: (dir: string) => `${dir}: not a fit folder (no fit.json); fit folders are written by recgap fit`,
  fitInvalid: (file: string, detail: string) => `${file} is not a recgap fit file: ${detail}`,
  fitModels: () => "models do not list the scenario's models in its order",
  fitModelMissing: (path: string) => `${path}: missing, or not a regular file or folder; a fit's models/ holds only the folders and files recgap fit wrote`,
  fitOtherScenario: (dir: string, field: string, fit: string, run: string) =>
    `--fitted ${dir}: fitted from another scenario: ${field} is ${fit} there and ${run} here; run recgap fit again for this scenario`,
  fitLogChanged: (dir: string, path: string, bytes: number, mtime: string, nowBytes: number, nowMtime: string) =>
    `--fitted ${dir}: fitted from ${path} of ${bytes} bytes modified ${mtime}; it is now ${nowBytes} bytes modified ${nowMtime}; run recgap fit again`,
  fitSummary: (name: string, models: readonly string[], events: number, quality: number, dir: string) =>
    `${name}: fitted ${models.join(', ') || 'no models'} on ${events.toLocaleString('en-US')} events, identity quality of ${quality} serving configurations; start each shard with recgap run --shard i/n --fitted ${dir}`,
};
