/**
 * The IDX file format of the MNIST distribution (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * (0, 0, type, dimensions), one big-endian uint32 per dimension, then the data. bitexact reads unsigned
 * byte files (type 0x08): images with 3 dimensions (n, rows, cols) and labels with 1 (n).
 * Pure (no file system): the CLI reads the bytes and passes them here.
 */
import type { Dataset } from './dataset.js';

/** A parsed unsigned-byte IDX array. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an unsigned-byte IDX file. Throws a `RangeError` naming `what` and the problem for a bad
 * magic, an unsupported element type, or a length that does not match the dimensions.
 *
 * @example
 * ```ts
 * parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 7, 9), 'labels'); // => { dims: [2], data: Uint8Array [7, 9] }
 * ```
 */
export function parseIdx(bytes: Uint8Array, what = 'idx'): IdxArray {
  if (bytes.length < 4) throw new RangeError(`${what}: not an IDX file (${bytes.length} bytes, shorter than the 4-byte header)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new RangeError(`${what}: not an IDX file (the magic must start with two zero bytes; is it still gzip-compressed?)`);
  if (bytes[2] !== 0x08) throw new RangeError(`${what}: IDX element type 0x${bytes[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const nd = bytes[3]!;
  if (nd < 1 || nd > 4) throw new RangeError(`${what}: IDX with ${nd} dimensions; expected 1 to 4`);
  if (bytes.length < 4 + 4 * nd) throw new RangeError(`${what}: truncated IDX header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(dv.getUint32(4 + 4 * i, false));
  const size = dims.reduce((p, d) => p * d, 1);
  const start = 4 + 4 * nd;
  if (bytes.length !== start + size) {
    throw new RangeError(`${what}: IDX dimensions [${dims}] need ${size} data bytes, the file has ${bytes.length - start}`);
  }
  return { dims, data: bytes.subarray(start) };
}

/**
 * A dataset from MNIST-style IDX image and label files (pixels 0..255 scaled to [0, 1] by /255).
 * Throws a `RangeError` when the counts differ or a label is not below `classes`.
 */
export function idxDataset(imageBytes: Uint8Array, labelBytes: Uint8Array, name: string, classes = 10): Dataset {
  const im = parseIdx(imageBytes, `${name} images`);
  const lb = parseIdx(labelBytes, `${name} labels`);
  if (im.dims.length !== 3) throw new RangeError(`${name} images: expected 3 dimensions (n, rows, cols), got [${im.dims}]`);
  if (lb.dims.length !== 1) throw new RangeError(`${name} labels: expected 1 dimension (n), got [${lb.dims}]`);
  const [n, rows, cols] = im.dims as [number, number, number];
  if (lb.dims[0] !== n) throw new RangeError(`${name}: ${n} images but ${lb.dims[0]} labels`);
  const images = new Float64Array(im.data.length);
  for (let i = 0; i < images.length; i++) images[i] = im.data[i]! / 255;
  const labels = new Uint8Array(lb.data);
  for (let i = 0; i < n; i++) if (labels[i]! >= classes) throw new RangeError(`${name} labels: label ${labels[i]} at ${i} is not below ${classes}`);
  return { name, n, rows, cols, images, labels, classes };
}
