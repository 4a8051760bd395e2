// @ts-check
/**
 * How the engine worker stores Pyodide's memory snapshot. A snapshot is the whole WebAssembly
 * heap (about 30 MiB), three quarters of it zero pages; reading it from Cache Storage was the
 * longest step of a warm boot. Stored sparsely, as its non-zero pages only, a quarter as many
 * bytes are read, and `unpackSnapshot` gives back the exact bytes in a few milliseconds.
 *
 * Layout (little-endian uint32 words): MAGIC, FORMAT, the snapshot's length, the number of
 * runs, then each run's byte offset and length, then the runs' bytes one after another.
 */

const MAGIC = 0x50535446; // "FTSP"
const FORMAT = 1;
const PAGE = 4096;
const HEADER_WORDS = 4;

/**
 * The non-zero pages of `bytes`, merged into runs: [offset, length] pairs.
 * @param {Uint8Array} bytes
 * @returns {Array<[number, number]>}
 */
function nonZeroRuns(bytes) {
  /** @type {Array<[number, number]>} */
  const runs = [];
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
  for (let start = 0; start < bytes.byteLength; start += PAGE) {
    const end = Math.min(start + PAGE, bytes.byteLength);
    let zero = true;
    const wordEnd = Math.floor(end / 4);
    for (let w = start / 4; w < wordEnd && zero; w++) zero = words[w] === 0;
    for (let b = wordEnd * 4; b < end && zero; b++) zero = bytes[b] === 0;
    if (zero) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === start) last[1] += end - start;
    else runs.push([start, end - start]);
  }
  return runs;
}

/**
 * The stored form of a snapshot.
 * @param {Uint8Array} bytes
 * @returns {Uint8Array}
 */
export function packSnapshot(bytes) {
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const runs = nonZeroRuns(bytes);
  const headerBytes = (HEADER_WORDS + 2 * runs.length) * 4;
  const body = runs.reduce((sum, [, length]) => sum + length, 0);
  const packed = new Uint8Array(headerBytes + body);
  const header = new Uint32Array(packed.buffer, 0, headerBytes / 4);
  header.set([MAGIC, FORMAT, bytes.byteLength, runs.length]);
  let at = headerBytes;
  runs.forEach(([offset, length], i) => {
    header[HEADER_WORDS + 2 * i] = offset;
    header[HEADER_WORDS + 2 * i + 1] = length;
    packed.set(bytes.subarray(offset, offset + length), at);
    at += length;
  });
  return packed;
}

/**
 * The snapshot's bytes from its stored form, written into `into` when given (it must have the
 * snapshot's length; on failure its first bytes are zeroed, so it can never pass for a
 * snapshot). A snapshot stored whole by an earlier version is returned as it is; a damaged one
 * throws, and the worker then boots plainly and replaces it.
 * @param {ArrayBuffer} stored
 * @param {Uint8Array} [into]
 * @returns {Uint8Array}
 */
export function unpackSnapshot(stored, into) {
  try {
    return unpack(stored, into);
  } catch (error) {
    into?.fill(0, 0, Math.min(into.length, PAGE));
    throw error;
  }
}

/** @param {ArrayBuffer} stored @param {Uint8Array} [into] @returns {Uint8Array} */
function unpack(stored, into) {
  if (stored.byteLength < HEADER_WORDS * 4) throw new Error("The engine snapshot is damaged (too short).");
  const [magic, format, size, count] = new Uint32Array(stored, 0, HEADER_WORDS);
  if (magic !== MAGIC) {
    if (!into) return new Uint8Array(stored);
    if (into.length !== stored.byteLength) throw new Error("The engine snapshot has the wrong length.");
    into.set(new Uint8Array(stored));
    return into;
  }
  const headerBytes = (HEADER_WORDS + 2 * count) * 4;
  if (format !== FORMAT || headerBytes > stored.byteLength || (into && into.length !== size)) {
    throw new Error(`The engine snapshot is damaged (format ${format}, ${count} runs, ${size} bytes).`);
  }
  const runs = new Uint32Array(stored, HEADER_WORDS * 4, 2 * count);
  const bytes = into ?? new Uint8Array(size);
  let at = headerBytes;
  let end = 0;
  for (let i = 0; i < count; i++) {
    const offset = runs[2 * i];
    const length = runs[2 * i + 1];
    if (offset < end || offset + length > size || at + length > stored.byteLength) {
      throw new Error(`The engine snapshot is damaged (run ${i} is out of bounds).`);
    }
    // A new buffer is zeros already; one handed in may not be.
    if (into) into.fill(0, end, offset);
    bytes.set(new Uint8Array(stored, at, length), offset);
    at += length;
    end = offset + length;
  }
  if (at !== stored.byteLength) throw new Error("The engine snapshot is damaged (wrong length).");
  if (into) into.fill(0, end);
  return bytes;
}
