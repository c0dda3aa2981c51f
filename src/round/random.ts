/**
 * Counter-based random bits for stochastic rounding: a pure function of (seed, stream, index),
 * so a rounded result never depends on evaluation order or on the number of threads.
 *
 * The definition (generator version 2; `docs/rounding.md` "The random bits" gives it for hardware
 * engineers, with test values): all arithmetic on 32-bit unsigned words, `*` modulo 2^32,
 * `>>` a logical shift.
 *
 * ```text
 * M(x)  = x ^= x >> 16;  x *= 0x21F0AAAD;  x ^= x >> 15;  x *= 0xD35A2D97;  x ^= x >> 15
 * lo    = index mod 2^32,  hi = floor(index / 2^32)
 * K1    = M(M(M(seed ^ 0x9E3779B9) ^ stream) ^ hi)
 * K2    = M(K1 ^ 0x7F4A7C15)
 * bits  = M(M(lo ^ K1) + K2)
 * ```
 *
 * M is a bijection of 32-bit words (a two-multiply mixer found with C. Wellons' "hash prospector",
 * avalanche bias ≈ 0.107), so for one key the 2^32 indices of a block map to the 2^32 words one to one. The key (K1, K2)
 * depends on (seed, stream, hi) only: array kernels compute it once per call and spend two M per
 * element. Not cryptographic; uniform and uncorrelated enough for rounding decisions
 * (`test/round/random.test.ts` holds the statistical checks and the test values).
 */

/** The 32-bit mixer M (a bijection). */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0xd35a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * The first key word K1 of (seed, stream, hi), where hi = floor(index / 2^32). Array kernels call it
 * once per call (and once per 2^32-index block) and mix each element themselves.
 * @internal
 */
export function srKey1(seed: number, stream: number, hi: number): number {
  return mix((mix((mix((seed ^ 0x9e3779b9) >>> 0) ^ stream) >>> 0) ^ hi) >>> 0);
}

/** The second key word K2 = M(K1 ^ 0x7F4A7C15). @internal */
export function srKey2(k1: number): number {
  return mix((k1 ^ 0x7f4a7c15) >>> 0);
}

/** The per-element part: M(M(lo ^ K1) + K2), for lo = index mod 2^32. @internal */
export function srMixIndex(k1: number, k2: number, lo: number): number {
  return mix((mix((lo ^ k1) >>> 0) + k2) >>> 0);
}

// A one-entry cache of the key: scalar callers (ops, MAC units) usually repeat (seed, stream, hi).
let cSeed = -1;
let cStream = -1;
let cHi = -1;
let cK1 = 0;
let cK2 = 0;

/**
 * 32 random bits (an unsigned integer) for element `index` of stream `stream` under `seed`
 * (generator version 2, defined in `docs/rounding.md`). `index` may be any non-negative integer
 * below 2^53.
 *
 * @example
 * ```ts
 * srBits(0, 0, 0); // => 0x018385a3
 * srBits(1, 0, 0) === srBits(1, 0, 0); // => true (a pure function)
 * ```
 */
export function srBits(seed: number, stream: number, index: number): number {
  const lo = index >>> 0;
  const hi = index < 4294967296 ? 0 : Math.floor(index / 4294967296);
  if (seed !== cSeed || stream !== cStream || hi !== cHi) {
    cK1 = srKey1(seed, stream, hi);
    cK2 = srKey2(cK1);
    cSeed = seed;
    cStream = stream;
    cHi = hi;
  }
  return srMixIndex(cK1, cK2, lo);
}

/**
 * The top `r` bits (1..32) of {@link srBits}, as an integer in [0, 2^r).
 *
 * @example
 * ```ts
 * srUniform(0, 0, 0, 8); // => 0x01 (the top byte of srBits(0, 0, 0))
 * ```
 */
export function srUniform(seed: number, stream: number, index: number, r: number): number {
  const b = srBits(seed, stream, index);
  return r === 32 ? b : b >>> (32 - r);
}
