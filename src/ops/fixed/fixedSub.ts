import type { FixedRaw, FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { addExact } from './_internal/addExact.js';

/**
 * a - b of two fixed-point operands (each in its own format), computed at full precision and
 * assigned to `target` with the target's quantisation then overflow mode — exactly ap_fixed's
 * `T r = a - b;` (`docs/semantics.md` §4). `index` names the element for stochastic rounding.
 *
 * @example
 * ```ts
 * const u8 = parseFixedFormat('ap_ufixed<8,4>');
 * fixedSub(u8, 16, u8, 32, u8); // => { raw: 240, flags: 4 } (1 - 2 wraps to 15)
 * fixedSub(u8, 16, u8, 32, parseFixedFormat('ap_ufixed<8,4,AP_TRN,AP_SAT>')); // => { raw: 0, flags: 4 }
 * ```
 */
export function fixedSub(
  aSpec: FixedSpec,
  a: FixedRaw,
  bSpec: FixedSpec,
  b: FixedRaw,
  target: FixedSpec,
  ctx: Context = DEFAULT_CONTEXT,
  index = 0,
): FixedResult {
  return addExact(aSpec, a, bSpec, b, true, target, ctx, index);
}
