/**
 * int8 inference with int32 accumulation, calibrated post-training: every weight and activation tensor
 * becomes 8-bit signed integers with a power-of-two scale (the fixed format `s8.F`: raw value r means
 * r·2^-F), every forward GEMM multiplies int8 by int8 exactly and adds into a 32-bit two's-complement
 * register that wraps (the fixed format `s32.(Fa+Fw)`: int32 arithmetic on the raw values), and the
 * output is rounded once (ties to even, saturating) into the next layer's int8 input format; the logits
 * (last layer) are rounded into fp32.
 *
 * Calibration: F is the largest integer with max|x|·2^F ≤ 127, for x the layer's weights and bias, and for its
 * inputs over a calibration batch run through the model in its current (trained) arithmetic.
 */
import { catalog } from '../formats/catalog.js';
import { fixedFormat, type FixedSpec } from '../formats/fixed.js';
import { DEFAULT_CONTEXT } from '../round/modes.js';
import { toNumbers } from '../tensor/to-numbers.js';
import type { Dataset } from '../data/dataset.js';
import { RunEnv } from './layers.js';
import type { Model } from './model.js';
import type { GemmSpec, Precision, Recipe } from './policy.js';

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

/** The s8.F format for values up to `m` in magnitude. */
export function int8For(m: number): FixedSpec {
  const f = m > 0 ? Math.min(40, Math.max(-40, Math.floor(Math.log2(127 / m)))) : 7;
  return fixedFormat({ width: 8, frac: f, signed: true, quant: 'RND_CONV', overflow: 'SAT' });
}

/** The recipe `int8` (inference only) names; {@link calibrateInt8} makes the usable, calibrated one. */
export const int8Recipe: Recipe = {
  name: 'int8',
  description: 'int8 inference: weights and activations int8 with a power-of-two scale per tensor (calibrated), exact products, int32 wrapping accumulation, one rounding per output',
  source: 'integer-only inference as in B. Jacob et al., "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference", CVPR 2018 (here with power-of-two scales)',
  precision: {
    weights: catalog.fp32,
    activations: catalog.fp32,
    errors: catalog.fp32,
    gradients: catalog.fp32,
    forward: { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } },
    backward: { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } },
    gradient: { product: { kind: 'exact' }, fused: true, acc: { kind: 'exact' }, summation: { kind: 'sequential' } },
    rounding: DEFAULT_CONTEXT,
  },
  update: { rounding: DEFAULT_CONTEXT },
  lossScaling: { kind: 'none' },
  inferenceOnly: true,
  calibrate: 'int8',
};

/**
 * Calibrates the int8 recipe for a trained model: runs `calib` (the first `count` samples) through the
 * model as it is, measures each parameter layer's input and weights, and returns a recipe with one
 * precision per layer. The model is not changed (apply the recipe with `model.setRecipe`).
 */
export function calibrateInt8(model: Model, calib: Dataset, count = 256): Recipe {
  const n = Math.min(count, calib.n);
  const env = new RunEnv(0, 0x3ffffe);
  model.forward(calib.images.subarray(0, n * calib.rows * calib.cols), n, env, false);
  const L = model.paramLayers;
  const inFmt = L.map((l) => int8For(maxAbs(toNumbers(l.x!))));
  const layers: Partial<Precision>[] = L.map((l, i) => {
    // The bias is a parameter in the weights format too: one scale covers both.
    const w = int8For(Math.max(maxAbs(toNumbers(l.W.value)), maxAbs(toNumbers(l.b.value))));
    const acc = fixedFormat({ width: 32, frac: inFmt[i]!.frac + w.frac, signed: true, quant: 'RND_CONV', overflow: 'WRAP' });
    const g: GemmSpec = { product: { kind: 'exact' }, fused: true, acc: { kind: 'fixed', format: acc }, summation: { kind: 'sequential' } };
    return { weights: w, activations: inFmt[i]!, outputs: i + 1 < L.length ? inFmt[i + 1]! : catalog.fp32, forward: g };
  });
  return { ...int8Recipe, layers, name: 'int8' };
}
