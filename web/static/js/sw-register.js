// @ts-check
/**
 * The service worker from the page's side: register it, say when the app is ready offline,
 * and offer a waiting new version as "Update", which takes over only once no edit is in flight
 * (the squoosh pattern).
 */

/**
 * @param {{onOfflineReady: () => void, onUpdateAvailable: (apply: () => Promise<void>) => void, whenIdle: () => Promise<void>}} hooks
 */
export async function registerServiceWorker({ onOfflineReady, onUpdateAvailable, whenIdle }) {
  if (!("serviceWorker" in navigator)) return;
  const firstInstall = !navigator.serviceWorker.controller;
  let registration;
  try {
    registration = await navigator.serviceWorker.register("./sw.js", { scope: "./" });
  } catch (error) {
    console.warn("Service worker registration failed:", error);
    return;
  }

  /** @param {ServiceWorker} waiting */
  const offer = (waiting) => {
    onUpdateAvailable(async () => {
      // Never swap the code under an edit that is still being written.
      await whenIdle();
      let reloaded = false;
      navigator.serviceWorker.addEventListener("controllerchange", () => {
        if (reloaded) return;
        reloaded = true;
        location.reload();
      });
      waiting.postMessage({ type: "skip-waiting" });
    });
  };

  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const installing = registration.installing;
    if (!installing) return;
    installing.addEventListener("statechange", () => {
      if (installing.state !== "installed") return;
      if (navigator.serviceWorker.controller) offer(installing);
      else if (firstInstall) onOfflineReady();
    });
  });
  if (firstInstall) {
    navigator.serviceWorker.ready.then(() => onOfflineReady());
  }
}
