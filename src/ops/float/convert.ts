import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, decodeNum, encodeF } from './_internal/fast.js';
import { convertG } from './_internal/general.js';

/**
 * Converts a code of one float format into another, rounding once (SoftFloat's `f32_to_f16`,
 * ml_dtypes' casts). NaNs keep their sign and top payload bits between `ieee` formats.
 *
 * @example
 * ```ts
 * convert(catalog.fp32, catalog.fp16, 0x3f800000); // => { code: 0x3c00, flags: 0 }
 * convert(catalog.fp16, catalog.e4m3fn, 0x7c00); // => { code: 0x7f, flags: 16 } (∞ has no e4m3fn code: NaN)
 * ```
 */
export function convert(from: FloatSpec, to: FloatSpec, a: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(from, a, 'a');
  const ra = roundArgs(ctx, index);
  if (to.fast && from.width <= 32 && !from.wide) {
    const x = decodeNum(from, a as number);
    const ax = Math.abs(x);
    if (x - x === 0 && ax < 2 ** 1000 && (ax > 2 ** -1000 || ax === 0)) {
      const p = encodeF(to, x, ra.mode, ra.tinyBefore, ra.U, ra.r);
      if (p !== SLOW) return unpackResult(p);
    }
  }
  return convertG(from, to, a, ra);
}
