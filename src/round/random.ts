/**
 * Counter-based random bits for stochastic rounding: a pure function of (seed, stream, index),
 * so a rounded result never depends on evaluation order or on the number of threads.
 *
 * The generator hashes the three 32-bit words with two rounds of the murmur3 32-bit finaliser
 * (multiply-xorshift), keyed by the seed; it is not cryptographic, and is uniform enough for
 * rounding decisions (see `test/round/random.test.ts` for the statistical checks).
 */

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * 32 random bits (an unsigned integer) for element `index` of stream `stream` under `seed`.
 * `index` may be any non-negative integer below 2^53.
 *
 * @example
 * ```ts
 * srBits(1, 0, 0) === srBits(1, 0, 0); // => true (a pure function)
 * ```
 */
export function srBits(seed: number, stream: number, index: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ Math.imul(stream ^ 0x7f4a7c15, 0x27d4eb2f)) >>> 0);
  h = fmix32((h ^ Math.imul(hi ^ 0x165667b1, 0x85ebca77)) >>> 0);
  h = fmix32((h + Math.imul(lo, 0xc2b2ae3d) + 0x27d4eb2f) >>> 0);
  return h >>> 0;
}

/**
 * The top `r` bits (1..32) of {@link srBits}, as an integer in [0, 2^r).
 *
 * @example
 * ```ts
 * srUniform(7, 0, 3, 8) < 256; // => true
 * ```
 */
export function srUniform(seed: number, stream: number, index: number, r: number): number {
  const b = srBits(seed, stream, index);
  return r === 32 ? b : b >>> (32 - r);
}
