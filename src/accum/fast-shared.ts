/**
 * What every fast path of the MAC engine shares: the {@link FastPlan} contract, the statistics
 * scratch a plan fills, operand decoders (code → binary64 value, built once per plan) and the
 * output conversions (one rounding per dot product, on binary64 values that are exact).
 *
 * The contract. A plan is built once per unit, when its spec has a shape a fast path covers (else the
 * builder returns null). `dot` reads operand *values* from Float64Arrays (decoded once by the caller
 * with `valueA`/`valueB`, so the hot loops never decode), and returns the output code, or
 * {@link GIVE_UP} when it meets anything it does not handle exactly (a NaN or infinite operand, an
 * overflow, a bound it cannot prove); the caller then recomputes that dot product with the general
 * engine. So the fast path is correct by construction on every dot product it finishes, and the
 * property tests in `test/accum/fast-*.test.ts` check that those results, flags and statistics are
 * the general engine's, bit for bit.
 * @internal
 */
import type { FloatSpec } from '../formats/float.js';
import type { FixedSpec } from '../formats/fixed.js';
import { modeCode, Mode, DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import { srUniform } from '../round/random.js';
import { FLAGS_SCALE, roundPackNum, zeroCode } from '../round/_internal/float-round.js';
import { decodeCompute, decodeTable } from '../ops/float/_internal/fast.js';
import { roundNumber } from '../ops/fixed/_internal/roundNumber.js';
import { countRounding, saturates, type AnySpec } from './types.js';

/** Returned by {@link FastPlan.dot} when the general engine must recompute the dot product. */
export const GIVE_UP = -1;

/** Flags and statistics of the last {@link FastPlan.dot} (`macs` is K whenever it did not give up). */
export class FastStats {
  flags = 0;
  inexact = 0;
  swamped = 0;
  overflows = 0;
  saturations = 0;
  reset(): void {
    this.flags = 0;
    this.inexact = 0;
    this.swamped = 0;
    this.overflows = 0;
    this.saturations = 0;
  }
}

/** A fast path for one MAC spec (see the file header). */
export interface FastPlan {
  /** Which fast path: `float` (float accumulators of ≤ 24 bits) or `int` (integer, fixed-point, exact). */
  readonly kind: 'float' | 'int';
  /** Filled by every call of {@link FastPlan.dot} (and for lane 0 by {@link FastPlan.dot2}). */
  readonly res: FastStats;
  /** Lane 1 of {@link FastPlan.dot2}. */
  readonly res1: FastStats;
  /** The two output codes of the last {@link FastPlan.dot2} (GIVE_UP for a lane the general engine must compute). */
  readonly codes: Float64Array;
  /** The value the dot kernel multiplies for a code (bit pattern) of operand a; NaN for an invalid or non-finite code. */
  valueA(code: number): number;
  /** The same for operand b. */
  valueB(code: number): number;
  /**
   * `valueA` of every bit pattern when operand a has at most 16 bits (see {@link operandTable}), so
   * kernels decode with one load; null for wider formats.
   */
  readonly tableA: Float64Array | null;
  /** The same for operand b. */
  readonly tableB: Float64Array | null;
  /**
   * Σ_k A[pa+k]·B[pb+k] + c through the unit (A and B hold values from valueA/valueB), with the
   * stochastic indices of output element `index`; the output code, or GIVE_UP.
   */
  dot(A: Float64Array, pa: number, B: Float64Array, pb: number, K: number, c: number, index: number): number;
  /**
   * Two dot products sharing the row A (B rows at pb0 and pb1, addends c0 and c1, output elements
   * index0 and index1), computed together (two independent dependency chains run faster than one);
   * codes into `codes`, statistics into `res` and `res1`. The same results as two `dot` calls.
   * `quantum` (optional, 0: unknown): a power of two the caller knows divides every product A[k]·B[k]
   * of the call (see {@link productQuantum}); `bound` (optional, ∞: unknown): a bound the caller knows
   * on Σ_k |A[k]·B[k]| (see {@link productBound}). A float plan may then take a faster loop.
   */
  dot2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, K: number, c0: number, c1: number, index0: number, index1: number, quantum?: number, bound?: number): void;
}

const QW = new Float64Array(1);
const QU = new Int32Array(QW.buffer);
const QHI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/**
 * The exponent of the largest power of two that divides every value of v[from … from+n-1] (the lowest
 * set bit over their significands): +∞ when all are zero, −∞ when one is not finite or is a binary64
 * subnormal (no bound then). Kernels multiply two such bounds for {@link FastPlan.dot2}'s `quantum`.
 */
export function lowBitExponent(v: Float64Array, n: number, from = 0): number {
  let lo = Infinity;
  for (let i = from; i < from + n; i++) {
    const x = v[i]!;
    if (x === 0) continue;
    QW[0] = x;
    const hi = QU[QHI]!;
    const low = QU[1 - QHI]!;
    const E = (hi >>> 20) & 0x7ff;
    if (E === 0 || E === 0x7ff) return -Infinity;
    const mh = hi & 0xfffff;
    // Trailing zeros of the 53-bit significand (implicit bit at position 52).
    const tz = low !== 0 ? 31 - Math.clz32(low & -low) : mh !== 0 ? 63 - Math.clz32(mh & -mh) : 52;
    const e = E - 1075 + tz;
    if (e < lo) lo = e;
  }
  return lo;
}

/** floor(log2 |x|) of the largest magnitude of v[from … from+n-1]: −∞ when all are zero, +∞ when one is not finite. */
export function highExponent(v: Float64Array, n: number, from = 0): number {
  let hi = -Infinity;
  for (let i = from; i < from + n; i++) {
    const x = v[i]!;
    if (x === 0) continue;
    if (x - x !== 0) return Infinity;
    QW[0] = x;
    const E = (QU[QHI]! >>> 20) & 0x7ff;
    const e = E === 0 ? -1023 : E - 1023; // a binary64 subnormal: below 2^-1022
    if (e > hi) hi = e;
  }
  return hi;
}

/**
 * The bound argument of {@link FastPlan.dot2}: Σ of K products of magnitudes below 2^(ha+1) and
 * 2^(hb+1) ({@link highExponent} bounds) is below K·2^(ha+hb+2); ∞ when unknown.
 */
export function productBound(K: number, ha: number, hb: number): number {
  const e = ha + hb + 2;
  return Number.isFinite(e) ? K * 2 ** e : e === -Infinity ? 0 : Infinity;
}

/** The quantum argument of {@link FastPlan.dot2} for two {@link lowBitExponent} bounds (0: no bound). */
export function productQuantum(ea: number, eb: number): number {
  const e = ea + eb;
  return Number.isFinite(e) && e > -1074 && e < 1000 ? 2 ** e : 0;
}

// ---------------------------------------------------------------------------------------------
// Operands

/** Significant bits a value of the format can have (for the "products are exact in binary64" test). */
export function sigBits(f: AnySpec): number {
  if (f.kind === 'float') return f.precision;
  return f.signed ? f.width - 1 : f.width;
}

/** log2 of the largest magnitude and of the smallest positive magnitude of a format (operands only). */
export function magnitudeRange(f: AnySpec): [number, number] {
  if (f.kind === 'float') return [Math.log2(f.maxFinite), Math.log2(f.minPositive)];
  const frac = f.kind === 'fixed' ? f.frac : 0;
  return [f.width - frac, -frac];
}

/**
 * A decoder code → value for an operand format of at most 32 bits (floats), or a non-wide fixed or
 * integer format: the value times 2^scaleExp (fixed and integer only; floats take scaleExp 0). NaN for
 * codes outside the format and for NaN/∞ codes. Null for formats it does not cover.
 */
export function operandDecoder(f: AnySpec, scaleExp = 0): ((code: number) => number) | null {
  if (f.kind === 'float') {
    if (f.wide || f.width > 32 || scaleExp !== 0) return null;
    if (f.width <= 16) {
      const t = decodeTable(f);
      return (code) => {
        const v = t[code];
        return v === undefined || v - v !== 0 ? NaN : v;
      };
    }
    const n = 2 ** f.width;
    if (isBinary32(f)) {
      return (code) => {
        if (!(code >= 0 && code < n)) return NaN;
        U32[0] = code; // an integer in range: the Uint32Array keeps it as it is
        const v = F32[0]!;
        return v - v !== 0 || U32[0] !== code ? NaN : v;
      };
    }
    return (code) => {
      if (!(code >= 0 && code < n && Number.isInteger(code))) return NaN;
      const v = decodeCompute(f, code);
      return v - v !== 0 ? NaN : v;
    };
  }
  if (f.width > 52) return null;
  const frac = f.kind === 'fixed' ? f.frac : 0;
  const w = f.width;
  const mod = 2 ** w;
  const half = 2 ** (w - 1);
  const signed = f.signed;
  const scale = 2 ** (scaleExp - frac);
  if (!(scale > 0 && Number.isFinite(scale))) return null;
  return (code) => {
    if (!(code >= 0 && code < mod && Number.isInteger(code))) return NaN;
    return (signed && code >= half ? code - mod : code) * scale;
  };
}

/** Operand tables by format object and scale exponent. */
const OPERAND_TABLES = new WeakMap<object, Map<number, Float64Array>>();

/**
 * The table pattern → value·2^scaleExp of an operand format of at most 16 bits, where `decoder` is the
 * plan's decoder of that format and scale (NaN for an invalid or non-finite code): built once per
 * format object and scale, and shared by every plan that decodes the same way (a unit built per call,
 * as the network engine does, then costs no table). Null for wider formats. A code outside the table
 * reads undefined, which a Float64Array stores as NaN: the decoder's own answer.
 */
export function operandTable(f: AnySpec, scaleExp: number, decoder: (code: number) => number): Float64Array | null {
  if (f.width > 16) return null;
  let m = OPERAND_TABLES.get(f);
  if (!m) OPERAND_TABLES.set(f, (m = new Map()));
  let t = m.get(scaleExp);
  if (!t) {
    t = new Float64Array(2 ** f.width);
    for (let p = 0; p < t.length; p++) t[p] = decoder(p);
    m.set(scaleExp, t);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Rounding contexts resolved once

/** A float rounding target resolved once: format, mode code, tininess rule and random source. */
export class FloatTarget {
  /** An overflow clamps (counted as a saturation too). */
  readonly sat: boolean;
  readonly mode: Mode;
  readonly tinyBefore: boolean;
  readonly seed: number;
  readonly stream: number;
  readonly srBits: number;
  constructor(
    readonly spec: FloatSpec,
    ctx: Context,
  ) {
    this.sat = saturates(spec);
    this.mode = modeCode(ctx.rounding);
    this.tinyBefore = ctx.tininess === 'before';
    this.seed = ctx.seed;
    this.stream = ctx.stream;
    this.srBits = ctx.srBits;
  }
}

/**
 * Can `roundPackNum` round into this format on its own? (It needs codes below 2^32, binary64 room
 * around every value, a sign, and a zero.)
 */
export function packableFloat(f: AnySpec): f is FloatSpec {
  return f.kind === 'float' && f.fast && f.signed && f.hasZero && !f.wide;
}

/**
 * Rounds a finite binary64 value v (exact, |v| within 2^±1000) once into a packable float format;
 * returns the code and ORs the flags into `st` (counting inexact and overflow as the engine does for
 * product and output roundings).
 */
export function roundFloatOut(T: FloatTarget, v: number, index: number, st: FastStats): number {
  if (v === 0) return zeroCode(T.spec, 1 / v < 0) as number;
  const U = T.mode === Mode.SR ? srUniform(T.seed, T.stream, index, T.srBits) : 0;
  const neg = v < 0;
  const packed = roundPackNum(T.spec, neg, neg ? -v : v, 0, T.mode, T.tinyBefore, U, T.srBits);
  const flags = Math.floor(packed / FLAGS_SCALE);
  if (flags !== 0) {
    st.flags |= flags;
    countRounding(st, flags, T.sat);
  }
  return packed - flags * FLAGS_SCALE;
}

const F64 = new Float64Array(1);
const W32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** True for the IEEE binary32 layout (every value is a binary32 value with the same code). */
function isBinary32(f: FloatSpec): boolean {
  return f.expBits === 8 && f.manBits === 23 && f.bias === 127 && f.specials === 'ieee' && f.subnormals && f.signed;
}

/**
 * Codes of values exactly representable in a packable float format (the accumulator's own code,
 * read back from its value): the binary64 fields re-biased, constants computed once; binary32 through
 * a Float32Array. No rounding happens, so no rounding routine is needed.
 */
export class ExactEncoder {
  private readonly b32: boolean;
  private readonly signWeight: number;
  private readonly emin: number;
  private readonly bias: number;
  private readonly manScale: number;
  /** 2^(52 - manBits): binary64 fraction units per fraction unit of the format. */
  private readonly fracDiv: number;
  /** 2^(manBits - emin): subnormal values to codes. */
  private readonly subScale: number;
  constructor(private readonly f: FloatSpec) {
    this.b32 = isBinary32(f);
    this.signWeight = f.signWeight;
    this.emin = f.emin;
    this.bias = f.bias;
    this.manScale = f.manScale;
    this.fracDiv = 2 ** (52 - f.manBits);
    this.subScale = 2 ** (f.manBits - f.emin);
  }
  code(v: number): number {
    if (this.b32) {
      F32[0] = v;
      return U32[0]!;
    }
    if (v === 0) return zeroCode(this.f, 1 / v < 0) as number;
    const neg = v < 0;
    const a = neg ? -v : v;
    F64[0] = a;
    const hi = W32[HI]!;
    const E = (hi >>> 20) - 1023;
    const sign = neg ? this.signWeight : 0;
    if (E < this.emin) return sign + a * this.subScale; // a subnormal: an integer number of 2^(emin-m)
    // The top manBits of binary64's 52 fraction bits (the rest are zero): 20 in the high word, 32 below.
    const frac = ((hi & 0xfffff) * 4294967296 + W32[1 - HI]!) / this.fracDiv;
    return sign + (E + this.bias) * this.manScale + frac;
  }
}

/** A fixed-point output target: quantise a value times 2^frac with the format's modes. */
export class FixedTarget {
  readonly sink = { flags: 0 };
  readonly mod: number;
  /** An overflow clamps (counted as a saturation too). */
  readonly sat: boolean;
  constructor(
    readonly spec: FixedSpec,
    readonly ctx: Context,
  ) {
    this.mod = 2 ** spec.width;
    this.sat = saturates(spec);
  }
}

/** Can a fixed output take values of magnitude 2^[lo, hi] (binary64 exponents) times 2^frac exactly? */
export function fixedOutOk(f: AnySpec, lo: number, hi: number): f is FixedSpec {
  return f.kind === 'fixed' && !f.wide && lo + f.frac > -1000 && hi + f.frac < 1000;
}

/**
 * Quantises q = value · 2^frac (exact, finite) into a fixed output: the bit pattern; flags and
 * statistics into `st`.
 */
export function roundFixedOut(T: FixedTarget, q: number, index: number, st: FastStats): number {
  T.sink.flags = 0;
  const raw = roundNumber(T.spec, q, T.ctx, index, T.sink);
  const flags = T.sink.flags;
  if (flags !== 0) {
    st.flags |= flags;
    countRounding(st, flags, T.sat);
  }
  return raw < 0 ? raw + T.mod : raw;
}

/** The context of an output conversion. */
export function outCtx(ctx: Context | undefined): Context {
  return ctx ?? DEFAULT_CONTEXT;
}
