// pgrecall's page: a day timeline, search with the matches outlined, a frame view, forget.
// Plain ES module, no build step, no request to anywhere but this server. The state lives in
// the URL (/?q=…&app=…&date=…&frame=…); the token, when the printed URL carried one, is in an
// HttpOnly cookie the server set, and is taken out of the address bar.

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "style") Object.assign(e.style, v); // CSSOM: the CSP allows no style attributes
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const SVG = "http://www.w3.org/2000/svg";
const KEYS = ["q", "app", "window", "since", "until", "mode", "date", "frame"];
const pad = (n) => String(n).padStart(2, "0");
const localDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const stamp = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "medium" });
const toLocalInput = (d) => `${localDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
const hue = (s) => [...(s ?? "")].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);

let state = {};
let day = { date: null, frames: [], summaries: [], forgotten: [] };
let selected = 0;

function readState() {
  const u = new URL(location.href);
  state = Object.fromEntries(KEYS.map((k) => [k, u.searchParams.get(k) ?? ""]));
  if (!state.date) state.date = localDay(new Date());
}

function writeState(changes, { replace = false } = {}) {
  state = { ...state, ...changes };
  const u = new URL(location.origin + "/");
  for (const k of KEYS) if (state[k]) u.searchParams.set(k, state[k]);
  if (u.href !== location.href) history[replace ? "replaceState" : "pushState"](null, "", u);
}

function notice(text) {
  const n = $("#notice");
  n.textContent = text ?? "";
  n.hidden = !text;
}

async function api(path, init) {
  const res = await fetch(path, { credentials: "same-origin", ...init, headers: { accept: "application/json", ...(init?.headers ?? {}) } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) throw new Error("This server needs its token: open the address `pgrecall serve` printed (…/?token=…), or add ?token=<the token in data/api.token> to this page's address.");
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

// ---------------------------------------------------------------- screenshots with boxes
/** An image with its OCR boxes drawn over it, scaled with it. */
function shot(src, boxes = [], alt = "screenshot") {
  const img = el("img", { src, alt, loading: "lazy" });
  const wrap = el("div", { class: "shot" }, img);
  const draw = () => {
    if (!img.naturalWidth) return;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${img.naturalWidth} ${img.naturalHeight}`);
    svg.setAttribute("preserveAspectRatio", "none");
    for (const b of boxes) {
      const [x0, y0, x1, y1] = b.box;
      const r = document.createElementNS(SVG, "rect");
      for (const [k, v] of Object.entries({ x: x0 - 3, y: y0 - 3, width: x1 - x0 + 6, height: y1 - y0 + 6, rx: 3, class: b.kind })) r.setAttribute(k, v);
      const title = document.createElementNS(SVG, "title");
      title.textContent = b.kind === "redacted" ? "redacted" : `match: ${b.word}`;
      r.append(title);
      svg.append(r);
    }
    wrap.querySelector("svg")?.remove();
    wrap.append(svg);
    wrap.dataset.boxes = String(boxes.length);
  };
  img.addEventListener("load", draw);
  return wrap;
}

/** A snippet with «matches» marked and [redacted: …] shown as what it is. */
function snippet(text) {
  const p = el("p", { class: "snippet" });
  for (const part of (text ?? "").split(/(«[^»]*»|\[redacted: [^\]]*\])/)) {
    if (part.startsWith("«")) p.append(el("mark", {}, part.slice(1, -1)));
    else if (part.startsWith("[redacted")) p.append(el("span", { class: "redaction" }, part.slice(1, -1)));
    else p.append(part);
  }
  return p;
}

// ---------------------------------------------------------------- timeline
async function loadDay() {
  if (day.date === state.date) return;
  $("#date").value = state.date;
  const [t, s] = await Promise.all([api(`/timeline?date=${state.date}`), api(`/days/${state.date}`)]);
  day = { date: state.date, frames: t.frames, summaries: s.days, forgotten: t.forgotten ?? [] };
  const idx = state.frame ? day.frames.findIndex((f) => f.frame_id === state.frame) : -1;
  selected = idx >= 0 ? idx : Math.max(0, day.frames.length - 1);
  renderDay();
}

function renderDay() {
  const frames = day.frames;
  $("#day-title").textContent = new Date(`${day.date}T12:00:00`).toLocaleDateString([], { weekday: "long", year: "numeric", month: "long", day: "numeric" });
  const gone = day.forgotten.reduce((n, f) => n + (f.frames ?? 0), 0);
  $("#day-summary").textContent =
    day.summaries.map((d) => d.summary).filter(Boolean).join(" ") ||
    (frames.length ? `${frames.length} frames` : gone ? "Nothing left of this day: what was captured was forgotten." : "Nothing captured this day.");
  const scrub = $("#scrubber");
  scrub.max = String(Math.max(0, frames.length - 1));
  scrub.disabled = frames.length === 0;
  renderLanes();
  select(selected, { quiet: true });
}

/** Activity lanes and away gaps, from the day's timeline (the same spans the summaries add up); forgotten periods over them. */
function renderLanes() {
  const lanes = $("#lanes");
  lanes.replaceChildren();
  const frames = day.frames;
  // One band per forget (a forget across deployments comes once per deployment).
  const forgotten = [...new Map(day.forgotten.map((f) => [f.event_id, f])).values()];
  if (!frames.length && !forgotten.length) return;
  const ms = (iso) => new Date(iso).getTime();
  const start = Math.min(...frames.slice(0, 1).map((f) => ms(f.starts_at)), ...forgotten.map((f) => ms(f.band_from)));
  const end = Math.max(...frames.slice(-1).map((f) => ms(f.ends_at)), ...forgotten.map((f) => ms(f.band_to)), start + 60_000);
  const pct = (t) => `${((100 * (t - start)) / (end - start)).toFixed(3)}%`;
  const width = (a, b) => `${Math.max(0.2, (100 * (b - a)) / (end - start)).toFixed(3)}%`;
  let run = null;
  const flush = () => {
    if (!run) return;
    const label = run.excluded ? "excluded" : run.app ?? "(no app)";
    lanes.append(el("div", { class: `lane${run.excluded ? " excluded" : ""}`, title: `${label} — ${run.title ?? ""} (${time(run.from)}–${time(run.to)})`, style: { left: pct(run.a), width: width(run.a, run.b), ...(run.excluded ? {} : { background: `hsl(${hue(run.app)} 55% 45%)` }) } }, label));
    run = null;
  };
  for (const f of frames) {
    const a = new Date(f.starts_at).getTime(), b = new Date(f.ends_at).getTime();
    const key = `${f.deployment_id}|${f.activity_seq}|${f.excluded}`;
    if (!run || run.key !== key) (flush(), (run = { key, a, b, from: f.starts_at, to: f.ends_at, app: f.app_name, title: f.window_title, excluded: f.excluded }));
    run.b = b;
    run.to = f.ends_at;
    if (f.away_after) {
      flush();
      const next = frames[frames.indexOf(f) + 1];
      if (next) {
        const n = new Date(next.starts_at).getTime();
        lanes.append(el("div", { class: "lane away", title: `away ${time(f.ends_at)}–${time(next.starts_at)}`, style: { left: pct(b), width: width(b, n) } }, "away"));
      }
    }
  }
  flush();
  for (const f of forgotten) {
    const a = ms(f.band_from), b = ms(f.band_to);
    const what = `${f.frames} frame${f.frames === 1 ? "" : "s"}${f.whole_range ? "" : " (some of this period: an app, window or frame selection)"}`;
    const how = f.kind === "tombstoned" ? "forgotten (restorable until purged)" : "forgotten";
    lanes.append(el("div", { class: `lane forgotten${f.whole_range ? "" : " partial"}`, "data-event": f.event_id, title: `${how} ${time(f.band_from)}–${time(f.band_to)}: ${what}, on ${stamp(f.forgotten_at)}`, style: { left: pct(a), width: width(a, b) } }, "forgotten"));
  }
}

function thumb(f, i) {
  const pic = f.excluded ? el("span", { class: "placeholder" }, "excluded") : f.thumbnail ? el("img", { src: f.thumbnail, alt: "", loading: "lazy" }) : el("span", { class: "placeholder" }, "no image");
  return el(
    "button",
    { class: `thumb${i === selected ? " selected" : ""}${f.duplicate ? " dup" : ""}`, role: "option", "aria-selected": i === selected ? "true" : "false", "data-frame": f.frame_id, onclick: () => select(i), ondblclick: () => openFrame(f.frame_id) },
    pic,
    `${time(f.captured_at)} ${f.app_name ?? ""}`,
    f.away_after ? el("span", { class: "gap" }, "then away") : null,
  );
}

function select(i, { quiet = false } = {}) {
  const frames = day.frames;
  const fig = $("#current");
  if (!frames.length) {
    $("#strip").replaceChildren();
    $("#position").textContent = "no frames";
    fig.hidden = true;
    return;
  }
  selected = Math.min(Math.max(0, i), frames.length - 1);
  const f = frames[selected];
  $("#scrubber").value = String(selected);
  $("#position").textContent = `${selected + 1} / ${frames.length} · ${time(f.captured_at)}`;
  // The strip shows the frames around the selection (a day holds thousands).
  const from = Math.max(0, selected - 12), to = Math.min(frames.length, selected + 13);
  $("#strip").replaceChildren(...frames.slice(from, to).map((x, k) => thumb(x, from + k)));
  $("#strip .selected")?.scrollIntoView({ block: "nearest", inline: "center" });
  fig.hidden = false;
  const caption = `${time(f.captured_at)} · ${f.app_name ?? "(no app)"} — ${f.window_title ?? ""}${f.excluded ? " · excluded" : ""}`;
  fig.replaceChildren(f.excluded || !f.thumbnail ? el("div", { class: "shot" }, el("span", { class: "placeholder" }, f.excluded ? "excluded: nothing was kept" : "no image")) : shot(`/frames/${f.frame_id}/image`, [], caption), el("figcaption", {}, caption));
  fig.dataset.frame = f.frame_id;
  if (!quiet && !state.q) writeState({ frame: f.frame_id }, { replace: true });
}

/** The next (or previous) frame whose app differs from the selected one's. */
function appSwitch(step) {
  const frames = day.frames;
  const app = frames[selected]?.app_name;
  for (let i = selected + step; i >= 0 && i < frames.length; i += step) if (frames[i].app_name !== app) return select(i);
}

// ---------------------------------------------------------------- search
const PAGE = 20;

/** One page of results with their match boxes: the search's filters from the state, then the cursor. */
async function searchPage(cursor) {
  const p = new URLSearchParams({ q: state.q, limit: String(PAGE) });
  if (state.app) p.set("app_name", state.app);
  if (state.window) p.set("window_name", state.window);
  if (state.since) p.set("start_time", new Date(state.since).toISOString());
  if (state.until) p.set("end_time", new Date(state.until).toISOString());
  if (state.mode) p.set("mode", state.mode);
  if (cursor) p.set("cursor", cursor);
  const r = await api(`/search?${p}`);
  const hits = await Promise.all(r.data.map(async (h) => ({ h, boxes: (await api(`/frames/${h.frame_id}/matches?q=${encodeURIComponent(state.q)}`)).boxes })));
  return { r, hits };
}

function hitView({ h, boxes }) {
  return el(
    "article",
    { class: "hit", "data-frame": h.frame_id },
    el("h3", {}, el("button", { onclick: () => openFrame(h.frame_id) }, `${h.app_name ?? "(no app)"} — ${h.window_title ?? ""}`)),
    el("p", { class: "meta" }, stamp(h.captured_at), " ", el("span", { class: "badge" }, h.matched), boxes.some((b) => b.kind === "redacted") ? el("span", { class: "badge" }, "has redactions") : null),
    snippet(h.snippet),
    h.image_ref ? shot(`/frames/${h.frame_id}/image`, boxes, `screen of ${h.app_name}`) : null,
  );
}

async function renderSearch() {
  const box = $("#results");
  document.body.classList.toggle("searching", !!state.q);
  if (!state.q) return void (box.hidden = true, box.replaceChildren());
  box.hidden = false;
  box.replaceChildren(el("p", {}, "Searching…"));
  const q = state.q;
  const { r, hits } = await searchPage(null);
  let shown = hits.length;
  const heading = el("h2", {});
  const title = (more) => (heading.textContent = `${shown}${more ? "+" : ""} result${shown === 1 ? "" : "s"} for “${q}”`);
  const list = el("div", { class: "hits" }, ...hits.map(hitView));
  const more = el("button", { id: "more", type: "button" }, "More results");
  let cursor = r.pagination.next_cursor;
  more.hidden = !cursor;
  more.addEventListener("click", async () => {
    more.disabled = true;
    more.textContent = "Loading…";
    try {
      const next = await searchPage(cursor);
      if (state.q !== q) return; // a new search replaced this one meanwhile
      list.append(...next.hits.map(hitView));
      shown += next.hits.length;
      cursor = next.r.pagination.next_cursor;
      more.hidden = !cursor;
      title(!!cursor);
    } catch (err) {
      notice(err.message);
    } finally {
      more.disabled = false;
      more.textContent = "More results";
    }
  });
  title(!!cursor);
  box.replaceChildren(heading, r.notice ? el("p", { class: "meta" }, r.notice) : null, list, more);
}

// ---------------------------------------------------------------- frame view
async function renderFrame() {
  const box = $("#frame");
  if (!state.frame || !state.openFrame) return void (box.hidden = true);
  const id = state.frame;
  const [f, dups, m] = await Promise.all([api(`/frames/${id}`), api(`/frames/${id}/near-duplicates`), api(`/frames/${id}/matches?q=${encodeURIComponent(state.q ?? "")}`)]);
  const stages = ["hash", "ocr", "vision", "embedding"];
  const words = ["pending", "done", "failed", "skipped"];
  box.hidden = false;
  box.replaceChildren(
    el("h2", {}, `${f.app_name ?? "(no app)"} — ${f.window_title ?? ""}`),
    el("p", { class: "frame-meta" }, `${stamp(f.captured_at)} · deployment ${f.deployment_id} · `, el("button", { onclick: closeFrame }, "Close (Esc)")),
    f.image_ref ? shot(`/frames/${id}/image`, m.boxes, "the frame") : el("p", {}, "No image (excluded, or not kept)."),
    el("h3", {}, "Text"),
    el("pre", { class: "ocr" }, f.ocr_text ?? "(no text)"),
    f.vision_summary ? el("p", {}, f.vision_summary) : null,
    el("h3", {}, "Stages"),
    el("table", {}, ...stages.map((s) => el("tr", {}, el("th", {}, s), el("td", { class: `status-${f[`${s}_status`]}` }, words[f[`${s}_status`]] ?? String(f[`${s}_status`])), el("td", {}, f[`${s}_message`] ?? "")))),
    el("h3", {}, "Near-duplicates"),
    dups.near_duplicates.length
      ? el("ul", {}, ...dups.near_duplicates.map((d) => el("li", {}, el("button", { onclick: () => openFrame(d.frame_id) }, stamp(d.captured_at)))))
      : el("p", {}, "None."),
  );
  box.scrollIntoView({ block: "start" });
}

function openFrame(id) {
  writeState({ frame: id });
  state.openFrame = true;
  renderFrame().catch(fail);
}
function closeFrame() {
  state.openFrame = false;
  $("#frame").hidden = true;
}

// ---------------------------------------------------------------- forget
function forgetDialog() {
  const d = $("#forget-dialog");
  const f = day.frames[selected];
  const at = f ? new Date(f.captured_at) : new Date();
  d.querySelector("[name=from]").value = toLocalInput(new Date(at.getTime() - 60_000));
  d.querySelector("[name=to]").value = toLocalInput(new Date(at.getTime() + 60_000));
  $("#forget-count").textContent = "";
  $("#forget-confirm").disabled = true;
  d.showModal();
}

async function forget(confirm) {
  const form = $("#forget-form");
  const body = { start_time: new Date(form.from.value).toISOString(), end_time: new Date(form.to.value).toISOString(), confirm };
  const r = await api("/forget", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!confirm) {
    const n = r.would_forget.frames;
    $("#forget-count").textContent = n ? `${n} frame${n === 1 ? "" : "s"} (with ${r.would_forget.near_duplicates} near-duplicates) will be forgotten.` : "Nothing was captured in this range.";
    $("#forget-confirm").disabled = !n;
    return;
  }
  $("#forget-dialog").close();
  notice(`Forgot ${r.forgotten.frames} frame(s).`);
  day.date = null;
  await loadDay();
  await renderSearch();
}

// ---------------------------------------------------------------- wiring
async function render() {
  const form = $("#search");
  for (const k of ["q", "app", "window", "since", "until", "mode"]) form[k].value = state[k] ?? "";
  await Promise.all([loadDay(), renderSearch()]);
}
function fail(err) {
  notice(err.message);
}

function wire() {
  $("#search").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    const changes = Object.fromEntries(["q", "app", "window", "since", "until", "mode"].map((k) => [k, form[k].value.trim()]));
    closeFrame();
    writeState({ ...changes, frame: "" });
    render().catch(fail);
  });
  $("#date").addEventListener("change", (e) => {
    if (!e.target.value) return;
    writeState({ date: e.target.value, frame: "" });
    render().catch(fail);
  });
  $("#scrubber").addEventListener("input", (e) => select(Number(e.target.value)));
  $("#prev").addEventListener("click", () => select(selected - 1));
  $("#next").addEventListener("click", () => select(selected + 1));
  $("#prev-switch").addEventListener("click", () => appSwitch(-1));
  $("#next-switch").addEventListener("click", () => appSwitch(1));
  $("#open").addEventListener("click", () => day.frames[selected] && openFrame(day.frames[selected].frame_id));
  $("#forget").addEventListener("click", forgetDialog);
  $("#forget-count-btn").addEventListener("click", (e) => (e.preventDefault(), forget(false).catch((err) => ($("#forget-count").textContent = err.message))));
  $("#forget-confirm").addEventListener("click", (e) => (e.preventDefault(), forget(true).catch((err) => ($("#forget-count").textContent = err.message))));
  document.addEventListener("keydown", (e) => {
    if (e.target.closest?.("input, select, textarea, dialog")) return;
    if (e.key === "ArrowLeft") (e.preventDefault(), e.shiftKey ? appSwitch(-1) : select(selected - 1));
    else if (e.key === "ArrowRight") (e.preventDefault(), e.shiftKey ? appSwitch(1) : select(selected + 1));
    else if (e.key === "Enter" && e.target === document.body && day.frames[selected]) openFrame(day.frames[selected].frame_id);
    else if (e.key === "Escape") closeFrame();
    else if (e.key === "/") (e.preventDefault(), $("#search").q.focus());
  });
  addEventListener("popstate", () => {
    readState();
    day.date = null;
    render().catch(fail);
  });
}

// The token came in the address: the server keeps it in a cookie now; the address bar should not.
const initial = new URL(location.href);
if (initial.searchParams.has("token")) {
  initial.searchParams.delete("token");
  history.replaceState(null, "", initial);
}
readState();
state.openFrame = !!state.frame;
wire();
render()
  .then(() => renderFrame())
  .catch(fail);
