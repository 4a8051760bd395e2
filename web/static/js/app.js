// @ts-check
/**
 * The app's wiring, and the only file that does: DOM events → IndexedDB / engine → render.
 * The shell is usable at once; the engine (Pyodide in a worker) joins when it has booted.
 */
import { byId, localDate } from "./dom.js";
import { Engine } from "./engine.js";
import { registerServiceWorker } from "./sw-register.js";
import { CaptureView } from "./views/capture.js";
import { TodayView } from "./views/today.js";

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
/** @param {string} text */
function toast(text) {
  const element = byId("toast");
  element.textContent = text;
  element.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => element.classList.remove("show"), 4000);
}

const engine = new Engine();

const today = new TodayView({
  onAction: async (action, followup) => {
    if (action === "done") {
      await command("mark_done", { key: followup.key });
    }
  },
});

const capture = new CaptureView({
  tracker,
  toast,
  onSaved: (put) => {
    engine.call({ op: "upsert", data: put }).then(refreshToday);
  },
  onMet: async (person) => {
    const now = new Date();
    const done = await command("log_interaction", {
      id: crypto.randomUUID(), person_ids: [person.id], kind: "meeting", at: now.toISOString(),
    });
    if (done) toast(`Logged: met ${person.name} today.`);
  },
});

/**
 * Send a command to the engine; its changes are on disk when this resolves ok.
 * @param {string} name @param {Record<string, unknown>} payload
 */
async function command(name, payload) {
  const now = new Date();
  const response = await tracker.track(engine.call({
    op: "command", name, payload, now: now.toISOString(), today: localDate(now),
  }));
  if (!response.ok) {
    toast(response.message);
    return null;
  }
  await refreshToday();
  return response;
}

async function refreshToday() {
  const now = new Date();
  const response = await engine.call({ op: "today", now: now.toISOString(), today: localDate(now) });
  if (!response.ok) {
    today.showLoading(response.message);
    return;
  }
  today.render(response, now);
  const due = response.counts.due + response.counts.overdue;
  if ("setAppBadge" in navigator) {
    (due ? navigator.setAppBadge(due) : navigator.clearAppBadge()).catch(() => {});
  }
}

/**
 * Screens built by their own module, loaded on first visit (all are precached). Each exports
 * `mount(root, ctx, params)`; Today and Capture are in the page itself, to be usable at once.
 * @type {Record<string, () => Promise<any>>}
 */
const SCREENS = {};

/** What a screen module gets: the engine, storage, and the app's shared actions. */
const ctx = {
  engine,
  command,
  toast,
  tracker,
  refreshToday,
  /** @param {string} hash */
  navigate: (hash) => { location.hash = hash; },
};

/** Show one view, from the URL's hash (`#name/param/...`). */
async function route() {
  const [name, ...params] = (location.hash.slice(1) || "today").split("/").map(decodeURIComponent);
  const dynamic = name in SCREENS;
  const known = dynamic || document.querySelector(`[data-view="${CSS.escape(name)}"]`) ? name : "today";
  const viewName = dynamic ? "screen" : known;
  for (const view of document.querySelectorAll("[data-view]")) {
    /** @type {HTMLElement} */ (view).hidden = view.getAttribute("data-view") !== viewName;
  }
  for (const tab of document.querySelectorAll("[data-tab]")) {
    if (tab.getAttribute("data-tab") === known) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (dynamic) {
    const root = byId("view-screen");
    root.replaceChildren();
    const screen = await SCREENS[name]();
    await screen.mount(root, ctx, params);
  }
  if (known === "capture") /** @type {HTMLInputElement} */ (byId("capture-name")).focus();
}

/** @param {any} stage */
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
    refreshToday();
  } else if (stage.stage === "failed") {
    html.dataset.engine = "failed";
    today.showLoading(stage.message);
  }
}

async function askForPersistence() {
  if (!navigator.storage?.persist) return;
  const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  html.dataset.persisted = String(persisted);
}

engine.addEventListener("stage", (event) => showStage(/** @type {CustomEvent} */ (event).detail));
window.addEventListener("hashchange", route);
route();
capture.restore().then(() => {
  html.dataset.shell = "ready";
  html.dataset.shellMs = String(Math.round(performance.now()));
  html.dataset.shellSinceScriptMs = String(Math.round(performance.now() - shellStart));
});
askForPersistence();
registerServiceWorker({
  onOfflineReady: () => toast("Followthrough now works offline."),
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
