package api_test

// chartTextProblems lists, for every chart drawn on the page, the texts
// ECharts painted on its canvas (axis labels, point labels, end labels,
// reference labels, legend) whose boxes overlap another text's box, or
// leave the chart's box, in the charts whose labels are names (heatmap,
// dumbbell, ranking, trend), for each key label: a name on a category
// axis (a channel, a team, a heatmap header) must neither leave the chart
// nor be covered by another text or a dot: on canvas no DOM element holds them, so the
// boxes come from the chart's own scene (zrender's display list).
const chartTextProblems = `(() => {
	const out = [];
	for (const el of document.querySelectorAll('[data-chart]')) {
		// Every chart: the names on its axes, its legend and its labels.
		const chart = echarts.getInstanceByDom(el);
		if (!chart) { out.push(el.dataset.chart + ': no chart'); continue; }
		const W = el.clientWidth, H = el.clientHeight, boxes = [];
		// Key labels are the names on category axes (channels, teams,
		// headers): each line of them.
		const keys = new Set(), opt = chart.getOption();
		for (const ax of [].concat(opt.xAxis || [], opt.yAxis || [])) {
			if (ax.type !== 'category' || !ax.data || (ax.axisLabel && ax.axisLabel.show === false)) continue;
			// Each line, and the whole name on one line (upright headers
			// and the phone's dumbbell join the lines).
			for (const d of ax.data) {
				const name = String(d && typeof d === 'object' ? d.value : d);
				for (const line of name.split('\n')) keys.add(line.trim());
				keys.add(name.replace(/\n/g, ' ').trim());
			}
		}
		// Each line of text is a tspan: its width is measured, its height
		// is taken from its font size around the line's middle.
		for (const d of chart.getZr().storage.getDisplayList(true)) {
			if (d.type !== 'tspan' || d.invisible || !d.style || String(d.style.text || '').trim() === '' || d.style.opacity === 0) continue;
			const b = d.getBoundingRect(), m = d.transform || [1, 0, 0, 1, 0, 0];
			const size = parseFloat(/(\d+(\.\d+)?)px/.exec(d.style.font || '12px')[1]);
			const yc = b.y + b.height / 2, x0 = b.x, x1 = b.x + b.width, y0 = yc - size * 0.45, y1 = yc + size * 0.45;
			const pts = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
			const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
			const r = {x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys)};
			boxes.push({t: String(d.style.text), r, key: keys.has(String(d.style.text).trim()), parent: d.parent});
		}
		const id = el.dataset.chart.replace(/-spec$/, '');
		for (const b of boxes) {
			if (b.key && (b.r.x < -1 || b.r.y < -1 || b.r.x + b.r.width > W + 1 || b.r.y + b.r.height > H + 1)) {
				out.push(id + ': "' + b.t + '" leaves the chart (' + [b.r.x, b.r.y, b.r.width, b.r.height].map(Math.round) + ' in ' + W + '×' + H + ')');
			}
		}
		// Dots (scatter points) must not cover a name: the box of each
		// point, from its symbol size, at the pixel ECharts put it.
		opt.series.forEach((s, si) => {
			if (s.type !== 'scatter' || !s.data) return;
			const size = typeof s.symbolSize === 'number' ? s.symbolSize : 10;
			if (size <= 0) return;
			s.data.forEach(v => {
				const val = v && !Array.isArray(v) && typeof v === 'object' ? v.value : v;
				if (!Array.isArray(val)) return;
				const p = chart.convertToPixel({seriesIndex: si}, val);
				if (!p) return;
				const r = {x: p[0] - size / 2, y: p[1] - size / 2, width: size, height: size};
				for (const b of boxes) {
					if (!b.key) continue;
					const w = Math.min(r.x + r.width, b.r.x + b.r.width) - Math.max(r.x, b.r.x);
					const h = Math.min(r.y + r.height, b.r.y + b.r.height) - Math.max(r.y, b.r.y);
					if (w > 2 && h > 2) out.push(id + ': a dot of ' + s.name + ' at ' + val + ' covers "' + b.t + '"');
				}
			});
		});
		// Boxes may touch; a text drawn over another covers more than 2 px.
		for (let i = 0; i < boxes.length; i++) {
			for (let j = i + 1; j < boxes.length; j++) {
				if (!boxes[i].key && !boxes[j].key || boxes[i].parent === boxes[j].parent) continue;
				const a = boxes[i].r, b = boxes[j].r;
				const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
				const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
				if (w > 2 && h > 2) out.push(id + ': "' + boxes[i].t + '" overlaps "' + boxes[j].t + '"');
			}
		}
	}
	return out;
})()`
