import { HTML_SECTIONS_SCRIPT } from './html-sections-script';
import { UNPACK_SOURCE } from './report-history-pack';

/**
 * The page's own script, plain ES2017 text (not compiled TS) so what ships in report.html is
 * exactly what is reviewed here. It filters the scenario rows, keeps the filters and the open
 * scenario in the URL hash (deep links), and draws a scenario's details from the embedded JSON
 * when its row is opened. Data reaches the DOM only as text (textContent, attribute values set
 * through the DOM), never as markup; Chart.js draws data strings on a canvas.
 */
export const HTML_REPORT_SCRIPT = `
(function () {
  'use strict';
  ${UNPACK_SOURCE}
  var dataCache = null;
  function data() {
    if (!dataCache) dataCache = JSON.parse(document.getElementById('kchaos-data').textContent);
    return dataCache;
  }
  var FILTERS = ['q', 'verdict', 'client', 'strategy', 'mode', 'fault', 'baseline'];
  var form = document.querySelector('form.filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#scenarios > .list > details.scn'));
  var shown = document.getElementById('shown');
  var noMatch = document.getElementById('no-match');

  // ---- DOM helpers: text only ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return node;
  }
  function fmt(n) { return typeof n === 'number' ? n.toLocaleString('en-US') : (n === null || n === undefined ? '-' : String(n)); }
  function ms(n) { return typeof n !== 'number' || !isFinite(n) ? '-' : (n >= 100 ? String(Math.round(n)) : n.toFixed(1)) + ' ms'; }
  function sec(n) { return typeof n !== 'number' || !isFinite(n) ? '-' : (n / 1000).toFixed(1) + ' s'; }
  function text(v) { return unpackValue(v, data().tables); }
  var currentName = '';
  function table(caption, head, body, cls) {
    // Each region's name says whose it is: landmarks must be told apart with several rows open.
    return el('div', { className: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption + ' of ' + currentName }, [
      el('table', cls ? { className: cls } : null, [
        el('thead', null, [el('tr', null, head.map(function (h) { return el('th', { scope: 'col' }, [h]); }))]),
        el('tbody', null, body)
      ])
    ]);
  }

  // ---- filters and the URL hash ----
  function filterValues() {
    var v = {};
    FILTERS.forEach(function (name) {
      var input = form && form.querySelector('[data-filter="' + name + '"]');
      v[name] = input ? input.value : '';
    });
    return v;
  }
  function matches(row, v) {
    if (v.q) {
      var name = row.querySelector('.name').textContent.toLowerCase();
      if (name.indexOf(v.q.toLowerCase()) < 0) return false;
    }
    for (var i = 1; i < FILTERS.length; i++) {
      var key = FILTERS[i];
      if (!v[key]) continue;
      var attr = row.getAttribute('data-' + key);
      if (!attr || JSON.parse(attr).indexOf(v[key]) < 0) return false;
    }
    return true;
  }
  function applyFilters(updateHash) {
    var v = filterValues(), n = 0;
    rows.forEach(function (row) {
      var ok = matches(row, v);
      row.hidden = !ok;
      if (ok) n++;
    });
    if (shown) shown.textContent = (n === rows.length ? '' : n + ' of ') + rows.length + ' shown';
    if (noMatch) noMatch.hidden = n > 0;
    if (updateHash) {
      var params = [];
      FILTERS.forEach(function (k) { if (v[k]) params.push(encodeURIComponent(k) + '=' + encodeURIComponent(v[k])); });
      history.replaceState(null, '', params.length ? '#' + params.join('&') : location.pathname + location.search);
    }
  }
  function readHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (/^scenario-\\d+(-runs)?$/.test(hash)) { openScenario(hash); return; }
    if (!form || hash.indexOf('=') < 0) return;
    location.hash.slice(1).split('&').forEach(function (pair) {
      var kv = pair.split('=');
      var input = form.querySelector('[data-filter="' + decodeURIComponent(kv[0]) + '"]');
      if (input) input.value = decodeURIComponent(kv[1] || '');
    });
    applyFilters(false);
  }
  function openScenario(id) {
    var target = document.getElementById(id);
    if (!target || target.tagName !== 'DETAILS') return;
    for (var p = target; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
    ensureRendered(target);
    target.scrollIntoView({ block: 'start' });
    var summary = target.querySelector('summary');
    // Now, and again once the page has loaded: the browser's own scroll to the URL's fragment
    // (a details element, which cannot take focus) clears the focus.
    if (summary) {
      var focus = function () { if (!document.activeElement || document.activeElement === document.body) summary.focus({ preventScroll: true }); };
      focus();
      if (document.readyState === 'complete') setTimeout(focus, 0);
      else window.addEventListener('load', function () { setTimeout(focus, 0); });
    }
  }
  if (form) {
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.addEventListener('input', function () { applyFilters(true); });
    form.addEventListener('change', function () { applyFilters(true); });
    form.addEventListener('click', function (e) {
      var action = e.target && e.target.getAttribute && e.target.getAttribute('data-action');
      if (action === 'expand') rows.forEach(function (r) { if (!r.hidden) { r.open = true; ensureRendered(r); } });
      if (action === 'collapse') document.querySelectorAll('details.scn[open]').forEach(function (r) { r.open = false; });
      if (action === 'reset') { form.reset(); applyFilters(true); }
    });
  }
  document.addEventListener('toggle', function (e) {
    var t = e.target;
    if (t && t.classList && t.classList.contains('scn') && t.open) {
      ensureRendered(t);
      if (!t.classList.contains('group')) history.replaceState(null, '', '#' + t.id);
    }
  }, true);
  window.addEventListener('hashchange', readHash);
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[href^="#scenario-"]');
    if (a) { e.preventDefault(); history.replaceState(null, '', a.getAttribute('href')); openScenario(a.getAttribute('href').slice(1)); }
  });

  // ---- details, drawn on demand ----
  function ensureRendered(row) {
    var body = row.querySelector(':scope > .body');
    if (!body || body.getAttribute('data-done')) return;
    body.setAttribute('data-done', '1');
    var index = Number(row.getAttribute('data-index'));
    currentName = row.querySelector('.name').textContent;
    try {
      renderDetails(body, data().scenarios[index], index);
    } catch (err) {
      body.appendChild(el('p', { className: 'error' }, ['These details could not be drawn: ' + err.message]));
    }
  }
  function renderDetails(body, s, index) {
    var counts = Object.keys(s.counts);
    var failing = {};
    s.expectations.forEach(function (e) { if (!e[3]) failing[e[0]] = true; });
    body.appendChild(el('div', { className: 'columns' }, [
      el('div', null, [
        el('h3', null, ['Counts']),
        el('dl', { className: 'counts' }, [].concat.apply([], counts.map(function (c) {
          return [el('dt', null, [c]), el('dd', { className: 'num' + (failing[c] ? ' fail' : '') }, [fmt(s.counts[c])])];
        }))),
        s.baseline && s.baseline.status !== 'same' ? el('p', { className: 'delta ' + s.baseline.status }, [baselineText(s.baseline)]) : null
      ]),
      el('div', null, [
        el('h3', null, ['Expectations']),
        s.expectations.length === 0 ? el('p', { className: 'note' }, ['No expectations: this scenario only measures.'])
          : table('expectations', ['count', 'expected', 'actual', 'result'], s.expectations.map(function (e) {
            return el('tr', e[3] ? null : { className: 'fail' }, [el('td', null, [e[0]]), el('td', null, [e[1]]), el('td', { className: 'num' }, [fmt(e[2])]), el('td', null, [e[3] ? 'held' : 'FAILED'])]);
          })),
        el('h3', null, ['Latency (ack time − invoke time)']),
        s.latencyMs ? el('p', null, ['p50 ' + ms(s.latencyMs.p50) + ' · p95 ' + ms(s.latencyMs.p95) + ' · p99 ' + ms(s.latencyMs.p99) + ' · max ' + ms(s.latencyMs.max)]) : el('p', { className: 'note' }, ['not recorded']),
        el('h3', null, ['Configuration']),
        el('p', null, ['duration ' + sec(s.durationMs) + '; leaders at start: ' + (Object.keys(s.leaders).map(function (p) { return 'p' + p + ' → k' + s.leaders[p]; }).join(', ') || 'unknown')]),
        el('details', null, [el('summary', null, ['client configuration (JSON)']), el('pre', { tabindex: '0' }, [JSON.stringify(s.config, null, 2)])])
      ])
    ]));
    body.appendChild(el('h3', null, ['Faults']));
    body.appendChild(s.faults.length === 0 ? el('p', { className: 'note' }, ['No fault: a control scenario.'])
      : table('faults', ['kind', 'target', 'active', 'details', 'what it really does'], s.faults.map(function (f) {
        return el('tr', null, [el('td', null, [f[0]]), el('td', null, [f[1]]), el('td', null, [sec(f[2]) + ' → ' + (f[3] === null ? 'end of run (never healed)' : sec(f[3]))]), el('td', null, [f[4]]), el('td', { className: 'explain' }, [data().explanations[f[5]] || ''])]);
      }), 'faults'));
    renderConsumer(body, s, index);
    renderTransactions(body, s, index);
    renderTimeline(body, s, index);
    renderMessages(body, s);
    renderOther(body, s);
  }
  function baselineText(b) {
    function list(changes) { return changes.map(function (c) { return c.count + ' ' + c.baseline + ' → ' + c.actual; }).join(', '); }
    if (b.status === 'new') return 'Not in the baseline.';
    return (b.worse.length ? 'Worse than the baseline: ' + list(b.worse) + '. ' : '') + (b.better.length ? 'Better than the baseline: ' + list(b.better) + '.' : '');
  }

  function renderTimeline(body, s, index) {
    body.appendChild(el('h3', null, [s.consumer ? 'Timeline of the pre-fill (the harness\\'s producer)' : 'Timeline']));
    var tl = s.timeline;
    if (!tl) { body.appendChild(el('p', { className: 'note' }, ['No timeline recorded for this scenario.'])); return; }
    var heals = tl.heals.map(function (h) { return 'heal at ' + sec(h.atMs) + ': ' + (h.firstAckAfterMs === null ? 'no ack followed' : 'first ack ' + ms(h.firstAckAfterMs) + ' later'); });
    body.appendChild(el('p', { className: 'note' }, [
      'Sends, acks and errors per second in ' + tl.bucketMs + ' ms buckets, one chart per partition. ' +
      (tl.source === 'history' ? 'A send counts on the partition it was placed on (from its answer when the client chose); ' : 'From results.json (no history file): a send counts on the partition the app asked for; ') +
      'shaded: a fault is active; dashed line: heal; solid line: first ack after it.' + (heals.length ? ' ' + heals.join('; ') + '.' : '')
    ]));
    var wrap = el('div', { className: 'charts' });
    body.appendChild(wrap);
    tl.partitions.forEach(function (p, i) {
      var sum = function (a) { return a.reduce(function (x, y) { return x + y; }, 0); };
      var label = p.title + ': ' + sum(p.sends) + ' sends, ' + sum(p.acks) + ' acks, ' + sum(p.errors) + ' errors';
      var canvas = el('canvas', { id: 'timeline-' + index + '-' + i, role: 'img', 'aria-label': label });
      wrap.appendChild(el('div', { className: 'chart' }, [canvas]));
      drawChart(canvas, tl, p);
    });
  }
  function drawChart(canvas, tl, p) {
    if (typeof Chart === 'undefined') { canvas.parentNode.textContent = 'Chart.js did not load; the timeline cannot be drawn.'; return; }
    var perSecond = 1000 / tl.bucketMs;
    function series(values) { return values.map(function (v, i) { return { x: (i * tl.bucketMs) / 1000, y: v * perSecond }; }); }
    function line(label, color, values, dash) {
      return { label: label, data: series(values), borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, tension: 0, borderDash: dash || [] };
    }
    new Chart(canvas, {
      type: 'line',
      data: { datasets: [line('sends', '#4e79a7', p.sends), line('acks', '#2e7d32', p.acks), line('errors', '#d62728', p.errors, [4, 3])] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: (p.sends.length * tl.bucketMs) / 1000, title: { display: true, text: 'seconds since scenario start' } },
          y: { beginAtZero: true, title: { display: true, text: 'per second' } }
        },
        plugins: { title: { display: true, text: p.title }, legend: { position: 'bottom' } }
      },
      plugins: [faultMarks(tl)]
    });
  }
  /** Shades fault windows and marks heals and the first ack after each (a Chart.js plugin). */
  function faultMarks(tl) {
    return {
      id: 'kchaosFaultMarks',
      beforeDatasetsDraw: function (chart) {
        var area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
        ctx.save();
        ctx.font = '11px sans-serif';
        tl.windows.forEach(function (w) {
          var left = Math.max(area.left, x.getPixelForValue(w.fromMs / 1000));
          var right = Math.min(area.right, x.getPixelForValue(w.toMs / 1000));
          if (!(right > left)) return;
          ctx.fillStyle = 'rgba(214, 39, 40, 0.12)';
          ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
          ctx.fillStyle = 'rgba(150, 20, 20, 0.9)';
          ctx.fillText(w.label, left + 3, area.top + 12);
        });
        tl.heals.forEach(function (h) {
          vertical(ctx, area, x.getPixelForValue(h.atMs / 1000), '#7a4700', [4, 3]);
          if (h.firstAckAfterMs !== null) {
            var px = x.getPixelForValue((h.atMs + h.firstAckAfterMs) / 1000);
            vertical(ctx, area, px, '#1b5e20', []);
            ctx.fillStyle = '#1b5e20';
            ctx.fillText('first ack +' + ms(h.firstAckAfterMs), Math.min(px + 3, area.right - 90), area.top + 26);
          }
        });
        ctx.restore();
      }
    };
  }
  function vertical(ctx, area, px, color, dash) {
    if (!(px >= area.left && px <= area.right)) return;
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.setLineDash(dash);
    ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
    ctx.setLineDash([]);
  }

  function renderMessages(body, s) {
    var m = s.messages;
    body.appendChild(el('h3', null, ['Lost or duplicated messages']));
    // The producer checker reads read_committed: records of aborted transactions are missing there by design.
    if (s.transactions) body.appendChild(el('p', { className: 'note' }, ['A transactional scenario: the messages below are the producer checker\\'s view of the read_committed topic, where records of aborted or failed transactions are missing on purpose; the transaction counts above (committedLost, abortedRead, …) are the ones that judge transactions.']));
    if (m.total === 0) { body.appendChild(el('p', { className: 'note' }, ['None: every attempted message was read back exactly once.'])); return; }
    body.appendChild(el('p', { className: 'note' }, [(m.total > m.items.length ? 'First ' + m.items.length + ' of ' + m.total : String(m.total)) +
      ' message' + (m.total === 1 ? '' : 's') + ' (lostAcked first, then undelivered, then duplicated; this report lists at most ' + data().maxFindings +
      ' per scenario; history.jsonl has them all).']));
    if (m.problem) body.appendChild(el('p', { className: 'warning' }, [m.problem + '; partition, leader, error and history lines cannot be shown.']));
    body.appendChild(table('lost or duplicated messages', ['seq', 'what', 'partition', 'leader', "producer's last answer", 'error the producer saw', 'sends', 'history'], m.items.map(function (f) {
      var leader = f[3] === null ? 'unknown' : 'k' + f[3] + (f[4] === 'fail op' ? ' (from the failed send)' : ' (at scenario start)');
      var copies = f[8] && f[8].length ? el('small', null, ['copies at ' + f[8].map(function (c) { return 'p' + c[0] + '@' + c[1]; }).join(', ')]) : null;
      return el('tr', null, [
        el('td', { className: 'num' }, [f[0]]), el('td', null, [f[1].join(', '), copies ? el('br') : null, copies]),
        el('td', { className: 'num' }, [f[2] === null ? '?' : f[2]]), el('td', null, [leader]), el('td', null, [text(f[5])]),
        el('td', { className: 'err' }, [f[6] === null ? '—' : text(f[6])]), el('td', { className: 'num' }, [f[7]]), el('td', null, [historyCell(f, m)])
      ]);
    }), 'findings'));
  }
  function historyCell(f, m) {
    var excerpts = f[9];
    if (!excerpts) return 'history unavailable';
    if (excerpts.length === 0) return 'seq not in the history';
    var own = {};
    f[10].forEach(function (n) { own[n] = true; });
    var count = excerpts.reduce(function (n, r) { return n + r[1] - r[0] + 1; }, 0);
    var details = el('details', null, [el('summary', null, [count + ' lines'])]);
    details.addEventListener('toggle', function () {
      if (!details.open || details.querySelector('pre')) return;
      var pre = el('pre', { className: 'history', tabindex: '0' });
      excerpts.forEach(function (r, i) {
        if (i > 0) pre.appendChild(document.createTextNode('…\\n'));
        for (var n = r[0]; n <= r[1]; n++) {
          var line = m.lines[n];
          pre.appendChild(el('span', own[n] ? { className: 'own' } : null, [('      ' + n).slice(-6) + '  ' + (line === undefined ? '' : unpackLine(line, data().tables))]));
          pre.appendChild(document.createTextNode('\\n'));
        }
      });
      details.appendChild(pre);
    });
    return details;
  }

${HTML_SECTIONS_SCRIPT}
  applyFilters(false);
  readHash();
  if (window.performance && performance.mark) performance.mark('kchaos-ready');
})();
`;
