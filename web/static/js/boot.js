// @ts-check
/**
 * The page's first script, a classic one run before the stylesheet and the modules: it starts
 * the engine's worker at once, so Pyodide boots while the page is still loading its own code
 * (about 100 ms sooner than from app.js). `Engine` (engine.js) adopts this worker, and the
 * messages it sent before that; without this script, `Engine` starts the worker itself.
 */
(() => {
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  // The worker's name carries flags (its own URL is the one the service worker answered with,
  // without a query):
  //  - "page-compiles": the page hands it the runtime's compiled WebAssembly (engine.js
  //    `provideRuntime`). Only once the app is installed (a service worker controls the page):
  //    a first visit has no compiled code to reuse, and compiling it all on the page's thread
  //    would make the first page janky.
  //  - "nosnapshot" (from "?nosnapshot", for benchmarks): boot plainly.
  const pageCompiles = Boolean(navigator.serviceWorker?.controller);
  const flags = [
    ...(pageCompiles ? ["page-compiles"] : []),
    ...(new URLSearchParams(location.search).has("nosnapshot") ? ["nosnapshot"] : []),
  ];
  const worker = new Worker(new URL("engine.worker.js", script.src), {
    type: "module",
    name: ["followthrough-engine", ...flags].join(" "),
  });
  /** @type {Event[]} */
  const early = [];
  worker.onmessage = (event) => early.push(event);
  worker.onerror = (event) => {
    event.preventDefault();
    early.push(event);
  };
  /** @type {any} */ (globalThis).followthroughWorker = { worker, early, pageCompiles };
})();
