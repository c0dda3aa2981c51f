import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, addF } from './_internal/fast.js';
import { addG } from './_internal/general.js';

/**
 * a + b, computed exactly and rounded once (IEEE 754 addition; Berkeley SoftFloat's `f16_add`).
 * `index` selects the random bits of stochastic rounding (docs/semantics.md §5).
 *
 * @example
 * ```ts
 * add(catalog.fp16, 0x3c00, 0x3c00); // => { code: 0x4000, flags: 0 } (1 + 1 = 2)
 * add(catalog.e4m3fn, 0x7e, 0x7e); // => { code: 0x7f, flags: 5 } (448 + 448 overflows to NaN)
 * ```
 */
export function add(s: FloatSpec, a: number | bigint, b: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = addF(s, a as number, b as number, false, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return addG(s, a, b, false, ra);
}
