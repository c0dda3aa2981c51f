/**
 * Training and evaluation: SGD with momentum, loss scaling (static or dynamic), stochastic or nearest
 * rounding of the updates, optional master weights, precision schedules — all deterministic: the same
 * recipe, data and seed give the same weight bits on every run and machine.
 *
 * The update of one parameter element (binary64 arithmetic in this order, then one rounding per stored
 * value): g = grad / S (S the loss scale, a power of two); v = μ·v + g, rounded into the momentum
 * format; w = w - lr·v, rounded into the master format (if any) or the weights format with the
 * recipe's update rounding (`sr` draws stream per step, layer and parameter, index = element); with
 * master weights, the working weights are then the master weights rounded with the layer's rounding.
 */
import { catalog } from '../formats/catalog.js';
import { addStats, emptyStats, type MacStats } from '../accum/types.js';
import { srBits } from '../round/random.js';
import { fromNumbers } from '../tensor/from-numbers.js';
import { convert } from '../tensor/convert.js';
import { toNumbers } from '../tensor/to-numbers.js';
import type { Dataset } from '../data/dataset.js';
import { RunEnv, type GemmRole, type Param } from './layers.js';
import type { Model } from './model.js';
import { softmaxCrossEntropy } from './loss.js';
import type { Recipe } from './policy.js';

/** Options of {@link train}. */
export interface TrainOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly momentum: number;
  readonly seed: number;
  /** Resolves the recipes named by a precision schedule. */
  readonly recipeByName?: (name: string) => Recipe;
  /** Called after every step (progress bars). */
  readonly onStep?: (s: StepInfo) => void;
  /** Called after every epoch with its summary. */
  readonly onEpoch?: (e: EpochSummary) => void;
  /** Evaluate on this data after every epoch. */
  readonly test?: Dataset;
}

/** Progress of one step. */
export interface StepInfo {
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly skipped: boolean;
  readonly lossScale: number;
}

/** What one epoch did. */
export interface EpochSummary {
  readonly epoch: number;
  readonly recipe: string;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  readonly skippedSteps: number;
  readonly lossScale: number;
}

/** The result of a training run. */
export interface TrainResult {
  readonly epochs: EpochSummary[];
  /** Per-MAC statistics of the training GEMMs, by role. */
  readonly stats: Record<GemmRole, MacStats>;
  readonly skippedSteps: number;
  readonly steps: number;
}

/** The mini-batch order of an epoch: a Fisher–Yates shuffle driven by srBits(seed, 0x53485546 + epoch, i). */
export function epochOrder(n: number, seed: number, epoch: number): Uint32Array {
  const o = new Uint32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((srBits(seed, (0x53485546 + epoch) >>> 0, i) / 2 ** 32) * (i + 1));
    const t = o[i]!;
    o[i] = o[j]!;
    o[j] = t;
  }
  return o;
}

function batchOf(d: Dataset, order: ArrayLike<number>, start: number, count: number): { images: Float64Array; labels: Uint8Array } {
  const px = d.rows * d.cols;
  const images = new Float64Array(count * px);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = order[start + i]!;
    images.set(d.images.subarray(j * px, (j + 1) * px), i * px);
    labels[i] = d.labels[j]!;
  }
  return { images, labels };
}

function checkPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${what}: must be an integer >= 1, got ${v}`);
}

/** The recipe in force at an epoch (the last schedule entry whose epoch has been reached). */
export function recipeAt(r: Recipe, epoch: number, byName?: (name: string) => Recipe): Recipe {
  let cur = r;
  for (const s of r.schedule ?? []) {
    if (epoch >= s.epoch) {
      if (!byName) throw new RangeError(`recipe ${r.name}: its schedule names ${s.recipe}, but no recipe lookup was given`);
      cur = { ...byName(s.recipe), name: `${r.name}→${s.recipe}` };
    }
  }
  return cur;
}

function hasNonFinite(p: Param): boolean {
  const v = toNumbers(p.grad!);
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return true;
  return false;
}

/** One SGD-with-momentum update of a parameter (see the file header for the exact arithmetic). */
function update(p: Param, r: Recipe, env: RunEnv, layer: number, which: number, lr: number, mu: number, scale: number, weightsCtx: Recipe['precision']['rounding']): void {
  const g = toNumbers(p.grad!);
  const vf = r.update.momentum ?? catalog.fp32;
  const v = p.momentum ? toNumbers(p.momentum) : new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) v[i] = mu * v[i]! + g[i]! / scale;
  p.momentum = fromNumbers(vf, p.value.shape, v, env.ctx(r.update.rounding, layer, 8 + which)).tensor;
  const vq = toNumbers(p.momentum);
  const base = toNumbers(p.master ?? p.value);
  for (let i = 0; i < base.length; i++) base[i] = base[i]! - lr * vq[i]!;
  const target = r.update.master ?? p.value.spec;
  const w = fromNumbers(target, p.value.shape, base, env.ctx(r.update.rounding, layer, 10 + which)).tensor;
  if (r.update.master) {
    p.master = w;
    p.value = convert(w, p.value.spec, env.ctx(weightsCtx, layer, 12 + which)).tensor;
  } else p.value = w;
}

/** Evaluates a model on a dataset (forward passes in batches of `batch`, in order). */
export function evaluate(model: Model, d: Dataset, seed: number, batch = 100): { loss: number; accuracy: number; stats: MacStats } {
  const env = new RunEnv(seed, 0x3fffff);
  let loss = 0;
  let correct = 0;
  const order = Array.from({ length: d.n }, (_, i) => i);
  for (let s = 0; s < d.n; s += batch) {
    const cnt = Math.min(batch, d.n - s);
    const b = batchOf(d, order, s, cnt);
    const logits = model.forward(b.images, cnt, env, false);
    const r = softmaxCrossEntropy(logits, b.labels);
    loss += r.lossSum;
    correct += r.correct;
  }
  return { loss: loss / d.n, accuracy: correct / d.n, stats: env.stats.forward };
}

/**
 * Trains `model` (already initialised) on `data` under `recipe`. Each epoch visits the samples in
 * {@link epochOrder}, in batches of `batch` (a last partial batch is dropped); each step runs the
 * forward pass, the loss, the backward pass and, unless the dynamic loss scale skips it, the update.
 */
export function train(model: Model, recipe: Recipe, data: Dataset, o: TrainOptions): TrainResult {
  checkPositiveInt(o.epochs, 'epochs');
  checkPositiveInt(o.batch, 'batch');
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new RangeError(`lr: must be a positive number, got ${o.lr}`);
  if (!(o.momentum >= 0 && o.momentum < 1)) throw new RangeError(`momentum: must be in [0, 1), got ${o.momentum}`);
  if (recipe.inferenceOnly) throw new RangeError(`recipe ${recipe.name}: is for inference only; train under another recipe and run \`bitexact infer\``);
  const stepsPerEpoch = Math.floor(data.n / o.batch);
  if (stepsPerEpoch < 1) throw new RangeError(`batch: ${o.batch} is larger than the ${data.n} training samples`);
  const stats: Record<GemmRole, MacStats> = { forward: emptyStats(), backward: emptyStats(), gradient: emptyStats() };
  const ls = recipe.lossScaling;
  let scale = ls.kind === 'static' ? ls.scale : ls.kind === 'dynamic' ? ls.init : 1;
  let good = 0;
  let step = 0;
  let skippedTotal = 0;
  const epochs: EpochSummary[] = [];
  let current = '';
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const r = recipeAt(recipe, epoch, o.recipeByName);
    if (r.name !== current) {
      model.setRecipe(r);
      current = r.name;
    }
    const order = epochOrder(data.n, o.seed, epoch);
    let lossSum = 0;
    let correct = 0;
    let skipped = 0;
    for (let s = 0; s < stepsPerEpoch; s++, step++) {
      const env = new RunEnv(o.seed, step);
      const stepScale = scale;
      const b = batchOf(data, order, s * o.batch, o.batch);
      const logits = model.forward(b.images, o.batch, env, true);
      const last = model.paramLayers[model.paramLayers.length - 1]!.precision;
      const L = softmaxCrossEntropy(logits, b.labels, { errFormat: last.errors, ctx: env.ctx(last.rounding, 15, 14), scale: stepScale });
      lossSum += L.lossSum;
      correct += L.correct;
      model.backward(L.grad!, env);
      let skip = false;
      if (ls.kind === 'dynamic') {
        skip = ((env.flags.backward | env.flags.gradient | L.gradFlags) & 4) !== 0 || model.params.some(hasNonFinite);
        if (skip) {
          scale = Math.max(1, scale / 2);
          good = 0;
          skipped++;
        } else if (++good >= ls.growthInterval) {
          scale *= 2;
          good = 0;
        }
      }
      if (!skip) {
        for (const l of model.paramLayers) {
          l.params.forEach((p, which) => update(p, r, env, l.index, which, o.lr, o.momentum, stepScale, l.precision.rounding));
        }
      }
      for (const k of ['forward', 'backward', 'gradient'] as const) addStats(stats[k], env.stats[k]);
      o.onStep?.({ epoch, step: s, stepsPerEpoch, loss: L.lossSum / o.batch, skipped: skip, lossScale: scale });
    }
    skippedTotal += skipped;
    const seen = stepsPerEpoch * o.batch;
    const ev = o.test ? evaluate(model, o.test, o.seed) : undefined;
    const summary: EpochSummary = {
      epoch,
      recipe: r.name,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      testLoss: ev?.loss,
      testAccuracy: ev?.accuracy,
      skippedSteps: skipped,
      lossScale: scale,
    };
    epochs.push(summary);
    o.onEpoch?.(summary);
  }
  return { epochs, stats, skippedSteps: skippedTotal, steps: step };
}
