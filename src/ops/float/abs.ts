import type { FloatSpec } from '../../formats/float.js';
import { checkCode, unpack, K } from './_internal/unpack.js';

/**
 * Absolute value: clears the sign bit (IEEE 754 `abs`, quiet). The `fnuz` NaN stays NaN.
 *
 * @example
 * ```ts
 * abs(catalog.fp16, 0xbc00); // => 0x3c00
 * ```
 */
export function abs(s: FloatSpec, a: number | bigint): number | bigint {
  checkCode(s, a, 'a');
  if (!s.signed) return a;
  if (s.specials === 'fnuz' && unpack(s, a).k === K.NAN) return a;
  if (typeof a === 'bigint') return a & ((1n << BigInt(s.width - 1)) - 1n);
  return a >= s.signWeight ? a - s.signWeight : a;
}
