// Chart rendering: Vega-Lite spec -> Vega -> SVG (headless, no canvas) -> PNG with resvg. Fonts come from
// the dejavu-fonts-ttf package and are passed explicitly: with system fonts off and none given, resvg
// silently drops all text, and system fonts differ between machines.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** The bundled font files (regular and bold: the charts use no italics) resvg renders text with. */
function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(dir, f));
}

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
  /** Warnings Vega-Lite or Vega raised while compiling and rendering (expected: none). */
  warnings: string[];
}

/** A logger that collects warnings and errors instead of printing them. */
function collectingLogger(out: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: readonly unknown[]) => (out.push(args.map(String).join(' ')), logger),
    warn: (...args: readonly unknown[]) => (out.push(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger as unknown as vega.LoggerInterface;
}

/**
 * Vega numbers clip paths and gradients from a process-wide counter (clip1, clip7, ...), so the same spec
 * renders different ids depending on what was drawn before. Renumber them in order of appearance so the
 * SVG depends on the spec alone (a re-rendered report is byte-identical).
 *
 * @example
 * renumberIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>') // '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>'
 */
function renumberIds(svg: string): string {
  const map = new Map<string, string>();
  const next = new Map<string, number>();
  for (const m of svg.matchAll(/\bid="([A-Za-z_-]+?)(\d+)"/g)) {
    const old = m[1] + m[2];
    if (map.has(old)) continue;
    const k = (next.get(m[1]) ?? 0) + 1;
    next.set(m[1], k);
    map.set(old, `${m[1]}${k}`);
  }
  if (!map.size) return svg;
  return svg.replace(/(\bid="|url\(#|href="#)([A-Za-z_-]+?\d+)(?=[")])/g, (whole, lead: string, id: string) => (map.has(id) ? lead + map.get(id) : whole));
}

/**
 * Render a Vega-Lite spec to SVG text (Vega escapes all text and attribute values).
 *
 * @example
 * const { svg } = await renderSvg(frozenServedChart(results));
 */
export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<{ svg: string; warnings: string[] }> {
  const logger = collectingLogger(warnings);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    const svg = renumberIds(await view.toSVG());
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

function pngOptions(zoom: number): ResvgRenderOptions {
  return {
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
  };
}

/**
 * Rasterize SVG text to PNG at twice its size with the bundled DejaVu fonts, off the main thread (resvg's
 * thread pool), so rasterizing one chart overlaps laying out the next.
 *
 * @example
 * const png = await renderPngAsync(svg);
 */
export async function renderPngAsync(svg: string, zoom = 2): Promise<Uint8Array> {
  return new Uint8Array((await renderAsync(svg, pngOptions(zoom))).asPng());
}

/**
 * SVG and PNG of a spec.
 *
 * @example
 * const { svg, png, warnings } = await renderChart(spec);
 */
export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const { svg, warnings } = await renderSvg(spec);
  return { svg, png: await renderPngAsync(svg), warnings };
}
