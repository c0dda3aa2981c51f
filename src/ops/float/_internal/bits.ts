/**
 * Rounding a binary64 bit pattern straight into a code, for results that are normal and in range
 * (the common case of the array kernels). For such a value the high word shifted right by
 * `drop = 20 - m` bits *is* the truncated code (biased exponent and m fraction bits) once the
 * exponent bias is exchanged; the increment is one branch-free expression of guard, sticky and lsb,
 * and a carry out of the fraction ripples into the exponent field by itself. Everything else (tiny or
 * overflowing results, NaN, ∞, more than 19 fraction bits) is left to the scalar path, which the
 * caller detects with one range check.
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';

/** Constants of the bit-level path for one format, or null where it does not apply. */
export interface BitsPlan {
  /** 20 - m: fraction bits of the high word below the kept ones. */
  readonly drop: number;
  /** (1023 - bias) · 2^m: converts a binary64 biased exponent field into the format's. */
  readonly expAdj: number;
  /** Mask of the high-word bits below the guard bit. */
  readonly stickyMask: number;
  /** Smallest truncated magnitude code that is a normal number (the code of 2^emin). */
  readonly minT: number;
  /** Largest finite magnitude code. */
  readonly maxT: number;
  /** 1 when the significand's lsb is the hidden bit (m = 0): ties then round up. */
  readonly oddAlways: number;
  /** Weight of the sign bit (0 for unsigned formats, which leave negatives to the scalar path). */
  readonly signWeight: number;
  readonly signed: boolean;
}

const PLANS = new WeakMap<FloatSpec, BitsPlan | null>();

export function bitsPlan(s: FloatSpec): BitsPlan | null {
  let p = PLANS.get(s);
  if (p !== undefined) return p;
  p = null;
  if (s.fast && !s.wide && s.manBits <= 19 && s.expBits >= 1) {
    const m = s.manBits;
    const drop = 20 - m;
    const maxE = s.emax + s.bias;
    p = {
      drop,
      expAdj: (1023 - s.bias) * 2 ** m,
      stickyMask: (1 << (drop - 1)) - 1,
      minT: s.eminField * 2 ** m,
      maxT: maxE * 2 ** m + s.maxManAtEmax,
      oddAlways: m === 0 ? 1 : 0,
      signWeight: s.signed ? s.signWeight : 0,
      signed: s.signed,
    };
  }
  PLANS.set(s, p);
  return p;
}
