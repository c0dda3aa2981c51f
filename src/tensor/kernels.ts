/**
 * Tensor kernels where every multiply-accumulate goes through a modelled unit (a {@link DotUnit}):
 * matmul (batched, transposed operands), conv2d (NCHW, stride, padding, dilation, groups) and 2-D
 * pooling. The order of the MACs is documented per kernel and is part of the result; statistics are
 * summed over the output tensor. These kernels gather each output's K operands and call the unit once
 * per output element (the general path; fast paths for common units must agree with them bit for bit).
 */
import type { DotUnit, MacStats } from '../accum/types.js';
import { fp32Strided, type Fp32Plan } from '../accum/fast-fp32.js';
import { emptyStats } from '../accum/types.js';
import { decode, div, encode, fromInt } from '../ops/float/index.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import type { FloatSpec } from '../formats/float.js';
import { codeArray } from './storage.js';
import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';

/** A kernel's output: the tensor, the OR of the IEEE flags of every rounding, and summed statistics. */
export interface KernelResult<S extends TensorSpec = TensorSpec> {
  readonly tensor: Tensor<S>;
  readonly flags: number;
  readonly stats: MacStats;
}

function tensorFormat(f: unknown, what: string): TensorSpec {
  const k = (f as { kind?: string }).kind;
  if (k !== 'float' && k !== 'fixed') {
    throw new TypeError(`${what}: the unit's format ${(f as { name?: string }).name} is not a tensor format (float or fixed point)`);
  }
  return f as TensorSpec;
}

function sameFormat(t: Tensor, f: TensorSpec, what: string): void {
  if (t.spec !== f && t.spec.name !== f.name) {
    throw new TypeError(`${what}: tensor format ${t.spec.name} differs from the unit's ${f.name}; convert it first`);
  }
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

function addStats(into: MacStats, s: MacStats): void {
  into.macs += s.macs;
  into.inexact += s.inexact;
  into.overflows += s.overflows;
  into.saturations += s.saturations;
  into.swamped += s.swamped;
}

/** The code of +0 (the addend of an output without c, and the value of padding) in a format. */
function zeroPattern(f: TensorSpec): number {
  return f.kind === 'float' ? (encode(f, 0).code as number) : 0;
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use A transposed: A is [..., K, M]. */
  readonly transposeA?: boolean;
  /** Use B transposed: B is [..., N, K]. */
  readonly transposeB?: boolean;
  /** The addend c, in the unit's c format, broadcastable to [..., M, N] (a bias). Default +0. */
  readonly c?: Tensor;
}

/**
 * Batched matrix product through a MAC unit: out[..., m, n] = Σ_k A[..., m, k]·B[..., k, n] + c[..., m, n].
 * Order: each output element is one call of `unit.dot` with its K products in increasing k; output
 * elements are computed in row-major order, and output element i uses stochastic index i. Batch
 * dimensions broadcast (NumPy rules).
 *
 * @example
 * ```ts
 * const u = presetByName('bf16-fp32');
 * matmul(u, A, B).tensor.shape; // => [M, N], every MAC a bf16 product added into fp32 with one rounding
 * ```
 */
export function matmul(unit: DotUnit, A: Tensor, B: Tensor, opts: MatmulOptions = {}): KernelResult {
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
  if (opts.c) {
    sameFormat(opts.c, fc, 'c');
    cT = opts.c;
  }
  const bIndex = new Array<number>(nb).fill(0);
  let flat = 0;
  const nBatch = batch.reduce((p, d) => p * d, 1);
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
    const sAm = opts.transposeA ? A.strides[ca]! : A.strides[ra]!;
    const sAk = opts.transposeA ? A.strides[ra]! : A.strides[ca]!;
    const sBk = opts.transposeB ? B.strides[cb]! : B.strides[rb]!;
    const sBn = opts.transposeB ? B.strides[rb]! : B.strides[cb]!;
    const plan = (unit as { fp32?: Fp32Plan | null }).fp32;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++, flat++) {
        if (plan) {
          // The fp32 fast path read straight from the tensors (src/accum/fast-fp32.ts); an output it
          // cannot do exactly falls through to the unit's general dot below.
          const cc = cT ? cValue(cT, [...bIndex, m, n]) : zc;
          const r = fp32Strided(plan, A.data, baseA + m * sAm, sAk, B.data, baseB + n * sBn, sBk, K, cc);
          if (r) {
            out.data[flat] = r.code as number;
            flags |= r.flags;
            addStats(stats, r.stats);
            continue;
          }
        }
        for (let k = 0; k < K; k++) {
          av[k] = patternOf(fa, A.data[baseA + m * sAm + k * sAk]!);
          bv[k] = patternOf(fb, B.data[baseB + k * sBk + n * sBn]!);
        }
        const c = cT ? patternOf(fc, cValue(cT, [...bIndex, m, n])) : zc;
        const r = unit.dot(av, bv, c, flat);
        out.data[flat] = storedOf(fo, r.code);
        flags |= r.flags;
        addStats(stats, r.stats);
      }
    }
  }
  return { tensor: out, flags, stats };
}

/** c broadcast to an output index (trailing alignment, size-1 dims repeat). */
function cValue(c: Tensor, index: readonly number[]): number {
  let p = c.offset;
  const off = index.length - c.ndim;
  if (off < 0) throw new RangeError(`c: shape [${c.shape}] has more dimensions than the output`);
  for (let i = 0; i < c.ndim; i++) {
    const d = c.shape[i]!;
    const x = index[off + i]!;
    if (d !== 1 && d <= x) throw new RangeError(`c: shape [${c.shape}] does not broadcast to the output`);
    p += (d === 1 ? 0 : x) * c.strides[i]!;
  }
  return c.data[p]!;
}

/** Options of {@link conv2d}: per-axis pairs or one number for both. */
export interface Conv2dOptions {
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
  readonly dilation?: number | readonly [number, number];
  readonly groups?: number;
  /** Per output channel addend in the unit's c format, shape [O]. Default +0. */
  readonly bias?: Tensor;
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
 * (a real MAC, as in im2col hardware). Outputs in row-major order; output element i uses stochastic index i.
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
  const outShape = [N, O, HO, WO];
  const out = new Tensor(fo, codeArray(fo, N * O * HO * WO), outShape);
  const stats = emptyStats();
  let flags = 0;
  const av = new Array<number>(K);
  const bv = new Array<number>(K);
  const zx = zeroPattern(fa);
  const zc = zeroPattern(fc);
  const [xs0, xs1, xs2, xs3] = X.strides as [number, number, number, number];
  const [ws0, ws1, ws2, ws3] = W.strides as [number, number, number, number];
  const OG = O / groups;
  let flat = 0;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / OG);
      const c = opts.bias ? patternOf(fc, opts.bias.data[opts.bias.offset + o * opts.bias.strides[0]!]!) : zc;
      for (let y = 0; y < HO; y++) {
        for (let x = 0; x < WO; x++, flat++) {
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
          const r = unit.dot(av, bv, c, flat);
          out.data[flat] = storedOf(fo, r.code);
          flags |= r.flags;
          addStats(stats, r.stats);
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
