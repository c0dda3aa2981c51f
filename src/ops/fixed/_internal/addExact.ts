/**
 * a ± b of two fixed operands, exact, assigned to `target` (shared by fixedAdd and fixedSub).
 */

import type { FixedRaw, FixedResult, FixedSpec } from '../../../formats/fixed.js';
import type { Context } from '../../../round/modes.js';
import { roundBig } from './roundBig.js';
import { roundNumber } from './roundNumber.js';

const MIN_NORMAL = 2 ** -1022;

/**
 * a + b (or a - b when `subtract`) at full precision, assigned to `target`.
 *
 * @example
 * ```ts
 * const s8 = parseFixedFormat('s8.4');
 * addExact(s8, 100, s8, 50, false, s8, DEFAULT_CONTEXT, 0); // => { raw: -106, flags: 4 }
 * ```
 * @internal
 */
export function addExact(
  aSpec: FixedSpec,
  a: FixedRaw,
  bSpec: FixedSpec,
  b: FixedRaw,
  subtract: boolean,
  target: FixedSpec,
  ctx: Context,
  index: number,
): FixedResult {
  // 1. Align both operands on the finer lsb L (the larger frac).
  const L = aSpec.frac > bSpec.frac ? aSpec.frac : bSpec.frac;
  const sa = L - aSpec.frac;
  const sb = L - bSpec.frac;
  // 2. Number path: aligned magnitudes below 2^52, so the sum is an exact integer below 2^53,
  //    and its scaling to target lsbs is exact unless it leaves the normal range.
  if (typeof a === 'number' && typeof b === 'number' && !target.wide && aSpec.width + sa <= 52 && bSpec.width + sb <= 52) {
    const s = subtract ? a * 2 ** sa - b * 2 ** sb : a * 2 ** sa + b * 2 ** sb;
    if (s === 0) return { raw: 0, flags: 0 };
    const d = target.frac - L;
    const q = s * 2 ** d;
    const m = Math.abs(q);
    if (d >= -1022 && d <= 1023 && m >= MIN_NORMAL && m < Infinity) {
      const out = { raw: 0, flags: 0 };
      out.raw = roundNumber(target, q, ctx, index, out);
      return out;
    }
  }
  // 3. Exact path: the sum as a BigInt in units of 2^-L, then one rounding into the target.
  const A = BigInt(a) << BigInt(sa);
  const B = BigInt(b) << BigInt(sb);
  const s = subtract ? A - B : A + B;
  if (s === 0n) return { raw: target.wide ? 0n : 0, flags: 0 };
  return roundBig(target, s < 0n, s < 0n ? -s : s, L - target.frac, ctx, index);
}
