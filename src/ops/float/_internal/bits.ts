/**
 * Rounding binary64 bit patterns straight into codes, for results that are normal and in range (the
 * common case of the array kernels). For such a value the high word shifted right by `drop = 20 - m`
 * bits *is* the truncated code (biased exponent and m fraction bits) once the exponent bias is
 * exchanged; a carry out of the fraction ripples into the exponent field by itself.
 *
 * The kernels read the words of a Float64Array through an Int32Array view of its buffer (no store and
 * reload per element). They fold the low word into bit 0 of the high word ("jamming": a sticky bit
 * strictly below the guard bit, so `drop` ≥ 2), and decide the increment in the integer domain:
 * - ties to even: `(mag + 2^(drop-1) - 1 + lsb) >> drop` (carries iff guard and (sticky or lsb));
 * - stochastic with r < drop random bits U: the dropped fraction's top r bits fr and the sticky nz of
 *   the rest go up iff fr + nz > U, i.e. iff fr + nz + (2^r - 1 - U) carries out of r bits.
 * Each kernel writes every element's code and returns the OR of the flags plus {@link SLOW_BIT}
 * when some element is not a normal in-range result of a signed format (zero, tiny, overflowing, NaN,
 * ∞, a negative value in an unsigned format): the caller then recomputes those through the scalar path
 * ({@link needsScalar} names them). Per-element flags are a separate pass ({@link inexactFlags}).
 * Loops are unrolled (n must be a multiple of 4): V8 re-checks each typed array once per loop
 * iteration, so the elements of one iteration share those checks.
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';

/** Constants of the bit-level path for one format, or null where it does not apply. */
export interface BitsPlan {
  /** 20 - m: fraction bits of the high word below the kept ones (≥ 2). */
  readonly drop: number;
  /** 2^(drop-1) - 1: added before the shift, with the lsb, for ties to even. */
  readonly halfM1: number;
  /** 2^drop - 1: the dropped bits of the high word. */
  readonly dropMask: number;
  /** (1023 - bias) · 2^m: converts a binary64 biased exponent field into the format's. */
  readonly expAdj: number;
  /** Smallest truncated magnitude code that is a normal number (the code of 2^emin). */
  readonly minT: number;
  /** (minT + expAdj) · 2^drop: the binary64 high word of 2^emin; a smaller magnitude is tiny. */
  readonly lowHi: number;
  /** Largest finite magnitude code. */
  readonly maxT: number;
  /** {@link roundWordsRne} applies: a signed format with at least one fraction bit. */
  readonly rne: boolean;
  /** Weight of the sign bit (0 for unsigned formats). */
  readonly signWeight: number;
  /** 0x80000000 (as an int32) for unsigned formats, whose negatives go to the scalar path; else 0. */
  readonly negMask: number;
}

/** Added to a kernel's return value when some element needs the scalar path. */
export const SLOW_BIT = 256;

/** Elements per kernel call (a multiple of 4: the unrolled loops need no tail but the array's last). */
export const CHUNK = 512;

/**
 * The length of the chunk starting at i0: a short first chunk, so that every instruction of the
 * kernels (those after the loop too) has run before V8 optimises them — an optimised loop entered on
 * its first long call would otherwise deoptimise at its exit, call after call — then CHUNK, clipped
 * at the end of the array.
 */
export function nextChunk(i0: number, n: number): number {
  return Math.min(i0 === 0 ? 8 : CHUNK, n - i0);
}

const PLANS = new WeakMap<FloatSpec, BitsPlan | null>();

/** The plan of a fast format with 1 ≤ expBits and m ≤ 18 fraction bits, else null. */
export function bitsPlan(s: FloatSpec): BitsPlan | null {
  let p = PLANS.get(s);
  if (p !== undefined) return p;
  p = null;
  if (s.fast && !s.wide && s.manBits <= 18 && s.expBits >= 1) {
    const m = s.manBits;
    const drop = 20 - m;
    const maxE = s.emax + s.bias;
    p = {
      drop,
      halfM1: 2 ** (drop - 1) - 1,
      dropMask: 2 ** drop - 1,
      expAdj: (1023 - s.bias) * 2 ** m,
      minT: s.eminField * 2 ** m,
      lowHi: (s.eminField * 2 ** m + (1023 - s.bias) * 2 ** m) * 2 ** drop,
      maxT: maxE * 2 ** m + s.maxManAtEmax,
      rne: s.signed && m >= 1,
      signWeight: s.signed ? s.signWeight : 0,
      negMask: s.signed ? 0 : 0x80000000 | 0,
    };
  }
  PLANS.set(s, p);
  return p;
}

/**
 * Does the element whose high word is `hi` need the scalar path? A strict test on the truncated code
 * (minT ≤ t < maxT, so that no rounding can overflow): every element the kernels flag passes it too,
 * and an element that passes it was rounded correctly by the kernel.
 */
export function needsScalar(p: BitsPlan, hi: number): boolean {
  const t = ((hi & 0x7fffffff) >>> p.drop) - p.expAdj;
  return t < p.minT || t >= p.maxT || (hi & p.negMask) !== 0;
}

/**
 * Ties to even: rounds the binary64 values w[2·(wi+j) .. +1] (words of a Float64Array, high word at
 * `iHi`: 1 on little-endian machines), j < n (n a multiple of 4), into dst[di+j]. Returns the OR of the
 * elements' flags (0 or inexact) plus {@link SLOW_BIT}; an element it leaves to the scalar path may add
 * a false inexact to that OR (its dropped bits are not those of its result), so a caller seeing
 * SLOW_BIT recomputes the chunk's OR ({@link inexactOf} for the others). Per-element flags, when
 * wanted, come from {@link inexactFlags}. Needs {@link BitsPlan.rne} (signed, m ≥ 1).
 */
export function roundWordsRne(
  p: BitsPlan,
  w: Int32Array,
  wi: number,
  n: number,
  dst: Uint8Array | Uint16Array | Uint32Array,
  di: number,
  iHi: number,
): number {
  // `| 0` everywhere: V8 then keeps every constant in an int32 register (a plan field may be a heap
  // number, which would turn the loop's integer arithmetic into float arithmetic).
  const drop = p.drop | 0;
  const halfM1 = p.halfM1 | 0;
  const dropMask = p.dropMask | 0;
  const expAdj = p.expAdj | 0;
  const maxT = p.maxT | 0;
  const signWeight = p.signWeight | 0;
  const lowM = p.lowHi | 0;
  const wOff = (wi << 1) | 0;
  const dOff = di | 0;
  const iLo = (1 - iHi) | 0;
  const hOff = iHi | 0;
  const len = n | 0;
  let all = 0;
  let slow = 0;
  for (let j = 0; j < len; j += 4) {
    const k = wOff + (j << 1);
    const h0 = w[k + hOff]!;
    const l0 = w[k + iLo]!;
    const h1 = w[k + 2 + hOff]!;
    const l1 = w[k + 2 + iLo]!;
    const h2 = w[k + 4 + hOff]!;
    const l2 = w[k + 4 + iLo]!;
    const h3 = w[k + 6 + hOff]!;
    const l3 = w[k + 6 + iLo]!;
    // 1. Magnitude of the high word with the low word jammed into bit 0.
    const m0 = (h0 & 0x7fffffff) | ((l0 | -l0) >>> 31);
    const m1 = (h1 & 0x7fffffff) | ((l1 | -l1) >>> 31);
    const m2 = (h2 & 0x7fffffff) | ((l2 | -l2) >>> 31);
    const m3 = (h3 & 0x7fffffff) | ((l3 | -l3) >>> 31);
    // 2. Round: the carry of guard and (sticky or lsb) ripples through fraction and exponent.
    const c0 = ((m0 + halfM1 + ((m0 >>> drop) & 1)) >>> drop) - expAdj;
    const c1 = ((m1 + halfM1 + ((m1 >>> drop) & 1)) >>> drop) - expAdj;
    const c2 = ((m2 + halfM1 + ((m2 >>> drop) & 1)) >>> drop) - expAdj;
    const c3 = ((m3 + halfM1 + ((m3 >>> drop) & 1)) >>> drop) - expAdj;
    // 3. Tiny (below 2^emin), overflowing, NaN or ∞: flag the chunk for the scalar path.
    slow |= (m0 - lowM) | (maxT - c0) | (m1 - lowM) | (maxT - c1) | (m2 - lowM) | (maxT - c2) | (m3 - lowM) | (maxT - c3);
    // 4. Sign, code, and inexact iff a dropped bit is set.
    dst[dOff + j] = c0 + ((h0 >> 31) & signWeight);
    dst[dOff + j + 1] = c1 + ((h1 >> 31) & signWeight);
    dst[dOff + j + 2] = c2 + ((h2 >> 31) & signWeight);
    dst[dOff + j + 3] = c3 + ((h3 >> 31) & signWeight);
    all |= m0 | m1 | m2 | m3;
  }
  const inexact = (all & dropMask) !== 0 ? 1 : 0;
  return slow < 0 ? inexact | SLOW_BIT : inexact;
}

/**
 * Stochastic rounding with r < drop random bits: as {@link roundWordsRne}, element j drawing
 * U = top r bits of M(M(lo ^ k1) + k2), lo = lo0 + j (the counter-based generator of
 * `src/round/random.ts`, its key precomputed; lo0 + n ≤ 2^32).
 */
export function roundWordsSr(
  p: BitsPlan,
  w: Int32Array,
  wi: number,
  n: number,
  dst: Uint8Array | Uint16Array | Uint32Array,
  di: number,
  iHi: number,
  r: number,
  k1: number,
  k2: number,
  lo0: number,
): number {
  const drop = p.drop | 0;
  const dropMask = p.dropMask | 0;
  const expAdj = p.expAdj | 0;
  const maxT = p.maxT | 0;
  const signWeight = p.signWeight | 0;
  const negMask = p.negMask | 0;
  const lowM = p.lowHi | 0;
  const rb = r | 0;
  // The multipliers of the generator's mixer (src/round/random.ts), as int32 constants.
  const M1 = 0x21f0aaad | 0;
  const M2 = 0xd35a2d97 | 0;
  const sh = (drop - r) | 0; // ≥ 1: the jammed bit 0 lies below the r fraction bits
  const lowMask = ((1 << sh) - 1) | 0;
  const rs = (32 - r) | 0;
  const key1 = k1 | 0;
  const key2 = k2 | 0;
  const lo = lo0 | 0;
  const wOff = wi | 0;
  const dOff = di | 0;
  const iLo = (1 - iHi) | 0;
  const hOff = iHi | 0;
  const len = n | 0;
  let all = 0;
  let slow = 0;
  for (let j = 0; j < len; j += 4) {
    const k = (wOff + j) << 1;
    const h0 = w[k + hOff]!;
    const l0 = w[k + iLo]!;
    const h1 = w[k + 2 + hOff]!;
    const l1 = w[k + 2 + iLo]!;
    const h2 = w[k + 4 + hOff]!;
    const l2 = w[k + 4 + iLo]!;
    const h3 = w[k + 6 + hOff]!;
    const l3 = w[k + 6 + iLo]!;
    const m0 = (h0 & 0x7fffffff) | ((l0 | -l0) >>> 31);
    const m1 = (h1 & 0x7fffffff) | ((l1 | -l1) >>> 31);
    const m2 = (h2 & 0x7fffffff) | ((l2 | -l2) >>> 31);
    const m3 = (h3 & 0x7fffffff) | ((l3 | -l3) >>> 31);
    // 1. The random words of indices lo0 + j .. lo0 + j + 3: M(M(lo ^ k1) + k2).
    let x0 = (lo + j) ^ key1;
    let x1 = (lo + j + 1) ^ key1;
    let x2 = (lo + j + 2) ^ key1;
    let x3 = (lo + j + 3) ^ key1;
    x0 ^= x0 >>> 16;
    x1 ^= x1 >>> 16;
    x2 ^= x2 >>> 16;
    x3 ^= x3 >>> 16;
    x0 = Math.imul(x0, M1);
    x1 = Math.imul(x1, M1);
    x2 = Math.imul(x2, M1);
    x3 = Math.imul(x3, M1);
    x0 ^= x0 >>> 15;
    x1 ^= x1 >>> 15;
    x2 ^= x2 >>> 15;
    x3 ^= x3 >>> 15;
    x0 = Math.imul(x0, M2);
    x1 = Math.imul(x1, M2);
    x2 = Math.imul(x2, M2);
    x3 = Math.imul(x3, M2);
    x0 = ((x0 ^ (x0 >>> 15)) + key2) | 0;
    x1 = ((x1 ^ (x1 >>> 15)) + key2) | 0;
    x2 = ((x2 ^ (x2 >>> 15)) + key2) | 0;
    x3 = ((x3 ^ (x3 >>> 15)) + key2) | 0;
    x0 ^= x0 >>> 16;
    x1 ^= x1 >>> 16;
    x2 ^= x2 >>> 16;
    x3 ^= x3 >>> 16;
    x0 = Math.imul(x0, M1);
    x1 = Math.imul(x1, M1);
    x2 = Math.imul(x2, M1);
    x3 = Math.imul(x3, M1);
    x0 ^= x0 >>> 15;
    x1 ^= x1 >>> 15;
    x2 ^= x2 >>> 15;
    x3 ^= x3 >>> 15;
    x0 = Math.imul(x0, M2);
    x1 = Math.imul(x1, M2);
    x2 = Math.imul(x2, M2);
    x3 = Math.imul(x3, M2);
    // 2. 2^r - 1 - U (U = the top r bits), the fraction's top r bits with the kept code above them,
    //    and the sticky bit of the rest: up iff fr + nz + (2^r - 1 - U) carries out of r bits.
    const v0 = ~(x0 ^ (x0 >>> 15)) >>> rs;
    const v1 = ~(x1 ^ (x1 >>> 15)) >>> rs;
    const v2 = ~(x2 ^ (x2 >>> 15)) >>> rs;
    const v3 = ~(x3 ^ (x3 >>> 15)) >>> rs;
    const c0 = (((m0 >>> sh) + (((m0 & lowMask) + lowMask) >>> sh) + v0) >>> rb) - expAdj;
    const c1 = (((m1 >>> sh) + (((m1 & lowMask) + lowMask) >>> sh) + v1) >>> rb) - expAdj;
    const c2 = (((m2 >>> sh) + (((m2 & lowMask) + lowMask) >>> sh) + v2) >>> rb) - expAdj;
    const c3 = (((m3 >>> sh) + (((m3 & lowMask) + lowMask) >>> sh) + v3) >>> rb) - expAdj;
    slow |= (m0 - lowM) | (maxT - c0) | (h0 & negMask) | (m1 - lowM) | (maxT - c1) | (h1 & negMask) | (m2 - lowM) | (maxT - c2) | (h2 & negMask) | (m3 - lowM) | (maxT - c3) | (h3 & negMask);
    dst[dOff + j] = c0 + ((h0 >> 31) & signWeight);
    dst[dOff + j + 1] = c1 + ((h1 >> 31) & signWeight);
    dst[dOff + j + 2] = c2 + ((h2 >> 31) & signWeight);
    dst[dOff + j + 3] = c3 + ((h3 >> 31) & signWeight);
    all |= m0 | m1 | m2 | m3;
  }
  const inexact = (all & dropMask) !== 0 ? 1 : 0;
  return slow < 0 ? inexact | SLOW_BIT : inexact;
}

/**
 * The per-element flags of the kernels: fl[fi+j] = inexact (1) iff element wi+j has a dropped bit
 * (j < n, n a multiple of 4); returns their OR. For elements the kernels leave to the scalar path the caller overwrites them.
 */
export function inexactFlags(p: BitsPlan, w: Int32Array, wi: number, n: number, fl: Uint8Array, fi: number, iHi: number): number {
  const dropMask = p.dropMask | 0;
  const hOff = (2 * wi + iHi) | 0;
  const lOff = (2 * wi + 1 - iHi) | 0;
  const fOff = fi | 0;
  const len = n | 0;
  let all = 0;
  for (let j = 0; j < len; j += 4) {
    // Unrolled as the kernels (n is a multiple of 4); (x | -x) >>> 31 is 1 iff x ≠ 0.
    const k = j << 1;
    const d0 = (w[hOff + k]! & dropMask) | w[lOff + k]!;
    const d1 = (w[hOff + k + 2]! & dropMask) | w[lOff + k + 2]!;
    const d2 = (w[hOff + k + 4]! & dropMask) | w[lOff + k + 4]!;
    const d3 = (w[hOff + k + 6]! & dropMask) | w[lOff + k + 6]!;
    const f0 = (d0 | -d0) >>> 31;
    const f1 = (d1 | -d1) >>> 31;
    const f2 = (d2 | -d2) >>> 31;
    const f3 = (d3 | -d3) >>> 31;
    fl[fOff + j] = f0;
    fl[fOff + j + 1] = f1;
    fl[fOff + j + 2] = f2;
    fl[fOff + j + 3] = f3;
    all |= f0 | f1 | f2 | f3;
  }
  return all;
}

/** The flags (0 or inexact) the kernels give the element whose words are at w[2i], w[2i+1] (high word at iHi). */
export function inexactOf(p: BitsPlan, w: Int32Array, i: number, iHi: number): number {
  const h = w[2 * i + iHi]!;
  const l = w[2 * i + 1 - iHi]!;
  return ((h & p.dropMask) | l) !== 0 ? 1 : 0;
}
