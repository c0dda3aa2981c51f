import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs, type FloatResult } from './_internal/args.js';
import { fromExactG } from './_internal/general.js';

/**
 * Integer → float, rounded once (SoftFloat's `i32_to_f16`). Accepts a safe integer or a BigInt.
 *
 * @example
 * ```ts
 * fromInt(catalog.fp16, 65520); // => { code: 0x7c00, flags: 5 } (rounds to ∞: overflow)
 * ```
 */
export function fromInt(s: FloatSpec, value: number | bigint, ctx?: Context, index?: number): FloatResult {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (Number.isSafeInteger(value)) v = BigInt(value);
  else throw new RangeError(`value: must be a safe integer or a BigInt, got ${value}`);
  const neg = v < 0n;
  return fromExactG(s, neg, neg ? -v : v, 0, roundArgs(ctx, index));
}
