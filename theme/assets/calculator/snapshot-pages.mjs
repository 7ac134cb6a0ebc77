// The stored form of a Pyodide memory snapshot (README, "Snapshot start"): the interpreter's
// heap without its all-zero pages, checked by a SHA-256. Half the heap is zero pages, so this
// keeps half its bytes; restoring it is copying, not decompressing. gzip kept a fifth of the
// bytes but inflating 31 MB took the worker's thread ~120 ms on the way to "ready" (measured
// with `make bench-snapshot`, BENCHMARKS.md).
//
// Layout: "GCSNAP01" | page size (u32 LE) | heap bytes (u32 LE) | one bit per page, set when
// the page is stored | the stored pages, in order (the last may be short) | SHA-256 of all before.
//
// Pure functions, no imports: inlined into worker.mjs by the build (scripts/guideline_site/
// assets.py), and unit-tested in tests/js/snapshot-pages.test.mjs.

export const SNAPSHOT_MAGIC = "GCSNAP01";
export const SNAPSHOT_PAGE = 4096;
const SNAPSHOT_HEADER = 16;
const SNAPSHOT_DIGEST = 32;

/**
 * The heap in its stored form, without its trailing digest (`sealSnapshot` adds it).
 * @param {Uint8Array} heap
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function packSnapshot(heap) {
  const pages = Math.ceil(heap.byteLength / SNAPSHOT_PAGE);
  const map = new Uint8Array(Math.ceil(pages / 8));
  // Whole pages are read as 32-bit words (from an aligned copy if the view is not aligned).
  const aligned = heap.byteOffset % 4 === 0 ? heap : heap.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(aligned.byteLength / 4));
  const perPage = SNAPSHOT_PAGE / 4;
  let kept = 0;
  for (let page = 0; page < pages; page++) {
    const end = Math.min((page + 1) * perPage, words.length);
    let used = false;
    for (let at = page * perPage; at < end; at++) {
      if (words[at] !== 0) {
        used = true;
        break;
      }
    }
    // A tail shorter than a word is checked byte by byte.
    for (let at = words.length * 4; !used && page === pages - 1 && at < heap.byteLength; at++) used = heap[at] !== 0;
    if (used) {
      map[page >> 3] |= 1 << (page & 7);
      kept += Math.min(SNAPSHOT_PAGE, heap.byteLength - page * SNAPSHOT_PAGE);
    }
  }
  const out = new Uint8Array(SNAPSHOT_HEADER + map.byteLength + kept);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SNAPSHOT_PAGE, true);
  view.setUint32(12, heap.byteLength, true);
  out.set(map, SNAPSHOT_HEADER);
  let at = SNAPSHOT_HEADER + map.byteLength;
  for (let page = 0; page < pages; page++) {
    if (!(map[page >> 3] & (1 << (page & 7)))) continue;
    const start = page * SNAPSHOT_PAGE;
    const piece = heap.subarray(start, Math.min(start + SNAPSHOT_PAGE, heap.byteLength));
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

/**
 * The stored form: `packed` followed by its SHA-256.
 * @param {Uint8Array<ArrayBuffer>} packed from packSnapshot
 * @returns {Promise<Blob>}
 */
export async function sealSnapshot(packed) {
  const digest = await crypto.subtle.digest("SHA-256", packed);
  return new Blob([packed, digest]);
}

/**
 * The heap from its stored form, written into `heap` (all zero, of the heap's size as stored
 * beside it). Throws, naming what is wrong, on anything but an intact snapshot of that size (a
 * wrong digest, length, layout or page size); then `heap` is left untouched.
 * @param {ArrayBuffer} stored
 * @param {Uint8Array} heap
 * @returns {Promise<Uint8Array>} `heap`
 */
export async function unpackSnapshot(stored, heap) {
  const expectedBytes = heap.byteLength;
  if (stored.byteLength < SNAPSHOT_HEADER + SNAPSHOT_DIGEST) throw new Error(`snapshot of ${stored.byteLength} bytes: too short`);
  const body = new Uint8Array(stored, 0, stored.byteLength - SNAPSHOT_DIGEST);
  // The digest is computed off this thread (WebCrypto) while the header is read.
  const digest = crypto.subtle.digest("SHA-256", body);
  digest.catch(() => {}); // awaited below
  const magic = new TextDecoder().decode(body.subarray(0, 8));
  if (magic !== SNAPSHOT_MAGIC) throw new Error(`not a stored snapshot (begins ${JSON.stringify(magic)})`);
  const view = new DataView(stored);
  const pageSize = view.getUint32(8, true);
  const heapBytes = view.getUint32(12, true);
  if (pageSize !== SNAPSHOT_PAGE) throw new Error(`snapshot pages of ${pageSize} bytes, not ${SNAPSHOT_PAGE}`);
  if (heapBytes !== expectedBytes) throw new Error(`snapshot of ${heapBytes} bytes, ${expectedBytes} stored`);
  const pages = Math.ceil(heapBytes / SNAPSHOT_PAGE);
  const mapBytes = Math.ceil(pages / 8);
  const map = body.subarray(SNAPSHOT_HEADER, SNAPSHOT_HEADER + mapBytes);
  let kept = 0;
  for (let page = 0; page < pages; page++) {
    if (map[page >> 3] & (1 << (page & 7))) kept += Math.min(SNAPSHOT_PAGE, heapBytes - page * SNAPSHOT_PAGE);
  }
  if (SNAPSHOT_HEADER + mapBytes + kept !== body.byteLength) {
    throw new Error(`snapshot of ${body.byteLength} bytes, its page map names ${SNAPSHOT_HEADER + mapBytes + kept}`);
  }
  const expected = new Uint8Array(stored, body.byteLength);
  const actual = new Uint8Array(await digest);
  if (!actual.every((byte, index) => byte === expected[index])) throw new Error("the snapshot's SHA-256 differs: damaged");
  let from = SNAPSHOT_HEADER + mapBytes;
  // Runs of stored pages are copied at once.
  for (let page = 0; page < pages; ) {
    if (!(map[page >> 3] & (1 << (page & 7)))) {
      page++;
      continue;
    }
    let end = page + 1;
    while (end < pages && map[end >> 3] & (1 << (end & 7))) end++;
    const start = page * SNAPSHOT_PAGE;
    const length = Math.min(end * SNAPSHOT_PAGE, heapBytes) - start;
    heap.set(body.subarray(from, from + length), start);
    from += length;
    page = end;
  }
  return heap;
}
