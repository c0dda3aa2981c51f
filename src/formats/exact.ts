/**
 * An exact value, the interchange between number systems: every finite code of every format
 * (float or fixed) decodes to one of these without loss, and every rounding starts from one.
 *
 * A finite value is (-1)^sign · sig · 2^exp with `sig` a positive BigInt.
 */
export type ExactValue =
  | { readonly kind: 'zero'; readonly sign: 0 | 1 }
  | { readonly kind: 'finite'; readonly sign: 0 | 1; readonly sig: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly sign: 0 | 1 }
  | { readonly kind: 'nan'; readonly sign: 0 | 1; readonly quiet: boolean };

/**
 * The exact value of a JavaScript number (binary64).
 *
 * @example
 * ```ts
 * exactFromNumber(0.75); // => { kind: 'finite', sign: 0, sig: 3n, exp: -2 }
 * ```
 */
export function exactFromNumber(x: number): ExactValue {
  if (Number.isNaN(x)) return { kind: 'nan', sign: 0, quiet: true };
  const sign: 0 | 1 = x < 0 || Object.is(x, -0) ? 1 : 0;
  if (x === 0) return { kind: 'zero', sign };
  if (!Number.isFinite(x)) return { kind: 'inf', sign };
  let a = Math.abs(x);
  let exp = 0;
  // Scale to an integer significand; every binary64 value is sig·2^exp with sig < 2^53.
  while (!Number.isInteger(a)) {
    a *= 2 ** 64;
    exp -= 64;
  }
  let sig = BigInt(a);
  const tz = trailingZeros(sig);
  sig >>= BigInt(tz);
  return { kind: 'finite', sign, sig, exp: exp + tz };
}

/** Number of trailing zero bits of a positive BigInt. @internal */
export function trailingZeros(v: bigint): number {
  let n = 0;
  while ((v & 0xffffffffn) === 0n) {
    v >>= 32n;
    n += 32;
  }
  while ((v & 1n) === 0n) {
    v >>= 1n;
    n += 1;
  }
  return n;
}

/** Bit length of a non-negative BigInt (0 for 0). @internal */
export function bitLength(v: bigint): number {
  if (v === 0n) return 0;
  let n = 0;
  while (v >= 1n << 1024n) {
    v >>= 1024n;
    n += 1024;
  }
  const s = v.toString(16);
  return n + (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0]!, 16)));
}

/**
 * The exact value as a JavaScript number. Exact when the value is representable in binary64 (every
 * value of every float format is); otherwise the result is only close (use `fromExact` with the `f64`
 * format for a correctly rounded conversion).
 * @internal
 */
export function exactToNumber(v: ExactValue): number {
  switch (v.kind) {
    case 'zero':
      return v.sign ? -0 : 0;
    case 'inf':
      return v.sign ? -Infinity : Infinity;
    case 'nan':
      return NaN;
    case 'finite': {
      let sig = v.sig;
      let exp = v.exp;
      const len = bitLength(sig);
      if (len > 53) {
        sig >>= BigInt(len - 53);
        exp += len - 53;
      }
      const r = scale2(Number(sig), exp);
      return v.sign ? -r : r;
    }
  }
}

/** m · 2^e for an integer m < 2^53, exact whenever the result is representable. @internal */
export function scale2(m: number, e: number): number {
  if (e >= -1022 && e <= 1023) return m * 2 ** e;
  // Two steps: the first is exact (stays normal), only the second may round.
  if (e < -1022) return m * 2 ** (e + 600) * 2 ** -600;
  return m * 2 ** (e - 600) * 2 ** 600;
}
