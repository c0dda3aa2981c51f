import type { FixedRaw, FixedSpec } from '../../formats/fixed.js';
import { scaledBigToNumber } from '../../formats/exact.js';

/**
 * The value raw · 2^-frac of a raw fixed-point value as a JavaScript number, rounded once to
 * nearest, ties to even, when binary64 cannot hold it (formats wider than 53 bits, or values beyond
 * binary64's range: ±Infinity, or a correctly rounded subnormal or zero).
 *
 * @example
 * ```ts
 * fixedToNumber(parseFixedFormat('s16.8'), -384); // => -1.5
 * fixedToNumber(parseFixedFormat('u10.-2'), 1023); // => 4092
 * fixedToNumber(parseFixedFormat('s80.0'), (1n << 79n) - 1n); // => 604462909807314587353088 (2^79, rounded)
 * ```
 */
export function fixedToNumber(spec: FixedSpec, raw: FixedRaw): number {
  if (typeof raw === 'number' && spec.unscale !== 0 && Math.abs(raw) <= 2 ** 53) {
    return raw * spec.unscale; // one correctly rounded multiplication by a power of two
  }
  return scaledBigToNumber(BigInt(raw), -spec.frac);
}
