// summary.md: the report in plain language for stakeholders, readable as plain text and as rendered
// Markdown. Names from the scenario are code spans; money figures follow their assumptions directly.
import type { Results } from '../results/results.ts';
import type { Roi } from './roi.ts';
import type { ChartEntry } from './charts/index.ts';
import type { Narrative } from './narrative.ts';
import { escapeMarkdown, mdCode } from './escape.ts';
import { toMd, type Para } from './prose.ts';
import { gapTable, measuredTable, recoveryTable, roiTable, tableMd } from './tables.ts';

const list = (ps: Para[]) => ps.map((p) => `- ${toMd(p)}`).join('\n');
const paras = (ps: Para[]) => ps.map(toMd).join('\n\n');

/**
 * The Markdown summary.
 *
 * @example
 * writeFileSync('summary.md', summaryMarkdown({ results, roi, story, charts }));
 */
export function summaryMarkdown(input: { results: Results; roi: Roi; story: Narrative; charts: ChartEntry[] }): string {
  const { results: r, roi, story, charts } = input;
  const formula = `Δ conversion rate = exposure × incrementality × Δ${roi.hitKey.replace('hit', 'HR')}; Δ revenue = sessions × Δ conversion rate × average order value × margin; CAC'/CAC = CR/CR' with acquired traffic fixed.`;
  const out = [
    `# Offline vs production: ${mdCode(r.scenario.name)}`,
    '',
    `_${toMd(story.context)}_`,
    '',
    ...(story.first.length ? [paras(story.first), ''] : []),
    '## The gap',
    '',
    paras(story.gap),
    '',
    tableMd(gapTable(r)),
    '',
    '## What causes it',
    '',
    paras(story.causes),
    '',
    '## What each pipeline change recovers',
    '',
    story.recovers.length ? list(story.recovers) : 'Only one pipeline: nothing to compare.',
    '',
    r.comparisons.length ? tableMd(recoveryTable(r)) : '',
    '',
    '## What that is worth',
    '',
    '**Assumptions behind every money figure in this section:**',
    '',
    list(story.assumptions),
    '',
    formula,
    '',
    list(story.worth),
    '',
    '**All models** (same assumptions as above):',
    '',
    tableMd(roiTable(roi)),
    '',
    '### Measured vs true conversion rate',
    '',
    paras(story.measured),
    '',
    tableMd(measuredTable(roi, r)),
    '',
    '## Model versions',
    '',
    paras(story.models),
    '',
    '## Caveats',
    '',
    list(story.caveats),
    '',
    '## Charts',
    '',
    charts.map((c) => (c.spec ? `- \`charts/${c.name}.png\` (also \`.svg\`, \`.vl.json\`)` : `- ${c.name}: ${escapeMarkdown(c.note)}`)).join('\n'),
    '',
    'Every number comes from `results.json` in this folder; `report.html` has the charts inline.',
    '',
  ];
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
