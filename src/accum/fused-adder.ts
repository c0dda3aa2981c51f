/**
 * The n-term fused adder: the summation structure of GPU matrix units (DESIGN.md §4, "an n-term fused
 * adder"). A group of G products and an addend c are aligned to the largest exponent, cut onto a fixed
 * grid below it, added exactly, and normalised and rounded once. Longer dot products chain groups: each
 * group's rounded result is the next group's addend.
 *
 * The model, its parameters and the measured data that pin them down are those of
 * F. A. Khattak and M. Mikaitis, "Accurate Models of NVIDIA Tensor Cores" (ACM TACO, doi:10.1145/3830409;
 * arXiv:2512.07004), as restated in `../shared/vectors/tensor-core/README.md` ("The model, step by step");
 * the numbered steps below follow that README. The parameters are plain data ({@link FusedAdderParams});
 * {@link fusedAdderUnit} validates them once and returns a {@link DotUnit}. Presets: `presets/nvidia.ts`.
 *
 * The steps, numbered as in the README (the code carries the same numbers):
 *
 *  0. Special values, once for the whole dot product, before any grouping: a NaN operand or addend, ∞·0,
 *     or infinities of both signs give NaN (`nanCode`); otherwise one infinity gives that infinity.
 *  1. Zero products drop out (they do not move the anchor). Nothing left and c = 0: +0.
 *  2. Each operand x ≠ 0 is m_x·2^e_x with e_x = max(floor(log2|x|), emin of its format) (subnormals kept).
 *  3. Products are exact, with the nominal exponent e_a + e_b (significand in (0, 4)), or renormalised
 *     (`renormaliseProducts`).
 *  4. c (the caller's, or the previous group's result) has e_c = max(floor(log2|c|), `cEmin`).
 *  5. Anchor E = max(all e_p, e_c), then max(E, `alignFloor`).
 *  6. Every magnitude is put onto the grid 2^(E − w), w = `windowBase` + `extraAlignBits`, by
 *     `alignRounding` (NVIDIA: truncation, no sticky bit).
 *  7. The signed integers are added exactly (no width limit).
 *  8. The sum is normalised once and rounded once, by `outputRounding`, to `outputFractionBits` with
 *     gradual underflow at the output format's emin. S = 0 gives +0; a non-zero S keeps its sign.
 *  9. A rounded value at or beyond 2^(emax+1) gives ±∞ (`overflow: 'inf'`) or follows the format's rule.
 * 10. K > G: groups of G consecutive products, in order; the first takes c, each later one the previous
 *     group's rounded result. With `addend: 'late'` the groups start from 0 and c is added at the end by
 *     one ordinary addition in the output format rounded by `lateRounding`.
 *
 * Flags (the hardware raises none; these describe the model): inexact when a step discarded non-zero bits,
 * underflow when such a rounding had a sum below 2^emin (tininess before rounding), overflow, invalid.
 * Statistics: `inexact` counts the terms cut at alignment and the inexact roundings; `swamped` the non-zero
 * terms cut to nothing at alignment (or a c that left the late addition unchanged).
 *
 * Arithmetic is exact. Two implementations of the same steps: integers held in binary64 numbers where
 * every intermediate value provably stays an integer below 2^53 (fp32 and narrower formats, windows up to
 * about 45 bits), and BigInt otherwise (`arithmetic: 'bigint'` forces it; the tests hold the two equal).
 */
import type { FloatSpec } from '../formats/float.js';
import { bitLength, type ExactValue } from '../formats/exact.js';
import { Flag } from '../flags.js';
import { context, modeCode, Mode, type Context, type RoundingMode } from '../round/modes.js';
import { add } from '../ops/float/add.js';
import { convert } from '../ops/float/convert.js';
import { decode, decodeExact } from '../ops/float/decode.js';
import { encode } from '../ops/float/encode.js';
import { fromExact } from '../ops/float/from-exact.js';
import { addStats, emptyStats, saturates, type DotResult, type DotUnit, type MacStats } from './types.js';

/**
 * How each term's magnitude is put onto the alignment grid 2^(E - w) (step 6).
 * - `truncate`: magnitude truncated toward zero, no sticky bit (NVIDIA, per Khattak & Mikaitis).
 * - `floor`: the signed value floored (two's complement truncation: negative terms move away from zero).
 * - `rne`: magnitude rounded to the nearest grid point, ties to even.
 * - `sticky`: one guard position below the grid, set when any lower bit is non-zero (the magnitude is
 *   truncated onto the grid 2^(E - w - 1) and jammed: round to odd). The sum then has w + 1 bits.
 */
export type AlignRounding = 'truncate' | 'floor' | 'rne' | 'sticky';

/** Where the addend c enters. */
export type AddendPlacement =
  /** Aligned and summed with the products of the first group (NVIDIA's tensor cores). */
  | 'first-group'
  /** Groups run with a zero addend; c is added to the rounded result by one separate addition. */
  | 'late';

/**
 * The parameters of an n-term fused adder (the `fused-adder` summation structure of a MAC spec).
 * Plain data: every field is a number, a string, a boolean or a format spec.
 */
export interface FusedAdderParams {
  /** Unit name, e.g. `nvidia-a100-fp16-fp32`. */
  readonly name: string;
  /** One line for `bitexact macs`. */
  readonly description: string;
  /** Where the model and its parameters come from. */
  readonly source: string;
  /** Operand formats (decoded with subnormals, never flushed). */
  readonly a: FloatSpec;
  readonly b: FloatSpec;
  /** The format in which the unit receives the addend c. */
  readonly c: FloatSpec;
  /** The output format. */
  readonly out: FloatSpec;
  /** G, the number of products fused in one group (1..4096). */
  readonly groupSize: number;
  /** neab, extra alignment bits: the grid is 2^(E - windowBase - neab). May be negative. */
  readonly extraAlignBits: number;
  /** Fraction bits of the window before the extra bits; default 23 (binary32), for every output format. */
  readonly windowBase?: number;
  /** Lower clamp on the anchor E (step 5), or null for none. */
  readonly alignFloor: number | null;
  /** Step 6; default `truncate`. */
  readonly alignRounding?: AlignRounding;
  /** Products renormalised (exponent floor(log2|p|)) instead of kept at e_a + e_b; default false. */
  readonly renormaliseProducts?: boolean;
  /** The smallest exponent used to decompose c (step 4): the emin of the internal addend format; default −126 (binary32). */
  readonly cEmin?: number;
  /** Default `first-group`. */
  readonly addend?: AddendPlacement;
  /** For `addend: 'late'`: the rounding of the separate addition in the output format; default `rne`. */
  readonly lateRounding?: RoundingMode;
  /** Rounding of each group's result (step 8). Any mode but `sr`. */
  readonly outputRounding: RoundingMode;
  /** Fraction bits kept by that rounding (1..out.manBits); default out.manBits. 13 for NVIDIA's fp8 window. */
  readonly outputFractionBits?: number;
  /**
   * Step 9. `inf` (default, Khattak & Mikaitis' choice): a rounded result at or beyond 2^(emax+1) gives ±∞
   * whatever the mode. `mode`: the output format's overflow rule for the rounding mode (IEEE: RZ gives maxFinite).
   */
  readonly overflow?: 'inf' | 'mode';
  /** The code returned for a NaN result; default the output format's quiet NaN with sign 0. */
  readonly nanCode?: number | bigint;
  /**
   * The order in which the products enter the groups: a permutation of 0 … n-1 applied to each block
   * of n consecutive products (K must be a multiple of n): the j-th product of a block is a[q[j]]·b[q[j]]
   * of that block. Default: the natural order (groups of G consecutive products). Hopper's fp8
   * `mma.sync` k32 runs k mod 4 ∈ {0, 1} first, then k mod 4 ∈ {2, 3}.
   */
  readonly productOrder?: readonly number[];
  /**
   * Products per hardware instruction: a longer dot product runs as consecutive instructions of this
   * many products, each taking the previous one's result as its c, and a shorter one (or a last
   * partial block) is padded with zero products, which drop out. Needs c and out in one format.
   * Default: none (the groups of one call chain through the whole K).
   */
  readonly instructionK?: number;
  /** The number of products per call when the hardware fixes it. */
  readonly k?: number;
  /** `auto` (default): binary64 integers when provably exact, else BigInt. `bigint`: always BigInt. */
  readonly arithmetic?: 'auto' | 'bigint';
}

/** The validated parameters with every default filled in. */
export type ResolvedFusedAdderParams = Required<Omit<FusedAdderParams, 'k' | 'nanCode' | 'productOrder' | 'instructionK'>> & {
  readonly k: number | undefined;
  readonly nanCode: number | bigint;
  readonly productOrder: readonly number[] | null;
  readonly instructionK: number | null;
};

const ALIGN: readonly AlignRounding[] = ['truncate', 'floor', 'rne', 'sticky'];

function intIn(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${field}: must be an integer in ${lo}..${hi}, got ${String(v)}`);
  }
  return v;
}

function isFloat(s: unknown): s is FloatSpec {
  return typeof s === 'object' && s !== null && (s as FloatSpec).kind === 'float';
}

/**
 * Validates fused-adder parameters once and fills in the defaults. A `RangeError` names the bad field.
 *
 * @example
 * ```ts
 * resolveFusedAdder({ ...NVIDIA_PRESET_PARAMS[0], groupSize: 0 });
 * // throws RangeError: groupSize: must be an integer in 1..4096, got 0
 * resolveFusedAdder(NVIDIA_PRESET_PARAMS[0]).windowBase; // => 23
 * ```
 */
export function resolveFusedAdder(p: FusedAdderParams): ResolvedFusedAdderParams {
  for (const f of ['a', 'b', 'c', 'out'] as const) {
    if (!isFloat(p[f])) throw new RangeError(`${f}: must be a float format spec (floatFormat or catalog), got ${String(p[f])}`);
  }
  if (typeof p.name !== 'string' || p.name === '') throw new RangeError('name: must be a non-empty string');
  const groupSize = intIn('groupSize', p.groupSize, 1, 4096);
  const windowBase = intIn('windowBase', p.windowBase ?? 23, 0, 1000);
  const extraAlignBits = intIn('extraAlignBits', p.extraAlignBits, -windowBase, 1000 - windowBase);
  const alignFloor = p.alignFloor === null ? null : intIn('alignFloor', p.alignFloor, -5000, 5000);
  const alignRounding = p.alignRounding ?? 'truncate';
  if (!ALIGN.includes(alignRounding)) {
    throw new RangeError(`alignRounding: must be one of ${ALIGN.join(', ')}, got ${JSON.stringify(alignRounding)}`);
  }
  const outputRounding = p.outputRounding;
  modeCode(outputRounding);
  if (outputRounding === 'sr') throw new RangeError("outputRounding: 'sr' is not supported by the fused adder; use a deterministic mode");
  const lateRounding = p.lateRounding ?? 'rne';
  modeCode(lateRounding);
  const addend = p.addend ?? 'first-group';
  if (addend !== 'first-group' && addend !== 'late') {
    throw new RangeError(`addend: must be "first-group" or "late", got ${JSON.stringify(addend)}`);
  }
  const outputFractionBits = intIn('outputFractionBits', p.outputFractionBits ?? p.out.manBits, 1, p.out.manBits);
  const overflow = p.overflow ?? 'inf';
  if (overflow !== 'inf' && overflow !== 'mode') throw new RangeError(`overflow: must be "inf" or "mode", got ${JSON.stringify(overflow)}`);
  const arithmetic = p.arithmetic ?? 'auto';
  if (arithmetic !== 'auto' && arithmetic !== 'bigint') {
    throw new RangeError(`arithmetic: must be "auto" or "bigint", got ${JSON.stringify(arithmetic)}`);
  }
  const k = p.k === undefined ? undefined : intIn('k', p.k, 0, 1 << 20);
  let productOrder: readonly number[] | null = null;
  if (p.productOrder !== undefined) {
    const q = p.productOrder;
    const n = Array.isArray(q) ? q.length : 0;
    const seen = new Set(Array.isArray(q) ? q : []);
    if (n < 1 || n > 4096 || seen.size !== n || !q.every((x) => Number.isInteger(x) && x >= 0 && x < n)) {
      throw new RangeError(`productOrder: must be a permutation of 0..n-1 (1 <= n <= 4096), got ${JSON.stringify(q)}`);
    }
    productOrder = Object.freeze([...q]);
  }
  let instructionK: number | null = null;
  if (p.instructionK !== undefined) {
    instructionK = intIn('instructionK', p.instructionK, 1, 4096);
    if (p.c.name !== p.out.name) throw new RangeError(`instructionK: chained instructions need c and out in one format, got c ${p.c.name} and out ${p.out.name}`);
    if (productOrder && instructionK % productOrder.length !== 0) {
      throw new RangeError(`instructionK: must be a multiple of productOrder's length ${productOrder.length}, got ${instructionK}`);
    }
  }
  const nanCode = p.nanCode ?? fromExact(p.out, { kind: 'nan', sign: 0, quiet: true }).code;
  return Object.freeze({
    name: p.name,
    description: p.description ?? '',
    source: p.source ?? '',
    a: p.a,
    b: p.b,
    c: p.c,
    out: p.out,
    groupSize,
    extraAlignBits,
    windowBase,
    alignFloor,
    alignRounding,
    renormaliseProducts: p.renormaliseProducts ?? false,
    cEmin: intIn('cEmin', p.cEmin ?? -126, -5000, 5000),
    addend,
    lateRounding,
    outputRounding,
    outputFractionBits,
    overflow,
    nanCode,
    k,
    productOrder,
    instructionK,
    arithmetic,
  });
}

// ---------------------------------------------------------------------------------------------
// Operand decoding: every code → class, sign, magnitude (exact binary64) and nominal exponent
// e = max(floor(log2|x|), emin) (step 2). Tables for formats up to 16 bits.

const enum C {
  ZERO = 0,
  FINITE = 1,
  INF = 2,
  QNAN = 3,
  SNAN = 4,
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** floor(log2 x) for a positive normal binary64 x. */
function ilogb(x: number): number {
  F64[0] = x;
  return ((U32[HI]! >>> 20) & 0x7ff) - 1023;
}

/** 2^k, exact, for k in −1200..1100 (0 below binary64's range). */
const POW2 = (() => {
  const t = new Float64Array(2301);
  let v = 1;
  for (let k = 0; k <= 1100; k++, v *= 2) t[k + 1200] = v;
  v = 1;
  for (let k = 0; k >= -1200; k--, v /= 2) t[k + 1200] = v;
  return t;
})();
function pow2(k: number): number {
  return POW2[k + 1200]!;
}

interface Table {
  readonly cls: Uint8Array;
  readonly neg: Uint8Array;
  readonly mag: Float64Array;
  readonly exp: Int16Array;
}

const TABLES = new WeakMap<FloatSpec, Table>();

function classify(s: FloatSpec, code: number | bigint): { cls: C; neg: boolean; mag: number } {
  const x = decode(s, code);
  if (Number.isNaN(x)) {
    const v = decodeExact(s, code);
    return { cls: v.kind === 'nan' && !v.quiet ? C.SNAN : C.QNAN, neg: v.kind === 'nan' && v.sign === 1, mag: NaN };
  }
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return { cls: C.ZERO, neg, mag: 0 };
  if (!Number.isFinite(x)) return { cls: C.INF, neg, mag: Infinity };
  return { cls: C.FINITE, neg, mag: Math.abs(x) };
}

function tableOf(s: FloatSpec): Table | undefined {
  if (s.width > 16 || s.wide) return undefined;
  let t = TABLES.get(s);
  if (t) return t;
  const n = 2 ** s.width;
  t = { cls: new Uint8Array(n), neg: new Uint8Array(n), mag: new Float64Array(n), exp: new Int16Array(n) };
  for (let code = 0; code < n; code++) {
    const d = classify(s, code);
    t.cls[code] = d.cls;
    t.neg[code] = d.neg ? 1 : 0;
    t.mag[code] = d.mag;
    t.exp[code] = d.cls === C.FINITE ? Math.max(ilogb(d.mag), s.emin) : 0;
  }
  TABLES.set(s, t);
  return t;
}

// ---------------------------------------------------------------------------------------------
// The unit.

/** Per-call scratch of the binary64 path (grown on demand; the unit is not re-entrant). */
interface Scratch {
  mag: Float64Array; // |a_k·b_k|, exact
  exp: Int32Array; // e_p (nominal or renormalised)
  neg: Uint8Array;
}

/** The outcome of one group: the output code, the flags of its rounding, and whether it overflowed to ±∞. */
interface GroupOut {
  code: number | bigint;
  flags: number;
  inf: boolean;
}

/**
 * Builds a {@link DotUnit} from fused-adder parameters: d = Σ a[k]·b[k] + c through the n-term fused
 * adder, groups of G consecutive products (in `productOrder`, when given), each group's rounded result
 * the next group's addend.
 *
 * @example
 * ```ts
 * const u = fusedAdderUnit({
 *   name: 'demo', description: 'fp16 → fp32, G 4, 24-bit window, RZ', source: 'example',
 *   a: catalog.fp16, b: catalog.fp16, c: catalog.fp32, out: catalog.fp32,
 *   groupSize: 4, extraAlignBits: 1, alignFloor: null, outputRounding: 'rtz',
 * });
 * u.dot([0x3c00, 0x3c00], [0x3c00, 0x1000], 0).code; // => 0x3f801000 (1 + 2^-11, exact)
 * u.dot([0x3c00, 0x0400], [0x3c00, 0x0400], 0);
 * // => { code: 0x3f800000, flags: 1, stats: { macs: 2, overflows: 0, saturations: 0, inexact: 1, swamped: 1 } }
 * //    (1 + 2^-28: the small product falls below the 2^-24 grid and is truncated away)
 * ```
 */
export function fusedAdderUnit(params: FusedAdderParams): DotUnit {
  const P = resolveFusedAdder(params);
  const { a: A, b: B, c: CS, out: OUT, groupSize: G } = P;
  const w = P.windowBase + P.extraAlignBits; // fraction bits of the window below the anchor
  const gridW = P.alignRounding === 'sticky' ? w + 1 : w; // bits of the integer grid below the anchor
  const prec = P.outputFractionBits;
  const outMode = modeCode(P.outputRounding);
  const encodeCtx: Context = context({ rounding: P.overflow === 'inf' ? 'rne' : P.outputRounding });
  const lateCtx: Context = context({ rounding: P.lateRounding });
  const floor = P.alignFloor ?? -Infinity;
  const tA = tableOf(A);
  const tB = tableOf(B);
  const tC = tableOf(CS);

  // The binary64 path is exact when: products of two operands are exact (precisions ≤ 53 together);
  // every value met (operands, products, c, results) and every term scaled onto the grid stays a normal
  // binary64; and a sum of G + 1 terms, each below 2^(gridW + 2) grid units, stays below 2^53.
  const eMaxAnchor = Math.max(A.emax + B.emax + 1, CS.emax, OUT.emax, P.alignFloor ?? -Infinity) + 1;
  const eMinValue = Math.min(Math.log2(A.minPositive) + Math.log2(B.minPositive), Math.log2(CS.minPositive), Math.log2(OUT.minPositive));
  const fast =
    P.arithmetic === 'auto' &&
    A.fast && B.fast && CS.fast && OUT.fast &&
    A.precision + B.precision <= 53 &&
    gridW + 2 + Math.ceil(Math.log2(G + 2)) <= 52 &&
    eMinValue - eMaxAnchor - 60 > -1000 &&
    gridW - 2 * Math.min(A.emin - A.manBits, B.emin - B.manBits, P.cEmin, OUT.emin - OUT.manBits) < 1000;

  const sc: Scratch = { mag: new Float64Array(64), exp: new Int32Array(64), neg: new Uint8Array(64) };

  // dec() decodes one code (a table for ≤ 16-bit formats) into dNeg, dMag, dExp and returns its class.
  let dNeg = false;
  let dMag = 0;
  let dExp = 0;
  function dec(s: FloatSpec, t: Table | undefined, code: number | bigint): C {
    if (t !== undefined && typeof code === 'number' && code >= 0 && code < t.cls.length && Number.isInteger(code)) {
      dNeg = t.neg[code] === 1;
      dMag = t.mag[code]!;
      dExp = t.exp[code]!;
      return t.cls[code] as C;
    }
    const d = classify(s, code);
    dNeg = d.neg;
    dMag = d.mag;
    dExp = d.cls === C.FINITE ? Math.max(ilogb(d.mag), s.emin) : 0;
    return d.cls;
  }

  function nanResult(flags: number, stats: MacStats): DotResult {
    return { code: P.nanCode, flags, stats };
  }

  function infResult(neg: boolean, flags: number, stats: MacStats): DotResult {
    const r = fromExact(OUT, { kind: 'inf', sign: neg ? 1 : 0 });
    return { code: r.code, flags: flags | r.flags, stats };
  }

  /**
   * Step 8 on the binary64 path: rounds sign·|S|·2^base (|S| < 2^53 an integer) to `prec` fraction
   * bits with gradual underflow at OUT.emin, then encodes it (step 9: the encoding overflows).
   */
  function roundNum(S: number, base: number, stats: MacStats): GroupOut {
    if (S === 0) return { code: encode(OUT, 0).code, flags: 0, inf: false };
    const neg = S < 0;
    const m = Math.abs(S);
    const top = ilogb(m) + base; // exponent of the value
    let lsb = Math.max(top, OUT.emin) - prec;
    let q = m;
    let flags = 0;
    if (lsb <= base) lsb = base; // exact: S already fits
    else {
      const sh = lsb - base;
      q = Math.floor(m * pow2(-sh));
      const rem = m - q * pow2(sh);
      if (rem !== 0) {
        flags = Flag.inexact;
        const half = pow2(sh - 1);
        if (roundUp(outMode, neg, q % 2 === 1, rem > half ? 1 : rem === half ? 0 : -1)) q += 1;
        if (top < OUT.emin) flags |= Flag.underflow;
      }
    }
    return packOut(neg, q, lsb, flags, stats);
  }

  function packOut(neg: boolean, q: number, lsb: number, flags: number, stats: MacStats): GroupOut {
    if (flags & Flag.inexact) stats.inexact++;
    const v = q * pow2(lsb); // exact: q < 2^(prec+2), lsb within binary64's range for fast formats
    const r = encode(OUT, neg ? -v : v, encodeCtx);
    return finishOut(r.code, flags | r.flags, stats);
  }

  function finishOut(code: number | bigint, flags: number, stats: MacStats): GroupOut {
    let inf = false;
    if (flags & Flag.overflow) {
      stats.overflows++;
      if (saturates(OUT)) stats.saturations++;
      inf = !Number.isFinite(decode(OUT, code));
    }
    return { code, flags, inf };
  }

  /** Step 8 on the BigInt path. */
  function roundBig(S: bigint, base: number, stats: MacStats): GroupOut {
    if (S === 0n) return { code: encode(OUT, 0).code, flags: 0, inf: false };
    const neg = S < 0n;
    const m = neg ? -S : S;
    const top = bitLength(m) - 1 + base;
    let lsb = Math.max(top, OUT.emin) - prec;
    let q = m;
    let flags = 0;
    if (lsb <= base) lsb = base;
    else {
      const sh = BigInt(lsb - base);
      q = m >> sh;
      const rem = m - (q << sh);
      if (rem !== 0n) {
        flags = Flag.inexact;
        const half = 1n << (sh - 1n);
        if (roundUp(outMode, neg, (q & 1n) === 1n, rem > half ? 1 : rem === half ? 0 : -1)) q += 1n;
        if (top < OUT.emin) flags |= Flag.underflow;
      }
    }
    if (flags & Flag.inexact) stats.inexact++;
    // A non-zero sum that rounds to zero keeps its sign (−0 for a negative one); only S = 0 gives +0.
    const x: ExactValue = q === 0n ? { kind: 'zero', sign: neg ? 1 : 0 } : { kind: 'finite', sign: neg ? 1 : 0, sig: q, exp: lsb };
    const r = fromExact(OUT, x, encodeCtx);
    return finishOut(r.code, flags | r.flags, stats);
  }

  /** Step 6 for one magnitude v (already scaled to grid units, exact binary64): the aligned integer. */
  function alignNum(v: number, neg: boolean, stats: MacStats): number {
    let t = Math.floor(v);
    const rem = v - t;
    if (rem !== 0) {
      stats.inexact++;
      switch (P.alignRounding) {
        case 'truncate':
          break;
        case 'floor':
          if (neg) t += 1; // magnitude of floor(-v) is ceil(v)
          break;
        case 'rne':
          if (rem > 0.5 || (rem === 0.5 && t % 2 === 1)) t += 1;
          break;
        case 'sticky':
          if (t % 2 === 0) t += 1;
          break;
      }
      if (t === 0) stats.swamped++;
    }
    return neg ? -t : t;
  }

  function alignBig(sig: bigint, sh: number, neg: boolean, stats: MacStats): bigint {
    let t: bigint;
    if (sh >= 0) t = sig << BigInt(sh);
    else {
      const s = BigInt(-sh);
      t = sig >> s;
      const rem = sig - (t << s);
      if (rem !== 0n) {
        stats.inexact++;
        const half = 1n << (s - 1n);
        switch (P.alignRounding) {
          case 'truncate':
            break;
          case 'floor':
            if (neg) t += 1n;
            break;
          case 'rne':
            if (rem > half || (rem === half && (t & 1n) === 1n)) t += 1n;
            break;
          case 'sticky':
            if ((t & 1n) === 0n) t += 1n;
            break;
        }
        if (t === 0n) stats.swamped++;
      }
    }
    return neg ? -t : t;
  }

  /** One group on the binary64 path: products [lo, hi) of the scratch plus the addend (cNeg, cMag). */
  function groupNum(lo: number, hi: number, cNeg: boolean, cMag: number, stats: MacStats): GroupOut {
    // Step 5: the anchor over the non-zero products and c.
    let E = -Infinity;
    for (let i = lo; i < hi; i++) if (sc.mag[i] !== 0 && sc.exp[i]! > E) E = sc.exp[i]!;
    let eC = 0;
    if (cMag !== 0) {
      eC = Math.max(ilogb(cMag), P.cEmin);
      if (eC > E) E = eC;
    }
    if (E === -Infinity) return { code: encode(OUT, 0).code, flags: 0, inf: false }; // step 1: nothing left, +0
    if (E < floor) E = floor;
    // Step 6: every magnitude onto the grid 2^base; step 7: the exact signed sum.
    const base = E - gridW;
    const scale = pow2(-base);
    let S = 0;
    for (let i = lo; i < hi; i++) {
      const m = sc.mag[i]!;
      if (m !== 0) S += alignNum(m * scale, sc.neg[i] === 1, stats);
    }
    if (cMag !== 0) S += alignNum(cMag * scale, cNeg, stats);
    // Steps 8 and 9.
    return roundNum(S, base, stats);
  }

  /** One group on the BigInt path. */
  function groupBig(
    terms: readonly { neg: boolean; sig: bigint; exp: number; e: number }[],
    cv: ExactValue,
    stats: MacStats,
  ): GroupOut {
    // Steps 4 and 5.
    let E = -Infinity;
    for (const t of terms) if (t.e > E) E = t.e;
    if (cv.kind === 'finite') {
      const eC = Math.max(cv.exp + bitLength(cv.sig) - 1, P.cEmin);
      if (eC > E) E = eC;
    }
    if (E === -Infinity) return { code: encode(OUT, 0).code, flags: 0, inf: false };
    if (E < floor) E = floor;
    // Steps 6 to 9.
    const base = E - gridW;
    let S = 0n;
    for (const t of terms) S += alignBig(t.sig, t.exp - base, t.neg, stats);
    if (cv.kind === 'finite') S += alignBig(cv.sig, cv.exp - base, cv.sign === 1, stats);
    return roundBig(S, base, stats);
  }

  const order = P.productOrder;
  /** The operands in the order the products enter the groups (`productOrder`, per block). */
  function reorder(x: ArrayLike<number | bigint>): (number | bigint)[] {
    const n = order!.length;
    const out = new Array<number | bigint>(x.length);
    for (let j = 0; j < x.length; j++) out[j] = x[j - (j % n) + order![j % n]!]!;
    return out;
  }

  const IK = P.instructionK;
  const zeroA = IK === null ? 0 : fromExact(A, { kind: 'zero', sign: 0 }).code;
  const zeroB = IK === null ? 0 : fromExact(B, { kind: 'zero', sign: 0 }).code;

  function dot(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint): DotResult {
    const K = a.length;
    if (b.length !== K) throw new RangeError(`b: must have the same length as a (${K}), got ${b.length}`);
    if (P.k !== undefined && K !== P.k) throw new RangeError(`a: this unit takes exactly ${P.k} products per call, got ${K}`);
    if (IK === null) return dotOne(a, b, c);
    // Consecutive instructions of IK products (the last padded with zero products), each one's result
    // the next one's c; flags ORed, statistics summed (MACs: the K products given).
    const stats = emptyStats();
    let flags = 0;
    let cc = c;
    const blocks = Math.max(1, Math.ceil(K / IK));
    const ab = new Array<number | bigint>(IK);
    const bb = new Array<number | bigint>(IK);
    for (let blk = 0; blk < blocks; blk++) {
      for (let j = 0; j < IK; j++) {
        const k = blk * IK + j;
        ab[j] = k < K ? a[k]! : zeroA;
        bb[j] = k < K ? b[k]! : zeroB;
      }
      const r = dotOne(ab, bb, cc);
      flags |= r.flags;
      addStats(stats, r.stats);
      cc = r.code;
    }
    stats.macs = K;
    return { code: cc, flags, stats };
  }

  function dotOne(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint): DotResult {
    const K = a.length;
    if (order) {
      if (K % order.length !== 0) throw new RangeError(`a: this unit orders its products in blocks of ${order.length}; K must be a multiple of ${order.length}, got ${K}`);
      a = reorder(a);
      b = reorder(b);
    }
    const stats = emptyStats();
    stats.macs = K;
    if (sc.mag.length < K) sc.mag = new Float64Array(K);
    if (sc.exp.length < K) sc.exp = new Int32Array(K);
    if (sc.neg.length < K) sc.neg = new Uint8Array(K);

    // Step 0: special values, once for the whole dot product (before any grouping): a NaN operand or
    // addend, ∞·0, or infinities of both signs give NaN; one infinity gives that infinity.
    let flags = 0;
    let nan = false;
    let posInf = false;
    let negInf = false;
    for (let k = 0; k < K; k++) {
      const ca = dec(A, tA, a[k]!);
      const na = dNeg;
      const ma = dMag;
      const ea = dExp;
      const cb = dec(B, tB, b[k]!);
      const neg = na !== dNeg;
      if (ca >= C.QNAN || cb >= C.QNAN) {
        nan = true;
        if (ca === C.SNAN || cb === C.SNAN) flags |= Flag.invalid;
      } else if (ca === C.INF || cb === C.INF) {
        if (ca === C.ZERO || cb === C.ZERO) {
          nan = true;
          flags |= Flag.invalid;
        } else if (neg) negInf = true;
        else posInf = true;
      }
      // Steps 1-3: zero products drop out; a product keeps the nominal exponent e_a + e_b.
      const m = ca === C.FINITE && cb === C.FINITE ? ma * dMag : 0;
      sc.mag[k] = m;
      sc.neg[k] = neg ? 1 : 0;
      sc.exp[k] = m === 0 ? 0 : P.renormaliseProducts ? ilogb(m) : ea + dExp;
    }
    const cc = dec(CS, tC, c);
    const cNeg0 = dNeg;
    const cMag0 = dMag;
    if (cc >= C.QNAN) {
      nan = true;
      if (cc === C.SNAN) flags |= Flag.invalid;
    } else if (cc === C.INF) {
      if (cNeg0) negInf = true;
      else posInf = true;
    }
    if (nan || (posInf && negInf)) return nanResult(nan ? flags : flags | Flag.invalid, stats);
    if (posInf || negInf) return infResult(negInf, flags, stats);

    // Step 10: the recursion over groups of G consecutive products (a partial last group is padded with
    // zero products, which drop out). The first group takes the caller's c, unless c is added late.
    const late = P.addend === 'late';
    const nGroups = Math.max(1, Math.ceil(K / G));
    let out: GroupOut;
    if (fast) {
      let cNeg = cNeg0;
      let cMag = late ? 0 : cMag0;
      out = { code: 0, flags: 0, inf: false };
      for (let g = 0; g < nGroups; g++) {
        out = groupNum(g * G, Math.min(K, (g + 1) * G), cNeg, cMag, stats);
        flags |= out.flags;
        if (out.inf || g === nGroups - 1) break;
        const x = decode(OUT, out.code);
        cNeg = x < 0;
        cMag = Math.abs(x);
      }
    } else {
      let cv: ExactValue = late ? { kind: 'zero', sign: 0 } : decodeExact(CS, c);
      out = { code: 0, flags: 0, inf: false };
      for (let g = 0; g < nGroups; g++) {
        const terms: { neg: boolean; sig: bigint; exp: number; e: number }[] = [];
        for (let k = g * G; k < Math.min(K, (g + 1) * G); k++) {
          const va = decodeExact(A, a[k]!);
          const vb = decodeExact(B, b[k]!);
          if (va.kind !== 'finite' || vb.kind !== 'finite') continue;
          const sig = va.sig * vb.sig;
          const exp = va.exp + vb.exp;
          const ea = Math.max(va.exp + bitLength(va.sig) - 1, A.emin);
          const eb = Math.max(vb.exp + bitLength(vb.sig) - 1, B.emin);
          const e = P.renormaliseProducts ? exp + bitLength(sig) - 1 : ea + eb;
          terms.push({ neg: va.sign !== vb.sign, sig, exp, e });
        }
        out = groupBig(terms, cv, stats);
        flags |= out.flags;
        if (out.inf) break;
        cv = decodeExact(OUT, out.code);
      }
    }
    if (stats.inexact > 0) flags |= Flag.inexact;
    if (late && !out.inf) {
      // The separate addition of c, in the output format.
      const cOut = CS === OUT ? c : convert(CS, OUT, c).code;
      const r = add(OUT, out.code, cOut, lateCtx);
      if (r.flags & Flag.inexact) stats.inexact++;
      if (r.flags & Flag.overflow) stats.overflows++;
      if (cMag0 !== 0 && r.code === out.code && !(r.flags & Flag.overflow)) stats.swamped++;
      return { code: r.code, flags: flags | r.flags, stats };
    }
    return { code: out.code, flags, stats };
  }

  return Object.freeze({
    name: P.name,
    description: P.description,
    source: P.source,
    a: A,
    b: B,
    c: CS,
    out: OUT,
    ...(P.k === undefined ? {} : { k: P.k }),
    dot,
  });
}

/** The increment decision of rounding mode `mode`; `cmp` compares the discarded fraction with one half. */
function roundUp(mode: Mode, neg: boolean, odd: boolean, cmp: number): boolean {
  switch (mode) {
    case Mode.RNE:
      return cmp > 0 || (cmp === 0 && odd);
    case Mode.RNA:
      return cmp >= 0;
    case Mode.RNO:
      return cmp > 0 || (cmp === 0 && !odd);
    case Mode.RTZ:
      return false;
    case Mode.RUP:
      return !neg;
    case Mode.RDN:
      return neg;
    case Mode.ROD:
      return !odd;
    default:
      throw new RangeError('outputRounding: stochastic rounding is not supported by the fused adder');
  }
}
