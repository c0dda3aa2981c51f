/**
 * The stochastic-rounding random bits (generator version 2), written from the definition in
 * `docs/rounding.md` ("The random bits") and nothing else: BigInt words, one step per line of the
 * definition. Independent of `src/` (it imports nothing), like the rest of the oracle, so a test can
 * hold `srBits` to the documented definition.
 */

const MASK = 0xffffffffn;

/** M(x): x ^= x >> 16; x *= 0x21F0AAAD; x ^= x >> 15; x *= 0xD35A2D97; x ^= x >> 15 (32-bit words). */
export function oMix(x: bigint): bigint {
  x &= MASK;
  x ^= x >> 16n;
  x = (x * 0x21f0aaadn) & MASK;
  x ^= x >> 15n;
  x = (x * 0xd35a2d97n) & MASK;
  x ^= x >> 15n;
  return x;
}

/** The key words K1, K2 of (seed, stream, hi). */
export function oSrKey(seed: bigint, stream: bigint, hi: bigint): { k1: bigint; k2: bigint } {
  const k1 = oMix(oMix(oMix(seed ^ 0x9e3779b9n) ^ stream) ^ hi);
  const k2 = oMix(k1 ^ 0x7f4a7c15n);
  return { k1, k2 };
}

/** The 32 random bits of element `index` (0 ≤ index < 2^53) of stream `stream` under `seed`. */
export function oSrBits(seed: bigint, stream: bigint, index: bigint): bigint {
  const lo = index & MASK;
  const hi = index >> 32n;
  const { k1, k2 } = oSrKey(seed, stream, hi);
  return oMix((oMix(lo ^ k1) + k2) & MASK);
}

/** U: the top r bits (1 ≤ r ≤ 32). */
export function oSrUniform(seed: bigint, stream: bigint, index: bigint, r: number): bigint {
  return oSrBits(seed, stream, index) >> BigInt(32 - r);
}
