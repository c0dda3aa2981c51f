import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, sqrtF } from './_internal/fast.js';
import { sqrtG } from './_internal/general.js';

/**
 * Square root, rounded once (IEEE 754 squareRoot; SoftFloat's `f16_sqrt`). sqrt(-0) = -0;
 * sqrt of a negative number is invalid.
 *
 * @example
 * ```ts
 * sqrt(catalog.fp16, 0x4400); // => { code: 0x4000, flags: 0 } (sqrt(4) = 2)
 * ```
 */
export function sqrt(s: FloatSpec, a: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(s, a, 'a');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = sqrtF(s, a as number, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return sqrtG(s, a, ra);
}
