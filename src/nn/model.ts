/**
 * Sequential models: an MLP and a LeNet-style convnet, built from a model name, with deterministic
 * initialisation, a precision per parameter layer, and the forward and backward passes.
 */
import { srBits } from '../round/random.js';
import { catalog } from '../formats/catalog.js';
import { fromNumbers } from '../tensor/from-numbers.js';
import { convert } from '../tensor/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { AvgPool2d, Conv2d, Dense, Flatten, MaxPool2d, ParamLayer, Relu, RunEnv, type Layer, type Param } from './layers.js';
import { layerPrecision, type Recipe } from './policy.js';

/** The models `--model` accepts. */
export const MODEL_NAMES = ['lenet', 'lenet-avg', 'mlp', 'mlp:<in>-<hidden>-...-<out>'] as const;

/** A sequential network for [1, 28, 28]-style inputs. */
export class Model {
  readonly paramLayers: ParamLayer[];
  constructor(
    readonly name: string,
    readonly inputShape: readonly number[],
    readonly layers: readonly Layer[],
  ) {
    let s: readonly number[] = inputShape;
    for (const l of layers) s = l.outShape(s);
    this.outShape = s;
    this.paramLayers = layers.filter((l): l is ParamLayer => l instanceof ParamLayer);
    this.paramLayers.forEach((l, i) => (l.index = i));
  }
  readonly outShape: readonly number[];
  /** Every parameter, in layer order (weights then bias), named `<layer>.<kind>.W|b`. */
  get params(): Param[] {
    return this.paramLayers.flatMap((l) => l.params);
  }
  /** Number of parameters (elements). */
  get size(): number {
    return this.params.reduce((p, q) => p + q.value.size, 0);
  }
  /**
   * Sets each parameter layer's precision from a recipe (first/last overrides) and converts the
   * parameters into the new formats (from the master copy when there is one), rounding to nearest even.
   */
  setRecipe(r: Pick<Recipe, 'precision' | 'first' | 'last' | 'layers' | 'update'>): void {
    const n = this.paramLayers.length;
    const same = (a: Tensor, f: { name: string }): boolean => a.spec.name === f.name;
    for (const l of this.paramLayers) {
      const P = (l.precision = layerPrecision(r, l.index, n));
      for (const p of l.params) {
        const src = p.master ?? p.value;
        const mf = r.update.master;
        const master = mf ? (same(src, mf) ? src : convert(src, mf).tensor) : undefined;
        p.value = same(p.value, P.weights) ? p.value : convert(master ?? src, P.weights).tensor;
        p.master = master;
        const vf = r.update.momentum ?? catalog.fp32;
        if (p.momentum && !same(p.momentum, vf)) p.momentum = convert(p.momentum, vf).tensor;
      }
    }
  }
  /**
   * Deterministic He-uniform initialisation: weight i of parameter layer l is
   * (2u - 1)·√(6 / fanIn) with u = srBits(seed, 0x494e4954 + 2l, i) / 2^32 (binary64), rounded to
   * nearest even into the master format (if any) and the weights format; biases start at 0.
   */
  init(seed: number, r: Pick<Recipe, 'precision' | 'first' | 'last' | 'layers' | 'update'>): void {
    const n = this.paramLayers.length;
    for (const l of this.paramLayers) {
      const P = layerPrecision(r, l.index, n);
      const isConv = l instanceof Conv2d;
      const wShape = isConv ? [l.outChannels, l.inChannels, l.kernel, l.kernel] : [(l as Dense).outFeatures, (l as Dense).inFeatures];
      const fanIn = wShape.slice(1).reduce((p, d) => p * d, 1);
      const count = wShape.reduce((p, d) => p * d, 1);
      const bound = Math.sqrt(6 / fanIn);
      const w = new Float64Array(count);
      for (let i = 0; i < count; i++) w[i] = (2 * (srBits(seed, 0x494e4954 + 2 * l.index, i) / 2 ** 32) - 1) * bound;
      const outN = wShape[0]!;
      const mk = (kind: 'W' | 'b', shape: number[], vals: Float64Array): Param => {
        const master = r.update.master ? fromNumbers(r.update.master, shape, vals).tensor : undefined;
        const value = fromNumbers(P.weights, shape, vals).tensor;
        return { name: `${l.index}.${l.kind}.${kind}`, value, master, fanIn };
      };
      l.params.length = 0;
      l.params.push(mk('W', wShape, w), mk('b', [outN], new Float64Array(outN)));
      l.precision = P;
    }
  }
  /** Forward pass from binary64 inputs [N, ...inputShape]; returns the logits tensor. */
  forward(images: Float64Array, n: number, env: RunEnv, training: boolean): Tensor {
    const first = this.paramLayers[0]!.precision;
    const x0 = fromNumbers(first.activations, [n, ...this.inputShape], images, env.ctx(first.rounding, 0, 15)).tensor;
    let x: Tensor = x0;
    for (const l of this.layers) x = l.forward(x, env, training);
    return x;
  }
  /** Backward pass from the loss gradient (in the last layer's error format); fills every Param.grad. */
  backward(e: Tensor, env: RunEnv): void {
    let g: Tensor | null = e;
    const firstParam = this.layers.indexOf(this.paramLayers[0]!);
    for (let i = this.layers.length - 1; i >= 0 && g; i--) g = this.layers[i]!.backward(g, env, i > firstParam);
  }
}

/**
 * Builds a model by name: `lenet` (conv 5×5 1→6, ReLU, max-pool 2, conv 5×5 6→16, ReLU, max-pool 2,
 * dense 256→120→84→10 with ReLU between), `lenet-avg` (the same with 2×2 average pooling), `mlp` (784-100-10) or `mlp:784-300-100-10` (any sizes;
 * the first is the flattened input). Throws a `RangeError` naming the accepted models.
 */
export function buildModel(name: string, inputShape: readonly number[] = [1, 28, 28]): Model {
  const t = name.trim().toLowerCase();
  if (t === 'lenet' || t === 'lenet-avg') {
    const pool = () => (t === 'lenet' ? new MaxPool2d(2) : new AvgPool2d(2));
    return new Model(t, inputShape, [
      new Conv2d(inputShape[0]!, 6, 5),
      new Relu(),
      pool(),
      new Conv2d(6, 16, 5),
      new Relu(),
      pool(),
      new Flatten(),
      new Dense(16 * Math.floor((Math.floor((inputShape[1]! - 4) / 2) - 4) / 2) * Math.floor((Math.floor((inputShape[2]! - 4) / 2) - 4) / 2), 120),
      new Relu(),
      new Dense(120, 84),
      new Relu(),
      new Dense(84, 10),
    ]);
  }
  const m = /^mlp(?::(\d+(?:-\d+)+))?$/.exec(t);
  if (m) {
    const sizes = (m[1] ?? `${inputShape.reduce((p, d) => p * d, 1)}-100-10`).split('-').map(Number);
    const flat = inputShape.reduce((p, d) => p * d, 1);
    if (sizes[0] !== flat) throw new RangeError(`model ${JSON.stringify(name)}: the first size must be the flattened input, ${flat}`);
    const layers: Layer[] = [new Flatten()];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Dense(sizes[i]!, sizes[i + 1]!));
      if (i + 2 < sizes.length) layers.push(new Relu());
    }
    return new Model(m[1] ? `mlp:${m[1]}` : 'mlp', inputShape, layers);
  }
  throw new RangeError(`model ${JSON.stringify(name)}: unknown; accepted: ${MODEL_NAMES.join(', ')}`);
}
