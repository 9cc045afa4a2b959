/** Colours and the shared Vega-Lite config of the report's charts (one place, so the HTML legend matches). */

/** Before (pre-incident) and after (post-incident) series colours. */
export const BEFORE_COLOR = '#6b7a90';
export const AFTER_COLOR = '#d9480f';
/** Gains / losses and margin decreases / increases. */
export const GAIN_COLOR = '#2f9e77';
export const LOSS_COLOR = '#c92a2a';
/** Traffic-light zone colours (backgrounds) and their text colours. */
export const ZONE_COLORS = Object.freeze({
  green: { background: '#d3f9d8', text: '#1b5e20', solid: '#2b8a3e' },
  yellow: { background: '#fff3bf', text: '#7a4f00', solid: '#f08c00' },
  red: { background: '#ffe3e3', text: '#8b1a1a', solid: '#c92a2a' },
});
/** Calibration colours of the backtest chart, by position (first = pre-incident, second = post-incident). */
export const CALIBRATION_COLORS: readonly string[] = Object.freeze([BEFORE_COLOR, AFTER_COLOR, '#1971c2', '#7048e8']);

/** The Vega-Lite config shared by all charts: system fonts (no web fonts), no ARIA text, compact axes. */
export const CHART_CONFIG = Object.freeze({
  font: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
  aria: false,
  view: { stroke: '#d0d7de' },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#444', labelColor: '#444', gridColor: '#eef1f4' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
});
