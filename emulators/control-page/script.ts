// The control page's browser script (plain ES2020, inlined into the page and pinned by hash in its CSP).
// It only calls the control API on the page's own origin; values are written with textContent, never HTML.
export const CONTROL_PAGE_SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const out = $("output");
async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) { init.headers["content-type"] = "application/json"; init.body = JSON.stringify(body); }
  const r = await fetch(path, init);
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  out.textContent = method + " " + path + " → " + r.status + "\\n" + (json === null ? "" : JSON.stringify(json, null, 2));
  if (!r.ok) throw new Error(method + " " + path + " → " + r.status);
  return json;
}
function cell(row, text) { const td = document.createElement("td"); td.textContent = String(text); row.appendChild(td); return td; }
function table(headers, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  headers.forEach((h) => { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
  const body = t.createTBody();
  rows.forEach((r) => { const tr = body.insertRow(); r.forEach((v) => cell(tr, v)); });
  return t;
}
function replace(id, node) { const el = $(id); el.textContent = ""; el.appendChild(node); }
const quiet = (p) => p.catch((e) => console.error(e));

async function refresh() {
  const info = await api("GET", "/_emulator");
  $("summary").textContent = "seed " + info.seed + ", size " + info.size + " — " + info.counts.assessments + " assessments in " +
    info.counts.subscriptions + " subscriptions — emulated time " + info.now + " — RSS " + info.process.rssMiB + " MiB";
  if (!$("seed").value) $("seed").value = info.seed;
  $("size").value = info.size;

  const total = (await api("GET", "/_emulator/to/arm/assessments?limit=0")).total;
  const counts = [];
  for (const status of ["Unhealthy", "Healthy", "NotApplicable"]) {
    counts.push([status, (await api("GET", "/_emulator/to/arm/assessments?limit=0&status=" + status)).total]);
  }
  counts.push(["Total", total]);
  replace("assess-counts", table(["Status", "Assessments"], counts));

  const select = $("flip-sub");
  if (select.options.length !== info.subscriptions.length + 1) {
    select.textContent = "";
    const any = document.createElement("option"); any.value = ""; any.textContent = "All subscriptions"; select.appendChild(any);
    info.subscriptions.forEach((s) => { const o = document.createElement("option"); o.value = s.subscriptionId; o.textContent = s.displayName; select.appendChild(o); });
  }

  const users = (await api("GET", "/_emulator/to/entra/entra/users")).value.filter((u) => u.role || u.email.startsWith("nora."));
  const tbody = $("users"); tbody.textContent = "";
  users.forEach((u) => {
    const tr = tbody.insertRow(); cell(tr, u.displayName + " <" + u.email + ">");
    const sel = document.createElement("select"); sel.setAttribute("aria-label", "Role of " + u.displayName);
    ["", "Admin", "Analyst", "Manager"].forEach((r) => { const o = document.createElement("option"); o.value = r; o.textContent = r || "No role"; sel.appendChild(o); });
    sel.value = u.role || "";
    sel.addEventListener("change", () => quiet(api("PATCH", "/_emulator/to/entra/entra/users/" + u.oid, { role: sel.value || null })));
    cell(tr, "").appendChild(sel);
  });

  const faults = (await api("GET", "/_emulator/faults")).value;
  replace("faults", faults.length ? table(["id", "emulator", "rule", "hits"], faults.map((f) => [f.id, f.emulator, f.kind + " " + (f.method || "*") + " " + f.path + (f.status ? " → " + f.status : ""), f.hits])) : document.createTextNode("No fault rules."));
  const counters = (await api("GET", "/_emulator/counters")).value;
  replace("counters", counters.length ? table(["emulator", "method", "route", "status", "count"], counters.map((c) => [c.emulator, c.method, c.route, c.status, c.count])) : document.createTextNode("No requests yet."));
  out.textContent = "";
}

$("flip").addEventListener("submit", (e) => { e.preventDefault();
  const body = { status: $("flip-status").value, count: Number($("flip-count").value) };
  if ($("flip-sub").value) body.subscriptionId = $("flip-sub").value;
  if ($("flip-key").value.trim()) body.recommendationKey = $("flip-key").value.trim();
  quiet(api("POST", "/_emulator/to/arm/assessments/status", body).then(refresh)); });
$("fault").addEventListener("submit", (e) => { e.preventDefault();
  let rule; try { rule = JSON.parse($("fault-json").value); } catch { out.textContent = "The rule is not valid JSON."; return; }
  quiet(api("POST", "/_emulator/faults", rule).then(refresh)); });
$("faults-clear").addEventListener("click", () => quiet(api("DELETE", "/_emulator/faults").then(refresh)));
$("counters-reset").addEventListener("click", () => quiet(api("POST", "/_emulator/counters/reset").then(refresh)));
$("refresh").addEventListener("click", () => quiet(refresh()));
$("clock").addEventListener("submit", (e) => { e.preventDefault(); quiet(api("POST", "/_emulator/clock", { advanceSeconds: Number($("clock-hours").value) * 3600 }).then(refresh)); });
$("reseed").addEventListener("submit", (e) => { e.preventDefault(); quiet(api("POST", "/_emulator/reseed", { seed: Number($("seed").value), size: $("size").value }).then(refresh)); });
$("reset").addEventListener("click", () => quiet(api("POST", "/_emulator/reset", {}).then(refresh)));
$("raw").addEventListener("submit", (e) => { e.preventDefault();
  const text = $("raw-body").value.trim(); let body;
  if (text) { try { body = JSON.parse(text); } catch { out.textContent = "The body is not valid JSON."; return; } }
  quiet(api($("raw-method").value, $("raw-path").value, body)); });
quiet(refresh());
`;
