// @ts-check
/**
 * Files in and out, with the File API: read a chosen file as text (size limit, then UTF-8, then
 * the charset the file declares, with a clear error otherwise), offer text as a download
 * (Blob + <a download>), or hand it to the share sheet where the browser shares files.
 */
import { h } from "./dom.js";

/** The largest contacts file read (followup/interop/contact.py MAX_TEXT is in characters). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** A heavy user's backup is about 15 MB; anything near this is not ours. */
export const MAX_BACKUP_BYTES = 150 * 1024 * 1024;

/** Encodings a user can choose when the automatic reading fails. */
export const ENCODINGS = [
  { value: "auto", label: "Automatic (UTF-8, or what the file says)" },
  { value: "utf-8", label: "UTF-8" },
  { value: "windows-1252", label: "Western (Windows-1252)" },
  { value: "iso-8859-1", label: "Western (ISO-8859-1)" },
  { value: "utf-16le", label: "UTF-16" },
  { value: "macintosh", label: "Mac Roman" },
];

/** A file that cannot be read, with words for the user and a kebab-case code. */
export class FileProblem extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** "4.2 MB". @param {number} bytes */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Read a file as text.
 * @param {File} file
 * @param {{maxBytes?: number, encoding?: string}} [options]
 * @returns {Promise<{text: string, encoding: string}>}
 */
export async function readText(file, { maxBytes = MAX_IMPORT_BYTES, encoding = "auto" } = {}) {
  if (file.size > maxBytes) {
    throw new FileProblem("too-large",
      `“${file.name}” is ${formatSize(file.size)}; the largest file Followthrough reads here is ${formatSize(maxBytes)}. Export it without photos, or in parts.`);
  }
  if (file.size === 0) throw new FileProblem("empty", `“${file.name}” is empty.`);
  let buffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (error) {
    throw new FileProblem("unreadable", `“${file.name}” could not be read (${error instanceof Error ? error.message : error}).`);
  }
  return decodeBytes(new Uint8Array(buffer), file.name, encoding);
}

/**
 * Bytes to text: a byte-order mark wins; else UTF-8; else the charset the file declares
 * (vCard `CHARSET=`, XML or HTML `charset`/`encoding`); else a clear error naming the line.
 * @param {Uint8Array} bytes @param {string} name @param {string} [encoding]
 * @returns {{text: string, encoding: string}}
 */
export function decodeBytes(bytes, name, encoding = "auto") {
  if (encoding !== "auto") {
    const text = tryDecode(bytes, encoding);
    if (text === null) {
      throw new FileProblem("bad-encoding", `“${name}” is not valid ${encoding} text.`);
    }
    return { text, encoding };
  }
  const bom = byteOrderMark(bytes);
  if (bom) {
    const text = tryDecode(bytes, bom);
    if (text !== null) return { text, encoding: bom };
  }
  const utf16 = looksUtf16(bytes);
  if (utf16) {
    const text = tryDecode(bytes, utf16);
    if (text !== null) return { text, encoding: utf16 };
  }
  const utf8 = tryDecode(bytes, "utf-8");
  if (utf8 !== null) return { text: utf8, encoding: "utf-8" };
  const declared = declaredCharset(bytes);
  if (declared && !/^utf-?8$/i.test(declared)) {
    const text = tryDecode(bytes, declared);
    if (text !== null) return { text, encoding: declared.toLowerCase() };
  }
  const at = firstInvalidUtf8(bytes);
  const line = bytes.subarray(0, at).reduce((n, b) => n + (b === 10 ? 1 : 0), 1);
  const hex = Array.from(bytes.subarray(at, at + 2), (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
  throw new FileProblem("bad-encoding",
    `“${name}” is not UTF-8 text: line ${line} has bytes (${hex}) that are not UTF-8${declared ? `, and it is not valid ${declared} either` : ""}. ` +
    "Save it as UTF-8, or choose its encoding under “Options” and try again.");
}

/** @param {Uint8Array} bytes @param {string} encoding @returns {string | null} */
function tryDecode(bytes, encoding) {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** @param {Uint8Array} b */
function byteOrderMark(b) {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return null;
}

/** UTF-16 without a mark: ASCII text has a zero in every other byte. @param {Uint8Array} b */
function looksUtf16(b) {
  const n = Math.min(b.length - (b.length % 2), 400);
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  if (odd > n / 2 * 0.8 && even === 0) return "utf-16le";
  if (even > n / 2 * 0.8 && odd === 0) return "utf-16be";
  return null;
}

/** The charset a file names for itself, read as ASCII from its first 64 KB. @param {Uint8Array} b */
function declaredCharset(b) {
  const head = new TextDecoder("latin1").decode(b.subarray(0, 65536));
  const found = /CHARSET=("?)([A-Za-z0-9_.:-]+)\1/i.exec(head) ?? /(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]+)/i.exec(head);
  const name = found ? found[found.length - 1] : null;
  if (!name) return null;
  try {
    new TextDecoder(name);
    return name;
  } catch {
    return null;
  }
}

/** Offset of the first byte that breaks UTF-8. @param {Uint8Array} b */
function firstInvalidUtf8(b) {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if ((b[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return b.length;
}

/**
 * Offer text as a file download.
 * @param {string} text @param {string} filename @param {string} mime
 */
export function download(text, filename, mime) {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Whether this browser can hand files to the share sheet. */
export function canShareFiles() {
  try {
    const probe = new File(["x"], "x.txt", { type: "text/plain" });
    return typeof navigator.share === "function" && Boolean(navigator.canShare?.({ files: [probe] }));
  } catch {
    return false;
  }
}

/**
 * Hand text to the share sheet as a file; resolves false when sharing is not possible or the
 * user closed the sheet, so the caller can fall back to a download.
 * @param {string} text @param {string} filename @param {string} mime @param {string} title
 */
export async function share(text, filename, mime, title) {
  const file = new File([text], filename, { type: mime });
  if (!navigator.canShare?.({ files: [file] })) return false;
  try {
    await navigator.share({ files: [file], title });
    return true;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") return true;
    return false;
  }
}
