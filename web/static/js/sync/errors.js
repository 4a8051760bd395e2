// @ts-check
/** Sync's failures: a stable code, and words for the user (docs/sync-protocol.md). */

/** What the user reads for each error code; `retry` errors are tried again by themselves. */
export const MESSAGES = {
  offline: "No connection to the sync server. Your changes are saved on this device and will sync when it is back.",
  "server-error": "The sync server is having trouble. Your changes are saved here; sync will try again.",
  "storage-unavailable": "The sync server's database is not answering. Your changes are saved here; sync will try again.",
  "rate-limited": "The sync server asked this device to slow down; sync will try again shortly.",
  "server-busy": "Server busy, retrying…",
  "passphrase-changed": "Your passphrase was changed on another device. Enter the new passphrase to keep syncing; changes made here are kept.",
  "invalid-token": "This device was signed out of sync. Enter your passphrase to sign in again; changes made here are kept.",
  "bad-credentials": "That passphrase (or pairing code) is not right for this account.",
  "wrong-passphrase": "That is not the current passphrase.",
  "key-epoch-mismatch": "The passphrase was just changed on another device. Enter the new one to sign in, then change it again if you want.",
  "quota-exceeded": "Your sync space on the server is full, so new changes stay on this device.",
  "weak-kdf": "The sync server offered key settings weaker than this app accepts, so sync stopped to protect your passphrase.",
  tampered: "The sync server sent data that failed its integrity check. Nothing was changed on this device.",
  "engine-unavailable": "The follow-up engine is not running, so changes from other devices wait. Reopen the app to try again.",
  "engine-outdated": "This version of the app cannot merge synced changes yet. Update the app.",
  "account-exists": "That account id is taken; try again.",
  "record-too-large": "A record is larger than 64 KiB and cannot be synced. Shorten its notes.",
  "not-set-up": "Sync is not turned on on this device.",
  "need-secret-key": "This account has a secret key, which this device does not have yet. Enter the pairing code shown on one of your signed-in devices (Sync → Pair another device): it carries the secret key.",
  downgrade: "The sync server asked for the old key settings, which would let it test guesses at your passphrase. Sync stopped; nothing was sent. If this keeps happening, the server may be tampering.",
  "weak-passphrase": "This passphrase is too easy to guess. Use four or more unrelated words.",
};

/**
 * A record from another device that could not be read (`sync_rejects`): what went wrong and
 * what to do, by its error code (crypto.js's codes, and the engine's for a state it refused).
 * Nothing local was changed by such a record; the rest of the sync went on.
 */
export const REJECT_ADVICE = {
  "unknown-key": "It is locked with a data key this device does not have yet (the passphrase or key changed on another device). Sign in again with the current passphrase, then try again.",
  tampered: "It failed its integrity check: it is not what your devices wrote. Try again; if it stays, forget it and edit that record again on the device that has it.",
  "bad-envelope": "It arrived damaged. Try again; if it stays, forget it and edit that record again on the device that has it.",
  "bad-padding": "It arrived damaged. Try again; if it stays, forget it and edit that record again on the device that has it.",
  "bad-base64": "It arrived damaged. Try again; if it stays, forget it and edit that record again on the device that has it.",
  "bad-hex": "It arrived damaged. Try again; if it stays, forget it and edit that record again on the device that has it.",
  "bad-record": "It opened, but this version of the app cannot read what is inside (a newer app may have written it). Update the app, then try again; if it stays, forget it.",
  "mixed-records": "It opened, but this version of the app cannot read what is inside. Update the app, then try again; if it stays, forget it.",
  "bad-request": "It opened, but this version of the app cannot read what is inside. Update the app, then try again; if it stays, forget it.",
};
/** For a code with no advice of its own. */
export const REJECT_ADVICE_OTHER = "Try again; if it stays, forget it and edit that record again on the device that has it.";

/** A sync failure with a stable code and words for the user. */
export class SyncError extends Error {
  /** @param {string} code @param {string} [message] @param {{retry?: boolean, retryAfter?: number, status?: number}} [options] */
  constructor(code, message, { retry = false, retryAfter = 0, status = 0 } = {}) {
    super(message ?? MESSAGES[/** @type {keyof typeof MESSAGES} */ (code)] ?? `Sync failed (${code}).`);
    this.code = code;
    this.retry = retry;
    this.retryAfter = retryAfter;
    this.status = status;
  }
}

