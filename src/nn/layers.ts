/**
 * Network layers on code tensors. Parameter layers (dense, conv2d) run their three GEMMs through MAC
 * units built from their {@link Precision}; the other layers (ReLU, pooling, flatten) only move or
 * select codes, so they round nothing and keep the format of what they receive.
 *
 * GEMM forms (the kernels' documented MAC orders apply; see docs/training.md):
 * - dense, x [N, in], W [out, in], bias [out]:
 *   forward  y = x·Wᵀ + bias (matmul, K = in; the bias is the addend c);
 *   backward dx = e·W (K = out); gradient dW = eᵀ·x (K = N), db = eᵀ·1 (K = N).
 * - conv2d (stride 1, padding p), x [N, C, H, W], W [O, C, k, k]:
 *   forward  y = conv2d(x, W, padding p) + bias;
 *   backward dx = conv2d(e, W flipped and transposed [C, O, k, k], padding k-1-p);
 *   gradient dW = conv2d(xᵀ [C, N, H, W], eᵀ [O, N, HO, WO], padding p) permuted to [O, C, k, k]
 *   (K = N·HO·WO, products in order n, y, x); db = eᵀ·1 with eᵀ [O, N·HO·WO].
 */
import { macUnit } from '../accum/mac-unit.js';
import { addStats, emptyStats, type DotUnit, type MacStats } from '../accum/types.js';
import { encode } from '../ops/float/encode.js';
import { context, DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import { exactFromNumber, type ExactValue } from '../formats/exact.js';
import { exactAdd } from '../formats/exact-arith.js';
import { fromExact } from '../ops/float/from-exact.js';
import { fixedFromExact } from '../ops/fixed/fixedFromExact.js';
import { contiguous } from '../tensor/contiguous.js';
import { convert } from '../tensor/convert.js';
import { conv2d, matmul, type KernelResult } from '../tensor/kernels.js';
import { permute } from '../tensor/permute.js';
import { reshape } from '../tensor/reshape.js';
import { codeArray, type TensorSpec } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { toNumbers } from '../tensor/to-numbers.js';
import { gemmMacSpec, type GemmSpec, type Precision } from './policy.js';

/** The three GEMM roles, for statistics. */
export type GemmRole = 'forward' | 'backward' | 'gradient';

/** What a pass needs to know and collects: seed and step (stochastic-rounding streams), statistics. */
export class RunEnv {
  readonly stats: Record<GemmRole, MacStats> = { forward: emptyStats(), backward: emptyStats(), gradient: emptyStats() };
  readonly flags: Record<GemmRole, number> = { forward: 0, backward: 0, gradient: 0 };
  constructor(
    readonly seed: number,
    public step: number,
  ) {}
  /** The stream of use `use` (0..15) of parameter layer `layer` (0..15) in this step. */
  stream(layer: number, use: number): number {
    return ((this.step * 16 + (layer & 15)) * 16 + (use & 15)) % 2 ** 30;
  }
  /** A rounding context with this run's seed and the given stream. */
  ctx(base: Context, layer: number, use: number): Context {
    return context({ ...base, seed: this.seed, stream: this.stream(layer, use) });
  }
  record(role: GemmRole, r: KernelResult): Tensor {
    addStats(this.stats[role], r.stats);
    this.flags[role] |= r.flags;
    return r.tensor;
  }
}

/** A layer of a sequential network. */
export interface Layer {
  readonly kind: string;
  /** Output shape for an input shape (without the batch axis); throws a RangeError when they do not fit. */
  outShape(inShape: readonly number[]): number[];
  forward(x: Tensor, env: RunEnv, training: boolean): Tensor;
  /** The error of the input from the error of the output; `needInput` false skips it (returns null). */
  backward(e: Tensor, env: RunEnv, needInput: boolean): Tensor | null;
}

/** A trainable parameter: the working tensor, its gradient, optional master copy and momentum. */
export interface Param {
  readonly name: string;
  value: Tensor;
  grad?: Tensor;
  master?: Tensor;
  momentum?: Tensor;
  /** Fan-in (for initialisation). */
  readonly fanIn: number;
}

function sameSpec(a: TensorSpec, b: TensorSpec): boolean {
  return a === b || a.name === b.name;
}

/** t in format f (converted with ctx when it is not already), contiguous. */
export function inFormat(t: Tensor, f: TensorSpec, ctx: Context): Tensor {
  if (sameSpec(t.spec, f)) return t;
  return convert(t, f, ctx).tensor;
}

/** The stored code of +0 in a tensor format. */
export function zeroCode(f: TensorSpec): number {
  if (f.kind === 'fixed') return 0;
  const z = encode(f, 0);
  if (z.flags !== 0) throw new RangeError(`format ${f.name} has no zero; it cannot hold activations or errors`);
  return z.code as number;
}

/** A tensor of ones (activation operand of the bias gradient). */
function ones(f: TensorSpec, shape: readonly number[]): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = codeArray(f, n);
  const one = f.kind === 'fixed' ? Math.round(f.scale) : (encode(f, 1).code as number);
  if (f.kind === 'fixed' && 1 > f.maxValue) {
    throw new RangeError(`format ${f.name} cannot hold 1, needed as the activation operand of the bias gradient; widen the activations`);
  }
  data.fill(one);
  return new Tensor(f, data, shape);
}

function unit(g: GemmSpec, a: TensorSpec, b: TensorSpec, out: TensorSpec, outCtx: Context, env: RunEnv, layer: number, use: number): DotUnit {
  return macUnit(gemmMacSpec(g, a, b, out, outCtx, env.seed, env.stream(layer, use)));
}

/** The bias in the unit's addend format (rounded with ctx when it is not already). */
function biasFor(u: DotUnit, b: Tensor, ctx: Context): Tensor {
  return inFormat(b, u.c as TensorSpec, ctx);
}

/** A layer with weights and a bias. */
export abstract class ParamLayer implements Layer {
  abstract readonly kind: string;
  precision!: Precision;
  /** Position among the parameter layers (stream numbers and first/last overrides). */
  index = 0;
  readonly params: Param[] = [];
  /** The last forward input, in the layer's activation format (backward pass, int8 calibration). */
  x?: Tensor;
  abstract outShape(inShape: readonly number[]): number[];
  abstract forward(x: Tensor, env: RunEnv, training: boolean): Tensor;
  abstract backward(e: Tensor, env: RunEnv, needInput: boolean): Tensor | null;
  get W(): Param {
    return this.params[0]!;
  }
  get b(): Param {
    return this.params[1]!;
  }
  /** The layer input in its activation format (use 0). */
  protected input(x: Tensor, env: RunEnv): Tensor {
    return inFormat(x, this.precision.activations, env.ctx(this.precision.rounding, this.index, 0));
  }
  protected error(e: Tensor, env: RunEnv): Tensor {
    return inFormat(e, this.precision.errors, env.ctx(this.precision.rounding, this.index, 1));
  }
  protected gemm(role: GemmRole, a: TensorSpec, b: TensorSpec, out: TensorSpec, env: RunEnv, use: number): DotUnit {
    const P = this.precision;
    return unit(P[role], a, b, out, P.rounding, env, this.index, use);
  }
}

/** A fully connected layer: y = x·Wᵀ + b, x [N, in], W [out, in]. */
export class Dense extends ParamLayer {
  readonly kind = 'dense';
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
  ) {
    super();
    for (const [k, v] of [['in', inFeatures], ['out', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`dense: ${k} features must be an integer >= 1, got ${v}`);
    }
  }
  outShape(s: readonly number[]): number[] {
    if (s.length !== 1 || s[0] !== this.inFeatures) throw new RangeError(`dense(${this.inFeatures}→${this.outFeatures}): input shape [${s}] is not [${this.inFeatures}] (flatten first)`);
    return [this.outFeatures];
  }
  forward(x: Tensor, env: RunEnv): Tensor {
    const P = this.precision;
    const xin = (this.x = this.input(x, env));
    const u = this.gemm('forward', P.activations, P.weights, P.outputs ?? P.activations, env, 2);
    const c = reshape(biasFor(u, this.b.value, env.ctx(P.rounding, this.index, 3)), [1, this.outFeatures]);
    return env.record('forward', matmul(u, xin, this.W.value, { transposeB: true, c }));
  }
  backward(e: Tensor, env: RunEnv, needInput: boolean): Tensor | null {
    const P = this.precision;
    const ein = this.error(e, env);
    const xin = this.x!;
    const N = xin.shape[0]!;
    const ug = this.gemm('gradient', P.errors, P.activations, P.gradients, env, 4);
    this.W.grad = env.record('gradient', matmul(ug, ein, xin, { transposeA: true }));
    const gb = env.record('gradient', matmul(this.gemm('gradient', P.errors, P.activations, P.gradients, env, 5), ein, ones(P.activations, [N, 1]), { transposeA: true }));
    this.b.grad = reshape(gb, [this.outFeatures]);
    if (!needInput) return null;
    const ub = this.gemm('backward', P.errors, P.weights, P.errors, env, 6);
    return env.record('backward', matmul(ub, ein, this.W.value));
  }
}

/** A 2-D convolution (NCHW, stride 1, square kernel k, zero padding p in 0..k-1), W [O, C, k, k]. */
export class Conv2d extends ParamLayer {
  readonly kind = 'conv2d';
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernel: number,
    readonly padding = 0,
  ) {
    super();
    for (const [k, v, min] of [['in channels', inChannels, 1], ['out channels', outChannels, 1], ['kernel', kernel, 1], ['padding', padding, 0]] as const) {
      if (!Number.isInteger(v) || v < min) throw new RangeError(`conv2d: ${k} must be an integer >= ${min}, got ${v}`);
    }
    if (padding > kernel - 1) throw new RangeError(`conv2d: padding must be in 0..kernel-1 = ${kernel - 1}, got ${padding}`);
  }
  outShape(s: readonly number[]): number[] {
    if (s.length !== 3 || s[0] !== this.inChannels) throw new RangeError(`conv2d(${this.inChannels}→${this.outChannels}): input shape [${s}] is not [${this.inChannels}, H, W]`);
    const ho = s[1]! + 2 * this.padding - this.kernel + 1;
    const wo = s[2]! + 2 * this.padding - this.kernel + 1;
    if (ho < 1 || wo < 1) throw new RangeError(`conv2d: kernel ${this.kernel} does not fit the input [${s}] with padding ${this.padding}`);
    return [this.outChannels, ho, wo];
  }
  forward(x: Tensor, env: RunEnv): Tensor {
    const P = this.precision;
    const xin = (this.x = this.input(x, env));
    const u = this.gemm('forward', P.activations, P.weights, P.outputs ?? P.activations, env, 2);
    const bias = biasFor(u, this.b.value, env.ctx(P.rounding, this.index, 3));
    return env.record('forward', conv2d(u, xin, this.W.value, { padding: this.padding, bias }));
  }
  backward(e: Tensor, env: RunEnv, needInput: boolean): Tensor | null {
    const P = this.precision;
    const ein = this.error(e, env);
    const xin = this.x!;
    const [N, , HO, WO] = ein.shape as [number, number, number, number];
    const O = this.outChannels;
    const k = this.kernel;
    // dW: xᵀ [C, N, H, W] ⊛ eᵀ [O, N, HO, WO] → [C, O, k, k] → [O, C, k, k].
    const ug = this.gemm('gradient', P.activations, P.errors, P.gradients, env, 4);
    const g = env.record('gradient', conv2d(ug, permute(xin, [1, 0, 2, 3]), permute(ein, [1, 0, 2, 3]), { padding: this.padding }));
    this.W.grad = contiguous(permute(g, [1, 0, 2, 3]));
    const eT = reshape(contiguous(permute(ein, [1, 0, 2, 3])), [O, N * HO * WO]);
    const ugb = this.gemm('gradient', P.errors, P.activations, P.gradients, env, 5);
    this.b.grad = reshape(env.record('gradient', matmul(ugb, eT, ones(P.activations, [N * HO * WO, 1]))), [O]);
    if (!needInput) return null;
    // dx: e ⊛ W flipped and transposed, padding k-1-p.
    const W = contiguous(this.W.value);
    const C = this.inChannels;
    const wf = new Tensor(W.spec, codeArray(W.spec, W.size), [C, O, k, k]);
    for (let o = 0; o < O; o++)
      for (let c = 0; c < C; c++)
        for (let ky = 0; ky < k; ky++)
          for (let kx = 0; kx < k; kx++) wf.data[((c * O + o) * k + (k - 1 - ky)) * k + (k - 1 - kx)] = W.data[W.offset + ((o * C + c) * k + ky) * k + kx]!;
    const ub = this.gemm('backward', P.errors, P.weights, P.errors, env, 6);
    return env.record('backward', conv2d(ub, ein, wf, { padding: k - 1 - this.padding }));
  }
}

/** max(x, 0) on codes: a value that is not greater than 0 becomes +0 (NaN passes through). */
export class Relu implements Layer {
  readonly kind = 'relu';
  private mask?: Uint8Array;
  outShape(s: readonly number[]): number[] {
    return s.slice();
  }
  forward(x: Tensor, _env: RunEnv, training: boolean): Tensor {
    const t = contiguous(x);
    const v = toNumbers(t);
    const z = zeroCode(t.spec);
    const data = codeArray(t.spec, t.size);
    const mask = new Uint8Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const keep = v[i]! > 0 || Number.isNaN(v[i]!);
      mask[i] = keep ? 1 : 0;
      data[i] = keep ? t.data[t.offset + i]! : z;
    }
    if (training) this.mask = mask;
    return new Tensor(t.spec, data, t.shape);
  }
  backward(e: Tensor): Tensor {
    const t = contiguous(e);
    const z = zeroCode(t.spec);
    const data = codeArray(t.spec, t.size);
    const m = this.mask!;
    for (let i = 0; i < t.size; i++) data[i] = m[i] ? t.data[t.offset + i]! : z;
    return new Tensor(t.spec, data, t.shape);
  }
}

/** The contiguous input of a pooling layer, its geometry, its values and the output codes. */
function poolSetup(x: Tensor, k: number) {
  const t = contiguous(x);
  const [N, C, H, W] = t.shape as [number, number, number, number];
  const HO = Math.floor(H / k);
  const WO = Math.floor(W / k);
  return { t, N, C, H, W, HO, WO, v: toNumbers(t), out: codeArray(t.spec, N * C * HO * WO) };
}

/**
 * Max pooling with a square window and stride equal to the window (non-overlapping), on codes: each
 * output is the code of the window's largest value (the first one, in row-major window order, on a
 * tie). The backward pass routes each error to that position; the other positions get +0.
 */
export class MaxPool2d implements Layer {
  readonly kind = 'maxpool2d';
  private argmax?: Int32Array;
  private inShape?: readonly number[];
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`maxpool2d: size must be an integer >= 1, got ${size}`);
  }
  outShape(s: readonly number[]): number[] {
    if (s.length !== 3) throw new RangeError(`maxpool2d: input shape [${s}] is not [C, H, W]`);
    const ho = Math.floor(s[1]! / this.size);
    const wo = Math.floor(s[2]! / this.size);
    if (ho < 1 || wo < 1) throw new RangeError(`maxpool2d: window ${this.size} does not fit [${s}]`);
    return [s[0]!, ho, wo];
  }
  forward(x: Tensor, _env: RunEnv, training: boolean): Tensor {
    const { t, N, C, H, W, HO, WO, v, out } = poolSetup(x, this.size);
    const k = this.size;
    const arg = new Int32Array(out.length);
    let o = 0;
    for (let nc = 0; nc < N * C; nc++)
      for (let y = 0; y < HO; y++)
        for (let xo = 0; xo < WO; xo++, o++) {
          let best = nc * H * W + y * k * W + xo * k;
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const p = nc * H * W + (y * k + ky) * W + xo * k + kx;
              if (v[p]! > v[best]! || (Number.isNaN(v[p]!) && !Number.isNaN(v[best]!))) best = p;
            }
          arg[o] = best;
          out[o] = t.data[t.offset + best]!;
        }
    if (training) {
      this.argmax = arg;
      this.inShape = t.shape;
    }
    return new Tensor(t.spec, out, [N, C, HO, WO]);
  }
  backward(e: Tensor): Tensor {
    const t = contiguous(e);
    const shape = this.inShape!;
    const size = shape.reduce((p, d) => p * d, 1);
    const data = codeArray(t.spec, size);
    data.fill(zeroCode(t.spec));
    const arg = this.argmax!;
    for (let i = 0; i < t.size; i++) data[arg[i]!] = t.data[t.offset + i]!;
    return new Tensor(t.spec, data, shape);
  }
}

/**
 * Average pooling with a square power-of-two window (1, 2, 4 or 8) and stride equal to the window:
 * each output is the exact sum of its window's values divided by the window size (exact: a power of
 * two), rounded once into the input's format (ties to even; a fixed format's own quantisation). The
 * backward pass gives each position its output's error divided by the window size, rounded once into
 * the error's format. The exact arithmetic is the library's (`exactAdd`), so no order or accumulator
 * enters: the average is correctly rounded.
 */
export class AvgPool2d implements Layer {
  readonly kind = 'avgpool2d';
  private inShape?: readonly number[];
  private readonly shift: number;
  constructor(readonly size: number) {
    if (![1, 2, 4, 8].includes(size)) throw new RangeError(`avgpool2d: size must be 1, 2, 4 or 8 (a power of two, so the division is exact), got ${size}`);
    this.shift = 2 * Math.log2(size);
  }
  outShape(s: readonly number[]): number[] {
    return new MaxPool2d(this.size).outShape(s);
  }
  private round(f: TensorSpec, v: ExactValue, env: RunEnv, i: number): number {
    const scaled: ExactValue = v.kind === 'finite' ? { ...v, exp: v.exp - this.shift } : v;
    const ctx = env.ctx(DEFAULT_CONTEXT, 15, 13);
    return f.kind === 'float' ? (fromExact(f, scaled, ctx, i).code as number) : Number(fixedFromExact(f, scaled, ctx, i).raw);
  }
  forward(x: Tensor, env: RunEnv, training: boolean): Tensor {
    const { t, N, C, H, W, HO, WO, v, out } = poolSetup(x, this.size);
    const k = this.size;
    let o = 0;
    for (let nc = 0; nc < N * C; nc++)
      for (let y = 0; y < HO; y++)
        for (let xo = 0; xo < WO; xo++, o++) {
          let sum: ExactValue = { kind: 'zero', sign: 0 };
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const r = exactAdd(sum, exactFromNumber(v[nc * H * W + (y * k + ky) * W + xo * k + kx]!), false, 'rne');
              sum = r === 'invalid' ? { kind: 'nan', sign: 0, quiet: true } : r;
            }
          out[o] = this.round(t.spec, sum, env, o);
        }
    if (training) this.inShape = t.shape;
    return new Tensor(t.spec, out, [N, C, HO, WO]);
  }
  backward(e: Tensor, env: RunEnv): Tensor {
    const t = contiguous(e);
    const shape = this.inShape!;
    const [N, C, H, W] = shape as [number, number, number, number];
    const k = this.size;
    const [HO, WO] = [t.shape[2]!, t.shape[3]!];
    const data = codeArray(t.spec, N * C * H * W);
    data.fill(zeroCode(t.spec));
    const ev = toNumbers(t);
    let o = 0;
    for (let nc = 0; nc < N * C; nc++)
      for (let y = 0; y < HO; y++)
        for (let xo = 0; xo < WO; xo++, o++) {
          const code = this.round(t.spec, exactFromNumber(ev[o]!), env, o);
          for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) data[nc * H * W + (y * k + ky) * W + xo * k + kx] = code;
        }
    return new Tensor(t.spec, data, shape);
  }
}

/** [N, ...] → [N, product of the rest] (a view of a contiguous copy). */
export class Flatten implements Layer {
  readonly kind = 'flatten';
  private inShape?: readonly number[];
  outShape(s: readonly number[]): number[] {
    return [s.reduce((p, d) => p * d, 1)];
  }
  forward(x: Tensor, _env: RunEnv, training: boolean): Tensor {
    if (training) this.inShape = x.shape;
    return reshape(contiguous(x), [x.shape[0]!, -1]);
  }
  backward(e: Tensor): Tensor {
    return reshape(contiguous(e), this.inShape!);
  }
}
