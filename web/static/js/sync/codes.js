// @ts-check
/**
 * The codes people carry between devices: the pairing code (the account id and its secret key)
 * and the recovery kit (the recovery key and the secret key), and the pairing link; plus the
 * passphrase floor. No I/O: sync/account.js uses them in its flows.
 */
import * as cc from "../crypto.js";
import { SyncError } from "./errors.js";

/**
 * The pairing code: the account id and, from key-schedule version 2, the account's secret key
 * (16 random bytes the server never sees, needed with the passphrase on every new device).
 * @param {{account_id: string, secret_key?: string | null}} account
 */
export function pairingCode(account) {
  const id = cc.fromHex(account.account_id);
  return cc.toCode(account.secret_key ? cc.concat(id, cc.fromHex(account.secret_key)) : id);
}

/**
 * A pairing code as typed: an account id, with the secret key when the code has one (codes made
 * before the secret key existed have none).
 * @param {string} code
 * @returns {Promise<{accountId: Uint8Array<ArrayBuffer>, secretKey: Uint8Array<ArrayBuffer> | null}>}
 */
export async function readPairingCode(code) {
  try {
    if (codeLength(code) <= 30) return { accountId: await cc.fromCode(code, 16), secretKey: null };
    const bytes = await cc.fromCode(code, 16 + cc.SECRET_KEY_BYTES);
    return { accountId: bytes.slice(0, 16), secretKey: bytes.slice(16) };
  } catch (error) {
    throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
  }
}

/**
 * The recovery kit as typed: the recovery key, with the secret key when the kit has one.
 * @param {string} kit
 * @returns {Promise<{recoveryKey: Uint8Array<ArrayBuffer>, secretKey: Uint8Array<ArrayBuffer> | null}>}
 */
export async function readKit(kit) {
  try {
    if (codeLength(kit) <= 56) return { recoveryKey: await cc.fromCode(kit, 32), secretKey: null };
    const bytes = await cc.fromCode(kit, 32 + cc.SECRET_KEY_BYTES);
    return { recoveryKey: bytes.slice(0, 32), secretKey: bytes.slice(32) };
  } catch (error) {
    throw new SyncError("bad-code", error instanceof Error ? error.message : String(error));
  }
}

/** How many code characters were typed, separators aside. @param {string} code */
function codeLength(code) {
  return code.replace(/[\s-]/g, "").length;
}

/**
 * The kit people keep: the recovery key and the secret key, in one code.
 * @param {Uint8Array<ArrayBuffer>} recoveryKey @param {string | null | undefined} secretKey hex
 */
export function kitCode(recoveryKey, secretKey) {
  return cc.toCode(secretKey ? cc.concat(recoveryKey, cc.fromHex(secretKey)) : recoveryKey);
}

/**
 * The pairing text a second device needs: a link into this app that pre-fills the pairing form.
 * @param {{account_id: string, server: string, secret_key?: string | null}} account
 */
export async function pairingLink(account) {
  const code = await pairingCode(account);
  const link = new URL(location.href);
  link.search = "";
  link.hash = `sync/pair/${encodeURIComponent(code)}/${encodeURIComponent(account.server)}`;
  return { code, link: link.href };
}

/**
 * A passphrase the app refuses: rated weak, it could be guessed by whoever gets a copy of the
 * wrapped keys and the secret key (a lost recovery kit, a stolen device).
 * @param {string} passphrase
 */
export function refuseWeak(passphrase) {
  const { verdict, advice } = cc.passphraseStrength(passphrase);
  if (verdict === "weak") throw new SyncError("weak-passphrase", `This passphrase is too easy to guess. ${advice}`);
}
