import type { FixedRaw, FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { addExact } from './_internal/addExact.js';

/**
 * a + b of two fixed-point operands (each in its own format), computed at full precision and
 * assigned to `target` with the target's quantisation then overflow mode — exactly ap_fixed's
 * `T r = a + b;` (`docs/semantics.md` §4). The operands' own modes play no part. `index` names the
 * element for stochastic rounding.
 *
 * @example
 * ```ts
 * const s8 = parseFixedFormat('ap_fixed<8,4>');
 * fixedAdd(s8, 100, s8, 50, parseFixedFormat('ap_fixed<8,4,AP_TRN,AP_SAT>')); // => { raw: 127, flags: 4 }
 * fixedAdd(s8, 100, s8, 50, s8); // => { raw: -106, flags: 4 } (wraps)
 * fixedAdd(s8, 3, s8, 0, parseFixedFormat('ap_fixed<6,4,AP_RND_CONV>')); // => { raw: 1, flags: 1 } (0.75 lsb)
 * ```
 */
export function fixedAdd(
  aSpec: FixedSpec,
  a: FixedRaw,
  bSpec: FixedSpec,
  b: FixedRaw,
  target: FixedSpec,
  ctx: Context = DEFAULT_CONTEXT,
  index = 0,
): FixedResult {
  return addExact(aSpec, a, bSpec, b, false, target, ctx, index);
}
