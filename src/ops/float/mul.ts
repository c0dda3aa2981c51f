import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, mulF } from './_internal/fast.js';
import { mulG } from './_internal/general.js';

/**
 * a × b, computed exactly and rounded once (IEEE 754 multiplication; SoftFloat's `f16_mul`).
 *
 * @example
 * ```ts
 * mul(catalog.fp16, 0x3e00, 0x3e00); // => { code: 0x4080, flags: 0 } (1.5 × 1.5 = 2.25)
 * ```
 */
export function mul(s: FloatSpec, a: number | bigint, b: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = mulF(s, a as number, b as number, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return mulG(s, a, b, ra);
}
