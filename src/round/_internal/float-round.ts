/**
 * The one rounding routine of the float family, in two representations of the exact input:
 * - {@link roundPackBig}: an exact BigInt significand (plus a sticky bit), for every format;
 * - {@link roundPackNum}: a positive binary64 magnitude plus the sign of the remainder, for the
 *   fast path (formats with {@link FloatSpec.fast}).
 * Both decide the increment with the same expression, {@link increment}, and implement
 * `docs/semantics.md` §2 step by step.
 *
 * The fast path returns `code + flags · 2^32` in one number (codes of fast formats are < 2^32, never
 * BigInts: the `as number` narrowings below rely on it), so the hot loops allocate nothing.
 * @internal
 */
import type { FloatSpec } from '../../formats/float.js';
import { bitLength } from '../../formats/exact.js';
import { Flag } from '../../flags.js';
import { Mode } from '../modes.js';

/** Where the exact value lies between the two neighbours: the discarded fraction f. */
export const enum Cls {
  EXACT = 0, // f = 0
  BELOW = 1, // 0 < f < 1/2
  HALF = 2, // f = 1/2
  ABOVE = 3, // 1/2 < f < 1
}

/**
 * The increment decision, one expression per mode (docs/semantics.md §2).
 * `odd` is the kept lsb, `neg` the sign of the exact value, `srUp` the stochastic decision.
 */
export function increment(mode: Mode, neg: boolean, odd: boolean, cls: Cls, srUp: boolean): boolean {
  switch (mode) {
    case Mode.RNE:
      return cls === Cls.ABOVE || (cls === Cls.HALF && odd);
    case Mode.RNA:
      return cls >= Cls.HALF;
    case Mode.RNO:
      return cls === Cls.ABOVE || (cls === Cls.HALF && !odd);
    case Mode.RTZ:
      return false;
    case Mode.RUP:
      return cls !== Cls.EXACT && !neg;
    case Mode.RDN:
      return cls !== Cls.EXACT && neg;
    case Mode.ROD:
      return cls !== Cls.EXACT && !odd;
    case Mode.SR:
      return srUp;
  }
}

/** Does overflow deliver infinity (true) or the largest finite value (false) under the `inf` policy? */
export function overflowToInf(mode: Mode, neg: boolean): boolean {
  switch (mode) {
    case Mode.RTZ:
    case Mode.ROD:
      return false;
    case Mode.RUP:
      return !neg;
    case Mode.RDN:
      return neg;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Code construction shared by both paths (numbers; the BigInt path converts wide codes).

/** Packs sign, biased exponent field and fraction field into a code (a BigInt for wide formats). */
export function pack(s: FloatSpec, neg: boolean, E: number, M: number): number | bigint {
  if (s.wide) return packWide(s, neg, E, M);
  return (neg ? s.signWeight : 0) + E * s.manScale + M;
}
function packWide(s: FloatSpec, neg: boolean, E: number, M: number): bigint {
  return (neg ? 1n << BigInt(s.width - 1) : 0n) | (BigInt(E) << BigInt(s.manBits)) | BigInt(M);
}

/**
 * The code of ±0 (a format without negative zero gives +0; a format without zero, e8m0fnu, gives its
 * NaN, as ml_dtypes does: see {@link zeroFlags}).
 */
export function zeroCode(s: FloatSpec, neg: boolean): number | bigint {
  if (!s.hasZero) return defaultNaNCode(s);
  return pack(s, neg && s.hasNegZero, 0, 0);
}

/** Flags of an exact zero result: none, or invalid in a format without zero. */
export function zeroFlags(s: FloatSpec): number {
  return s.hasZero ? 0 : Flag.invalid;
}

/** The default NaN (docs/semantics.md §3), or the negative-zero code in a format without NaN. */
export function defaultNaNCode(s: FloatSpec): number | bigint {
  switch (s.specials) {
    case 'ieee':
      return pack(s, true, s.expFieldMax, s.manScale / 2);
    case 'fn':
      return pack(s, s.signed, s.expFieldMax, s.manScale - 1);
    case 'fnuz':
    case 'finite':
      return pack(s, true, 0, 0);
  }
}

/** The NaN of this format carrying sign `neg` (quiet, no payload), for formats with signed NaNs. */
export function nanCode(s: FloatSpec, neg: boolean): number | bigint {
  switch (s.specials) {
    case 'ieee':
      return pack(s, neg, s.expFieldMax, s.manScale / 2);
    case 'fn':
      return pack(s, neg && s.signed, s.expFieldMax, s.manScale - 1);
    default:
      return defaultNaNCode(s);
  }
}

export function infCode(s: FloatSpec, neg: boolean): number | bigint {
  return pack(s, neg, s.expFieldMax, 0);
}

export function maxFiniteCode(s: FloatSpec, neg: boolean): number | bigint {
  return pack(s, neg, s.expBits === 0 ? 0 : s.emax + s.bias, s.maxManAtEmax);
}

/** The smallest positive code (the smallest subnormal, or the smallest normal). */
export function minPositiveCode(s: FloatSpec): number | bigint {
  return s.subnormals && s.manBits > 0 ? pack(s, false, 0, 1) : pack(s, false, s.eminField, 0);
}

/** The result of an overflow (docs/semantics.md §2); the caller raises overflow | inexact. */
export function overflowCode(s: FloatSpec, neg: boolean, mode: Mode): number | bigint {
  const toInf = overflowToInf(mode, neg);
  switch (s.overflow) {
    case 'inf':
      return toInf ? infCode(s, neg) : maxFiniteCode(s, neg);
    case 'nan':
      return toInf ? nanCode(s, neg) : maxFiniteCode(s, neg);
    case 'saturate':
      return maxFiniteCode(s, neg);
  }
}

/** Result of a value below the smallest normal in a format without subnormals: flush. */
function flushCode(s: FloatSpec, neg: boolean): number | bigint {
  return s.hasZero ? zeroCode(s, neg) : minPositiveCode(s);
}

// ---------------------------------------------------------------------------------------------
// Fast path on binary64.

export const F64 = new Float64Array(1);
export const U32 = new Uint32Array(F64.buffer);
/** Index of the high 32-bit word of a binary64 in a Uint32Array view (1 on little-endian machines). */
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
export const LO = 1 - HI;

const POW2_OFFSET = 1200;
/** POW2[k + POW2_OFFSET] = 2^k for k in -1200..1100 (exact; 0 below binary64's range). */
export const POW2 = (() => {
  const t = new Float64Array(2301);
  for (let k = -1200; k <= 1100; k++) t[k + POW2_OFFSET] = 2 ** k;
  return t;
})();
export function pow2(k: number): number {
  return POW2[k + POW2_OFFSET]!;
}

/** floor(log2 a) for a positive normal binary64 `a`. */
export function exponentOf(a: number): number {
  F64[0] = a;
  return ((U32[HI]! >>> 20) & 0x7ff) - 1023;
}

/** Packs a result: code + flags · 2^32. */
export const FLAGS_SCALE = 4294967296;

// Multi-value return of roundAtNum (module scratch, overwritten on every call).
let numCls: Cls = Cls.EXACT;

/**
 * Rounds the exact magnitude X (= a, nudged by `rest`) at the fixed position 2^lsb; returns the rounded
 * integer multiple of 2^lsb and leaves the class of the discarded fraction in `numCls`.
 * `rest` = sign of X - a (-1, 0, +1); when non-zero, |X - a| is far below the lsb of `a`'s 53 bits.
 */
function roundAtNum(a: number, rest: number, lsb: number, mode: Mode, neg: boolean, U: number, r: number): number {
  const scaled = a * pow2(-lsb);
  let t = Math.floor(scaled);
  const frac = scaled - t; // exact: scaled has at most 53 significant bits
  let cls: Cls;
  let srUp = false;
  if (frac === 0 && rest < 0) {
    // X is just below t·2^lsb: it truncates to t-1 with a fraction f in (1/2, 1).
    t -= 1;
    cls = Cls.ABOVE;
    srUp = true; // f·2^r > 2^r - 1 >= U
  } else {
    if (frac === 0) cls = rest > 0 ? Cls.BELOW : Cls.EXACT;
    else if (frac < 0.5) cls = Cls.BELOW;
    else if (frac > 0.5) cls = Cls.ABOVE;
    else cls = rest > 0 ? Cls.ABOVE : rest < 0 ? Cls.BELOW : Cls.HALF;
    if (mode === Mode.SR && cls !== Cls.EXACT) {
      const fs = frac * pow2(r);
      let fr = Math.floor(fs);
      let nz = fs !== fr || rest > 0;
      if (rest < 0 && fs === fr) {
        fr -= 1;
        nz = true;
      }
      srUp = fr > U || (fr === U && nz);
    }
  }
  numCls = cls;
  return increment(mode, neg, t % 2 === 1, cls, srUp) ? t + 1 : t;
}

/**
 * Rounds X = ±(a + rest·ε) into `s` (a fast format). `a` is a positive normal binary64 value,
 * `rest` the sign of the exact remainder X - a (relative to the magnitude), which must be far below
 * a's own lsb. Returns code + flags·2^32.
 */
export function roundPackNum(
  s: FloatSpec,
  neg: boolean,
  a: number,
  rest: number,
  mode: Mode,
  tinyBefore: boolean,
  U: number,
  r: number,
): number {
  const m = s.manBits;
  const emin = s.emin;
  // 1. Exponent of X (one lower when a is a power of two and X lies just below it).
  let eX = exponentOf(a);
  if (rest < 0 && a === pow2(eX)) eX -= 1;
  // 2. Rounding position: gradual underflow clamps it at emin - m (also without subnormals: such a
  //    format rounds as if it had them, then flushes, as ac_std_float's No_SubNormals).
  const lsb = (eX < emin ? emin : eX) - m;
  let t = roundAtNum(a, rest, lsb, mode, neg, U, r);
  const inexact = numCls !== Cls.EXACT;
  let e = lsb;
  // 3. A carry out of the significand moves to the next binade (t stays exact: it is even).
  if (t === 2 * s.manScale) {
    t = s.manScale;
    e += 1;
  }
  let flags = inexact ? Flag.inexact : 0;
  // 4. Tiny results: flush without subnormals; underflow flag with them.
  if (eX < emin) {
    if (!s.subnormals && t < s.manScale) {
      // Flush to zero: a result below 2^emin (zero included) becomes ±0, or the smallest value.
      return (flushCode(s, neg) as number) + (Flag.underflow | Flag.inexact) * FLAGS_SCALE;
    }
    if (inexact) {
      let tiny = true;
      if (!tinyBefore && eX === emin - 1) {
        // Tininess after rounding: round with an unbounded exponent range, same mode and same U.
        const tu = roundAtNum(a, rest, emin - 1 - m, mode, neg, U, r);
        tiny = tu < 2 * s.manScale;
      }
      if (tiny) flags |= Flag.underflow;
    }
  }
  if (t === 0) return (zeroCode(s, neg) as number) + flags * FLAGS_SCALE;
  // 5. Overflow, decided on the rounded value with an unbounded exponent range.
  if (t >= s.manScale) {
    const E = e + m;
    if (E > s.emax || (E === s.emax && t - s.manScale > s.maxManAtEmax)) {
      return (overflowCode(s, neg, mode) as number) + (Flag.overflow | Flag.inexact) * FLAGS_SCALE;
    }
    // 6. Pack a normal number: biased exponent, fraction without the hidden bit.
    return (neg ? s.signWeight : 0) + (E + s.bias) * s.manScale + (t - s.manScale) + flags * FLAGS_SCALE;
  }
  // 6'. Pack a subnormal (t < 2^m at lsb = emin - m).
  return (neg ? s.signWeight : 0) + t + flags * FLAGS_SCALE;
}

// ---------------------------------------------------------------------------------------------
// General path on BigInt.

let bigCls: Cls = Cls.EXACT;

function roundAtBig(
  sig: bigint,
  exp: number,
  sticky: boolean,
  lsb: number,
  mode: Mode,
  neg: boolean,
  U: number,
  r: number,
): bigint {
  const shift = lsb - exp;
  let t: bigint;
  let cls: Cls;
  let srUp = false;
  if (shift <= 0) {
    // No bits are dropped. A sticky bit then lies below a kept bit: callers give enough bits that
    // this never happens with sticky set (asserted).
    if (sticky) throw new Error('internal: sticky bit without guard bits');
    t = sig << BigInt(-shift);
    cls = Cls.EXACT;
  } else {
    const sh = BigInt(shift);
    t = sig >> sh;
    const rem = sig & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    if (rem === 0n) cls = sticky ? Cls.BELOW : Cls.EXACT;
    else if (rem < half) cls = Cls.BELOW;
    else if (rem > half) cls = Cls.ABOVE;
    else cls = sticky ? Cls.ABOVE : Cls.HALF;
    if (mode === Mode.SR && cls !== Cls.EXACT) {
      let fr: bigint;
      let nz = sticky;
      if (shift >= r) {
        const d = BigInt(shift - r);
        fr = rem >> d;
        if ((rem & ((1n << d) - 1n)) !== 0n) nz = true;
      } else {
        fr = rem << BigInt(r - shift);
      }
      const Ub = BigInt(U);
      srUp = fr > Ub || (fr === Ub && nz);
    }
  }
  bigCls = cls;
  return increment(mode, neg, (t & 1n) === 1n, cls, srUp) ? t + 1n : t;
}

/** A rounded result of the general path. */
export interface BigResult {
  code: number | bigint;
  flags: number;
}

/**
 * Rounds X = ±(sig + sticky·ε)·2^exp into any format. `sig` ≥ 0; when `sticky`, the exact value is
 * strictly between sig·2^exp and (sig+1)·2^exp and sig must have at least precision + 2 bits.
 */
export function roundPackBig(
  s: FloatSpec,
  neg: boolean,
  sig: bigint,
  exp: number,
  sticky: boolean,
  mode: Mode,
  tinyBefore: boolean,
  U: number,
  r: number,
): BigResult {
  if (sig === 0n) return { code: zeroCode(s, neg), flags: zeroFlags(s) };
  const m = s.manBits;
  const emin = s.emin;
  const eX = exp + bitLength(sig) - 1;
  const lsb = (eX < emin ? emin : eX) - m;
  let t = roundAtBig(sig, exp, sticky, lsb, mode, neg, U, r);
  const inexact = bigCls !== Cls.EXACT;
  let e = lsb;
  const scale = 1n << BigInt(m);
  if (t === 2n * scale) {
    t = scale;
    e += 1;
  }
  let flags = inexact ? Flag.inexact : 0;
  if (eX < emin) {
    if (!s.subnormals && t < scale) return { code: flushCode(s, neg), flags: Flag.underflow | Flag.inexact };
    if (inexact) {
      let tiny = true;
      if (!tinyBefore && eX === emin - 1) {
        const tu = roundAtBig(sig, exp, sticky, emin - 1 - m, mode, neg, U, r);
        tiny = tu < 2n * scale;
      }
      if (tiny) flags |= Flag.underflow;
    }
  }
  if (t === 0n) return { code: zeroCode(s, neg), flags };
  if (t >= scale) {
    const E = e + m;
    const man = t - scale;
    if (E > s.emax || (E === s.emax && man > BigInt(s.maxManAtEmax))) {
      return { code: overflowCode(s, neg, mode), flags: Flag.overflow | Flag.inexact };
    }
    if (s.wide) {
      return {
        code: (neg ? 1n << BigInt(s.width - 1) : 0n) | (BigInt(E + s.bias) << BigInt(m)) | man,
        flags,
      };
    }
    return { code: (neg ? s.signWeight : 0) + (E + s.bias) * s.manScale + Number(man), flags };
  }
  if (s.wide) return { code: (neg ? 1n << BigInt(s.width - 1) : 0n) | t, flags };
  return { code: (neg ? s.signWeight : 0) + Number(t), flags };
}
