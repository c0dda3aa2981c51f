import { Tensor } from './tensor.js';
import { codeArrayCtor, type TensorSpec } from './storage.js';
import { isRowMajor } from './_internal/shape.js';
import { each1 } from './_internal/iterate.js';

/**
 * True if the tensor's elements occupy consecutive positions of its data in row-major order
 * (strides of axes of size 1 do not matter; an empty tensor is contiguous). The offset may be
 * anything: a contiguous view need not start at position 0 nor cover the whole data array.
 *
 * @example
 * ```ts
 * const t = tensor(catalog.fp16, [2, 3]);
 * isContiguous(t); // => true
 * isContiguous(transpose(t)); // => false
 * isContiguous(slice(t, [1])); // => true (row 1: offset 3)
 * ```
 */
export function isContiguous(t: Tensor): boolean {
  return isRowMajor(t.shape, t.strides);
}

/**
 * A fresh row-major copy of a tensor's elements, in a data array of exactly `size` codes.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.fp16, [2, 2], [1, 2, 3, 4]).tensor;
 * const c = copy(transpose(t));
 * c.strides; // => [2, 1]
 * c.data; // => Uint16Array [0x3c00, 0x4200, 0x4000, 0x4400] (1, 3, 2, 4)
 * ```
 */
export function copy<S extends TensorSpec>(t: Tensor<S>): Tensor<S> {
  const Ctor = codeArrayCtor(t.spec);
  const out = new Ctor(t.size);
  const src = t.data;
  each1(t.shape, t.strides, t.offset, (k, p) => {
    out[k] = src[p]!;
  });
  return new Tensor(t.spec, out, t.shape);
}

/**
 * The tensor itself if it is contiguous ({@link isContiguous}), else a row-major {@link copy}
 * (NumPy's `ascontiguousarray`).
 *
 * @example
 * ```ts
 * const t = tensor(catalog.fp16, [2, 3]);
 * contiguous(t) === t; // => true
 * contiguous(transpose(t)).strides; // => [2, 1]
 * ```
 */
export function contiguous<S extends TensorSpec>(t: Tensor<S>): Tensor<S> {
  return isContiguous(t) ? t : copy(t);
}
