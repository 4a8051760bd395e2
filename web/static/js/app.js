// @ts-check
/**
 * The app's wiring, and the only file that does: DOM events → IndexedDB / engine → render.
 * The shell is usable at once; the engine (Pyodide in a worker) joins when it has booted.
 */
import { byId, h, localDate } from "./dom.js";
import { announce } from "./announce.js";
import { Backend } from "./backend.js";
import { keepDigestRegistered, listenToServiceWorker, notifiesHere } from "./reminders.js";
import { registerServiceWorker } from "./sw-register.js";
import { CaptureView } from "./views/capture.js";
import { TodayView } from "./views/today.js";
import { FirstRun, askForPersistence } from "./views/first-run.js";
import { liveScreens } from "./views/live.js";
import { keepFocusHome, keepFocusInSight, keepInSight, screenHeading } from "./focus-home.js";

const html = document.documentElement;
const shellStart = performance.now();

/** Tracks writes in flight, so an update never swaps code under an unsaved edit. */
const tracker = {
  /** @type {Set<Promise<unknown>>} */
  pending: new Set(),
  /** @template T @param {Promise<T>} promise @returns {Promise<T>} */
  track(promise) {
    this.pending.add(promise);
    const done = () => this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  },
  async idle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  },
};

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/** @type {ReturnType<typeof setTimeout> | undefined} the generic "Saved", unless words come first */
let savedTimer;
/**
 * The last command's undo (its answer's `undo: {id, label}`): a toast shown just after it
 * carries an Undo button ("Saved · Undo"), whichever screen words the confirmation.
 * @type {{id: string, label: string, at: number} | null}
 */
let lastUndo = null;
/**
 * Show a message for a few seconds and say it once (announce.js: the one polite region, or the
 * alert region for an error). The toast is a status kept silent (`aria-live="off"`): it would
 * otherwise speak twice.
 * @param {string} text @param {{error?: boolean}} [options]
 */
function toast(text, { error = false } = {}) {
  clearTimeout(savedTimer);
  announce(text, { error });
  const element = byId("toast");
  const undo = lastUndo && performance.now() - lastUndo.at < 2000 ? lastUndo : null;
  element.replaceChildren(text);
  if (undo) {
    element.append(h("span", { "aria-hidden": "true", text: " · " }), h("button", {
      type: "button", class: "toast-undo", text: "Undo", "aria-label": `Undo: ${undo.label}`,
      onclick: () => undoFromToast(undo),
    }));
  }
  element.classList.remove("toast-away");
  element.inert = false;
  element.classList.add("show");
  // The toast never covers the control that produced it.
  requestAnimationFrame(() => keepInSight());
  clearTimeout(toastTimer);
  // A little longer when there is a button to reach; kept while the focus is on it.
  toastTimer = setTimeout(hideToast, undo ? 5000 : 4000);
}

function hideToast() {
  const element = byId("toast");
  if (element.matches(":focus-within")) toastTimer = setTimeout(hideToast, 2000);
  else {
    element.classList.remove("show");
    // A faded toast's Undo is no longer a Tab stop (nor read): nothing focusable is invisible.
    element.inert = true;
  }
}

/** @param {{id: string, label: string}} undo */
async function undoFromToast(undo) {
  lastUndo = null;
  const response = await tracker.track(backend.command("undo", { id: undo.id }));
  toast(response.ok ? `Undone: ${undo.label}.` : response.message);
  if (response.ok) await refreshToday();
}

/**
 * A message that is only news: shown once no other is on screen, so it never replaces what the
 * user just did ("Saved Ana.").
 * @param {string} text
 */
function toastWhenFree(text) {
  if (byId("toast").classList.contains("show")) setTimeout(() => toastWhenFree(text), 1000);
  else toast(text);
}

const backend = new Backend();
const engine = backend.engine;

const today = new TodayView({ backend, command: (name, payload) => command(name, payload), toast, tracker });

const firstRun = new FirstRun({
  backend, command: (name, payload) => command(name, payload), toast, navigate: (hash) => { location.hash = hash; },
});

const capture = new CaptureView({ backend, command: (name, payload) => command(name, payload), toast, tracker });

/**
 * Send a command to the engine; its changes are on disk when this resolves ok.
 * @param {string} name @param {Record<string, unknown>} payload
 * @returns {Promise<import("./types.js").Success | null>}
 */
async function command(name, payload) {
  const before = refreshes;
  const response = await tracker.track(backend.command(name, payload));
  if (!response.ok) {
    toast(response.message, { error: true });
    return null;
  }
  // Its undo is remembered by the "undoable" listener. "Saved" is said only if the screen that
  // sent it does not say in its own words what was done, just after (one change, one message).
  if (response.undo) {
    clearTimeout(savedTimer);
    savedTimer = setTimeout(() => toast("Saved"), 400);
  }
  // A command kept for the engine (not up yet) shows on Today once it is replayed. Its
  // `changed` has most likely asked for Today already, after the command: that one will do.
  if (!response.queued) await (refreshes > before ? latestRefresh : refreshToday(response.today));
  return response;
}

// Every command's undo, whichever screen sent it: the next toast offers it.
backend.addEventListener("undoable", (event) => {
  lastUndo = { .../** @type {CustomEvent<{id: string, label: string}>} */ (event).detail, at: performance.now() };
});

let lastRefresh = 0;
/** How many times Today was asked for, and the last of them. */
let refreshes = 0;
/** @type {Promise<void>} */
let latestRefresh = Promise.resolve();

/**
 * Ask the engine for Today and show it. The worker answers in order, so a refresh asked for
 * after a command was sent shows what the command did. `answered`: Today as the worker sent it
 * with a command's answer (no second round trip).
 * @param {import("./types.js").AnswerOf<"today">} [answered]
 */
function refreshToday(answered) {
  refreshes += 1;
  latestRefresh = computeToday(answered);
  return latestRefresh;
}

/** @param {import("./types.js").AnswerOf<"today">} [answered] */
async function computeToday(answered) {
  const now = new Date();
  lastRefresh = Date.now();
  const response = answered ?? /** @type {import("./types.js").AnswerOf<"today">} */ (await engine.call({ op: "today", now: now.toISOString(), today: localDate(now) }));
  if (!response.ok) {
    today.showLoading(response.message);
    return;
  }
  today.render(response, now);
  html.dataset.today = "fresh";
  const due = response.counts.due + response.counts.overdue;
  if ("setAppBadge" in navigator) {
    (due ? navigator.setAppBadge(due) : navigator.clearAppBadge()).catch(() => {});
  }
}

// Coming back to the app later (the next morning, say): what is due has changed.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && engine.ready && Date.now() - lastRefresh > 60_000) refreshToday();
});
setInterval(() => {
  if (document.visibilityState === "visible" && engine.ready) refreshToday();
}, 5 * 60_000);

/**
 * Screens built by their own module, loaded on first visit (all are precached). Each exports
 * `mount(root, ctx, params)`; Today and Capture are in the page itself, to be usable at once.
 * @type {Record<string, () => Promise<{mount: (root: HTMLElement, ctx: AppContext, params: string[]) => Promise<void>}>>}
 */
const SCREENS = {
  people: () => import("./views/people.js"),
  person: () => import("./views/person.js"),
  opportunities: () => import("./views/opportunities.js"),
  graph: () => import("./views/graph.js"),
  insights: () => import("./views/insights.js"),
  settings: () => import("./views/settings/index.js"),
  transfer: () => import("./views/transfer.js"),
  sync: () => import("./views/sync.js"),
  more: () => import("./views/more.js"),
  trash: () => import("./views/trash/index.js"),
  later: () => import("./views/later.js"),
};
/** Screens without a tab of their own light up their parent's. */
const TAB_OF = {
  person: "people", later: "today", graph: "more", insights: "more", settings: "more", transfer: "more", sync: "more",
  trash: "more",
};

/** @typedef {import("./screen-types.js").AppContext} AppContext */

/**
 * What a screen module gets: the engine, storage, and the app's shared actions.
 * @type {AppContext}
 */
const ctx = {
  backend,
  engine,
  command,
  toast,
  tracker,
  refreshToday,
  /** @param {string} hash */
  navigate: (hash) => { location.hash = hash; },
};

/** Show one view, from the URL's hash (`#name/param/...`). */
let routeCount = 0;

async function route() {
  // "#main" is the skip link's target, not a screen: the screen stays (see `skipToContent`).
  if (routed && location.hash === "#main") return;
  // A sheet left open by the last screen does not follow the user to the next one.
  for (const dialog of document.querySelectorAll("dialog[open]")) /** @type {HTMLDialogElement} */ (dialog).close();
  // A notification's deep link is `#/today/<key>`: the leading "/" is not part of the name.
  const [name, ...params] = (location.hash.slice(1).replace(/^\//, "") || "today").split("/").map(decodeURIComponent);
  const dynamic = name in SCREENS;
  const known = dynamic || document.querySelector(`[data-view="${CSS.escape(name)}"]`) ? name : "today";
  const viewName = dynamic ? "screen" : known;
  for (const view of document.querySelectorAll("[data-view]")) {
    /** @type {HTMLElement} */ (view).hidden = view.getAttribute("data-view") !== viewName;
  }
  const tabName = TAB_OF[/** @type {keyof typeof TAB_OF} */ (known)] ?? known;
  for (const tab of document.querySelectorAll("[data-tab]")) {
    if (tab.getAttribute("data-tab") === tabName) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  const token = ++routeCount;
  if (dynamic) {
    // Each visit mounts into its own container: a slow, stale mount writes into a detached
    // one instead of over the screen the user has moved on to.
    const root = document.createElement("div");
    root.className = "screen";
    byId("view-screen").replaceChildren(root);
    const screen = await SCREENS[name]();
    if (token !== routeCount) return;
    await screen.mount(root, ctx, params);
    if (token !== routeCount) return;
    // Screen readers hear the new screen's title unless the screen put the focus somewhere.
    if (routed && !root.contains(document.activeElement)) {
      const heading = /** @type {HTMLElement | null} */ (root.querySelector("h2"));
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  }
  if (known === "capture") {
    /** @type {HTMLInputElement} */ (byId("capture-name")).focus();
    if (routed) capture.refresh();
  }
  else if (known === "today" && params[0]) today.openKey(params[0]);
  else if (known === "today" && routed) byId("today-heading").focus();
  routed = true;
}
/** False for the first view shown at boot: the focus stays where the browser put it. */
let routed = false;

/** @param {import("./types.js").Stage} stage */
function showStage(stage) {
  const status = byId("engine-status");
  const label = /** @type {HTMLElement} */ (status.querySelector(".label"));
  status.dataset.stage = stage.stage;
  const words = {
    starting: "Starting the follow-up engine…",
    runtime: "Starting the follow-up engine…",
    engine: "Loading the follow-up rules…",
    data: "Reading your contacts…",
    ready: "Ready",
    failed: stage.message,
  };
  label.textContent = words[/** @type {keyof typeof words} */ (stage.stage)] ?? "Starting…";
  if (stage.stage === "ready") {
    html.dataset.engine = "ready";
    html.dataset.boot = stage.boot;
    html.dataset.readyMs = String(Math.round(stage.ready_ms));
    // Milliseconds from navigation start until the engine answered: what benchmarks read.
    html.dataset.engineReadyAt = String(Math.round(performance.now()));
    html.dataset.workerStartedAt = String(Math.round(stage.worker_started_at - performance.timeOrigin));
    html.dataset.bootMarks = JSON.stringify(stage.marks ?? {});
    html.dataset.runtimeMs = String(Math.round(stage.runtime_ms));
    html.dataset.engineMs = String(Math.round(stage.engine_ms));
    refreshToday();
    // The morning digest's periodic sync follows the reminder settings (reminders.js).
    notifiesHere(backend).then(keepDigestRegistered).catch(() => {});
    // Storage is asked to be kept once there is something worth keeping: during the first run
    // (its step about your data), or at once for someone already using the app.
    firstRun.refresh().then(() => {
      if (firstRun.answer && !firstRun.answer.show) askForPersistence();
    });
    // Records written by an older version that this one cannot read stay on disk untouched
    // and go into every backup; the engine leaves them out (docs/engine-api.md).
    const aside = stage.set_aside ?? [];
    if (aside.length) {
      const one = aside[0];
      toastWhenFree(`${aside.length === 1 ? "One saved record" : `${aside.length} saved records`} could not be read and ${aside.length === 1 ? "was" : "were"} left as ${aside.length === 1 ? "it was" : "they were"} (first: ${one.store} ${one.id ?? ""}, ${one.message}). Export a backup before editing them.`);
    }
  } else if (stage.stage === "failed") {
    html.dataset.engine = "failed";
    today.showLoading(stage.message);
  }
}

/**
 * The manifest's share target opens `/share?title=&text=&url=`: read what was shared, put the
 * address back to the app's own, and show Capture (filled by `capture.prefill`).
 * @returns {{title: string | null, text: string | null, url: string | null} | null}
 */
function sharedToCapture() {
  const query = new URLSearchParams(location.search);
  const isShare = /\/share\/?$/.test(location.pathname);
  if (!isShare && !["title", "text", "url"].some((k) => query.has(k))) return null;
  const shared = { title: query.get("title"), text: query.get("text"), url: query.get("url") };
  history.replaceState(null, "", new URL("./#capture", new URL(isShare ? "./" : location.pathname, location.href)).href);
  return shared.title || shared.text || shared.url ? shared : null;
}

// Another tab upgraded the database: this tab's code is older, so reload into the new one.
window.addEventListener("followthrough:db-upgraded", async () => {
  await tracker.idle();
  location.reload();
});
engine.addEventListener("stage", (event) => showStage(/** @type {CustomEvent} */ (event).detail));
// Records changed (here, by a replayed inbox, in another tab, by a sync): Today shows them.
backend.addEventListener("changed", (event) => {
  if (!engine.ready) return;
  const { stores, today: answered } = /** @type {CustomEvent<import("./types.js").Changed>} */ (event).detail;
  refreshToday(answered);
  if (stores.includes("meta") || stores.includes("people")) firstRun.refresh();
});
backend.addEventListener("refused", (event) => {
  const entries = /** @type {CustomEvent<import("./types.js").InboxEntry[]>} */ (event).detail;
  for (const entry of entries) {
    toastWhenFree(`A change made while the app was starting could not be saved: ${entry.refused?.message ?? entry.name}`);
  }
});
window.addEventListener("hashchange", route);
keepFocusHome();
keepFocusInSight();
/**
 * "Skip to content" moves the focus to the screen's heading (its title is read, the next Tab
 * reaches its first control) and leaves the address, and so the screen, as it was.
 * @param {Event} event
 */
function skipToContent(event) {
  event.preventDefault();
  const heading = screenHeading();
  (heading ?? byId("main")).focus();
}
document.querySelector(".skip-link")?.addEventListener("click", skipToContent);
listenToServiceWorker(engine);
liveScreens({
  backend,
  container: byId("view-screen"),
  current: () => {
    const [name, ...params] = (location.hash.slice(1).replace(/^\//, "") || "today").split("/").map(decodeURIComponent);
    return { name, params };
  },
  mount: async (root, name, params) => (await SCREENS[/** @type {keyof typeof SCREENS} */ (name)]()).mount(root, ctx, params),
});
const shared = sharedToCapture();
route();
if (!engine.ready) today.showCached(new Date());
// The shell is usable now: the form takes input and saves without the engine or the draft.
html.dataset.shell = "ready";
html.dataset.shellMs = String(Math.round(performance.now()));
html.dataset.shellSinceScriptMs = String(Math.round(performance.now() - shellStart));
engine.provideRuntime();
capture.restore();
if (shared) capture.prefill(shared);
registerServiceWorker({
  onOfflineReady: () => toastWhenFree("Followthrough now works offline."),
  onUpdateAvailable: (apply) => {
    const banner = byId("update-banner");
    banner.hidden = false;
    byId("update-button").onclick = () => {
      /** @type {HTMLButtonElement} */ (byId("update-button")).disabled = true;
      apply();
    };
  },
  whenIdle: () => tracker.idle(),
});

// Sync (optional, end-to-end encrypted) starts after the shell, off the critical path: on open,
// on edits, when the network returns; it does nothing until the user turns it on.
// What it writes reaches the screens as the Backend's `changed` (source "sync").
// Its warnings (clock skew, tampering, a server holding changes back) show on every screen.
import("./sync/index.js").then(({ startSync }) => {
  startSync(engine).addEventListener("alert", (event) => toast(String(/** @type {CustomEvent} */ (event).detail)));
});
