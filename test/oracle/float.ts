// Reference oracle for the float formats of docs/semantics.md (§1-§3).
//
// Independent of src/ by construction: it imports nothing from there and was written from the
// contract alone. Every operation computes its exact result (a rational, or the square root of
// one) and rounds it once:
//   - formats of width ≤ 16: by nearest-neighbour search over a sorted table of every finite
//     encoding (plus one sentinel just above the largest finite value, for overflow);
//   - wider formats: by locating the rounding position with exact comparisons against powers
//     of two.
// Formats without subnormals round on the gradual-underflow grid too (their table holds virtual
// subnormals), then flush a result below 2^emin (§2).
// Both paths share only the table of rounding modes (`roundsUp`), which is the contract's table.
// Slow on purpose; clarity first.

import * as Q from './rational.js';
import type { ORational } from './rational.js';

export type { ORational } from './rational.js';

export type OSpecials = 'ieee' | 'fn' | 'fnuz' | 'finite';
export interface OFormat {
  expBits: number;
  manBits: number;
  bias: number;
  subnormals: boolean;
  specials: OSpecials;
  overflow: 'inf' | 'saturate' | 'nan';
  signed: boolean;
}
export type OMode = 'rne' | 'rna' | 'rno' | 'rtz' | 'rup' | 'rdn' | 'rod' | 'sr';
/** Rounding context. For 'sr', srBits = r (1..32) and srU = U, an integer in [0, 2^r). */
export interface OCtx {
  mode: OMode;
  tininess: 'before' | 'after';
  srBits?: number;
  srU?: number;
}
/** A result code and its flags (1 inexact, 2 underflow, 4 overflow, 8 divByZero, 16 invalid). */
export interface OResult {
  code: bigint;
  flags: number;
}

export const F_INEXACT = 1;
export const F_UNDERFLOW = 2;
export const F_OVERFLOW = 4;
export const F_DIVBYZERO = 8;
export const F_INVALID = 16;

// ---------------------------------------------------------------------------------------------
// Catalog

const ieee = (expBits: number, manBits: number): OFormat => ({
  expBits, manBits, bias: 2 ** (expBits - 1) - 1, subnormals: true, specials: 'ieee', overflow: 'inf', signed: true,
});
/** IEEE binary16: max 65504, min normal 2^-14, min subnormal 2^-24. */
export const fp16: OFormat = ieee(5, 10);
/** bfloat16: max (2-2^-7)·2^127, min normal 2^-126, min subnormal 2^-133. */
export const bf16: OFormat = ieee(8, 7);
/** IEEE binary32. */
export const fp32: OFormat = ieee(8, 23);
/** IEEE binary64 (the JavaScript number). */
export const fp64: OFormat = ieee(11, 52);
/** OCP E4M3 (fn): max 448 (S.1111.110), NaN S.1111.111, min normal 2^-6, min subnormal 2^-9. */
export const e4m3fn: OFormat = { expBits: 4, manBits: 3, bias: 7, subnormals: true, specials: 'fn', overflow: 'nan', signed: true };
/** OCP E5M2 (IEEE-like): max 57344, min normal 2^-14, min subnormal 2^-16. */
export const e5m2: OFormat = ieee(5, 2);
/** e4m3fnuz (bias 8): max 240, NaN 0x80, no -0, min normal 2^-7, min subnormal 2^-10. */
export const e4m3fnuz: OFormat = { expBits: 4, manBits: 3, bias: 8, subnormals: true, specials: 'fnuz', overflow: 'nan', signed: true };
/** e5m2fnuz (bias 16): max 57344, NaN 0x80, no -0, min normal 2^-15, min subnormal 2^-17. */
export const e5m2fnuz: OFormat = { expBits: 5, manBits: 2, bias: 16, subnormals: true, specials: 'fnuz', overflow: 'nan', signed: true };
/** OCP FP4 E2M1: values 0, 0.5, 1, 1.5, 2, 3, 4, 6 (and negatives), saturating. */
export const e2m1fn: OFormat = { expBits: 2, manBits: 1, bias: 1, subnormals: true, specials: 'finite', overflow: 'saturate', signed: true };
/** OCP FP6 E3M2: max 28, min normal 2^-2, min subnormal 2^-4, saturating. */
export const e3m2fn: OFormat = { expBits: 3, manBits: 2, bias: 3, subnormals: true, specials: 'finite', overflow: 'saturate', signed: true };
/** OCP FP6 E2M3: max 7.5, min normal 1, min subnormal 1/8, saturating. */
export const e2m3fn: OFormat = { expBits: 2, manBits: 3, bias: 1, subnormals: true, specials: 'finite', overflow: 'saturate', signed: true };
/** OCP MX scale E8M0: 2^(E-127) for E = 0..254 (min 2^-127, max 2^127), NaN 0xFF, no zero, no sign. */
export const e8m0fnu: OFormat = { expBits: 8, manBits: 0, bias: 127, subnormals: false, specials: 'fn', overflow: 'nan', signed: false };

export const ORACLE_CATALOG: Readonly<Record<string, OFormat>> = {
  fp16, bf16, fp32, fp64, e4m3fn, e5m2, e4m3fnuz, e5m2fnuz, e2m1fn, e3m2fn, e2m3fn, e8m0fnu,
};

// ---------------------------------------------------------------------------------------------
// Format constants, derived here independently

interface Info {
  f: OFormat;
  e: number;
  m: number;
  width: number;
  signMask: bigint; // 0n for unsigned formats
  expOnes: bigint;
  manOnes: bigint;
  emin: number;
  minNormal: ORational;
  maxFinite: ORational;
  maxFiniteCode: bigint;
  hasInf: boolean;
  hasNaN: boolean;
  hasZero: boolean;
  hasNegZero: boolean;
}

const infoCache = new Map<string, Info>();

function keyOf(f: OFormat): string {
  return `${f.expBits}/${f.manBits}/${f.bias}/${f.subnormals}/${f.specials}/${f.overflow}/${f.signed}`;
}

function info(f: OFormat): Info {
  const key = keyOf(f);
  const hit = infoCache.get(key);
  if (hit) return hit;
  const e = f.expBits;
  const m = f.manBits;
  if (!Number.isInteger(e) || e < 0 || e > 11) throw new RangeError(`oracle: bad expBits ${e}`);
  if (!Number.isInteger(m) || m < 0 || m > 63) throw new RangeError(`oracle: bad manBits ${m}`);
  if (!Number.isInteger(f.bias)) throw new RangeError(`oracle: bad bias ${f.bias}`);
  if (f.specials === 'ieee' && (m < 1 || e < 1)) throw new RangeError('oracle: ieee needs manBits ≥ 1 and expBits ≥ 1');
  if ((f.specials === 'fn' || f.specials === 'fnuz') && e < 1) throw new RangeError('oracle: fn/fnuz need expBits ≥ 1');
  if (e === 0 && !f.subnormals) throw new RangeError('oracle: expBits 0 needs subnormals');
  if (!f.signed && (f.subnormals || f.specials !== 'fn')) throw new RangeError('oracle: unsigned formats are fn without subnormals');
  const width = (f.signed ? 1 : 0) + e + m;
  if (width > 64) throw new RangeError('oracle: width > 64');
  const I: Info = {
    f, e, m, width,
    signMask: f.signed ? 1n << BigInt(e + m) : 0n,
    expOnes: (1n << BigInt(e)) - 1n,
    manOnes: (1n << BigInt(m)) - 1n,
    emin: f.signed ? 1 - f.bias : 0 - f.bias,
    minNormal: Q.ZERO,
    maxFinite: Q.ZERO,
    maxFiniteCode: 0n,
    hasInf: f.specials === 'ieee',
    hasNaN: f.specials !== 'finite',
    hasZero: f.signed,
    hasNegZero: f.signed && f.specials !== 'fnuz',
  };
  I.minNormal = Q.pow2(I.emin);
  // The largest finite code, by the rule of each special-value encoding.
  let E: bigint;
  let M: bigint;
  if (e === 0) {
    E = 0n;
    M = I.manOnes;
  } else if (f.specials === 'ieee') {
    E = I.expOnes - 1n;
    M = I.manOnes;
  } else if (f.specials === 'fn') {
    if (m === 0) {
      E = I.expOnes - 1n;
      M = 0n;
    } else {
      E = I.expOnes;
      M = I.manOnes - 1n;
    }
  } else {
    E = I.expOnes;
    M = I.manOnes;
  }
  I.maxFiniteCode = (E << BigInt(m)) | M;
  const v = decodeVal(I, I.maxFiniteCode);
  if (v.k !== 'num') throw new Error('oracle: max finite code does not decode to a number');
  I.maxFinite = v.v;
  infoCache.set(key, I);
  return I;
}

/** Derived constants, for tests: emin, minNormal, maxFinite (as rationals) and the max-finite code. */
export function oFormatInfo(f: OFormat): { width: number; emin: number; minNormal: ORational; maxFinite: ORational; maxFiniteCode: bigint } {
  const I = info(f);
  return { width: I.width, emin: I.emin, minNormal: I.minNormal, maxFinite: I.maxFinite, maxFiniteCode: I.maxFiniteCode };
}

// ---------------------------------------------------------------------------------------------
// Decoding

type Val =
  | { k: 'nan'; neg: boolean; signaling: boolean; man: bigint }
  | { k: 'inf'; neg: boolean }
  | { k: 'zero'; neg: boolean }
  | { k: 'num'; v: ORational }; // non-zero, signed

function checkCode(I: Info, code: bigint): void {
  if (typeof code !== 'bigint' || code < 0n || code >= 1n << BigInt(I.width)) {
    throw new RangeError(`oracle: code ${String(code)} out of range for a ${I.width}-bit format`);
  }
}

function decodeVal(I: Info, code: bigint): Val {
  checkCode(I, code);
  const { m, f } = I;
  const s = I.signMask !== 0n && (code & I.signMask) !== 0n;
  const E = (code >> BigInt(m)) & I.expOnes;
  const M = code & I.manOnes;
  if (f.specials === 'ieee' && E === I.expOnes) {
    if (M === 0n) return { k: 'inf', neg: s };
    return { k: 'nan', neg: s, signaling: ((M >> BigInt(m - 1)) & 1n) === 0n, man: M };
  }
  if (f.specials === 'fn' && E === I.expOnes && M === I.manOnes) return { k: 'nan', neg: s, signaling: false, man: M };
  if (f.specials === 'fnuz' && code === I.signMask) return { k: 'nan', neg: true, signaling: false, man: 0n };
  let mag: ORational;
  if (!f.signed) {
    // E = 0 is an ordinary binade; there is no zero.
    mag = Q.scale2(Q.fromInt((1n << BigInt(m)) + M), Number(E) - f.bias - m);
  } else if (E === 0n) {
    if (!f.subnormals || M === 0n) return { k: 'zero', neg: s && I.hasNegZero };
    mag = Q.scale2(Q.fromInt(M), 1 - f.bias - m);
  } else {
    mag = Q.scale2(Q.fromInt((1n << BigInt(m)) + M), Number(E) - f.bias - m);
  }
  return { k: 'num', v: s ? Q.neg(mag) : mag };
}

/** The exact value of a code: a non-zero rational, a signed zero, an infinity or 'nan'. */
export function oDecode(f: OFormat, code: bigint): ORational | 'nan' | '+inf' | '-inf' | '+0' | '-0' {
  const v = decodeVal(info(f), code);
  switch (v.k) {
    case 'nan': return 'nan';
    case 'inf': return v.neg ? '-inf' : '+inf';
    case 'zero': return v.neg ? '-0' : '+0';
    case 'num': return v.v;
  }
}

/** Is the code a NaN of its format? */
export function oIsNaN(f: OFormat, code: bigint): boolean {
  return decodeVal(info(f), code).k === 'nan';
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

function quietBit(I: Info): bigint {
  return 1n << BigInt(I.m - 1);
}

/** The NaN code of sign `neg` (where NaNs are signed). For 'finite' formats: the -0 code. */
function nanCode(I: Info, neg: boolean): bigint {
  switch (I.f.specials) {
    case 'ieee': return (neg ? I.signMask : 0n) | (I.expOnes << BigInt(I.m)) | quietBit(I);
    case 'fn': return (neg ? I.signMask : 0n) | (I.expOnes << BigInt(I.m)) | I.manOnes;
    case 'fnuz': return I.signMask;
    case 'finite': return I.signMask;
  }
}

/** A NaN result; in a format without NaN it is the -0 code and raises invalid. */
function nanResult(I: Info, neg: boolean, flags: number): OResult {
  return { code: nanCode(I, neg), flags: flags | (I.hasNaN ? 0 : F_INVALID) };
}

function defaultNaN(I: Info): OResult {
  return { code: nanCode(I, true), flags: F_INVALID };
}

function infCode(I: Info, neg: boolean): bigint {
  if (!I.hasInf) throw new Error('oracle: no infinity in this format');
  return (neg ? I.signMask : 0n) | (I.expOnes << BigInt(I.m));
}

function withSign(I: Info, mag: bigint, neg: boolean): bigint {
  if (mag === 0n) return neg && I.hasNegZero ? I.signMask : 0n;
  return neg ? mag | I.signMask : mag;
}

/**
 * An exact zero result (a zero converted, x - x, 0·y, ...). A format without zero (e8m0fnu) has no
 * encoding for it: its NaN, with invalid (§2, as ml_dtypes converts 0 to e8m0fnu's NaN).
 */
function zeroResult(I: Info, neg: boolean): OResult {
  if (!I.hasZero) return nanResult(I, false, F_INVALID);
  return { code: withSign(I, 0n, neg), flags: 0 };
}

/** Encodes a non-negative magnitude that lies on the format's grid and is ≤ maxFinite. */
function encodeMag(I: Info, R: ORational): bigint {
  if (Q.isZero(R)) {
    if (!I.hasZero) throw new Error('oracle: zero in a format without zero');
    return 0n;
  }
  const { m, f } = I;
  const k = Q.log2Floor(R);
  if (f.signed && k < I.emin) {
    const M = Q.scale2(R, m - I.emin);
    if (!Q.isInteger(M) || M.num >= 1n << BigInt(m) || !f.subnormals) throw new Error(`oracle: ${Q.toString(R)} is not a subnormal`);
    return M.num;
  }
  const E = k + f.bias;
  const sig = Q.scale2(R, m - k);
  if (!Q.isInteger(sig)) throw new Error(`oracle: ${Q.toString(R)} is off the grid`);
  const M = sig.num - (1n << BigInt(m));
  if (E < 0 || BigInt(E) > I.expOnes) throw new Error(`oracle: exponent of ${Q.toString(R)} out of range`);
  return (BigInt(E) << BigInt(m)) | M;
}

// ---------------------------------------------------------------------------------------------
// Exact results, seen only through comparisons

/** An exact non-zero real result: its sign, and comparisons of its magnitude with rationals. */
interface Exact {
  neg: boolean;
  /** sign(|x| - q) for q ≥ 0 */
  cmpAbs(q: ORational): -1 | 0 | 1;
  /** floor(log2 |x|) */
  log2Floor(): number;
  /** floor(|x| / 2^L) */
  floorScaled(L: number): bigint;
}

function floorScaledRat(a: ORational, L: number): bigint {
  const n = a.num < 0n ? -a.num : a.num;
  return L >= 0 ? n / (a.den << BigInt(L)) : (n << BigInt(-L)) / a.den;
}

function exactOf(v: ORational): Exact {
  if (Q.isZero(v)) throw new Error('oracle: exactOf(0)');
  const a = Q.abs(v);
  return {
    neg: v.num < 0n,
    cmpAbs: (q) => Q.cmp(a, q),
    log2Floor: () => Q.log2Floor(a),
    floorScaled: (L) => floorScaledRat(a, L),
  };
}

/** sqrt(a) for a > 0: compared through squares, never through floating point. */
function exactSqrt(a: ORational): Exact {
  if (Q.sign(a) <= 0) throw new Error('oracle: exactSqrt needs a > 0');
  return {
    neg: false,
    cmpAbs: (q) => Q.cmp(a, Q.mul(q, q)),
    log2Floor: () => Math.floor(Q.log2Floor(a) / 2), // 4^k ≤ a < 4^(k+1)
    floorScaled: (L) => Q.isqrt(floorScaledRat(a, 2 * L)), // floor(sqrt(y)) = isqrt(floor(y))
  };
}

// ---------------------------------------------------------------------------------------------
// Rounding

function checkCtx(c: OCtx): void {
  const modes: OMode[] = ['rne', 'rna', 'rno', 'rtz', 'rup', 'rdn', 'rod', 'sr'];
  if (!modes.includes(c.mode)) throw new RangeError(`oracle: unknown mode ${String(c.mode)}`);
  if (c.mode === 'sr') {
    const r = c.srBits;
    const U = c.srU;
    if (r === undefined || !Number.isInteger(r) || r < 1 || r > 52) throw new RangeError('oracle: sr needs srBits in 1..52');
    if (U === undefined || !Number.isInteger(U) || U < 0 || U >= 2 ** r) throw new RangeError('oracle: sr needs srU in [0, 2^srBits)');
  }
}

/**
 * The contract's table (§2): does the truncated magnitude get one more unit? Between grid
 * neighbours lo < |x| < hi, with f = (|x| - lo) / (hi - lo) and keptOdd the parity of lo/(hi - lo).
 */
function roundsUp(x: Exact, lo: ORational, hi: ORational, c: OCtx): boolean {
  const s = Q.sub(hi, lo);
  const kept = Q.div(lo, s);
  if (!Q.isInteger(kept)) throw new Error('oracle: grid neighbours are not aligned');
  const keptOdd = (kept.num & 1n) === 1n;
  const half = x.cmpAbs(Q.add(lo, Q.div(s, Q.fromInt(2n)))); // sign(f - 1/2)
  switch (c.mode) {
    case 'rne': return half > 0 || (half === 0 && keptOdd);
    case 'rna': return half >= 0;
    case 'rno': return half > 0 || (half === 0 && !keptOdd);
    case 'rtz': return false;
    case 'rup': return !x.neg;
    case 'rdn': return x.neg;
    case 'rod': return !keptOdd;
    case 'sr': {
      // f·2^r > U  ⇔  |x| > lo + s·U/2^r
      const t = Q.add(lo, Q.mul(s, Q.scale2(Q.fromInt(BigInt(c.srU!)), -c.srBits!)));
      return x.cmpAbs(t) > 0;
    }
  }
}

/** Rounds between lo ≤ |x| < hi; returns the chosen neighbour and exactness. */
function step(x: Exact, lo: ORational, hi: ORational, c: OCtx): { up: boolean; exact: boolean } {
  const a = x.cmpAbs(lo);
  const b = x.cmpAbs(hi);
  if (a < 0 || b >= 0) throw new Error('oracle: value is not between its neighbours');
  if (a === 0) return { up: false, exact: true };
  return { up: roundsUp(x, lo, hi, c), exact: false };
}

/** |x| rounded to m fraction bits with an unbounded exponent range (both ways). */
function roundUnbounded(x: Exact, m: number, c: OCtx): ORational {
  const L = x.log2Floor() - m;
  const n = x.floorScaled(L);
  const lo = Q.scale2(Q.fromInt(n), L);
  const hi = Q.scale2(Q.fromInt(n + 1n), L);
  return step(x, lo, hi, c).up ? hi : lo;
}

function roundsAway(mode: OMode, neg: boolean): boolean {
  switch (mode) {
    case 'rtz': case 'rod': return false;
    case 'rup': return !neg;
    case 'rdn': return neg;
    default: return true;
  }
}

/** The overflow policy that can actually be honoured by the format. */
function policy(I: Info): 'inf' | 'nan' | 'saturate' {
  let p = I.f.overflow;
  if (p === 'inf' && !I.hasInf) p = 'nan';
  if (p === 'nan' && !I.hasNaN) p = 'saturate';
  return p;
}

function overflowResult(I: Info, neg: boolean, mode: OMode): OResult {
  const flags = F_OVERFLOW | F_INEXACT;
  const p = policy(I);
  if (p === 'saturate' || !roundsAway(mode, neg)) return { code: withSign(I, I.maxFiniteCode, neg), flags };
  if (p === 'inf') return { code: infCode(I, neg), flags };
  return { code: nanCode(I, neg), flags };
}

type Rounded = 'overflow' | { codeMag: bigint; mag: ORational; exact: boolean };

/** The code of a rounded magnitude below 2^emin in a format without subnormals: it is flushed. */
const FLUSH = -2n;

// Nearest-neighbour tables for formats of width ≤ 16.
interface Grid {
  vals: ORational[]; // sorted, distinct, non-negative finite values, then the sentinel
  codes: bigint[]; // their (smallest) codes; -1n for the sentinel, FLUSH for virtual subnormals
}
const gridCache = new Map<string, Grid>();

function grid(I: Info): Grid {
  const key = keyOf(I.f);
  const hit = gridCache.get(key);
  if (hit) return hit;
  if (I.width > 16) throw new Error('oracle: no table for formats wider than 16 bits');
  const entries: { v: ORational; code: bigint }[] = [];
  const count = 1n << BigInt(I.f.signed ? I.width - 1 : I.width); // codes with sign bit 0
  for (let code = 0n; code < count; code++) {
    const d = decodeVal(I, code);
    if (d.k === 'zero') entries.push({ v: Q.ZERO, code });
    else if (d.k === 'num') entries.push({ v: d.v, code });
  }
  // A format without subnormals rounds as if it had them (§2), then flushes what lands below 2^emin:
  // its table also holds those virtual values, k·2^(emin-m) for 0 < k < 2^m (and 0 itself where the
  // format has no zero), with the code FLUSH.
  if (!I.f.subnormals) {
    for (let k = I.hasZero ? 1n : 0n; k < 1n << BigInt(I.m); k++) entries.push({ v: Q.scale2(Q.fromInt(k), I.emin - I.m), code: FLUSH });
  }
  entries.sort((p, q) => Q.cmp(p.v, q.v) || (p.code < q.code ? -1 : p.code > q.code ? 1 : 0));
  const g: Grid = { vals: [], codes: [] };
  for (const en of entries) {
    if (g.vals.length > 0 && Q.eq(g.vals[g.vals.length - 1]!, en.v)) {
      if (g.codes[g.codes.length - 1] === FLUSH) throw new Error('oracle: a virtual subnormal equals a code\'s value');
      continue;
    }
    g.vals.push(en.v);
    g.codes.push(en.code);
  }
  const max = g.vals[g.vals.length - 1]!;
  if (!Q.eq(max, I.maxFinite)) throw new Error('oracle: table maximum differs from the derived max finite');
  // The next value of the grid with an unbounded exponent range: max + one ulp of max's binade.
  const ulp = Q.pow2(Math.max(Q.log2Floor(max), I.emin) - I.m);
  g.vals.push(Q.add(max, ulp));
  g.codes.push(-1n);
  gridCache.set(key, g);
  return g;
}

function roundGrid(I: Info, x: Exact, c: OCtx): Rounded {
  const g = grid(I);
  const last = g.vals.length - 1;
  if (x.cmpAbs(g.vals[0]!) < 0) throw new Error('oracle: value below the table');
  // largest i with vals[i] ≤ |x|
  let lo = 0;
  let hi = last + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x.cmpAbs(g.vals[mid]!) >= 0) lo = mid;
    else hi = mid;
  }
  if (lo === last) return 'overflow';
  const r = step(x, g.vals[lo]!, g.vals[lo + 1]!, c);
  const i = r.up ? lo + 1 : lo;
  if (i === last) return 'overflow';
  return { codeMag: g.codes[i]!, mag: g.vals[i]!, exact: r.exact };
}

function roundArith(I: Info, x: Exact, c: OCtx): Rounded {
  // lsb = max(floor(log2|X|), emin) - m, with or without subnormals (§2).
  const L = Math.max(x.log2Floor(), I.emin) - I.m;
  const n = x.floorScaled(L);
  const lo = Q.scale2(Q.fromInt(n), L);
  const hi = Q.scale2(Q.fromInt(n + 1n), L);
  const r = step(x, lo, hi, c);
  const R = r.up ? hi : lo;
  if (Q.cmp(R, I.maxFinite) > 0) return 'overflow';
  const flushed = !I.f.subnormals && Q.cmp(R, I.minNormal) < 0;
  return { codeMag: flushed ? FLUSH : encodeMag(I, R), mag: R, exact: r.exact };
}

export type ORoundMethod = 'auto' | 'table' | 'arith';

/** Rounds a non-zero exact value once into the format (§2), with flags. */
function roundValue(I: Info, x: Exact, c: OCtx, method: ORoundMethod = 'auto'): OResult {
  checkCtx(c);
  // 1. A negative result has no encoding in an unsigned format.
  if (!I.f.signed && x.neg) return nanResult(I, false, F_INVALID);
  // 2. Tininess: before rounding, |X| < 2^emin; after, |X| rounded with an unbounded exponent range.
  const belowMin = x.cmpAbs(I.minNormal) < 0;
  const tinyAfter = Q.cmp(roundUnbounded(x, I.m, c), I.minNormal) < 0;
  const tiny = c.tininess === 'before' ? belowMin : tinyAfter;
  // 3. Round on the format's grid with gradual underflow (bounded below at emin - m, with or
  //    without subnormals), unbounded above (overflow).
  const useTable = method === 'table' || (method === 'auto' && I.width <= 16);
  const r = useTable ? roundGrid(I, x, c) : roundArith(I, x, c);
  if (r === 'overflow') return overflowResult(I, x.neg, c.mode);
  // 4. Without subnormals, a result below 2^emin (a subnormal, or a zero from this non-zero X) is
  //    flushed: to a zero of the sign of X, or where there is no zero (e8m0fnu) to 2^emin.
  if (!I.f.subnormals && Q.cmp(r.mag, I.minNormal) < 0) {
    if (r.codeMag !== FLUSH && !Q.isZero(r.mag)) throw new Error('oracle: a subnormal result without subnormals');
    const code = I.hasZero ? withSign(I, 0n, x.neg) : encodeMag(I, I.minNormal);
    return { code, flags: F_UNDERFLOW | F_INEXACT };
  }
  // 5. Flags: underflow iff tiny and inexact (a result that rounded up to 2^emin included).
  let flags = 0;
  if (!r.exact) {
    flags |= F_INEXACT;
    if (tiny) flags |= F_UNDERFLOW;
  }
  return { code: withSign(I, r.codeMag, x.neg), flags };
}

/**
 * Rounds an exact rational into a format (not part of the shared API: used by the oracle's own
 * tests to hold the table path and the arithmetic path equal). Zero gives +0 (NaN and invalid in a
 * format without zero).
 */
export function oRoundRational(f: OFormat, x: ORational, c: OCtx, method: ORoundMethod = 'auto'): OResult {
  const I = info(f);
  if (Q.isZero(x)) {
    checkCtx(c);
    return zeroResult(I, false);
  }
  return roundValue(I, exactOf(x), c, method);
}

/** Rounds sqrt(x), x > 0 rational, into a format (for the oracle's own tests). */
export function oRoundSqrtOf(f: OFormat, x: ORational, c: OCtx, method: ORoundMethod = 'auto'): OResult {
  return roundValue(info(f), exactSqrt(x), c, method);
}

// ---------------------------------------------------------------------------------------------
// Operations

/** The first NaN operand, quieted (ieee) or as the format's NaN; invalid if any is signalling. */
function propagate(I: Info, vals: Val[], codes: bigint[]): OResult {
  let flags = 0;
  for (const v of vals) if (v.k === 'nan' && v.signaling) flags |= F_INVALID;
  const i = vals.findIndex((v) => v.k === 'nan');
  const v = vals[i]!;
  if (v.k !== 'nan') throw new Error('oracle: propagate without NaN');
  if (I.f.specials === 'ieee') return { code: codes[i]! | quietBit(I), flags };
  return nanResult(I, v.neg, flags);
}

function negVal(v: Val): Val {
  switch (v.k) {
    case 'nan': return v;
    case 'inf': return { k: 'inf', neg: !v.neg };
    case 'zero': return { k: 'zero', neg: !v.neg };
    case 'num': return { k: 'num', v: Q.neg(v.v) };
  }
}

function isNeg(v: Val): boolean {
  return v.k === 'num' ? v.v.num < 0n : v.neg;
}

function ratOf(v: Val): ORational {
  if (v.k === 'zero') return Q.ZERO;
  if (v.k === 'num') return v.v;
  throw new Error('oracle: not finite');
}

/** p + q for finite p, q (zeros signed), rounded once. */
function sumTerms(I: Info, p: Val, q: Val, c: OCtx): OResult {
  checkCtx(c);
  if (p.k === 'zero' && q.k === 'zero') return zeroResult(I, p.neg === q.neg ? p.neg : c.mode === 'rdn');
  const S = Q.add(ratOf(p), ratOf(q));
  if (Q.isZero(S)) return zeroResult(I, c.mode === 'rdn');
  return roundValue(I, exactOf(S), c);
}

function addImpl(f: OFormat, a: bigint, b: bigint, c: OCtx, subtract: boolean): OResult {
  const I = info(f);
  const va = decodeVal(I, a);
  const vb0 = decodeVal(I, b);
  if (va.k === 'nan' || vb0.k === 'nan') return propagate(I, [va, vb0], [a, b]);
  const vb = subtract ? negVal(vb0) : vb0;
  if (va.k === 'inf' || vb.k === 'inf') {
    if (va.k === 'inf' && vb.k === 'inf' && va.neg !== vb.neg) return defaultNaN(I);
    return { code: infCode(I, va.k === 'inf' ? va.neg : isNeg(vb)), flags: 0 };
  }
  return sumTerms(I, va, vb, c);
}

export function oAdd(f: OFormat, a: bigint, b: bigint, c: OCtx): OResult {
  return addImpl(f, a, b, c, false);
}

export function oSub(f: OFormat, a: bigint, b: bigint, c: OCtx): OResult {
  return addImpl(f, a, b, c, true);
}

export function oMul(f: OFormat, a: bigint, b: bigint, c: OCtx): OResult {
  const I = info(f);
  const va = decodeVal(I, a);
  const vb = decodeVal(I, b);
  if (va.k === 'nan' || vb.k === 'nan') return propagate(I, [va, vb], [a, b]);
  const neg = isNeg(va) !== isNeg(vb);
  if (va.k === 'inf' || vb.k === 'inf') {
    if (va.k === 'zero' || vb.k === 'zero') return defaultNaN(I);
    return { code: infCode(I, neg), flags: 0 };
  }
  if (va.k === 'zero' || vb.k === 'zero') {
    checkCtx(c);
    return zeroResult(I, neg);
  }
  return roundValue(I, exactOf(Q.mul(ratOf(va), ratOf(vb))), c);
}

function divByZeroResult(I: Info, neg: boolean): OResult {
  if (I.hasInf) return { code: infCode(I, neg), flags: F_DIVBYZERO };
  if (policy(I) === 'saturate') return { code: withSign(I, I.maxFiniteCode, neg), flags: F_DIVBYZERO };
  return { code: nanCode(I, neg), flags: F_DIVBYZERO };
}

export function oDiv(f: OFormat, a: bigint, b: bigint, c: OCtx): OResult {
  const I = info(f);
  const va = decodeVal(I, a);
  const vb = decodeVal(I, b);
  if (va.k === 'nan' || vb.k === 'nan') return propagate(I, [va, vb], [a, b]);
  const neg = isNeg(va) !== isNeg(vb);
  checkCtx(c);
  if (va.k === 'inf') {
    if (vb.k === 'inf') return defaultNaN(I);
    return { code: infCode(I, neg), flags: 0 };
  }
  if (vb.k === 'inf') return zeroResult(I, neg);
  if (vb.k === 'zero') {
    if (va.k === 'zero') return defaultNaN(I);
    return divByZeroResult(I, neg);
  }
  if (va.k === 'zero') return zeroResult(I, neg);
  return roundValue(I, exactOf(Q.div(ratOf(va), ratOf(vb))), c);
}

/** a·b + c3 with one rounding. */
export function oFma(f: OFormat, a: bigint, b: bigint, c3: bigint, c: OCtx): OResult {
  const I = info(f);
  const va = decodeVal(I, a);
  const vb = decodeVal(I, b);
  const vc = decodeVal(I, c3);
  if (va.k === 'nan' || vb.k === 'nan') return propagate(I, [va, vb, vc], [a, b, c3]);
  const zeroTimesInf = (va.k === 'inf' && vb.k === 'zero') || (va.k === 'zero' && vb.k === 'inf');
  if (zeroTimesInf) return { code: nanCode(I, true), flags: F_INVALID };
  if (vc.k === 'nan') return propagate(I, [vc], [c3]);
  const pNeg = isNeg(va) !== isNeg(vb);
  if (va.k === 'inf' || vb.k === 'inf') {
    if (vc.k === 'inf' && vc.neg !== pNeg) return defaultNaN(I);
    return { code: infCode(I, pNeg), flags: 0 };
  }
  if (vc.k === 'inf') return { code: infCode(I, vc.neg), flags: 0 };
  const p: Val = va.k === 'zero' || vb.k === 'zero' ? { k: 'zero', neg: pNeg } : { k: 'num', v: Q.mul(ratOf(va), ratOf(vb)) };
  return sumTerms(I, p, vc, c);
}

export function oSqrt(f: OFormat, a: bigint, c: OCtx): OResult {
  const I = info(f);
  const va = decodeVal(I, a);
  checkCtx(c);
  if (va.k === 'nan') return propagate(I, [va], [a]);
  if (va.k === 'zero') return zeroResult(I, va.neg);
  if (va.k === 'inf') return va.neg ? defaultNaN(I) : { code: infCode(I, false), flags: 0 };
  if (va.v.num < 0n) return defaultNaN(I);
  return roundValue(I, exactSqrt(va.v), c);
}

/** Converts a code of one format into another, rounding once (§3). */
export function oConvert(from: OFormat, to: OFormat, a: bigint, c: OCtx): OResult {
  const IF = info(from);
  const IT = info(to);
  const v = decodeVal(IF, a);
  checkCtx(c);
  switch (v.k) {
    case 'nan': {
      const flags = v.signaling ? F_INVALID : 0;
      if (IT.f.specials === 'ieee' && IF.f.specials === 'ieee') {
        const payload = IT.m >= IF.m ? v.man << BigInt(IT.m - IF.m) : v.man >> BigInt(IF.m - IT.m);
        const code = (v.neg ? IT.signMask : 0n) | (IT.expOnes << BigInt(IT.m)) | payload | quietBit(IT);
        return { code, flags };
      }
      return nanResult(IT, v.neg && IT.f.signed, flags);
    }
    case 'inf': {
      if (IT.hasInf) return { code: infCode(IT, v.neg), flags: 0 };
      if (!IT.f.signed && v.neg) return nanResult(IT, false, F_INVALID);
      if (policy(IT) === 'saturate') return { code: withSign(IT, IT.maxFiniteCode, v.neg), flags: F_OVERFLOW | F_INEXACT };
      return nanResult(IT, v.neg, F_INVALID);
    }
    case 'zero':
      return zeroResult(IT, v.neg);
    case 'num':
      return roundValue(IT, exactOf(v.v), c);
  }
}

/** The exact value of a JavaScript number (binary64), rounded once into the format. */
export function oFromNumber(to: OFormat, x: number, c: OCtx): OResult {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return oConvert(fp64, to, dv.getBigUint64(0), c);
}

/** An integer, rounded once into the format. */
export function oFromInt(to: OFormat, value: bigint, c: OCtx): OResult {
  const I = info(to);
  checkCtx(c);
  if (value === 0n) return zeroResult(I, false);
  return roundValue(I, exactOf(Q.fromInt(value)), c);
}

/**
 * Float → integer of `width` bits (§3): the code is the integer's two's-complement pattern.
 * 'sr' is not accepted (no random input in this signature).
 */
export function oToInt(f: OFormat, a: bigint, width: number, signed: boolean, mode: OMode, exact: boolean): OResult {
  const I = info(f);
  if (!Number.isInteger(width) || width < 1 || width > 64) throw new RangeError('oracle: integer width must be 1..64');
  if (mode === 'sr') throw new RangeError('oracle: oToInt has no random input for sr');
  checkCtx({ mode, tininess: 'after' });
  const w = BigInt(width);
  const invalidCode = signed ? 1n << (w - 1n) : (1n << w) - 1n;
  const v = decodeVal(I, a);
  if (v.k === 'nan' || v.k === 'inf') return { code: invalidCode, flags: F_INVALID };
  if (v.k === 'zero') return { code: 0n, flags: 0 };
  const x = exactOf(v.v);
  const n = x.floorScaled(0);
  const r = step(x, Q.fromInt(n), Q.fromInt(n + 1n), { mode, tininess: 'after' });
  const mag = r.up ? n + 1n : n;
  const value = x.neg ? -mag : mag;
  const min = signed ? -(1n << (w - 1n)) : 0n;
  const max = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (value < min || value > max) return { code: invalidCode, flags: F_INVALID };
  return { code: BigInt.asUintN(width, value), flags: exact && !r.exact ? F_INEXACT : 0 };
}

/** eq is quiet, lt/le signal on any NaN; NaN compares false; +0 = -0. */
export function oCompare(f: OFormat, op: 'eq' | 'lt' | 'le', a: bigint, b: bigint): { value: boolean; flags: number } {
  const I = info(f);
  const va = decodeVal(I, a);
  const vb = decodeVal(I, b);
  if (va.k === 'nan' || vb.k === 'nan') {
    const signaling = (va.k === 'nan' && va.signaling) || (vb.k === 'nan' && vb.signaling);
    return { value: false, flags: op === 'eq' ? (signaling ? F_INVALID : 0) : F_INVALID };
  }
  // Order: -inf < finite < +inf.
  const rank = (v: Val): number => (v.k === 'inf' ? (v.neg ? -1 : 1) : 0);
  let d: number = rank(va) - rank(vb);
  if (d === 0 && rank(va) === 0) d = Q.cmp(ratOf(va), ratOf(vb));
  const value = op === 'eq' ? d === 0 : op === 'lt' ? d < 0 : d <= 0;
  return { value, flags: 0 };
}
