/**
 * The page's own script: reads the embedded JSON and hands it to Chart.js. Kept as plain
 * ES2017 text (not compiled TS) so what ships in report.html is exactly what is reviewed here.
 * Strings from the data only reach Chart.js, which draws them on a canvas, never into markup.
 * The fault-window plugin configures Chart.js (a box between inject and heal), it draws no chart.
 */
export const HTML_REPORT_SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('kchaos-data');
  var data = JSON.parse(dataEl.textContent);
  if (typeof Chart === 'undefined') {
    document.querySelectorAll('.chart').forEach(function (el) {
      el.textContent = 'Chart.js did not load; the timeline cannot be drawn.';
    });
    return;
  }
  function faultWindows(windows) {
    return {
      id: 'kchaosFaultWindows',
      beforeDatasetsDraw: function (chart) {
        var area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
        ctx.save();
        windows.forEach(function (w) {
          var left = Math.max(area.left, x.getPixelForValue(w.from));
          var right = Math.min(area.right, x.getPixelForValue(w.to));
          if (!(right > left)) return;
          ctx.fillStyle = 'rgba(214, 39, 40, 0.12)';
          ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
          ctx.fillStyle = 'rgba(150, 20, 20, 0.9)';
          ctx.font = '11px sans-serif';
          ctx.fillText(w.label, left + 3, area.top + 12);
        });
        ctx.restore();
      }
    };
  }
  function points(seconds, values) {
    return seconds.map(function (s, i) { return { x: s, y: values[i] }; });
  }
  function line(label, color, seconds, values) {
    return { label: label, data: points(seconds, values), borderColor: color, backgroundColor: color,
             borderWidth: 1.5, pointRadius: 0, tension: 0 };
  }
  data.charts.forEach(function (c) {
    var canvas = document.getElementById(c.canvasId);
    if (!canvas) return;
    new Chart(canvas, {
      type: 'line',
      data: { datasets: [
        line('sends', '#4e79a7', c.seconds, c.sends),
        line('acks', '#59a14f', c.seconds, c.acks),
        line('errors', '#e15759', c.seconds, c.errors)
      ] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'seconds since scenario start' } },
          y: { beginAtZero: true, title: { display: true, text: 'per second' } }
        },
        plugins: { title: { display: true, text: c.title }, legend: { position: 'bottom' } }
      },
      plugins: [faultWindows(c.windows)]
    });
  });
})();
`;
