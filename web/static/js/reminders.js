// @ts-check
/**
 * The morning digest from the page's side: what this browser can do (notifications, periodic
 * background sync, actions, a badge), keeping the service worker's periodic sync registered
 * while reminders are on and allowed, and the worker's messages (sw/reminders.worker.js): a
 * notification action left a command in the inbox ("inbox"), or a tap opens a deep link here
 * ("open"). What is due, and its words, come from the engine (op `schedule`).
 */

export const DIGEST_TAG = "followthrough-digest";
/** Chromium never runs a periodic sync more often than every 12 hours. */
const MIN_INTERVAL_MS = 12 * 3600_000;

/**
 * `registration.periodicSync`, which TypeScript's DOM types do not have yet.
 * @typedef {{register: (tag: string, options?: {minInterval?: number}) => Promise<void>,
 *   unregister: (tag: string) => Promise<void>, getTags: () => Promise<string[]>}} PeriodicSync
 */

/** @returns {Promise<ServiceWorkerRegistration | null>} */
async function registration() {
  if (!("serviceWorker" in navigator)) return null;
  return (await navigator.serviceWorker.getRegistration().catch(() => undefined)) ?? null;
}

/** @param {ServiceWorkerRegistration | null} reg @returns {PeriodicSync | null} */
function periodicSyncOf(reg) {
  return /** @type {{periodicSync?: PeriodicSync}} */ (/** @type {unknown} */ (reg))?.periodicSync ?? null;
}

/**
 * What this browser offers for reminders, as facts (the Settings section says them in words).
 * @returns {Promise<import("./screen-types.js").ReminderSupport>}
 */
export async function support() {
  const reg = await registration();
  const notifications = "Notification" in self;
  const periodic = periodicSyncOf(reg) !== null;
  /** @type {PermissionState | "unknown"} */
  let periodicPermission = "unknown";
  if (periodic) {
    const query = await navigator.permissions
      ?.query(/** @type {PermissionDescriptor} */ (/** @type {unknown} */ ({ name: "periodic-background-sync" })))
      .catch(() => null);
    periodicPermission = query?.state ?? "unknown";
  }
  const tags = periodic ? await periodicSyncOf(reg)?.getTags().catch(() => []) : [];
  return {
    notifications,
    permission: notifications ? Notification.permission : "denied",
    periodicSync: periodic,
    periodicPermission,
    registered: (tags ?? []).includes(DIGEST_TAG),
    actions: notifications ? (/** @type {{maxActions?: number}} */ (/** @type {unknown} */ (Notification)).maxActions ?? 0) : 0,
    badge: "setAppBadge" in navigator,
    installed: matchMedia("(display-mode: standalone)").matches || matchMedia("(display-mode: window-controls-overlay)").matches,
    push: "PushManager" in self,
  };
}

/**
 * Register the daily periodic sync while reminders are on for this device and notifications are
 * allowed; unregister it otherwise. Answers what happened.
 * @param {boolean} on
 * @returns {Promise<"registered" | "off" | "unsupported" | "not-allowed">}
 */
export async function keepDigestRegistered(on) {
  const periodic = periodicSyncOf(await registration());
  if (!periodic) return "unsupported";
  if (!on || !("Notification" in self) || Notification.permission !== "granted") {
    await periodic.unregister(DIGEST_TAG).catch(() => {});
    return "off";
  }
  try {
    // Refused unless the app is installed (Chromium grants periodic sync only then).
    await periodic.register(DIGEST_TAG, { minInterval: MIN_INTERVAL_MS });
    return "registered";
  } catch {
    return "not-allowed";
  }
}

/**
 * Whether the digest should be on for this device: the engine's answer for it.
 * @param {import("./backend.js").Backend} backend
 */
export async function notifiesHere(backend) {
  const answer = await backend.send("schedule", { days: 1, device: await backend.deviceId() });
  return answer.ok && Boolean(/** @type {{notifies?: boolean}} */ (answer).notifies);
}

/**
 * Act on the service worker's messages: replay the inbox when an action left a command in it,
 * and follow a notification's deep link.
 * @param {import("./engine.js").Engine} engine
 */
export function listenToServiceWorker(engine) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    const type = event.data?.type;
    if (type === "inbox") engine.call({ op: "inbox" });
    else if (type === "open" && typeof event.data.url === "string") {
      const url = new URL(event.data.url, location.href);
      if (url.origin === location.origin) location.hash = url.hash;
    }
  });
}
