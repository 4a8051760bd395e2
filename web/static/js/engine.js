// @ts-check
/**
 * The page's proxy to the engine worker: `call(request) -> Promise<response>` with request ids,
 * and boot progress as events. Calls made before the engine is ready wait in the worker's queue.
 */

/** @typedef {{stage: string, boot?: string, message?: string, ready_ms?: number, runtime_ms?: number, engine_ms?: number}} Stage */

export class Engine extends EventTarget {
  constructor() {
    super();
    const url = new URL("./engine.worker.js", import.meta.url);
    if (new URLSearchParams(location.search).has("nosnapshot")) url.searchParams.set("nosnapshot", "1");
    this.worker = new Worker(url, { type: "module", name: "followthrough-engine" });
    /** @type {Map<number, (response: any) => void>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {Stage} */
    this.stage = { stage: "starting" };
    this.worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "stage") {
        this.stage = message;
        this.dispatchEvent(new CustomEvent("stage", { detail: message }));
      } else if (message.type === "response") {
        this.pending.get(message.id)?.(message.response);
        this.pending.delete(message.id);
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.stage = {
        stage: "failed",
        message: "The follow-up engine could not start in this browser. Your captures are still saved.",
      };
      this.dispatchEvent(new CustomEvent("stage", { detail: this.stage }));
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, error: "engine-unavailable", message: this.stage.message });
      }
      this.pending.clear();
    };
  }

  get ready() {
    return this.stage.stage === "ready";
  }

  /**
   * Send one request; resolves with the engine's response (never rejects).
   * @param {Record<string, unknown>} request
   * @returns {Promise<any>}
   */
  call(request) {
    if (this.stage.stage === "failed") {
      return Promise.resolve({ ok: false, error: "engine-unavailable", message: this.stage.message });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, request });
    });
  }
}
