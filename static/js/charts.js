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

  // Layout for the width a chart gets (a phone, A4 paper, a laptop): the
  // server's option is for a wide screen; fit returns the changes a
  // narrower one needs, merged by setOption. Labels stay whole words (the
  // server shortened them); only their placement and size change.
  var measure = document.createElement('canvas').getContext('2d');

  function textWidth(s, size, weight) {
    measure.font = (weight ? weight + ' ' : '') + size + 'px system-ui, sans-serif';
    return measure.measureText(s).width;
  }

  // legendRows simulates the legend's wrapping: ECharts does not move the
  // plot below a legend that wraps onto more rows, so the lines would run
  // under it.
  function legendRows(option, width, wrapAt) {
    var lg = [].concat(option.legend || [])[0];
    if (!lg || lg.show === false) { return 0; }
    var names = lg.data || [].concat(option.series || []).map(function (s) { return s.name; });
    var rows = 1, x = 0;
    names.forEach(function (n) {
      if (!n) { return; }
      var w = 25 + 5 + textWidth(typeof n === 'object' ? n.name : n, 12) + 10;
      if (wrapAt) { w = Math.min(w, 25 + 5 + wrapAt + 10); }
      if (x > 0 && x + w > width) { rows++; x = 0; }
      x += w;
    });
    return rows;
  }

  // fit returns the option changes for width and the extra height the
  // chart then needs (upright headers, a wrapped legend).
  function fit(option, width, height) {
    var narrow = width < 600, change = {}, extra = 0;
    var x = [].concat(option.xAxis || [])[0], y = [].concat(option.yAxis || []);
    var grids = [].concat(option.grid || []);
    var heatmap = x && x.type === 'category' && x.position === 'top' && x.data;
    // Heatmap: headers turn upright when the columns are narrow, on one
    // line when narrower still, and the chart grows by their length; the
    // cells' figures go when they no longer fit (the table view has them).
    if (heatmap) {
      var col = (width - (narrow ? 140 : 190)) / x.data.length;
      var upright = col < 86, oneLine = col < 30, longest = 0;
      // Measured at the size drawn (set below): measured at 11 px and drawn
      // at ECharts' 12, the longest upright header outgrew the chart.
      x.data.forEach(function (v) {
        (oneLine ? [String(v).replace(/\n/g, ' ')] : String(v).split('\n')).forEach(function (line) {
          longest = Math.max(longest, textWidth(line, 11));
        });
      });
      if (upright) { extra += Math.max(0, longest - 30); }
      change.xAxis = [{ axisLabel: {
        rotate: upright ? 90 : 0, fontSize: 11,
        formatter: oneLine ? function (v) { return String(v).replace(/\n/g, ' '); } : null
      } }];
      change.yAxis = [{ axisLabel: { fontSize: narrow ? 10 : 12, lineHeight: narrow ? 11 : 13 } }];
      change.series = [].concat(option.series).map(function () { return { label: { show: col >= 30 } }; });
      if (narrow) {
        // The legend takes a row per item here (three or four): the scale
        // goes above it, and the longest item wraps inside the width.
        change.legend = [{ left: 0, right: 'auto', bottom: 0, orient: 'vertical',
          textStyle: { width: width - 40, overflow: 'break', lineHeight: 14 } }];
        change.visualMap = [{ left: 0, bottom: 100, itemHeight: 90 }];
        change.grid = [{ bottom: 142 }];
        extra += 92;
      }
      // Bold group names are wider than containLabel reckons.
      // containLabel reserves a little less than an upright header takes
      // (about its 8 px margin): the top keeps that much more.
      // The longest header also kept no margin above it on a phone: 12 px more.
      if (upright) { extra += 26; }
      change.grid = [Object.assign(change.grid ? change.grid[0] : {}, { left: 44, top: upright ? 36 : 10 })];
    }
    var lg = [].concat(option.legend || [])[0];
    if (lg && lg.show !== false && lg.bottom === undefined && grids.length) {
      var rows = legendRows(option, width, narrow ? 130 : 0);
      var top = rows * (narrow ? 30 : 24) + 20;
      change.grid = grids.map(function (g) {
        var t = typeof g.top === 'number' ? g.top : parseInt(g.top, 10) || 0;
        if (top > t) { extra += 0; }
        return { top: Math.max(t, top) };
      });
      if (narrow) {
        change.legend = [{ textStyle: { width: 130, overflow: 'break', lineHeight: 14 } }];
        extra += Math.max(0, top - (parseInt(grids[0].top, 10) || 0));
      }
    }
    // Trend: on a narrow page the legend names the lines (their end labels
    // would take half the width) and the waves' names wrap between words.
    var hasEnd = [].concat(option.series || []).some(function (s) { return s.endLabel; });
    if (hasEnd) {
      change.series = [].concat(option.series).map(function () { return { endLabel: { show: !narrow } }; });
      // The first and last waves' names are centred on the plot's edges.
      change.grid = (change.grid || grids.map(function () { return {}; })).map(function (g) {
        g.right = narrow ? 56 : grids[0].right; g.left = 40; return g;
      });
      change.xAxis = [{ axisLabel: { width: 100, overflow: 'break' } }];
    }
    // Rows named on a category axis (dumbbell, ranking): smaller text and
    // dots on a phone, so the plot keeps its width; reference labels wrap.
    // Bar charts named on a category axis get their own layout (barRows).
    var bars = [].concat(option.series || []).every(function (sr) { return sr.type === 'bar'; });
    if (narrow && !heatmap && !bars && y.length && y[0].type === 'category') {
      var dumbbell = grids.length === 2;
      change.yAxis = y.map(function (a) {
        if (a.type !== 'category') { return {}; }
        // Dumbbell: each channel's name on one line above its row, so the
        // dots get the whole width instead of the half the names took.
        return dumbbell ? { axisLabel: { inside: true, fontSize: 10, lineHeight: 12, align: 'left', verticalAlign: 'bottom',
          padding: [0, 0, 9, 0], formatter: function (v) { return String(v).replace(/\n/g, ' '); } }, axisTick: { show: false } }
          : { axisLabel: { fontSize: 10, lineHeight: 12 } };
      });
      change.series = change.series || [].concat(option.series).map(function (s) {
        var c = s.type === 'scatter' && s.symbolSize >= 12 ? { symbolSize: 10 } : {};
        if (s.markLine && s.markLine.label) {
          // On a phone the reference values are named in the table view's
          // caption and the tooltip: on the lines, they covered the dots.
          // The line starts below the name written above its row.
          c.markLine = { label: { show: false }, data: s.markLine.data.map(function (pair) {
            var a = Object.assign({}, pair[0]);
            if (Array.isArray(a.coord)) { a.coord = [a.coord[0], a.coord[1] + 0.25]; }
            return [a, pair[1]];
          }) };
        }
        return c;
      });
      change.xAxis = [].concat(option.xAxis || []).map(function () { return { axisLabel: { hideOverlap: true } }; });
      if (dumbbell) {
        // A tenth of the width between the panels: closer, the main axis's
        // "100 %" ran into the blocked panel's "0 %".
        change.grid = [Object.assign((change.grid || [])[0] || {}, { left: 14, right: '37%', containLabel: false }),
          Object.assign((change.grid || [])[1] || {}, { left: '73%', right: 40 })];
      }
    }
    if (!heatmap && bars && y.length && y[0].type === 'category' && y[0].data) {
      extra += narrow ? barRows(option, change, width, height || 360) : 0;
      if (!narrow) { boldRoom(y[0], grids[0], change); }
    }
    // A long title (a group's name and its total) wraps between words.
    var title = [].concat(option.title || [])[0];
    if (narrow && title && title.text) {
      change.title = [{ textStyle: { width: width - 16, overflow: 'break' } }];
    }
    return { change: change, extra: extra };
  }

  // boldRoom widens the left margin by what bold names (groups) take more
  // than containLabel reckons, which measures every name in plain weight.
  function boldRoom(axis, grid, change) {
    var more = 0;
    axis.data.forEach(function (d) {
      if (d && typeof d === 'object' && d.textStyle && d.textStyle.fontWeight === 'bold') {
        String(d.value).split('\n').forEach(function (line) {
          more = Math.max(more, textWidth(line, 12, 'bold') - textWidth(line, 12));
        });
      }
    });
    if (more > 0) {
      change.grid = [Object.assign((change.grid || [])[0] || {}, { left: (parseInt(grid.left, 10) || 0) + Math.ceil(more) + 2 })];
    }
  }

  // barRows lays a bar chart's rows out for a phone (participation,
  // coverage by branch, culture, barriers): each name above its bars, on
  // the whole width, as the dumbbell's; thinner bars; the figures beside
  // them in small type. It returns the height the rows need more (less,
  // when negative).
  function barRows(option, change, width, height) {
    var series = [].concat(option.series), grid = [].concat(option.grid)[0] || {};
    var axis = [].concat(option.yAxis)[0], rows = axis.data.length;
    // Bars side by side (coverage's four shares) or one bar a row
    // (stacked, or drawn over each other with barGap -100%).
    var stacks = {}, groups = 0;
    series.forEach(function (sr, i) {
      if (sr.barGap === '-100%') { return; }
      var key = sr.stack ? 's:' + sr.stack : i;
      if (!stacks[key]) { stacks[key] = true; groups++; }
    });
    var bw = groups > 1 ? 8 : 14, thick = groups * bw + (groups - 1) * Math.ceil(bw * 0.2);
    var room = width - 40, lines = 1;
    var oneLine = function (v) { var j = String(v).replace(/\n/g, ' '); return textWidth(j, 10) <= room ? j : String(v); };
    axis.data.forEach(function (d) {
      lines = Math.max(lines, oneLine(d && typeof d === 'object' ? d.value : d).split('\n').length);
    });
    // Names as plain values: ECharts lays out a name given as an object
    // (a bold group) where the axis puts it, not where its label says.
    change.yAxis = [{ data: axis.data.map(function (d) { return d && typeof d === 'object' ? d.value : d; }),
      axisLabel: { inside: true, fontSize: 10, lineHeight: 12, align: 'left', verticalAlign: 'bottom',
        padding: [0, 0, thick / 2 + 3, 0], formatter: oneLine }, axisTick: { show: false } }];
    change.series = series.map(function (sr) {
      var c = { barWidth: bw, label: { fontSize: 10 } };
      if (groups > 1 && sr.barGap !== '-100%') { c.barGap = '20%'; }
      return c;
    });
    change.xAxis = [{ axisLabel: { hideOverlap: true } }];
    var g = (change.grid || [])[0] || {};
    var num = function (v, dflt) { var n = parseInt(v, 10); return isNaN(n) ? dflt : n; };
    change.grid = [Object.assign(g, { left: 14, right: Math.min(num(grid.right, 40), 84) })];
    var top = num(g.top !== undefined ? g.top : grid.top, 60), bottom = num(grid.bottom, 60);
    var band = (height - top - bottom) / rows, need = thick + 6 + 12 * lines + 4;
    // Rows a fixed height on the phone: taller where names wrap, and
    // shorter than the wide screen's where its bars were thick.
    return Math.round((need - band) * rows);
  }

  // withChanges is option with fit's changes merged in as a second
  // setOption would merge them — components by index, objects key by key,
  // anything else replaced — without touching option (fit reads it again
  // on resize). One drawing instead of two: the first chart shows sooner.
  function withChanges(option, change) {
    var out = Object.assign({}, option);
    Object.keys(change).forEach(function (k) {
      var was = option[k] === undefined ? [] : [].concat(option[k]);
      out[k] = was.slice();
      change[k].forEach(function (c, i) {
        out[k][i] = merged(k === 'series' ? hoverAsDrawn(was[i]) : was[i], c);
      });
    });
    return out;
  }

  // hoverAsDrawn pins a series' hover label (and its mark line's) to its
  // label's show as the server set it: ECharts copies it when a series is
  // first set, so a label that fit hides still showed on hover.
  function hoverAsDrawn(s) {
    var pin = function (o) {
      var hover = o && o.emphasis && o.emphasis.label;
      return o && o.label && o.label.show !== undefined && !(hover && hover.show !== undefined)
        ? merged(o, { emphasis: { label: { show: o.label.show } } }) : o;
    };
    s = pin(s);
    return s && s.markLine ? Object.assign({}, s, { markLine: pin(s.markLine) }) : s;
  }

  function merged(base, c) {
    var plain = function (v) { return v !== null && typeof v === 'object' && !Array.isArray(v); };
    if (!plain(base) || !plain(c)) { return c; }
    var out = Object.assign({}, base);
    Object.keys(c).forEach(function (k) { out[k] = merged(base[k], c[k]); });
    return out;
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
    // raw is the chart's data as text: each rendering revives its own copy;
    // base is the server's height, which fit may grow for the width.
    var d = { el: el, raw: block.textContent, chart: null, option: null,
      base: parseInt(el.getAttribute('data-height'), 10) || 360 };
    render(d, window.devicePixelRatio || 1);
    drawn.push(d);
    var live = el.getAttribute('data-live');
    if (live) { poll(d, live); }
  }

  // render (re)creates d's chart at pixel ratio dpr, laid out for the
  // width it gets (fit). Canvas, not SVG: ECharts' SVG renderer writes
  // style attributes, which the CSP (style-src 'self') rightly refuses. The
  // screen's own ratio on screen, which spares a large heatmap three
  // quarters of its pixels on a plain monitor; 2 for print (sharpForPrint).
  function render(d, dpr) {
    if (d.chart) { d.chart.dispose(); }
    var spec = JSON.parse(d.raw);
    var f0 = fit(spec.option, d.el.clientWidth, d.base);
    d.el.style.height = (d.base + f0.extra) + 'px';
    var chart = echarts.init(d.el, null, { renderer: 'canvas', devicePixelRatio: dpr });
    var option = revive(spec.option, spec);
    // Drawn at once, not grown: the figures are there in the first frame.
    option.animation = false;
    chart.on('finished', function () {
      if (!document.querySelector('[data-drawn]') && window.performance && performance.mark) {
        performance.mark('digigap-first-chart');
      }
      d.el.setAttribute('data-drawn', 'true');
    });
    chart.setOption(withChanges(option, f0.change));
    chart.on('click', function (p) {
      var url = linkOf(spec, option, p);
      if (url) { window.location.assign(url); }
    });
    d.chart = chart;
    d.dpr = dpr;
    d.option = option;
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
            d.option = revive(spec.option, spec);
            d.chart.setOption(withChanges(d.option, fit(d.option, d.el.clientWidth, d.base).change), true);
          }
        })
        .catch(function () { /* keep the last drawing; the next poll retries */ });
    }, 30000);
  }

  function resizeAll(width) {
    drawn.forEach(function (d) {
      var f = fit(d.option, width || d.el.clientWidth, d.base);
      d.el.style.height = (d.base + f.extra) + 'px';
      d.chart.setOption(f.change);
      d.chart.resize(width ? { width: width, height: d.base + f.extra } : undefined);
    });
  }

  // ECharts takes a line's height from the width of one CJK character,
  // U+56FD, which is 1 em in every font that has it (Windows and macOS ship
  // such fonts). On a machine without one (a bare Linux, the test
  // machines) the browser searches every installed font for it, for each
  // font drawn, and measures a placeholder glyph: 4.4 px at 12 px, so
  // a name on two lines took 9 px there and 24 on a bank's PCs. Its width
  // is the font's size: given here, charts lay out the same everywhere,
  // and a first visit's text measuring went from 118 to 49 ms.
  if (typeof echarts !== 'undefined' && echarts.setPlatformAPI) {
    var probe = null, probeFont = '';
    echarts.setPlatformAPI({
      measureText: function (text, font) {
        font = font || '12px sans-serif';
        if (text === '\u56FD') {
          var m = /(\d+(?:\.\d+)?)px/.exec(font);
          return { width: m ? +m[1] : 12 };
        }
        if (!probe) { probe = document.createElement('canvas').getContext('2d'); }
        if (probeFont !== font) { probe.font = probeFont = font; }
        return probe.measureText(text);
      }
    });
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
    // On a phone the table view comes first, open (the CSS puts it above
    // the drawing): figures read better as text on a small screen.
    if (window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) {
      Array.prototype.forEach.call(document.querySelectorAll('details.table-view'), function (d) { d.open = true; });
    }
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
