// @ts-check
/**
 * All of sync's cryptography, with WebCrypto only (docs/sync-protocol.md §2, SYNC-DESIGN §6.1,
 * §6.3): PBKDF2-SHA256 → HKDF branches (an auth key for the server, a key-encryption key that
 * never leaves the device), one random AES-256-GCM data key wrapped by it (and by the recovery
 * key), and records sealed with associated data binding account, record and key id. Keys are
 * CryptoKey handles; the data key is non-extractable. Python never sees key bytes.
 */

export const LABEL = "followthrough-sync/v1";
export const MIN_ITERATIONS = 600_000;
export const MAX_ITERATIONS = 10_000_000;
export const ENVELOPE_VERSION = 1;
export const MAX_ENVELOPE = 65_536;
/** The key schedule new accounts use: version 2 mixes in the secret key. */
export const KDF_VERSION = 2;
export const SECRET_KEY_BYTES = 16;
const PAD_BLOCK = 256;
const HEADER = 17; // version, key id, iv

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();

/** A failure with a stable code the UI can explain (never a key or a plaintext in it). */
export class CryptoError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// --- Bytes ---------------------------------------------------------------------------------------

/** @param {Uint8Array<ArrayBuffer>} bytes */
export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @param {string} text */
export function fromHex(text) {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new CryptoError("bad-hex", "Not lowercase hex.");
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard base64 with padding. @param {Uint8Array<ArrayBuffer>} bytes */
export function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** @param {string} text */
export function fromBase64(text) {
  let binary;
  try {
    binary = atob(text);
  } catch {
    throw new CryptoError("bad-base64", "Not base64.");
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** @param {...Uint8Array} parts */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** @param {number} n */
export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** 4 bytes, big-endian. @param {number} keyId */
export function keyIdBytes(keyId) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, keyId);
  return out;
}

/** A label with its purpose and the zero byte: `L"/auth\0"`. @param {string} label @param {string} purpose */
function info(label, purpose) {
  return concat(encoder.encode(`${label}/${purpose}`), new Uint8Array([0]));
}

// --- Key schedule --------------------------------------------------------------------------------

/**
 * The KDF parameters a client accepts, from us or from a server that could lie (§3).
 * @param {any} kdf any: the server's JSON, which may be anything; checked field by field here
 * @returns {{alg: string, iterations: number, seed: string, v: number}}
 */
export function checkKdf(kdf) {
  const ok = kdf && kdf.alg === "pbkdf2-sha256" && (kdf.v === 1 || kdf.v === 2)
    && Number.isInteger(kdf.iterations) && kdf.iterations >= MIN_ITERATIONS && kdf.iterations <= MAX_ITERATIONS
    && typeof kdf.seed === "string";
  if (!ok || fromBase64(kdf.seed).length !== 32) {
    throw new CryptoError("weak-kdf", "The server offered key settings weaker than this app accepts; sync stopped to protect your passphrase.");
  }
  return kdf;
}

/** New KDF parameters with a fresh seed. */
export function newKdf() {
  return { alg: "pbkdf2-sha256", iterations: MIN_ITERATIONS, seed: toBase64(randomBytes(32)), v: KDF_VERSION };
}

/**
 * The PBKDF2 salt, always derived here from the account id (a server cannot pick it).
 * @param {Uint8Array<ArrayBuffer>} accountId @param {Uint8Array<ArrayBuffer>} seed @param {string} [label]
 */
export async function kdfSalt(accountId, seed, label = LABEL) {
  const digest = await subtle.digest("SHA-256", concat(info(label, "kdf-salt"), accountId, seed));
  return new Uint8Array(digest).slice(0, 16);
}

/** @param {CryptoKey} base @param {Uint8Array<ArrayBuffer>} infoBytes */
async function hkdfBits(base, infoBytes) {
  const bits = await subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: infoBytes }, base, 256,
  );
  return new Uint8Array(bits);
}

/** @param {CryptoKey} base @param {Uint8Array<ArrayBuffer>} infoBytes @param {KeyUsage[]} usages */
function hkdfAesKey(base, infoBytes, usages) {
  return subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: infoBytes },
    base, { name: "AES-GCM", length: 256 }, false, usages,
  );
}

/**
 * Passphrase (and, from key-schedule version 2, the account's secret key) → `auth_key` (bytes,
 * for the server) and `kek` (a non-extractable key that wraps the data key). This is the
 * 600,000-iteration step: about a second on a phone.
 *
 * Version 2 mixes a random 128-bit secret key that never reaches the server into the root, as
 * 1Password does: `root = HKDF(PBKDF2(passphrase), salt = secret_key, L"/root-v2\0" ‖ account)`.
 * A server that keeps the verifier and the wrapped keys then cannot test passphrase guesses
 * offline: each guess needs the secret key too (2^128 of them).
 * @param {string} passphrase @param {Uint8Array<ArrayBuffer>} accountId
 * @param {{iterations: number, seed: string, v?: number}} kdf @param {string} [label]
 * @param {Uint8Array<ArrayBuffer> | null} [secretKey] required by version 2, refused by version 1
 */
export async function deriveLoginKeys(passphrase, accountId, kdf, label = LABEL, secretKey = null) {
  const version = kdf.v ?? 1;
  if (version === 2 && secretKey?.length !== SECRET_KEY_BYTES) {
    throw new CryptoError("need-secret-key", "This account needs its secret key, which is part of the pairing code.");
  }
  if (version !== 2 && secretKey) {
    // A server that says "version 1" to a device holding the secret key wants a verifier it
    // could attack offline: never derive one.
    throw new CryptoError("downgrade", "The sync server asked for the old key settings, which would let it guess the passphrase; sync stopped.");
  }
  const salt = await kdfSalt(accountId, fromBase64(kdf.seed), label);
  const password = await subtle.importKey(
    "raw", encoder.encode(passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveBits"],
  );
  const stretched = await subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: kdf.iterations }, password, 256,
  );
  let rootBits = stretched;
  if (secretKey) {
    const base = await subtle.importKey("raw", stretched, "HKDF", false, ["deriveBits"]);
    rootBits = await subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: secretKey, info: concat(info(label, "root-v2"), accountId) }, base, 256,
    );
    new Uint8Array(stretched).fill(0);
  }
  const root = await subtle.importKey("raw", rootBits, "HKDF", false, ["deriveBits", "deriveKey"]);
  new Uint8Array(rootBits).fill(0);
  return {
    authKey: await hkdfBits(root, concat(info(label, "auth"), accountId)),
    kek: await hkdfAesKey(root, concat(info(label, "kek"), accountId), ["wrapKey", "unwrapKey", "encrypt", "decrypt"]),
  };
}

/**
 * Recovery key → `recovery_auth_key` (bytes, for the server) and `rk_kek` (wraps the data key).
 * @param {Uint8Array<ArrayBuffer>} recoveryKey @param {Uint8Array<ArrayBuffer>} accountId @param {string} [label]
 */
export async function deriveRecoveryKeys(recoveryKey, accountId, label = LABEL) {
  const base = await subtle.importKey("raw", recoveryKey, "HKDF", false, ["deriveBits", "deriveKey"]);
  return {
    recoveryAuthKey: await hkdfBits(base, concat(info(label, "recovery-auth"), accountId)),
    rkKek: await hkdfAesKey(base, concat(info(label, "recovery"), accountId), ["wrapKey", "unwrapKey", "encrypt", "decrypt"]),
  };
}

/** @param {Uint8Array<ArrayBuffer>} accountId @param {number} keyId @param {string} label */
export function dekAad(accountId, keyId, label = LABEL) {
  return concat(info(label, "dek"), accountId, keyIdBytes(keyId));
}

/**
 * Wrap a data key: `iv ‖ AES-GCM(kek, iv, dek_aad, dek)`, 60 bytes.
 * @param {CryptoKey} dek (extractable) @param {CryptoKey} kek
 * @param {Uint8Array<ArrayBuffer>} accountId @param {number} keyId
 * @param {{iv?: Uint8Array<ArrayBuffer>, label?: string}} [options] a fixed iv only for test vectors
 */
export async function wrapDataKey(dek, kek, accountId, keyId, { iv = randomBytes(12), label = LABEL } = {}) {
  const wrapped = await subtle.wrapKey("raw", dek, kek, { name: "AES-GCM", iv, additionalData: dekAad(accountId, keyId, label) });
  return concat(iv, new Uint8Array(wrapped));
}

/**
 * Unwrap a data key. Non-extractable unless asked for (only to re-wrap it, then dropped).
 * Throws CryptoError("unwrap-failed") when the kek or the blob is wrong.
 * @param {Uint8Array<ArrayBuffer>} wrapped iv ‖ ciphertext @param {CryptoKey} kek
 * @param {Uint8Array<ArrayBuffer>} accountId @param {number} keyId
 * @param {{extractable?: boolean, label?: string}} [options]
 */
export async function unwrapDataKey(wrapped, kek, accountId, keyId, { extractable = false, label = LABEL } = {}) {
  if (wrapped.length !== 60) throw new CryptoError("unwrap-failed", "The wrapped key has the wrong size.");
  try {
    return await subtle.unwrapKey(
      "raw", wrapped.subarray(12), kek,
      { name: "AES-GCM", iv: wrapped.subarray(0, 12), additionalData: dekAad(accountId, keyId, label) },
      { name: "AES-GCM", length: 256 }, extractable, ["encrypt", "decrypt"],
    );
  } catch {
    throw new CryptoError("unwrap-failed", "The data key could not be unlocked.");
  }
}

/**
 * A new account's keys: a random data key wrapped by the kek and by a new recovery key.
 * Returns the data key non-extractable, and the recovery key's bytes to show once.
 * @param {CryptoKey} kek @param {Uint8Array<ArrayBuffer>} accountId @param {number} [keyId] @param {string} [label]
 */
export async function newDataKey(kek, accountId, keyId = 1, label = LABEL) {
  const temporary = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const recoveryKey = randomBytes(32);
  const { recoveryAuthKey, rkKek } = await deriveRecoveryKeys(recoveryKey, accountId, label);
  const wrapped = await wrapDataKey(temporary, kek, accountId, keyId, { label });
  const recoveryWrapped = await wrapDataKey(temporary, rkKek, accountId, keyId, { label });
  // Keep only a non-extractable copy: from here on nothing can read the key's bytes.
  const dek = await unwrapDataKey(wrapped, kek, accountId, keyId, { label });
  return { dek, wrapped, recoveryWrapped, recoveryKey, recoveryAuthKey };
}

/** A new random data key, extractable only until it is wrapped (then dropped). */
export function generateDataKey() {
  return subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
}

/**
 * The same data key wrapped by a new kek (passphrase change): unwrapped extractable only here.
 * @param {Uint8Array<ArrayBuffer>} wrapped @param {CryptoKey} oldKek @param {CryptoKey} newKek
 * @param {Uint8Array<ArrayBuffer>} accountId @param {number} keyId @param {string} [label]
 */
export async function rewrapDataKey(wrapped, oldKek, newKek, accountId, keyId, label = LABEL) {
  const dek = await unwrapDataKey(wrapped, oldKek, accountId, keyId, { extractable: true, label });
  return wrapDataKey(dek, newKek, accountId, keyId, { label });
}

// --- Records -------------------------------------------------------------------------------------

/**
 * The server's id of a record: a hash of its store and key under the account, so two devices
 * that create the same decision or settings record meet on one server record.
 * @param {Uint8Array<ArrayBuffer>} accountId @param {string} store @param {string} key @param {string} [label]
 */
export async function recordIdOf(accountId, store, key, label = LABEL) {
  const digest = await subtle.digest(
    "SHA-256", concat(info(label, "record-id"), accountId, encoder.encode(`${store}\0${key}`)),
  );
  return new Uint8Array(digest).slice(0, 16);
}

/**
 * The key that names records from key-schedule version 2 on: a pseudo-random function of the
 * account's first data key (AES-GCM's keystream under a zero IV that no record ever uses, over
 * a fixed plaintext), so it is as secret as the data key, needs nothing more on the server, and
 * stays the same across key rotations (key 1 is never dropped).
 * @param {CryptoKey} firstDek @param {Uint8Array<ArrayBuffer>} accountId @param {string} [label]
 */
export async function deriveIdKey(firstDek, accountId, label = LABEL) {
  const stream = new Uint8Array(await subtle.encrypt(
    { name: "AES-GCM", iv: new Uint8Array(12), additionalData: concat(info(label, "record-id-key"), accountId) },
    firstDek, new Uint8Array(32),
  ));
  const raw = stream.slice(0, 32);
  stream.fill(0);
  const key = await subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  raw.fill(0);
  return key;
}

/**
 * The server's id of a record from key-schedule version 2 on: `HMAC(id_key, L"/record-id\0" ‖
 * store ‖ 0 ‖ key)[0:16]`. The server cannot compute it (it could compute the old, unkeyed one
 * for the settings and profile records), yet two devices still meet on one record.
 * @param {CryptoKey} idKey @param {string} store @param {string} key @param {string} [label]
 */
export async function keyedRecordId(idKey, store, key, label = LABEL) {
  const mac = await subtle.sign("HMAC", idKey, concat(info(label, "record-id"), encoder.encode(`${store}\0${key}`)));
  return new Uint8Array(mac).slice(0, 16);
}

/** @param {Uint8Array<ArrayBuffer>} accountId @param {Uint8Array<ArrayBuffer>} recordId @param {number} keyId @param {string} [label] */
export function recordAad(accountId, recordId, keyId, label = LABEL) {
  return concat(info(label, "rec"), accountId, recordId, keyIdBytes(keyId));
}

/**
 * The padded length of a plaintext: a size class, so that record kinds look alike. Classes are
 * 1 KiB, 2 KiB, 4 KiB, then multiples of 4 KiB: a decision, an interaction and most people share
 * the first (a record's state is mostly its fields' clocks), for at most twice the bytes.
 * Always a multiple of 256, as the format requires (§2), so any client unpads it.
 * @param {number} length
 */
export function sizeClass(length) {
  const needed = length + 1;
  for (const size of [1024, 2048, 4096]) if (needed <= size) return size;
  const classed = Math.ceil(needed / 4096) * 4096;
  // Near the envelope's limit, the format's own 256-byte steps: never refuse a record for padding.
  return classed + HEADER + 16 <= MAX_ENVELOPE ? classed : Math.ceil(needed / PAD_BLOCK) * PAD_BLOCK;
}

/**
 * `p ‖ 0x80 ‖ 0x00…` to its size class (or, for the format's test vectors, to a multiple of
 * 256 bytes).
 * @param {Uint8Array<ArrayBuffer>} plaintext @param {{classes?: boolean}} [options]
 */
export function pad(plaintext, { classes = true } = {}) {
  const length = classes ? sizeClass(plaintext.length) : Math.ceil((plaintext.length + 1) / PAD_BLOCK) * PAD_BLOCK;
  const out = new Uint8Array(length);
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/** @param {Uint8Array<ArrayBuffer>} padded */
export function unpad(padded) {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80 || padded.length % PAD_BLOCK !== 0) {
    throw new CryptoError("bad-padding", "A record's padding is damaged.");
  }
  return padded.subarray(0, end);
}

/**
 * Seal one record state: `0x01 ‖ key_id ‖ iv ‖ AES-GCM(dek, iv, aad, pad(plaintext))`.
 * @param {CryptoKey} dek @param {number} keyId @param {Uint8Array<ArrayBuffer>} accountId
 * @param {Uint8Array<ArrayBuffer>} recordId @param {Uint8Array<ArrayBuffer>} plaintext
 * @param {{iv?: Uint8Array<ArrayBuffer>, label?: string, classes?: boolean}} [options] a fixed
 *   iv and 256-byte padding (`classes: false`) only for the format's test vectors
 */
export async function encryptRecord(dek, keyId, accountId, recordId, plaintext, { iv = randomBytes(12), label = LABEL, classes = true } = {}) {
  const sealed = await subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: recordAad(accountId, recordId, keyId, label) }, dek, pad(plaintext, { classes }),
  );
  const envelope = concat(new Uint8Array([ENVELOPE_VERSION]), keyIdBytes(keyId), iv, new Uint8Array(sealed));
  if (envelope.length > MAX_ENVELOPE) {
    throw new CryptoError("record-too-large", "A record is larger than 64 KiB and cannot be synced.");
  }
  return envelope;
}

/**
 * Open one envelope; throws CryptoError for anything but an authentic record of this account,
 * this record id and a known key.
 * @param {Map<number, CryptoKey>} deks @param {Uint8Array<ArrayBuffer>} accountId
 * @param {Uint8Array<ArrayBuffer>} recordId @param {Uint8Array<ArrayBuffer>} envelope @param {string} [label]
 */
export async function decryptRecord(deks, accountId, recordId, envelope, label = LABEL) {
  if (envelope.length < HEADER + 16 || envelope.length > MAX_ENVELOPE) {
    throw new CryptoError("bad-envelope", "A synced record has an impossible size.");
  }
  if (envelope[0] !== ENVELOPE_VERSION) {
    throw new CryptoError("bad-envelope", "A synced record has an unknown format version.");
  }
  const keyId = new DataView(envelope.buffer, envelope.byteOffset + 1, 4).getUint32(0);
  const dek = deks.get(keyId);
  if (!dek) throw new CryptoError("unknown-key", "A synced record uses a key this device does not have.");
  let padded;
  try {
    padded = new Uint8Array(await subtle.decrypt(
      { name: "AES-GCM", iv: envelope.subarray(5, HEADER), additionalData: recordAad(accountId, recordId, keyId, label) },
      dek, envelope.subarray(HEADER),
    ));
  } catch {
    throw new CryptoError("tampered", "A synced record failed its integrity check.");
  }
  return unpad(padded);
}

/**
 * Seal a small secret for this device only (the recovery key, so the kit can be shown again).
 * @param {CryptoKey} dek @param {Uint8Array<ArrayBuffer>} secret @param {Uint8Array<ArrayBuffer>} accountId
 */
export async function sealLocal(dek, secret, accountId) {
  const iv = randomBytes(12);
  const sealed = await subtle.encrypt({ name: "AES-GCM", iv, additionalData: concat(info(LABEL, "local"), accountId) }, dek, secret);
  return concat(iv, new Uint8Array(sealed));
}

/** @param {CryptoKey} dek @param {Uint8Array<ArrayBuffer>} sealed @param {Uint8Array<ArrayBuffer>} accountId */
export async function openLocal(dek, sealed, accountId) {
  const plain = await subtle.decrypt(
    { name: "AES-GCM", iv: sealed.subarray(0, 12), additionalData: concat(info(LABEL, "local"), accountId) }, dek, sealed.subarray(12),
  );
  return new Uint8Array(plain);
}

// --- Codes people read and type -------------------------------------------------------------------

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Crockford base32, no padding. @param {Uint8Array<ArrayBuffer>} bytes */
export function toBase32(bytes) {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Read Crockford base32 as typed: any case, O→0, I/L→1, spaces and dashes ignored.
 * @param {string} text @param {number} length bytes expected
 */
export function fromBase32(text, length) {
  const clean = text.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  const out = new Uint8Array(length);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const char of clean) {
    const value = CROCKFORD.indexOf(char);
    if (value < 0) throw new CryptoError("bad-code", `"${char}" cannot be part of this code.`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      if (at >= length) throw new CryptoError("bad-code", "This code is too long.");
      out[at++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
      buffer &= (1 << bits) - 1;
    }
  }
  if (at !== length) throw new CryptoError("bad-code", "This code is too short.");
  return out;
}

/** @param {string} text @param {number} size */
function groups(text, size) {
  return text.match(new RegExp(`.{1,${size}}`, "g"))?.join("-") ?? "";
}

/**
 * A code people can copy by hand: base32 of the bytes and a 2-byte checksum, in groups.
 * @param {Uint8Array<ArrayBuffer>} bytes
 */
export async function toCode(bytes) {
  const check = new Uint8Array(await subtle.digest("SHA-256", bytes)).slice(0, 2);
  return groups(toBase32(concat(bytes, check)), 5);
}

/**
 * Read a code back; a typo fails the checksum rather than naming the wrong account or key.
 * @param {string} code @param {number} length bytes without the checksum
 */
export async function fromCode(code, length) {
  const all = fromBase32(code, length + 2);
  const bytes = all.slice(0, length);
  const check = new Uint8Array(await subtle.digest("SHA-256", bytes)).slice(0, 2);
  if (check[0] !== all[length] || check[1] !== all[length + 1]) {
    throw new CryptoError("bad-code", "This code has a typo: check it and try again.");
  }
  return bytes;
}

/**
 * A rough strength hint for a passphrase (no dictionary): bits of guessing it would take.
 * @param {string} passphrase
 */
export function passphraseStrength(passphrase) {
  const text = passphrase.normalize("NFKC");
  const words = text.trim().split(/\s+/).filter((w) => w.length >= 3);
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[^A-Za-z0-9\s]/.test(text)) pool += 20;
  if (/\s/.test(text)) pool += 1;
  const distinct = new Set(text).size;
  const charBits = Math.min(text.length, distinct * 2) * Math.log2(Math.max(pool, 1)) * 0.6;
  const wordBits = words.length >= 3 ? words.length * 11 : 0; // a word from a list of ~2,000
  const bits = Math.round(Math.max(charBits, wordBits));
  const verdict = bits < 40 ? "weak" : bits < 60 ? "fair" : bits < 80 ? "good" : "strong";
  const advice = {
    weak: "Too easy to guess. Use four or more unrelated words.",
    fair: "Could be guessed by a determined attacker. Add a word or two.",
    good: "Good. Longer is still better.",
    strong: "Hard to guess.",
  }[verdict];
  return { bits, verdict, advice };
}
