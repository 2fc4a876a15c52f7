// The prompt-tuning page: a thin front end over /v1/prompts (the same service the CLI's `explainer prompts` uses).
// Every piece of text from the server (reviews, outputs, notes) is inserted as text, never as HTML.

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const short = (hash) => (hash ?? "").slice(0, 8);
const state = { prompt: null, prompts: [], versions: [], selected: null, view: "template", job: null, comparison: null };

/** Explain runs over users' top recommendations, DescribeItem over items; the others do not run in sessions. */
const runnable = () => state.prompts.find((p) => p.name === state.prompt)?.runnable ?? false;
const overItems = () => state.prompt === "DescribeItem";

// --- the API, with the key the server asks for ------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const key = sessionStorage.getItem("explainer-api-key");
  if (key) headers["X-Api-Key"] = key;
  const response = await fetch(`/v1/prompts${path}`, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 401) {
    await askForKey(key ? "That key was refused." : "");
    return api(path, options);
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

let keyPrompt = null;

/** One prompt for the key however many requests were refused; Esc does not dismiss it (nothing works without it). */
function askForKey(message) {
  keyPrompt ??= new Promise((resolve) => {
    $("key-error").textContent = message;
    $("api-key").value = "";
    const dialog = $("key-dialog");
    dialog.oncancel = (event) => event.preventDefault();
    $("key-form").onsubmit = () => {
      sessionStorage.setItem("explainer-api-key", $("api-key").value);
      keyPrompt = null;
      resolve();
    };
    if (!dialog.open) dialog.showModal();
  });
  return keyPrompt;
}

function say(text, isError = false) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "dim";
}

function failed(error) {
  say(error.message, true);
}

// --- prompts and versions -----------------------------------------------------------------------------------
async function loadPrompts() {
  const data = await api("");
  state.prompts = data.prompts;
  $("model").textContent = data.usesLlm ? `model: ${data.model}` : `no LLM configured: runs show the extractive engine (${data.model})`;
  const nav = $("prompts");
  nav.replaceChildren(...data.prompts.map((p) =>
    el("button", { "data-prompt": p.name, onclick: () => selectPrompt(p.name) }, p.name)));
  const wanted = new URLSearchParams(location.search).get("prompt");
  const first = data.prompts.find((p) => p.name === "Explain") ?? data.prompts.find((p) => p.runnable) ?? data.prompts[0];
  await selectPrompt(data.prompts.some((p) => p.name === wanted) ? wanted : first.name); // ?prompt=NAME picks another
}

async function selectPrompt(name) {
  state.prompt = name;
  for (const b of $("prompts").children) b.classList.toggle("selected", b.dataset.prompt === name);
  $("compare").hidden = true;
  $("editor").hidden = true;
  await refreshVersions();
  const active = state.versions.find((v) => v.active) ?? state.versions.at(-1);
  await selectVersion(active.hash);
}

async function refreshVersions() {
  state.versions = await api(`/${encodeURIComponent(state.prompt)}/versions`);
  const rows = state.versions.map((v) => el("tr", {
    class: "clickable" + (v.hash === state.selected?.hash ? " selected" : ""),
    "data-hash": v.hash,
    onclick: () => selectVersion(v.hash).catch(failed),
  },
    el("td", {}, el("code", {}, short(v.hash)), " ", v.active ? el("span", { class: "badge" }, "active") : ""),
    el("td", {}, new Date(v.created).toISOString().slice(0, 16).replace("T", " ")),
    el("td", {}, v.origin === "editor" ? (v.author ?? "editor") : "prompts/ file"),
    el("td", {}, v.note ?? ""),
    el("td", { class: "num" }, v.runs)));
  $("versions").tBodies[0].replaceChildren(...rows);
  await refreshHistory();
}

async function refreshHistory() {
  const history = await api(`/${encodeURIComponent(state.prompt)}/history`);
  $("history").tBodies[0].replaceChildren(...history.slice().reverse().map((h) => el("tr", { "data-action": h.action },
    el("td", {}, new Date(h.at).toISOString().slice(0, 19).replace("T", " ")),
    el("td", {}, h.action),
    el("td", {}, el("code", {}, short(h.fromHash) || "-")),
    el("td", {}, el("code", {}, short(h.toHash))),
    el("td", {}, h.by),
    el("td", {}, h.note ?? ""))));
}

async function selectVersion(hash) {
  state.selected = await api(`/${encodeURIComponent(state.prompt)}/versions/${hash}`);
  for (const row of $("versions").tBodies[0].rows) row.classList.toggle("selected", row.dataset.hash === hash);
  $("version-hash").textContent = short(hash);
  $("version-active").textContent = state.selected.active ? "active" : "";
  showVersionText();
  $("promote").disabled = state.selected.active;
  $("promote-warning").hidden = true;
  $("run").textContent = `Run ${short(hash)}`;
  if (!state.job) $("run-progress").hidden = true; // a finished run's bar belongs to the version it ran
  $("run").disabled = !runnable() || state.job !== null;
  $("run").title = runnable() ? "" : "Only Explain (over users) and DescribeItem (over items) run in tuning sessions.";
  $("sample-label").firstChild.textContent = overItems() ? "Items " : "Users ";
  $("k-label").hidden = overItems();
  const summary = state.versions.find((v) => v.hash === hash);
  if (!state.selected.active && summary?.runs > 0) await compare().catch(() => { $("compare").hidden = true; });
  else $("compare").hidden = true;
}

function showVersionText() {
  $("version-text").textContent = state.view === "template" ? state.selected.template : state.selected.config;
  $("view-template").classList.toggle("selected", state.view === "template");
  $("view-config").classList.toggle("selected", state.view === "config");
}

// --- the editor: Semantic Kernel's checks inline, before anything is saved ------------------------------------
let checkTimer = null;

function openEditor() {
  $("editor").hidden = false;
  $("editor-parent").textContent = short(state.selected.hash);
  $("template").value = state.selected.template;
  $("config").value = state.selected.config;
  $("note").value = "";
  $("problems").replaceChildren();
  $("template").focus();
}

function draft() {
  return { template: $("template").value, config: $("config").value, note: $("note").value, author: who(), parent: state.selected.hash };
}

function showProblems(problems) {
  $("problems").replaceChildren(...problems.map((p) => el("li", { class: p.severity },
    `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ""}` : ""}: ${p.message}`)));
  $("save").disabled = problems.some((p) => p.severity === "error");
}

async function check() {
  const result = await api(`/${encodeURIComponent(state.prompt)}/validate`, { method: "POST", body: draft() });
  showProblems(result.problems);
  if (result.ok && result.problems.length === 0) $("problems").replaceChildren(el("li", { class: "ok" }, "No problems."));
  return result;
}

async function save() {
  try {
    const version = await api(`/${encodeURIComponent(state.prompt)}/versions`, { method: "POST", body: draft() });
    $("editor").hidden = true;
    say(`Saved version ${short(version.hash)}.`);
    await refreshVersions();
    await selectVersion(version.hash);
  } catch (error) {
    if (error.problem?.problems) showProblems(error.problem.problems);
    else throw error;
  }
}

// --- runs with live progress ---------------------------------------------------------------------------------
async function run() {
  const body = { version: state.selected.hash, sample: +$("sample").value, k: +$("k").value, seed: +$("seed").value };
  let job;
  try {
    job = await api(`/${encodeURIComponent(state.prompt)}/runs`, { method: "POST", body });
  } catch (error) {
    if (error.status !== 409 || !error.problem?.job) throw error;
    say("A run is already going: following it.");
    job = await api(`/jobs/${error.problem.job}`); // started elsewhere (another tab, before a reload): follow it, cancel it if wanted
  }
  await follow(job);
}

/** Polls a run job until it ends, showing counts and rate; then compares the job's candidate (not whatever is selected by then). */
async function follow(job) {
  state.job = job;
  $("run-progress").hidden = false;
  $("cancel-run").hidden = false;
  $("run").disabled = true;
  const started = performance.now();
  const candidate = job.hashes.at(-1);
  try {
    for (;;) {
      const now = await api(`/jobs/${job.id}`);
      const seconds = (performance.now() - started) / 1000;
      $("progress").max = Math.max(now.total, 1);
      $("progress").value = now.done;
      const unit = now.name === "DescribeItem" ? "items" : "users";
      $("progress-text").textContent = `${now.done} / ${now.total} ${unit} · ${(now.done / Math.max(seconds, 0.001)).toFixed(1)}/s · ${now.state}`
        + (now.hashes.length > 1 ? " (the active version first, on the same sample)" : "");
      if (now.state === "running") {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (now.state === "done") {
        say(`Run of ${short(candidate)} stored.`);
        await refreshVersions();
        if (state.selected?.hash === candidate && !state.selected.active) await compare();
      } else if (now.state === "cancelled") say("Run cancelled; none of its runs was stored.");
      else say(`Run failed: ${now.error}`, true);
      return;
    }
  } finally {
    state.job = null;
    $("cancel-run").hidden = true;
    $("run").disabled = !runnable();
  }
}

// --- compare the candidate with the active version ----------------------------------------------------------
async function compare() {
  const c = await api(`/${encodeURIComponent(state.prompt)}/compare?candidate=${state.selected.hash}`);
  state.comparison = c;
  $("compare").hidden = false;
  $("cmp-baseline").textContent = short(c.baseline.hash);
  $("cmp-candidate").textContent = short(c.candidate.hash);
  const sample = overItems() ? `${c.candidateRun.sample} items` : `${c.candidateRun.sample} users, top ${Math.max(1, c.candidateRun.k)}`;
  $("cmp-runs").textContent = `${c.cases.length} cases: ${sample}, seed ${c.candidateRun.seed}; models ${c.baselineRun.model} / ${c.candidateRun.model}`;
  $("cmp-models").hidden = !c.modelsDiffer;
  $("cmp-models").textContent = c.modelsDiffer
    ? `The runs were written by different models (${c.baselineRun.model} and ${c.candidateRun.model}): a difference may be the model's, not the prompt's. Run the baseline again with this server's model to compare the prompts alone.`
    : "";
  const up = c.candidateRun.outputs.filter((o) => o.rating > 0).length;
  const down = c.candidateRun.outputs.filter((o) => o.rating < 0).length;
  $("cmp-counts").replaceChildren(
    el("span", { id: "count-improved", class: "better" }, `${c.improved} improved`), ", ",
    el("span", { id: "count-regressed", class: "worse" }, `${c.regressed} regressed`), ", ",
    el("span", { id: "count-unchanged" }, `${c.unchanged} unchanged`), `; ${c.textChanged} with changed text, ${c.changed} with changed text or drafts; `,
    el("span", { id: "count-judged" }, `judged ${up} up / ${down} down`));
  $("cmp-fallbacks").hidden = !c.allFallbacks;
  $("cmp-fallbacks").textContent = c.allFallbacks
    ? "Every text the candidate's run shows is the extractive fallback: the text metrics describe that text, not this prompt's. Read the rows 'own text passed' and 'drafts parsed', and each case's verdict."
    : "";
  const warning = $("promote-warning");
  warning.hidden = c.regressed === 0;
  warning.textContent = c.regressed ? `${c.regressed} of ${c.cases.length} cases regressed against the active version on this sample.` : "";
  $("metrics").tBodies[0].replaceChildren(...c.metrics.map((m) => {
    const digits = m.format.includes(".") ? m.format.split(".")[1].length : 0;
    const delta = m.candidate - m.baseline;
    return el("tr", { "data-metric": m.key, class: m.direction === 0 ? "same" : "", title: m.higherIsBetter ? "higher is better" : "lower is better" },
      el("td", {}, m.label),
      el("td", { class: "num" }, m.baseline.toFixed(digits)),
      el("td", { class: "num" }, m.candidate.toFixed(digits)),
      el("td", { class: "num " + (m.direction > 0 ? "better" : m.direction < 0 ? "worse" : "") }, (delta >= 0 ? "+" : "") + delta.toFixed(digits)));
  }));
  $("prompt-diff").replaceChildren(...diff(c.templateDiff));
  $("config-diff").replaceChildren(...diff(c.configDiff));
  renderCases();
}

/** A word diff inline; long unchanged stretches fold to their first and last two lines, so the changes stand out. */
function diff(parts) {
  return parts.map((p, i) => {
    if (p.op === "+") return el("ins", {}, p.text);
    if (p.op === "-") return el("del", {}, p.text);
    const lines = p.text.split("\n");
    if (lines.length <= 7) return document.createTextNode(p.text);
    const head = i === 0 ? [] : lines.slice(0, 2);
    const tail = i === parts.length - 1 ? [] : lines.slice(-2);
    const folded = lines.length - head.length - tail.length;
    return document.createTextNode([...head, `   ⋯ ${folded} unchanged lines ⋯`, ...tail].join("\n"));
  });
}

function filter() {
  return document.querySelector("input[name=filter]:checked").value;
}

function renderCases() {
  const c = state.comparison;
  const which = filter();
  const shown = c.cases.filter((x) => which === "all" ? true
    : which === "changed" ? x.changed
    : which === "regressed" ? x.outcome === "regressed"
    : !x.baselineScore.passed || !x.candidateScore.passed);
  $("shown").textContent = `${shown.length} of ${c.cases.length} cases`;
  $("cases").replaceChildren(...shown.map((x) => caseCard(c, x)));
}

/** What happened to the version's own output (CaseScore.Level), in words. */
function verdict(o, score) {
  const shown = o.engine === "extractive-fallback" ? "; the extractive text is shown" : "";
  switch (score.level) {
    case 3: return "passed verification";
    case 2: return `the model's draft parsed, but the verifier rejected it${shown}`;
    case 1: return `the model wrote nothing usable (not JSON, or cut off)${shown}`;
    default: return `the LLM request failed${shown}`;
  }
}

function output(title, o, score) {
  return el("div", { class: "output" },
    el("h3", {}, title, " ", el("span", { class: "dim" }, `${o.engine}, ${o.latencyMs.toFixed(0)} ms, ${o.tokens} tokens`)),
    el("p", { class: "text" }, o.text),
    el("p", { class: "verdict " + (score.passed ? "better" : "worse") }, verdict(o, score)),
    o.rejectedDrafts.length ? el("details", {}, el("summary", {}, `rejected drafts (${o.rejectedDrafts.length})`), el("ul", {}, o.rejectedDrafts.map((d) => el("li", {}, d)))) : "",
    o.problems.length ? el("ul", { class: "problems" }, o.problems.map((p) => el("li", {}, p))) : "",
    el("p", { class: "dim" }, o.userId
      ? `faithful ${o.faithful ? "yes" : "no"} · links ${o.supportedLinks}/${o.links} · grounded ${o.groundedPrecision.toFixed(2)} · English errors ${o.englishErrors.length} · cites ${o.evidenceIds.join(", ") || "nothing"}`
      : `words from the item's data ${o.groundedPrecision.toFixed(2)} (own text or draft)`));
}

function caseCard(c, x) {
  const key = `${x.userId}/${x.itemId}`;
  const comment = el("input", { class: "comment", placeholder: "comment", value: x.candidate.comment ?? "" });
  // A thumb toggles (pressing the pressed one clears it); saving a comment keeps the rating as it is.
  const judge = (rating) => api(`/runs/${encodeURIComponent(c.candidateRun.id)}/cases/${encodeURIComponent(x.userId || "-")}/${encodeURIComponent(x.itemId)}/judgement`,
    { method: "PUT", body: { rating, comment: comment.value } })
    .then(() => compare()).catch(failed);
  return el("article", { class: "case", "data-case": key, "data-outcome": x.outcome },
    el("div", { class: "row" },
      ...(x.userId ? [el("code", {}, x.userId), " → ", el("code", {}, x.itemId), el("span", { class: "dim" }, `rank ${x.rank}`)] : ["item ", el("code", {}, x.itemId)]),
      el("span", { class: `outcome ${x.outcome}` }, x.outcome),
      el("span", { class: "dim" }, x.textChanged ? "text changed" : x.changed ? "same text shown; the model's drafts changed" : "same output")),
    el("div", { class: "pair" }, output(`baseline ${short(c.baseline.hash)}`, x.baseline, x.baselineScore), output(`candidate ${short(c.candidate.hash)}`, x.candidate, x.candidateScore)),
    x.textChanged ? el("p", { class: "diff" }, ...diff(x.diff)) : "",
    el("details", {}, el("summary", {}, x.userId ? "evidence given to the writer" : "the item's data given to the writer"), el("ul", {}, x.candidate.evidence.map((e) => el("li", {}, e)))),
    el("div", { class: "row judge" }, el("span", { class: "dim" }, "Your judgement of the candidate:"),
      el("button", { class: "up" + (x.candidate.rating > 0 ? " on" : ""), "aria-pressed": x.candidate.rating > 0 ? "true" : "false", onclick: () => judge(x.candidate.rating > 0 ? 0 : 1) }, "Thumbs up"),
      el("button", { class: "down" + (x.candidate.rating < 0 ? " on" : ""), "aria-pressed": x.candidate.rating < 0 ? "true" : "false", onclick: () => judge(x.candidate.rating < 0 ? 0 : -1) }, "Thumbs down"),
      comment,
      el("button", { class: "save-comment", onclick: () => judge(x.candidate.rating) }, "Save comment")));
}

// --- promote and roll back ------------------------------------------------------------------------------------
function who() {
  return $("who").value.trim();
}

async function moveLabel(action, note) {
  if (!who()) { $("who").focus(); throw new Error("Say who you are (Your name) first: the history records it."); }
  if (!note) throw new Error(`Say why you ${action === "promote" ? "promote" : "roll back"}: the history records it.`);
  const body = { version: state.selected.hash, by: who(), note };
  const version = await api(`/${encodeURIComponent(state.prompt)}/${action}`, { method: "POST", body });
  say(`${state.prompt} ${short(version.hash)} is now active.`);
  $("promote-note").value = "";
  $("rollback-note").value = "";
  await refreshVersions();
  await selectVersion(version.hash);
}

// --- wiring ---------------------------------------------------------------------------------------------------
function on(id, handler) {
  $(id).addEventListener("click", () => Promise.resolve().then(handler).catch(failed));
}

$("who").value = localStorage.getItem("explainer-who") ?? "";
$("who").addEventListener("change", () => localStorage.setItem("explainer-who", who()));
on("view-template", () => { state.view = "template"; showVersionText(); });
on("view-config", () => { state.view = "config"; showVersionText(); });
on("edit", openEditor);
on("cancel-edit", () => { $("editor").hidden = true; });
on("check", check);
on("save", save);
on("run", run);
on("cancel-run", () => state.job && api(`/jobs/${state.job.id}`, { method: "DELETE" }));
on("promote", () => moveLabel("promote", $("promote-note").value.trim()));
on("rollback", () => moveLabel("rollback", $("rollback-note").value.trim()));
for (const id of ["template", "config"]) {
  $(id).addEventListener("input", () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => check().catch(failed), 400);
  });
}
for (const radio of document.querySelectorAll("input[name=filter]")) radio.addEventListener("change", renderCases);

loadPrompts().catch(failed);
