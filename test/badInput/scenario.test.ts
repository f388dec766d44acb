// Issue #8's bad-input list, scenario side: rows that test/scenario/load.test.ts does not already cover, each
// with its exact one-line message (file:line, key path, value, what is allowed). Rows marked (#8 defect) were
// pinned as known defects by the audit and the property tests until their fixes landed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { InputError, msg } from '../../src/errors.ts';
import { nameProblem } from '../../src/scenario/names.ts';
import { loadScenario, MAX_SCENARIO_BYTES, parseScenario } from '../../src/scenario/load.ts';

const base = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');
const edit = (from: string | RegExp, to: string) => {
  if (typeof from === 'string' ? !base.includes(from) : !from.test(base)) throw new Error(`fixture drift: ${from}`);
  return base.replace(from, to);
};
/** The quickstart with these models instead of its own. */
const withModel = (models: string) => edit('models: [ { name: pop, type: popularity }, { name: knn, type: itemknn } ]', `models: [ ${models} ]`);
/** The quickstart reading a log instead of generating a world. */
const withData = (data: string) => edit(/^world: .*$/m, `data: ${data}`);

/** Six levels of nine aliases each: about 600,000 values from six lines (an "alias bomb"). */
const aliasBomb = (() => {
  const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [n, p] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
  ])
    rows.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`);
  return rows.join('\n') + '\n';
})();
const collectionKey = '{ streaming-oracle: "every event visible at once, the true person known (equals the offline view)." }';

/** Parse, and return the InputError's message (failing if anything else happens). */
function messageOf(text: string, overrides: string[] = []): string {
  try {
    parseScenario(text, 'q.yaml', overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('parsed without an error');
}

describe('scenario bad inputs: one line naming file:line, key path, value and what is allowed', () => {
  const rows: Array<[string, string, string, string[]?]> = [
    // malformed YAML, with its line
    ['duplicate key', edit('seed: 7', 'seed: 7\nseed: 8'), 'q.yaml:8: invalid YAML: Map keys must be unique'],
    ['keys that differ only in their YAML type', `${base}1: a\n"1": b\n`, 'q.yaml:17: invalid YAML: Map keys must be unique'],
    ['tab indentation', edit('seed: 7', '\tseed: 7'), 'q.yaml:7: invalid YAML: Tabs are not allowed as indentation'],
    [
      'unclosed flow mapping',
      edit('train: { until: "70%" }', 'train: { until: "70%"'),
      'q.yaml:10: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ],
    ['unclosed quote', edit('train: { until: "70%" }', 'train: { until: "75% }'), 'q.yaml:16: invalid YAML: Missing closing "quote'],
    ['custom tag', edit('name: quickstart', 'name: !foo quickstart'), 'q.yaml:6: invalid YAML: Unresolved tag: !foo'],
    ['js/regexp tag', edit('name: quickstart', 'name: !!js/regexp /x/'), 'q.yaml:6: invalid YAML: Unresolved tag: tag:yaml.org,2002:js/regexp'],
    ['empty file', '', 'q.yaml: a scenario must be a YAML mapping of settings (name, world, train, eval, models, pipelines)'],
    ['comments only', '# nothing here\n', 'q.yaml: a scenario must be a YAML mapping of settings (name, world, train, eval, models, pipelines)'],
    ['a list, not a mapping', '- name: x\n', 'q.yaml: a scenario must be a YAML mapping of settings (name, world, train, eval, models, pipelines)'],
    [
      'a second document (#8 defect)',
      `${base}---\nname: x\n`,
      'q.yaml:16: invalid YAML: a second document starts here; a scenario file holds one YAML document',
    ],
    ['an alias without its anchor (#8 defect)', edit('name: quickstart', 'name: *a'), 'q.yaml:6: invalid YAML: alias *a has no anchor &a before it'],
    [
      'an alias inside its own anchor',
      edit('name: quickstart', 'name: &a [*a]'),
      'q.yaml:6: invalid YAML: alias *a is inside the value it refers to (&a), which would make it endless',
    ],
    [
      'an alias bomb (#8 defect)',
      aliasBomb,
      'q.yaml:5: invalid YAML: aliases expand to more than 10000 values (here at *d); a scenario may repeat at most 10000 values through aliases',
    ],
    [
      'a mapping used as a key, over several lines (#8 defect)',
      `${base}? ${collectionKey}\n: 1\n`,
      'q.yaml:16: a mapping is used as a key; keys are names such as world or persons',
    ],
    ['a list used as a key', `${base}? [a, b]\n: 1\n`, 'q.yaml:16: a list is used as a key; keys are names such as world or persons'],
    [
      'an alias of a mapping used as a key',
      `${base}x: &m { a: 1 }\n? *m\n: 1\n`,
      'q.yaml:17: a mapping is used as a key; keys are names such as world or persons',
    ],
    // unknown keys, with the nearest valid key when there is one
    ['misspelt eval key', edit('window: 7d', 'windw: 7d'), 'q.yaml:10: unknown key "windw" in eval; did you mean "window"?'],
    ['misspelt data key', withData('{ path: x.csv, colums: { time: ts } }'), 'q.yaml:8: unknown key "colums" in data; did you mean "columns"?'],
    ['misspelt column field', withData('{ path: x.csv, columns: { tme: ts } }'), 'q.yaml:8: unknown key "tme" in data.columns; did you mean "time"?'],
    ['unknown key without a near match', edit('seed: 7', 'seed: 7\nzzzzzz: 1'), 'q.yaml:8: unknown key "zzzzzz" in the scenario'],
    [
      'a misspelt required key (#8 defect)',
      edit('refresh: 7d, latency: 6h', 'refrsh: 7d, latency: 6h'),
      'q.yaml:13: unknown key "refrsh" in pipelines.0; did you mean "refresh"?',
    ],
    [
      'a required key left out',
      edit('refresh: 7d, latency: 6h', 'latency: 6h'),
      'q.yaml:13: pipelines.0.refresh is missing; expected batch cadence such as 7d, 1d, 1h, or stream',
    ],
    ['__proto__ as a key', `${base}__proto__: { polluted: 1 }\n`, 'q.yaml:16: unknown key "__proto__" in the scenario'],
    // wrong types
    [
      'models as text',
      edit('models: [ { name: pop, type: popularity }, { name: knn, type: itemknn } ]', 'models: pop'),
      'q.yaml:11: models is "pop"; expected a list of models, e.g. [{ name: pop, type: popularity }]',
    ],
    [
      'pipelines as a mapping',
      edit(/pipelines:[\s\S]*$/, 'pipelines: { name: x }\n'),
      'q.yaml:12: pipelines is {"name":"x"}; expected a list of pipelines, e.g. [{ name: weekly, refresh: 7d, latency: 6h, identity: key }]',
    ],
    ['boolean as text', withData('{ path: x.csv, strict: "no" }'), 'q.yaml:8: data.strict is "no"; expected true or false'],
    [
      'an unknown excludeSeen mode',
      edit('excludeSeen: false', 'excludeSeen: maybe'),
      `q.yaml:10: eval.excludeSeen is "maybe"; expected false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)`,
    ],
    [
      'excludeSeen as quoted text',
      edit('excludeSeen: false', 'excludeSeen: "no"'),
      `q.yaml:10: eval.excludeSeen is "no"; expected false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)`,
    ],
    [
      'excludeSeen as a number',
      edit('excludeSeen: false', 'excludeSeen: 1'),
      `q.yaml:10: eval.excludeSeen is 1; expected false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)`,
    ],
    [
      'an excludeSeen mode in capitals',
      edit('excludeSeen: false', 'excludeSeen: Person'),
      `q.yaml:10: eval.excludeSeen is "Person"; expected false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)`,
    ],
    ['positives as text', edit('positives: [purchase]', 'positives: purchase'), 'q.yaml:10: eval.positives is "purchase"; expected a list'],
    ['seed as text', edit('seed: 7', 'seed: seven'), 'q.yaml:7: seed is "seven"; expected an integer >= 0 and <= 4294967295'],
    ['a fractional count (#8 defect)', edit('persons: 20000', 'persons: 1.5'), 'q.yaml:8: world.persons is 1.5; expected an integer >= 1 and <= 100000000'],
    ['a fractional k (#8 defect)', edit('k: [10, 20]', 'k: 2.5'), 'q.yaml:10: eval.k is 2.5; expected an integer >= 1 and <= 1000'],
    ['k as text', edit('k: [10, 20]', 'k: ten'), 'q.yaml:10: eval.k is "ten"; expected an integer >= 1 and <= 1000 or a list'],
    ['an empty k list (#8 defect)', edit('k: [10, 20]', 'k: []'), 'q.yaml:10: eval.k is []; expected at least one entry'],
    ['drift as a number', edit('drift: { kappa: 0.5 }', 'drift: 5'), 'q.yaml:8: world.drift is 5; expected "none" or a mapping'],
    [
      '.inf where a count goes (#8 defect)',
      edit('persons: 20000', 'persons: .inf'),
      'q.yaml:8: world.persons is .inf; expected an integer >= 1 and <= 100000000',
    ],
    [
      '.nan in a list of probabilities',
      edit('[0.5, 0.35, 0.15]', '[.nan, 1]'),
      'q.yaml:8: world.identity.devices.0 is .nan; expected a probability between 0 and 1',
    ],
    [
      'a binary value for a name',
      edit('name: quickstart', 'name: !!binary aGVsbG8='),
      'q.yaml:6: name is {"type":"Buffer","data":[104,101,108,108,111]}; expected letters, digits, dot, dash, underscore: it names the output folder',
    ],
    [
      'unknown data format',
      withData('{ path: x.csv, format: xlsx }'),
      'q.yaml:8: data.format is "xlsx"; expected one of csv, jsonl, parquet, arrow, movielens, retailrocket, diginetica, online-retail, otto, taobao',
    ],
    ['unknown time unit', withData('{ path: x.csv, timeUnit: us }'), 'q.yaml:8: data.timeUnit is "us"; expected one of auto, iso, s, ms'],
    [
      'data.timeRange with from after to',
      withData('{ path: x.csv, timeRange: [2024-02-01, 2024-01-01] }'),
      'q.yaml:8: data.timeRange is ["2024-02-01","2024-01-01"]; expected [from, to] with from earlier than to (events in [from, to) are kept)',
    ],
    [
      'data.timeRange of one instant',
      withData('{ path: x.csv, timeRange: [2024-01-01, 2024-01-01] }'),
      'q.yaml:8: data.timeRange is ["2024-01-01","2024-01-01"]; expected [from, to] with from earlier than to (events in [from, to) are kept)',
    ],
    [
      'data.timeRange with a bad from',
      withData('{ path: x.csv, timeRange: [next monday, null] }'),
      'q.yaml:8: data.timeRange.0 is "next monday"; expected an ISO 8601 timestamp such as 2024-01-01 or 2024-01-01T06:00:00Z',
    ],
    [
      'data.timeRange with a bad to',
      withData('{ path: x.csv, timeRange: [null, 2024-13-01] }'),
      'q.yaml:8: data.timeRange.1 is "2024-13-01"; expected an ISO 8601 timestamp such as 2024-01-01 or 2024-01-01T06:00:00Z',
    ],
    [
      'data.timeRange with a number',
      withData('{ path: x.csv, timeRange: [1700000000000, null] }'),
      'q.yaml:8: data.timeRange.0 is 1700000000000; expected an ISO 8601 time such as 2024-01-01 or 2024-01-01T06:00:00Z, or null for an open end',
    ],
    [
      'data.timeRange with one time',
      withData('{ path: x.csv, timeRange: [2024-01-01] }'),
      'q.yaml:8: data.timeRange is ["2024-01-01"]; expected [from, to]: ISO 8601 times (null leaves that end open); events outside [from, to) are dropped, counted as outside data.timeRange',
    ],
    [
      'data.timeRange as one time',
      withData('{ path: x.csv, timeRange: 2024-01-01 }'),
      'q.yaml:8: data.timeRange is "2024-01-01"; expected [from, to]: ISO 8601 times (null leaves that end open); events outside [from, to) are dropped, counted as outside data.timeRange',
    ],
    [
      'world and data together',
      edit('seed: 7', 'seed: 7\ndata: { path: x.csv }'),
      'q.yaml:8: data is {"path":"x.csv"}; expected either world (a synthetic log) or data (a log file), not both',
    ],
    ['data without a path', withData('{ format: csv }'), 'q.yaml:8: data.path is missing; expected the log file, relative to the scenario file'],
    ['empty data path', withData('{ path: "" }'), 'q.yaml:8: data.path is ""; expected the log file, relative to the scenario file'],
    // out-of-range values
    [
      'window without a unit',
      edit('window: 7d', 'window: 7'),
      'q.yaml:10: eval.window is 7; expected a positive duration such as 7d or 12h (the label window W)',
    ],
    ['window of 0', edit('window: 7d', 'window: 0'), 'q.yaml:10: eval.window is 0; expected a positive duration such as 7d or 12h (the label window W)'],
    [
      'window of 0d (#8 defect)',
      edit('window: 7d', 'window: 0d'),
      'q.yaml:10: eval.window is "0d"; expected a positive duration such as 7d or 12h (the label window W)',
    ],
    [
      'refresh of 0d (#8 defect)',
      edit('refresh: 7d', 'refresh: 0d'),
      'q.yaml:13: pipelines.0.refresh is "0d"; expected batch cadence such as 7d, 1d, 1h, or stream',
    ],
    ['refresh of 0h0m', edit('refresh: 7d', 'refresh: 0h0m'), 'q.yaml:13: pipelines.0.refresh is "0h0m"; expected batch cadence such as 7d, 1d, 1h, or stream'],
    [
      'half-life of 0h (#8 defect)',
      edit('type: itemknn', 'type: itemknn, halfLife: 0h'),
      'q.yaml:11: models.1.halfLife is "0h"; expected a positive duration: recency decay of profile events when scoring',
    ],
    [
      'cookie lifetime of 0h (#8 defect)',
      edit('sharedDevices: 0.01', 'sharedDevices: 0.01, cookieLifetime: 0h'),
      'q.yaml:8: world.identity.cookieLifetime is "0h"; expected a positive duration such as 7d, 6h or 30m',
    ],
    [
      'an age bin of 0d (#8 defect)',
      edit('bootstrap: 1000', 'bootstrap: 1000, ageBins: [0d, 1d]'),
      'q.yaml:10: eval.ageBins.0 is "0d"; expected a positive duration such as 7d, 6h or 30m',
    ],
    ['a refresh under a millisecond', edit('refresh: 7d', 'refresh: 0.5ms'), 'q.yaml:13: pipelines.0.refresh is "0.5ms"; expected a duration of at least 1ms'],
    [
      'a window of 10^20 days (#8 defect)',
      edit('window: 7d', 'window: 99999999999999999999d'),
      'q.yaml:10: eval.window is "99999999999999999999d"; expected a duration of at most 3650d (10 years)',
    ],
    [
      'a latency of 20 years',
      edit('latency: 6h', 'latency: 1040w'),
      'q.yaml:13: pipelines.0.latency is "1040w"; expected a duration of at most 3650d (10 years)',
    ],
    ['negative latency', edit('latency: 6h', 'latency: -1h'), 'q.yaml:13: pipelines.0.latency is "-1h"; expected a duration such as 7d, 6h, 30m or 0'],
    ['negative refresh', edit('refresh: 7d', 'refresh: -1d'), 'q.yaml:13: pipelines.0.refresh is "-1d"; expected batch cadence such as 7d, 1d, 1h, or stream'],
    ['k negative', edit('k: [10, 20]', 'k: -1'), 'q.yaml:10: eval.k is -1; expected an integer >= 1 and <= 1000'],
    ['k of 0 in a list', edit('k: [10, 20]', 'k: [10, 0]'), 'q.yaml:10: eval.k.1 is 0; expected an integer >= 1 and <= 1000'],
    ['k above 1000', edit('k: [10, 20]', 'k: 1001'), 'q.yaml:10: eval.k is 1001; expected an integer >= 1 and <= 1000'],
    ['quantile 0%', edit('until: "70%"', 'until: "0%"'), 'q.yaml:9: train.until is "0%"; expected a quantile strictly between 0% and 100% (0 and 1)'],
    ['quantile 100%', edit('until: "70%"', 'until: "100%"'), 'q.yaml:9: train.until is "100%"; expected a quantile strictly between 0% and 100% (0 and 1)'],
    ['quantile 0 (#8 defect)', edit('until: "70%"', 'until: 0'), 'q.yaml:9: train.until is 0; expected a quantile strictly between 0% and 100% (0 and 1)'],
    ['quantile 1 (#8 defect)', edit('until: "70%"', 'until: 1'), 'q.yaml:9: train.until is 1; expected a quantile strictly between 0% and 100% (0 and 1)'],
    [
      'a negative percentage',
      edit('until: "70%"', 'until: "-5%"'),
      'q.yaml:9: train.until is "-5%"; expected a quantile strictly between 0% and 100% (0 and 1)',
    ],
    [
      'negative probability',
      edit('sharedDevices: 0.01', 'sharedDevices: -0.1'),
      'q.yaml:8: world.identity.sharedDevices is -0.1; expected a probability between 0 and 1',
    ],
    ['login rate above 1', edit('app: 0.9', 'app: 1.2'), 'q.yaml:8: world.identity.loginRate.app is 1.2; expected a probability between 0 and 1'],
    [
      'single login rate below 0',
      edit('loginRate: { app: 0.9, web: 0.15 }', 'loginRate: -1'),
      'q.yaml:8: world.identity.loginRate is -1; expected a number >= 0 and <= 1',
    ],
    ['device share above 1', edit('[0.5, 0.35, 0.15]', '[1.2, -0.2]'), 'q.yaml:8: world.identity.devices.0 is 1.2; expected a probability between 0 and 1'],
    [
      'device mix summing below 1',
      edit('[0.5, 0.35, 0.15]', '[0.5, 0.35]'),
      'q.yaml:8: world.identity.devices is [0.5,0.35]; expected probabilities that sum to 1 (they sum to 0.85)',
    ],
    [
      'channel mix not summing to 1',
      edit('sharedDevices: 0.01', 'sharedDevices: 0.01, channelMix: { app: 0.5, mweb: 0.5, desktop: 0.5 }'),
      'q.yaml:8: world.identity.channelMix is {"app":0.5,"mweb":0.5,"desktop":0.5}; expected probabilities that sum to 1 (they sum to 1.5)',
    ],
    ['confidence level of 1.5', edit('bootstrap: 1000', 'bootstrap: 1000, level: 1.5'), 'q.yaml:10: eval.level is 1.5; expected a number > 0 and < 1'],
    ['negative bootstrap', edit('bootstrap: 1000', 'bootstrap: -1'), 'q.yaml:10: eval.bootstrap is -1; expected an integer >= 0 and <= 100000'],
    ['persons of 0', edit('persons: 20000', 'persons: 0'), 'q.yaml:8: world.persons is 0; expected an integer >= 1 and <= 100000000'],
    ['huge persons', edit('persons: 20000', 'persons: 1e300'), 'q.yaml:8: world.persons is 1e+300; expected an integer >= 1 and <= 100000000'],
    ['huge days (#8 defect)', edit('days: 56', 'days: 1e300'), 'q.yaml:8: world.days is 1e+300; expected a number > 0 and <= 3650'],
    [
      'huge drift scale',
      edit('kappa: 0.5', 'kappa: 0.5, scale: 1e200'),
      'q.yaml:8: world.drift.scale is 1e+200; expected a number from 0 to 100: stationary standard deviation of the taste offset',
    ],
    ['delimiter of three characters', withData('{ path: x.csv, delimiter: ";;;" }'), 'q.yaml:8: data.delimiter is ";;;"; expected at most 2 characters'],
    [
      'timestamp past the Date range',
      edit('until: "70%"', 'until: "+275760-09-14T00:00:00.001Z"'),
      'q.yaml:9: train.until is "+275760-09-14T00:00:00.001Z"; expected an ISO 8601 timestamp such as 2024-01-01 or 2024-01-01T06:00:00Z',
    ],
    // external models: a command is a list of non-empty texts, a url is http(s), durations carry a unit
    [
      'command model with an empty command',
      withModel('{ name: c, type: command, command: [] }'),
      "q.yaml:11: models.0.command is []; expected a list of the program and its arguments, e.g. [python3, score.py], run without a shell in the scenario file's folder",
    ],
    [
      'command model with a command line as one text',
      withModel('{ name: c, type: command, command: "python3 score.py" }'),
      `q.yaml:11: models.0.command is "python3 score.py"; expected a list of the program and its arguments, e.g. [python3, score.py], run without a shell in the scenario file's folder`,
    ],
    [
      'command model with a number among its arguments',
      withModel('{ name: c, type: command, command: [python3, 3] }'),
      'q.yaml:11: models.0.command.1 is 3; expected non-empty text: the program or one of its arguments',
    ],
    [
      'command model with an empty program',
      withModel('{ name: c, type: command, command: [""] }'),
      'q.yaml:11: models.0.command.0 is ""; expected non-empty text: the program or one of its arguments',
    ],
    [
      'command model timeout without a unit',
      withModel('{ name: c, type: command, command: [python3, score.py], timeout: 60 }'),
      'q.yaml:11: models.0.timeout is 60; expected a positive duration: the longest wait for one answer (default 1m)',
    ],
    [
      'command model with a url',
      withModel('{ name: c, type: command, command: [python3, score.py], url: "http://127.0.0.1:8080/score" }'),
      'q.yaml:11: unknown key "url" in models.0',
    ],
    [
      'http model url without a scheme',
      withModel('{ name: s, type: http, url: "127.0.0.1:8080/score" }'),
      'q.yaml:11: models.0.url is "127.0.0.1:8080/score"; expected an http:// or https:// URL such as http://127.0.0.1:8080/score',
    ],
    [
      'http model ftp url',
      withModel('{ name: s, type: http, url: "ftp://models/score" }'),
      'q.yaml:11: models.0.url is "ftp://models/score"; expected an http:// or https:// URL such as http://127.0.0.1:8080/score',
    ],
    [
      'http model without a url',
      withModel('{ name: s, type: http }'),
      'q.yaml:11: models.0.url is missing; expected an http:// or https:// URL such as http://127.0.0.1:8080/score',
    ],
    [
      'http model with no concurrency',
      withModel('{ name: s, type: http, url: "http://127.0.0.1:8080/score", concurrency: 0 }'),
      'q.yaml:11: models.0.concurrency is 0; expected an integer from 1 to 64: POSTs in flight at once (default 4)',
    ],
    [
      'http model with a fractional batch',
      withModel('{ name: s, type: http, url: "http://127.0.0.1:8080/score", batch: 2.5 }'),
      'q.yaml:11: models.0.batch is 2.5; expected an integer from 1 to 10000: requests per POST (default 64)',
    ],
    [
      'http model timeout of zero',
      withModel('{ name: s, type: http, url: "http://127.0.0.1:8080/score", timeout: 0s }'),
      'q.yaml:11: models.0.timeout is "0s"; expected a positive duration: the longest wait for the answer to one POST (default 30s)',
    ],
    // --set overrides are checked like the file and named in the message
    ['--set without =', base, '--set "world.persons": expected path=value, e.g. world.persons=2000', ['world.persons']],
    ['--set with an empty path segment', base, '--set "world..persons=1": empty segment in the path', ['world..persons=1']],
    ['--set with malformed YAML', base, '--set "world.persons=[1": the value is not valid YAML', ['world.persons=[1']],
    [
      '--set an unknown excludeSeen mode',
      base,
      `--set eval.excludeSeen=none: eval.excludeSeen is "none"; expected false, view (each view excludes the items of its own positive events; true means view) or person (every view excludes all the person's positive items before t)`,
      ['eval.excludeSeen=none'],
    ],
    ['--set misspelt key', base, '--set world.persns=1: unknown key "persns" in world; did you mean "persons"?', ['world.persns=1']],
    [
      '--set js/function tag (read as text)',
      base,
      '--set name=!!js/function "function(){}": name is "function(){}"; expected letters, digits, dot, dash, underscore: it names the output folder',
      ['name=!!js/function "function(){}"'],
    ],
    [
      '--set a kappa whose sigma overflows (#8 defect)',
      base,
      '--set world.drift.kappa=1e308: world.drift.kappa is 1e+308; expected a rate per day from 0 to 100: mean reversion of taste (half-life ln2/kappa)',
      ['world.drift.kappa=1e308'],
    ],
    [
      '--set through __proto__ (#8 defect)',
      base,
      '--set "__proto__.polluted=1": __proto__ is not a scenario key; a path may not contain __proto__, constructor or prototype',
      ['__proto__.polluted=1'],
    ],
    [
      '--set through constructor',
      base,
      '--set "world.constructor.prototype.x=1": constructor is not a scenario key; a path may not contain __proto__, constructor or prototype',
      ['world.constructor.prototype.x=1'],
    ],
    ['--set an inherited property', base, '--set "world.toString.x=1": q.yaml has no world.toString', ['world.toString.x=1']],
    ['--set a list property', base, '--set "models.length=0": q.yaml has no models.length', ['models.length=0']],
    ['--set past the end of a list', base, '--set "models.5={ name: r, type: random }": q.yaml has no models.5', ['models.5={ name: r, type: random }']],
    ['--set a list used as a key', base, '--set "world={ [a]: 1 }": a list is used as a key; keys are names such as world or persons', ['world={ [a]: 1 }']],
    ['--set an alias without its anchor', base, '--set "name=*a": invalid YAML: alias *a has no anchor &a before it', ['name=*a']],
    // names are identifiers (issue 17 item 3): a character set and length, unique, not a word the output uses
    ...(
      [
        ['a pipeline named frozen (duplicated the frozen columns of requests.csv)', 'pipelines.0.name', 'frozen'],
        ['a pipeline named Frozen', 'pipelines.1.name', 'Frozen'],
        ['a model name with ../ (a path out of models/)', 'models.0.name', '../x'],
        ['a model name with a dot (requests.csv splits columns on dots)', 'models.1.name', 'knn.v2'],
        ['a name starting with a digit', 'models.1.name', '2knn'],
        ['a name of 41 characters', 'pipelines.0.name', 'a'.repeat(41)],
        ['an empty name', 'models.0.name', '""'],
        ['a name every JavaScript object has', 'pipelines.2.name', 'toString'],
        ['a Windows device name', 'models.0.name', 'CON'],
      ] as const
    ).map(([label, path, value]): [string, string, string, string[]] => [
      label,
      base,
      msg.invalidValue(`--set ${path}=${value}`, path, value === '""' ? '' : value, nameProblem(value === '""' ? '' : value)!),
      [`${path}=${value}`],
    ]),
    [
      'a pipeline named like a model',
      base,
      msg.invalidValue('--set pipelines.1.name=knn', 'pipelines.1.name', 'knn', 'a name no other model or pipeline has ("knn" is also models.1.name)'),
      ['pipelines.1.name=knn'],
    ],
    [
      'two models whose names differ only in case (one folder on macOS and Windows)',
      base,
      msg.invalidValue(
        '--set models.1.name=POP',
        'models.1.name',
        'POP',
        'a name no other model or pipeline has ("POP" differs from models.0.name "pop" only in case)',
      ),
      ['models.1.name=POP'],
    ],
  ];

  it.each(rows)('%s', (_label, text, message, overrides = []) => {
    const got = messageOf(text, overrides);
    expect(got).toBe(message);
    expect(got).not.toMatch(/[\n\r]/);
  });
});

describe('scenario inputs that stay valid, and what they mean', () => {
  it('a latency of 0 or 0h, and a half-life of 0 where it means "no decay"', () => {
    const s = parseScenario(edit('latency: 6h', 'latency: 0h').replace('type: itemknn', 'type: ease, halfLife: 0'), 'q.yaml');
    expect(s.pipelines[0].latencyMs).toBe(0);
    expect(s.models[1]).toMatchObject({ type: 'ease', halfLifeMs: 0 });
  });

  it('a k listed twice counts once', () => {
    expect(parseScenario(edit('k: [10, 20]', 'k: [20, 10, 20]'), 'q.yaml').eval.ks).toEqual([10, 20]);
  });

  it('--set may append one entry to a list', () => {
    expect(parseScenario(base, 'q.yaml', ['models.2={ name: r, type: random }']).models.map((m) => m.name)).toEqual(['pop', 'knn', 'r']);
  });
});

describe('the scenario boundary has no side effects (#8 defects)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('--set cannot write to Object.prototype', () => {
    for (const o of ['__proto__.polluted=1', '__proto__={ polluted: 1 }', 'world.__proto__.polluted=1', 'models.0.constructor.prototype.polluted=1']) {
      expect(() => parseScenario(base, 'q.yaml', [o])).toThrow(InputError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nothing is printed: YAML oddities are errors in files and plain text in --set values', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const log = vi.spyOn(console, 'warn');
    expect(parseScenario(base, 'q.yaml', ['name=!h x']).name).toBe('x');
    expect(parseScenario(base, 'q.yaml', ['description=%FOO bar\n--- text']).description).toBe('text');
    expect(messageOf(`${base}? ${collectionKey}\n: 1\n`)).toMatch(/^q\.yaml:16: /);
    expect(messageOf(edit('name: quickstart', 'name: !h x'))).toBe('q.yaml:6: invalid YAML: Unresolved tag: !h');
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });
});

// Issue 17 item 9: what loadScenario reads. A folder was EISDIR (exit 1), /dev/zero was read without end.
describe('scenario paths that are not a scenario file: one line, nothing read past the limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recgap-badinput-scn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const padded = (bytes: number) => base + '#'.repeat(bytes - Buffer.byteLength(base) - 1) + '\n';

  it.each([
    ['a folder', () => dir, msg.scenarioIsFolder(dir)],
    ['a device without end', () => '/dev/zero', msg.scenarioNotAFile('/dev/zero')],
    ['a missing file', () => join(dir, 'nope.yaml'), msg.scenarioNotFound(join(dir, 'nope.yaml'))],
    [
      'one byte over the size limit',
      () => {
        writeFileSync(join(dir, 'over.yaml'), padded(MAX_SCENARIO_BYTES + 1));
        return join(dir, 'over.yaml');
      },
      msg.scenarioTooLarge(join(dir, 'over.yaml'), MAX_SCENARIO_BYTES),
    ],
  ])('%s', (_label, path, message) => {
    expect(() => loadScenario(path())).toThrow(new InputError(message));
  });

  it('a file of exactly the limit loads, as does a pipe', () => {
    writeFileSync(join(dir, 'limit.yaml'), padded(MAX_SCENARIO_BYTES));
    expect(loadScenario(join(dir, 'limit.yaml')).name).toBe('quickstart');
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    // A writer on the other end, as `recgap run <(envsubst < s.yaml)` has (from a file: the read below blocks this
    // process's event loop until the writer is done).
    writeFileSync(join(dir, 'source.yaml'), base);
    spawn('sh', ['-c', `cat '${join(dir, 'source.yaml')}' > '${fifo}'`], { stdio: 'ignore' });
    expect(loadScenario(fifo).name).toBe('quickstart');
  });
});
