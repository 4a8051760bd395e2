// @ts-check
/// <reference lib="webworker" />
/**
 * Web Push in the service worker (loaded by sw.js with `importScripts`, so a classic script;
 * everything is inside one function, to leave no globals): a `push` shows the morning's
 * notification that a device of the user sealed for this one (web/static/js/push/). The browser
 * has already decrypted it; the payload is declarative Web Push's form, which iOS 18.4+ shows
 * without running this worker:
 *   {"web_push": 8030, "notification": {title, body, navigate, tag, lang}, "app_badge": n}
 * The tap (`data.url`) is handled with the digest's taps (sw/reminders.worker.js). The badge
 * shows the same count at the same moment.
 */
(() => {
  const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

  /** @param {PushEvent} event @returns {any} the payload, or null when it cannot be read */
  function payloadOf(event) {
    try {
      return event.data?.json() ?? null;
    } catch {
      return null;
    }
  }

  /** @param {number} count */
  async function setBadge(count) {
    const nav = /** @type {WorkerNavigator & {setAppBadge?: (n?: number) => Promise<void>}} */ (navigator);
    try {
      if (count > 0) await nav.setAppBadge?.(count);
    } catch {
      // No badge here (Android), or not allowed: the notification says it all.
    }
  }

  sw.addEventListener("push", (event) => {
    const payload = payloadOf(event);
    const note = payload?.web_push === 8030 ? payload.notification : null;
    // Every push must show a notification (Safari revokes the subscription otherwise); one we
    // cannot read still says where to look.
    const title = typeof note?.title === "string" ? note.title : "Followthrough";
    /** @type {NotificationOptions} */
    const options = {
      body: typeof note?.body === "string" ? note.body : "Open the app to see what is due today.",
      tag: typeof note?.tag === "string" ? note.tag : "followthrough-push",
      lang: typeof note?.lang === "string" ? note.lang : undefined,
      icon: "./icons/icon-192.png",
      badge: "./icons/icon-96.png",
      data: { url: typeof note?.navigate === "string" ? note.navigate : "./", push: true },
    };
    event.waitUntil(Promise.all([
      sw.registration.showNotification(title, options),
      setBadge(typeof payload?.app_badge === "number" ? payload.app_badge : 0),
    ]));
  });
})();
