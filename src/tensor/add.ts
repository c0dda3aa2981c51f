import { add as addScalar } from '../ops/float/add.js';
import { fixedAdd } from '../ops/fixed/fixedAdd.js';
import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import type { ElementwiseOptions } from './elementwise-options.js';
import { arith } from './_internal/arith.js';

/**
 * a + b elementwise, with NumPy broadcasting ({@link broadcastShapes}). Every element is computed by
 * the scalar operation — float `add` (the exact sum rounded once, in the context's mode) or
 * `fixedAdd` (full precision, then the result format's quantisation and overflow) — with the
 * element's flat row-major index in the output as its stochastic-rounding index. Float operands
 * share one format, which is the result's; fixed operands may differ, `opts.format` naming the
 * result format (default: their common format). Returns a new contiguous tensor and the OR of the
 * flags.
 *
 * @example
 * ```ts
 * const a = fromNumbers(catalog.e4m3fn, [2, 2], [1, 2, 3, 448]).tensor;
 * const b = fromNumbers(catalog.e4m3fn, [2], [0.0625, 32]).tensor; // broadcast along rows
 * const { tensor: s, flags } = add(a, b);
 * toNumbers(s); // => Float64Array [1, 32, 3, NaN] (1 + 1/16 and 2 + 32 are ties, to even; 448 + 32 overflows to NaN)
 * flags; // => 5 (overflow | inexact)
 * ```
 */
export function add(a: Tensor, b: Tensor, opts: ElementwiseOptions = {}): TensorResult {
  return arith('add', addScalar, fixedAdd, a, b, opts);
}
