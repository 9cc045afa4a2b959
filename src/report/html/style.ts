/** The report's inline stylesheet (no web fonts, no external resources). */
import { ZONE_COLORS } from './charts/theme.ts';

const z = ZONE_COLORS;

/** CSS text for the page's single <style> element. */
export const REPORT_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:1240px;margin:0 auto;padding:0 20px 40px}
header.top{background:#0f1b2d;color:#fff;padding:18px 20px 20px}
header.top .inner{max-width:1240px;margin:0 auto}
.kicker{font-size:12px;letter-spacing:.02em;color:#a9b7cc}
h1{font-size:24px;margin:4px 0 2px}
.sub{color:#c9d4e3;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));gap:12px;margin-top:16px}
.card{background:#fff;color:#1f2328;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.2)}
.card .label{font-size:12px;color:#57606a;text-transform:uppercase;letter-spacing:.03em}
.card .value{font-size:24px;font-weight:650;margin-top:2px;white-space:nowrap}
.card .detail{font-size:13px;color:#444;margin-top:2px}
.up{color:${z.red.solid}}.down{color:${z.green.solid}}
nav.toc{margin:14px 0 0;font-size:13px}
nav.toc a{color:#0b5cad;margin-right:14px;text-decoration:none}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 16px;margin-top:16px}
h2{font-size:18px;margin:0 0 8px}
h3{font-size:15px;margin:14px 0 6px}
p.lead{margin:0 0 10px;color:#444}
.grid{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
figure.chart{margin:0;padding:6px;border:1px solid #eaeef2;border-radius:6px;background:#fff;max-width:100%;overflow-x:auto}
figure.chart figcaption{font-weight:600;font-size:13px;margin:0 0 2px 4px}
figure.chart svg{display:block;max-width:100%;height:auto}
p.note{font-size:12px;color:#57606a;margin:2px 4px 0}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
table.top-accounts td:nth-child(-n+2){white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.zone{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px;text-transform:uppercase}
.zone-green{background:${z.green.background};color:${z.green.text}}
.zone-yellow{background:${z.yellow.background};color:${z.yellow.text}}
.zone-red{background:${z.red.background};color:${z.red.text}}
td.zone-cell-green{background:${z.green.background}}td.zone-cell-yellow{background:${z.yellow.background}}td.zone-cell-red{background:${z.red.background}}
.chip{display:inline-block;margin:1px 4px 1px 0;padding:0 6px;border-radius:4px;background:#f1f3f5;font-size:12px;white-space:nowrap}
.legend{font-size:12px;color:#444;margin:0 0 6px}
.swatch{display:inline-block;width:18px;height:3px;vertical-align:middle;margin:0 4px 0 10px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
`;
