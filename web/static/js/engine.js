// @ts-check
/**
 * The page's proxy to the engine worker: `call(request) -> Promise<response>` with request ids,
 * and the worker's news as events: `stage` (boot progress), `changed` (records the worker
 * saved without being asked by this page: a replayed inbox, another tab's change) and
 * `refused` (inbox entries the engine refused). Calls made before the engine is ready wait in
 * the worker's queue.
 */

/** @typedef {import("./types.js").Stage} Stage */

/**
 * The worker boot.js started, with the events it received before the page's code loaded; or,
 * on a page opened without boot.js, a worker without boot.js's flags, which compiles its
 * WebAssembly itself and boots from the snapshot when there is one.
 * @returns {{worker: Worker, early: Event[], pageCompiles: boolean}}
 */
function adoptWorker() {
  const boot = /** @type {{followthroughWorker?: {worker: Worker, early: Event[], pageCompiles: boolean}}} */ (globalThis);
  const started = boot.followthroughWorker;
  if (started) {
    delete boot.followthroughWorker;
    return started;
  }
  const url = new URL("./engine.worker.js", import.meta.url);
  return { worker: new Worker(url, { type: "module", name: "followthrough-engine" }), early: [], pageCompiles: false };
}

export class Engine extends EventTarget {
  constructor() {
    super();
    const { worker, early, pageCompiles } = adoptWorker();
    this.worker = worker;
    /** Whether the worker waits for `provideRuntime`. */
    this.pageCompiles = pageCompiles;
    /** @type {Map<number, (response: import("./types.js").Answer) => void>} */
    this.pending = new Map();
    this.nextId = 1;
    this.dead = false;
    /** @type {Stage} */
    this.stage = { stage: "starting" };
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail();
    };
    // What the worker said before the page's code loaded is heard once the page's code has
    // subscribed, after the module that made this engine has run.
    if (early.length) {
      queueMicrotask(() => {
        for (const event of early) {
          if (event instanceof MessageEvent) this.receive(event.data);
          else this.fail();
        }
      });
    }
  }

  /** @param {import("./types.js").WorkerMessage} message */
  receive(message) {
    if (message.type === "stage") {
      this.stage = message;
      this.dispatchEvent(new CustomEvent("stage", { detail: message }));
    } else if (message.type === "response") {
      this.pending.get(message.id)?.(message.response);
      this.pending.delete(message.id);
    } else if (message.type === "changed") {
      this.dispatchEvent(new CustomEvent("changed", { detail: { stores: message.stores, source: message.source } }));
    } else if (message.type === "progress") {
      this.dispatchEvent(new CustomEvent("progress", { detail: message }));
    } else if (message.type === "refused") {
      this.dispatchEvent(new CustomEvent("refused", { detail: message.entries }));
    }
  }

  /** The worker itself failed (it could not load, say): every caller gets an answer. */
  fail() {
    /** The worker itself is gone: nothing can be asked of it. */
    this.dead = true;
    this.stage = {
      stage: "failed",
      message: "The follow-up engine could not start in this browser. Your captures are still saved.",
    };
    this.dispatchEvent(new CustomEvent("stage", { detail: this.stage }));
    for (const resolve of this.pending.values()) {
      resolve({ ok: false, error: "engine-unavailable", message: this.stage.message });
    }
    this.pending.clear();
  }

  /**
   * Compile the runtime's WebAssembly here and hand it to the worker, which waits for it.
   * Chrome reuses compiled WebAssembly (its code cache) in pages but not in workers: compiled
   * here, a warm boot is about 130 ms sooner (bench/bench_boot.py). It is main-thread work, so
   * the page calls this once the shell is usable; it does nothing on a first visit (boot.js).
   */
  provideRuntime() {
    if (!this.pageCompiles) return;
    const url = new URL("../../pyodide/pyodide.asm.wasm", import.meta.url);
    WebAssembly.compileStreaming(fetch(url)).then(
      (module) => this.worker.postMessage({ type: "wasm-module", module }),
      // The worker then fetches and compiles it itself.
      () => this.worker.postMessage({ type: "wasm-module", module: null }),
    );
  }

  get ready() {
    return this.stage.stage === "ready";
  }

  /**
   * Send one request; resolves with the engine's response (never rejects).
   * @param {Record<string, unknown>} request
   * @returns {Promise<import("./types.js").Answer>}
   */
  call(request) {
    // A worker whose engine failed to boot still runs sync's bookkeeping (it needs no engine).
    if (this.stage.stage === "failed" && (this.dead || request.op !== "sync_store")) {
      return Promise.resolve({ ok: false, error: "engine-unavailable", message: this.stage.message });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, request });
    });
  }
}
