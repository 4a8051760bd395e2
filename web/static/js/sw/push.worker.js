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
 *
 * One digest a morning on a device that has both push and periodic sync: both use the
 * schedule's one `tag`, and both remember the day in meta `digest-shown`. A push records today
 * there, so a later periodic sync shows nothing; a push after the periodic sync's digest replaces
 * that notification silently (same tag, `silent`), so the user is told once.
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

  const SHOWN_ID = "digest-shown";
  const KEEP_SHOWN = 40;

  /** @param {Date} date */
  function localDate(date) {
    const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  /**
   * Mark today as told in meta `digest-shown` (sw/reminders.worker.js reads it), and answer
   * whether it already was. No database (the app never opened here): not told.
   * @param {string} today @returns {Promise<boolean>}
   */
  function markTold(today) {
    return new Promise((resolve) => {
      const request = indexedDB.open("followthrough");
      request.onupgradeneeded = () => request.transaction?.abort();
      request.onerror = () => resolve(false);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("meta")) {
          db.close();
          resolve(false);
          return;
        }
        const tx = db.transaction(["meta"], "readwrite");
        const meta = tx.objectStore("meta");
        let told = false;
        const read = meta.get(SHOWN_ID);
        read.onsuccess = () => {
          const shown = read.result ?? { id: SHOWN_ID };
          /** @type {string[]} */
          const dates = Array.isArray(shown.dates) ? shown.dates : [];
          told = dates.includes(today);
          if (!told) meta.put({ ...shown, id: SHOWN_ID, dates: [...dates, today].slice(-KEEP_SHOWN) });
        };
        tx.oncomplete = () => { db.close(); resolve(told); };
        tx.onabort = () => { db.close(); resolve(told); };
      };
    });
  }

  /** @param {string} title @param {NotificationOptions} options @param {boolean} digest */
  async function showOnce(title, options, digest) {
    const told = digest ? await markTold(localDate(new Date())).catch(() => false) : false;
    await sw.registration.showNotification(title, { ...options, silent: told });
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
      showOnce(title, options, note !== null),
      setBadge(typeof payload?.app_badge === "number" ? payload.app_badge : 0),
    ]));
  });
})();
