import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, unpackResult, type FloatResult } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { SLOW, fmaF } from './_internal/fast.js';
import { fmaG } from './_internal/general.js';

/**
 * a × b + c with a single rounding (IEEE 754 fusedMultiplyAdd; SoftFloat's `f16_mulAdd`).
 * 0 × ∞ + c is invalid even when c is a quiet NaN (x86 SSE behaviour).
 *
 * @example
 * ```ts
 * fma(catalog.fp16, 0xbef8, 0x0890, 0x0000); // => { code: 0x8bf3, flags: 1 }
 * ```
 */
export function fma(
  s: FloatSpec,
  a: number | bigint,
  b: number | bigint,
  c: number | bigint,
  ctx?: Context,
  index?: number,
): FloatResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  checkCode(s, c, 'c');
  const ra = roundArgs(ctx, index);
  if (s.fast) {
    const p = fmaF(s, a as number, b as number, c as number, ra.mode, ra.tinyBefore, ra.U, ra.r);
    if (p !== SLOW) return unpackResult(p);
  }
  return fmaG(s, a, b, c, ra);
}
