"use strict";
// asgsim report: draws the run's data (the JSON element above) as a zoomable chart, alarm
// strips, instance lanes and the list of decisions, linked both ways. No library, no network.
// window.asgsimReport.render(data) (re)draws the whole page from a data object of the same
// shape, so a live page can fetch new data and draw it again.
(function () {
  let D = null;
  const $ = (id) => document.getElementById(id);
  const NS = "http://www.w3.org/2000/svg";
  const MIN = 60, HOUR = 3600, DAY = 86400;
  let SPAN = 1, START = null;
  const ML = 72, MR = 64; // plot margins [px], shared by the chart and the lanes
  const AZ_COLOURS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
  let view = [0, 1];
  let selected = 0, selectedT = null, hoverT = null, frame = 0;

  // ---- the --explain clock ----
  const pad = (n) => String(n).padStart(2, "0");
  function clock(t) {
    const s = Math.floor(t + 1e-6), d = Math.floor(s / DAY);
    const hms = pad(Math.floor(s / HOUR) % 24) + ":" + pad(Math.floor(s / MIN) % 60) + ":" + pad(s % 60);
    return (d > 0 ? "d" + d + " " : "") + hms;
  }
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function dateOf(t) {
    const d = new Date(START + t * 1000);
    return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate();
  }
  function wallClock(t) {
    return new Date(START + t * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }
  const STEPS = [1, 2, 5, 10, 15, 30, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR,
    2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY,
    90 * DAY, 180 * DAY, 365 * DAY];
  function ticks(t0, t1, most) {
    const width = t1 - t0;
    const step = STEPS.find((s) => width / s <= most) || 365 * DAY * Math.ceil(width / (365 * DAY * most));
    const at = [];
    for (let t = Math.ceil(t0 / step - 1e-9) * step; t <= t1 + 1e-9; t += step) at.push(t);
    return { step, at };
  }
  // As the PNG's axis: 07:50 and d3 07:50, day numbers when ticks are a day apart.
  function tickLabel(t, step) {
    const s = Math.round(t), d = Math.floor(s / DAY);
    if (step >= DAY) return "d" + d + (START !== null ? " " + dateOf(t) : "");
    const hm = pad(Math.floor(s / HOUR) % 24) + ":" + pad(Math.floor(s / MIN) % 60);
    return (d > 0 ? "d" + d + " " : "") + (step < MIN ? hm + ":" + pad(s % 60) : hm);
  }
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const fmt = (x, digits) => (x === null || x === undefined || Number.isNaN(x)) ? "–" :
    Number(x).toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 1 : digits });

  // ---- series: exact points ({t, v}) or columns of the run ({col_s, v: {lo, hi}}) ----
  function series(group, name) {
    if (!group) return null;
    if (group.t) return group[name] ? { t: group.t, v: group[name] } : null;
    const cols = group[name];
    return cols ? { w: group.col_s, lo: cols.lo, hi: cols.hi } : null;
  }
  let counts = {}, rates = {};
  function lastAtOrBefore(t, x) { // index of the last time <= x, or -1
    let lo = 0, hi = t.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid] <= x) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
  function firstAtOrAfter(t, x) {
    let lo = 0, hi = t.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (t[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // One column per pixel over the view: first, lowest, highest and last value in each. A count
  // holds from its change point on; a rate row covers the interval that ends at its time.
  function sample(s, n, step) {
    const out = { first: new Float64Array(n), lo: new Float64Array(n), hi: new Float64Array(n), last: new Float64Array(n) };
    out.first.fill(NaN); out.lo.fill(NaN); out.hi.fill(NaN); out.last.fill(NaN);
    if (!s) return out;
    const t0 = view[0], dt = (view[1] - view[0]) / n;
    const put = (c, v) => {
      if (v === null || Number.isNaN(v)) return;
      if (Number.isNaN(out.first[c])) { out.first[c] = v; out.lo[c] = v; out.hi[c] = v; }
      if (v < out.lo[c]) out.lo[c] = v;
      if (v > out.hi[c]) out.hi[c] = v;
      out.last[c] = v;
    };
    if (s.w) {
      for (let c = 0; c < n; c++) {
        const a = t0 + c * dt, b = a + dt;
        const j0 = Math.max(0, Math.floor(a / s.w)), j1 = Math.min(s.lo.length - 1, Math.max(j0, Math.ceil(b / s.w) - 1));
        for (let j = j0; j <= j1; j++) { put(c, s.lo[j]); put(c, s.hi[j]); }
      }
      return out;
    }
    if (step) {
      let i = lastAtOrBefore(s.t, t0);
      for (let c = 0; c < n; c++) {
        const b = t0 + (c + 1) * dt;
        if (i >= 0) put(c, s.v[i]);
        while (i + 1 < s.t.length && s.t[i + 1] < b) { i++; put(c, s.v[i]); }
      }
      return out;
    }
    let k = firstAtOrAfter(s.t, t0);
    for (let c = 0; c < n; c++) {
      const b = t0 + (c + 1) * dt;
      if (k < s.t.length && s.t[k] >= b) { put(c, s.v[k]); continue; }
      while (k < s.t.length && s.t[k] < b) { put(c, s.v[k]); k++; }
    }
    return out;
  }
  function maxOf(s) {
    if (!s) return 0;
    let m = 0;
    for (const v of (s.w ? s.hi : s.v)) if (v !== null && v > m) m = v;
    return m;
  }

  // ---- drawing helpers ----
  function el(parent, tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  }
  // The plot's width, measured once per drawing: reading clientWidth between DOM writes would
  // make the browser lay the page out again for every element drawn.
  let measuredWidth = 50;
  const measure = () => { measuredWidth = Math.max(50, $("chart").clientWidth - ML - MR); };
  const plotWidth = () => measuredWidth;
  const xOf = (t) => ML + (t - view[0]) / (view[1] - view[0]) * plotWidth();
  const tOf = (x) => view[0] + (x - ML) / plotWidth() * (view[1] - view[0]);
  // A line through every column's values, broken where there are none.
  function linePath(sm, y) {
    let d = "", open = false;
    for (let c = 0; c < sm.last.length; c++) {
      if (Number.isNaN(sm.last[c])) { open = false; continue; }
      const x = (ML + c + 0.5).toFixed(1);
      const pts = sm.lo[c] === sm.hi[c] ? [sm.first[c]] : [sm.first[c], sm.lo[c], sm.hi[c], sm.last[c]];
      for (const v of pts) { d += (open ? "L" : "M") + x + "," + y(v).toFixed(1); open = true; }
    }
    return d;
  }
  // The area between two per-column values (lower may be a constant), on the scale y.
  function bandPath(upper, lower, y) {
    let top = [], bottom = [];
    const flush = () => {
      if (!top.length) return "";
      const d = "M" + top.join("L") + "L" + bottom.reverse().join("L") + "Z";
      top = []; bottom = [];
      return d;
    };
    let d = "";
    for (let c = 0; c < upper.length; c++) {
      const u = upper[c], l = typeof lower === "function" ? lower(c) : lower;
      if (Number.isNaN(u) || Number.isNaN(l) || u <= l) { d += flush(); continue; }
      const x0 = (ML + c).toFixed(1), x1 = (ML + c + 1).toFixed(1);
      top.push(x0 + "," + y(u).toFixed(1), x1 + "," + y(u).toFixed(1));
      bottom.push(x0 + "," + y(l).toFixed(1), x1 + "," + y(l).toFixed(1));
    }
    return d + flush();
  }
  function yScale(top, height, pad) { return (v) => pad + (1 - v / top) * (height - 2 * pad); }
  function niceStep(top, most) {
    const rough = top / most, mag = Math.pow(10, Math.floor(Math.log10(Math.max(rough, 1e-9))));
    return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) || 10 * mag;
  }
  function yAxis(svg, top, y, right, integer, desc, height) {
    let step = niceStep(top, 5);
    if (integer) step = Math.max(1, Math.round(step));
    const x = right ? ML + plotWidth() : ML;
    const g = el(svg, "g", { class: "ylab" });
    for (let v = 0; v <= top + 1e-9; v += step) {
      if (!right) el(g, "line", { class: "grid", x1: ML, x2: ML + plotWidth(), y1: y(v), y2: y(v) });
      el(g, "text", { x: right ? x + 6 : x - 6, y: y(v) + 4, "text-anchor": right ? "start" : "end" }, fmt(v, 1));
    }
    el(svg, "text", { class: "desc", transform: `translate(${right ? x + 52 : 14},${height / 2}) rotate(-90)`, "text-anchor": "middle" }, desc);
  }
  function timeGrid(svg, height, labels) {
    const tk = ticks(view[0], view[1], Math.max(2, Math.floor(plotWidth() / 95)));
    const g = el(svg, "g", { class: "tick" });
    for (const t of tk.at) {
      const x = xOf(t);
      el(g, "line", { class: "grid", x1: x, x2: x, y1: 0, y2: height });
      if (labels) el(g, "text", { x, y: height + 14, "text-anchor": "middle" }, tickLabel(t, tk.step));
    }
  }

  // ---- the capacity panel ----
  const CAP_H = 320, STRIP_H = 16, LOAD_H = 170;
  let capTop = 1, loadTop = 1, anyDrops = false, decisions = [];
  const SHAPES = { // 7 px marks around (0, 0); triangles turn over for scale-ins
    simple: "M0,-7L7,5L-7,5Z", step: "M0,-8L7,3L-7,3ZM-7,5H7V7H-7Z", target_tracking: "M7,0A7,7 0 1 1 -7,0A7,7 0 1 1 7,0Z",
    predictive: "M0,-8L7,0L0,8L-7,0Z", scheduled: "M-6,-6H6V6H-6Z", other: "M-2,-7H2V-2H7V2H2V7H-2V2H-7V-2H-2Z",
  };
  const SOURCE_NAMES = { simple: "simple scaling", step: "step scaling", target_tracking: "target tracking",
    predictive: "predictive", scheduled: "scheduled action", other: "other (event, request)" };
  const RMARK = { "health replacement": "k-health", "max lifetime replacement": "k-lifetime",
    "refresh replacement": "k-refresh", "AZ rebalancing": "k-rebalance", "launch to restore desired": "k-restore" };

  function drawCapacity() {
    const svg = $("cap");
    svg.textContent = "";
    svg.setAttribute("height", CAP_H);
    const n = Math.round(plotWidth());
    const yy = yScale(capTop, CAP_H, 10);
    timeGrid(svg, CAP_H, false);
    yAxis(svg, capTop, yy, false, true, "capacity [instances]", CAP_H);
    for (const e of D.episodes) {
      if (e[2] < view[0] || e[1] > view[1]) continue;
      const x0 = Math.max(ML, xOf(e[1])), x1 = Math.min(ML + plotWidth(), Math.max(xOf(e[2]), x0 + 1));
      const band = e[0] === "cooldown" || e[0] === "instance_warmup";
      el(svg, "rect", { class: "span k-" + e[0], x: x0, width: x1 - x0, y: band ? CAP_H - 14 : 0, height: band ? 14 : CAP_H }).appendChild(document.createElementNS(NS, "title")).textContent = e[3];
      if (!band) el(svg, "text", { class: "span-label", x: x0 + 3, y: 12 }, e[3]);
    }
    const inService = sample(counts.in_service, n, true), pending = sample(counts.pending, n, true);
    const unhealthy = sample(counts.unhealthy, n, true);
    const or0 = (v) => (Number.isNaN(v) ? 0 : v);
    el(svg, "path", { class: "s-in-service", d: bandPath(inService.last, 0, yy) });
    el(svg, "path", { class: "s-pending", d: bandPath(inService.last.map((v, c) => v + or0(pending.last[c])), (c) => inService.last[c], yy) });
    el(svg, "path", { class: "s-unhealthy", d: bandPath(inService.last, (c) => Math.max(0, inService.last[c] - or0(unhealthy.last[c])), yy) });
    for (const [name, cls] of [["min", "s-bound"], ["max", "s-bound"], ["warm_pool", "s-pool"], ["desired", "s-desired"], ["forecast", "s-forecast"]]) {
      if (counts[name]) el(svg, "path", { class: cls, d: linePath(sample(counts[name], n, name !== "forecast"), yy) });
    }
    const g = el(svg, "g", { class: "rmarks" });
    for (const m of D.marks) {
      if (m[0] < view[0] || m[0] > view[1]) continue;
      const r = el(g, "path", { class: "rmark " + (RMARK[m[1]] || ""), d: "M0,-5L5,0L0,5L-5,0Z", transform: `translate(${xOf(m[0]).toFixed(1)},${yy(m[2]).toFixed(1)})` });
      el(r, "title", {}, clock(m[0]) + " " + m[1]);
    }
    placeMarks(yy);
    svg.appendChild(marksGroup);
    cursorLines(svg, CAP_H);
  }
  // The decisions' marks: made once (they keep their selection), moved with the view.
  const marksGroup = document.createElementNS(NS, "g");
  let markEls = [];
  function buildMarks() {
    marksGroup.textContent = "";
    markEls = decisions.map((d, i) => {
      const up = d[2] > d[1];
      const m = el(marksGroup, "path", { class: `mark ${up ? "up" : "down"} src-${d[3]}`, "data-decision": i + 1, d: SHAPES[d[3]] || SHAPES.other });
      el(m, "title", {}, `${clock(d[0])} desired ${d[1]} → ${d[2]} (${SOURCE_NAMES[d[3]] || d[3]})`);
      return m;
    });
  }
  function placeMarks(yy) {
    decisions.forEach((d, i) => {
      const m = markEls[i], up = d[2] > d[1];
      const flip = !up && (d[3] === "simple" || d[3] === "step") ? " scale(1,-1)" : "";
      m.setAttribute("transform", `translate(${xOf(d[0]).toFixed(1)},${yy(d[2]).toFixed(1)})${flip}`);
      m.setAttribute("visibility", d[0] < view[0] || d[0] > view[1] ? "hidden" : "visible");
    });
  }
  // The selected moment and the hover cursor: lines each panel keeps at its end, moved on hover
  // without redrawing the panel.
  function cursorLines(svg, height) {
    if (selectedT !== null && selectedT >= view[0] && selectedT <= view[1]) {
      el(svg, "line", { class: "selected-line", x1: xOf(selectedT), x2: xOf(selectedT), y1: 0, y2: height });
    }
    el(svg, "line", { class: "cursor", y1: 0, y2: height, visibility: "hidden" });
  }
  function moveCursor() {
    for (const line of document.querySelectorAll("#chart line.cursor")) {
      if (hoverT === null) { line.setAttribute("visibility", "hidden"); continue; }
      line.setAttribute("x1", xOf(hoverT)); line.setAttribute("x2", xOf(hoverT));
      line.setAttribute("visibility", "visible");
    }
  }
  // ---- alarm strips and the load panel ----
  function drawStrips() {
    const svg = $("strips");
    svg.textContent = "";
    const h = STRIP_H * D.alarms.length;
    svg.setAttribute("height", h);
    D.alarms.forEach((name, i) => {
      const y = i * STRIP_H + 2;
      el(svg, "rect", { class: "ok", x: ML, y, width: plotWidth(), height: STRIP_H - 4 });
      el(svg, "text", { class: "strip-name", x: ML - 6, y: y + 10, "text-anchor": "end" }, name.length > 11 ? name.slice(0, 10) + "…" : name);
      ["alarm", "insufficient"].forEach((cls, k) => {
        const spans = D.alarm_spans[i][k];
        // Spans within a pixel of each other are drawn as one rectangle.
        let from = null, to = null;
        const flush = () => { if (from !== null) el(svg, "rect", { class: cls, x: from, y, width: Math.max(1, to - from), height: STRIP_H - 4 }); };
        for (let j = 0; j < spans.length; j += 2) {
          if (spans[j + 1] < view[0] || spans[j] > view[1]) continue;
          const x0 = Math.max(ML, xOf(spans[j])), x1 = Math.min(ML + plotWidth(), xOf(spans[j + 1]));
          if (from !== null && x0 <= to + 1) { to = Math.max(to, x1); continue; }
          flush();
          from = x0; to = x1;
        }
        flush();
      });
    });
    cursorLines(svg, h);
  }
  function drawLoad() {
    const svg = $("load");
    svg.textContent = "";
    svg.setAttribute("height", LOAD_H + 34);
    const n = Math.round(plotWidth());
    const y = yScale(loadTop, LOAD_H, 6), yc = yScale(100, LOAD_H, 6);
    timeGrid(svg, LOAD_H, true);
    yAxis(svg, loadTop, y, false, false, "load [req/s]", LOAD_H);
    yAxis(svg, 100, yc, true, true, "CPU [%]", LOAD_H);
    el(svg, "line", { class: "axis", x1: ML, x2: ML + plotWidth(), y1: LOAD_H, y2: LOAD_H });
    el(svg, "text", { class: "desc", x: ML + plotWidth() / 2, y: LOAD_H + 30, "text-anchor": "middle" },
      START !== null ? `time, as --explain prints it (d0 = ${wallClock(0)})` : "time, as --explain prints it (dN = day N of the run)");
    el(svg, "path", { class: "s-cpu", d: linePath(sample(rates.cpu, n, false), yc) });
    if (anyDrops) {
      el(svg, "path", { class: "s-dropped", d: bandPath(sample(rates.dropped, n, false).hi, 0, y) });
      el(svg, "path", { class: "s-served", d: linePath(sample(rates.served, n, false), y) });
    }
    el(svg, "path", { class: "s-load", d: linePath(sample(rates.load, n, false), y) });
    cursorLines(svg, LOAD_H);
  }

  // ---- lanes ----
  let laneSegs = [];
  function buildLanes() {
    const box = $("lanes");
    box.style.setProperty("--ml", ML + "px");
    box.style.setProperty("--mr", MR + "px");
    const html = D.lanes.map((l) => `<div class="lane" data-instance="${esc(l[0])}"><span class="lid">${esc(l[0])}</span><span class="track"></span><span class="fate">${l[6] ? esc(l[6]) : ""}</span></div>`);
    box.innerHTML = html.join("");
    const tracks = box.querySelectorAll(".track");
    laneSegs = D.lanes.map((l, i) => {
      const [, az, launch, inService, terminating, terminated] = l;
      const end = (t) => (t === null ? SPAN : t);
      const stretches = [];
      const serveFrom = inService, stopAt = terminating !== null ? terminating : terminated;
      stretches.push(["pending", launch, end(serveFrom !== null ? serveFrom : stopAt)]);
      if (serveFrom !== null) stretches.push(["in-service", serveFrom, end(stopAt)]);
      if (terminating !== null) stretches.push(["terminating" + (l[7] ? " unhealthy" : ""), terminating, end(terminated)]);
      return stretches.filter((s) => s[2] > s[1] || s[0] === "pending").map(([cls, a, b]) => {
        const seg = document.createElement("i");
        seg.className = "seg " + cls;
        if (cls === "in-service") seg.style.background = AZ_COLOURS[az % AZ_COLOURS.length];
        seg.title = `${l[0]} ${cls}: ${clock(a)} – ${clock(b)}`;
        tracks[i].appendChild(seg);
        return [seg, a, b];
      });
    });
    const shown = D.lanes.length, total = D.lanes_total;
    $("lanes-title").textContent = `Instances (${total})`;
    $("lanes-hint").textContent = "Pending (orange), InService (the colour of its AZ: " +
      D.azs.map((a, i) => a + " " + ["blue", "green", "purple", "brown", "pink", "cyan"][i % 6]).join(", ") +
      "), Terminating (grey; red when taken out as unhealthy); its fate at the end." +
      (shown < total ? ` The first ${shown} of ${total} instances are drawn; instances.csv has them all.` : "");
  }
  function drawLanes() {
    const w = plotWidth(), k = w / (view[1] - view[0]);
    for (const segs of laneSegs) for (const [seg, a, b] of segs) {
      const x0 = Math.max(0, (a - view[0]) * k), x1 = Math.min(w, (b - view[0]) * k);
      if (x1 < 0 || x0 > w || x1 <= x0 - 1) { seg.style.display = "none"; continue; }
      seg.style.display = "";
      seg.style.left = x0.toFixed(1) + "px";
      seg.style.width = Math.max(1, x1 - x0).toFixed(1) + "px";
    }
  }

  // ---- the list of sentences ----
  let byDecision = {};
  function buildSentences() {
    const ol = $("sentences");
    byDecision = {};
    ol.innerHTML = D.sentences.map((s, i) => `<li data-s="${i}"${s[2] ? ` data-decision="${s[2]}"` : ""}><time>${clock(s[0])}</time>${esc(s[1])}</li>`).join("");
    for (const li of ol.querySelectorAll("li[data-decision]")) byDecision[li.dataset.decision] = li;
    const notes = [];
    if (D.sentences_omitted) notes.push(`${D.sentences_omitted} sentences that change nothing are left out here; asgsim run --explain prints them all.`);
    if (D.decisions_omitted) notes.push(`${D.decisions_omitted} later decisions are left out; activities.csv has them all.`);
    $("log-note").textContent = notes.join(" ");
  }
  function wireSentences() {
    $("sentences").addEventListener("click", (e) => {
      const li = e.target.closest("li");
      if (!li) return;
      if (li.dataset.decision) select(Number(li.dataset.decision), false);
      else { clearSelection(); li.classList.add("selected"); reveal(D.sentences[Number(li.dataset.s)][0]); }
    });
  }
  function clearSelection() {
    for (const e of document.querySelectorAll(".selected")) e.classList.remove("selected");
    selected = 0; selectedT = null;
  }
  function select(n, fromMark) {
    clearSelection();
    selected = n;
    markEls[n - 1].classList.add("selected");
    const li = byDecision[n];
    if (li) { li.classList.add("selected"); if (fromMark) li.scrollIntoView({ block: "nearest" }); }
    reveal(decisions[n - 1][0]);
  }
  // Shows time t: the view moves to it if it is outside.
  function reveal(t) {
    selectedT = t;
    if (t < view[0] || t > view[1]) {
      const w = view[1] - view[0];
      setView(t - w / 2, t + w / 2);
    } else draw();
  }

  // ---- read-out, zoom and pan ----
  function valueAt(s, t, step) {
    if (!s) return null;
    if (s.w) {
      const j = Math.min(s.lo.length - 1, Math.max(0, Math.floor(t / s.w)));
      const lo = s.lo[j], hi = s.hi[j];
      if (lo === null) return null;
      return lo === hi ? fmt(lo) : fmt(lo) + "–" + fmt(hi);
    }
    const i = step ? lastAtOrBefore(s.t, t) : Math.min(s.t.length - 1, firstAtOrAfter(s.t, t));
    return i < 0 ? null : fmt(s.v[i], 2);
  }
  function readout(t, x) {
    const box = $("readout");
    if (t === null) { box.hidden = true; return; }
    const c = (name) => valueAt(counts[name], t, true), r = (name) => valueAt(rates[name], t, false);
    const rows = [`<b>${clock(t)}</b>` + (START !== null ? `<br>${wallClock(t)}` : ""),
      `desired <b>${c("desired")}</b> (min ${c("min")}, max ${c("max")})`,
      `in service <b>${c("in_service")}</b>, pending ${c("pending")}, terminating ${c("terminating")}, unhealthy ${c("unhealthy")}`];
    if (counts.warm_pool) rows.push(`warm pool ${c("warm_pool")}`);
    if (counts.forecast) rows.push(`forecast ${c("forecast")}`);
    rows.push(`load <b>${r("load")}</b> req/s, served ${r("served")}, dropped ${r("dropped")}`);
    rows.push(`CPU <b>${r("cpu") ?? "–"}</b> % (max ${r("cpu_max") ?? "–"}), latency ${r("latency") ?? "–"} ms`);
    D.alarms.forEach((name, i) => {
      const inSpan = (k) => { const s = D.alarm_spans[i][k]; for (let j = 0; j < s.length; j += 2) if (t >= s[j] && t < s[j + 1]) return true; return false; };
      rows.push(`${esc(name)}: ${inSpan(0) ? "<b>ALARM</b>" : inSpan(1) ? "INSUFFICIENT_DATA" : "OK"}`);
    });
    box.innerHTML = rows.join("<br>");
    box.hidden = false;
    const w = $("chart").clientWidth;
    box.style.left = (x > w / 2 ? Math.max(0, x - box.offsetWidth - 14) : x + 14) + "px";
  }
  function setView(a, b) {
    const minWidth = Math.min(SPAN, 60);
    let w = Math.max(minWidth, Math.min(SPAN, b - a));
    a = Math.max(0, Math.min(SPAN - w, a));
    view = [a, a + w];
    draw();
  }
  function zoom(factor, around) {
    const t = around === undefined ? (view[0] + view[1]) / 2 : around;
    setView(t - (t - view[0]) * factor, t + (view[1] - t) * factor);
  }
  function draw() {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      measure();
      drawCapacity(); drawStrips(); drawLoad(); drawLanes(); moveCursor();
      $("range").textContent = `${clock(view[0])} – ${clock(view[1])}`;
    });
  }
  function wire() {
    const chart = $("chart");
    const xIn = (e) => e.clientX - chart.getBoundingClientRect().left;
    chart.addEventListener("wheel", (e) => {
      e.preventDefault();
      zoom(Math.exp(Math.sign(e.deltaY) * 0.25), tOf(xIn(e)));
    }, { passive: false });
    let drag = null;
    chart.addEventListener("pointerdown", (e) => {
      if (e.target.closest(".mark")) return;
      drag = { x: xIn(e), view: view.slice() };
    });
    addEventListener("pointerup", () => { drag = null; });
    chart.addEventListener("pointermove", (e) => {
      const x = xIn(e);
      if (drag && Math.abs(x - drag.x) > 2) {
        const dt = (x - drag.x) / plotWidth() * (drag.view[1] - drag.view[0]);
        setView(drag.view[0] - dt, drag.view[1] - dt);
      }
      hoverT = x >= ML && x <= ML + plotWidth() ? tOf(x) : null;
      readout(hoverT, x);
      moveCursor();
    });
    chart.addEventListener("pointerleave", () => { hoverT = null; readout(null, 0); moveCursor(); });
    chart.addEventListener("dblclick", () => setView(0, SPAN));
    chart.addEventListener("click", (e) => {
      const mark = e.target.closest(".mark");
      if (mark) select(Number(mark.dataset.decision), true);
    });
    $("zoom-in").onclick = () => zoom(0.5);
    $("zoom-out").onclick = () => zoom(2);
    $("zoom-reset").onclick = () => setView(0, SPAN);
    addEventListener("resize", draw);
    wireSentences();
  }

  // ---- the header, figures, legend and scenario ----
  function buildText() {
    const s = D.summary;
    document.title = D.name + ": asgsim report";
    $("head").querySelector("h1").textContent = document.title;
    const days = SPAN / DAY;
    $("subtitle").textContent = `seed ${s.seed} · ${days >= 2 ? fmt(days, 1) + " days" : fmt(SPAN / HOUR, 1) + " hours"} simulated` +
      (START !== null ? ` from ${wallClock(0)}` : "") + (D.file ? ` · ${D.file}` : "");
    const pct = s.requests_total > 0 ? 100 * s.requests_dropped / s.requests_total : 0;
    const figures = [["cost", "$" + fmt(s.cost_usd, 2)], ["instance-hours", fmt(s.instance_hours, 1)],
      ["mean / max in service", fmt(s.mean_in_service, 2) + " / " + s.max_in_service],
      ["scale-outs / scale-ins", s.scale_out_activities + " / " + s.scale_in_activities],
      ["replaced unhealthy", s.replaced_unhealthy], ["instances launched", s.instances_launched],
      ["requests dropped", fmt(pct, 3) + " %"], ["SLO violated", fmt(s.slo_violation_s / 60, 1) + " min"]];
    if (s.elasticity) figures.push(["under / over-provisioned time", fmt(s.elasticity.timeshare_under, 1) + " / " + fmt(s.elasticity.timeshare_over, 1) + " %"]);
    $("figures").innerHTML = figures.map(([k, v]) => `<div><b>${esc(v)}</b><span>${esc(k)}</span></div>`).join("");
    const swatch = (style) => `<svg viewBox="0 0 16 12">${style}</svg>`;
    const items = [[swatch('<path d="M0,6H16" stroke="#212529" stroke-width="3"/>'), "desired capacity"],
      [swatch('<rect width="16" height="12" fill="rgba(31,119,180,0.28)" stroke="#1f77b4"/>'), "in service"],
      [swatch('<rect width="16" height="12" fill="rgba(255,170,60,0.6)"/>'), "pending"],
      [swatch('<rect width="16" height="12" fill="rgba(214,39,40,0.6)"/>'), "unhealthy"],
      [swatch('<path d="M0,6H16" stroke="#6e6e6e" stroke-width="1.5" stroke-dasharray="4 3"/>'), "min / max"]];
    if (counts.warm_pool) items.push([swatch('<path d="M0,6H16" stroke="#17becf" stroke-width="2"/>'), "warm pool"]);
    if (counts.forecast) items.push([swatch('<path d="M0,6H16" stroke="#9467bd" stroke-width="2" stroke-dasharray="2 3"/>'), "forecast"]);
    const sources = [...new Set(decisions.map((d) => d[3]))];
    for (const src of sources) items.push([`<svg viewBox="-9 -9 18 18" style="width:14px;height:14px"><path d="${SHAPES[src] || SHAPES.other}" fill="#2ca02c"/></svg>`, SOURCE_NAMES[src] + " (green up, red down)"]);
    items.push([swatch('<path d="M0,6H16" stroke="#1f77b4" stroke-width="2"/>'), "load"], [swatch('<path d="M0,6H16" stroke="#ff7f0e" stroke-width="2"/>'), "CPU"]);
    if (D.episodes.some((e) => e[0] === "cooldown")) items.push([swatch('<rect width="16" height="12" fill="rgba(31,119,180,0.25)"/>'), "cooldown (while its alarm is in ALARM)"]);
    if (D.alarms.length) items.push([swatch('<rect width="16" height="12" fill="rgba(214,39,40,0.75)"/>'), "alarm in ALARM"]);
    $("legend").innerHTML = items.map(([s, t]) => `<span>${s}${esc(t)}</span>`).join("");
    $("toml").textContent = D.toml || "(the scenario's text was not at hand when this report was written)";
    $("scenario-note").textContent = (D.file ? D.file : "") + (D.overrides.length ? " with " + D.overrides.map((o) => "--set " + o).join(" ") : "");
  }

  // Takes a run's data: the derived series and scales, the view (kept, when asked and it fits
  // the new run, so that a live page does not jump).
  function load(data, keepView) {
    D = data;
    const oldView = view;
    SPAN = Math.max(D.duration_s, 1);
    START = D.start ? Date.parse(D.start) : null;
    counts = {};
    for (const name of Object.keys(D.counts)) counts[name] = series(D.counts[name], "v");
    rates = {};
    for (const name of ["load", "served", "dropped", "cpu", "cpu_max", "latency"]) rates[name] = series(D.rates, name);
    capTop = Math.max(1, Math.ceil(1.12 * Math.max(maxOf(counts.max), maxOf(counts.desired),
      maxOf(counts.in_service) + maxOf(counts.pending), maxOf(counts.forecast), maxOf(counts.warm_pool))));
    loadTop = Math.max(1e-9, 1.1 * Math.max(maxOf(rates.load), maxOf(rates.served)));
    anyDrops = maxOf(rates.dropped) > 0;
    decisions = D.decisions;
    view = keepView && oldView[1] <= SPAN ? oldView : [0, SPAN];
    selected = 0; selectedT = null; hoverT = null;
  }
  let wired = false;
  // Draws the whole page from `data` (the shape report_data_json writes); `options.keepView`
  // keeps the zoom of the run drawn before.
  function render(data, options) {
    // How long each step took [ms], for whoever measures the page (the browser test).
    const timings = { script_start: Math.round(performance.now()) };
    const timed = (name, f) => { const t = performance.now(); f(); timings[name] = Math.round(performance.now() - t); };
    timed("load", () => load(data, Boolean(options && options.keepView)));
    measure();
    timed("marks", buildMarks);
    timed("text", buildText);
    timed("sentences", buildSentences);
    timed("lanes", buildLanes);
    if (!wired) { wire(); wired = true; }
    timed("capacity", drawCapacity); timed("strips", drawStrips); timed("load_chart", drawLoad); timed("draw_lanes", drawLanes);
    timings.script_end = Math.round(performance.now());
    if (window.__asgsim) window.__asgsim.timings = timings;
    $("range").textContent = `${clock(view[0])} – ${clock(view[1])}`;
    document.body.setAttribute("data-ready", "1");
  }
  window.asgsimReport = { render };
  const embedded = document.getElementById("data");
  if (embedded && embedded.textContent.trim()) render(JSON.parse(embedded.textContent));
})();
