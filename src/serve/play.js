// The playground's panel: a control per knob (each with data-key = its --set key), the
// overrides as removable chips and a free KEY=VALUE field, a "compare with the original"
// toggle, the TOML with the overrides written in. Each change asks the server for the run
// (/api/run), redraws the report view with window.asgsimReport.render(data), and keeps the
// overrides in the address (?set=KEY=VALUE&...) so that a reload or a shared link shows the
// same view. window.__asgsimPlay tells tests and measurements what happened.
(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("playground-boot").textContent);
  var panel = document.getElementById("playground");
  var knobs = boot.knobs, byKey = {};
  knobs.forEach(function (k) { byKey[k.key] = k; });
  var overrides = (boot.run.overrides || []).slice();
  var compare = !!boot.compare;
  var busy = false, queued = false, changedAt = 0;
  var state = window.__asgsimPlay = { renders: 0, lastMs: null, pending: false, problems: [] };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function keyOf(o) { var i = o.indexOf("="); return (i < 0 ? o : o.slice(0, i)).trim(); }
  function valueOf(o) { var i = o.indexOf("="); return i < 0 ? "" : o.slice(i + 1).trim(); }
  function find(key) { for (var i = 0; i < overrides.length; i++) if (keyOf(overrides[i]) === key) return i; return -1; }
  function setOverride(key, text) {
    var i = find(key), o = key + "=" + text;
    if (i < 0) overrides.push(o); else overrides[i] = o;
  }
  function removeOverride(key) { var i = find(key); if (i >= 0) overrides.splice(i, 1); }
  // Seconds from a duration as --set writes it: 90, "90s", "5m", "2h", "1d", "250ms".
  function seconds(text) {
    var m = /^"?\s*([0-9.]+)\s*(ms|s|m|min|h|d)?\s*"?$/.exec(text);
    if (!m) return NaN;
    var unit = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600, d: 86400 }[m[2] || "s"];
    return parseFloat(m[1]) * unit;
  }
  function current(k) {
    var i = find(k.key);
    if (i < 0) return k.value;
    var v = k.kind === "duration" ? seconds(valueOf(overrides[i])) : parseFloat(valueOf(overrides[i]));
    return isNaN(v) ? k.value : v;
  }

  function query() {
    var q = new URLSearchParams();
    q.append("scenario", boot.scenario);
    overrides.forEach(function (o) { q.append("set", o); });
    if (compare) q.append("compare", "1");
    return q.toString();
  }

  // --- the panel ---------------------------------------------------------------------------
  var bar = el("div", { "class": "bar" });
  bar.appendChild(el("h2", {}, "Playground"));
  var choose = el("select", { id: "play-scenario", "aria-label": "scenario" });
  boot.scenarios.forEach(function (name) {
    var opt = el("option", { value: name }, name);
    if (name === boot.scenario) opt.selected = true;
    choose.appendChild(opt);
  });
  choose.addEventListener("change", function () {
    location.href = "/play?scenario=" + encodeURIComponent(choose.value);
  });
  bar.appendChild(choose);
  var toggle = el("label", {});
  var box = el("input", { type: "checkbox", id: "play-compare" });
  box.checked = compare;
  toggle.appendChild(box);
  toggle.appendChild(document.createTextNode(" compare with the original"));
  box.addEventListener("change", function () { compare = box.checked; changed(); });
  bar.appendChild(toggle);
  var reset = el("button", { type: "button", id: "play-reset" }, "back to the file");
  reset.addEventListener("click", function () { overrides = []; syncControls(); changed(); });
  bar.appendChild(reset);
  var status = el("span", { "class": "status", id: "play-status", "aria-live": "polite" });
  bar.appendChild(status);
  panel.appendChild(bar);

  var problems = el("div", { "class": "problems", id: "play-problems", role: "alert" });
  problems.hidden = true;
  panel.appendChild(problems);

  var grid = el("div", { "class": "knobs" });
  var sections = {}, rows = {};
  knobs.forEach(function (k) {
    if (!sections[k.section]) {
      sections[k.section] = el("fieldset", {});
      sections[k.section].appendChild(el("legend", {}, k.section));
      grid.appendChild(sections[k.section]);
    }
    var row = el("div", { "class": "knob" });
    var id = "knob-" + k.key.replace(/[^A-Za-z0-9_-]/g, "_");
    row.appendChild(el("label", { "for": id, title: k.key }, k.label));
    var range = el("input", { type: "range", id: id, "data-key": k.key, min: k.min, max: k.max, step: k.step });
    var number = el("input", { type: "number", "data-box": k.key, step: k.step, "aria-label": k.key });
    row.appendChild(range);
    row.appendChild(number);
    row.appendChild(el("span", { "class": "unit" }, k.kind === "duration" ? "s" : ""));
    function take(v) {
      if (v === k.value) removeOverride(k.key);
      else setOverride(k.key, k.kind === "duration" ? v + "s" : String(v));
      syncControls();
      changed();
    }
    range.addEventListener("input", function () { take(parseFloat(range.value)); });
    number.addEventListener("change", function () {
      var v = parseFloat(number.value);
      if (!isNaN(v)) take(v);
    });
    rows[k.key] = { row: row, range: range, number: number };
    sections[k.section].appendChild(row);
  });
  panel.appendChild(grid);

  var chips = el("div", { "class": "chips", id: "play-overrides" });
  panel.appendChild(chips);
  var compareBox = el("div", { "class": "compare", id: "play-compare-view" });
  panel.appendChild(compareBox);
  var tomlBox = el("details", { id: "play-toml" });
  var summary = el("summary", {}, "The scenario with these settings (TOML) ");
  var download = el("a", { id: "play-download", href: "#" }, "download");
  summary.appendChild(download);
  tomlBox.appendChild(summary);
  var pre = el("pre", {});
  tomlBox.appendChild(pre);
  panel.appendChild(tomlBox);

  function syncControls() {
    knobs.forEach(function (k) {
      var r = rows[k.key], v = current(k);
      r.range.value = v;
      if (document.activeElement !== r.number) r.number.value = v;
      r.row.classList.toggle("changed", find(k.key) >= 0);
    });
    chips.innerHTML = "";
    chips.appendChild(el("span", {}, overrides.length ? "--set" : "No override: the file as it is."));
    overrides.forEach(function (o) {
      var chip = el("span", { "class": "chip", "data-override": o }, o);
      var x = el("button", { type: "button", title: "remove" }, "×");
      x.addEventListener("click", function () { removeOverride(keyOf(o)); syncControls(); changed(); });
      chip.appendChild(x);
      chips.appendChild(chip);
    });
    var free = el("input", { type: "text", id: "play-set", placeholder: "any key: KEY=VALUE", size: 28 });
    free.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || free.value.indexOf("=") < 1) return;
      setOverride(keyOf(free.value), valueOf(free.value));
      syncControls();
      changed();
    });
    chips.appendChild(free);
  }

  // --- runs --------------------------------------------------------------------------------
  function changed() {
    changedAt = performance.now();
    history.replaceState(null, "", "/play?" + query());
    state.pending = true;
    if (busy) { queued = true; return; }
    fetchRun();
  }

  function fetchRun() {
    busy = true;
    status.textContent = "running…";
    var asked = performance.now();
    fetch("/api/run?" + query())
      .then(function (r) { return r.json(); })
      .then(function (run) { state.fetchMs = Math.round(performance.now() - asked); return run; })
      .then(show, function (e) { showProblems(["the playground did not answer: " + e]); })
      .then(function () {
        busy = false;
        if (queued) { queued = false; fetchRun(); return; }
        requestAnimationFrame(function () {
          state.lastMs = Math.round(performance.now() - changedAt);
          state.pending = false;
          if (!state.problems.length) status.textContent = "redrawn " + state.lastMs + " ms after the change";
        });
      });
  }

  function show(run) {
    if (!run.ok) { showProblems(run.problems || ["no answer"]); return; }
    showProblems([]);
    var drawn = performance.now();
    window.asgsimReport.render(run.data, { keepView: true });
    state.renderMs = Math.round(performance.now() - drawn);
    state.renders += 1;
    showRun(run);
  }

  function showProblems(list) {
    state.problems = list;
    problems.hidden = !list.length;
    problems.textContent = list.join("\n");
    if (list.length) status.textContent = "not run: see the problem below";
  }

  function showRun(run) {
    pre.textContent = run.toml;
    download.href = "/api/toml?" + query();
    download.setAttribute("download", boot.scenario.split("/").pop());
    compareBox.innerHTML = "";
    if (compare && run.original) drawCompare(run, run.original);
  }

  // --- the comparison ------------------------------------------------------------------------
  var FIGURES = [["cost_usd", "cost (USD)", 2], ["requests_dropped", "requests dropped", 0],
    ["slo_violation_s", "SLO violated (s)", 0], ["mean_in_service", "mean in service", 2],
    ["scale_out_activities", "scale-outs", 0], ["scale_in_activities", "scale-ins", 0]];

  function steps(points, duration, x, y) {
    var d = "";
    points.forEach(function (p, i) {
      d += (i ? "H" + x(p[0]).toFixed(1) + "V" : "M" + x(p[0]).toFixed(1) + " ") + y(p[1]).toFixed(1);
    });
    return d + "H" + x(duration).toFixed(1);
  }

  function drawCompare(run, original) {
    var now = run.capacity, was = original.capacity, W = 1000, H = 120;
    var top = 1;
    [now.desired, was.desired, now.in_service, was.in_service].forEach(function (s) {
      s.forEach(function (p) { top = Math.max(top, p[1]); });
    });
    var x = function (t) { return t / Math.max(1, now.duration_s) * W; };
    var y = function (v) { return H - 6 - v / top * (H - 12); };
    var svg = '<svg viewBox="0 0 ' + W + ' ' + H + '" preserveAspectRatio="none" data-compare="capacity" role="img" aria-label="desired capacity, original dashed">' +
      '<path data-run="original" d="' + steps(was.desired, was.duration_s, x, y) + '" fill="none" stroke="#8c959f" stroke-width="2" stroke-dasharray="6 4"/>' +
      '<path data-run="now" d="' + steps(now.desired, now.duration_s, x, y) + '" fill="none" stroke="#0969da" stroke-width="2"/></svg>';
    var rowsHtml = FIGURES.map(function (f) {
      var a = original.summary[f[0]], b = run.summary[f[0]];
      if (typeof a !== "number" || typeof b !== "number") return "";
      // Less is better for cost, drops and violations; the others are neither.
      var diff = b - a, judged = f[0] === "cost_usd" || f[0] === "requests_dropped" || f[0] === "slo_violation_s";
      var cls = diff === 0 || !judged ? "" : (diff < 0 ? "better" : "worse");
      return "<tr><td>" + f[1] + "</td><td>" + a.toFixed(f[2]) + "</td><td>" + b.toFixed(f[2]) +
        '</td><td class="' + cls + '">' + (diff > 0 ? "+" : "") + diff.toFixed(f[2]) + "</td></tr>";
    }).join("");
    compareBox.innerHTML = "<div>Desired capacity: the original run dashed, this one solid.</div>" + svg +
      "<table><tr><th></th><th>original</th><th>now</th><th>change</th></tr>" + rowsHtml + "</table>";
  }

  syncControls();
  if (boot.run.problems) showProblems(boot.run.problems);
  if (boot.run.ok) { showRun(boot.run); }
  // The report was drawn before the panel took its room (and a scroll bar appeared): it
  // draws again at its new width, as on any resize; ready once that frame is drawn.
  window.dispatchEvent(new Event("resize"));
  requestAnimationFrame(function () { state.ready = true; });
})();
