/**
 * The general path of every float operation: unpack, peel off NaN / infinity / zero, compute the
 * exact result (or the exact result plus a sticky bit) on BigInt, and round once with
 * `roundPackBig`. Correct for every format; the fast path (`fast.ts`) must agree with it bit for bit.
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';
import { bitLength } from '../../../formats/exact.js';
import { Flag } from '../../../flags.js';
import { Mode } from '../../../round/modes.js';
import { infCode, roundPackBig, zeroCode, zeroFlags, maxFiniteCode, nanCode } from '../../../round/_internal/float-round.js';
import { increment, Cls } from '../../../round/_internal/float-round.js';
import { K, unpack, type Unpacked } from './unpack.js';
import { invalidResult, isSignaling, nanInto, propagateNaN, type Res } from './specialize.js';

/** Rounding parameters resolved from a Context for one element. */
export interface RoundArgs {
  mode: Mode;
  tinyBefore: boolean;
  /** Stochastic rounding: the random integer U in [0, 2^r). */
  U: number;
  r: number;
}

/** ±∞ in a format, or what the format gives instead (NaN or ±max) for an exact infinite result. */
export function infResult(s: FloatSpec, neg: boolean): number | bigint {
  if (s.hasInf) return infCode(s, neg);
  return s.overflow === 'saturate' ? maxFiniteCode(s, neg) : nanCode(s, neg);
}

/** Flags that accompany an infinite result in a format without infinities. */
function infFlags(s: FloatSpec): number {
  if (s.hasInf) return 0;
  return s.overflow === 'saturate' ? Flag.overflow | Flag.inexact : Flag.invalid;
}

/** Rounds an exact signed value, applying the unsigned-format rule. */
export function round(s: FloatSpec, neg: boolean, sig: bigint, exp: number, sticky: boolean, ra: RoundArgs): Res {
  if (neg && !s.signed && (sig !== 0n || sticky)) return invalidResult(s);
  return roundPackBig(s, neg, sig, exp, sticky, ra.mode, ra.tinyBefore, ra.U, ra.r);
}

/** The zero of an exact zero sum: the common sign if both addends are zeros of one sign, else +0 (-0 in rdn). */
function zeroSum(s: FloatSpec, negA: boolean, negB: boolean, bothZero: boolean, mode: Mode): Res {
  const neg = bothZero && negA === negB ? negA : mode === Mode.RDN;
  const flags = zeroFlags(s);
  return { code: zeroCode(s, neg), flags };
}

/** Exact signed sum of two finite/zero terms (sig·2^exp), rounded once. */
function sumTerms(
  s: FloatSpec,
  negA: boolean,
  sigA: bigint,
  expA: number,
  negB: boolean,
  sigB: bigint,
  expB: number,
  ra: RoundArgs,
): Res {
  if (sigA === 0n && sigB === 0n) return zeroSum(s, negA, negB, true, ra.mode);
  if (sigA === 0n) return round(s, negB, sigB, expB, false, ra);
  if (sigB === 0n) return round(s, negA, sigA, expA, false, ra);
  const e = Math.min(expA, expB);
  const a = sigA << BigInt(expA - e);
  const b = sigB << BigInt(expB - e);
  const S = (negA ? -a : a) + (negB ? -b : b);
  if (S === 0n) return zeroSum(s, negA, negB, false, ra.mode);
  return S < 0n ? round(s, true, -S, e, false, ra) : round(s, false, S, e, false, ra);
}

export function addG(s: FloatSpec, a: number | bigint, b: number | bigint, negateB: boolean, ra: RoundArgs): Res {
  const x = unpack(s, a);
  const y = unpack(s, b);
  if (x.k === K.NAN || y.k === K.NAN) return propagateNaN(s, x, y);
  const yneg = negateB ? !y.neg : y.neg;
  if (x.k === K.INF || y.k === K.INF) {
    if (x.k === K.INF && y.k === K.INF && x.neg !== yneg) return invalidResult(s);
    return { code: infCode(s, x.k === K.INF ? x.neg : yneg), flags: 0 };
  }
  return sumTerms(s, x.neg, x.sig, x.exp, yneg, y.sig, y.exp, ra);
}

export function mulG(s: FloatSpec, a: number | bigint, b: number | bigint, ra: RoundArgs): Res {
  const x = unpack(s, a);
  const y = unpack(s, b);
  if (x.k === K.NAN || y.k === K.NAN) return propagateNaN(s, x, y);
  const neg = x.neg !== y.neg;
  if (x.k === K.INF || y.k === K.INF) {
    if (x.k === K.ZERO || y.k === K.ZERO) return invalidResult(s);
    return { code: infCode(s, neg), flags: 0 };
  }
  if (x.k === K.ZERO || y.k === K.ZERO) {
    return { code: zeroCode(s, neg), flags: zeroFlags(s) };
  }
  return round(s, neg, x.sig * y.sig, x.exp + y.exp, false, ra);
}

export function fmaG(s: FloatSpec, a: number | bigint, b: number | bigint, c: number | bigint, ra: RoundArgs): Res {
  const x = unpack(s, a);
  const y = unpack(s, b);
  const z = unpack(s, c);
  const negP = x.neg !== y.neg;
  // 1. 0·∞ is invalid whatever c is (a quiet NaN c included), unless a or b is itself a NaN.
  if (x.k === K.NAN || y.k === K.NAN) return propagateNaN(s, x, y, z);
  if ((x.k === K.INF && y.k === K.ZERO) || (x.k === K.ZERO && y.k === K.INF)) {
    const r = invalidResult(s);
    if (isSignaling(z)) r.flags |= Flag.invalid;
    return r;
  }
  if (z.k === K.NAN) return propagateNaN(s, z);
  // 2. Infinite product or addend.
  if (x.k === K.INF || y.k === K.INF) {
    if (z.k === K.INF && z.neg !== negP) return invalidResult(s);
    return { code: infCode(s, negP), flags: 0 };
  }
  if (z.k === K.INF) return { code: infCode(s, z.neg), flags: 0 };
  // 3. Exact product, exact sum, one rounding.
  const pz = x.k === K.ZERO || y.k === K.ZERO;
  if (pz && z.k === K.ZERO) return zeroSum(s, negP, z.neg, true, ra.mode);
  return sumTerms(s, negP, pz ? 0n : x.sig * y.sig, x.exp + y.exp, z.neg, z.sig, z.exp, ra);
}

export function divG(s: FloatSpec, a: number | bigint, b: number | bigint, ra: RoundArgs): Res {
  const x = unpack(s, a);
  const y = unpack(s, b);
  if (x.k === K.NAN || y.k === K.NAN) return propagateNaN(s, x, y);
  const neg = x.neg !== y.neg;
  if (x.k === K.INF) {
    if (y.k === K.INF) return invalidResult(s);
    return { code: infCode(s, neg), flags: 0 };
  }
  if (y.k === K.INF) return { code: zeroCode(s, neg), flags: zeroFlags(s) };
  if (y.k === K.ZERO) {
    if (x.k === K.ZERO) return invalidResult(s);
    if (neg && !s.signed) return invalidResult(s);
    return { code: infResult(s, neg), flags: Flag.divByZero };
  }
  if (x.k === K.ZERO) return { code: zeroCode(s, neg), flags: zeroFlags(s) };
  // Quotient with at least precision + 3 bits (+ r for stochastic rounding), remainder as the sticky bit.
  const k = Math.max(0, s.precision + guardBits(ra) + bitLength(y.sig) - bitLength(x.sig));
  const N = x.sig << BigInt(k);
  const q = N / y.sig;
  const sticky = q * y.sig !== N;
  return round(s, neg, q, x.exp - y.exp - k, sticky, ra);
}

/** Bits kept below the precision when a result is only known with a sticky bit. */
function guardBits(ra: RoundArgs): number {
  return ra.mode === Mode.SR ? ra.r + 3 : 3;
}

/** floor(sqrt(n)) for n ≥ 0. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrtG(s: FloatSpec, a: number | bigint, ra: RoundArgs): Res {
  const x = unpack(s, a);
  if (x.k === K.NAN) return propagateNaN(s, x);
  if (x.k === K.ZERO) return { code: zeroCode(s, x.neg), flags: zeroFlags(s) };
  if (x.neg) return invalidResult(s);
  if (x.k === K.INF) return { code: infCode(s, false), flags: 0 };
  let sig = x.sig;
  let exp = x.exp;
  if (exp % 2 !== 0) {
    sig <<= 1n;
    exp -= 1;
  }
  // Root with at least precision + 3 bits (+ r for stochastic rounding): shift by an even amount 2k.
  const want = 2 * (s.precision + guardBits(ra));
  const k = Math.max(0, Math.ceil((want - bitLength(sig)) / 2));
  const N = sig << BigInt(2 * k);
  const root = isqrt(N);
  return round(s, false, root, exp / 2 - k, root * root !== N, ra);
}

/** Converts a code of `from` into `to`, rounding once. */
export function convertG(from: FloatSpec, to: FloatSpec, a: number | bigint, ra: RoundArgs): Res {
  const x = unpack(from, a);
  switch (x.k) {
    case K.NAN: {
      const flags = isSignaling(x) || !to.hasNaN ? Flag.invalid : 0;
      return { code: nanInto(from, to, x), flags };
    }
    case K.INF:
      if (x.neg && !to.signed) return invalidResult(to);
      return { code: infResult(to, x.neg), flags: infFlags(to) };
    case K.ZERO:
      return { code: zeroCode(to, x.neg), flags: zeroFlags(to) };
    case K.FINITE:
      return round(to, x.neg, x.sig, x.exp, false, ra);
  }
}

/** Rounds an exact value given as sign, significand and exponent (used by encode and fromInt). */
export function fromExactG(to: FloatSpec, neg: boolean, sig: bigint, exp: number, ra: RoundArgs): Res {
  if (sig === 0n) return { code: zeroCode(to, neg), flags: zeroFlags(to) };
  return round(to, neg, sig, exp, false, ra);
}

/** IEEE comparisons (docs/semantics.md §3). */
export function compareG(s: FloatSpec, op: 'eq' | 'lt' | 'le', a: number | bigint, b: number | bigint): { value: boolean; flags: number } {
  const x = unpack(s, a);
  const y = unpack(s, b);
  if (x.k === K.NAN || y.k === K.NAN) {
    const sig = op !== 'eq' || isSignaling(x) || isSignaling(y);
    return { value: false, flags: sig ? Flag.invalid : 0 };
  }
  const c = cmpUnpacked(x, y);
  return { value: op === 'eq' ? c === 0 : op === 'lt' ? c < 0 : c <= 0, flags: 0 };
}

/** Orders two non-NaN unpacked values: -1, 0, 1. */
export function cmpUnpacked(x: Unpacked, y: Unpacked): number {
  const sx = signum(x);
  const sy = signum(y);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  const mag = cmpMag(x, y);
  return sx > 0 ? mag : -mag;
}

function signum(u: Unpacked): number {
  if (u.k === K.ZERO) return 0;
  return u.neg ? -1 : 1;
}

function cmpMag(x: Unpacked, y: Unpacked): number {
  if (x.k === K.INF || y.k === K.INF) return x.k === y.k ? 0 : x.k === K.INF ? 1 : -1;
  const e = Math.min(x.exp, y.exp);
  const a = x.sig << BigInt(x.exp - e);
  const b = y.sig << BigInt(y.exp - e);
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Float → integer of `width` bits (docs/semantics.md §3). The result is the two's complement (or
 * unsigned) bit pattern as a bigint.
 */
export function toIntG(
  s: FloatSpec,
  a: number | bigint,
  width: number,
  signed: boolean,
  exact: boolean,
  ra: RoundArgs,
): { code: bigint; flags: number } {
  const x = unpack(s, a);
  const W = BigInt(width);
  const invalidCode = signed ? 1n << (W - 1n) : (1n << W) - 1n;
  if (x.k === K.NAN || x.k === K.INF) return { code: invalidCode, flags: Flag.invalid };
  if (x.k === K.ZERO) return { code: 0n, flags: 0 };
  // Round the magnitude at 2^0 with the same rounding expression as every other operation.
  const r = roundPackInt(x.neg, x.sig, x.exp, ra);
  const v = x.neg ? -r.value : r.value;
  const lo = signed ? -(1n << (W - 1n)) : 0n;
  const hi = signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n;
  if (v < lo || v > hi) return { code: invalidCode, flags: Flag.invalid };
  const code = v < 0n ? v + (1n << W) : v;
  return { code, flags: r.inexact && exact ? Flag.inexact : 0 };
}


/** Rounds sig·2^exp (magnitude, sign given) to an integer. */
function roundPackInt(neg: boolean, sig: bigint, exp: number, ra: RoundArgs): { value: bigint; inexact: boolean } {
  if (exp >= 0) return { value: sig << BigInt(exp), inexact: false };
  const sh = BigInt(-exp);
  const t = sig >> sh;
  const rem = sig & ((1n << sh) - 1n);
  const half = 1n << (sh - 1n);
  const cls = rem === 0n ? Cls.EXACT : rem < half ? Cls.BELOW : rem > half ? Cls.ABOVE : Cls.HALF;
  let srUp = false;
  if (ra.mode === Mode.SR && cls !== Cls.EXACT) {
    const shift = -exp;
    let fr: bigint;
    let nz = false;
    if (shift >= ra.r) {
      const d = BigInt(shift - ra.r);
      fr = rem >> d;
      nz = (rem & ((1n << d) - 1n)) !== 0n;
    } else fr = rem << BigInt(ra.r - shift);
    srUp = fr > BigInt(ra.U) || (fr === BigInt(ra.U) && nz);
  }
  const inc = increment(ra.mode, neg, (t & 1n) === 1n, cls, srUp);
  return { value: inc ? t + 1n : t, inexact: cls !== Cls.EXACT };
}
