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
 * The exact value as a JavaScript number, rounded to nearest (ties to even) if not representable.
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
      // Keep 64 significant bits then let one conversion round (the low bits fold into a sticky bit).
      const len = bitLength(v.sig);
      let sig = v.sig;
      let exp = v.exp;
      if (len > 64) {
        const sh = BigInt(len - 64);
        const sticky = (sig & ((1n << sh) - 1n)) !== 0n ? 1n : 0n;
        sig = (sig >> sh) | sticky;
        exp += len - 64;
      }
      const m = Number(sig); // ≤ 64 bits: rounds once to 53 bits (sticky kept in bit 0)
      const r = scale2(m, exp);
      return v.sign ? -r : r;
    }
  }
}

/** m · 2^e computed without intermediate overflow/underflow (m exact or already rounded once). @internal */
export function scale2(m: number, e: number): number {
  // Split the exponent so that each multiplication is by a normal power of two.
  while (e > 1000) {
    m *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    // Avoid double rounding in the subnormal range: only the last step may round.
    if (e >= -1074 - 60) break;
    m *= 2 ** -1000;
    e += 1000;
  }
  return m * 2 ** e;
}
