/**
 * The fast path for integer, fixed-point and exact (Kulisch) accumulators whose every product and
 * partial sum is an integer below 2^53 in one common scale: int8 × int8 → int32 (wrapping or
 * saturating on every addition), fixed × fixed into a fixed accumulator that holds every product
 * exactly (any overflow mode), Gupta 2015's 16-bit fixed operands into an exact accumulator with one
 * rounding (nearest or stochastic) at the end, narrow floats (fp8/fp6/fp4) into an exact accumulator;
 * sequential or chunked; output in the accumulator's format, a fixed-point format or a float format.
 *
 * Why it is exact:
 * 1. The unit. Every operand value is an integer multiple of 2^g (fixed: g = -frac; integers: 0;
 *    floats: emin - manBits), every register value a multiple of its lsb 2^-F. With
 *    Fu = max(fa + fb, every register's F) and each register's F ≥ the products' fraction bits (no
 *    quantisation ever happens: the plan is not built otherwise), every product, register value and
 *    sum is an integer number of units 2^-Fu. The operand decoders fold the scale in (a·2^(gb+Fu) and
 *    b·2^-gb), so a product of two decoded values is the product in units, exactly.
 * 2. Exactness: a sum of integers below 2^53 is exact in binary64. For int and fixed registers,
 *    |register| + |addend| ≤ 2^53 is checked once per plan; for exact registers |c| + K·max|product|
 *    (chunked: per chunk) ≤ 2^53 is checked per dot product, which gives up beyond it.
 * 3. Overflow is decided per addition (saturation is not associative): a sum outside the register's
 *    range (for signed SAT_SYM: below -maxRaw) takes the register's overflow rule — two's complement
 *    wrap or clamp for integers, ap_fixed's `overflow_adjust` (the library's own routine) for fixed —
 *    and counts an overflow (and a saturation for saturating modes), and a swamped addend when the
 *    register did not move. Without overflow the register moves by the (non-zero) addend.
 * 4. The output conversion rounds the exact value once, with the library's number routines
 *    (`roundNumber` for fixed, `roundPackNum` for float), at stochastic index i·(4K+4) + j where j
 *    counts the additions before it (K, plus one per chunk), as the general engine numbers them.
 * Anything else (NaN or ∞ operands or c, a c off the grid, a bound exceeded, K = 0) gives up.
 * @internal
 */
import type { FixedSpec } from '../formats/fixed.js';
import { isFloatSpec, type FloatSpec } from '../formats/float.js';
import { Flag } from '../flags.js';
import { decodeTable } from '../ops/float/_internal/fast.js';
import { overflowNumber } from '../ops/fixed/_internal/overflow.js';
import type { AccumulatorSpec, MacSpec } from './mac-spec.js';
import type { AnySpec, IntSpec } from './types.js';
import {
  FastStats,
  FixedTarget,
  fixedOutOk,
  FloatTarget,
  GIVE_UP,
  operandDecoder,
  outCtx,
  packableFloat,
  roundFixedOut,
  roundFloatOut,
  operandTable,
  type FastPlan,
} from './fast-shared.js';

const EXACT = 0;
const INT_WRAP = 1;
const INT_SAT = 2;
const FIXED = 3;

const TWO53 = 2 ** 53;

/** A register in units of 2^-Fu. */
class IntReg {
  /** Range in units (for signed SAT_SYM the low end is -maxRaw). */
  readonly lo: number;
  readonly hi: number;
  /** Largest magnitude it can hold, in units. */
  readonly max: number;
  /** Units per raw lsb (2^(Fu - F)) and its inverse. */
  readonly unit: number;
  readonly perUnit: number;
  /** 2^width, for wrapping. */
  readonly mod: number;
  /** Counts saturations when it overflows. */
  readonly sat: boolean;
  constructor(
    readonly kind: number,
    readonly fixed: FixedSpec | null,
    lo: number,
    hi: number,
    width: number,
    F: number,
    Fu: number,
  ) {
    this.unit = 2 ** (Fu - F);
    this.perUnit = 2 ** (F - Fu);
    this.lo = lo * this.unit;
    this.hi = hi * this.unit;
    this.max = Math.max(-this.lo, this.hi);
    this.mod = 2 ** width;
    this.sat = kind === INT_SAT || (kind === FIXED && fixed!.overflow.startsWith('SAT'));
  }
  /** The register's value after an out-of-range sum s (units, on the register's grid). */
  overflow(s: number): number {
    const n = s * this.perUnit;
    let raw: number;
    if (this.kind === FIXED) raw = overflowNumber(this.fixed!, n, n < 0, n);
    else if (this.kind === INT_SAT) raw = n > this.hi * this.perUnit ? this.hi * this.perUnit : this.lo * this.perUnit;
    else {
      // Two's complement: n mod 2^W, into [lo, hi].
      const m = this.mod;
      let u = n - Math.floor(n / m) * m;
      if (u > this.hi * this.perUnit) u -= m;
      raw = u;
    }
    return raw * this.unit;
  }
}

/** The register of an accumulator spec in units 2^-Fu, or null. */
function intReg(a: AccumulatorSpec, Fu: number): IntReg | null {
  switch (a.kind) {
    case 'exact':
      return new IntReg(EXACT, null, -Infinity, Infinity, 0, Fu, Fu);
    case 'int': {
      const f = a.format as IntSpec;
      if (f.width > 52) return null;
      const lo = f.signed ? -(2 ** (f.width - 1)) : 0;
      const hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
      return new IntReg(a.overflow === 'saturate' ? INT_SAT : INT_WRAP, null, lo, hi, f.width, 0, Fu);
    }
    case 'fixed': {
      const f = a.format;
      if (f.wide) return null;
      return new IntReg(FIXED, f, f.keepLoNum, f.hiNum, f.width, f.frac, Fu);
    }
    default:
      return null;
  }
}

/** The lsb exponent of a register's values (-F), or undefined for exact registers. */
function regFrac(a: AccumulatorSpec): number | undefined {
  if (a.kind === 'int') return 0;
  if (a.kind === 'fixed') return a.format.frac;
  return undefined;
}

/** The grid exponent g of an operand format (every value is a multiple of 2^g), or undefined. */
function gridOf(f: AnySpec): number | undefined {
  if (f.kind === 'int') return f.width <= 52 ? 0 : undefined;
  if (f.kind === 'fixed') return f.wide ? undefined : -f.frac;
  return f.width <= 16 && f.fast ? f.emin - f.manBits : undefined;
}

/** The largest operand magnitude. */
function maxMag(f: AnySpec): number {
  if (f.kind === 'float') return f.maxFinite;
  const frac = f.kind === 'fixed' ? f.frac : 0;
  return (f.signed ? 2 ** (f.width - 1) : 2 ** f.width - 1) * 2 ** -frac;
}

/** Decoder code → value·2^scaleExp (an integer number of units). */
function unitDecoder(f: AnySpec, scaleExp: number): ((code: number) => number) | null {
  if (isFloatSpec(f)) {
    const t = decodeTable(f as FloatSpec);
    const k = 2 ** scaleExp;
    return (code) => {
      const v = t[code];
      return v === undefined || v - v !== 0 ? NaN : v * k;
    };
  }
  return operandDecoder(f, scaleExp);
}

/** Position where the checked loops stopped (an overflowing addition, or the end). */
const STOP = new Int32Array(1);
/**
 * Register values in and out of the hot loops: V8 keeps a loop's accumulator unboxed only when every
 * value flowing into it is a known double (see fast-float.ts).
 */
const VAL = new Float64Array(2);
/** The range [lo, hi] of the register the checked loops add into. */
const LIM = new Float64Array(2);

/** Σ products into an exact register from VAL[0] (every sum below 2^53: checked by the caller). */
function runExact(A: Float64Array, pa: number, B: Float64Array, pb: number, k: number, k1: number): void {
  let acc = VAL[0]!;
  let j = pb + k;
  const end = pa + k1;
  for (let i = pa + k; i < end; i++, j++) acc += A[i]! * B[j]!;
  VAL[0] = acc;
}

/** {@link runExact} on two lanes sharing the row A (VAL[0], VAL[1]). */
function runExact2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number): void {
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let j0 = pb0 + k;
  let j1 = pb1 + k;
  const end = pa + k1;
  for (let i = pa + k; i < end; i++, j0++, j1++) {
    const x = A[i]!;
    acc0 += x * B[j0]!;
    acc1 += x * B[j1]!;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
}

/**
 * Σ products into a register of range [LIM[0], LIM[1]] from VAL[0], stopping before an addition that
 * leaves it (position in STOP[0]).
 */
function runChecked(A: Float64Array, pa: number, B: Float64Array, pb: number, k: number, k1: number): void {
  const lo = LIM[0]!;
  const hi = LIM[1]!;
  let acc = VAL[0]!;
  let i = pa + k;
  let j = pb + k;
  const end = pa + k1;
  for (; i < end; i++, j++) {
    const s = acc + A[i]! * B[j]!;
    if (s > hi || s < lo) break;
    acc = s;
  }
  VAL[0] = acc;
  STOP[0] = i - pa;
}

/** {@link runChecked} on two lanes sharing the row A; stops where either lane leaves the range. */
function runChecked2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number): void {
  const lo = LIM[0]!;
  const hi = LIM[1]!;
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let i = pa + k;
  let j0 = pb0 + k;
  let j1 = pb1 + k;
  const end = pa + k1;
  for (; i < end; i++, j0++, j1++) {
    const x = A[i]!;
    const s0 = acc0 + x * B[j0]!;
    const s1 = acc1 + x * B[j1]!;
    if (s0 > hi || s0 < lo || s1 > hi || s1 < lo) break;
    acc0 = s0;
    acc1 = s1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  STOP[0] = i - pa;
}

const OUT_ACC = 0;
const OUT_FLOAT = 1;
const OUT_FIXED = 2;

/** The plan of the integer-domain fast path (see the file header). */
export class IntPlan implements FastPlan {
  readonly kind = 'int' as const;
  readonly res = new FastStats();
  readonly res1 = new FastStats();
  readonly codes = new Float64Array(2);
  constructor(
    readonly valueA: (code: number) => number,
    readonly valueB: (code: number) => number,
    readonly tableA: Float64Array | null,
    readonly tableB: Float64Array | null,
    /** c → units (NaN when not on the grid or not finite). */
    private readonly cUnits: (code: number) => number,
    readonly acc: IntReg,
    readonly inner: IntReg | null,
    readonly chunk: number,
    /** Largest |product| in units. */
    private readonly maxP: number,
    /** 2^-Fu: the value of one unit. */
    private readonly unitValue: number,
    private readonly outKind: number,
    private readonly accPattern: (units: number) => number,
    private readonly outFloat: FloatTarget | null,
    private readonly outFixed: FixedTarget | null,
  ) {}

  /** Adds products k0 … k1-1 into register R holding acc (units), statistics into st. */
  private run(R: IntReg, acc: number, A: Float64Array, pa: number, B: Float64Array, pb: number, k0: number, k1: number, st: FastStats): number {
    VAL[0] = acc;
    if (R.kind === EXACT) {
      runExact(A, pa, B, pb, k0, k1);
      return VAL[0]!;
    }
    // The hot loop, resumed after each addition that overflows the register.
    let k = k0;
    for (;;) {
      LIM[0] = R.lo;
      LIM[1] = R.hi;
      runChecked(A, pa, B, pb, k, k1);
      k = STOP[0]!;
      acc = VAL[0]!;
      if (k >= k1) return acc;
      const p = A[pa + k]! * B[pb + k]!;
      VAL[0] = this.over(R, acc + p, p, acc, st);
      k++;
    }
  }

  /** An addition that left the register's range: its overflow rule and statistics. */
  private over(R: IntReg, s: number, addend: number, before: number, st: FastStats): number {
    const r = R.overflow(s);
    st.flags |= Flag.overflow;
    st.overflows++;
    if (R.sat) st.saturations++;
    if (r === before && addend !== 0) st.swamped++;
    return r;
  }

  /** c in units, if the sums starting from it stay exact (sequential summation), else NaN. */
  private start(c: number, K: number): number {
    VAL[0] = this.cUnits(c);
    const cu = VAL[0]!;
    const R = this.acc;
    const ac = cu < 0 ? -cu : cu;
    if (R.kind === EXACT ? ac + K * this.maxP > TWO53 : Math.max(ac, R.max) + this.maxP > TWO53) return NaN;
    return cu;
  }

  /** The output conversion of a finished lane; GIVE_UP if acc is not finite. */
  private finish(acc: number, index: number, st: FastStats): number {
    if (acc - acc !== 0) return GIVE_UP;
    switch (this.outKind) {
      case OUT_ACC:
        return this.accPattern(acc);
      case OUT_FLOAT:
        return roundFloatOut(this.outFloat!, acc * this.unitValue, index, st);
      default:
        return roundFixedOut(this.outFixed!, acc * this.unitValue * this.outFixed!.spec.scale, index, st);
    }
  }

  dot(A: Float64Array, pa: number, B: Float64Array, pb: number, K: number, c: number, index: number): number {
    return this.lane(A, pa, B, pb, K, c, index, this.res);
  }

  /** One dot product, statistics into st. */
  private lane(A: Float64Array, pa: number, B: Float64Array, pb: number, K: number, c: number, index: number, st: FastStats): number {
    st.reset();
    if (!(K > 0)) return GIVE_UP;
    const R = this.acc;
    const L = this.chunk;
    let acc: number;
    let j: number;
    if (L === 0) {
      const cu = this.start(c, K);
      if (cu - cu !== 0) return GIVE_UP;
      acc = this.run(R, cu, A, pa, B, pb, 0, K, st);
      j = K;
    } else {
      VAL[0] = this.cUnits(c);
      const cu = VAL[0]!;
      if (cu - cu !== 0) return GIVE_UP;
      const ac = cu < 0 ? -cu : cu;
      const I = this.inner!;
      const maxP = this.maxP;
      const nChunks = Math.ceil(K / L);
      const chunkMax = I.kind === EXACT ? Math.min(L, K) * maxP : I.max;
      if (chunkMax + maxP > TWO53) return GIVE_UP;
      if (R.kind === EXACT ? ac + nChunks * chunkMax > TWO53 : Math.max(ac, R.max) + chunkMax > TWO53) return GIVE_UP;
      acc = cu;
      for (let k0 = 0; k0 < K; k0 += L) {
        const k1 = k0 + L < K ? k0 + L : K;
        const v = this.run(I, 0, A, pa, B, pb, k0, k1, st);
        let s = acc + v;
        if (s > R.hi || s < R.lo) s = this.over(R, s, v, acc, st);
        acc = s;
      }
      j = K + nChunks;
    }
    return this.finish(acc, index * (4 * K + 4) + j, st);
  }

  dot2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, K: number, c0: number, c1: number, index0: number, index1: number): void {
    const codes = this.codes;
    const st0 = this.res;
    const st1 = this.res1;
    const cu0 = K > 0 && this.chunk === 0 ? this.start(c0, K) : NaN;
    const cu1 = K > 0 && this.chunk === 0 ? this.start(c1, K) : NaN;
    if (cu0 - cu0 !== 0 || cu1 - cu1 !== 0) {
      codes[0] = this.lane(A, pa, B, pb0, K, c0, index0, st0);
      codes[1] = this.lane(A, pa, B, pb1, K, c1, index1, st1);
      return;
    }
    st0.reset();
    st1.reset();
    const R = this.acc;
    VAL[0] = cu0;
    VAL[1] = cu1;
    if (R.kind === EXACT) runExact2(A, pa, B, pb0, pb1, 0, K);
    else {
      // Both lanes, resumed after each addition where one of them overflows.
      let k = 0;
      for (;;) {
        LIM[0] = R.lo;
        LIM[1] = R.hi;
        runChecked2(A, pa, B, pb0, pb1, k, K);
        k = STOP[0]!;
        if (k >= K) break;
        const acc0 = VAL[0]!;
        const acc1 = VAL[1]!;
        const x = A[pa + k]!;
        const p0 = x * B[pb0 + k]!;
        const p1 = x * B[pb1 + k]!;
        let s0 = acc0 + p0;
        let s1 = acc1 + p1;
        if (s0 > R.hi || s0 < R.lo) s0 = this.over(R, s0, p0, acc0, st0);
        if (s1 > R.hi || s1 < R.lo) s1 = this.over(R, s1, p1, acc1, st1);
        VAL[0] = s0;
        VAL[1] = s1;
        k++;
      }
    }
    const acc0 = VAL[0]!;
    const acc1 = VAL[1]!;
    codes[0] = this.finish(acc0, index0 * (4 * K + 4) + K, st0);
    codes[1] = this.finish(acc1, index1 * (4 * K + 4) + K, st1);
  }
}

/**
 * The integer-domain plan of a spec, or null when the spec is not of that shape.
 *
 * @example
 * ```ts
 * intPlan(int8Int32Wrap)?.kind; // => "int"
 * intPlan(gupta2015Stochastic)?.kind; // => "int" (exact accumulator, one stochastic rounding at the end)
 * ```
 */
export function intPlan(spec: MacSpec): IntPlan | null {
  const { a, b, acc, summation, product, output } = spec;
  if (acc.kind === 'float' || product.kind !== 'exact') return null;
  // 1. Operand grids and the unit 2^-Fu.
  const ga = gridOf(a);
  const gb = gridOf(b);
  if (ga === undefined || gb === undefined) return null;
  const fProd = -(ga + gb);
  const inner = summation.kind === 'chunked' ? (summation.inner as AccumulatorSpec) : null;
  if (summation.kind !== 'sequential' && summation.kind !== 'chunked') return null;
  if (inner && inner.kind === 'float') return null;
  const fAcc = regFrac(acc);
  const fIn = inner ? regFrac(inner) : undefined;
  // No quantisation anywhere: products on every register's grid, chunk results on the outer grid.
  if (fAcc !== undefined && fAcc < fProd) return null;
  if (fIn !== undefined && fIn < fProd) return null;
  if (fAcc !== undefined && fIn !== undefined && fAcc < fIn) return null;
  const Fu = Math.max(fProd, fAcc ?? -Infinity, fIn ?? -Infinity);
  if (Fu > 1000 || Fu < -1000) return null;
  // 2. Registers and bounds.
  const R = intReg(acc, Fu);
  const I = inner ? intReg(inner, Fu) : null;
  if (!R || (inner && !I)) return null;
  const da = unitDecoder(a, gb + Fu);
  const db = unitDecoder(b, -gb);
  if (!da || !db) return null;
  const maxP = maxMag(a) * maxMag(b) * 2 ** Fu;
  if (!(maxP < TWO53)) return null;
  for (const reg of [R, I]) if (reg && reg.kind !== EXACT && reg.max + maxP > TWO53) return null;
  if (I && I.kind !== EXACT && R.kind !== EXACT && R.max + I.max > TWO53) return null;
  const unitValue = 2 ** -Fu;
  // 3. c: in the accumulator's format, or for an exact accumulator in the output format.
  const cFormat: AnySpec = acc.kind === 'exact' ? output!.format : acc.format;
  let cUnits: (code: number) => number;
  if (cFormat.kind === 'float') {
    const dc = operandDecoder(cFormat);
    if (!dc) return null;
    const k = 2 ** Fu;
    cUnits = (code) => {
      const u = dc(code) * k;
      return Number.isInteger(u) && Math.abs(u) <= TWO53 ? u : NaN;
    };
  } else {
    const frac = cFormat.kind === 'fixed' ? cFormat.frac : 0;
    if (Fu < frac) return null; // c finer than the unit
    const dc = operandDecoder(cFormat, Fu);
    if (!dc) return null;
    cUnits = dc;
  }
  // 4. Output conversion.
  let outKind = OUT_ACC;
  let outFloat: FloatTarget | null = null;
  let outFixed: FixedTarget | null = null;
  let accPattern: (u: number) => number = () => GIVE_UP;
  if (output) {
    const f = output.format;
    if (packableFloat(f)) {
      outKind = OUT_FLOAT;
      outFloat = new FloatTarget(f, outCtx(output.ctx));
    } else if (fixedOutOk(f, -Fu, 53 - Fu) && f.scale > 0) {
      outKind = OUT_FIXED;
      outFixed = new FixedTarget(f, outCtx(output.ctx));
    } else return null;
  } else {
    const f = (acc as { format: FixedSpec | IntSpec }).format;
    if (f.width > 52) return null;
    const mod = 2 ** f.width;
    const perUnit = R.perUnit;
    accPattern = (u) => {
      const raw = u * perUnit;
      return raw < 0 ? raw + mod : raw;
    };
  }
  return new IntPlan(da, db, operandTable(a, gb + Fu, da), operandTable(b, -gb, db), cUnits, R, I, summation.kind === 'chunked' ? summation.chunk : 0, maxP, unitValue, outKind, accPattern, outFloat, outFixed);
}
