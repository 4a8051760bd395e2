// @ts-check
/**
 * Web Push through the sync server, without it learning anything (docs/sync-protocol.md, "Web
 * Push"). This device subscribes with the server's VAPID key and lists its subscription (endpoint,
 * p256dh, auth, name, time zone) in the synced, end-to-end encrypted meta record `push_devices`
 * (engine ops `push_device`/`push_devices`). After every sync, any device re-seals the coming
 * mornings (engine op `schedule`) for every listed device with RFC 8291 (ece.js) and replaces
 * the server's pending messages: the server holds only endpoints, ciphertext and send times.
 *
 * For Settings: `pushSupport()`, `syncOn(ctx)`, `enablePush(ctx)` (call it from the user's tap: Safari asks for
 * permission only then), `disablePush(ctx)`, `resealMornings(ctx)`, `pushDevices(ctx)`.
 */
import { toBase64 } from "../crypto.js";
import { localDate } from "../dom.js";
import * as store from "../store.js";
import { startSync } from "../sync/index.js";
import { fromBase64Url, seal, toBase64Url } from "./ece.js";

/** Every sealed message is padded to this many bytes, so sizes say nothing of the contents. */
const PAD_TO = 2048;
const DAYS = 14;
/** An unchanged set of mornings is uploaded again only after this long. */
const REFRESH_MS = 6 * 3600_000;
const LOCAL_DEVICE_KEY = "followthrough-push-device";

/**
 * What push needs: the engine (ops), and the sync loop (the server, the session), optionally
 * the Backend (whose `send` tells the screens what changed).
 * @typedef {{engine: {call: (request: any) => Promise<any>}, sync?: import("../sync/loop.js").Sync,
 *   backend?: {send: (op: string, args?: Record<string, unknown>) => Promise<any>, deviceId?: () => Promise<string>}}} PushCtx
 * @typedef {{device: string, endpoint: string, p256dh: string, auth: string, name: string, zone: string, app: string}} PushDevice
 */

/** @type {{fingerprint: string, at: number}} what this tab last uploaded */
let last = { fingerprint: "", at: 0 };

/** @param {PushCtx} ctx */
const syncOf = (ctx) => ctx.sync ?? startSync(ctx.engine);

/** What this browser offers for Web Push, as facts (Settings says them in words). */
export async function pushSupport() {
  const push = typeof navigator !== "undefined" && "serviceWorker" in navigator && typeof PushManager === "function";
  const reg = push ? await navigator.serviceWorker.getRegistration().catch(() => undefined) : undefined;
  const subscription = await reg?.pushManager.getSubscription().catch(() => null);
  return {
    push,
    // Declarative Web Push (iOS/iPadOS 18.4+) shows our payloads without running the worker.
    declarative: typeof window !== "undefined" && "pushManager" in window,
    permission: typeof Notification === "function" ? Notification.permission : "denied",
    subscribed: Boolean(subscription),
  };
}

/** This device's id: the one reminders name quiet devices by, else one kept here. @param {PushCtx} ctx */
async function deviceId(ctx) {
  // store.js `deviceId` (meta `device`, never synced) comes with the reminders; the same id in
  // every context, with or without a Backend.
  const shared = /** @type {{deviceId?: () => Promise<string>}} */ (/** @type {unknown} */ (store)).deviceId;
  const known = await (shared ? shared() : ctx.backend?.deviceId?.())?.catch(() => null);
  if (known) return known;
  let id = localStorage.getItem(LOCAL_DEVICE_KEY);
  if (!id) {
    id = toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
    localStorage.setItem(LOCAL_DEVICE_KEY, id);
  }
  return id;
}

/** Whether sync is on here (a signed-in account): push needs it. @param {PushCtx} ctx */
export async function syncOn(ctx) {
  const found = await syncOf(ctx).store("readMeta", "account").catch(() => null);
  return Boolean(found && found.state === "ok");
}

/** The signed-in sync account, or an error saying what to do. @param {PushCtx} ctx */
async function account(ctx) {
  const found = await syncOf(ctx).store("readMeta", "account");
  if (!found || found.state !== "ok") throw new Error("Turn on sync first: reminders reach this device through the sync server.");
  return found;
}

/**
 * Ask the engine (with the shell's clock), through the Backend when there is one.
 * @param {PushCtx} ctx @param {string} op @param {Record<string, unknown>} args
 */
async function ask(ctx, op, args) {
  if (ctx.backend) return ctx.backend.send(op, args);
  const now = new Date();
  return ctx.engine.call({ ...args, op, now: now.toISOString(), today: localDate(now) });
}

/** @param {PushCtx} ctx @returns {Promise<PushDevice[]>} */
async function devices(ctx) {
  const record = await store.get("meta", "push_devices").catch(() => null);
  const answer = await ask(ctx, "push_devices", { record: record ?? null });
  return answer.ok ? answer.devices : [];
}

/**
 * List (or, with null, unlist) this device in the synced record; the engine worker writes and
 * stamps it, and sync carries it to the other devices.
 * @param {PushCtx} ctx @param {PushSubscription | null} subscription
 */
async function listThisDevice(ctx, subscription) {
  const record = await store.get("meta", "push_devices").catch(() => null);
  const entry = subscription && {
    endpoint: subscription.endpoint,
    p256dh: toBase64Url(/** @type {ArrayBuffer} */ (subscription.getKey("p256dh"))),
    auth: toBase64Url(/** @type {ArrayBuffer} */ (subscription.getKey("auth"))),
    name: deviceName(),
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    app: new URL("./", location.href).href,
  };
  const answer = await ask(ctx, "push_device", { record: record ?? null, device: await deviceId(ctx), subscription: entry });
  if (!answer.ok) throw new Error(answer.message);
}

function deviceName() {
  const platform = /** @type {{userAgentData?: {platform?: string}}} */ (navigator).userAgentData?.platform;
  return (platform || navigator.platform || "This device").slice(0, 60);
}

/**
 * Subscribe this device and list it; then seal its mornings. Call it from the user's tap.
 * @param {PushCtx} ctx
 */
export async function enablePush(ctx) {
  const sync = syncOf(ctx);
  const { server, token } = await account(ctx);
  const [{ public_key: key }, reg] = await Promise.all([
    sync.request(server, "GET", "push/key", {}),
    navigator.serviceWorker.ready,
  ]);
  const serverKey = fromBase64Url(key);
  let subscription = await reg.pushManager.getSubscription();
  const current = subscription?.options.applicationServerKey;
  if (subscription && (!current || toBase64Url(current) !== key)) {
    await subscription.unsubscribe(); // made with another server's key
    subscription = null;
  }
  subscription ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
  await sync.request(server, "POST", "push/subscription", { token, body: { endpoint: subscription.endpoint } });
  await listThisDevice(ctx, subscription);
  last = { fingerprint: "", at: 0 };
  return resealMornings(ctx);
}

/** Stop push on this device: unlisted everywhere, forgotten by the server. @param {PushCtx} ctx */
export async function disablePush(ctx) {
  const reg = await navigator.serviceWorker.getRegistration();
  const subscription = await reg?.pushManager.getSubscription();
  await listThisDevice(ctx, null);
  if (subscription) {
    const { server, token } = await account(ctx).catch(() => ({ server: null, token: null }));
    if (server) {
      await syncOf(ctx).request(server, "DELETE", "push/subscription", { token, body: { endpoint: subscription.endpoint } }).catch(() => {});
    }
    await subscription.unsubscribe().catch(() => false);
  }
  last = { fingerprint: "", at: 0 };
  return resealMornings(ctx).catch(() => ({ sealed: 0 }));
}

/**
 * The UTC offsets (minutes east) of `zone` on each of the coming days, as the `schedule` op
 * takes them; UTC when the zone is unknown here.
 * @param {string} zone @param {Date} now @param {number} days
 */
export function offsetsIn(zone, now, days) {
  const offsets = [];
  for (let i = 0; i <= days; i++) {
    const noon = new Date(now.getTime() + i * 86400_000);
    let minutes = 0;
    try {
      const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
        .formatToParts(noon).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
      const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
      if (match) minutes = (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
    } catch {
      minutes = 0;
    }
    offsets.push(minutes);
  }
  return offsets;
}

/** The date in `zone` (YYYY-MM-DD). @param {string} zone @param {Date} now */
function todayIn(zone, now) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/**
 * One morning as declarative Web Push's payload (iOS 18.4+ shows it as is; sw/push.worker.js
 * shows it elsewhere), with the app badge.
 * @param {import("../types.js").DigestMorningForPush} m @param {PushDevice} device
 */
export function payloadOf(m, device) {
  return {
    web_push: 8030,
    notification: { title: m.title, body: m.body, navigate: new URL(m.url, device.app).href, tag: m.tag, lang: "en" },
    app_badge: m.count,
  };
}

/** The re-seal under way in this tab: the next waits for it (see resealMornings). */
let resealing = Promise.resolve();

/**
 * Seal the coming mornings for every listed device and replace the server's pending messages.
 * Uploads only when something changed (or hours passed). Resolves with what was done. One at a
 * time in a tab: a sync's re-seal that starts while Settings' is uploading waits, then finds
 * nothing changed, so an older upload never lands after a newer one.
 * @param {PushCtx} ctx
 * @returns {Promise<{sealed: number, skipped?: string, stored?: number, unknown?: string[]}>}
 */
export function resealMornings(ctx) {
  // A re-seal stuck on the network holds the next one back for at most half a minute.
  const previous = Promise.race([resealing, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const next = previous.then(() => reseal(ctx));
  resealing = next.then(() => {}, () => {});
  return next;
}

/** @param {PushCtx} ctx */
async function reseal(ctx) {
  const sync = syncOf(ctx);
  const found = await sync.store("readMeta", "account");
  if (!found || found.state !== "ok") return { sealed: 0, skipped: "no-sync" };
  const listed = await devices(ctx);
  if (!listed.length) return { sealed: 0, skipped: "no-devices" };
  const now = new Date();
  /** @type {Array<{device: PushDevice, mornings: import("../types.js").DigestMorningForPush[]}>} */
  const plan = [];
  for (const device of listed) {
    const answer = await ask(ctx, "schedule", {
      today: todayIn(device.zone, now), days: DAYS, offsets: offsetsIn(device.zone, now, DAYS), device: device.device,
    });
    if (!answer.ok) {
      if (answer.error === "unknown-op") return { sealed: 0, skipped: "no-schedule" };
      continue;
    }
    const mornings = (answer.mornings ?? []).filter((/** @type {any} */ m) => Date.parse(m.at) > now.getTime() - 60_000);
    plan.push({ device, mornings });
  }
  const fingerprint = JSON.stringify(plan.map(({ device, mornings }) => [
    device.endpoint, device.p256dh, device.app,
    mornings.map((m) => [m.at, m.title, m.body, m.url, m.tag, m.count]),
  ]));
  if (fingerprint === last.fingerprint && now.getTime() - last.at < REFRESH_MS) return { sealed: 0, skipped: "unchanged" };
  const encoder = new TextEncoder();
  const messages = [];
  for (const { device, mornings } of plan) {
    const to = { p256dh: fromBase64Url(device.p256dh), auth: fromBase64Url(device.auth) };
    for (const m of mornings) {
      const body = await seal(encoder.encode(JSON.stringify(payloadOf(m, device))), to, { padTo: PAD_TO });
      messages.push({ endpoint: device.endpoint, send_at: m.at, blob: toBase64(body) });
    }
  }
  const answer = await sync.request(found.server, "PUT", "push/messages", { token: found.token, body: { messages } });
  last = { fingerprint, at: now.getTime() };
  const unknown = answer.unknown ?? [];
  await keepThisDeviceListed(ctx, found, listed, unknown).catch(() => {});
  return { sealed: messages.length, stored: answer.stored, unknown };
}

/**
 * This device's subscription as the browser has it now: when the browser replaced it, or the
 * server dropped it (the push service said it is gone), register the current one and list it
 * again; with no subscription left, unlist this device.
 * @param {PushCtx} ctx @param {{server: string, token: string}} found @param {PushDevice[]} listed
 * @param {string[]} unknown endpoints the server does not know
 */
async function keepThisDeviceListed(ctx, found, listed, unknown) {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  const id = await deviceId(ctx);
  const mine = listed.find((d) => d.device === id);
  if (!mine) return;
  const reg = await navigator.serviceWorker.getRegistration();
  const subscription = await reg?.pushManager.getSubscription();
  if (subscription && subscription.endpoint === mine.endpoint && !unknown.includes(mine.endpoint)) return;
  if (subscription) {
    await syncOf(ctx).request(found.server, "POST", "push/subscription", { token: found.token, body: { endpoint: subscription.endpoint } });
  }
  await listThisDevice(ctx, subscription ?? null);
  last = { fingerprint: "", at: 0 };
}

/**
 * The devices listed for push, for Settings ("which devices notify").
 * @param {PushCtx} ctx @returns {Promise<Array<PushDevice & {here: boolean}>>}
 */
export async function pushDevices(ctx) {
  const id = await deviceId(ctx);
  return (await devices(ctx)).map((d) => ({ ...d, here: d.device === id }));
}
