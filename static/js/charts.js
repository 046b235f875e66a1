/*
 * digigap — draws the dashboard charts.
 *
 * Each chart is a <div data-chart="ID"> next to a
 * <script type="application/json" id="ID"> block holding {option, tips,
 * links}: the ECharts option built on the server with go-echarts, the
 * tooltip lines of every point and the drill-down links of the categories.
 * The block is data, never run; this file is the only code. Options name
 * the few functions they need as "dg:…" strings, mapped below, so no code
 * travels with the data and the CSP needs neither 'unsafe-inline' nor
 * 'unsafe-eval'. Every text shown as HTML (tooltips) is escaped here.
 */
'use strict';

(function () {
  var drawn = [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function num(v) {
    if (Array.isArray(v)) { v = v[v.length - 1]; }
    return typeof v === 'number' ? v : NaN;
  }

  // signed writes a percentage-point value as +12 / −3 / 0.
  function signed(v) {
    var n = Math.round(v);
    if (n > 0) { return '+' + n; }
    if (n < 0) { return '\u2212' + (-n); }
    return '0';
  }

  function tipLines(spec, p) {
    var s = spec.tips && spec.tips[p.seriesIndex];
    return (s && s[p.dataIndex]) || [p.seriesName + ': ' + p.name];
  }

  // Formatters an option may name. Each receives the chart's spec.
  var formatters = {
    tip: function (spec) {
      return function (p) {
        var list = Array.isArray(p) ? p : [p];
        var out = [];
        list.forEach(function (q, i) {
          var lines = tipLines(spec, q);
          if (Array.isArray(p) && i > 0) { lines = lines.slice(1); }
          lines.forEach(function (l, j) {
            out.push(j === 0 && (!Array.isArray(p) || i === 0) ? '<strong>' + esc(l) + '</strong>' : esc(l));
          });
        });
        return out.join('<br>');
      };
    },
    signed: function () {
      return function (p) { return signed(num(p.value)); };
    },
    // signedWide is signed for a figure whose interval is too wide to
    // read alone: followed by the mark the table view uses.
    signedWide: function () {
      return function (p) { return signed(num(p.value)) + ' \u25cc'; };
    },
    // signedX is the same for points whose value is [x, category].
    signedX: function () {
      return function (p) { return signed(Array.isArray(p.value) ? p.value[0] : p.value); };
    },
    pct: function () {
      return function (p) { var v = num(p.value); return isNaN(v) ? '' : Math.round(Math.abs(v)) + ' %'; };
    },
    pctAxis: function () {
      return function (v) { return Math.round(Math.abs(v)) + ' %'; };
    },
    ppAxis: function () {
      return function (v) { return signed(v); };
    },
    // hideSmall hides a stacked segment's label when it is too thin to read.
    pctBig: function () {
      return function (p) { var v = Math.abs(num(p.value)); return v >= 6 ? Math.round(v) + ' %' : ''; };
    }
  };

  // revive replaces "dg:name" strings of formatter keys by their function.
  function revive(node, spec) {
    if (Array.isArray(node)) {
      node.forEach(function (n) { revive(n, spec); });
    } else if (node && typeof node === 'object') {
      Object.keys(node).forEach(function (k) {
        var v = node[k];
        if ((k === 'formatter' || k === 'valueFormatter') && typeof v === 'string' && v.indexOf('dg:') === 0) {
          var f = formatters[v.slice(3)];
          node[k] = f ? f(spec) : undefined;
        } else {
          revive(v, spec);
        }
      });
    }
    return node;
  }

  // linkOf finds the drill-down link of a clicked cell, bar or axis label.
  function linkOf(spec, option, p) {
    if (!spec.links) { return ''; }
    var i = -1;
    if (p.componentType === 'yAxis') {
      var axis = [].concat(option.yAxis)[0];
      i = axis && axis.data ? axis.data.map(function (d) { return d && typeof d === 'object' ? d.value : d; }).indexOf(p.value) : -1;
    } else if (Array.isArray(p.value) && p.seriesType === 'heatmap') {
      i = p.value[1];
    } else {
      i = p.dataIndex;
    }
    return spec.links[i] || '';
  }

  function draw(el) {
    var block = document.getElementById(el.getAttribute('data-chart'));
    if (!block || typeof echarts === 'undefined') { return; }
    el.style.height = (parseInt(el.getAttribute('data-height'), 10) || 360) + 'px';
    // raw is the chart's data as text: each rendering revives its own copy.
    var d = { el: el, raw: block.textContent, chart: null };
    render(d, window.devicePixelRatio || 1);
    drawn.push(d);
    var live = el.getAttribute('data-live');
    if (live) { poll(d, live); }
  }

  // render (re)creates d's chart at pixel ratio dpr. Canvas, not SVG:
  // ECharts' SVG renderer writes style attributes, which the CSP
  // (style-src 'self') rightly refuses. The screen's own ratio on screen,
  // which spares a large heatmap three quarters of its pixels on a plain
  // monitor; 2 for print (sharpForPrint).
  function render(d, dpr) {
    if (d.chart) { d.chart.dispose(); }
    var chart = echarts.init(d.el, null, { renderer: 'canvas', devicePixelRatio: dpr });
    var spec = JSON.parse(d.raw);
    var option = revive(spec.option, spec);
    // Drawn at once, not grown: the figures are there in the first frame.
    option.animation = false;
    chart.on('finished', function () {
      if (!document.querySelector('[data-drawn]') && window.performance && performance.mark) {
        performance.mark('digigap-first-chart');
      }
      d.el.setAttribute('data-drawn', 'true');
    });
    chart.setOption(option);
    chart.on('click', function (p) {
      var url = linkOf(spec, option, p);
      if (url) { window.location.assign(url); }
    });
    d.chart = chart;
    d.dpr = dpr;
  }

  // sharpForPrint redraws, before printing, the charts drawn below a pixel
  // ratio of 2, which would print blurred.
  function sharpForPrint() {
    drawn.forEach(function (d) {
      if (d.dpr < 2) {
        try { render(d, 2); } catch (e) { console.error('chart ' + d.el.getAttribute('data-chart') + ': ' + e); }
      }
    });
  }

  function drawSafely(el) {
    try {
      draw(el);
    } catch (e) {
      // One broken chart must not keep the others from drawing; its table stays.
      console.error('chart ' + el.getAttribute('data-chart') + ': ' + e);
    }
  }

  // poll redraws a live chart (participation while a campaign is open).
  function poll(d, url) {
    window.setInterval(function () {
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (spec) {
          if (spec) {
            d.raw = JSON.stringify(spec);
            d.chart.setOption(revive(spec.option, spec), true);
          }
        })
        .catch(function () { /* keep the last drawing; the next poll retries */ });
    }, 30000);
  }

  function resizeAll(width) {
    drawn.forEach(function (d) { d.chart.resize(width ? { width: width } : undefined); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var queue = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
    // One chart per frame: the first one shows before the others are
    // built, and the page stays responsive while they are.
    function next() {
      var el = queue.shift();
      if (!el) { return; }
      drawSafely(el);
      window.requestAnimationFrame(function () { window.setTimeout(next, 0); });
    }
    next();
    window.addEventListener('resize', function () { resizeAll(); });
    // A4 portrait with 15 mm margins leaves 180 mm, about 680 CSS pixels.
    window.addEventListener('beforeprint', function () {
      while (queue.length) { drawSafely(queue.shift()); }
      sharpForPrint();
      resizeAll(680);
    });
    window.addEventListener('afterprint', function () { resizeAll(); });
    // "Print or save as PDF": the browser's own dialog is the PDF path.
    Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (b) {
      b.addEventListener('click', function () { window.print(); });
    });
  });
})();
