/**
 * Renders a Vega-Lite spec to an SVG string in Node (vega's headless 'none' renderer: no canvas, no DOM, no
 * network: every spec here carries its data inline). The output has no element ids (no clipping or gradients are
 * used), so several charts can sit in one page and identical specs give identical SVG.
 */
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';

/** The SVG markup of `spec` (async: vega evaluates its dataflow asynchronously; nothing is fetched). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
