import { exactFromNumber } from '../../formats/exact.js';
import type { FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { roundNumber } from './_internal/roundNumber.js';
import { fixedFromExact } from './fixedFromExact.js';

const MIN_NORMAL = 2 ** -1022;

/**
 * Converts a JavaScript number (binary64) to a fixed format, exactly as ap_fixed's constructor from
 * `double`: quantisation then overflow, each once (`docs/semantics.md` §4). NaN and ±∞ as in
 * {@link fixedFromExact}. `index` names the element for stochastic rounding (`SR`).
 *
 * Fast path: for width ≤ 52, q = x·2^frac is exact in binary64 whenever it is a normal number, and
 * the result is computed on numbers with no BigInt and no allocation but the result object. Other
 * inputs (NaN, ±∞, q subnormal or beyond binary64, wide formats) take the exact path.
 *
 * @example
 * ```ts
 * const f = parseFixedFormat('s16.8:RND_CONV:SAT');
 * fixedFromNumber(f, 1.00390625); // => { raw: 257, flags: 0 }
 * fixedFromNumber(f, 0.005859375); // => { raw: 2, flags: 1 } (1.5 lsb, a tie, to even)
 * fixedFromNumber(f, -1e9); // => { raw: -32768, flags: 4 }
 * fixedFromNumber(parseFixedFormat('ap_fixed<8,4,AP_RND,AP_WRAP>'), 8.5); // => { raw: -120, flags: 4 }
 * ```
 */
export function fixedFromNumber(spec: FixedSpec, x: number, ctx: Context = DEFAULT_CONTEXT, index = 0): FixedResult {
  if (!spec.wide) {
    const q = x * spec.scale;
    const a = Math.abs(q);
    if ((a >= MIN_NORMAL && a < Infinity) || x === 0) {
      const out = { raw: 0, flags: 0 };
      out.raw = roundNumber(spec, q, ctx, index, out);
      return out;
    }
  }
  return fixedFromExact(spec, exactFromNumber(x), ctx, index);
}
