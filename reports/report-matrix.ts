import { html, type SafeHtml } from './html-template';
import { formatCount, lossGroups, type LossGroup } from './report-findings';
import type { ScenarioResult } from './results-types';

/**
 * Client (rows, from the data) × strategy · mode (columns): lost of attempted, summed over the
 * scenarios of each cell, with the per-fault sums in the cell's text. One client is enough for a
 * matrix: the columns still compare strategies and modes.
 */
export function renderMatrix(scenarios: readonly ScenarioResult[]): SafeHtml | null {
  const groups = lossGroups(scenarios);
  if (groups.length === 0) return null;
  const clients = [...new Set(groups.map((g) => g.client))].sort();
  const columnKey = (g: Pick<LossGroup, 'strategy' | 'mode'>) => `${g.strategy} · ${g.mode}`;
  const columns = [...new Map(groups.map((g) => [columnKey(g), g])).values()]
    .sort((a, b) => a.strategy.localeCompare(b.strategy) || modeOrder(a.mode) - modeOrder(b.mode) || a.mode.localeCompare(b.mode));
  return html`<div class="scroll" tabindex="0" role="region" aria-label="client by strategy and mode matrix"><table class="matrix">
<caption>Lost = undelivered (attempted, never read back), summed over each cell's scenarios; lostAcked and duplicates shown when not 0.</caption>
<thead><tr><th scope="col">client</th>${columns.map((c) => html`<th scope="col">${c.strategy}<br>${c.mode}</th>`)}</tr></thead>
<tbody>
${clients.map((client) => html`<tr><th scope="row">${client}</th>${columns.map((column) => {
    const cell = groups.filter((g) => g.client === client && columnKey(g) === columnKey(column));
    if (cell.length === 0) return html`<td class="empty">not run</td>`;
    const sum = (k: 'attempted' | 'undelivered' | 'lostAcked' | 'duplicates' | 'scenarios') => cell.reduce((n, g) => n + g[k], 0);
    const bad = sum('undelivered') > 0 || sum('lostAcked') > 0 || sum('duplicates') > 0;
    return html`<td class="${bad ? 'bad' : 'good'}"><strong>lost ${formatCount(sum('undelivered'))}</strong> of ${formatCount(sum('attempted'))}${sum('lostAcked') > 0 ? html`<br><span class="alarm">lostAcked ${formatCount(sum('lostAcked'))}</span>` : null}${sum('duplicates') > 0 ? html`<br>duplicates ${formatCount(sum('duplicates'))}` : null}
<small>${cell.map((g) => html`<br>${g.fault}: ${formatCount(g.undelivered)}/${formatCount(g.attempted)}`)}</small></td>`;
  })}</tr>
`)}</tbody></table></div>`;
}

/** library-only first, then the seed's workaround, then the resilient producer, then anything new. */
function modeOrder(mode: string): number {
  const i = ['library-only', 'workaround', 'resilient'].indexOf(mode);
  return i < 0 ? 3 : i;
}
