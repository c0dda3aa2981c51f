/**
 * Unpacking codes into (class, sign, integer significand, exponent), for every format.
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';
import type { ExactValue } from '../../../formats/exact.js';

export const enum K {
  ZERO = 0,
  FINITE = 1,
  INF = 2,
  NAN = 3,
}

/** An unpacked code. For FINITE the value is (-1)^neg · sig · 2^exp with sig > 0. */
export interface Unpacked {
  k: K;
  neg: boolean;
  sig: bigint;
  exp: number;
  /** For NaN: quiet (ieee: top fraction bit set; other formats: always quiet). */
  quiet: boolean;
  /** For NaN in ieee formats: the fraction field (payload with the quiet bit). */
  frac: bigint;
}

/** Splits a code into its fields (sign, biased exponent, fraction) as numbers/bigint. */
export function fields(s: FloatSpec, code: number | bigint): { neg: boolean; E: number; M: bigint } {
  const c = typeof code === 'bigint' ? code : BigInt(code);
  const m = BigInt(s.manBits);
  const M = c & ((1n << m) - 1n);
  const E = Number((c >> m) & ((1n << BigInt(s.expBits)) - 1n));
  const neg = s.signed ? ((c >> BigInt(s.width - 1)) & 1n) === 1n : false;
  return { neg, E, M };
}

/** Checks that a code is an integer in [0, 2^width). */
export function checkCode(s: FloatSpec, code: number | bigint, what = 'code'): void {
  if (typeof code === 'bigint') {
    if (code < 0n || code >= 1n << BigInt(s.width)) {
      throw new RangeError(`${what}: must be a ${s.width}-bit code of ${s.name} (0..2^${s.width}-1), got ${code}`);
    }
  } else if (!Number.isInteger(code) || code < 0 || code >= 2 ** s.width) {
    throw new RangeError(`${what}: must be a ${s.width}-bit code of ${s.name} (0..2^${s.width}-1), got ${code}`);
  }
}

/** Unpacks any code of any format (docs/semantics.md §1). */
export function unpack(s: FloatSpec, code: number | bigint): Unpacked {
  const { neg, E, M } = fields(s, code);
  const m = s.manBits;
  const u: Unpacked = { k: K.FINITE, neg, sig: 0n, exp: 0, quiet: true, frac: M };
  const allOnesMan = M === (1n << BigInt(m)) - 1n;
  switch (s.specials) {
    case 'ieee':
      if (E === s.expFieldMax) {
        if (M === 0n) u.k = K.INF;
        else {
          u.k = K.NAN;
          u.quiet = ((M >> BigInt(m - 1)) & 1n) === 1n;
        }
        return u;
      }
      break;
    case 'fn':
      if (E === s.expFieldMax && allOnesMan) {
        u.k = K.NAN;
        return u;
      }
      break;
    case 'fnuz':
      if (neg && E === 0 && M === 0n) {
        u.k = K.NAN;
        return u;
      }
      break;
    case 'finite':
      break;
  }
  if (E < s.eminField) {
    // Exponent field 0 in a format with zero: zero or subnormal (flushed when subnormals are off).
    if (M === 0n || !s.subnormals) {
      // A zero (or a flushed subnormal input); formats without -0 (fnuz) read it as +0.
      u.k = K.ZERO;
      if (!s.hasNegZero) u.neg = false;
      return u;
    }
    u.sig = M;
    u.exp = s.emin - m;
    return u;
  }
  u.sig = M | (1n << BigInt(m));
  u.exp = E - s.bias - m;
  return u;
}

/**
 * The exact value of a code.
 *
 * @example
 * ```ts
 * decodeExact(catalog.fp16, 0x3e00); // => { kind: 'finite', sign: 0, sig: 3n, exp: 0 } (1.5 = 3·2^-1 normalised as 3n, -1)
 * ```
 */
export function unpackedToExact(u: Unpacked): ExactValue {
  const sign: 0 | 1 = u.neg ? 1 : 0;
  switch (u.k) {
    case K.ZERO:
      return { kind: 'zero', sign };
    case K.INF:
      return { kind: 'inf', sign };
    case K.NAN:
      return { kind: 'nan', sign, quiet: u.quiet };
    case K.FINITE: {
      let sig = u.sig;
      let exp = u.exp;
      while ((sig & 1n) === 0n) {
        sig >>= 1n;
        exp += 1;
      }
      return { kind: 'finite', sign, sig, exp };
    }
  }
}
