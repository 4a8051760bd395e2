// @ts-check
/**
 * Web Push message encryption (RFC 8291, content coding `aes128gcm` of RFC 8188) with
 * WebCrypto, done on the device: the sync server gets only the ciphertext. Needs only the
 * subscription's public key (`p256dh`) and `auth` secret, which every device that syncs has.
 *
 * One record: the plaintext, the delimiter 0x02, then zero padding up to `padTo` bytes, so that
 * every message of the app has the same size and says nothing of how many items it names.
 */
import { concat } from "../crypto.js";

/** The record size announced in the header; one record holds the whole message. */
export const RECORD_SIZE = 4096;
/** Push services accept at least 4096 bytes: header (86) + plaintext + delimiter + tag (16). */
export const MAX_PLAINTEXT = 4096 - 86 - 1 - 16;

const encoder = new TextEncoder();
const P256 = { name: "ECDH", namedCurve: "P-256" };

/** @param {string} text */
const bytes = (text) => encoder.encode(text);

/**
 * HKDF-SHA-256 (RFC 5869), `length` bytes.
 * @param {Uint8Array} salt @param {Uint8Array} ikm @param {Uint8Array} info @param {number} length
 */
async function hkdf(salt, ikm, info, length) {
  const key = await crypto.subtle.importKey("raw", /** @type {BufferSource} */ (ikm), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: /** @type {BufferSource} */ (salt), info: /** @type {BufferSource} */ (info) }, key, length * 8,
  );
  return new Uint8Array(bits);
}

/** @returns {Promise<CryptoKeyPair>} a fresh sender key pair, one per message (RFC 8291 §3.1) */
export function newSenderKeys() {
  return /** @type {Promise<CryptoKeyPair>} */ (crypto.subtle.generateKey(P256, false, ["deriveBits"]));
}

/**
 * Encrypt `payload` to a push subscription.
 * @param {Uint8Array} payload
 * @param {{p256dh: Uint8Array, auth: Uint8Array}} to the subscription's keys
 * @param {{salt?: Uint8Array, senderKeys?: CryptoKeyPair, padTo?: number}} [options] fixed salt
 *   and sender keys only for test vectors; `padTo` pads the plaintext to that many bytes
 * @returns {Promise<Uint8Array<ArrayBuffer>>} the message body (header and the one record)
 */
export async function seal(payload, to, { salt, senderKeys, padTo = 0 } = {}) {
  const size = Math.max(payload.length, Math.min(padTo, MAX_PLAINTEXT));
  if (size > MAX_PLAINTEXT) throw new RangeError(`A push message holds at most ${MAX_PLAINTEXT} bytes.`);
  if (to.p256dh.length !== 65 || to.auth.length !== 16) throw new RangeError("This is not a push subscription's key.");
  salt ??= crypto.getRandomValues(new Uint8Array(16));
  senderKeys ??= await newSenderKeys();
  const senderPublic = new Uint8Array(await crypto.subtle.exportKey("raw", senderKeys.publicKey));
  const receiver = await crypto.subtle.importKey("raw", /** @type {BufferSource} */ (to.p256dh), P256, false, []);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: receiver }, senderKeys.privateKey, 256));
  // RFC 8291 §3.3-3.4: the input keying material, then the content key and nonce (RFC 8188 §2.2).
  const ikm = await hkdf(to.auth, shared, concat(bytes("WebPush: info\0"), to.p256dh, senderPublic), 32);
  const cek = await hkdf(salt, ikm, bytes("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, bytes("Content-Encoding: nonce\0"), 12);
  const record = new Uint8Array(size + 1); // zeros after the delimiter are the padding
  record.set(payload);
  record[payload.length] = 2; // the last (and only) record
  const key = await crypto.subtle.importKey("raw", /** @type {BufferSource} */ (cek), "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: /** @type {BufferSource} */ (nonce) }, key, record));
  const header = new Uint8Array(16 + 4 + 1);
  header.set(salt);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = senderPublic.length;
  return /** @type {Uint8Array<ArrayBuffer>} */ (concat(header, senderPublic, ciphertext));
}

/** @param {string} text unpadded base64url @returns {Uint8Array<ArrayBuffer>} */
export function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** @param {Uint8Array | ArrayBuffer} data @returns {string} unpadded base64url */
export function toBase64Url(data) {
  const view = data instanceof Uint8Array ? data : new Uint8Array(data);
  let text = "";
  for (const byte of view) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
