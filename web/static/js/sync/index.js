// @ts-check
/**
 * Sync between the user's own devices, end-to-end encrypted: the loop (loop.js), the server's
 * HTTP (http.js), the account flows (account.js) and their errors (errors.js).
 */
export { Sync, startSync, statusText } from "./loop.js";
export { defaultServer, pairingLink } from "./account.js";
export { SyncError, MESSAGES, REJECT_ADVICE, REJECT_ADVICE_OTHER } from "./errors.js";
