import type { FloatSpec } from '../../formats/float.js';
import { checkCode, unpack, K } from './_internal/unpack.js';
import { isSignaling } from './_internal/specialize.js';
import { Flag } from '../../flags.js';
import { compareG } from './_internal/general.js';

/** The answer of a comparison and its flags. */
export interface CompareResult {
  readonly value: boolean;
  readonly flags: number;
}

/** A comparison predicate. */
export type CompareOp = 'eq' | 'lt' | 'le' | 'unordered';

/**
 * IEEE 754 comparisons (SoftFloat's `f16_eq`, `f16_lt`, `f16_le`): `eq` and `unordered` are quiet
 * (invalid only for a signalling NaN); `lt` and `le` signal invalid for any NaN. A NaN compares false,
 * except that `unordered` is true when either operand is a NaN; +0 = -0.
 *
 * @example
 * ```ts
 * compare(catalog.fp16, 'eq', 0x0000, 0x8000); // => { value: true, flags: 0 }
 * compare(catalog.fp16, 'lt', 0x7e00, 0x3c00); // => { value: false, flags: 16 }
 * ```
 */
export function compare(s: FloatSpec, op: CompareOp, a: number | bigint, b: number | bigint): CompareResult {
  checkCode(s, a, 'a');
  checkCode(s, b, 'b');
  if (op === 'unordered') {
    // Quiet: true iff an operand is a NaN; invalid only for a signalling NaN.
    const x = unpack(s, a);
    const y = unpack(s, b);
    return { value: x.k === K.NAN || y.k === K.NAN, flags: isSignaling(x) || isSignaling(y) ? Flag.invalid : 0 };
  }
  if (op !== 'eq' && op !== 'lt' && op !== 'le') {
    throw new RangeError(`op: must be one of eq, lt, le, unordered, got ${JSON.stringify(op)}`);
  }
  return compareG(s, op, a, b);
}
