// GET /_emulator/ui on any emulator port: a small page over the control API for people (tests call the
// API directly). Open the plain-HTTP sign-in port's page (manifest entra.browserUrl + /_emulator/ui) to
// avoid a certificate warning; it reaches every emulator through /_emulator/to/{name}/… on its own origin.
// One static document, one inline script pinned by its hash in the CSP, no third-party content.
import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendHtml } from "../common/http";
import { CONTROL_PAGE_SCRIPT } from "./script";

const SCRIPT_HASH = createHash("sha256").update(CONTROL_PAGE_SCRIPT).digest("base64");

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>PostureDesk emulators – control</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f3f4f6;color:#111827}
header{background:#1e3a8a;color:#fff;padding:1rem 1.5rem}h1{margin:0;font-size:1.3rem}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(24rem,1fr));gap:1rem;padding:1rem}
section{background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002;padding:1rem}h2{font-size:1.05rem;margin:0 0 .75rem}
label{display:block;font-size:.85rem;margin:.4rem 0 .15rem}input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.35rem;border:1px solid #9ca3af;border-radius:.3rem}
textarea{min-height:6rem;font-family:ui-monospace,monospace;font-size:.8rem}
button{font:inherit;margin:.5rem .4rem 0 0;padding:.4rem .8rem;border-radius:.3rem;border:1px solid #1d4ed8;background:#2563eb;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8}button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:1px}
table{border-collapse:collapse;width:100%;font-size:.85rem}td select{min-width:8rem}td,th{border-bottom:1px solid #e5e7eb;padding:.25rem;text-align:left}
pre{background:#111827;color:#e5e7eb;padding:.5rem;border-radius:.3rem;overflow:auto;font-size:.75rem;max-height:16rem}
.row{display:flex;gap:.5rem}.row>*{flex:1}
</style></head>
<body><header><h1>PostureDesk emulators – control</h1><div id="summary" aria-live="polite">Loading…</div></header>
<main>
<section aria-labelledby="h-assess"><h2 id="h-assess">Assessments (ARM)</h2>
<div id="assess-counts">…</div>
<form id="flip"><div class="row"><div><label for="flip-sub">Subscription</label><select id="flip-sub"></select></div>
<div><label for="flip-status">New status</label><select id="flip-status"><option>Healthy</option><option>Unhealthy</option><option>NotApplicable</option></select></div></div>
<div class="row"><div><label for="flip-key">Recommendation key (optional)</label><input id="flip-key" placeholder="1195afff-c881-495e-9bc5-1486211ae03f"></div>
<div><label for="flip-count">How many</label><input id="flip-count" type="number" min="1" value="5"></div></div>
<button type="submit">Flip assessments</button></form></section>
<section aria-labelledby="h-users"><h2 id="h-users">Entra users and roles</h2><table><thead><tr><th>Person</th><th>Role</th></tr></thead><tbody id="users"></tbody></table></section>
<section aria-labelledby="h-faults"><h2 id="h-faults">Faults</h2><div id="faults">…</div>
<form id="fault"><label for="fault-json">Rule (JSON)</label>
<textarea id="fault-json">{"emulator":"arm","path":"/subscriptions/*/providers/Microsoft.Security/assessments","kind":"page","page":2,"status":503,"times":1}</textarea>
<button type="submit">Add rule</button><button type="button" class="secondary" id="faults-clear">Remove all rules</button></form></section>
<section aria-labelledby="h-counters"><h2 id="h-counters">Requests served</h2><div id="counters">…</div>
<button type="button" class="secondary" id="counters-reset">Reset counters</button><button type="button" class="secondary" id="refresh">Refresh</button></section>
<section aria-labelledby="h-time"><h2 id="h-time">Time, reset and seed</h2>
<form id="clock"><label for="clock-hours">Advance the clock by (hours)</label><input id="clock-hours" type="number" min="0" value="24"><button type="submit">Advance</button></form>
<form id="reseed"><div class="row"><div><label for="seed">Seed</label><input id="seed" type="number" min="0"></div>
<div><label for="size">Size</label><select id="size"><option>small</option><option>demo</option><option>large</option></select></div></div>
<button type="submit">Reseed</button><button type="button" class="secondary" id="reset">Reset to the seeded state</button></form></section>
<section aria-labelledby="h-raw"><h2 id="h-raw">Any control request</h2>
<form id="raw"><div class="row"><div><label for="raw-method">Method</label><select id="raw-method"><option>GET</option><option>POST</option><option>PATCH</option><option>PUT</option><option>DELETE</option></select></div>
<div><label for="raw-path">Path</label><input id="raw-path" value="/_emulator/to/servicenow/credentials"></div></div>
<label for="raw-body">JSON body</label><textarea id="raw-body"></textarea><button type="submit">Send</button></form>
<pre id="output" aria-live="polite" tabindex="0"></pre></section>
</main><script>${CONTROL_PAGE_SCRIPT}</script></body></html>`;

export function sendControlPage(res: ServerResponse): void {
  sendHtml(res, 200, HTML, {
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'`,
    "cache-control": "no-store",
  });
}
