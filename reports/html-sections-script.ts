/**
 * The page script's consumer and transaction sections (plain ES2017 text, inserted inside
 * html-report-script.ts's function, whose helpers el, table, fmt, ms, sec, data, faultMarks and
 * vertical it uses). Data reaches the DOM as text only, like the rest of the page.
 * The data is report-data.ts' ConsumerSection and TransactionSection.
 */
export const HTML_SECTIONS_SCRIPT = `
  var OUTCOME_COLORS = { committed: '#2e7d32', aborted: '#5f6b7a', failed: '#d35400', unknown: '#8e44ad' };
  var OUTCOME_WORDS = {
    committed: 'committed (the client confirmed the commit)',
    aborted: 'aborted on purpose (the scenario\\'s abort share)',
    failed: 'failed (aborted, or never committed, after a send, the commit or the begin failed)',
    unknown: 'unknown (commit asked, neither it nor an abort confirmed)'
  };
  var OUTCOMES = ['committed', 'aborted', 'failed', 'unknown'];

  function countList(counts, failing) {
    return el('dl', { className: 'counts' }, [].concat.apply([], Object.keys(counts).map(function (c) {
      return [el('dt', null, [c]), el('dd', { className: 'num' + (failing[c] ? ' fail' : '') }, [fmt(counts[c])])];
    })));
  }

  function renderConsumer(body, s, index) {
    var c = s.consumer;
    if (!c) return;
    var failing = {};
    c.expectations.forEach(function (e) { if (!e[3]) failing[e[0]] = true; });
    var section = el('section', { className: 'consumer', 'aria-label': 'consumer under test of ' + currentName });
    body.appendChild(section);
    section.appendChild(el('h3', null, ['Consumer under test']));
    section.appendChild(el('p', null, ['processing mode ' + c.mode + (c.api ? ' (' + c.api + ')' : '') + (c.group ? ' · group ' + c.group : '') + (c.crash ? ' · crash: ' + c.crash : ' · no crash')]));
    if (c.command) section.appendChild(el('p', null, ["a team's own consumer: ", el('code', null, [c.command])]));
    section.appendChild(el('p', { className: 'explain' }, ['Commit behaviour: ' + c.commitBehaviour]));
    if (c.commitsSeen) {
      var k = c.commitsSeen;
      section.appendChild(el('p', null, ['Commits in the history: by the application ' + fmt(k[0]) + ' ok, ' + fmt(k[1]) + ' failed, ' + fmt(k[2]) + ' unknown; by the library on its own ' + fmt(k[3]) + ' ok, ' + fmt(k[4]) + ' failed or unknown.']));
    }
    section.appendChild(el('div', { className: 'columns' }, [
      el('div', null, [el('h4', null, ['Consumer counts']), countList(c.counts, failing)]),
      el('div', null, [
        el('h4', null, ['Consumer expectations']),
        c.expectations.length === 0 ? el('p', { className: 'note' }, ['No consumer expectation recorded.'])
          : table('consumer expectations', ['count', 'expected', 'actual', 'result'], c.expectations.map(function (e) {
            return el('tr', e[3] ? null : { className: 'fail' }, [el('td', null, [e[0]]), el('td', null, [e[1]]), el('td', { className: 'num' }, [fmt(e[2])]), el('td', null, [e[3] ? 'held' : 'FAILED'])]);
          }))
      ])
    ]));
    if (c.offenders.length > 0) {
      section.appendChild(table('consumer anomalies', ['anomaly', 'first records (partition@offset)'], c.offenders.map(function (o) { return el('tr', null, [el('td', null, [o[0]]), el('td', { className: 'err' }, [o[1]])]); })));
    }
    var progress = c.progress;
    var byPartition = {};
    if (progress) progress.partitions.forEach(function (p) { byPartition[p.partition] = p; });
    var partitions = Object.keys(c.stallMsByPartition);
    Object.keys(byPartition).forEach(function (p) { if (partitions.indexOf(p) < 0) partitions.push(p); });
    Object.keys(c.committed).forEach(function (p) { if (partitions.indexOf(p) < 0) partitions.push(p); });
    partitions.sort(function (a, b) { return Number(a) - Number(b); });
    if (partitions.length > 0) {
      section.appendChild(table('consumer partitions', ['partition', 'leader at start', 'longest stall (checker)', 'stalls ≥ 1 s drawn', 'committed at end', 'waiting at end'], partitions.map(function (p) {
        var pp = byPartition[p];
        var leader = s.leaders[p];
        return el('tr', null, [
          el('td', { className: 'num' }, [p]), el('td', null, [leader === undefined ? '-' : 'k' + leader]),
          el('td', { className: 'num' }, [p in c.stallMsByPartition ? sec(c.stallMsByPartition[p]) : '-']),
          el('td', null, [pp ? (pp.stalls.length === 0 ? 'none' : pp.stalls.map(function (w) { return sec(w[0]) + ' → ' + sec(w[1]); }).join(', ')) : '-']),
          el('td', { className: 'num' }, [p in c.committed ? fmt(c.committed[p]) : '-']),
          el('td', { className: 'num' }, [pp ? fmt(pp.waiting[pp.waiting.length - 1]) : '-'])
        ]);
      })));
    }
    section.appendChild(el('h4', null, ['Lag and stalls over time']));
    if (!progress) {
      section.appendChild(el('p', { className: 'note' }, ['No consumer history to draw from (history.jsonl missing or without consumer ops).']));
    } else {
      section.appendChild(el('p', { className: 'note' }, [
        'Per partition in ' + progress.bucketMs + ' ms buckets: waiting = records in the partition no consumer had processed yet; ' +
        'uncommitted = the partition\\'s end minus the group\\'s committed position. Red shading: a fault is active; amber shading: no record processed for ≥ 1 s with records waiting ' +
        '(the checker\\'s stall above leaves broker process faults out); dotted lines: rebalances and crashes' +
        (progress.marks.length ? ' (' + progress.marks.map(function (m) { return sec(m[0]) + ' ' + m[1]; }).join('; ') + (progress.marksLeftOut ? '; ' + progress.marksLeftOut + ' more' : '') + ')' : '') + '.'
      ]));
      var wrap = el('div', { className: 'charts' });
      section.appendChild(wrap);
      progress.partitions.forEach(function (p, i) {
        var leader = s.leaders[p.partition];
        var title = 'partition ' + p.partition + (leader === undefined ? '' : ' (leader k' + leader + ' at start)');
        var label = title + ': longest stall drawn ' + sec(p.longestStallMs) + ', ' + p.stalls.length + ' stall span' + (p.stalls.length === 1 ? '' : 's') +
          '; at the end ' + p.waiting[p.waiting.length - 1] + ' waiting, ' + p.uncommitted[p.uncommitted.length - 1] + ' uncommitted';
        var canvas = el('canvas', { id: 'consumer-' + index + '-' + i, role: 'img', 'aria-label': label });
        wrap.appendChild(el('div', { className: 'chart' }, [canvas]));
        drawConsumerChart(canvas, progress, p, title);
      });
    }
    section.appendChild(el('details', null, [el('summary', null, ['consumer settings']),
      table('consumer settings', ['setting', 'value'], c.settings.map(function (kv) { return el('tr', null, [el('td', null, [kv[0]]), el('td', null, [kv[1]])]); }))]));
    if (c.other) section.appendChild(el('details', null, [el('summary', null, ['other consumer fields (this report version does not draw them)']), el('pre', { tabindex: '0' }, [c.other])]));
  }

  function drawConsumerChart(canvas, progress, p, title) {
    if (typeof Chart === 'undefined') { canvas.parentNode.textContent = 'Chart.js did not load; the chart cannot be drawn.'; return; }
    function series(values) { return values.map(function (v, i) { return { x: ((i + 1) * progress.bucketMs) / 1000, y: v }; }); }
    new Chart(canvas, {
      type: 'line',
      data: { datasets: [
        { label: 'waiting (not processed)', data: series(p.waiting), borderColor: '#4e79a7', backgroundColor: '#4e79a7', borderWidth: 1.5, pointRadius: 0, stepped: true },
        { label: 'uncommitted (end − committed)', data: series(p.uncommitted), borderColor: '#b35900', backgroundColor: '#b35900', borderWidth: 1.5, pointRadius: 0, stepped: true, borderDash: [5, 3] }
      ] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: (p.waiting.length * progress.bucketMs) / 1000, title: { display: true, text: 'seconds since scenario start' } },
          y: { beginAtZero: true, title: { display: true, text: 'records' } }
        },
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } }
      },
      plugins: [faultMarks({ windows: progress.windows, heals: [] }), consumerMarks(progress, p)]
    });
  }
  /** Amber stall spans and dotted rebalance / crash lines (a Chart.js plugin). */
  function consumerMarks(progress, p) {
    return {
      id: 'kchaosConsumerMarks',
      beforeDatasetsDraw: function (chart) {
        var area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
        ctx.save();
        p.stalls.forEach(function (w) {
          var left = Math.max(area.left, x.getPixelForValue(w[0] / 1000));
          var right = Math.min(area.right, x.getPixelForValue(w[1] / 1000));
          if (!(right > left)) return;
          ctx.fillStyle = 'rgba(230, 150, 0, 0.18)';
          ctx.fillRect(left, area.bottom - (area.bottom - area.top) / 3, right - left, (area.bottom - area.top) / 3);
        });
        progress.marks.forEach(function (m) { vertical(ctx, area, x.getPixelForValue(m[0] / 1000), '#555', [1, 3]); });
        ctx.restore();
      }
    };
  }

  function renderTransactions(body, s, index) {
    var t = s.transactions;
    if (!t) return;
    var failing = {};
    s.expectations.forEach(function (e) { if (!e[3]) failing[e[0]] = true; });
    var section = el('section', { className: 'transactions', 'aria-label': 'transaction section of ' + currentName });
    body.appendChild(section);
    section.appendChild(el('h3', null, ['Transactions']));
    var tl = t.timeline;
    if (tl) {
      section.appendChild(el('p', null, [fmt(tl.total) + ' transaction' + (tl.total === 1 ? '' : 's') + ': ' + OUTCOMES.map(function (o) { return fmt(tl.outcomes[o]) + ' ' + o; }).join(', ') + '.']));
      section.appendChild(el('ul', { className: 'note' }, OUTCOMES.map(function (o) { return el('li', null, [o + ': ' + OUTCOME_WORDS[o]]); })));
    }
    section.appendChild(el('h4', null, ['Transaction counts (read_committed vs read_uncommitted)']));
    section.appendChild(countList(t.counts, failing));
    if (!tl) {
      section.appendChild(el('p', { className: 'note' }, ['No transaction ops in the history (history.jsonl missing): counts only.']));
    } else {
      section.appendChild(el('h4', null, ['Transactions over time']));
      section.appendChild(el('p', { className: 'note' }, ['Each bar spans a transaction from its begin to its last end call, coloured by outcome; red shading: a fault is active.' +
        (tl.total > tl.spans.length ? ' The first ' + tl.spans.length + ' of ' + tl.total + ' transactions are drawn and listed.' : '')]));
      var canvas = el('canvas', { id: 'transactions-' + index, role: 'img', 'aria-label': 'transactions of ' + currentName + ' over time: ' + OUTCOMES.map(function (o) { return tl.outcomes[o] + ' ' + o; }).join(', ') });
      var box = el('div', { className: 'chart txn-chart' }, [canvas]);
      box.style.height = Math.min(1900, 90 + tl.spans.length * (tl.spans.length > 60 ? 6 : 16)) + 'px';
      section.appendChild(box);
      drawTransactionChart(canvas, tl);
      section.appendChild(el('details', null, [el('summary', null, ['each transaction (' + tl.spans.length + ')']),
        table('transactions', ['transaction', 'outcome', 'why aborted', 'begin', 'end', 'sends', 'sends ok', 'sends failed or unanswered', 'last error'], tl.spans.map(function (x) {
          return el('tr', x[3] === 'committed' || x[3] === 'aborted' ? null : { className: 'fail' }, [
            el('td', null, [x[0]]), el('td', null, [x[3]]), el('td', null, [x[4] === null ? '—' : x[4]]), el('td', { className: 'num' }, [sec(x[1])]), el('td', { className: 'num' }, [sec(x[2])]),
            el('td', { className: 'num' }, [x[5]]), el('td', { className: 'num' }, [x[6]]), el('td', { className: 'num' }, [x[7]]), el('td', { className: 'err' }, [x[8] === null ? '—' : x[8]])
          ]);
        }), 'transactions')]));
    }
    if (t.settings) section.appendChild(el('details', null, [el('summary', null, ['transaction settings (JSON)']), el('pre', { tabindex: '0' }, [t.settings])]));
  }

  function drawTransactionChart(canvas, tl) {
    if (typeof Chart === 'undefined') { canvas.parentNode.textContent = 'Chart.js did not load; the chart cannot be drawn.'; return; }
    // A bar of at least 20 ms stays visible however long the scenario.
    var minWidth = Math.max(0.02, tl.endMs / 1000 / 400);
    var labels = tl.spans.map(function (x) { return x[0]; });
    var datasets = OUTCOMES.map(function (o) {
      return {
        label: o, grouped: false, barPercentage: 0.9, categoryPercentage: 1,
        backgroundColor: OUTCOME_COLORS[o], borderColor: OUTCOME_COLORS[o],
        data: tl.spans.filter(function (x) { return x[3] === o; }).map(function (x) { return { y: x[0], x: [x[1] / 1000, Math.max(x[2] / 1000, x[1] / 1000 + minWidth)] }; })
      };
    });
    new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', min: 0, max: tl.endMs / 1000, title: { display: true, text: 'seconds since scenario start' } },
          y: { type: 'category', ticks: { autoSkip: true } }
        },
        plugins: { legend: { position: 'bottom' }, title: { display: true, text: 'transactions by outcome' } }
      },
      plugins: [faultMarks({ windows: tl.windows, heals: [] })]
    });
  }

  function renderOther(body, s) {
    if (!s.other) return;
    body.appendChild(el('details', null, [el('summary', null, ['other results fields (this report version does not draw them)']), el('pre', { tabindex: '0' }, [s.other])]));
  }
`;
