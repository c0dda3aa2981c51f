import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, addF } from './_internal/fast.js';
import { addG } from './_internal/general.js';

/**
 * a - b, computed exactly and rounded once (IEEE 754 subtraction; SoftFloat's `f16_sub`).
 *
 * @example
 * ```ts
 * sub(catalog.fp16, 0x3c00, 0x3c00); // => { code: 0, flags: 0 } (+0; -0 under rdn)
 * ```
 */
export function sub(s: FloatSpec, a: number | bigint, b: number | bigint, ctx?: Context, index?: number): FloatResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = addF(s, a as number, b as number, true, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return addG(s, a, b, true, ra);
}
