/**
 * Precision policies: which number system each role of a layer uses, and which MAC model each of its
 * three GEMMs (or convolutions) runs through. A {@link Recipe} bundles a policy with per-layer
 * overrides, the update rule, loss scaling and an optional precision schedule.
 *
 * The three GEMMs of a layer (dense or conv2d) and their operands:
 * - `forward`:  activations × weights → the layer's output, rounded into its `activations` format;
 * - `backward`: errors × weights → the error of the layer's input, rounded into its `errors` format
 *   (not run for the first layer: nothing consumes it);
 * - `gradient`: activations × errors → the weight gradient, rounded into its `gradients` format (the
 *   bias gradient is the same unit with a vector of ones as the activation operand).
 * Each GEMM's MAC model is a {@link GemmSpec}: a MAC spec without operand formats (they come from
 * the roles). Every MAC of every GEMM goes through its unit, bit-exactly, in the kernels' documented order.
 */
import type { FloatSpec } from '../formats/float.js';
import type { AccumulatorSpec, ProductSpec, Summation, MacSpec } from '../accum/mac-spec.js';
import { DEFAULT_CONTEXT, context, type Context } from '../round/modes.js';
import type { TensorSpec } from '../tensor/storage.js';

/** A MAC model for one kind of GEMM; the operand and output formats come from the layer's roles. */
export interface GemmSpec {
  readonly product: ProductSpec;
  readonly fused: boolean;
  readonly acc: AccumulatorSpec;
  readonly summation: Summation;
  /** Rounding of the output conversion into the role's format (default: the policy's `rounding`). */
  readonly outputCtx?: Context;
}

/** The number systems and MAC models of one layer. */
export interface Precision {
  readonly weights: TensorSpec;
  readonly activations: TensorSpec;
  readonly errors: TensorSpec;
  readonly gradients: TensorSpec;
  /**
   * The format the forward GEMM rounds the layer's output into (default: `activations`). A calibrated
   * int8 network sets it to the next layer's input format, so each output is rounded once.
   */
  readonly outputs?: TensorSpec;
  readonly forward: GemmSpec;
  readonly backward: GemmSpec;
  readonly gradient: GemmSpec;
  /**
   * Rounding of every other conversion into this layer's formats: the input image or a neighbour's
   * activations into `activations`, an incoming error into `errors`, the loss gradient, the bias into
   * the accumulator. Stochastic rounding draws a fresh stream per step, layer and use.
   */
  readonly rounding: Context;
}

/** How the weights are updated (SGD with momentum); the arithmetic itself is binary64, see {@link Recipe}. */
export interface UpdatePolicy {
  /**
   * Higher-precision master weights: the update is applied to them and the working weights are their
   * rounding (with the layer's `rounding`). Absent: the update is applied to the working weights directly.
   */
  readonly master?: TensorSpec;
  /** The format of the momentum buffer (default fp32). */
  readonly momentum?: TensorSpec;
  /** Rounding of the updated weights (or master weights) into their format: `sr` for stochastic updates. */
  readonly rounding: Context;
}

/** Loss scaling (Micikevicius et al. 2017). */
export type LossScaling =
  | { readonly kind: 'none' }
  /** The loss gradient is multiplied by `scale` (a power of two) and the weight gradients divided by it. */
  | { readonly kind: 'static'; readonly scale: number }
  /**
   * Starts at `init`; a step whose backward pass overflows (an infinite or NaN gradient, or an overflow
   * flag in a backward or gradient GEMM) is skipped and the scale halved; after `growthInterval`
   * good steps in a row the scale doubles.
   */
  | { readonly kind: 'dynamic'; readonly init: number; readonly growthInterval: number };

/** A named training/inference recipe. */
export interface Recipe {
  readonly name: string;
  /** One line for `bitexact recipes`. */
  readonly description: string;
  /** The paper (or document) the recipe follows, and the choices made where it is silent. */
  readonly source: string;
  readonly precision: Precision;
  /** Overrides for the first and last layers with parameters (often kept wider). */
  readonly first?: Partial<Precision>;
  readonly last?: Partial<Precision>;
  /** Overrides per parameter layer (index 0 … n-1), applied after `first` and `last`. */
  readonly layers?: readonly (Partial<Precision> | undefined)[];
  readonly update: UpdatePolicy;
  readonly lossScaling: LossScaling;
  /** Precision schedule: from epoch `epoch` (0-based) on, train under the recipe named `recipe`'s precision. */
  readonly schedule?: readonly { readonly epoch: number; readonly recipe: string }[];
  /** Inference only (no training: `bitexact train` refuses it; `bitexact infer` runs it). */
  readonly inferenceOnly?: boolean;
  /** The formats are chosen from the trained weights and a calibration batch (`calibrateInt8`). */
  readonly calibrate?: 'int8';
  /** Suggested hyper-parameters (overridable on the command line). */
  readonly lr?: number;
}

/** The precision of parameter layer `i` of `count` under a recipe (applying the first/last overrides). */
export function layerPrecision(r: Pick<Recipe, 'precision' | 'first' | 'last' | 'layers'>, i: number, count: number): Precision {
  let p = r.precision;
  if (i === 0 && r.first) p = { ...p, ...r.first };
  if (i === count - 1 && r.last) p = { ...p, ...r.last };
  const own = r.layers?.[i];
  if (own) p = { ...p, ...own };
  return p;
}

/**
 * The MAC spec of a GEMM with its operand formats and output. Every rounding context gets the run's
 * `seed` and its own stream (`stream·4 + k`, k = 0 output, 1 accumulator, 2 inner accumulator, 3
 * product), so stochastic rounding (float `sr`, or a fixed format whose quantisation is SR) never
 * reuses random bits across steps, layers or GEMMs.
 */
export function gemmMacSpec(g: GemmSpec, a: TensorSpec, b: TensorSpec, out: TensorSpec, outCtx: Context, seed: number, stream: number): MacSpec {
  const re = (ctx: Context | undefined, k: number): Context => context({ ...(ctx ?? DEFAULT_CONTEXT), seed, stream: (stream * 4 + k) >>> 0 });
  const acc = withCtx(g.acc, re(accCtxOf(g.acc), 1));
  const summation: Summation =
    g.summation.kind === 'chunked' ? { ...g.summation, inner: withCtx(g.summation.inner, re(accCtxOf(g.summation.inner), 2)) } : g.summation;
  const product: ProductSpec = g.product.kind === 'round' ? { ...g.product, ctx: re(g.product.ctx, 3) } : g.product;
  const oc = re(g.outputCtx ?? outCtx, 0);
  return { a, b, product, fused: g.fused, acc, summation, output: { format: out, ctx: oc } };
}

function accCtxOf(a: AccumulatorSpec): Context | undefined {
  return a.kind === 'float' || a.kind === 'fixed' ? a.ctx : undefined;
}
function withCtx(a: AccumulatorSpec, ctx: Context): AccumulatorSpec {
  return a.kind === 'float' || a.kind === 'fixed' ? { ...a, ctx } : a;
}

/** A GEMM with exact products, one `acc` accumulator, summed sequentially, one rounding per MAC (fused). */
export function seqGemm(acc: FloatSpec, ctx?: Context): GemmSpec {
  return { product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: acc, ctx }, summation: { kind: 'sequential' } };
}
