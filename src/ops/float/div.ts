import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, divF } from './_internal/fast.js';
import { divG } from './_internal/general.js';

/**
 * a ÷ b, rounded once (IEEE 754 division; SoftFloat's `f16_div`). x/0 raises divide-by-zero.
 *
 * @example
 * ```ts
 * div(catalog.fp16, 0x3c00, 0x4200); // => { code: 0x3555, flags: 1 } (1/3, inexact)
 * ```
 */
export function div(s: FloatSpec, a: number | bigint, b: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = divF(s, a as number, b as number, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return divG(s, a, b, ra);
}
