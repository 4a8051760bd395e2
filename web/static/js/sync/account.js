// @ts-check
/**
 * The account flows: turn sync on (with a recovery kit), pair another device, sign in again,
 * change the passphrase, recover with the kit, show the kit again, sign out. Keys come from
 * crypto.js; what is kept on this device is written by the engine worker (`sync.store`).
 */
import * as cc from "../crypto.js";
import { checkKdfCost, checkKeyList } from "./bounds.js";
import { SyncError } from "./errors.js";

/** @typedef {import("./loop.js").Sync} Sync */

/** The default server: this origin's /api/. */
export function defaultServer() {
  return new URL("api/", location.href).href;
}

/** @param {string} server */
function normaliseServer(server) {
  const url = new URL(server.trim() || defaultServer(), location.href);
  if (!/^https?:$/.test(url.protocol)) throw new SyncError("bad-server", "The server address should start with https://.");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/**
 * The pairing text a second device needs: a link into this app that pre-fills the pairing form.
 * @param {{account_id: string, server: string}} account
 */
export async function pairingLink(account) {
  const code = await cc.toCode(cc.fromHex(account.account_id));
  const link = new URL(location.href);
  link.search = "";
  link.hash = `sync/pair/${encodeURIComponent(code)}/${encodeURIComponent(account.server)}`;
  return { code, link: link.href };
}

/**
 * Turn sync on: a new account, its keys, and a recovery kit to show once.
 * @param {Sync} sync
 * @param {{server?: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function setup(sync, { server = defaultServer(), passphrase, onStage = () => {} }) {
  const base = normaliseServer(server);
  const accountId = cc.randomBytes(16);
  const kdf = cc.newKdf();
  onStage("deriving");
  const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf);
  onStage("keys");
  const keys = await cc.newDataKey(kek, accountId, 1);
  onStage("server");
  const answer = await sync.request(base, "POST", "account", {
    body: {
      account_id: cc.toHex(accountId), kdf, auth_key: cc.toBase64(authKey),
      recovery_auth_key: cc.toBase64(keys.recoveryAuthKey),
      keys: [{ key_id: 1, wrapped_dek: cc.toBase64(keys.wrapped), recovery_wrapped_dek: cc.toBase64(keys.recoveryWrapped) }],
    },
  });
  const sealed = await cc.sealLocal(keys.dek, keys.recoveryKey, accountId);
  await saveAccount(sync, {
    server: base, account_id: cc.toHex(accountId), token: answer.token, key_epoch: answer.account.key_epoch,
    deks: [{ key_id: 1, key: keys.dek }], recovery_sealed: sealed,
  }, answer.account.log_id);
  const kit = await cc.toCode(keys.recoveryKey);
  keys.recoveryKey.fill(0);
  onStage("syncing");
  sync.syncNow({ reason: "setup" }).catch(() => {});
  return { recoveryKit: kit, ...(await pairingLink({ account_id: cc.toHex(accountId), server: base })) };
}

/**
 * Join an account from another device: the pairing code, the server and the passphrase.
 * @param {Sync} sync
 * @param {{server?: string, code: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function pair(sync, { server = defaultServer(), code, passphrase, onStage = () => {} }) {
  const base = normaliseServer(server);
  let accountId;
  try {
    accountId = await cc.fromCode(code, 16);
  } catch (error) {
    throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
  }
  const previous = await sync.store("readMeta", "account");
  // A device re-pairing with its own account shows its session (a stale one counts).
  const session = previous?.account_id === cc.toHex(accountId) && previous.server === base ? previous.token : null;
  const login = await logIn(sync, base, accountId, passphrase, onStage, session);
  // heads (#19): the server's key list must keep the keys this device holds (and name one).
  checkKeyList(login.deks, previous?.account_id === cc.toHex(accountId) ? (previous.deks ?? []).map((/** @type {any} */ k) => k.key_id) : []);
  await saveAccount(sync, { server: base, ...login, recovery_sealed: null }, login.log_id);
  onStage("syncing");
  return sync.syncNow({ reason: "pair" });
}

/**
 * Sign in again after "passphrase changed on another device" or a sign-out; the outbox and
 * the cursor are kept.
 * @param {Sync} sync @param {string} passphrase @param {{onStage?: (stage: string) => void}} [options]
 */
export async function unlock(sync, passphrase, { onStage = () => {} } = {}) {
  const account = await sync.store("readMeta", "account");
  if (!account) throw new SyncError("not-set-up");
  const login = await logIn(sync, account.server, cc.fromHex(account.account_id), passphrase, onStage, account.token);
  // heads (#19): a key list that drops a key this device holds is refused, not saved.
  checkKeyList(login.deks, (account.deks ?? []).map((/** @type {any} */ k) => k.key_id));
  const { log_id: _, ...fields } = login;
  await sync.store("updateMeta", "account", { ...fields, state: "ok" });
  sync.error = null;
  sync.channel?.postMessage({ type: "account" });
  await sync.withLock(() => retryRejects(sync));
  return sync.syncNow({ reason: "unlock" });
}

/**
 * KDF parameters (checked), the 600,000-iteration derivation, a session, and the data keys.
 * `session` is this device's token of the account (even one made stale by a passphrase change
 * elsewhere): sent as `Authorization: Bearer`, the server does not count this log-in against the
 * account, so strangers' wrong guesses never lock a signed-in device out (sync-protocol §4.4).
 * @param {Sync} sync @param {string} base @param {Uint8Array<ArrayBuffer>} accountId @param {string} passphrase
 * @param {(stage: string) => void} onStage @param {string | null} [session]
 */
async function logIn(sync, base, accountId, passphrase, onStage, session = null) {
  const id = cc.toHex(accountId);
  const { kdf } = await sync.request(base, "GET", `account/${id}/kdf`);
  try {
    cc.checkKdf(kdf);
  } catch {
    throw new SyncError("weak-kdf");
  }
  checkKdfCost(kdf); // heads (#19): a huge round count would freeze the device
  onStage("deriving");
  const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf);
  onStage("server");
  const answer = await sync.request(base, "POST", "session", { token: session, body: { account_id: id, auth_key: cc.toBase64(authKey) } });
  const deks = [];
  for (const entry of answer.account.keys) {
    try {
      deks.push({ key_id: entry.key_id, key: await cc.unwrapDataKey(cc.fromBase64(entry.wrapped_dek), kek, accountId, entry.key_id) });
    } catch {
      // The server accepted this passphrase, so the key it sent is what is wrong.
      throw new SyncError("tampered", "The sync server accepted the passphrase but sent a key that does not open with it. Nothing was changed on this device.");
    }
  }
  return { account_id: id, token: answer.token, key_epoch: answer.account.key_epoch, deks, log_id: answer.account.log_id };
}

/**
 * @param {Sync} sync @param {Record<string, any>} fields @param {string | null} logId
 */
async function saveAccount(sync, fields, logId) {
  const { log_id: _, ...rest } = fields;
  const previous = await sync.store("readMeta", "account");
  const cursor = await sync.store("readMeta", "cursor");
  const same = previous?.account_id === fields.account_id;
  await sync.store("updateMeta", "account", { ...rest, state: "ok", created_at: new Date().toISOString() });
  if (!same || !cursor) {
    // A new account: read its whole log and send every local record (nothing is deleted).
    await sync.store("resetCursor", logId);
  }
  sync.error = null;
  await sync.store("updateMeta", "status", { error: null });
  sync.channel?.postMessage({ type: "account" });
  sync.emit();
}

/**
 * Change the passphrase on this (unlocked) device: the same data key, re-wrapped; other
 * devices are asked for the new passphrase and keep their unsent changes.
 * @param {Sync} sync
 * @param {{current: string, next: string, onStage?: (stage: string) => void}} options
 */
export async function changePassphrase(sync, { current, next, onStage = () => {} }) {
  const account = await sync.store("readMeta", "account");
  if (!account || account.state !== "ok") throw new SyncError("not-set-up");
  const accountId = cc.fromHex(account.account_id);
  const { account: server } = await sync.request(account.server, "GET", "account", { token: account.token });
  try {
    cc.checkKdf(server.kdf);
  } catch {
    throw new SyncError("weak-kdf");
  }
  onStage("deriving");
  const old = await cc.deriveLoginKeys(current, accountId, server.kdf);
  const kdf = cc.newKdf();
  const fresh = await cc.deriveLoginKeys(next, accountId, kdf);
  const keys = [];
  for (const entry of server.keys) {
    try {
      keys.push({ key_id: entry.key_id, wrapped_dek: cc.toBase64(await cc.rewrapDataKey(cc.fromBase64(entry.wrapped_dek), old.kek, fresh.kek, accountId, entry.key_id)) });
    } catch {
      throw new SyncError("wrong-passphrase");
    }
  }
  onStage("server");
  let answer;
  try {
    answer = await sync.request(account.server, "POST", "passphrase", {
      token: account.token,
      body: {
        account_id: account.account_id, auth_key: cc.toBase64(old.authKey), expected_key_epoch: server.key_epoch,
        kdf, new_auth_key: cc.toBase64(fresh.authKey), keys,
      },
    });
  } catch (error) {
    if (error instanceof SyncError && error.code === "bad-credentials") throw new SyncError("wrong-passphrase");
    throw error;
  }
  await sync.store("updateMeta", "account", { token: answer.token, key_epoch: answer.account.key_epoch, state: "ok" });
  return answer.account.key_epoch;
}

/**
 * A forgotten passphrase: the recovery kit opens the data key, and a new passphrase is set
 * (compare-and-swap, like a change). Other devices are then asked for the new passphrase.
 * @param {Sync} sync
 * @param {{server?: string, code: string, kit: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function recover(sync, { server = defaultServer(), code, kit, passphrase, onStage = () => {} }) {
  const base = normaliseServer(server);
  let accountId;
  let recoveryKey;
  try {
    accountId = await cc.fromCode(code, 16);
    recoveryKey = await cc.fromCode(kit, 32);
  } catch (error) {
    throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
  }
  const id = cc.toHex(accountId);
  onStage("keys");
  const { recoveryAuthKey, rkKek } = await cc.deriveRecoveryKeys(recoveryKey, accountId);
  onStage("server");
  let found;
  try {
    found = await sync.request(base, "POST", "recovery", { body: { account_id: id, recovery_auth_key: cc.toBase64(recoveryAuthKey) } });
  } catch (error) {
    if (error instanceof SyncError && error.code === "bad-credentials") {
      throw new SyncError("bad-credentials", "That recovery kit does not open this account. Check the kit and the pairing code.");
    }
    throw error;
  }
  onStage("deriving");
  const kdf = cc.newKdf();
  const fresh = await cc.deriveLoginKeys(passphrase, accountId, kdf);
  const keys = [];
  for (const entry of found.account.keys) {
    try {
      keys.push({ key_id: entry.key_id, wrapped_dek: cc.toBase64(await cc.rewrapDataKey(cc.fromBase64(entry.recovery_wrapped_dek), rkKek, fresh.kek, accountId, entry.key_id)) });
    } catch {
      throw new SyncError("tampered", "The sync server accepted the recovery kit but sent a key it does not open. Nothing was changed.");
    }
  }
  onStage("server");
  const answer = await sync.request(base, "POST", "passphrase", {
    body: {
      account_id: id, recovery_auth_key: cc.toBase64(recoveryAuthKey), expected_key_epoch: found.account.key_epoch,
      kdf, new_auth_key: cc.toBase64(fresh.authKey), keys,
    },
  });
  const deks = [];
  for (const entry of keys) {
    deks.push({ key_id: entry.key_id, key: await cc.unwrapDataKey(cc.fromBase64(entry.wrapped_dek), fresh.kek, accountId, entry.key_id) });
  }
  const sealed = await cc.sealLocal(deks[0].key, recoveryKey, accountId);
  recoveryKey.fill(0);
  await saveAccount(sync, {
    server: base, account_id: id, token: answer.token, key_epoch: answer.account.key_epoch, deks, recovery_sealed: sealed,
  }, answer.account.log_id);
  await sync.withLock(() => retryRejects(sync));
  onStage("syncing");
  return sync.syncNow({ reason: "recover" });
}

/** The recovery kit again (only on the device that made it, unlocked). @param {Sync} sync */
export async function recoveryKit(sync) {
  const account = await sync.store("readMeta", "account");
  if (!account?.recovery_sealed) return null;
  const keys = await sync.keysOf(account);
  const secret = await cc.openLocal(keys.deks.get(1) ?? keys.dek, account.recovery_sealed, keys.accountId);
  const code = await cc.toCode(secret);
  secret.fill(0);
  return code;
}

/** Sign this device out of sync; its data and unsent changes stay. @param {Sync} sync */
export async function signOut(sync) {
  const account = await sync.store("readMeta", "account");
  if (!account) return;
  if (account.token) {
    await sync.request(account.server, "DELETE", "session", { token: account.token }).catch(() => {});
  }
  await sync.store("forgetAccount");
  sync.error = null;
  sync.channel?.postMessage({ type: "account" });
  sync.emit();
}

/**
 * Records set aside (unknown key, damaged) are tried again: after a key change, and when the
 * user asks on the Sync screen. Those that now open are merged and dropped from the list; the
 * others stay. Resolves with how many were read.
 * @param {Sync} sync
 */
export async function retryRejects(sync) {
  const account = await sync.store("readMeta", "account");
  if (!account || account.state !== "ok") return 0;
  const rejects = await sync.store("readRejects");
  if (!rejects.length) return 0;
  const keys = await sync.keysOf(account);
  const sealed = rejects.filter((/** @type {any} */ r) => r.envelope);
  const page = await sync.decryptPage(sealed.map((/** @type {any} */ r) => ({ seq: r.seq, record_id: r.key, envelope: r.envelope })), keys);
  // States the engine could not read before (an older app): merged again as they were.
  const opened = rejects.filter((/** @type {any} */ r) => r.states)
    .flatMap((/** @type {any} */ r) => r.states.map((/** @type {any} */ state) => ({ seq: r.seq, key: r.key, state })));
  const ok = [...page.ok, ...opened];
  if (!ok.length) return 0;
  const cursor = (await sync.store("readMeta", "cursor")) ?? { id: "cursor", since: 0, log_id: null };
  const applied = await sync.applyPage({ ok, rejected: [] }, cursor);
  // Still unreadable: not opened again, or refused by the engine again (then set aside anew,
  // by its record's key, with its opened state).
  const stillBad = new Set([...page.rejected.map((r) => r.key), ...(applied.rejected ?? [])]);
  await sync.store("dropRejects", rejects.filter((/** @type {any} */ r) => !stillBad.has(r.key)).map((/** @type {any} */ r) => r.key));
  return new Set(ok.map((r) => r.key).filter((key) => !stillBad.has(key))).size;
}
