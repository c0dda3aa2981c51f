import type { FloatSpec } from '../../formats/float.js';
import { checkCode, fields, unpack, K } from './_internal/unpack.js';
import { pack } from '../../round/_internal/float-round.js';

/**
 * Negation: flips the sign bit (IEEE 754 `negate`, a quiet operation: no flags, NaN payloads kept).
 * In `fnuz` formats 0 stays 0 and the NaN stays NaN; in unsigned formats every code but NaN has no
 * negative, so the result is NaN.
 *
 * @example
 * ```ts
 * neg(catalog.fp16, 0x3c00); // => 0xbc00
 * neg(catalog.e4m3fnuz, 0x00); // => 0x00
 * ```
 */
export function neg(s: FloatSpec, a: number | bigint): number | bigint {
  checkCode(s, a, 'a');
  const u = unpack(s, a);
  const f = fields(s, a);
  if (!s.signed) return u.k === K.NAN ? a : pack(s, false, s.expFieldMax, s.manScale - 1);
  if (s.specials === 'fnuz' && (u.k === K.NAN || (f.E === 0 && f.M === 0n))) return a;
  if (typeof a === 'bigint') return a ^ (1n << BigInt(s.width - 1));
  return a >= s.signWeight ? a - s.signWeight : a + s.signWeight;
}
