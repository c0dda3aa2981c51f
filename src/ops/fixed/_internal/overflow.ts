/**
 * The overflow step of ap_fixed (`overflow_adjust` in the library), applied to the quantised
 * integer n when the format cannot keep it (`docs/fixed.md`, "Overflow"). One rule, written twice:
 * on numbers (width ≤ 52, every intermediate an exact integer below 2^53) and on BigInts.
 *
 * Inputs: n, the quantised raw value (out of range, or minRaw under signed SAT_SYM); `neg`, the
 * sign of the exact source; `fl` = floor(q), the unrounded source in lsb units (WRAP_SM with N = 0
 * reads its bit W).
 */

import { FixedOverflowCode, type FixedSpec } from '../../../formats/fixed.js';

/**
 * The overflow step on numbers (spec not wide). `n` and `fl` are integers (any magnitude).
 *
 * @example
 * ```ts
 * overflowNumber(parseFixedFormat('s8.4:TRN:SAT'), 300, false, 300); // => 127
 * overflowNumber(parseFixedFormat('s8.0:TRN:WRAP:2'), 200, false, 200); // => 72 (1100_1000 → 0100_1000)
 * ```
 * @internal
 */
export function overflowNumber(spec: FixedSpec, n: number, neg: boolean, fl: number): number {
  const { width, hiNum, loNum } = spec;
  switch (spec.overflowCode) {
    case FixedOverflowCode.SAT:
      return n > hiNum ? hiNum : loNum;
    case FixedOverflowCode.SAT_ZERO:
      return 0;
    case FixedOverflowCode.SAT_SYM:
      // Signed: ±maxRaw (minRaw itself included); a 1-bit format keeps minRaw, as minRaw | 1 = minRaw.
      return n > hiNum ? hiNum : spec.signed && width > 1 ? -hiNum : loNum;
    default:
      return wrapNumber(spec, n, neg, fl);
  }
}

/**
 * x mod m ∈ [0, m) for an integer x and a power of two m ≤ 2^52, exact and never -0 (each step is
 * exact: a division by a power of two, a floor, a product that is a multiple of m, and a difference
 * below 2^52); cheaper than `%`, which is an fmod call on doubles.
 */
function modPow2(x: number, m: number): number {
  return x - Math.floor(x / m) * m;
}

/** WRAP and WRAP_SM on numbers (kept apart so that the saturating modes stay small enough to inline). */
function wrapNumber(spec: FixedSpec, n: number, neg: boolean, fl: number): number {
  const { width, satBits, modNum: mod } = spec;
  // 1. Wrap: the low W bits as an unsigned pattern u ∈ [0, 2^W).
  const half = mod / 2;
  let u = modPow2(n, mod);
  const keep = 2 ** (width - satBits); // weight of the lowest saturated bit
  // 2. The top N bits of the saturated value: ap_fixed copies those of maxRaw (0 1…1) or minRaw
  //    (1 0…0) for signed formats, and sets them to ones for unsigned formats, whatever the sign.
  const top = spec.signed ? (neg ? half : half - keep) : mod - keep;
  if (spec.overflowCode === FixedOverflowCode.WRAP) {
    if (satBits > 0) u = modPow2(u, keep) + top;
  } else {
    // WRAP_SM (signed only): invert all bits when the wrapped sign is wrong, then saturate N bits.
    const msb = u >= half;
    if (satBits === 0) {
      const lD = modPow2(Math.floor(fl / mod), 2) !== 0; // bit W of floor(q)
      if (lD !== msb) u = mod - 1 - u;
    } else if (satBits === 1) {
      if (neg !== msb) u = mod - 1 - u;
    } else {
      const lNo = modPow2(Math.floor(u / keep), 2) !== 0; // bit W-N
      if (lNo === neg) u = mod - 1 - u;
      u = modPow2(u, keep) + top;
    }
  }
  // 3. Back to the raw value.
  return spec.signed && u >= half ? u - mod : u;
}

/**
 * The overflow step on BigInts (any width), the same rule as {@link overflowNumber}.
 *
 * @example
 * ```ts
 * overflowBig(parseFixedFormat('s80.0'), 1n << 80n, false, 1n << 80n); // => 0n (wraps)
 * ```
 * @internal
 */
export function overflowBig(spec: FixedSpec, n: bigint, neg: boolean, fl: bigint): bigint {
  const width = spec.width;
  switch (spec.overflowCode) {
    case FixedOverflowCode.SAT:
      return n > spec.maxRawBig ? spec.maxRawBig : spec.minRawBig;
    case FixedOverflowCode.SAT_ZERO:
      return 0n;
    case FixedOverflowCode.SAT_SYM:
      return n > spec.maxRawBig ? spec.maxRawBig : spec.signed && width > 1 ? -spec.maxRawBig : spec.minRawBig;
    default:
      return wrapBig(spec, n, neg, fl);
  }
}

/** WRAP and WRAP_SM on BigInts. */
function wrapBig(spec: FixedSpec, n: bigint, neg: boolean, fl: bigint): bigint {
  const { width, satBits } = spec;
  const W = BigInt(width);
  const mod = 1n << W;
  const half = mod >> 1n;
  // 1. Wrap.
  let u = BigInt.asUintN(width, n);
  const kb = BigInt(width - satBits);
  const keep = 1n << kb;
  // 2. The saturated top bits.
  const top = spec.signed ? (neg ? half : half - keep) : mod - keep;
  if (spec.overflowCode === FixedOverflowCode.WRAP) {
    if (satBits > 0) u = (u & (keep - 1n)) + top;
  } else {
    const msb = u >= half;
    if (satBits === 0) {
      const lD = ((fl >> W) & 1n) === 1n;
      if (lD !== msb) u = mod - 1n - u;
    } else if (satBits === 1) {
      if (neg !== msb) u = mod - 1n - u;
    } else {
      const lNo = ((u >> kb) & 1n) === 1n;
      if (lNo === neg) u = mod - 1n - u;
      u = (u & (keep - 1n)) + top;
    }
  }
  // 3. Back to the raw value.
  return spec.signed ? BigInt.asIntN(width, u) : u;
}
