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
 * The exact value as a JavaScript number, rounded once to nearest (ties to even) when it is not
 * representable in binary64 (every value of every float format is; wide fixed-point values may not be).
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
    case 'finite':
      return scaledBigToNumber(v.sign ? -v.sig : v.sig, v.exp);
  }
}

/**
 * v · 2^e rounded once to the nearest binary64 number (ties to even), for any BigInt v and integer
 * e: overflow gives ±Infinity, underflow a correctly rounded subnormal or a zero of v's sign.
 *
 * @example
 * ```ts
 * scaledBigToNumber((1n << 60n) + 1n, -60); // => 1 (the 2^-60 is below half an ulp)
 * scaledBigToNumber(3n, -1076); // => 5e-324 (0.75 of the smallest subnormal rounds up)
 * ```
 * @internal
 */
export function scaledBigToNumber(v: bigint, e: number): number {
  if (v === 0n) return 0;
  const neg = v < 0n;
  let m = neg ? -v : v;
  // 1. Position of the leading bit, and the precision available there (53, fewer if subnormal).
  const len = bitLength(m);
  const top = len - 1 + e;
  if (top > 1024) return neg ? -Infinity : Infinity;
  const p = top >= -1022 ? 53 : top + 1075;
  // 2. Round m to p significant bits, ties to even (p may be 0 or negative: the result is then 0 or the smallest subnormal).
  if (len > p) {
    const sh = len - p;
    if (sh > len + 1) return neg ? -0 : 0;
    const shb = BigInt(sh);
    let q = m >> shb;
    const rem = m - (q << shb);
    const half = 1n << (shb - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    m = q;
    e += sh;
  }
  // 3. m < 2^54 is exact; the scaling is exact too (the result is representable), or overflows to ±Infinity.
  let r = Number(m);
  if (e > 1023) {
    r *= 2 ** 1023;
    e -= 1023;
  } else if (e < -1022) {
    r *= 2 ** (e + 200);
    e = -200;
  }
  r *= 2 ** e;
  return neg ? -r : r;
}
