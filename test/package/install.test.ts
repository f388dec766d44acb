// The package as a user gets it: `npm pack` (which builds dist/), `npm install <tarball>` into a fresh project,
// then the library API and the installed bin run from the compiled JavaScript, with no tsx and none of src/.
// Slow (the build and the install take most of a minute), so they are done once for the whole file;
// RECGAP_SKIP_PACKAGE_TEST=1 skips the file (it runs by default, and in CI).
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smallScenario, smallScenarioYaml } from '../helpers.ts';
import { runScenario } from '../../src/run/run.ts';
import { jsonText } from '../../src/results/json.ts';
import { silentReporter } from '../../src/util/progress.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Results as JSON data without what legitimately differs between two runs (timings, thread count). */
const comparable = (json: string) => ({ ...JSON.parse(json), runtime: null });

const SKIP = process.env.RECGAP_SKIP_PACKAGE_TEST === '1';
if (SKIP) console.warn('test/package/install.test.ts skipped: RECGAP_SKIP_PACKAGE_TEST=1');

describe.skipIf(SKIP)('the installed package', () => {
  let project: string;
  const bin = () => join(project, 'node_modules/.bin/recgap');

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'recgap-pack-'));
    npm(['pack', '--pack-destination', dir, '--silent'], ROOT);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    project = join(dir, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // From the local npm cache where it can (every dependency is in it after the repository's own install).
    npm(['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund'], project);
  }, 300_000);

  it('holds the compiled library and bundled scenarios, not the sources, and no tsx', () => {
    const pkg = join(project, 'node_modules/recgap');
    expect(existsSync(join(pkg, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(pkg, 'scenarios/quickstart.yaml'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/arquero'))).toBe(false);
    const flechette = JSON.parse(readFileSync(join(project, 'node_modules/@uwdata/flechette/package.json'), 'utf8')) as { version: string };
    expect(flechette.version).toBe('2.6.0');
  });

  it('recgap --version prints the version of package.json', () => {
    const r = spawnSync(bin(), ['--version'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it("import { parseScenario, runScenario } from 'recgap' gives the sources' results, replaying in compiled worker threads", async () => {
    const yaml = smallScenarioYaml({ persons: 400, eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 100 }' });
    writeFileSync(join(project, 'small.yaml'), yaml);
    writeFileSync(
      join(project, 'api.mjs'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { parseScenario, runScenario, silentReporter, jsonText } from 'recgap';",
        "const scenario = parseScenario(readFileSync('small.yaml', 'utf8'), 'small.yaml');",
        'const { results } = await runScenario(scenario, { reporter: silentReporter(), workers: 2 });',
        'process.stdout.write(jsonText(results));',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['api.mjs'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The same scenario from the TypeScript sources in this process, in one thread: results are identical
    // for any worker count, so every number must match.
    const { results } = await runScenario(smallScenario({ persons: 400, eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 100 }' }), {
      reporter: silentReporter(),
    });
    const installed = comparable(r.stdout);
    expect(installed.counts.requests).toBeGreaterThan(0);
    expect(installed).toEqual(comparable(jsonText(results)));
  });

  it('runs a command model from the compiled package in worker threads (its watchdog and bridge ship in dist/)', () => {
    // The example popularity.py's job done in Node (the test need not have python3): counts of training events.
    writeFileSync(
      join(project, 'count.mjs'),
      [
        "import { createInterface } from 'node:readline';",
        "import { readFileSync } from 'node:fs';",
        'let counts = null;',
        "createInterface({ input: process.stdin }).on('line', (line) => {",
        '  const m = JSON.parse(line);',
        '  if (counts === null) {',
        '    const index = new Map(m.items.map((id, i) => [id, i]));',
        '    counts = new Array(m.items.length).fill(0);',
        "    for (const row of readFileSync(m.train, 'utf8').trim().split('\\n').slice(1)) counts[index.get(row.split(',')[3])] += 1;",
        "    return process.stdout.write(JSON.stringify({ ready: true }) + '\\n');",
        '  }',
        "  process.stdout.write(JSON.stringify({ id: m.id, scores: counts }) + '\\n');",
        '});',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'cmd.yaml'),
      smallScenarioYaml({
        persons: 300,
        eval: '{ k: [10], window: 5d, positives: [purchase], bootstrap: 20 }',
        models: '[ { name: counts, type: command, command: [node, count.mjs] } ]',
      }),
    );
    const r = spawnSync(bin(), ['run', 'cmd.yaml', '--workers', '2', '--quiet', '--out', 'out'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(project, 'out', 'small', 'results.json'))).toBe(true);
  }, 120_000);

  it('recgap run with no scenario runs the bundled quickstart from any folder', () => {
    const r = spawnSync(bin(), ['run', '--set', 'world.persons=500', '--set', 'eval.bootstrap=0', '--quiet', '--out', 'out'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(project, 'out/quickstart/results.json'), 'utf8'));
    expect(results.scenario.name).toBe('quickstart');
    expect(results.scenario.world.persons).toBe(500);
  });
});
