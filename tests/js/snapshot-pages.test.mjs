// The stored form of a memory snapshot: zero pages left out, a SHA-256 over the rest.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  SNAPSHOT_PAGE,
  packSnapshot,
  sealSnapshot,
  unpackSnapshot,
} from "../../theme/assets/calculator/snapshot-pages.mjs";

/** A heap like an interpreter's: used pages among zero ones, and a short last page. */
function sampleHeap() {
  const heap = new Uint8Array(SNAPSHOT_PAGE * 9 + 1000);
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) & 0xff;
  for (const page of [0, 1, 4, 8]) {
    for (let at = page * SNAPSHOT_PAGE; at < (page + 1) * SNAPSHOT_PAGE; at += 7) heap[at] = next() | 1;
  }
  heap[SNAPSHOT_PAGE * 6 + SNAPSHOT_PAGE - 1] = 9; // one byte, the last of its page, keeps the page
  heap[heap.length - 3] = 5; // in the short last page
  return heap;
}

/** @param {Uint8Array} heap */
async function stored(heap) {
  return new Uint8Array(await (await sealSnapshot(packSnapshot(heap))).arrayBuffer());
}

test("a heap comes back byte for byte, its zero pages left out of what is kept", async () => {
  const heap = sampleHeap();
  const kept = await stored(heap);
  // 10 pages: 0, 1, 4, 6, 8 and the short last one are kept; 16 bytes of header, 2 of page map, 32 of digest.
  assert.equal(kept.byteLength, 16 + 2 + SNAPSHOT_PAGE * 5 + 1000 + 32);
  const back = await unpackSnapshot(kept.buffer, new Uint8Array(heap.byteLength));
  assert.deepEqual(back, heap);
});

test("an all-zero heap keeps no page, and comes back all zero", async () => {
  const heap = new Uint8Array(SNAPSHOT_PAGE * 3);
  const kept = await stored(heap);
  assert.equal(kept.byteLength, 16 + 1 + 32);
  assert.deepEqual(await unpackSnapshot(kept.buffer, new Uint8Array(heap.byteLength)), heap);
});

test("a view that is not word-aligned packs as its bytes", async () => {
  const heap = sampleHeap();
  const shifted = new Uint8Array(heap.byteLength + 1);
  shifted.set(heap, 1);
  const view = shifted.subarray(1);
  const kept = await stored(view);
  assert.deepEqual(await unpackSnapshot(kept.buffer, new Uint8Array(heap.byteLength)), heap);
});

/**
 * @param {(kept: Uint8Array) => Uint8Array} spoil
 * @param {RegExp} reason
 * @param {number} [size] the heap size expected
 */
async function refused(spoil, reason, size) {
  const heap = sampleHeap();
  const kept = spoil(await stored(heap));
  const target = new Uint8Array(size ?? heap.byteLength);
  await assert.rejects(unpackSnapshot(kept.buffer.slice(kept.byteOffset, kept.byteOffset + kept.byteLength), target), reason);
  assert.ok(target.every((byte) => byte === 0), "the heap is left untouched");
}

test("a flipped byte anywhere is refused by its digest, the heap untouched", async () => {
  for (const at of [20, 5000, 16 + 2 + SNAPSHOT_PAGE * 5 + 999]) {
    await refused((kept) => {
      kept[at] ^= 0x40;
      return kept;
    }, /SHA-256 differs/);
  }
});

test("a truncated, foreign or resized snapshot is refused, naming why", async () => {
  await refused((kept) => kept.subarray(0, 40), /too short|page map names/);
  await refused((kept) => kept.subarray(0, kept.byteLength - 100), /page map names|SHA-256/);
  await refused(() => new TextEncoder().encode("not a snapshot, but long enough to have a header and a digest"), /not a stored snapshot/);
  await refused((kept) => kept, /snapshot of \d+ bytes, \d+ stored/, SNAPSHOT_PAGE * 9);
  await refused((kept) => {
    new DataView(kept.buffer, kept.byteOffset).setUint32(8, 1024, true);
    return kept;
  }, /pages of 1024 bytes/);
});
