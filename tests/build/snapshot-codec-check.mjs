// @ts-check
/**
 * Test helper: run web/static/js/snapshot-codec.js under Node on made-up heaps and damaged
 * stored forms, and print what happened as JSON.
 *
 *   node snapshot-codec-check.mjs WEB/static/js/snapshot-codec.js
 */
import { pathToFileURL } from "node:url";

const { packSnapshot, unpackSnapshot } = await import(pathToFileURL(process.argv[2]).href);

/** A deterministic generator, so a failure can be replayed. @param {number} seed */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A heap of `size` bytes where each 4 KiB page is non-zero with probability `density`. */
function heap(size, density, seed) {
  const next = random(seed);
  const bytes = new Uint8Array(size);
  for (let page = 0; page < size; page += 4096) {
    if (next() >= density) continue;
    const end = Math.min(page + 4096, size);
    // Sometimes a single non-zero byte in the page's last position: a page is zero only if all of it is.
    if (next() < 0.3) bytes[end - 1] = 1 + Math.floor(next() * 255);
    else for (let i = page; i < end; i++) bytes[i] = Math.floor(next() * 256);
  }
  return bytes;
}

const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
/** @param {() => unknown} action */
function error(action) {
  try {
    action();
    return null;
  } catch (caught) {
    return caught instanceof Error ? caught.message : String(caught);
  }
}

const roundTrips = [];
for (const [size, density, seed] of [
  [4096 * 64, 0.25, 1], [4096 * 64 + 100, 0.5, 2], [4096 * 3 + 3, 1, 3], [4096 * 10, 0, 4], [5, 1, 5], [0, 0, 6],
]) {
  const bytes = heap(size, density, seed);
  const packed = packSnapshot(bytes);
  const into = new Uint8Array(size).fill(7);
  const stored = packed.slice().buffer;
  roundTrips.push({
    size,
    density,
    packed: packed.length,
    nonZeroPagesBytes: [...Array(Math.ceil(size / 4096)).keys()]
      .filter((p) => bytes.subarray(p * 4096, (p + 1) * 4096).some((b) => b !== 0))
      .reduce((sum, p) => sum + Math.min(4096, size - p * 4096), 0),
    fresh: same(unpackSnapshot(stored), bytes),
    into: unpackSnapshot(stored, into) === into && same(into, bytes),
  });
}

// A view into a larger buffer, at an offset that is not a multiple of 4, packs the same.
const base = heap(4096 * 8, 0.5, 7);
const shifted = new Uint8Array(base.length + 3);
shifted.set(base, 3);
const view = shifted.subarray(3);

const legacy = heap(4096 * 4, 1, 8);
const legacyInto = new Uint8Array(legacy.length);

const good = packSnapshot(heap(4096 * 16, 0.5, 9));
const truncated = good.slice(0, good.length - 10).buffer;
const badFormat = good.slice();
new Uint32Array(badFormat.buffer, 4, 1)[0] = 99;
const outOfBounds = good.slice();
new Uint32Array(outOfBounds.buffer, 16, 1)[0] = 4096 * 1000;
const damagedInto = new Uint8Array(4096 * 16).fill(9);
const damagedMessage = error(() => unpackSnapshot(truncated, damagedInto));

console.log(JSON.stringify({
  roundTrips,
  unalignedView: same(packSnapshot(view), packSnapshot(base)),
  legacy: {
    fresh: same(unpackSnapshot(legacy.slice().buffer), legacy),
    into: same(unpackSnapshot(legacy.slice().buffer, legacyInto), legacy),
    wrongLength: error(() => unpackSnapshot(legacy.slice().buffer, new Uint8Array(10))),
  },
  damaged: {
    tooShort: error(() => unpackSnapshot(new Uint8Array(8).buffer)),
    truncated: damagedMessage,
    truncatedLeavesNoMagic: damagedInto.subarray(0, 4096).every((b) => b === 0),
    badFormat: error(() => unpackSnapshot(badFormat.buffer)),
    outOfBounds: error(() => unpackSnapshot(outOfBounds.buffer)),
    wrongLengthInto: error(() => unpackSnapshot(good.slice().buffer, new Uint8Array(100))),
  },
}));
