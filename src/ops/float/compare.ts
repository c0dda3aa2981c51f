import type { FloatSpec } from '../../formats/float.js';
import { checkCode } from './_internal/unpack.js';
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
    const r = compareG(s, 'eq', a, b);
    const nan = !r.value && compareG(s, 'le', a, b).value === false && compareG(s, 'le', b, a).value === false;
    return { value: nan, flags: r.flags };
  }
  if (op !== 'eq' && op !== 'lt' && op !== 'le') {
    throw new RangeError(`op: must be one of eq, lt, le, unordered, got ${JSON.stringify(op)}`);
  }
  return compareG(s, op, a, b);
}
