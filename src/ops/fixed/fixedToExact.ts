import { trailingZeros, type ExactValue } from '../../formats/exact.js';
import type { FixedRaw, FixedSpec } from '../../formats/fixed.js';

/**
 * The exact value raw · 2^-frac of a raw fixed-point value (normalised: `sig` odd). `raw` may be a
 * number or a BigInt whatever the width; it must be an integer (a `RangeError` otherwise). A raw
 * outside the format's range is taken as the integer it is.
 *
 * @example
 * ```ts
 * fixedToExact(parseFixedFormat('s16.8'), -384); // => { kind: 'finite', sign: 1, sig: 3n, exp: -1 } (-1.5)
 * fixedToExact(parseFixedFormat('s16.8'), 0); // => { kind: 'zero', sign: 0 }
 * ```
 */
export function fixedToExact(spec: FixedSpec, raw: FixedRaw): ExactValue {
  if (typeof raw === 'number' && !Number.isInteger(raw)) {
    throw new RangeError(`raw: must be an integer, got ${raw}`);
  }
  if (typeof raw !== 'number' && typeof raw !== 'bigint') {
    throw new RangeError(`raw: must be a number or a bigint, got ${typeof raw}`);
  }
  let v = BigInt(raw);
  if (v === 0n) return { kind: 'zero', sign: 0 };
  const sign: 0 | 1 = v < 0n ? 1 : 0;
  if (sign) v = -v;
  const tz = trailingZeros(v);
  return { kind: 'finite', sign, sig: v >> BigInt(tz), exp: tz - spec.frac };
}
