/**
 * Tensor kernels where every multiply-accumulate goes through a modelled unit (a {@link DotUnit}):
 * matmul (batched, transposed operands), conv2d (NCHW, stride, padding, dilation, groups) and 2-D
 * pooling. The order of the MACs is documented per kernel and is part of the result; statistics are
 * summed over the output tensor.
 *
 * Two paths compute an output element. When the unit has a fast plan (`src/accum/fast-plan.ts`),
 * matmul and conv2d decode each operand once into rows of binary64 values (conv2d: W per output
 * channel, X unfolded per image, group and block of output positions in im2col order with +0 for padded
 * taps; formats of ≤ 16 bits through the plan's table of values per bit pattern) and run
 * `plan.dot2` / `plan.dot` on those rows in place, two output elements per call. Any
 * element the plan gives up on, and every element of a unit without a plan, is computed by gathering its
 * K operand codes and calling `unit.dot` (the general engine). Both give the same bits, flags and
 * statistics (`test/tensor/kernels-fast.test.ts`); output element i always uses stochastic index
 * indexBase + i, so the evaluation order is free. The fast path also measures the decoded operands
 * (matmul: each row of A against all of B; conv2d: each image and group against all of W): the power of
 * two dividing every product, a bound on the sums, which lets the plan skip the tests those bounds make
 * unnecessary (`docs/mac-model.md`).
 */
import type { DotUnit, IntSpec, MacStats } from '../accum/types.js';
import { GIVE_UP, type FastPlan } from '../accum/fast-plan.js';
import { highExponent, lowBitExponent, productBound, productQuantum, type FastStats } from '../accum/fast-shared.js';
import { addStats, emptyStats } from '../accum/types.js';
import { decode, div, encode, fromInt } from '../ops/float/index.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import type { FloatSpec } from '../formats/float.js';
import { fixedFormat, type FixedSpec } from '../formats/fixed.js';
import { codeArray } from './storage.js';
import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';

/** A kernel's output: the tensor, the OR of the IEEE flags of every rounding, and summed statistics. */
export interface KernelResult<S extends TensorSpec = TensorSpec> {
  readonly tensor: Tensor<S>;
  readonly flags: number;
  readonly stats: MacStats;
}

/** The fixed-point format (no fraction bits, wrapping) a tensor uses for each integer format of a unit. */
const INT_AS_FIXED = new WeakMap<IntSpec, FixedSpec>();
const FROM_INT = new WeakSet<FixedSpec>();

/**
 * The tensor format of a unit's format: float and fixed-point formats as they are; an integer format
 * (`i8`, `ui8`, `i32`: the x86 and int8 presets) as the fixed-point format of the same width and
 * signedness with no fraction bits, whose stored codes are the same integers (two's complement for
 * signed formats). A TypeError naming `what` for other formats.
 * @internal
 */
export function tensorFormat(f: unknown, what: string): TensorSpec {
  const k = (f as { kind?: string }).kind;
  if (k === 'int') {
    const i = f as IntSpec;
    let t = INT_AS_FIXED.get(i);
    if (!t) {
      if (i.width > 52) throw new TypeError(`${what}: the unit's integer format ${i.name} is wider than a tensor holds (at most 52 bits)`);
      t = fixedFormat({ width: i.width, frac: 0, signed: i.signed, quant: 'TRN', overflow: 'WRAP' });
      INT_AS_FIXED.set(i, t);
      FROM_INT.add(t);
    }
    return t;
  }
  if (k !== 'float' && k !== 'fixed') {
    throw new TypeError(`${what}: the unit's format ${(f as { name?: string }).name} is not a tensor format (float or fixed point)`);
  }
  return f as TensorSpec;
}

/**
 * Does tensor t hold codes in the unit's format f? The same format (or name); for a unit's integer
 * format, any fixed-point tensor of its width and signedness with no fraction bits (the same codes,
 * whatever the quantisation and overflow modes).
 */
function sameFormat(t: Tensor, f: TensorSpec, what: string): void {
  if (t.spec === f || t.spec.name === f.name) return;
  const s = t.spec;
  if (FROM_INT.has(f as FixedSpec) && s.kind === 'fixed' && s.frac === 0 && s.width === f.width && s.signed === f.signed) return;
  throw new TypeError(`${what}: tensor format ${t.spec.name} differs from the unit's ${f.name}; convert it first`);
}

/** The bit pattern the unit reads for a stored code (fixed point stores signed raw values). */
function patternOf(spec: TensorSpec, stored: number): number {
  return spec.kind === 'fixed' && stored < 0 ? stored + 2 ** spec.width : stored;
}
/** The stored code of a bit pattern the unit returns. */
function storedOf(spec: TensorSpec, pattern: number | bigint): number {
  const p = Number(pattern);
  return spec.kind === 'fixed' && spec.signed && p >= 2 ** (spec.width - 1) ? p - 2 ** spec.width : p;
}

/**
 * {@link patternOf} and {@link storedOf} for one format with their constants computed once (the hot
 * loops call these per element).
 */
class Codes {
  private readonly neg: boolean;
  private readonly signedFixed: boolean;
  private readonly mod: number;
  private readonly half: number;
  constructor(spec: TensorSpec) {
    this.neg = spec.kind === 'fixed';
    this.signedFixed = spec.kind === 'fixed' && spec.signed;
    this.mod = 2 ** spec.width;
    this.half = 2 ** (spec.width - 1);
  }
  pattern(stored: number): number {
    return this.neg && stored < 0 ? stored + this.mod : stored;
  }
  stored(pattern: number): number {
    return this.signedFixed && pattern >= this.half ? pattern - this.mod : pattern;
  }
}


/** The code of +0 (the addend of an output without c, and the value of padding) in a format. */
function zeroPattern(f: TensorSpec): number {
  return f.kind === 'float' ? (encode(f, 0).code as number) : 0;
}

/**
 * A decoded B that {@link matmul} may keep between calls (its fifth argument, internal): a worker
 * thread that computes several row blocks of one product passes the same object and the same B
 * tensor for each, and B is decoded and measured once. Reused only for the same B tensor object,
 * plan and transposition, 2-D B and no batch; the caller must not change B's codes in between.
 * @internal
 */
export interface DecodedB {
  B?: Tensor;
  plan?: FastPlan;
  transposeB?: boolean;
  values?: Float64Array;
  /** lowBitExponent and highExponent of `values`. */
  low?: number;
  high?: number;
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use A transposed: A is [..., K, M]. */
  readonly transposeA?: boolean;
  /** Use B transposed: B is [..., N, K]. */
  readonly transposeB?: boolean;
  /** The addend c, in the unit's c format, broadcastable to [..., M, N] (a bias). Default +0. */
  readonly c?: Tensor;
  /**
   * The stochastic index of the first output element (default 0): output element i uses index
   * `indexBase + i`. A block of rows computed apart (a worker thread) passes its first row's offset
   * in the whole output, so the bits do not depend on how the work is split.
   */
  readonly indexBase?: number;
}

/**
 * Batched matrix product through a MAC unit: out[..., m, n] = Σ_k A[..., m, k]·B[..., k, n] + c[..., m, n].
 * Order: each output element is one call of `unit.dot` with its K products in increasing k; output
 * elements are stored in row-major order (each is independent of the others, so the order they are
 * computed in changes no bit), and output element i uses stochastic index
 * `indexBase + i` (default `indexBase` 0). Batch dimensions broadcast (NumPy rules).
 *
 * @example
 * ```ts
 * const u = presetByName('bf16-fp32');
 * matmul(u, A, B).tensor.shape; // => [M, N], every MAC a bf16 product added into fp32 with one rounding
 * ```
 */
export function matmul(unit: DotUnit, A: Tensor, B: Tensor, opts: MatmulOptions = {}, keepB?: DecodedB): KernelResult {
  const fa = tensorFormat(unit.a, 'unit.a');
  const fb = tensorFormat(unit.b, 'unit.b');
  const fc = tensorFormat(unit.c, 'unit.c');
  const fo = tensorFormat(unit.out, 'unit.out');
  sameFormat(A, fa, 'A');
  sameFormat(B, fb, 'B');
  if (A.ndim < 2 || B.ndim < 2) throw new RangeError(`matmul: A and B need at least 2 dimensions, got ${A.ndim} and ${B.ndim}`);
  const [ra, ca] = [A.ndim - 2, A.ndim - 1];
  const [rb, cb] = [B.ndim - 2, B.ndim - 1];
  const M = opts.transposeA ? A.shape[ca]! : A.shape[ra]!;
  const K = opts.transposeA ? A.shape[ra]! : A.shape[ca]!;
  const K2 = opts.transposeB ? B.shape[cb]! : B.shape[rb]!;
  const N = opts.transposeB ? B.shape[rb]! : B.shape[cb]!;
  if (K !== K2) {
    throw new RangeError(`matmul: inner dimensions differ: A is [${A.shape}]${opts.transposeA ? ' (transposed)' : ''}, B is [${B.shape}]${opts.transposeB ? ' (transposed)' : ''}: K = ${K} vs ${K2}`);
  }
  if (unit.k !== undefined && unit.k !== K) throw new RangeError(`matmul: ${unit.name} takes K = ${unit.k} products, the matrices have K = ${K}`);
  // Batch broadcasting.
  const batchA = A.shape.slice(0, -2);
  const batchB = B.shape.slice(0, -2);
  const nb = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const x = batchA[batchA.length - nb + i] ?? 1;
    const y = batchB[batchB.length - nb + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new RangeError(`matmul: batch dimensions do not broadcast: [${batchA}] and [${batchB}] (axis ${i})`);
    batch.push(Math.max(x, y));
  }
  const outShape = [...batch, M, N];
  const size = outShape.reduce((p, d) => p * d, 1);
  const out = new Tensor(fo, codeArray(fo, size), outShape);
  const stats = emptyStats();
  let flags = 0;
  const av = new Array<number>(K);
  const bv = new Array<number>(K);
  const zc = zeroPattern(fc);
  let cT: Tensor | undefined;
  let cs: number[] = [];
  if (opts.c) {
    sameFormat(opts.c, fc, 'c');
    cT = opts.c;
    if (size > 0) cs = cStrides(cT, outShape);
  }
  const sAm = opts.transposeA ? A.strides[ca]! : A.strides[ra]!;
  const sAk = opts.transposeA ? A.strides[ra]! : A.strides[ca]!;
  const sBk = opts.transposeB ? B.strides[cb]! : B.strides[rb]!;
  const sBn = opts.transposeB ? B.strides[rb]! : B.strides[cb]!;
  // The fast path (src/accum/fast-plan.ts): each batch's A is decoded once into rows of values, B into
  // columns, and every output element is one dot over them (plan.dot2: two columns at once); an
  // element the plan gives up on goes through unit.dot (the general engine), as do all elements of
  // units without a plan.
  const plan = planOf(unit);
  const ca_ = new Codes(fa);
  const cb_ = new Codes(fb);
  const cc_ = new Codes(fc);
  const co_ = new Codes(fo);
  const Av = plan ? new Float64Array(M * K) : null;
  let Bt: Float64Array | null = null;
  const bIndex = new Array<number>(nb).fill(0);
  let flat = 0;
  const base = opts.indexBase ?? 0;
  if (!Number.isSafeInteger(base) || base < 0) throw new RangeError(`matmul: indexBase must be a non-negative integer, got ${opts.indexBase}`);
  const nBatch = batch.reduce((p, d) => p * d, 1);
  // Per row of A, and over all of B: the exponent of the lowest set bit and the highest exponent of the
  // values, from which each row of outputs gets a power of two dividing every product and a bound on
  // Σ|products| (the plan may then take a faster loop; a row's own bounds are tighter than the whole
  // A's, a pair's own were measured slower: the loop choice then changes along a row).
  const loA = plan ? new Float64Array(M) : null;
  const hiA = plan ? new Float64Array(M) : null;
  let lowB = Infinity;
  let highB = -Infinity;
  for (let bi = 0; bi < nBatch; bi++) {
    // Batch index → each operand's base position (size-1 dims broadcast).
    let rem = bi;
    for (let i = nb - 1; i >= 0; i--) {
      bIndex[i] = rem % batch[i]!;
      rem = Math.floor(rem / batch[i]!);
    }
    let baseA = A.offset;
    let baseB = B.offset;
    for (let i = 0; i < batchA.length; i++) baseA += (batchA[i] === 1 ? 0 : bIndex[nb - batchA.length + i]!) * A.strides[i]!;
    for (let i = 0; i < batchB.length; i++) baseB += (batchB[i] === 1 ? 0 : bIndex[nb - batchB.length + i]!) * B.strides[i]!;
    let baseC = 0;
    if (cT) {
      baseC = cT.offset;
      for (let i = 0; i < nb; i++) baseC += bIndex[i]! * cs[i]!;
    }
    const sCm = cT ? cs[nb]! : 0;
    const sCn = cT ? cs[nb + 1]! : 0;
    if (plan) {
      const A0 = A.data;
      const B0 = B.data;
      const ta = plan.tableA;
      if (ta) for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) Av![m * K + k] = ta[ca_.pattern(A0[baseA + m * sAm + k * sAk]!)] as number;
      else for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) Av![m * K + k] = plan.valueA(ca_.pattern(A0[baseA + m * sAm + k * sAk]!));
      for (let m = 0; m < M; m++) {
        loA![m] = lowBitExponent(Av!, K, m * K);
        hiA![m] = highExponent(Av!, K, m * K);
      }
      const kept = keepB && B.ndim === 2 && nBatch === 1 ? keepB : null;
      if (kept && kept.B === B && kept.plan === plan && kept.transposeB === !!opts.transposeB && kept.values) {
        Bt = kept.values;
        lowB = kept.low!;
        highB = kept.high!;
      } else {
        Bt ??= new Float64Array(N * K);
        const tb = plan.tableB;
        if (tb) for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) Bt[n * K + k] = tb[cb_.pattern(B0[baseB + k * sBk + n * sBn]!)] as number;
        else for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) Bt[n * K + k] = plan.valueB(cb_.pattern(B0[baseB + k * sBk + n * sBn]!));
        lowB = lowBitExponent(Bt, N * K);
        highB = highExponent(Bt, N * K);
        if (kept) Object.assign(kept, { B, plan, transposeB: !!opts.transposeB, values: Bt, low: lowB, high: highB });
      }
    }
    /** Output (m, n) through unit.dot, its operands gathered. */
    const general = (m: number, n: number, f: number, c: number) => {
      for (let k = 0; k < K; k++) {
        av[k] = patternOf(fa, A.data[baseA + m * sAm + k * sAk]!);
        bv[k] = patternOf(fb, B.data[baseB + k * sBk + n * sBn]!);
      }
      const r = unit.dot(av, bv, c, f + base);
      out.data[f] = storedOf(fo, r.code);
      flags |= r.flags;
      addStats(stats, r.stats);
    };
    const cOf = (m: number, n: number) => (cT ? cc_.pattern(cT.data[baseC + m * sCm + n * sCn]!) : zc);
    if (!plan) {
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++, flat++) general(m, n, flat, cOf(m, n));
      continue;
    }
    // Blocks of B's columns small enough to stay in a core's cache (≤ 2^15 binary64 values) are swept
    // by every row of A in turn. Each output element is computed independently with its own
    // stochastic index, so this order of computation does not change any bit.
    const flat0 = flat;
    const NB = Math.max(2, Math.floor(32768 / Math.max(1, K)));
    for (let n0 = 0; n0 < N; n0 += NB) {
      const n1 = Math.min(N, n0 + NB);
      for (let m = 0; m < M; m++) {
        let n = n0;
        let f = flat0 + m * N + n0;
        const quantum = productQuantum(loA![m]!, lowB);
        const bound = productBound(K, hiA![m]!, highB);
        // Two output elements per call (two dependency chains overlap), then the odd one.
        for (; n + 1 < n1; n += 2, f += 2) {
          const c0 = cOf(m, n);
          const c1 = cOf(m, n + 1);
          plan.dot2(Av!, m * K, Bt!, n * K, (n + 1) * K, K, c0, c1, f + base, f + 1 + base, quantum, bound);
          const code0 = plan.codes[0]!;
          const code1 = plan.codes[1]!;
          if (code0 !== GIVE_UP) {
            out.data[f] = co_.stored(code0);
            flags |= plan.res.flags;
            addFast(stats, plan.res, K);
          } else general(m, n, f, c0);
          if (code1 !== GIVE_UP) {
            out.data[f + 1] = co_.stored(code1);
            flags |= plan.res1.flags;
            addFast(stats, plan.res1, K);
          } else general(m, n + 1, f + 1, c1);
        }
        for (; n < n1; n++, f++) {
          const c = cOf(m, n);
          const code = plan.dot(Av!, m * K, Bt!, n * K, K, c, f + base);
          if (code !== GIVE_UP) {
            out.data[f] = co_.stored(code);
            flags |= plan.res.flags;
            addFast(stats, plan.res, K);
          } else general(m, n, f, c);
        }
      }
    }
    flat = flat0 + M * N;
  }
  return { tensor: out, flags, stats };
}

/** The fast plan of a unit built by macUnit (null for presets and generalOnly units). */
function planOf(unit: DotUnit): FastPlan | null {
  return (unit as { plan?: FastPlan | null }).plan ?? null;
}

/** Adds the statistics of a finished fast-path dot product (K MACs). */
function addFast(into: MacStats, r: FastStats, K: number): void {
  into.macs += K;
  into.inexact += r.inexact;
  into.overflows += r.overflows;
  into.saturations += r.saturations;
  into.swamped += r.swamped;
}

/**
 * The stride of c along each output axis (0 where c broadcasts or has no such axis); checks that c
 * broadcasts (trailing alignment, size-1 dims repeat).
 */
function cStrides(c: Tensor, outShape: readonly number[]): number[] {
  const off = outShape.length - c.ndim;
  if (off < 0) throw new RangeError(`c: shape [${c.shape}] has more dimensions than the output`);
  const cs = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < c.ndim; i++) {
    const d = c.shape[i]!;
    if (d !== 1 && d < outShape[off + i]!) throw new RangeError(`c: shape [${c.shape}] does not broadcast to the output`);
    cs[off + i] = d === 1 ? 0 : c.strides[i]!;
  }
  return cs;
}

/** Options of {@link conv2d}: per-axis pairs or one number for both. */
export interface Conv2dOptions {
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
  readonly dilation?: number | readonly [number, number];
  readonly groups?: number;
  /** Per output channel addend in the unit's c format, shape [O]. Default +0. */
  readonly bias?: Tensor;
  /**
   * The stochastic index of the first output element (default 0): output element i uses index
   * `indexBase + i`. A block of images computed apart (a worker thread) passes its first image's
   * offset in the whole output, so the bits do not depend on how the batch is split.
   */
  readonly indexBase?: number;
}

function pair(v: number | readonly [number, number] | undefined, dflt: number, what: string, min: number): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const x of p) if (!Number.isInteger(x) || x < min) throw new RangeError(`conv2d: ${what} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

/**
 * 2-D convolution (cross-correlation, as deep-learning frameworks define it), NCHW, through a MAC unit:
 * out[n, o, y, x] = Σ_{c, ky, kx} X[n, g·Cg + c, y·sy + ky·dy - py, x·sx + kx·dx - px] · W[o, c, ky, kx] + bias[o],
 * with g = the group of o and Cg = C / groups. Order: each output element is one `unit.dot` whose
 * products run c ascending, then ky, then kx (im2col order); a padded tap is a product with a +0 input
 * (a real MAC, as in im2col hardware). Outputs in row-major order; output element i uses stochastic index
 * `indexBase + i` (default `indexBase` 0).
 */
export function conv2d(unit: DotUnit, X: Tensor, W: Tensor, opts: Conv2dOptions = {}): KernelResult {
  const fa = tensorFormat(unit.a, 'unit.a');
  const fb = tensorFormat(unit.b, 'unit.b');
  const fc = tensorFormat(unit.c, 'unit.c');
  const fo = tensorFormat(unit.out, 'unit.out');
  sameFormat(X, fa, 'X');
  sameFormat(W, fb, 'W');
  if (X.ndim !== 4) throw new RangeError(`conv2d: X must be NCHW (4 dimensions), got shape [${X.shape}]`);
  if (W.ndim !== 4) throw new RangeError(`conv2d: W must be [O, C/groups, kh, kw] (4 dimensions), got shape [${W.shape}]`);
  const [N, C, H, Wd] = X.shape as [number, number, number, number];
  const [O, Cg, KH, KW] = W.shape as [number, number, number, number];
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
    throw new RangeError(`conv2d: groups must be an integer >= 1 dividing C = ${C} and O = ${O}, got ${groups}`);
  }
  if (Cg !== C / groups) throw new RangeError(`conv2d: W's second dimension must be C / groups = ${C / groups}, got ${Cg} (W shape [${W.shape}])`);
  const [sy, sx] = pair(opts.stride, 1, 'stride', 1);
  const [py, px] = pair(opts.padding, 0, 'padding', 0);
  const [dy, dx] = pair(opts.dilation, 1, 'dilation', 1);
  const HO = Math.floor((H + 2 * py - dy * (KH - 1) - 1) / sy) + 1;
  const WO = Math.floor((Wd + 2 * px - dx * (KW - 1) - 1) / sx) + 1;
  if (HO < 1 || WO < 1) throw new RangeError(`conv2d: the kernel [${KH}, ${KW}] (dilation ${dy}, ${dx}) does not fit the padded input [${H + 2 * py}, ${Wd + 2 * px}]`);
  const K = Cg * KH * KW;
  if (unit.k !== undefined && unit.k !== K) throw new RangeError(`conv2d: ${unit.name} takes K = ${unit.k} products, this convolution has K = ${K}`);
  if (opts.bias) {
    sameFormat(opts.bias, fc, 'bias');
    if (opts.bias.ndim !== 1 || opts.bias.shape[0] !== O) throw new RangeError(`conv2d: bias must have shape [${O}], got [${opts.bias.shape}]`);
  }
  const ib = opts.indexBase ?? 0;
  if (!Number.isSafeInteger(ib) || ib < 0) throw new RangeError(`conv2d: indexBase must be a non-negative integer, got ${opts.indexBase}`);
  const outShape = [N, O, HO, WO];
  const out = new Tensor(fo, codeArray(fo, N * O * HO * WO), outShape);
  const stats = emptyStats();
  if (N * O === 0) return { tensor: out, flags: 0, stats }; // nothing to decode (MatmulPool probes shapes so)
  let flags = 0;
  const av = new Array<number>(K);
  const bv = new Array<number>(K);
  const zx = zeroPattern(fa);
  const zc = zeroPattern(fc);
  const [xs0, xs1, xs2, xs3] = X.strides as [number, number, number, number];
  const [ws0, ws1, ws2, ws3] = W.strides as [number, number, number, number];
  const OG = O / groups;
  const P = HO * WO;
  const ca_ = new Codes(fa);
  const cb_ = new Codes(fb);
  const co_ = new Codes(fo);
  const biasOf = (o: number) => (opts.bias ? patternOf(fc, opts.bias.data[opts.bias.offset + o * opts.bias.strides[0]!]!) : zc);
  /** Output element (n, o, y, x) through unit.dot, its operands gathered in im2col order. */
  const general = (n: number, o: number, y: number, x: number, flat: number, c: number) => {
    const g = Math.floor(o / OG);
    let k = 0;
    for (let ci = 0; ci < Cg; ci++) {
      for (let ky = 0; ky < KH; ky++) {
        const iy = y * sy + ky * dy - py;
        for (let kx = 0; kx < KW; kx++, k++) {
          const ix = x * sx + kx * dx - px;
          av[k] = iy < 0 || iy >= H || ix < 0 || ix >= Wd ? zx : patternOf(fa, X.data[X.offset + n * xs0 + (g * Cg + ci) * xs1 + iy * xs2 + ix * xs3]!);
          bv[k] = patternOf(fb, W.data[W.offset + o * ws0 + ci * ws1 + ky * ws2 + kx * ws3]!);
        }
      }
    }
    const r = unit.dot(av, bv, c, ib + flat);
    out.data[flat] = storedOf(fo, r.code);
    flags |= r.flags;
    addStats(stats, r.stats);
  };
  const plan = planOf(unit);
  if (!plan) {
    let flat = 0;
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++) {
        const c = biasOf(o);
        for (let y = 0; y < HO; y++) for (let x = 0; x < WO; x++, flat++) general(n, o, y, x, flat, c);
      }
    return { tensor: out, flags, stats };
  }
  // The fast path (src/accum/fast-plan.ts): W is decoded once into rows of K values; for each image
  // and group, X is decoded once and unfolded (im2col, padded taps +0) into rows of K values for a
  // block of output positions (at most 2^20 values), which every output channel of the group reuses.
  // Each output element is one dot over a row of each, in the documented order (plan.dot2 runs two
  // output channels at once); the results do not depend on the order in which the elements are
  // computed (stochastic index = flat output index), so this loop order is free. An element the plan
  // gives up on goes through unit.dot.
  /** Stores a fast-path result, or computes the element through unit.dot when the plan gave up. */
  const take = (code: number, res: FastStats, n: number, o: number, pos: number, flat: number, c: number) => {
    if (code !== GIVE_UP) {
      out.data[flat] = co_.stored(code);
      flags |= res.flags;
      addFast(stats, res, K);
    } else {
      const y = Math.floor(pos / WO);
      general(n, o, y, pos - y * WO, flat, c);
    }
  };
  const ta = plan.tableA;
  const tb = plan.tableB;
  const Wv = new Float64Array(O * K);
  for (let o = 0; o < O; o++) {
    let k = 0;
    for (let ci = 0; ci < Cg; ci++)
      for (let ky = 0; ky < KH; ky++)
        for (let kx = 0; kx < KW; kx++, k++) {
          const p = cb_.pattern(W.data[W.offset + o * ws0 + ci * ws1 + ky * ws2 + kx * ws3]!);
          Wv[o * K + k] = tb ? (tb[p] as number) : plan.valueB(p);
        }
  }
  const zv = plan.valueA(zx);
  const qW = lowBitExponent(Wv, O * K);
  const hW = highExponent(Wv, O * K);
  const HWin = H * Wd;
  const Xv = new Float64Array(Cg * HWin);
  const block = Math.max(1, Math.min(P, Math.floor(2 ** 20 / Math.max(K, 1))));
  const Xcol = new Float64Array(block * K);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      // 1. This image's channels of group g, decoded.
      for (let ci = 0; ci < Cg; ci++) {
        const base = X.offset + n * xs0 + (g * Cg + ci) * xs1;
        if (ta) for (let iy = 0; iy < H; iy++) for (let ix = 0; ix < Wd; ix++) Xv[ci * HWin + iy * Wd + ix] = ta[ca_.pattern(X.data[base + iy * xs2 + ix * xs3]!)] as number;
        else for (let iy = 0; iy < H; iy++) for (let ix = 0; ix < Wd; ix++) Xv[ci * HWin + iy * Wd + ix] = plan.valueA(ca_.pattern(X.data[base + iy * xs2 + ix * xs3]!));
      }
      // A power of two dividing every product of this image and group (padding reads +0), and a bound on
      // a dot product's Σ|products|.
      const quantum = productQuantum(lowBitExponent(Xv, Cg * HWin), qW);
      const bound = productBound(K, highExponent(Xv, Cg * HWin), hW);
      for (let p0 = 0; p0 < P; p0 += block) {
        const p1 = Math.min(P, p0 + block);
        // 2. im2col rows of the block's positions: c, then ky, then kx; padding reads +0.
        for (let pos = p0; pos < p1; pos++) {
          const y = Math.floor(pos / WO);
          const x = pos - y * WO;
          let q = (pos - p0) * K;
          for (let ci = 0; ci < Cg; ci++)
            for (let ky = 0; ky < KH; ky++) {
              const iy = y * sy + ky * dy - py;
              const rowOk = iy >= 0 && iy < H;
              const row = ci * HWin + iy * Wd;
              for (let kx = 0; kx < KW; kx++, q++) {
                const ix = x * sx + kx * dx - px;
                Xcol[q] = rowOk && ix >= 0 && ix < Wd ? Xv[row + ix]! : zv;
              }
            }
        }
        // 3. Every output channel of the group over the block, two channels per call (two
        //    dependency chains overlap), then the odd one.
        const oEnd = (g + 1) * OG;
        for (let o = g * OG; o < oEnd; o += 2) {
          const pair = o + 1 < oEnd;
          const c0 = biasOf(o);
          const c1 = pair ? biasOf(o + 1) : zc;
          const flat0 = (n * O + o) * P;
          for (let pos = p0; pos < p1; pos++) {
            const f0 = flat0 + pos;
            const row = (pos - p0) * K;
            if (pair) {
              plan.dot2(Xcol, row, Wv, o * K, (o + 1) * K, K, c0, c1, ib + f0, ib + f0 + P, quantum, bound);
              take(plan.codes[0]!, plan.res, n, o, pos, f0, c0);
              take(plan.codes[1]!, plan.res1, n, o + 1, pos, f0 + P, c1);
            } else take(plan.dot(Xcol, row, Wv, o * K, K, c0, ib + f0), plan.res, n, o, pos, f0, c0);
          }
        }
      }
    }
  }
  return { tensor: out, flags, stats };
}

/** Options of the 2-D pooling kernels. */
export interface Pool2dOptions {
  readonly kernel: number | readonly [number, number];
  /** Default: the kernel size. */
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
}

function poolGeometry(X: Tensor, o: Pool2dOptions) {
  if (X.ndim !== 4) throw new RangeError(`pool2d: X must be NCHW (4 dimensions), got shape [${X.shape}]`);
  const [kh, kw] = pair(o.kernel, 1, 'kernel', 1);
  const [sy, sx] = pair(o.stride ?? o.kernel, 1, 'stride', 1);
  const [py, px] = pair(o.padding, 0, 'padding', 0);
  const [N, C, H, W] = X.shape as [number, number, number, number];
  const HO = Math.floor((H + 2 * py - kh) / sy) + 1;
  const WO = Math.floor((W + 2 * px - kw) / sx) + 1;
  if (HO < 1 || WO < 1) throw new RangeError(`pool2d: the window [${kh}, ${kw}] does not fit the padded input [${H + 2 * py}, ${W + 2 * px}]`);
  return { kh, kw, sy, sx, py, px, N, C, H, W, HO, WO };
}

/**
 * Max pooling of a float tensor: IEEE 754 maximum over each window's in-bounds elements (padding is
 * ignored), in row-major window order; a NaN in the window gives that NaN (the first one), and
 * -0 < +0. No rounding, so no flags.
 */
export function maxPool2d(X: Tensor<FloatSpec>, o: Pool2dOptions): KernelResult<FloatSpec> {
  if (X.spec.kind !== 'float') throw new TypeError('maxPool2d: X must be a float tensor');
  const g = poolGeometry(X, o);
  const s = X.spec;
  const out = new Tensor(s, codeArray(s, g.N * g.C * g.HO * g.WO), [g.N, g.C, g.HO, g.WO]);
  const [s0, s1, s2, s3] = X.strides as [number, number, number, number];
  let flat = 0;
  for (let n = 0; n < g.N; n++)
    for (let c = 0; c < g.C; c++)
      for (let y = 0; y < g.HO; y++)
        for (let x = 0; x < g.WO; x++, flat++) {
          // IEEE maximum: the first NaN wins; otherwise the largest value, with +0 above -0. Decoded
          // values are exact, so comparing them compares the codes' values.
          let best: number | undefined;
          let bestV = 0;
          for (let ky = 0; ky < g.kh; ky++)
            for (let kx = 0; kx < g.kw; kx++) {
              const iy = y * g.sy + ky - g.py;
              const ix = x * g.sx + kx - g.px;
              if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
              const v = X.data[X.offset + n * s0 + c * s1 + iy * s2 + ix * s3]!;
              const dv = decode(s, v);
              if (best === undefined) {
                best = v;
                bestV = dv;
              } else if (!Number.isNaN(bestV) && (Number.isNaN(dv) || dv > bestV || (dv === 0 && bestV === 0 && Object.is(bestV, -0) && Object.is(dv, 0)))) {
                best = v;
                bestV = dv;
              }
            }
          out.data[flat] = best!;
        }
  return { tensor: out, flags: 0, stats: emptyStats() };
}

/**
 * Average pooling of a float tensor through an accumulator: each window's in-bounds elements are summed
 * by `unit` (a dot unit whose b operand is 1: sum = Σ x·1 + 0, so the unit's accumulator, order and
 * rounding apply), then divided by the number of in-bounds elements with one IEEE division in the
 * unit's output format, rounded with `ctx`. Padding is excluded from the count.
 */
export function avgPool2d(unit: DotUnit, X: Tensor, o: Pool2dOptions, ctx: Context = DEFAULT_CONTEXT): KernelResult {
  const fa = tensorFormat(unit.a, 'unit.a');
  const fb = tensorFormat(unit.b, 'unit.b');
  const fo = tensorFormat(unit.out, 'unit.out');
  const fc = tensorFormat(unit.c, 'unit.c');
  sameFormat(X, fa, 'X');
  if (fo.kind !== 'float') throw new TypeError('avgPool2d: the unit must output a float format (the average is a float division)');
  if (fb.kind !== 'float') throw new TypeError('avgPool2d: the unit\'s b format must be a float format (it multiplies by 1)');
  const g = poolGeometry(X, o);
  const out = new Tensor(fo, codeArray(fo, g.N * g.C * g.HO * g.WO), [g.N, g.C, g.HO, g.WO]);
  const one = encode(fb, 1).code as number;
  const zc = zeroPattern(fc);
  const stats = emptyStats();
  let flags = 0;
  const [s0, s1, s2, s3] = X.strides as [number, number, number, number];
  let flat = 0;
  for (let n = 0; n < g.N; n++)
    for (let c = 0; c < g.C; c++)
      for (let y = 0; y < g.HO; y++)
        for (let x = 0; x < g.WO; x++, flat++) {
          const av: number[] = [];
          for (let ky = 0; ky < g.kh; ky++)
            for (let kx = 0; kx < g.kw; kx++) {
              const iy = y * g.sy + ky - g.py;
              const ix = x * g.sx + kx - g.px;
              if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
              av.push(patternOf(fa, X.data[X.offset + n * s0 + c * s1 + iy * s2 + ix * s3]!));
            }
          const r = unit.dot(av, av.map(() => one), zc, flat);
          addStats(stats, r.stats);
          const count = fromInt(fo, av.length);
          const q = div(fo, r.code, count.code, ctx, flat);
          out.data[flat] = q.code as number;
          flags |= r.flags | q.flags | count.flags;
        }
  return { tensor: out, flags, stats };
}
