// Charts drawn as SVG in the page: bars (grouped or stacked, with an
// optional line on a second axis), horizontal stacked bars, and a heat map.
// Plain JS, no library, nothing from outside the appliance; used by the
// admin page and the printable report (/admin/laporan). Colours and sizes
// are SVG attributes, so the pages' content security policy (no inline
// styles) holds. Each chart is drawn to the width of its box, in pixels, so
// text stays readable on a phone; call it again when the box changes width.
'use strict';

const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  // Palette: readable on paper in grey too (the light/dark order differs).
  const palette = ['#1f4e79', '#f0a30a', '#5b9bd5', '#c0504d', '#70ad47', '#7f6084'];

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
    for (const c of children.flat()) if (c) e.append(c);
    return e;
  }

  function text(x, y, s, attrs) {
    const e = svg('text', Object.assign({ x, y, 'font-size': 12, fill: '#333' }, attrs));
    e.textContent = s;
    return e;
  }

  // scale picks an axis: a round step (1, 2, 2.5 or 5 × 10^n; whole
  // minutes for durations in seconds; never below 1 for counts) with about
  // four gridlines, and the top gridline at or above max.
  function scale(max, minutes) {
    const raw = (max > 0 ? max : minutes ? 240 : 4) / 4;
    let step;
    if (minutes) {
      step = [30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 14400].find((st) => st >= raw) || Math.ceil(raw / 3600) * 3600;
    } else {
      const p = Math.pow(10, Math.floor(Math.log10(raw)));
      step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * p).find((st) => st >= raw));
    }
    const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
    return { top, step, ticks: Math.round(top / step) };
  }

  function widthOf(box, fallback) {
    const w = box && box.clientWidth;
    return Math.max(300, Math.min(1000, w || fallback || 640));
  }

  // legend draws the series names in a row (wrapping) and returns its height.
  function legend(g, items, x0, y0, width) {
    let x = x0, y = y0;
    for (const it of items) {
      const w = 22 + it.name.length * 6.8;
      if (x + w > x0 + width && x > x0) { x = x0; y += 18; }
      g.append(it.line
        ? svg('line', { x1: x, y1: y - 4, x2: x + 14, y2: y - 4, stroke: it.color, 'stroke-width': 3 })
        : svg('rect', { x, y: y - 10, width: 12, height: 12, fill: it.color }));
      g.append(text(x + 18, y, it.name));
      x += w + 10;
    }
    return y - y0 + 18;
  }

  // bars draws categories (labels) with one bar per series (or the series
  // stacked), and an optional line on a right-hand axis.
  //   opts: {labels, series: [{name, values, color}], stacked, format(v), minutes,
  //          line: {name, values, color, format(v), max}, height, title, labelEvery}
  function bars(box, opts) {
    const W = widthOf(box, opts.width), H = opts.height || 240;
    const left = 58, right = opts.line ? 52 : 14, top = opts.title ? 26 : 10;
    const series = opts.series.map((s, i) => Object.assign({ color: palette[i % palette.length] }, s));
    const n = opts.labels.length;
    let max = 0;
    for (let i = 0; i < n; i++) {
      if (opts.stacked) max = Math.max(max, series.reduce((a, s) => a + (s.values[i] || 0), 0));
      else for (const s of series) max = Math.max(max, s.values[i] || 0);
    }
    const sc = scale(max, opts.minutes);
    max = sc.top;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'chart' });
    if (opts.title) root.append(text(left, 16, opts.title, { 'font-size': 13, 'font-weight': 'bold' }));
    const items = series.map((s) => ({ name: s.name, color: s.color }));
    if (opts.line) items.push({ name: opts.line.name, color: opts.line.color || '#c0504d', line: true });
    const leg = svg('g');
    const legH = legend(leg, items, left, 0, W - left - right);
    const bottom = 22 + legH + 6;
    const plotH = H - top - bottom, plotW = W - left - right;
    leg.setAttribute('transform', `translate(0 ${H - legH + 6})`);
    const y = (v) => top + plotH - (v / max) * plotH;
    const fmt = opts.format || ((v) => String(v));
    for (let k = 0; k <= sc.ticks; k++) {
      const v = k * sc.step;
      root.append(svg('line', { x1: left, x2: left + plotW, y1: y(v), y2: y(v), stroke: '#ddd' }));
      root.append(text(left - 6, y(v) + 4, fmt(v), { 'text-anchor': 'end', 'font-size': 11 }));
    }
    const slot = plotW / Math.max(1, n);
    const every = opts.labelEvery || Math.max(1, Math.ceil((n * 34) / plotW));
    for (let i = 0; i < n; i++) {
      const x0 = left + i * slot;
      if (opts.stacked) {
        let acc = 0;
        for (const s of series) {
          const v = s.values[i] || 0;
          if (v > 0) root.append(svg('rect', { x: x0 + slot * 0.15, width: slot * 0.7, y: y(acc + v), height: y(acc) - y(acc + v), fill: s.color },
            svg('title', {}, document.createTextNode(`${opts.labels[i]} · ${s.name}: ${fmt(v)}`))));
          acc += v;
        }
      } else {
        const bw = (slot * 0.8) / series.length;
        series.forEach((s, j) => {
          const v = s.values[i];
          if (v > 0) root.append(svg('rect', { x: x0 + slot * 0.1 + j * bw, width: bw, y: y(v), height: y(0) - y(v), fill: s.color },
            svg('title', {}, document.createTextNode(`${opts.labels[i]} · ${s.name}: ${fmt(v)}`))));
        });
      }
      if (i % every === 0) root.append(text(x0 + slot / 2, top + plotH + 15, opts.labels[i], { 'text-anchor': 'middle', 'font-size': 11 }));
    }
    root.append(svg('line', { x1: left, x2: left + plotW, y1: y(0), y2: y(0), stroke: '#888' }));
    if (opts.line) {
      const l = opts.line, lmax = l.max || scale(Math.max(0, ...l.values.filter((v) => v != null))).top;
      const ly = (v) => top + plotH - (v / lmax) * plotH;
      const lf = l.format || ((v) => String(v));
      for (let k = 0; k <= 4; k++) root.append(text(left + plotW + 6, ly((lmax * k) / 4) + 4, lf((lmax * k) / 4), { 'font-size': 11 }));
      let d = '';
      l.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const px = left + i * slot + slot / 2, py = ly(v);
        d += (d ? ' L' : 'M') + px.toFixed(1) + ' ' + py.toFixed(1);
        root.append(svg('circle', { cx: px, cy: py, r: 3, fill: l.color || '#c0504d' },
          svg('title', {}, document.createTextNode(`${opts.labels[i]} · ${l.name}: ${lf(v)}`))));
      });
      if (d) root.append(svg('path', { d, fill: 'none', stroke: l.color || '#c0504d', 'stroke-width': 2 }));
    }
    root.append(leg);
    box.replaceChildren(root);
    return root;
  }

  // hbars draws one horizontal bar per row, its parts stacked: where each
  // service's time goes.
  //   opts: {labels, series: [{name, values, color}], format(v), minutes, marks: [value|null] (a tick per row)}
  function hbars(box, opts) {
    const W = widthOf(box, opts.width);
    const series = opts.series.map((s, i) => Object.assign({ color: palette[i % palette.length] }, s));
    const n = opts.labels.length, row = 26;
    const labelW = Math.min(220, Math.max(80, Math.max(...opts.labels.map((l) => l.length)) * 6.6));
    const left = labelW + 10, right = 60, top = opts.title ? 26 : 8;
    const plotW = W - left - right;
    let max = 0;
    for (let i = 0; i < n; i++) {
      max = Math.max(max, series.reduce((a, s) => a + (s.values[i] || 0), 0), (opts.marks && opts.marks[i]) || 0);
    }
    const sc = scale(max, opts.minutes);
    max = sc.top;
    const leg = svg('g');
    const legH = legend(leg, series.map((s) => ({ name: s.name, color: s.color })).concat(opts.marks ? [{ name: opts.markName || 'standar', color: '#000', line: true }] : []), left, 0, plotW);
    const H = top + n * row + 24 + legH;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'chart' });
    if (opts.title) root.append(text(8, 16, opts.title, { 'font-size': 13, 'font-weight': 'bold' }));
    const x = (v) => left + (v / max) * plotW;
    const fmt = opts.format || ((v) => String(v));
    for (let k = 0; k <= sc.ticks; k++) {
      const v = k * sc.step;
      root.append(svg('line', { x1: x(v), x2: x(v), y1: top, y2: top + n * row, stroke: '#ddd' }));
      root.append(text(x(v), top + n * row + 14, fmt(v), { 'text-anchor': 'middle', 'font-size': 11 }));
    }
    for (let i = 0; i < n; i++) {
      const y0 = top + i * row;
      root.append(text(left - 8, y0 + row / 2 + 4, opts.labels[i], { 'text-anchor': 'end' }));
      let acc = 0;
      for (const s of series) {
        const v = s.values[i] || 0;
        if (v > 0) root.append(svg('rect', { x: x(acc), y: y0 + 4, width: x(acc + v) - x(acc), height: row - 8, fill: s.color },
          svg('title', {}, document.createTextNode(`${opts.labels[i]} · ${s.name}: ${fmt(v)}`))));
        acc += v;
      }
      if (acc > 0) root.append(text(x(acc) + 4, y0 + row / 2 + 4, fmt(acc), { 'font-size': 11 }));
      const m = opts.marks && opts.marks[i];
      if (m) root.append(svg('line', { x1: x(m), x2: x(m), y1: y0 + 1, y2: y0 + row - 1, stroke: '#000', 'stroke-width': 2 }));
    }
    leg.setAttribute('transform', `translate(0 ${top + n * row + 34})`);
    root.append(leg);
    box.replaceChildren(root);
    return root;
  }

  // heat draws a table of values as shaded cells (rows × cols): the week by hour.
  //   opts: {rows, cols, values: [[v|null]], format(v), colsEvery}
  function heat(box, opts) {
    const W = widthOf(box, opts.width);
    const left = 60, top = 20, cols = opts.cols.length;
    const cw = (W - left - 6) / cols, ch = 20;
    const H = top + opts.rows.length * ch + 6;
    let max = 0;
    opts.values.forEach((r) => r.forEach((v) => { if (v > max) max = v; }));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'chart' });
    const every = opts.colsEvery || (cw < 22 ? 2 : 1);
    opts.cols.forEach((c, j) => { if (j % every === 0) root.append(text(left + j * cw + cw / 2, 14, c, { 'text-anchor': 'middle', 'font-size': 10 })); });
    const fmt = opts.format || ((v) => String(v));
    opts.rows.forEach((r, i) => {
      root.append(text(left - 6, top + i * ch + 14, r, { 'text-anchor': 'end', 'font-size': 11 }));
      opts.values[i].forEach((v, j) => {
        const a = v && max ? 0.1 + 0.9 * (v / max) : 0;
        root.append(svg('rect', { x: left + j * cw, y: top + i * ch, width: cw - 1, height: ch - 1, fill: v ? '#c0504d' : '#f4f4f4', 'fill-opacity': v ? a.toFixed(2) : 1 },
          svg('title', {}, document.createTextNode(`${r} ${opts.cols[j]}: ${v ? fmt(v) : '—'}`))));
      });
    });
    box.replaceChildren(root);
    return root;
  }

  return { bars, hbars, heat, palette };
})();
