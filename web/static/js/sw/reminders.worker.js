// @ts-check
/// <reference lib="webworker" />
/**
 * The morning digest, in the service worker (loaded by sw.js with `importScripts`, so a classic
 * script; everything is inside one function, to leave no globals).
 *
 * - `periodicsync` ("followthrough-digest"): shows today's entry of the schedule the engine
 *   worker keeps in IndexedDB (meta `schedule`, written after every change), once its time has
 *   passed, once a day (meta `digest-shown`, which also keeps when it last looked), and never
 *   when nothing is due. No Python runs:
 *   the words are the engine's. The app badge shows the same count at the same moment.
 * - `notificationclick`: the body (or "Open draft") opens the app, or focuses it, on the first
 *   item's draft. "Done" and "Snooze to tomorrow" act on that first item without opening a
 *   window: the command goes to the IndexedDB `inbox`, exactly as backend.command keeps one
 *   before the engine is up, and the engine worker replays it (now, if a window is open, or at
 *   the next boot), so it is written by the one writer and synced like any other. The stored
 *   schedule drops the item, the badge counts one fewer, and the rest of the digest is shown.
 * - Any other notification with `data.url` (a push: push/) opens the app there.
 */
(() => {
  const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
  const DB_NAME = "followthrough";
  const SYNC_TAG = "followthrough-digest";
  const SHOWN_ID = "digest-shown";
  const KEEP_SHOWN = 40;

  /**
   * One morning of the engine's `schedule` (docs/engine-api.md).
   * @typedef {{key: string, who: string, why: string, line: string, url: string}} Item
   * @typedef {{date: string, at: string, count: number, title: string, body: string, url: string,
   *   tag: string, snooze_until: string, items: Item[]}} Morning
   * @typedef {{title_one: string, title_other: string, more: string, join: string, top: number}} Words
   * @typedef {{id: "schedule", notifies: boolean, mornings: Morning[], words: Words}} Schedule
   */

  /** @param {Date} date */
  function localDate(date) {
    const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  /**
   * The app's database, or null when the app has never made it (this never creates it: the
   * page's migrations do).
   * @returns {Promise<IDBDatabase | null>}
   */
  function openDatabase() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME);
      request.onupgradeneeded = () => request.transaction?.abort();
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close();
        if (db.objectStoreNames.contains("meta") && db.objectStoreNames.contains("inbox")) resolve(db);
        else {
          db.close();
          resolve(null);
        }
      };
      request.onerror = () => (request.error?.name === "AbortError" ? resolve(null) : reject(request.error));
    });
  }

  /**
   * Run `work` in one transaction on `stores`; resolves with its result once it is on disk.
   * @template T
   * @param {IDBDatabase} db @param {string[]} stores @param {IDBTransactionMode} mode
   * @param {(tx: IDBTransaction) => Promise<T> | T} work
   * @returns {Promise<T>}
   */
  function inTransaction(db, stores, mode, work) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode, { durability: "strict" });
      /** @type {T} */
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onabort = () => reject(tx.error ?? new Error("The transaction was aborted."));
      Promise.resolve(work(tx)).then((value) => { result = value; }, (error) => { tx.abort(); reject(error); });
    });
  }

  /** @param {IDBObjectStore} store @param {IDBValidKey} key @returns {Promise<any>} a stored record */
  function read(store, key) {
    return new Promise((resolve, reject) => {
      const request = store.get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /** @param {number} count */
  async function setBadge(count) {
    const nav = /** @type {WorkerNavigator & {setAppBadge?: (n?: number) => Promise<void>, clearAppBadge?: () => Promise<void>}} */ (navigator);
    try {
      if (count > 0) await nav.setAppBadge?.(count);
      else await nav.clearAppBadge?.();
    } catch {
      // No badge on this platform (Android), or not allowed: the notification says it all.
    }
  }

  /** The actions a notification can carry here: two on Chromium, where tapping it opens the draft. */
  function actions() {
    const max = /** @type {{maxActions?: number}} */ (/** @type {unknown} */ (Notification)).maxActions ?? 0;
    const all = [
      { action: "done", title: "Done" },
      { action: "snooze", title: "Snooze to tomorrow" },
      { action: "open", title: "Open draft" },
    ];
    return all.slice(0, max);
  }

  /** @param {Morning} m */
  function show(m, { quietly = false } = {}) {
    /** @type {NotificationOptions & {actions?: unknown[], renotify?: boolean}} */
    const options = {
      body: m.body,
      tag: m.tag,
      icon: "./icons/icon-192.png",
      badge: "./icons/icon-96.png",
      data: { kind: "digest", date: m.date, url: m.url, snooze_until: m.snooze_until, items: m.items, count: m.count },
      actions: actions(),
      silent: quietly,
    };
    return sw.registration.showNotification(m.title, options);
  }

  /**
   * Today's digest, if its time has passed and it was not shown yet; the badge either way.
   * @param {Date} now
   */
  async function showDigest(now) {
    const db = await openDatabase();
    if (!db) return;
    try {
      const today = localDate(now);
      const [schedule, shown] = await inTransaction(db, ["meta"], "readonly", (tx) => {
        const meta = tx.objectStore("meta");
        return Promise.all([read(meta, "schedule"), read(meta, SHOWN_ID)]);
      });
      /** @type {string[]} */
      const dates = Array.isArray(shown?.dates) ? shown.dates : [];
      /** @type {Morning | null} */
      const entry = schedule?.notifies ? schedule.mornings.find((/** @type {Morning} */ m) => m.date === today) ?? null : null;
      const due = entry !== null && Date.parse(entry.at) <= now.getTime() && !dates.includes(today);
      if (schedule?.notifies && (due || entry === null)) {
        await setBadge(due ? /** @type {Morning} */ (entry).count : 0);
        if (due) await show(/** @type {Morning} */ (entry));
      }
      // Written once it is shown: only a digest shown is remembered (something due later
      // today is still told today), and when the worker last looked.
      const record = { id: SHOWN_ID, dates: due ? [...dates, today].slice(-KEEP_SHOWN) : dates, checked_at: now.toISOString() };
      await inTransaction(db, ["meta"], "readwrite", (tx) => { tx.objectStore("meta").put(record); });
    } finally {
      db.close();
    }
  }

  /**
   * The digest without the items the user settled: the count, and the words joined again as the
   * engine joins them (its `words`).
   * @param {Morning} m @param {Set<string>} gone @param {Words} words
   * @returns {Morning | null}
   */
  function without(m, gone, words) {
    const items = m.items.filter((i) => !gone.has(i.key));
    const count = m.count - (m.items.length - items.length);
    if (count <= 0 || items.length === 0) return null;
    const title = count === 1 ? words.title_one : words.title_other.replace("{count}", String(count));
    const shown = items.slice(0, words.top).map((i) => i.line);
    if (count > shown.length) shown.push(words.more.replace("{count}", String(count - shown.length)));
    return { ...m, count, title, body: shown.join(words.join), url: items[0].url, items };
  }

  /**
   * "Done" or "Snooze to tomorrow" on the digest's first item: the command into the inbox, the
   * item out of the stored schedule (from every morning when done; until it comes back when
   * snoozed), in one transaction. Answers today's digest as it now stands.
   * @param {"done" | "snooze"} action @param {{date: string, snooze_until: string, items: Item[]}} data
   * @returns {Promise<Morning | null>}
   */
  async function settle(action, data) {
    const item = data.items[0];
    const db = await openDatabase();
    if (!item || !db) return null;
    try {
      const now = new Date();
      const command = action === "done"
        ? { name: "mark_done", payload: { key: item.key } }
        : { name: "snooze", payload: { key: item.key, until: data.snooze_until } };
      const back = action === "done" ? Infinity : Date.parse(data.snooze_until);
      return await inTransaction(db, ["meta", "inbox"], "readwrite", async (tx) => {
        tx.objectStore("inbox").add({ id: crypto.randomUUID(), ...command, at: now.toISOString(), today: localDate(now) });
        const meta = tx.objectStore("meta");
        const schedule = /** @type {Schedule | undefined} */ (await read(meta, "schedule"));
        if (!schedule) return null;
        const gone = new Set([item.key]);
        const mornings = schedule.mornings
          .map((m) => (Date.parse(m.at) < back ? without(m, gone, schedule.words) : m))
          .filter((m) => m !== null);
        meta.put({ ...schedule, mornings });
        return mornings.find((m) => m.date === data.date) ?? null;
      });
    } finally {
      db.close();
    }
  }

  /** Open the app at `url`, or bring an open window there. @param {string} url */
  async function open(url) {
    const target = new URL(url, sw.registration.scope).href;
    const windows = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
    const client = windows[0];
    if (client) {
      await client.focus().catch(() => {});
      client.postMessage({ type: "open", url: target });
      return;
    }
    await sw.clients.openWindow(target);
  }

  /** Tell open windows that the inbox holds a command for the engine. */
  async function wakeClients() {
    for (const client of await sw.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      client.postMessage({ type: "inbox" });
    }
  }

  sw.addEventListener("periodicsync", (event) => {
    const sync = /** @type {ExtendableEvent & {tag: string}} */ (event);
    if (sync.tag === SYNC_TAG) sync.waitUntil(showDigest(new Date()));
  });

  sw.addEventListener("notificationclick", (event) => {
    const notification = event.notification;
    const data = notification.data ?? {};
    const action = event.action;
    if ((action === "done" || action === "snooze") && data.kind === "digest") {
      notification.close();
      event.waitUntil((async () => {
        const rest = await settle(action, data);
        await setBadge(rest?.count ?? 0);
        if (rest) await show(rest, { quietly: true });
        await wakeClients();
      })());
      return;
    }
    notification.close();
    if (typeof data.url === "string") event.waitUntil(open(data.url));
  });
})();
