// @ts-check
/**
 * Test helper: run a built sw.js in Node against fake Cache Storage, fetch and clients, drive
 * its install, activate, fetch and message events, and print what it did as JSON.
 *
 *   node sw-harness.mjs DIST/sw.js
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";

const ORIGIN = "https://app.test";
const SCOPE = `${ORIGIN}/`;

class FakeRequest {
  /** @param {string | FakeRequest} input @param {{cache?: string, method?: string, mode?: string, integrity?: string}} [init] */
  constructor(input, init = {}) {
    this.url = typeof input === "string" ? new URL(input, `${ORIGIN}/sw.js`).href : input.url;
    this.method = init.method ?? "GET";
    this.mode = init.mode ?? "cors";
    this.cache = init.cache ?? "default";
    this.integrity = init.integrity ?? "";
  }
}

class FakeResponse {
  /** @param {string} body */
  constructor(body) {
    this.body = body;
    this.ok = true;
  }

  clone() {
    return new FakeResponse(this.body);
  }
}

class FakeCache {
  constructor() {
    /** @type {Map<string, FakeResponse>} */
    this.entries = new Map();
    /** @type {FakeRequest[]} */
    this.added = [];
    /** What was put, as the response it came from said. @type {Map<string, string>} */
    this.bodies = new Map();
  }

  /** @param {FakeRequest[]} requests */
  async addAll(requests) {
    for (const request of requests) {
      this.added.push(request);
      this.entries.set(request.url, new FakeResponse(`cached:${new URL(request.url).pathname}`));
    }
  }

  /** @param {string | FakeRequest} request @param {FakeResponse} response */
  async put(request, response) {
    const url = new URL(typeof request === "string" ? request : request.url, `${ORIGIN}/sw.js`);
    this.added.push(new FakeRequest(url.href));
    this.entries.set(url.href, new FakeResponse(`cached:${url.pathname}`));
    this.bodies.set(url.href, response.body);
  }

  /** @param {string | FakeRequest} request @param {{ignoreSearch?: boolean}} [options] */
  async match(request, options = {}) {
    const url = new URL(typeof request === "string" ? request : request.url, `${ORIGIN}/sw.js`);
    if (options.ignoreSearch) url.search = "";
    return this.entries.get(url.href);
  }
}

/**
 * @param {unknown} active the registration's active worker
 * @param {"this build" | "stale"} httpCache what the browser's HTTP cache holds: this build's
 *   bytes (what the page fetched), or another version's, which fail the integrity check
 */
function makeWorld(active, httpCache = "this build") {
  /** @type {Map<string, FakeCache>} */
  const stores = new Map();
  const calls = {
    skipWaiting: 0,
    claim: 0,
    fetched: /** @type {string[]} */ ([]),
    /** @type {{path: string, cache: string, integrity: string}[]} */
    requests: [],
  };
  /** @type {Record<string, Function[]>} */
  const handlers = {};
  const context = {
    URL,
    importScripts: () => {}, // the reminders script is tested in a browser (tests/e2e/test_reminders.py)
    console,
    Request: FakeRequest,
    Response: FakeResponse,
    location: new URL(`${ORIGIN}/sw.js`),
    caches: {
      open: async (/** @type {string} */ name) => {
        if (!stores.has(name)) stores.set(name, new FakeCache());
        return stores.get(name);
      },
      keys: async () => [...stores.keys()],
      delete: async (/** @type {string} */ name) => stores.delete(name),
    },
    fetch: async (/** @type {string | FakeRequest} */ input, /** @type {any} */ init) => {
      const request = typeof input === "string" ? new FakeRequest(input, init) : input;
      const path = new URL(request.url).pathname;
      calls.fetched.push(request.url);
      calls.requests.push({ path, cache: request.cache, integrity: request.integrity });
      if (request.cache === "force-cache" && request.integrity) {
        if (httpCache === "stale") throw new TypeError("Failed to fetch: integrity mismatch");
        return new FakeResponse(`http-cache:${path}`);
      }
      return new FakeResponse(`network:${path}`);
    },
    registration: { scope: SCOPE, active },
    clients: { claim: async () => void calls.claim++ },
    skipWaiting: async () => void calls.skipWaiting++,
    addEventListener: (/** @type {string} */ type, /** @type {Function} */ handler) => {
      (handlers[type] ??= []).push(handler);
    },
  };
  const sandbox = vm.createContext(context);
  sandbox.self = sandbox;
  vm.runInContext(readFileSync(process.argv[2], "utf8"), sandbox, { filename: "sw.js" });
  const [assets, version, integrity] = vm.runInContext("[ASSETS, VERSION, INTEGRITY]", sandbox);

  /** Dispatch an extendable event; resolve with the body it responded with, if it did. */
  async function dispatch(type, fields = {}) {
    /** @type {Promise<unknown>[]} */
    const pending = [];
    let responded;
    const event = {
      ...fields,
      waitUntil: (/** @type {Promise<unknown>} */ p) => pending.push(p),
      respondWith: (/** @type {Promise<unknown>} */ p) => {
        responded = Promise.resolve(p);
        pending.push(responded);
      },
    };
    for (const handler of handlers[type] ?? []) handler(event);
    await Promise.all(pending);
    return responded ? (await responded)?.body ?? null : "not intercepted";
  }
  return { stores, calls, dispatch, assets, version, integrity };
}

const report = {};

// First install: precache everything, each distinct file fetched once, from the HTTP cache
// when it holds this build's bytes; and take over at once.
{
  const world = makeWorld(null);
  await world.dispatch("install");
  const name = `followthrough-static-${world.version}`;
  const cache = world.stores.get(name);
  report.version = world.version;
  report.assets = world.assets;
  report.integrity = world.integrity;
  report.first_install = {
    caches: [...world.stores.keys()],
    added: cache ? cache.added.map((r) => new URL(r.url).pathname) : [],
    bodies: cache ? Object.fromEntries([...cache.bodies].map(([u, b]) => [new URL(u).pathname, b])) : {},
    requests: world.calls.requests,
    skip_waiting: world.calls.skipWaiting,
  };
}

// First install with another version's bytes in the HTTP cache: each from the network.
{
  const world = makeWorld(null, "stale");
  await world.dispatch("install");
  const cache = world.stores.get(`followthrough-static-${world.version}`);
  report.stale_install = {
    bodies: cache ? Object.fromEntries([...cache.bodies].map(([u, b]) => [new URL(u).pathname, b])) : {},
    requests: world.calls.requests,
  };
}

// Update: a worker is active, so the new one waits for the page's "skip-waiting".
{
  const world = makeWorld({ state: "activated" });
  await world.dispatch("install");
  report.update_install = { skip_waiting: world.calls.skipWaiting };
  await world.dispatch("message", { data: { type: "skip-waiting" }, ports: [] });
  report.update_after_message = { skip_waiting: world.calls.skipWaiting };
}

// Activate: only older followthrough-static-* caches go; the snapshots and others stay.
{
  const world = makeWorld(null);
  for (const name of ["followthrough-static-old", "followthrough-snapshots", "someone-else"]) {
    await world.stores.set(name, new FakeCache());
  }
  await world.dispatch("install");
  await world.dispatch("activate");
  report.activate = { caches: [...world.stores.keys()].sort(), claim: world.calls.claim };
}

// Fetch routing.
{
  const world = makeWorld(null);
  await world.dispatch("install");
  world.calls.fetched.length = 0; // the install's own downloads
  const get = (url, init = {}) => world.dispatch("fetch", { request: new FakeRequest(url, init) });
  report.fetch = {
    post: await get(`${ORIGIN}/static/js/app.js`, { method: "POST" }),
    cross_origin: await get("https://elsewhere.test/x.js"),
    api: await get(`${ORIGIN}/api/changes?after=3`),
    navigate_share: await get(`${ORIGIN}/share?title=Ann&text=hi`, { mode: "navigate" }),
    navigate_root: await get(`${ORIGIN}/?source=pwa`, { mode: "navigate" }),
    asset_with_query: await get(`${ORIGIN}/static/js/app.js?v=2`),
    wasm: await get(`${ORIGIN}/pyodide/pyodide.asm.wasm`),
    unknown: await get(`${ORIGIN}/nothing-here.txt`),
    fetched: world.calls.fetched.map((u) => new URL(u).pathname),
  };
}

// Navigation before anything is cached falls back to the network.
{
  const world = makeWorld(null);
  report.navigate_uncached = await world.dispatch("fetch", {
    request: new FakeRequest(`${ORIGIN}/share`, { mode: "navigate" }),
  });
}

// {type: "version"} is answered on a MessageChannel port, or to the sender.
{
  const world = makeWorld(null);
  const onPort = [];
  const toSource = [];
  await world.dispatch("message", {
    data: { type: "version" },
    ports: [{ postMessage: (m) => onPort.push(m) }],
  });
  await world.dispatch("message", {
    data: { type: "version" },
    ports: [],
    source: { postMessage: (m) => toSource.push(m) },
  });
  report.version_messages = { port: onPort, source: toSource };
}

console.log(JSON.stringify(report));
