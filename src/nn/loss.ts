/**
 * Softmax cross-entropy. Where it is computed: the logits are decoded exactly (they are codes of the
 * last layer's activation format), and everything after that — the softmax, the loss and the gradient
 * (p - onehot)·scale/N — is binary64 arithmetic in a fixed order with the deterministic {@link detExp}
 * and {@link detLog}; only the gradient is rounded, once per element, into the last layer's error
 * format (with that layer's rounding). The loss value is reported, never fed back, so it needs no format.
 */
import type { Context } from '../round/modes.js';
import { fromNumbers } from '../tensor/from-numbers.js';
import type { TensorSpec } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { toNumbers } from '../tensor/to-numbers.js';
import { detExp, detLog } from './det-math.js';

/** The result of the loss on a batch. */
export interface LossResult {
  /** Sum over the batch of -log p[label] (binary64; NaN if a logit was NaN or infinite). */
  readonly lossSum: number;
  /** Samples whose largest logit (first on a tie) is the label. */
  readonly correct: number;
  /** The gradient of (mean loss)·scale with respect to the logits, in `errFormat` (only when asked). */
  readonly grad?: Tensor;
  readonly gradFlags: number;
}

/**
 * Softmax cross-entropy of logits [N, classes] against labels. For each sample, in order:
 * m = max z; e_j = detExp(z_j - m); s = Σ_j e_j (j ascending); loss = detLog(s) - (z_y - m);
 * grad_j = (e_j / s - [j = y]) · (scale / N), rounded into `errFormat` with `ctx` (stochastic index:
 * the element's flat index).
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: ArrayLike<number>,
  grad?: { readonly errFormat: TensorSpec; readonly ctx: Context; readonly scale: number },
): LossResult {
  if (logits.ndim !== 2) throw new RangeError(`loss: logits must be [N, classes], got [${logits.shape}]`);
  const [N, C] = logits.shape as [number, number];
  if (labels.length !== N) throw new RangeError(`loss: ${N} logit rows but ${labels.length} labels`);
  const z = toNumbers(logits);
  const g = grad ? new Float64Array(N * C) : undefined;
  let lossSum = 0;
  let correct = 0;
  const e = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const y = labels[n]!;
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new RangeError(`loss: label ${y} of sample ${n} is not in 0..${C - 1}`);
    let m = -Infinity;
    let arg = 0;
    for (let j = 0; j < C; j++) {
      const v = z[n * C + j]!;
      if (v > m) {
        m = v;
        arg = j;
      }
    }
    if (arg === y && m > -Infinity) correct++;
    let s = 0;
    for (let j = 0; j < C; j++) s += e[j] = detExp(z[n * C + j]! - m);
    lossSum += detLog(s) - (z[n * C + y]! - m);
    if (g) {
      const f = grad!.scale / N;
      for (let j = 0; j < C; j++) g[n * C + j] = (e[j]! / s - (j === y ? 1 : 0)) * f;
    }
  }
  if (!g) return { lossSum, correct, gradFlags: 0 };
  const r = fromNumbers(grad!.errFormat, [N, C], g, grad!.ctx);
  return { lossSum, correct, grad: r.tensor, gradFlags: r.flags };
}
