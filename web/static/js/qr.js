// @ts-check
/**
 * QR codes made on the device (ISO/IEC 18004): byte mode, error correction L/M/Q/H, versions
 * 1–40, the mask chosen by the standard's penalty score. `encodeQr` returns the modules;
 * `qrSvg` draws them as one SVG path. Nothing here touches the network.
 *
 * The mask is scored exactly as the reference library `segno` scores it (format and version
 * areas light while scoring), so the two produce the same symbol module for module; the
 * end-to-end tests compare them.
 */

/** Error correction levels: the share of codewords that can be restored, and format bits. */
export const LEVELS = /** @type {const} */ ({
  L: { ordinal: 0, formatBits: 1 },
  M: { ordinal: 1, formatBits: 0 },
  Q: { ordinal: 2, formatBits: 3 },
  H: { ordinal: 3, formatBits: 2 },
});

// Per level (L, M, Q, H), indexed by version (index 0 unused).
const ECC_CODEWORDS_PER_BLOCK = [
  [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];
const ERROR_CORRECTION_BLOCKS = [
  [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

/** @typedef {keyof typeof LEVELS} Level */
/** @typedef {{version: number, level: Level, mask: number, size: number, modules: boolean[][]}} QrCode */

export class QrTooLongError extends Error {}

/** Modules that are neither function patterns nor format/version information. */
function rawDataModules(version) {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    result -= (25 * align - 10) * align - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

/** Data codewords (without error correction) a version holds at a level. */
export function dataCapacity(version, level) {
  const l = LEVELS[level].ordinal;
  return Math.floor(rawDataModules(version) / 8)
    - ECC_CODEWORDS_PER_BLOCK[l][version] * ERROR_CORRECTION_BLOCKS[l][version];
}

/** Centres of the alignment patterns on each axis. */
function alignmentPositions(version) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const result = [6];
  for (let pos = version * 4 + 10; result.length < count; pos -= step) result.splice(1, 0, pos);
  return result;
}

// --- Reed–Solomon over GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 ------------------

function gfMultiply(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

function rsDivisor(degree) {
  const result = new Array(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < result.length; j++) {
      result[j] = gfMultiply(result[j], root);
      if (j + 1 < result.length) result[j] ^= result[j + 1];
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

function rsRemainder(data, divisor) {
  const result = divisor.map(() => 0);
  for (const b of data) {
    const factor = b ^ /** @type {number} */ (result.shift());
    result.push(0);
    divisor.forEach((coef, i) => { result[i] ^= gfMultiply(coef, factor); });
  }
  return result;
}

// --- Encoding ---------------------------------------------------------------------------------

/** The bit stream of one byte-mode segment, terminated and padded to `capacity` codewords. */
function dataCodewords(bytes, version, capacity) {
  /** @type {number[]} */
  const bits = [];
  const put = (value, length) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacityBits = capacity * 8;
  put(0, Math.min(4, capacityBits - bits.length));
  // Zero bits up to the next codeword; a whole zero codeword when already aligned, as segno
  // writes it (readers stop at the terminator, so it is harmless, and the symbols match).
  put(0, Math.min(8 - (bits.length % 8), capacityBits - bits.length));
  for (let pad = 0xec; bits.length < capacityBits; pad ^= 0xec ^ 0x11) put(pad, 8);
  const codewords = new Array(capacity).fill(0);
  bits.forEach((bit, i) => { codewords[i >>> 3] |= bit << (7 - (i & 7)); });
  return codewords;
}

/** Split into blocks, add each block's error correction, and interleave. */
function interleave(data, version, level) {
  const l = LEVELS[level].ordinal;
  const blocks = ERROR_CORRECTION_BLOCKS[l][version];
  const eccLength = ECC_CODEWORDS_PER_BLOCK[l][version];
  const raw = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blocks - (raw % blocks);
  const shortLength = Math.floor(raw / blocks);
  const divisor = rsDivisor(eccLength);
  /** @type {number[][]} */
  const all = [];
  for (let i = 0, k = 0; i < blocks; i++) {
    const dat = data.slice(k, k + shortLength - eccLength + (i < shortBlocks ? 0 : 1));
    k += dat.length;
    const ecc = rsRemainder(dat, divisor);
    if (i < shortBlocks) dat.push(0); // placeholder, skipped below
    all.push(dat.concat(ecc));
  }
  /** @type {number[]} */
  const result = [];
  for (let i = 0; i < all[0].length; i++) {
    all.forEach((block, j) => {
      if (i !== shortLength - eccLength || j >= shortBlocks) result.push(block[i]);
    });
  }
  return result;
}

const MASKS = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

/** The symbol before masking: function patterns set, format/version areas reserved (light). */
function baseMatrix(version, codewords) {
  const size = version * 4 + 17;
  const modules = Array.from({ length: size }, () => new Array(size).fill(false));
  const fixed = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (r, c, dark) => { modules[r][c] = dark; fixed[r][c] = true; };
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [r0, c0] of [[3, 3], [3, size - 4], [size - 4, 3]]) {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || r >= size || c < 0 || c >= size) continue;
        const d = Math.max(Math.abs(dr), Math.abs(dc));
        set(r, c, d !== 2 && d !== 4);
      }
    }
  }
  const centres = alignmentPositions(version);
  const last = centres.length - 1;
  centres.forEach((r0, i) => centres.forEach((c0, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
    for (let dr = -2; dr <= 2; dr++) {
      for (let dc = -2; dc <= 2; dc++) set(r0 + dr, c0 + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }));
  // Format information (and the dark module), then version information: reserved, light.
  for (let i = 0; i < 9; i++) {
    if (i === 6) continue; // the timing patterns cross here
    set(8, i, false);
    set(i, 8, false);
  }
  for (let i = 0; i < 8; i++) {
    set(8, size - 1 - i, false);
    set(size - 1 - i, 8, false);
  }
  if (version >= 7) {
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 3; j++) {
        set(i, size - 11 + j, false);
        set(size - 11 + j, i, false);
      }
    }
  }
  // The data, in two-module columns zigzagging up and down from the right; remainder bits light.
  let bit = 0;
  const total = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    const upward = ((right + 1) & 2) === 0;
    for (let v = 0; v < size; v++) {
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        const r = upward ? size - 1 - v : v;
        if (fixed[r][c]) continue;
        if (bit < total) modules[r][c] = ((codewords[bit >>> 3] >>> (7 - (bit & 7))) & 1) === 1;
        bit++;
      }
    }
  }
  return { size, modules, fixed };
}

/**
 * The penalty of a masked symbol (ISO/IEC 18004 §7.8.3.1: N1 runs, N2 blocks, N3 finder-like
 * patterns, N4 balance), computed as segno computes it.
 * @param {boolean[][]} m
 */
export function penalty(m) {
  const size = m.length;
  const grid = new Uint8Array(size * size);
  let dark = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (m[r][c]) {
        grid[r * size + c] = 1;
        dark++;
      }
    }
  }
  const line = new Uint8Array(size);
  let score = 0;
  for (let i = 0; i < 2 * size; i++) {
    // Rows, then columns, as one sequence each.
    const row = i < size;
    const k = row ? i : i - size;
    for (let j = 0; j < size; j++) line[j] = row ? grid[k * size + j] : grid[j * size + k];
    score += runScore(line) + finderScore(line);
  }
  for (let r = 1; r < size; r++) {
    for (let c = 1; c < size; c++) {
      const v = grid[r * size + c];
      if (v === grid[r * size + c - 1] && v === grid[(r - 1) * size + c] && v === grid[(r - 1) * size + c - 1]) score += 3;
    }
  }
  return score + 10 * Math.floor(Math.abs((dark / (size * size)) * 100 - 50) / 5);
}

/** N1: 3 points for a run of five same-colour modules, one more per extra module. @param {Uint8Array} line */
function runScore(line) {
  let score = 0;
  let run = 1;
  for (let j = 1; j <= line.length; j++) {
    if (j < line.length && line[j] === line[j - 1]) {
      run++;
    } else {
      if (run >= 5) score += run - 2;
      run = 1;
    }
  }
  return score;
}

const FINDER_LIKE = [1, 0, 1, 1, 1, 0, 1];

/** N3: 40 points per 1:1:3:1:1 pattern with four light modules on one side. @param {Uint8Array} line */
function finderScore(line) {
  const size = line.length;
  const find = (/** @type {number} */ from) => {
    outer: for (let i = from; i + 7 <= size; i++) {
      for (let k = 0; k < 7; k++) if (line[i + k] !== FINDER_LIKE[k]) continue outer;
      return i;
    }
    return -1;
  };
  const light = (/** @type {number} */ a, /** @type {number} */ b) => {
    for (let j = a; j < b; j++) if (line[j]) return false;
    return true;
  };
  let score = 0;
  let idx = find(0);
  while (idx !== -1) {
    let offset = idx + 7;
    if (idx === 0 || idx === size - 7 || light(Math.max(idx - 4, 0), idx) || light(offset, Math.min(offset + 4, size))) {
      score += 40;
    } else {
      offset = idx + 4;
    }
    idx = find(offset);
  }
  return score;
}

function formatBits(level, mask) {
  const data = (LEVELS[level].formatBits << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

function versionBits(version) {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}

/**
 * Encode bytes (or text, as UTF-8) as the smallest QR code that holds it.
 * @param {string | Uint8Array} content
 * @param {{level?: Level, minVersion?: number, maxVersion?: number, mask?: number}} [options]
 * @returns {QrCode}
 */
export function encodeQr(content, { level = "M", minVersion = 1, maxVersion = 40, mask = -1 } = {}) {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  if (!(level in LEVELS)) throw new RangeError(`Unknown error correction level ${level}`);
  let version = minVersion;
  for (; ; version++) {
    if (version > maxVersion) {
      throw new QrTooLongError(`${bytes.length} bytes do not fit in a version ${maxVersion} QR code.`);
    }
    const countBits = version <= 9 ? 8 : 16;
    if (bytes.length < 2 ** countBits && 4 + countBits + bytes.length * 8 <= dataCapacity(version, level) * 8) break;
  }
  const codewords = interleave(dataCodewords(bytes, version, dataCapacity(version, level)), version, level);
  const { size, modules, fixed } = baseMatrix(version, codewords);
  const masked = (/** @type {number} */ k) => modules.map((row, r) => row.map((dark, c) => (fixed[r][c] ? dark : dark !== MASKS[k](r, c))));
  let chosen = mask;
  let best = masked(mask >= 0 ? mask : 0);
  if (mask < 0) {
    let bestScore = Infinity;
    for (let k = 0; k < 8; k++) {
      const candidate = masked(k);
      const score = penalty(candidate);
      if (score < bestScore) {
        bestScore = score;
        best = candidate;
        chosen = k;
      }
    }
  }
  const format = formatBits(level, chosen);
  const bitAt = (/** @type {number} */ value, /** @type {number} */ i) => ((value >>> i) & 1) === 1;
  for (let i = 0; i < 6; i++) best[i][8] = bitAt(format, i);
  best[7][8] = bitAt(format, 6);
  best[8][8] = bitAt(format, 7);
  best[8][7] = bitAt(format, 8);
  for (let i = 9; i < 15; i++) best[8][14 - i] = bitAt(format, i);
  for (let i = 0; i < 8; i++) best[8][size - 1 - i] = bitAt(format, i);
  for (let i = 8; i < 15; i++) best[size - 15 + i][8] = bitAt(format, i);
  best[size - 8][8] = true;
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      best[b][a] = bitAt(bits, i);
      best[a][b] = bitAt(bits, i);
    }
  }
  return { version, level, mask: chosen, size, modules: best };
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * The code as an SVG image: dark modules on a light square with a quiet zone, always black on
 * white (scanners need the contrast, dark mode or not). `label` is its text alternative.
 * @param {QrCode} qr
 * @param {{label: string, border?: number}} options
 * @returns {SVGSVGElement}
 */
export function qrSvg(qr, { label, border = 4 }) {
  const full = qr.size + border * 2;
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, "svg"));
  svg.setAttribute("viewBox", `0 0 ${full} ${full}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  const title = document.createElementNS(SVG, "title");
  title.textContent = label;
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(full));
  background.setAttribute("height", String(full));
  background.setAttribute("fill", "#ffffff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", qrPath(qr, border));
  path.setAttribute("fill", "#000000");
  svg.append(title, background, path);
  return svg;
}

/** The dark modules as path data, one rectangle per horizontal run. @param {QrCode} qr */
export function qrPath(qr, border = 4) {
  const parts = [];
  qr.modules.forEach((row, r) => {
    for (let c = 0; c < qr.size; c++) {
      if (!row[c]) continue;
      let end = c;
      while (end + 1 < qr.size && row[end + 1]) end++;
      parts.push(`M${c + border} ${r + border}h${end - c + 1}v1h-${end - c + 1}z`);
      c = end;
    }
  });
  return parts.join("");
}
