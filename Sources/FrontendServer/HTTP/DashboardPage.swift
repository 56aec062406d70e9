/// The dashboard, served from the FE's http_port with no build toolchain: one HTML page, one script, one style sheet.
/// The script polls `/api/dashboard` every two seconds, keeps the last ten minutes of samples in the page, and draws
/// rows/s and lag per job as SVG lines. Data only ever reaches the page through `textContent` and attributes, never
/// as markup, and the Content-Security-Policy allows nothing but this origin's own files.
enum DashboardPage {
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'"

    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tributary</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header><h1>Tributary</h1><span id="status">connecting…</span><span id="user"></span></header>
<main>
<section><h2>Routine load jobs</h2>
<div class="charts">
<figure><figcaption>Rows/s per job</figcaption><svg id="chart-rows" viewBox="0 0 600 180" preserveAspectRatio="none"></svg></figure>
<figure><figcaption>Lag per job (messages)</figcaption><svg id="chart-lag" viewBox="0 0 600 180" preserveAspectRatio="none"></svg></figure>
</div>
<div id="legend"></div>
<table id="jobs"><thead><tr><th>Job</th><th>State</th><th>Table</th><th>Topic</th><th>Rows/s</th><th>Loaded rows</th><th>Error rows</th>
<th>Partitions (next offset · lag · lag s)</th><th></th></tr></thead><tbody></tbody></table>
<p id="no-jobs" hidden>No routine load jobs that your grants let you see.</p>
</section>
<section id="nodes-section" hidden><h2>Compute nodes</h2>
<table id="nodes"><thead><tr><th>Id</th><th>Host</th><th>Alive</th><th>Slots</th><th>Tasks</th><th>Last heartbeat</th><th>Error</th></tr></thead><tbody></tbody></table>
</section>
<section id="volumes-section" hidden><h2>Storage volumes</h2>
<table id="volumes"><thead><tr><th>Name</th><th>Type</th><th>Locations</th><th>Enabled</th><th>Default</th></tr></thead><tbody></tbody></table>
<p id="no-volumes" hidden>No storage volumes: tables are stored on the FE's local disk.</p>
</section>
</main>
</body>
</html>
"""#

    static let css = #"""
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { display: flex; gap: 1em; align-items: baseline; padding: .6em 1.2em; background: #14324a; color: #fff; }
header h1 { font-size: 1.2em; margin: 0; }
#status { opacity: .8; } #user { margin-left: auto; opacity: .8; }
main { padding: 0 1.2em 2em; }
h2 { font-size: 1.05em; margin: 1.4em 0 .5em; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.state-RUNNING { color: #11743b; } .state-PAUSED, .state-UNSTABLE { color: #a35200; } .state-CANCELLED { color: #b0182f; }
.reason { display: block; font-size: .85em; color: #6b7280; max-width: 32em; }
.charts { display: flex; gap: 1em; flex-wrap: wrap; }
figure { margin: 0; flex: 1 1 420px; background: #fff; border: 1px solid #e3e6eb; padding: .4em; }
figcaption { font-size: .85em; color: #6b7280; }
svg { width: 100%; height: 180px; }
#legend { display: flex; gap: 1em; flex-wrap: wrap; font-size: .85em; margin: .4em 0 .8em; }
#legend span::before { content: ""; display: inline-block; width: .8em; height: .8em; margin-right: .3em; background: var(--c); }
#legend span { color: inherit !important; }
button { font: inherit; padding: .15em .7em; cursor: pointer; }
.partition { display: block; white-space: nowrap; font-variant-numeric: tabular-nums; }
"""#

    static let script = #"""
"use strict";
const WINDOW_MS = 10 * 60 * 1000, POLL_MS = 2000;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];
const history = new Map();   // job key -> [{t, rows, lag, rate}]
let last = null;

// Colours go through the CSSOM (element.style), which the page's Content-Security-Policy allows; style attributes it
// does not.
function el(tag, text, attrs, color) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (color) e.style.setProperty("--c", color), e.style.color = color;
  return e;
}
function colorOf(i) { return COLORS[i % COLORS.length]; }
function jobKey(j) { return j.database + "." + j.name; }

async function poll() {
  try {
    const response = await fetch("/api/dashboard", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const snapshot = await response.json();
    record(snapshot);
    render(snapshot);
    document.getElementById("status").textContent = "updated " + new Date(snapshot.now * 1000).toLocaleTimeString();
  } catch (error) {
    document.getElementById("status").textContent = "not reachable: " + error.message;
  }
}

function record(snapshot) {
  const t = snapshot.now * 1000;
  for (const j of snapshot.jobs) {
    const key = jobKey(j), samples = history.get(key) || [];
    const prev = samples[samples.length - 1];
    const rate = prev && t > prev.t ? Math.max(0, (j.loadedRows - prev.rows) * 1000 / (t - prev.t)) : 0;
    const lag = j.partitions.reduce((sum, p) => sum + p.lag, 0);
    samples.push({ t, rows: j.loadedRows, lag, rate });
    while (samples.length && samples[0].t < t - WINDOW_MS) samples.shift();
    history.set(key, samples);
  }
  for (const key of [...history.keys()]) if (!snapshot.jobs.some(j => jobKey(j) === key)) history.delete(key);
}

// With many jobs the charts draw the ten with the most lag, then the busiest: a thousand lines say nothing.
function charted(jobs) {
  const latest = j => (history.get(jobKey(j)) || []).slice(-1)[0] || { lag: 0, rate: 0 };
  return [...jobs].sort((a, b) => latest(b).lag - latest(a).lag || latest(b).rate - latest(a).rate).slice(0, COLORS.length);
}

function render(snapshot) {
  document.getElementById("user").textContent = "signed in as " + snapshot.user;
  const shown = charted(snapshot.jobs), color = new Map(shown.map((j, i) => [jobKey(j), colorOf(i)]));
  const body = document.querySelector("#jobs tbody");
  body.replaceChildren();
  snapshot.jobs.forEach(j => {
    const samples = history.get(jobKey(j)) || [];
    const rate = samples.length ? samples[samples.length - 1].rate : 0;
    const row = el("tr", null, { "data-job": jobKey(j), "data-state": j.state });
    const name = el("td"); name.append(el("span", color.has(jobKey(j)) ? "■ " : "□ ", {}, color.get(jobKey(j))), el("span", jobKey(j)));
    const state = el("td", null, { class: "state-" + j.state });
    state.append(el("span", j.state, { class: "state" }));
    if (j.reason) state.append(el("span", j.reason, { class: "reason" }));
    const errors = el("td", null, { class: "num" });
    if (j.errorRows > 0 && j.errorLogURL && /^https?:\/\//.test(j.errorLogURL)) {
      errors.append(el("a", j.errorRows, { href: j.errorLogURL, target: "_blank", rel: "noopener noreferrer" }));
    } else errors.textContent = j.errorRows;
    const partitions = el("td");
    for (const p of j.partitions) {
      partitions.append(el("span", p.partition + ": " + p.nextOffset + " · " + p.lag + " · " + p.lagSeconds + " s",
                           { class: "partition", "data-partition": p.partition, "data-lag": p.lag, "data-lag-seconds": p.lagSeconds }));
    }
    const actions = el("td");
    if (snapshot.operationsEnabled && j.canOperate) {
      const action = j.state === "PAUSED" ? "resume" : "pause";
      const button = el("button", action === "pause" ? "Pause" : "Resume", { "data-action": action });
      button.addEventListener("click", () => operate(action, j, button));
      actions.append(button);
    }
    row.append(name, state, el("td", j.database + "." + j.table), el("td", j.topic), el("td", rate.toFixed(1), { class: "num rate" }),
               el("td", j.loadedRows, { class: "num" }), errors, partitions, actions);
    body.append(row);
  });
  document.getElementById("no-jobs").hidden = snapshot.jobs.length > 0;
  chart("chart-rows", shown, s => s.rate);
  chart("chart-lag", shown, s => s.lag);
  const legend = document.getElementById("legend");
  legend.replaceChildren(...shown.map((j, i) => el("span", jobKey(j), {}, colorOf(i))));
  renderNodes(snapshot.nodes);
  renderVolumes(snapshot.volumes);
}

// The x axis spans the samples the page has, from one minute up to WINDOW_MS, ending now.
function chart(id, jobs, value) {
  const svg = document.getElementById(id), W = 600, H = 180, now = Date.now();
  svg.replaceChildren();
  let max = 1, first = now;
  for (const j of jobs) for (const s of history.get(jobKey(j)) || []) max = Math.max(max, value(s)), first = Math.min(first, s.t);
  const span = Math.min(WINDOW_MS, Math.max(60 * 1000, now - first));
  const ns = "http://www.w3.org/2000/svg";
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", "4"); label.setAttribute("y", "12"); label.setAttribute("font-size", "11"); label.setAttribute("fill", "#6b7280");
  label.textContent = "max " + Math.round(max).toLocaleString() + " · last " + Math.round(span / 60000) + " min";
  svg.append(label);
  jobs.forEach((j, i) => {
    const samples = history.get(jobKey(j)) || [];
    if (!samples.length) return;
    const points = samples.map(s => [W - (now - s.t) * W / span, H - 4 - value(s) * (H - 20) / max]);
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.map(p => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" "));
    line.setAttribute("fill", "none"); line.setAttribute("stroke", colorOf(i)); line.setAttribute("stroke-width", "2");
    line.setAttribute("data-job", jobKey(j));
    svg.append(line);
  });
}

function renderNodes(nodes) {
  document.getElementById("nodes-section").hidden = !nodes;
  if (!nodes) return;
  document.querySelector("#nodes tbody").replaceChildren(...nodes.map(n => {
    const row = el("tr");
    row.append(el("td", n.id), el("td", n.embedded ? n.host + " (embedded)" : n.host), el("td", n.alive ? "yes" : "no"),
               el("td", n.slots, { class: "num" }), el("td", n.tasks, { class: "num" }),
               el("td", n.lastHeartbeat ? new Date(n.lastHeartbeat * 1000).toLocaleTimeString() : "—"), el("td", n.error));
    return row;
  }));
}

function renderVolumes(volumes) {
  document.getElementById("volumes-section").hidden = !volumes;
  if (!volumes) return;
  document.getElementById("no-volumes").hidden = volumes.length > 0;
  document.querySelector("#volumes tbody").replaceChildren(...volumes.map(v => {
    const row = el("tr");
    row.append(el("td", v.name), el("td", v.type), el("td", v.locations.join(", ")), el("td", v.enabled ? "yes" : "no"),
               el("td", v.isDefault ? "yes" : ""));
    return row;
  }));
}

async function operate(action, job, button) {
  button.disabled = true;
  try {
    const response = await fetch("/api/jobs/" + action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Tributary-Request": "1" },
      body: JSON.stringify({ database: job.database, name: job.name }),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({ message: "HTTP " + response.status }));
      alert(action + " failed: " + answer.message);
    }
  } finally {
    await poll();
  }
}

poll();
setInterval(poll, POLL_MS);
"""#
}
