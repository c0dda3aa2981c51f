import type { FixedRaw, FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { roundBig } from './_internal/roundBig.js';
import { roundNumber } from './_internal/roundNumber.js';

const MIN_NORMAL = 2 ** -1022;

/**
 * a · b of two fixed-point operands (each in its own format), computed at full precision and
 * assigned to `target` with the target's quantisation then overflow mode — exactly ap_fixed's
 * `T r = a * b;` (`docs/semantics.md` §4). `index` names the element for stochastic rounding.
 *
 * @example
 * ```ts
 * const s8 = parseFixedFormat('ap_fixed<8,4>');
 * const sat = parseFixedFormat('ap_fixed<8,4,AP_RND,AP_SAT>');
 * fixedMul(s8, -128, s8, -128, sat); // => { raw: 127, flags: 4 } (-8 · -8 = 64 saturates to 7.9375)
 * fixedMul(s8, 24, s8, 24, sat); // => { raw: 36, flags: 0 } (1.5 · 1.5 = 2.25)
 * fixedMul(s8, 3, s8, 8, sat); // => { raw: 2, flags: 1 } (1.5 lsb, a tie, up)
 * ```
 */
export function fixedMul(
  aSpec: FixedSpec,
  a: FixedRaw,
  bSpec: FixedSpec,
  b: FixedRaw,
  target: FixedSpec,
  ctx: Context = DEFAULT_CONTEXT,
  index = 0,
): FixedResult {
  const shift = target.frac - aSpec.frac - bSpec.frac; // product lsbs → target lsbs
  // 1. Number path: raw magnitudes below 2^wa and 2^wb, so the product is an exact integer when
  //    wa + wb ≤ 53; its scaling is exact unless it leaves the normal range.
  if (typeof a === 'number' && typeof b === 'number' && !target.wide && aSpec.width + bSpec.width <= 53) {
    const p = a * b;
    if (p === 0) return { raw: 0, flags: 0 };
    const q = p * 2 ** shift;
    const m = Math.abs(q);
    if (shift >= -1022 && shift <= 1023 && m >= MIN_NORMAL && m < Infinity) {
      const out = { raw: 0, flags: 0 };
      out.raw = roundNumber(target, q, ctx, index, out);
      return out;
    }
  }
  // 2. Exact path.
  const P = BigInt(a) * BigInt(b);
  if (P === 0n) return { raw: target.wide ? 0n : 0, flags: 0 };
  return roundBig(target, P < 0n, P < 0n ? -P : P, -shift, ctx, index);
}
