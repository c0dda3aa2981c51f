import type { FloatSpec } from '../../formats/float.js';
import type { ExactValue } from '../../formats/exact.js';
import { checkCode, unpack, unpackedToExact } from './_internal/unpack.js';
import { decodeNum } from './_internal/fast.js';
import { exactToNumber } from '../../formats/exact.js';

/**
 * The value of a code as a JavaScript number. Exact: every value of every format fits binary64
 * (formats are limited to binary64's range and to at most 53 bits of precision).
 *
 * @example
 * ```ts
 * decode(catalog.e4m3fn, 0x7e); // => 448
 * decode(catalog.e2m1fn, 0x7); // => 6
 * decode(catalog.fp16, 0x7e00); // => NaN
 * ```
 */
export function decode(s: FloatSpec, code: number | bigint): number {
  checkCode(s, code);
  if (!s.wide && s.width <= 32) return decodeNum(s, code as number);
  return exactToNumber(unpackedToExact(unpack(s, code)));
}

/**
 * The exact value of a code (a finite value as sign, BigInt significand and exponent).
 *
 * @example
 * ```ts
 * decodeExact(catalog.fp16, 0x3e00); // => { kind: 'finite', sign: 0, sig: 3n, exp: -1 }
 * ```
 */
export function decodeExact(s: FloatSpec, code: number | bigint): ExactValue {
  checkCode(s, code);
  return unpackedToExact(unpack(s, code));
}
