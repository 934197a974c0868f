/**
 * The report's CSS. Colours are chosen for WCAG AA contrast (4.5:1 for text), which the browser
 * test checks with axe-core; the scenario rows are one grid so the columns line up without a
 * wide table.
 */
export const REPORT_STYLE = `
:root { --fail: #b71c1c; --pass: #1b5e20; --unknown: #7a4700; --muted: #595959; --line: #d6d6d6; --row: 1rem 5.5rem minmax(14rem, 1fr) 10rem 5.5rem 6.5rem 6rem; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 1rem 1.5rem 4rem; max-width: 1400px; color: #1f1f1f; }
h1 { font-size: 1.35rem; margin: 0.2rem 0; } h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; } h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
a { color: #0b57d0; }
.status { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 3px; font-weight: 600; margin: 0.3rem 0; }
.status.complete { background: #e8f5e9; color: var(--pass); } .status.incomplete { background: #fff3e0; color: var(--unknown); }
.run-facts { color: var(--muted); margin: 0.2rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; } dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.3rem 0; } th, td { border: 1px solid var(--line); padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; } caption { text-align: left; color: var(--muted); padding: 0.2rem 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.fail, tr.fail td, .num.fail { color: var(--fail); font-weight: 700; } td.fail { background: #ffebee; } .num.fail::after { content: " ✗"; }
td.bad { background: #fff4f4; } td.good { background: #f1f8f1; } td.empty { color: var(--muted); } .alarm { color: var(--fail); font-weight: 700; }
.matrix td { min-width: 8.5rem; } .matrix small { color: var(--muted); }
.verdict { display: inline-block; min-width: 3.6em; text-align: center; border-radius: 3px; padding: 0 0.4em; color: #fff; font-size: 0.85em; font-weight: 600; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.unknown { background: var(--unknown); }
.scroll { overflow-x: auto; max-width: 100%; } .note { color: var(--muted); } .warning, .error { color: var(--unknown); font-weight: 600; }
#findings ul { padding-left: 1.2rem; margin: 0.4rem 0; } #findings li { margin: 0.25rem 0; max-width: 75rem; overflow-wrap: anywhere; }
.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; padding: 0.6rem; background: #f6f6f6; border: 1px solid var(--line); border-radius: 4px; position: sticky; top: 0; z-index: 2; }
.filters label { display: flex; flex-direction: column; font-size: 0.85em; color: #333; }
.filters input, .filters select, .filters button { font: inherit; padding: 0.15rem 0.3rem; }
.filters output { color: #333; margin-left: auto; }
.list-head, .scn > summary { display: grid; grid-template-columns: var(--row); gap: 0 0.8rem; align-items: baseline; }
.has-baseline .list-head, .has-baseline .scn > summary { grid-template-columns: var(--row) minmax(10rem, 18rem); }
.list-head { font-weight: 600; color: var(--muted); padding: 0.4rem 0.5rem 0.2rem; border-bottom: 2px solid var(--line); }
.scn { border-bottom: 1px solid var(--line); scroll-margin-top: 5.5rem; }
.scn > summary { padding: 0.3rem 0.5rem; cursor: pointer; list-style: none; }
.scn > summary::-webkit-details-marker { display: none; }
.scn > summary::before { content: "▸"; color: var(--muted); } .scn[open] > summary::before { content: "▾"; }
.scn > summary:hover { background: #f7f9fc; } .scn > summary:focus-visible { outline: 3px solid #0b57d0; outline-offset: -2px; }
.scn .name { overflow-wrap: anywhere; } .scn .num.nonzero { font-weight: 600; }
.scn[open] > summary { background: #eef3fb; }
.scn.run { margin-left: 1.5rem; }
.body, .runs-body { padding: 0.3rem 0.8rem 1rem 1.6rem; }
.delta.worse { color: var(--fail); font-weight: 600; } .delta.better { color: var(--pass); font-weight: 600; } .delta.new, .delta.same { color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1.2rem; }
.counts { grid-template-columns: repeat(auto-fill, minmax(11rem, max-content) minmax(3rem, max-content)); }
pre { background: #fafafa; border: 1px solid var(--line); padding: 0.5rem; overflow-x: auto; font-size: 12px; margin: 0.3rem 0; }
pre.history { max-width: 100%; } pre.history .own { background: #fff59d; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 1rem; } .chart { position: relative; height: 240px; }
.explain { max-width: 520px; color: #333; } td.err { max-width: 360px; overflow-wrap: anywhere; }
[hidden] { display: none !important; }
@media (max-width: 900px) { .list-head { display: none; } .scn > summary, .has-baseline .scn > summary { grid-template-columns: 1rem 1fr 1fr; } .scn .name { grid-column: 2 / -1; } }
`;
