import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { describe, fmt, isRowMajor, rowMajor } from './_internal/shape.js';

/**
 * A view of the same elements, in the same row-major order, with another shape (NumPy's
 * `reshape`). One entry of `shape` may be -1: it is inferred from the size. The view shares the
 * data, so `t` must be contiguous ({@link isContiguous}); otherwise this throws a `RangeError`, and
 * `reshape(contiguous(t), shape)` copies first.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.e4m3fn, [2, 3], [1, 2, 3, 4, 5, 6]).tensor;
 * reshape(t, [3, -1]).shape; // => [3, 2]
 * reshape(transpose(t), [6]);
 * // throws RangeError: reshape: the tensor (shape [3,2], strides [1,3]) is not contiguous ...
 * toNumbers(reshape(contiguous(transpose(t)), [6])); // => Float64Array [1, 4, 2, 5, 3, 6]
 * ```
 */
export function reshape<S extends TensorSpec>(t: Tensor<S>, shape: readonly number[]): Tensor<S> {
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array of integers, got ${describe(shape)}`);
  let infer = -1;
  let known = 1;
  shape.forEach((d: unknown, i) => {
    if (d === -1 && infer < 0) infer = i;
    else if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`reshape: shape axis ${i} must be a non-negative integer (or -1 once, inferred), got ${describe(d)} in ${describe(shape)}`);
    } else known *= d;
  });
  const sh = shape.slice();
  if (infer >= 0) {
    if (known === 0 || t.size % known !== 0) {
      throw new RangeError(`reshape: cannot infer axis ${infer} of ${fmt(shape)} for ${t.size} elements (shape ${fmt(t.shape)})`);
    }
    sh[infer] = t.size / known;
  } else if (known !== t.size) {
    throw new RangeError(`reshape: shape ${fmt(t.shape)} has ${t.size} elements, ${fmt(shape)} has ${known}; the sizes must be equal`);
  }
  if (!isRowMajor(t.shape, t.strides)) {
    throw new RangeError(
      `reshape: the tensor (shape ${fmt(t.shape)}, strides ${fmt(t.strides)}) is not contiguous, so it has no view of shape ${fmt(sh)}; ` +
        'reshape(contiguous(t), shape) copies it first',
    );
  }
  return new Tensor(t.spec, t.data, sh, rowMajor(sh), t.offset);
}
