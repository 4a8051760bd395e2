// @ts-check
/**
 * The account flows: turn sync on (with a recovery kit), pair another device, sign in again,
 * change the passphrase, recover with the kit, show the kit again, sign out. Keys come from
 * crypto.js; what is kept on this device is written by the engine worker (`sync.store`).
 */
import * as cc from "../crypto.js";
import { checkKdfCost, checkKeyList } from "./bounds.js";
import { SyncError } from "./errors.js";
import { kitCode, pairingLink, readKit, readPairingCode, refuseWeak } from "./codes.js";

export { pairingCode, pairingLink, readPairingCode, refuseWeak } from "./codes.js";

/** @typedef {import("./loop.js").Sync} Sync */

/**
 * The default server: the one the build names (`build.py --sync-server`, for a sync server on
 * its own origin, which the page's CSP allows), or else this origin's /api/.
 */
export function defaultServer() {
  const named = document.querySelector('meta[name="followthrough-sync-server"]')?.getAttribute("content");
  return new URL(named || "api/", location.href).href;
}

/** @param {string} server */
function normaliseServer(server) {
  const url = new URL(server.trim() || defaultServer(), location.href);
  if (!/^https?:$/.test(url.protocol)) throw new SyncError("bad-server", "The server address should start with https://.");
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/**
 * Turn sync on: a new account, its keys, and a recovery kit to show once.
 * @param {Sync} sync
 * @param {{server?: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function setup(sync, { server = defaultServer(), passphrase, onStage = () => {} }) {
  refuseWeak(passphrase);
  const base = normaliseServer(server);
  const accountId = cc.randomBytes(16);
  const secretKey = cc.randomBytes(cc.SECRET_KEY_BYTES);
  const kdf = cc.newKdf();
  onStage("deriving");
  const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf, cc.LABEL, secretKey);
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
  const secret = cc.toHex(secretKey);
  await saveAccount(sync, {
    server: base, account_id: cc.toHex(accountId), token: answer.token, key_epoch: answer.account.key_epoch,
    deks: [{ key_id: 1, key: keys.dek }], recovery_sealed: sealed, secret_key: secret,
  }, answer.account.log_id);
  const kit = await kitCode(keys.recoveryKey, secret);
  keys.recoveryKey.fill(0);
  onStage("syncing");
  sync.syncNow({ reason: "setup" }).catch(() => {});
  return { recoveryKit: kit, ...(await pairingLink({ account_id: cc.toHex(accountId), server: base, secret_key: secret })) };
}

/**
 * Join an account from another device: the pairing code, the server and the passphrase.
 * @param {Sync} sync
 * @param {{server?: string, code: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function pair(sync, { server = defaultServer(), code, passphrase, onStage = () => {} }) {
  const base = normaliseServer(server);
  const { accountId, secretKey } = await readPairingCode(code);
  const previous = await sync.store("readMeta", "account");
  const same = previous?.account_id === cc.toHex(accountId) && previous.server === base;
  // A device re-pairing with its own account shows its session (a stale one counts).
  const session = same ? previous.token : null;
  const known = secretKey ?? (same && previous.secret_key ? cc.fromHex(previous.secret_key) : null);
  let login = await logIn(sync, base, accountId, passphrase, onStage, session, known);
  // heads (#19): the server's key list must keep the keys this device holds (and name one).
  checkKeyList(login.saved.deks, same ? (previous.deks ?? []).map((/** @type {any} */ k) => k.key_id) : []);
  if (!known) login = await upgrade(sync, base, accountId, passphrase, login, onStage);
  await saveAccount(sync, { server: base, ...login.saved, recovery_sealed: null }, login.logId);
  onStage("syncing");
  return sync.syncNow({ reason: "pair" });
}

/**
 * Sign in again after "passphrase changed on another device" or a sign-out; the outbox and
 * the cursor are kept.
 * `code` is the pairing code, asked for when this device lacks the account's secret key.
 * @param {Sync} sync @param {string} passphrase @param {{onStage?: (stage: string) => void, code?: string}} [options]
 */
export async function unlock(sync, passphrase, { onStage = () => {}, code = "" } = {}) {
  const account = await sync.store("readMeta", "account");
  if (!account) throw new SyncError("not-set-up");
  const accountId = cc.fromHex(account.account_id);
  let secretKey = account.secret_key ? cc.fromHex(account.secret_key) : null;
  if (code.trim()) {
    const typed = await readPairingCode(code);
    if (cc.toHex(typed.accountId) !== account.account_id) {
      throw new SyncError("bad-code", "That pairing code is for another account.");
    }
    secretKey = typed.secretKey ?? secretKey;
  }
  let login = await logIn(sync, account.server, accountId, passphrase, onStage, account.token, secretKey);
  // heads (#19): a key list that drops a key this device holds is refused, not saved.
  checkKeyList(login.saved.deks, (account.deks ?? []).map((/** @type {any} */ k) => k.key_id));
  if (!secretKey) login = await upgrade(sync, account.server, accountId, passphrase, login, onStage);
  await sync.store("updateMeta", "account", { ...login.saved, state: "ok" });
  // The account got its secret key (here or on another device): send every record again under
  // its keyed id, which the server cannot compute.
  if (!account.secret_key && login.saved.secret_key) await sync.store("requeueAll");
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
 * `secretKey` is the account's secret key when this device knows it: a version-2 account needs
 * it, and a server that answers "version 1" to a device holding one is refused (a downgrade
 * would hand it a verifier it could test passphrase guesses against).
 * @param {Sync} sync @param {string} base @param {Uint8Array<ArrayBuffer>} accountId @param {string} passphrase
 * @param {(stage: string) => void} onStage @param {string | null} [session]
 * @param {Uint8Array<ArrayBuffer> | null} [secretKey]
 */
async function logIn(sync, base, accountId, passphrase, onStage, session = null, secretKey = null) {
  const id = cc.toHex(accountId);
  const { kdf } = await sync.request(base, "GET", `account/${id}/kdf`);
  try {
    cc.checkKdf(kdf);
  } catch {
    throw new SyncError("weak-kdf");
  }
  if (kdf.v === 2 && !secretKey) throw new SyncError("need-secret-key");
  if (kdf.v !== 2 && secretKey) throw new SyncError("downgrade");
  checkKdfCost(kdf); // heads (#19): a huge round count would freeze the device
  onStage("deriving");
  const { authKey, kek } = await cc.deriveLoginKeys(passphrase, accountId, kdf, cc.LABEL, secretKey);
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
  return {
    /** What this device keeps. */
    saved: {
      account_id: id, token: answer.token, key_epoch: answer.account.key_epoch, deks,
      secret_key: secretKey ? cc.toHex(secretKey) : null,
    },
    logId: answer.account.log_id,
    authKey,
    kek,
    /** @type {Array<{key_id: number, wrapped_dek: string}>} */
    wrapped: answer.account.keys,
  };
}

/** @typedef {Awaited<ReturnType<typeof logIn>>} Login */

/**
 * An account made before the secret key existed gets one at its next unlock: the same
 * passphrase and data keys, re-wrapped under a root that mixes in a new secret key (a passphrase
 * change with compare-and-swap). From then on the server cannot test passphrase guesses. Other
 * devices are signed out and ask once for the passphrase and the new pairing code.
 * @param {Sync} sync @param {string} base @param {Uint8Array<ArrayBuffer>} accountId
 * @param {string} passphrase @param {Login} login @param {(stage: string) => void} onStage
 * @returns {Promise<Login>}
 */
async function upgrade(sync, base, accountId, passphrase, login, onStage) {
  const secretKey = cc.randomBytes(cc.SECRET_KEY_BYTES);
  const kdf = cc.newKdf();
  onStage("deriving");
  const fresh = await cc.deriveLoginKeys(passphrase, accountId, kdf, cc.LABEL, secretKey);
  const keys = [];
  for (const entry of login.wrapped) {
    keys.push({ key_id: entry.key_id, wrapped_dek: cc.toBase64(await cc.rewrapDataKey(cc.fromBase64(entry.wrapped_dek), login.kek, fresh.kek, accountId, entry.key_id)) });
  }
  onStage("server");
  const answer = await sync.request(base, "POST", "passphrase", {
    token: login.saved.token,
    body: {
      account_id: login.saved.account_id, auth_key: cc.toBase64(login.authKey), expected_key_epoch: login.saved.key_epoch,
      kdf, new_auth_key: cc.toBase64(fresh.authKey), keys,
    },
  });
  return {
    ...login,
    saved: { ...login.saved, token: answer.token, key_epoch: answer.account.key_epoch, secret_key: cc.toHex(secretKey) },
    kek: fresh.kek,
  };
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
  } else if (!previous.secret_key && fields.secret_key) {
    await sync.store("requeueAll"); // the account got its secret key: records move to keyed ids
  }
  sync.error = null;
  await sync.store("updateMeta", "status", { error: null });
  sync.channel?.postMessage({ type: "account" });
  sync.emit();
}

/**
 * Change the passphrase on this (unlocked) device, and rotate the data key in the same step:
 * a new data key (the next key id) encrypts everything from now on, every record is sent again
 * under it, and a new recovery kit replaces the old one. A server that kept the old wrapped keys,
 * or an old kit that leaked, then opens nothing written after the change. Other devices are
 * asked for the new passphrase and keep their unsent changes. Resolves with the new kit.
 * @param {Sync} sync
 * @param {{current: string, next: string, onStage?: (stage: string) => void}} options
 */
export async function changePassphrase(sync, { current, next, onStage = () => {} }) {
  refuseWeak(next);
  const account = await sync.store("readMeta", "account");
  if (!account || account.state !== "ok") throw new SyncError("not-set-up");
  const accountId = cc.fromHex(account.account_id);
  const { account: server } = await sync.request(account.server, "GET", "account", { token: account.token });
  try {
    cc.checkKdf(server.kdf);
  } catch {
    throw new SyncError("weak-kdf");
  }
  const held = account.secret_key ? cc.fromHex(account.secret_key) : null;
  if (server.kdf.v !== 2 && held) throw new SyncError("downgrade");
  // An account from before the secret key gets one now.
  const secretKey = held ?? cc.randomBytes(cc.SECRET_KEY_BYTES);
  onStage("deriving");
  const old = await cc.deriveLoginKeys(current, accountId, server.kdf, cc.LABEL, held);
  const kdf = cc.newKdf();
  const fresh = await cc.deriveLoginKeys(next, accountId, kdf, cc.LABEL, secretKey);
  onStage("keys");
  const rotated = await rotateKeys(server.keys, old.kek, fresh.kek, accountId);
  onStage("server");
  let answer;
  try {
    answer = await sync.request(account.server, "POST", "passphrase", {
      token: account.token,
      body: {
        account_id: account.account_id, auth_key: cc.toBase64(old.authKey), expected_key_epoch: server.key_epoch,
        kdf, new_auth_key: cc.toBase64(fresh.authKey), keys: rotated.keys,
        recovery: { recovery_auth_key: cc.toBase64(rotated.recoveryAuthKey), keys: rotated.recoveryKeys },
      },
    });
  } catch (error) {
    if (error instanceof SyncError && error.code === "bad-credentials") throw new SyncError("wrong-passphrase");
    throw error;
  }
  const secret = cc.toHex(secretKey);
  const sealed = await cc.sealLocal(rotated.deks[rotated.deks.length - 1].key, rotated.recoveryKey, accountId);
  await sync.store("updateMeta", "account", {
    token: answer.token, key_epoch: answer.account.key_epoch, state: "ok", deks: rotated.deks,
    recovery_sealed: sealed, secret_key: secret,
  });
  const kit = await kitCode(rotated.recoveryKey, secret);
  rotated.recoveryKey.fill(0);
  if (rotated.added) {
    // Re-encrypt: every record goes to the server again under the new key.
    await sync.store("requeueAll");
    sync.syncNow({ reason: "rotation" }).catch(() => {});
  }
  sync.channel?.postMessage({ type: "account" });
  return { keyEpoch: answer.account.key_epoch, recoveryKit: kit, ...(await pairingLink({ ...account, secret_key: secret })) };
}

/**
 * Every data key re-wrapped under the new kek and a new recovery key, plus a new data key (the
 * next id) while the account has room for one (8 keys).
 * @param {Array<{key_id: number, wrapped_dek: string}>} wrapped @param {CryptoKey} oldKek @param {CryptoKey} newKek
 * @param {Uint8Array<ArrayBuffer>} accountId
 */
async function rotateKeys(wrapped, oldKek, newKek, accountId) {
  const recoveryKey = cc.randomBytes(32);
  const { recoveryAuthKey, rkKek } = await cc.deriveRecoveryKeys(recoveryKey, accountId);
  /** @type {Array<{key_id: number, key: CryptoKey}>} */
  const extractable = [];
  for (const entry of wrapped) {
    try {
      extractable.push({ key_id: entry.key_id, key: await cc.unwrapDataKey(cc.fromBase64(entry.wrapped_dek), oldKek, accountId, entry.key_id, { extractable: true }) });
    } catch {
      throw new SyncError("wrong-passphrase");
    }
  }
  const added = extractable.length < MAX_KEYS;
  if (added) {
    const keyId = Math.max(...extractable.map((k) => k.key_id)) + 1;
    extractable.push({ key_id: keyId, key: await cc.generateDataKey() });
  }
  const keys = [];
  const recoveryKeys = [];
  const deks = [];
  for (const { key_id, key } of extractable) {
    const sealed = await cc.wrapDataKey(key, newKek, accountId, key_id);
    keys.push({ key_id, wrapped_dek: cc.toBase64(sealed) });
    recoveryKeys.push({ key_id, recovery_wrapped_dek: cc.toBase64(await cc.wrapDataKey(key, rkKek, accountId, key_id)) });
    // Kept on this device non-extractable only.
    deks.push({ key_id, key: await cc.unwrapDataKey(sealed, newKek, accountId, key_id) });
  }
  return { keys, recoveryKeys, deks, recoveryKey, recoveryAuthKey, added };
}

/** The most data keys an account holds (the server's limit). */
const MAX_KEYS = 8;

/**
 * A forgotten passphrase: the recovery kit opens the data key, and a new passphrase is set
 * (compare-and-swap, like a change). Other devices are then asked for the new passphrase.
 * The kit carries the secret key (kits from before it existed do not: the account gets one).
 * @param {Sync} sync
 * @param {{server?: string, code: string, kit: string, passphrase: string, onStage?: (stage: string) => void}} options
 */
export async function recover(sync, { server = defaultServer(), code, kit, passphrase, onStage = () => {} }) {
  refuseWeak(passphrase);
  const base = normaliseServer(server);
  const { accountId, secretKey: codeSecret } = await readPairingCode(code);
  const { recoveryKey, secretKey: kitSecret } = await readKit(kit);
  const secretKey = kitSecret ?? codeSecret ?? cc.randomBytes(cc.SECRET_KEY_BYTES);
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
  const fresh = await cc.deriveLoginKeys(passphrase, accountId, kdf, cc.LABEL, secretKey);
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
    secret_key: cc.toHex(secretKey),
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
  // Sealed under the newest key when the kit was made (setup: key 1; a rotation: the new key).
  let secret = null;
  for (const dek of [...keys.deks.values()].reverse()) {
    secret = await cc.openLocal(dek, account.recovery_sealed, keys.accountId).catch(() => null);
    if (secret) break;
  }
  if (!secret) return null;
  const code = await kitCode(secret, account.secret_key);
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
