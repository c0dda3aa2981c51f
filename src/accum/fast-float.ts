/**
 * The fast path for float accumulators of at most 24 significand bits with a bounded exponent range
 * (fp32, tf32, fp16, bf16, the (1,6,9) format of Wang 2018, any Sakr-style ExMy accumulator): every
 * rounding mode (ties-to-even on the fast route, stochastic and the others through the shared
 * binary64 rounding routine), fused or separate, exact products or products rounded into a float
 * format, sequential or chunked summation (Wang 2018), output in the accumulator's format, another
 * float format, or a fixed-point format.
 *
 * Why it is exact (DESIGN.md §3, the double-precision shortcut):
 * 1. Operands have at most 53 significant bits between them (e.g. fp8/fp16/bf16/fp32 floats, fixed
 *    point ≤ 26 bits) and magnitudes within 2^±1000, so each product x·y is exact in binary64.
 * 2. Each addition acc + p (two binary64 values) is computed as s = fl(acc + p) plus its exact error e
 *    (TwoSum): the exact sum is s + e, and |e| ≤ ulp(s)/2 with e = 0 when s is exact.
 * 3. Rounding s + e to the register's P ≤ 24 bits: every decision point of a P-bit rounding (each
 *    representable value and each midpoint, at s's binade or the one below) is a binary64 number, so no
 *    decision point lies strictly between s and s + e (else it would be nearer to s + e than s is, and
 *    s would not be the binary64 rounding of s + e). Rounding s with the sign of e as a sticky bit is
 *    therefore rounding s + e. For ties-to-even: r = RN_P(s) by Veltkamp's split (c = s·(2^(53-P)+1),
 *    r = c - (c - s), ties to even when binary64 rounds to even; Math.fround when P = 24 inside
 *    fp32's normal range), and only when s is itself a P-bit midpoint does e decide (s can only be a
 *    false midpoint when e ≠ 0): the result then moves to the other neighbour if e points there.
 *    Stochastic rounding compares the r bits below the lsb with the random integer: the grid of those
 *    comparisons is 2^(lsb - r) ≥ ulp(s) when manBits + r ≤ 52, so the same argument holds (plans with
 *    more random bits are not built). Other modes, tiny results (subnormal or flushed, with the
 *    tininess rule) and results near overflow take `roundPackNum`, the library's binary64 rounding
 *    routine, with the same (s, sign of e).
 * 4. Anything else gives up: a NaN or infinite operand or c, an overflow in any rounding, K = 0.
 * 5. The kernels' hot loops ({@link runRne2F32N}, {@link runRne2SplitN}: two output elements at a time,
 *    ties to even, products of ≤ 24 bits) drop the error term: with both addends of ≤ 24 bits the
 *    binary64 sum is inexact only when one addend is below 2^-28 of the other, and each loop leaves to
 *    the general route exactly on the steps where that could matter (see their comments), as well as on
 *    swamped addends and on results outside the register's normal range.
 * The random bits of the j-th rounding of output element i are those of index i·(4K+4) + j, j counting
 * the product roundings (k = 0 … K-1, when products are rounded), then the additions in order (chunked:
 * each chunk's additions, then the chunk's addition into the outer accumulator), then the output
 * conversion — exactly the general engine's numbering (`src/accum/mac-unit.ts`).
 * Statistics follow the engine's `Register`: an addition is inexact when the rounded value differs
 * from s + e; it swamped its addend when the addend is non-zero and the rounded value is the
 * accumulator's previous value (±0 told apart).
 * @internal
 */
import type { FloatSpec } from '../formats/float.js';
import { Flag } from '../flags.js';
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../round/modes.js';
import { srUniform } from '../round/random.js';
import { FLAGS_SCALE, roundPackNum } from '../round/_internal/float-round.js';
import { decodeCompute, decodeTable } from '../ops/float/_internal/fast.js';
import { accCtx, type AccumulatorSpec, type MacSpec } from './mac-spec.js';
import type { AnySpec } from './types.js';
import {
  ExactEncoder,
  FastStats,
  FixedTarget,
  fixedOutOk,
  FloatTarget,
  GIVE_UP,
  magnitudeRange,
  operandDecoder,
  outCtx,
  packableFloat,
  roundFixedOut,
  roundFloatOut,
  operandTable,
  sigBits,
  type FastPlan,
} from './fast-shared.js';

/** A float register: a ≤ 24-bit format with its rounding context, resolved once. */
export class FloatReg {
  readonly mode: Mode;
  /** Ties-to-even on the Veltkamp route. */
  readonly rne: boolean;
  /** Exact zero sums are -0 (IEEE rule for rounding down). */
  readonly rdn: boolean;
  readonly tinyBefore: boolean;
  readonly seed: number;
  readonly stream: number;
  readonly srBits: number;
  readonly split: number;
  readonly split1: number;
  /** Math.fround rounds this format's normal range exactly (24 bits inside fp32's normal range). */
  readonly f32: boolean;
  /** f32, and the largest finite value is binary32's: Math.fround overflows exactly where the register does. */
  readonly maxF32: boolean;
  /** Results with magnitude in (minN, maxF] are normal and finite: the fast route. */
  readonly minN: number;
  readonly maxF: number;
  readonly noNegZero: boolean;
  readonly table: Float64Array | null;
  /**
   * [split, split1, minN, maxF] as doubles for the hot loops (V8 keeps a number read from a
   * Float64Array unboxed; one read from an object field may stay boxed and be re-read every iteration).
   */
  readonly consts: Float64Array;
  constructor(
    readonly spec: FloatSpec,
    ctx: Context,
  ) {
    this.mode = modeCode(ctx.rounding);
    const P = spec.precision;
    this.rne = this.mode === Mode.RNE && P >= 2;
    this.rdn = this.mode === Mode.RDN;
    this.tinyBefore = ctx.tininess === 'before';
    this.seed = ctx.seed;
    this.stream = ctx.stream;
    this.srBits = ctx.srBits;
    this.split = 2 ** (53 - P) + 1;
    this.split1 = 2 ** (52 - P) + 1;
    this.f32 = P === 24 && spec.emin >= -126 && spec.emax <= 127;
    this.maxF32 = this.f32 && spec.maxFinite === 3.4028234663852886e38;
    this.minN = spec.minNormal;
    this.maxF = spec.maxFinite;
    this.noNegZero = !spec.hasNegZero;
    this.table = spec.width <= 16 ? decodeTable(spec) : null;
    this.consts = Float64Array.of(this.split, this.split1, this.minN, this.maxF);
  }
  /** The value of a code of this format. */
  decode(code: number): number {
    return this.table !== null ? this.table[code]! : decodeCompute(this.spec, code);
  }
}

/**
 * A register for a format and context, or null when the fast path cannot round into it. `sticky`:
 * the register rounds sums (s + e with e ≠ 0), which stochastic rounding allows only with
 * manBits + srBits ≤ 52 (see the file header).
 */
function floatReg(spec: unknown, ctx: Context, sticky: boolean): FloatReg | null {
  const f = spec as FloatSpec;
  if (!packableFloat(f) || f.precision > 24) return null;
  if (sticky && ctx.rounding === 'sr' && f.manBits + ctx.srBits > 52) return null;
  return new FloatReg(f, ctx);
}

/**
 * Rounds the exact value s + e (TwoSum form; e = 0 when s is exact) into R; returns the value, or NaN
 * on an overflow or a non-finite s (give up). Flags of the rare route (underflow) go to `st`.
 */
function roundReg(R: FloatReg, s: number, e: number, index: number, st: FastStats): number {
  if (R.rne) {
    let r: number;
    if (R.f32) r = Math.fround(s);
    else {
      const c = s * R.split;
      r = c - (c - s);
    }
    if (e !== 0) {
      // s a P-bit midpoint (it has P+1 bits, not P): e breaks the tie.
      const d = s - r;
      if (d !== 0 && (d > 0) === (e > 0)) {
        const c1 = s * R.split1;
        if (c1 - (c1 - s) === s) r += 2 * d;
      }
    }
    const a = r < 0 ? -r : r;
    if (a > R.minN && a <= R.maxF) return r;
  }
  return roundRare(R, s, e, index, st);
}

/** The rare route: exact zeros, tiny results, other modes, overflow (NaN: give up). */
function roundRare(R: FloatReg, s: number, e: number, index: number, st: FastStats): number {
  if (s === 0) return R.noNegZero ? 0 : s;
  if (s - s !== 0) return NaN;
  const neg = s < 0;
  const rest = e === 0 ? 0 : e > 0 !== neg ? 1 : -1;
  const U = R.mode === Mode.SR ? srUniform(R.seed, R.stream, index, R.srBits) : 0;
  const packed = roundPackNum(R.spec, neg, neg ? -s : s, rest, R.mode, R.tinyBefore, U, R.srBits);
  const flags = Math.floor(packed / FLAGS_SCALE);
  if (flags & Flag.overflow) return NaN;
  st.flags |= flags;
  return R.decode(packed - flags * FLAGS_SCALE);
}

/**
 * Scratch through which the hot loops pass values and counters across calls. V8 keeps a loop's
 * accumulator in a register only when every value flowing into it is a known double: one loaded from
 * a Float64Array is, a function parameter or a call's result may not be, and a boxed accumulator
 * allocates on every MAC.
 */
const VAL = new Float64Array(2);
/** [stop position, inexact additions, swamped addends (, the same for lane 1)] of the last hot loop. */
const POS = new Int32Array(5);

/**
 * The hot loop: fused exact products added into a ties-to-even register on the fast route, from
 * position k to k1, starting from the value in VAL[0]. Stops before the first addition whose result is
 * not a normal finite value of the register (exact zero sums, to which binary64 gives the IEEE sign,
 * are taken in place); leaves the register's value in VAL[0] and [position, inexact, swamped] in POS.
 * Written for V8 and a branch predictor: the inexact count is branch-free (an addition is inexact iff
 * (r - s) - e ≠ 0, as |r - s| is 0 or at least ulp(s) > |e|), the rare cases branch.
 */
function runRne(A: Float64Array, pa: number, B: Float64Array, pb: number, k: number, k1: number, R: FloatReg): void {
  const C = R.consts;
  const split = C[0]!;
  const split1 = C[1]!;
  const minN = C[2]!;
  const maxF = C[3]!;
  const f32 = R.f32 ? 1 : 0;
  const nz = R.noNegZero ? 1 : 0;
  let acc = VAL[0]!;
  let inexact = 0;
  let swamped = 0;
  let i = pa + k;
  let j = pb + k;
  const end = pa + k1;
  for (; i < end; i++, j++) {
    const p = A[i]! * B[j]!;
    const s = acc + p;
    const bv = s - acc;
    const e = acc - (s - bv) + (p - bv);
    let r: number;
    if (f32 === 1) r = Math.fround(s);
    else {
      const c = s * split;
      r = c - (c - s);
    }
    if (e !== 0) {
      // s a P-bit midpoint (it has P+1 bits, not P): e breaks the tie.
      const d = s - r;
      if (d !== 0 && d > 0 === e > 0) {
        const c1 = s * split1;
        if (c1 - (c1 - s) === s) r += 2 * d;
      }
    }
    const a = Math.abs(r);
    if (!(a > minN && a <= maxF)) {
      if (s !== 0) break;
      r = nz === 1 ? 0 : s;
    }
    inexact += +(r - s - e !== 0);
    if (r === acc && p !== 0) swamped++;
    acc = r;
  }
  VAL[0] = acc;
  POS[0] = i - pa;
  POS[1] = inexact;
  POS[2] = swamped;
}

/**
 * {@link runRne} on two lanes at once (two output elements sharing the row A: B rows at pb0 and pb1),
 * for products of at most 24 significant bits; values in VAL[0] and VAL[1]; stops where either lane
 * needs the general route. Two independent dependency chains let the processor overlap them (one lane
 * is bound by the latency of its rounding). POS = [position, inexact 0, swamped 0, inexact 1,
 * swamped 1]. Integer updates are written `(x + 1) | 0` so that V8 needs no overflow checks.
 */
function runRne2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number, R: FloatReg, lanes: number): void {
  if (R.f32) {
    if (lanes === LANES_EXACT) runRne2F32X(A, pa, B, pb0, pb1, k, k1);
    else if (lanes === LANES_NO_TINY) runRne2F32Q(A, pa, B, pb0, pb1, k, k1);
    else runRne2F32N(A, pa, B, pb0, pb1, k, k1, R);
  } else if (lanes === LANES_EXACT) runRne2SplitX(A, pa, B, pb0, pb1, k, k1, R);
  else runRne2SplitN(A, pa, B, pb0, pb1, k, k1, R);
}

/**
 * What the caller of {@link runRne2} knows of the lanes: nothing; no sum can be tiny (and an overflow
 * shows as ±∞: float32 registers only); and moreover no binary64 sum is inexact and none overflows.
 */
const LANES_ANY = 0;
const LANES_NO_TINY = 1;
const LANES_EXACT = 2;
const EXACT_SPAN = 4503599627370496; // 2^52

/**
 * The loop {@link runRne2} may take for register R when every product and start value is a multiple of
 * the power of two q, and `total` bounds |start value| + Σ|products| of a lane. No sum can be tiny when
 * q ≥ 2^emin (every partial sum is 0 or at least q, and rounding to R keeps it a multiple of q). No
 * binary64 sum is inexact when 2·total ≤ 2^52·q (the factor 2 covers R's rounding errors: every
 * partial sum then stays below 2^53·q), and none overflows R when 2·total ≤ its largest finite value.
 */
function lanesFor(R: FloatReg, q: number, total: number): number {
  if (!(q >= R.minN)) return LANES_ANY;
  const exact = 2 * total <= EXACT_SPAN * q;
  if (R.f32) return !R.maxF32 ? LANES_ANY : exact ? LANES_EXACT : LANES_NO_TINY;
  return exact && 2 * total <= R.maxF ? LANES_EXACT : LANES_ANY;
}

/**
 * {@link runRne2} for a 24-bit register inside fp32's normal range (Math.fround rounds it) and
 * products of at most 24 significant bits. Then fround(fl64(acc + p)) is the correctly rounded sum
 * (binary64 has 53 ≥ 2·24 + 2 bits: double rounding is innocuous), so no error term is needed for the
 * value. The binary64 sum is inexact only when one addend is below 2^-29 of the other, and then the
 * rounded sum is the larger addend: those steps (r equal to an addend while the other is non-zero)
 * leave the loop, and on the others the addition is inexact iff r ≠ s.
 */
function runRne2F32N(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number, R: FloatReg): void {
  const C = R.consts;
  const minN = C[2]!;
  const maxF = C[3]!;
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let in0 = 0;
  let in1 = 0;
  let i = (pa + k) | 0;
  const d0 = (pb0 - pa) | 0;
  const d1 = (pb1 - pa) | 0;
  const end = (pa + k1) | 0;
  for (; i < end; i = (i + 1) | 0) {
    const x = A[i]!;
    const p0 = x * B[(i + d0) | 0]!;
    const p1 = x * B[(i + d1) | 0]!;
    const s0 = acc0 + p0;
    const s1 = acc1 + p1;
    const r0 = Math.fround(s0);
    const r1 = Math.fround(s1);
    const a0 = Math.abs(r0);
    const a1 = Math.abs(r1);
    if (!(a0 > minN && a0 <= maxF) && s0 !== 0) break;
    if (!(a1 > minN && a1 <= maxF) && s1 !== 0) break;
    if ((r0 === acc0 && p0 !== 0) || (r0 === p0 && acc0 !== 0)) break;
    if ((r1 === acc1 && p1 !== 0) || (r1 === p1 && acc1 !== 0)) break;
    in0 = (in0 + +(r0 !== s0)) | 0;
    in1 = (in1 + +(r1 !== s1)) | 0;
    acc0 = r0;
    acc1 = r1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  POS[0] = i - pa;
  POS[1] = in0;
  POS[2] = 0;
  POS[3] = in1;
  POS[4] = 0;
}

/**
 * {@link runRne2F32N} without the range test, for a register whose largest finite value is binary32's
 * (`FloatReg.maxF32`) and lanes that cannot meet a tiny sum (`noTiny`: every product and both start
 * values are multiples of a power of two q ≥ 2^emin, so every partial sum is 0 or at least q, and its
 * rounding to the register keeps it so). An overflow makes `Math.fround` return ±∞ exactly where the
 * register's rounding overflows; ±∞ then stays in the lane (the products are finite), the swamping test
 * stops the loop at the next non-zero product or the lane ends non-finite, and the caller's general
 * route gives the element up to the engine. Exact zero sums get binary64's sign, which is IEEE's.
 */
function runRne2F32Q(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number): void {
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let in0 = 0;
  let in1 = 0;
  let i = (pa + k) | 0;
  const d0 = (pb0 - pa) | 0;
  const d1 = (pb1 - pa) | 0;
  const end = (pa + k1) | 0;
  for (; i < end; i = (i + 1) | 0) {
    const x = A[i]!;
    const p0 = x * B[(i + d0) | 0]!;
    const p1 = x * B[(i + d1) | 0]!;
    const s0 = acc0 + p0;
    const s1 = acc1 + p1;
    const r0 = Math.fround(s0);
    const r1 = Math.fround(s1);
    if ((r0 === acc0 && p0 !== 0) || (r0 === p0 && acc0 !== 0)) break;
    if ((r1 === acc1 && p1 !== 0) || (r1 === p1 && acc1 !== 0)) break;
    in0 = (in0 + +(r0 !== s0)) | 0;
    in1 = (in1 + +(r1 !== s1)) | 0;
    acc0 = r0;
    acc1 = r1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  POS[0] = i - pa;
  POS[1] = in0;
  POS[2] = 0;
  POS[3] = in1;
  POS[4] = 0;
}

/**
 * {@link runRne2F32Q} for lanes whose binary64 sums are all exact as well (`LANES_EXACT`: every value
 * a multiple of q and every sum, partial sums included, below 2^52·q in magnitude): an addition is then
 * inexact iff r ≠ s, whatever the exponents, so only the swamping test remains (an addend that left no
 * trace is counted by the general route).
 */
function runRne2F32X(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number): void {
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let in0 = 0;
  let in1 = 0;
  let i = (pa + k) | 0;
  const d0 = (pb0 - pa) | 0;
  const d1 = (pb1 - pa) | 0;
  const end = (pa + k1) | 0;
  for (; i < end; i = (i + 1) | 0) {
    const x = A[i]!;
    const p0 = x * B[(i + d0) | 0]!;
    const p1 = x * B[(i + d1) | 0]!;
    const s0 = acc0 + p0;
    const s1 = acc1 + p1;
    const r0 = Math.fround(s0);
    const r1 = Math.fround(s1);
    if ((r0 === acc0 && p0 !== 0) || (r1 === acc1 && p1 !== 0)) break;
    in0 = (in0 + +(r0 !== s0)) | 0;
    in1 = (in1 + +(r1 !== s1)) | 0;
    acc0 = r0;
    acc1 = r1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  POS[0] = i - pa;
  POS[1] = in0;
  POS[2] = 0;
  POS[3] = in1;
  POS[4] = 0;
}

/**
 * {@link runRne2} for Veltkamp's split and products of at most 24 significant bits. The binary64 sum
 * s is inexact only when one addend is below 2^-28 of the other; then the only way s can be a false
 * P-bit midpoint is that the larger addend is the product, itself exactly a midpoint, and the
 * accumulator vanished in s (s = p). Such steps (s = p with acc ≠ 0), swamped addends (r = acc with
 * p ≠ 0) and results outside the normal range leave the loop; on the others no error term is needed,
 * and the addition is inexact iff r ≠ s (when s is inexact, it has bits far below the P-bit grid).
 */
function runRne2SplitN(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number, R: FloatReg): void {
  const C = R.consts;
  const split = C[0]!;
  const minN = C[2]!;
  const maxF = C[3]!;
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let in0 = 0;
  let in1 = 0;
  let i = (pa + k) | 0;
  const d0 = (pb0 - pa) | 0;
  const d1 = (pb1 - pa) | 0;
  const end = (pa + k1) | 0;
  for (; i < end; i = (i + 1) | 0) {
    const x = A[i]!;
    const p0 = x * B[(i + d0) | 0]!;
    const p1 = x * B[(i + d1) | 0]!;
    const s0 = acc0 + p0;
    const s1 = acc1 + p1;
    const c0 = s0 * split;
    const c1 = s1 * split;
    const r0 = c0 - (c0 - s0);
    const r1 = c1 - (c1 - s1);
    const a0 = Math.abs(r0);
    const a1 = Math.abs(r1);
    if (!(a0 > minN && a0 <= maxF) && s0 !== 0) break;
    if (!(a1 > minN && a1 <= maxF) && s1 !== 0) break;
    if ((r0 === acc0 && p0 !== 0) || (s0 === p0 && acc0 !== 0)) break;
    if ((r1 === acc1 && p1 !== 0) || (s1 === p1 && acc1 !== 0)) break;
    in0 = (in0 + +(r0 !== s0)) | 0;
    in1 = (in1 + +(r1 !== s1)) | 0;
    acc0 = r0;
    acc1 = r1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  POS[0] = i - pa;
  POS[1] = in0;
  POS[2] = 0;
  POS[3] = in1;
  POS[4] = 0;
}

/**
 * {@link runRne2SplitN} for `LANES_EXACT` lanes (see {@link lanesFor}): no result can be tiny or beyond
 * the largest finite value, and every binary64 sum is exact, so s is never a false midpoint and an
 * addition is inexact iff r ≠ s; only the swamping test remains.
 */
function runRne2SplitX(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k: number, k1: number, R: FloatReg): void {
  const split = R.consts[0]!;
  let acc0 = VAL[0]!;
  let acc1 = VAL[1]!;
  let in0 = 0;
  let in1 = 0;
  let i = (pa + k) | 0;
  const d0 = (pb0 - pa) | 0;
  const d1 = (pb1 - pa) | 0;
  const end = (pa + k1) | 0;
  for (; i < end; i = (i + 1) | 0) {
    const x = A[i]!;
    const p0 = x * B[(i + d0) | 0]!;
    const p1 = x * B[(i + d1) | 0]!;
    const s0 = acc0 + p0;
    const s1 = acc1 + p1;
    const c0 = s0 * split;
    const c1 = s1 * split;
    const r0 = c0 - (c0 - s0);
    const r1 = c1 - (c1 - s1);
    if ((r0 === acc0 && p0 !== 0) || (r1 === acc1 && p1 !== 0)) break;
    in0 = (in0 + +(r0 !== s0)) | 0;
    in1 = (in1 + +(r1 !== s1)) | 0;
    acc0 = r0;
    acc1 = r1;
  }
  VAL[0] = acc0;
  VAL[1] = acc1;
  POS[0] = i - pa;
  POS[1] = in0;
  POS[2] = 0;
  POS[3] = in1;
  POS[4] = 0;
}

/**
 * One addition acc ⊕ p into R in any mode: TwoSum, the IEEE sign of an exact zero sum, one rounding,
 * statistics into st. The register's new value goes to VAL[0] (NaN: give up).
 */
function addStep(R: FloatReg, acc: number, p: number, index: number, st: FastStats): void {
  let s = acc + p;
  const bv = s - acc;
  const e = acc - (s - bv) + (p - bv);
  if (s === 0 && R.rdn) s = Object.is(acc, 0) && Object.is(p, 0) ? 0 : -0;
  const r = roundReg(R, s, e, index, st);
  if (r !== s || e !== 0) {
    st.inexact++;
    if (r === acc && p !== 0 && (r !== 0 || 1 / r === 1 / acc)) st.swamped++;
  }
  VAL[0] = r;
}

/** One product rounded into P (exact input); the value goes to VAL[1] (NaN: give up). */
function roundProduct(P: FloatReg, p: number, index: number, st: FastStats): void {
  const q = roundReg(P, p, 0, index, st);
  if (q !== p) st.inexact++;
  VAL[1] = q;
}

const OUT_ACC = 0;
const OUT_FLOAT = 1;
const OUT_FIXED = 2;

/** The plan of the float-accumulator fast path (see the file header). */
export class FloatPlan implements FastPlan {
  readonly kind = 'float' as const;
  readonly res = new FastStats();
  readonly res1 = new FastStats();
  readonly codes = new Float64Array(2);
  /** The hot shape: exact products of ≤ 24 bits, ties-to-even registers (the two-lane loops apply). */
  private readonly hot: boolean;
  /** Codes of the accumulator's values (output in the accumulator's format). */
  private readonly encoder: ExactEncoder;
  constructor(
    readonly valueA: (code: number) => number,
    readonly valueB: (code: number) => number,
    readonly tableA: Float64Array | null,
    readonly tableB: Float64Array | null,
    private readonly cValue: (code: number) => number,
    /** The (outer) accumulator. */
    readonly acc: FloatReg,
    /** Chunked summation: the inner accumulator and the chunk length (0: sequential). */
    readonly inner: FloatReg | null,
    readonly chunk: number,
    /** Products rounded first (into `product.format`, or into the accumulator when separate), else null. */
    readonly prod: FloatReg | null,
    private readonly outKind: number,
    private readonly outFloat: FloatTarget | null,
    private readonly outFixed: FixedTarget | null,
    productBits: number,
    /** A power of two that divides every product (the operand formats' smallest steps multiplied). */
    private readonly quantum: number,
  ) {
    this.hot = productBits <= 24 && prod === null && (inner ?? acc).rne;
    this.encoder = new ExactEncoder(acc.spec);
  }

  /**
   * Adds the products k0 … k1-1 into a register that holds `acc`, the product roundings drawing
   * indices pIdx + k and the additions aIdx, aIdx + 1, …, statistics into st; the register's value
   * (NaN: give up).
   */
  private run(R: FloatReg, acc: number, A: Float64Array, pa: number, B: Float64Array, pb: number, k0: number, k1: number, pIdx: number, aIdx: number, st: FastStats): number {
    const P = this.prod;
    if (P === null && R.rne) {
      // The hot loop, resumed after each step it hands to the general rounding route.
      let k = k0;
      VAL[0] = acc;
      for (;;) {
        runRne(A, pa, B, pb, k, k1, R);
        st.inexact += POS[1]!;
        st.swamped += POS[2]!;
        k = POS[0]!;
        acc = VAL[0]!;
        if (k >= k1) return acc;
        addStep(R, acc, A[pa + k]! * B[pb + k]!, aIdx + k - k0, st);
        acc = VAL[0]!;
        if (acc !== acc) return NaN;
        k++;
      }
    }
    for (let k = k0; k < k1; k++) {
      let p = A[pa + k]! * B[pb + k]!;
      if (P !== null) {
        roundProduct(P, p, pIdx + k, st);
        p = VAL[1]!;
      }
      addStep(R, acc, p, aIdx + k - k0, st);
      acc = VAL[0]!;
    }
    return acc;
  }

  /**
   * The two-lane {@link run} of the hot shape: lanes start from VAL[0] and VAL[1] and end there
   * (NaN for a lane that gave up). Addition indices aIdx0 + (k - k0) and aIdx1 + (k - k0).
   */
  private run2(R: FloatReg, A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, k0: number, k1: number, aIdx0: number, aIdx1: number, lanes: number): void {
    const st0 = this.res;
    const st1 = this.res1;
    let k = k0;
    for (;;) {
      runRne2(A, pa, B, pb0, pb1, k, k1, R, lanes);
      st0.inexact += POS[1]!;
      st0.swamped += POS[2]!;
      st1.inexact += POS[3]!;
      st1.swamped += POS[4]!;
      k = POS[0]!;
      if (k >= k1) return;
      // Step k of both lanes on the general route.
      const acc0 = VAL[0]!;
      const acc1 = VAL[1]!;
      const x = A[pa + k]!;
      addStep(R, acc0, x * B[pb0 + k]!, aIdx0 + k - k0, st0);
      const r0 = VAL[0]!;
      addStep(R, acc1, x * B[pb1 + k]!, aIdx1 + k - k0, st1);
      const r1 = VAL[0]!;
      k++;
      if (r0 !== r0 || r1 !== r1) {
        // A lane gave up: finish the other one alone.
        const v0 = r0 === r0 ? this.run(R, r0, A, pa, B, pb0, k, k1, 0, aIdx0 + k - k0, st0) : NaN;
        const v1 = r1 === r1 ? this.run(R, r1, A, pa, B, pb1, k, k1, 0, aIdx1 + k - k0, st1) : NaN;
        VAL[0] = v0;
        VAL[1] = v1;
        return;
      }
      VAL[0] = r0;
      VAL[1] = r1;
    }
  }

  /** The output conversion of a finished lane (its flags and statistics into st); GIVE_UP if acc is not finite. */
  private finish(acc: number, index: number, st: FastStats): number {
    if (acc - acc !== 0) return GIVE_UP;
    if (st.inexact > 0) st.flags |= Flag.inexact;
    switch (this.outKind) {
      case OUT_ACC:
        return this.encoder.code(acc);
      case OUT_FLOAT:
        return roundFloatOut(this.outFloat!, acc, index, st);
      default:
        return roundFixedOut(this.outFixed!, acc * this.outFixed!.spec.scale, index, st);
    }
  }

  dot(A: Float64Array, pa: number, B: Float64Array, pb: number, K: number, c: number, index: number): number {
    return this.lane(A, pa, B, pb, K, c, index, this.res);
  }

  /** One dot product, statistics into st. */
  private lane(A: Float64Array, pa: number, B: Float64Array, pb: number, K: number, c: number, index: number, st: FastStats): number {
    st.reset();
    if (!(K > 0)) return GIVE_UP;
    VAL[0] = this.cValue(c);
    const cv = VAL[0]!;
    if (cv - cv !== 0) return GIVE_UP;
    const base = index * (4 * K + 4);
    let j = this.prod !== null ? K : 0;
    let acc: number;
    const L = this.chunk;
    if (L === 0) {
      acc = this.run(this.acc, cv, A, pa, B, pb, 0, K, base, base + j, st);
      j += K;
    } else {
      const R = this.acc;
      const I = this.inner!;
      acc = cv;
      for (let k0 = 0; k0 < K; k0 += L) {
        const k1 = k0 + L < K ? k0 + L : K;
        const v = this.run(I, 0, A, pa, B, pb, k0, k1, base, base + j, st);
        j += k1 - k0;
        // The chunk's result into the outer accumulator: one more rounding.
        addStep(R, acc, v, base + j, st);
        j++;
        acc = VAL[0]!;
        if (acc !== acc) return GIVE_UP;
      }
    }
    return this.finish(acc, base + j, st);
  }

  dot2(A: Float64Array, pa: number, B: Float64Array, pb0: number, pb1: number, K: number, c0: number, c1: number, index0: number, index1: number, quantum = 0, bound = Infinity): void {
    const codes = this.codes;
    const st0 = this.res;
    const st1 = this.res1;
    VAL[0] = this.cValue(c0);
    VAL[1] = this.cValue(c1);
    const cv0 = VAL[0]!;
    const cv1 = VAL[1]!;
    if (!this.hot || !(K > 0) || cv0 - cv0 !== 0 || cv1 - cv1 !== 0) {
      codes[0] = this.lane(A, pa, B, pb0, K, c0, index0, st0);
      codes[1] = this.lane(A, pa, B, pb1, K, c1, index1, st1);
      return;
    }
    st0.reset();
    st1.reset();
    const base0 = index0 * (4 * K + 4);
    const base1 = index1 * (4 * K + 4);
    const L = this.chunk;
    let acc0: number;
    let acc1: number;
    let j: number;
    // What the caller's bounds allow (lanesFor): the start values must be multiples of q too.
    const q = quantum > this.quantum ? quantum : this.quantum;
    if (L === 0) {
      const cOk = Number.isInteger(cv0 / q) && Number.isInteger(cv1 / q);
      const lanes = cOk ? lanesFor(this.acc, q, bound + Math.max(Math.abs(cv0), Math.abs(cv1))) : LANES_ANY;
      this.run2(this.acc, A, pa, B, pb0, pb1, 0, K, base0, base1, lanes);
      acc0 = VAL[0]!;
      acc1 = VAL[1]!;
      j = K;
    } else {
      const R = this.acc;
      const I = this.inner!;
      const lanesI = lanesFor(I, q, bound); // each chunk starts from 0
      acc0 = cv0;
      acc1 = cv1;
      j = 0;
      for (let k0 = 0; k0 < K; k0 += L) {
        const k1 = k0 + L < K ? k0 + L : K;
        VAL[0] = 0;
        VAL[1] = 0;
        this.run2(I, A, pa, B, pb0, pb1, k0, k1, base0 + j, base1 + j, lanesI);
        const v0 = VAL[0]!;
        const v1 = VAL[1]!;
        j += k1 - k0;
        addStep(R, acc0, v0, base0 + j, st0);
        acc0 = VAL[0]!;
        addStep(R, acc1, v1, base1 + j, st1);
        acc1 = VAL[0]!;
        j++;
      }
    }
    codes[0] = this.finish(acc0, base0 + j, st0);
    codes[1] = this.finish(acc1, base1 + j, st1);
  }
}

/** The smallest step of a format's values (every value is a multiple of it): 2^(emin - m) for floats, 2^-frac for fixed point, 1 for integers. */
function quantumOf(f: AnySpec): number {
  if (f.kind === 'float') return 2 ** (f.emin - f.manBits);
  return f.kind === 'fixed' ? 2 ** -f.frac : 1;
}

/** Same encoding: a value of one is the same code in the other (an output into the accumulator's own format is exact). */
function sameFloat(f: unknown, g: FloatSpec): boolean {
  const h = f as FloatSpec;
  return (
    h === g ||
    (h.kind === 'float' && h.expBits === g.expBits && h.manBits === g.manBits && h.bias === g.bias && h.subnormals === g.subnormals && h.specials === g.specials && h.overflow === g.overflow && h.signed === g.signed)
  );
}

/**
 * The float-accumulator plan of a spec, or null when the spec is not of that shape.
 *
 * @example
 * ```ts
 * floatPlan(wang2018Chunk64)?.chunk; // => 64
 * floatPlan(int8Int32Wrap); // => null (an integer accumulator: see fast-int.ts)
 * ```
 */
export function floatPlan(spec: MacSpec): FloatPlan | null {
  const { a, b, acc, summation, product, output } = spec;
  if (acc.kind !== 'float') return null;
  // 1. Operands: exact products in binary64, inside its normal range.
  const da = operandDecoder(a);
  const db = operandDecoder(b);
  if (!da || !db || sigBits(a) + sigBits(b) > 53) return null;
  const [hiA, loA] = magnitudeRange(a);
  const [hiB, loB] = magnitudeRange(b);
  if (hiA + hiB > 1000 || loA + loB < -1000) return null;
  // 2. Registers.
  const R = floatReg(acc.format, accCtx(acc), true);
  if (!R) return null;
  let inner: FloatReg | null = null;
  let chunk = 0;
  if (summation.kind === 'chunked') {
    const I = summation.inner as AccumulatorSpec;
    if (I.kind !== 'float') return null;
    inner = floatReg(I.format, accCtx(I), true);
    if (!inner) return null;
    chunk = summation.chunk;
  } else if (summation.kind !== 'sequential') return null;
  let prod: FloatReg | null = null;
  if (product.kind === 'round') {
    prod = floatReg(product.format, product.ctx ?? DEFAULT_CONTEXT, false);
    if (!prod) return null;
  } else if (!spec.fused) prod = floatReg(acc.format, accCtx(acc), false);
  // 3. Output conversion.
  let outKind = OUT_ACC;
  let outFloat: FloatTarget | null = null;
  let outFixed: FixedTarget | null = null;
  if (output && !sameFloat(output.format, R.spec)) {
    const f = output.format;
    if (packableFloat(f)) {
      outKind = OUT_FLOAT;
      outFloat = new FloatTarget(f, outCtx(output.ctx));
    } else if (fixedOutOk(f, Math.log2(R.spec.minPositive) - 1, Math.log2(R.spec.maxFinite) + 1) && f.scale > 0) {
      outKind = OUT_FIXED;
      outFixed = new FixedTarget(f, outCtx(output.ctx));
    } else return null;
  }
  const dc = operandDecoder(acc.format)!;
  return new FloatPlan(da, db, operandTable(a, 0, da), operandTable(b, 0, db), dc, R, inner, chunk, prod, outKind, outFloat, outFixed, sigBits(a) + sigBits(b), quantumOf(a) * quantumOf(b));
}
