import type { FloatSpec } from '../../formats/float.js';
import { exactFromNumber } from '../../formats/exact.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { SLOW, encodeF } from './_internal/fast.js';
import { fromExact } from './from-exact.js';

/**
 * Encodes a JavaScript number (binary64) into a format, rounding its exact value once (never
 * through float32: no double rounding).
 *
 * @example
 * ```ts
 * encode(catalog.e4m3fn, 464); // => { code: 0x7e, flags: 1 } (a tie: to even, 448)
 * encode(catalog.e4m3fn, 465); // => { code: 0x7f, flags: 5 } (overflow: NaN, as ml_dtypes)
 * encode(catalog.bf16, 1 / 3, context({ rounding: 'rtz' })); // => { code: 0x3eaa, flags: 1 }
 * ```
 */
export function encode(s: FloatSpec, x: number, ctx?: Context, index?: number): FloatResult {
  if (typeof x !== 'number') throw new TypeError(`x: expected a number, got ${typeof x}`);
  const ra = roundArgs(ctx, index);
  const a = Math.abs(x);
  if (s.fast && a < 2 ** 1000 && (a > 2 ** -1000 || a === 0)) {
    const p = encodeF(s, x, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return fromExact(s, exactFromNumber(x), ctx, index);
}
