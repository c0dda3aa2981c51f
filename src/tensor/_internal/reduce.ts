/**
 * The loop of the reductions: for each output element (row-major), the positions of the elements it
 * reduces, in index order along the axis, and the stochastic index of each (its flat row-major index
 * in the input's shape).
 * @internal
 */
import { Tensor } from '../tensor.js';
import { codeArrayCtor, type TensorSpec } from '../storage.js';
import { copy } from '../contiguous.js';
import { each1 } from './iterate.js';
import { isRowMajor, normAxis, sizeOf } from './shape.js';

/**
 * fold(first, step, n, index0, indexStep) reduces the n elements at data positions
 * first + i·step (i = 0..n-1) of `data`, whose stochastic indices are index0 + i·indexStep, to one code.
 */
export type Fold = (data: Tensor['data'], first: number, step: number, n: number, index0: number, indexStep: number) => number;

export function reduceLoop<S extends TensorSpec>(op: string, t: Tensor, axis: number | null, out: S, fold: Fold, needsElements: boolean): Tensor<S> {
  if (axis === null) {
    // Every element in row-major order: a flat view (copied first if the layout has none).
    const flat = isRowMajor(t.shape, t.strides) ? t : copy(t);
    if (needsElements && t.size === 0) throw new RangeError(`${op}: the tensor is empty (shape [${t.shape.join(',')}]); a ${op} of no elements is undefined`);
    const data = new (codeArrayCtor(out))(1);
    data[0] = fold(flat.data, flat.offset, 1, t.size, 0, 1);
    return new Tensor(out, data, []);
  }
  const ax = normAxis(op, axis, t.ndim);
  const n = t.shape[ax]!;
  const shape = t.shape.filter((_, i) => i !== ax);
  const strides = t.strides.filter((_, i) => i !== ax);
  const m = sizeOf(shape);
  if (needsElements && n === 0 && m > 0) {
    throw new RangeError(`${op}: axis ${ax} of shape [${t.shape.join(',')}] is empty; a ${op} of no elements is undefined`);
  }
  let inner = 1;
  for (let i = ax + 1; i < t.ndim; i++) inner *= t.shape[i]!;
  const step = t.strides[ax]!;
  const data = new (codeArrayCtor(out))(m);
  const src = t.data;
  each1(shape, strides, t.offset, (j, p) => {
    const outer = Math.floor(j / inner);
    data[j] = fold(src, p, step, n, outer * n * inner + (j - outer * inner), inner);
  });
  return new Tensor(out, data, shape);
}
