/**
 * Interoperability with the `ndarray` package (scijs): a tensor and an ndarray over the same codes
 * share memory, the tensor's strides and offset being the ndarray's `stride` and `offset`.
 *
 * The ndarray holds **codes**, not values: never run `ndarray-ops` or other numeric code on it (it
 * computes in binary64 on the bit patterns). Use it for layout (pick, lo, hi, step, transpose) and
 * for exchange; compute with the tensor operations.
 */
import ndarray from 'ndarray';
import { Tensor, checkCodes } from './tensor.js';
import { arrayName, checkCodeValue, checkSpec, codeArrayCtor, storageOf, type CodeData, type TensorSpec } from './storage.js';
import { each1 } from './_internal/iterate.js';
import { checkShape, describe } from './_internal/shape.js';

/** An ndarray of codes, as {@link toNdarray} returns and {@link fromNdarray} accepts. */
export type CodeNdarray = ndarray.NdArray<CodeData>;

/**
 * An ndarray view of a tensor's codes: same data array (no copy), shape, strides and offset.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.e4m3fn, [2, 3], [1, 2, 3, 4, 5, 6]).tensor;
 * const nd = toNdarray(transpose(t));
 * nd.shape; // => [3, 2]
 * nd.stride; // => [1, 3]
 * nd.get(2, 1); // => 0x4c (6 in e4m3fn)
 * nd.data === t.data; // => true
 * ```
 */
export function toNdarray(t: Tensor): CodeNdarray {
  if (!(t instanceof Tensor)) throw new TypeError(`toNdarray: t must be a Tensor, got ${describe(t)}`);
  return ndarray(t.data, t.shape.slice(), t.strides.slice(), t.offset);
}

/** Options of {@link fromNdarray}. */
export interface FromNdarrayOptions {
  /**
   * When the ndarray's data is not the format's code array (a plain array, or another typed array),
   * copy its codes into a new contiguous tensor instead of throwing. Default false.
   */
  readonly copy?: boolean;
}

/**
 * A tensor over an ndarray of codes. When `nd.data` is the format's code array ({@link storageOf}),
 * the tensor shares it, with the ndarray's shape, stride and offset; every code the view reaches is
 * checked. Otherwise this throws a `TypeError`, unless `opts.copy`, which copies the codes (integers
 * of the format) into a new contiguous tensor.
 *
 * @example
 * ```ts
 * const nd = ndarray(Uint16Array.of(0x3c00, 0x4000, 0x4200, 0x4400), [2, 2]);
 * const t = fromNdarray(catalog.fp16, nd.transpose(1, 0));
 * toNumbers(t); // => Float64Array [1, 3, 2, 4]
 * t.data === nd.data; // => true
 * fromNdarray(catalog.fp16, ndarray([0x3c00, 0x4000]), { copy: true }).data; // => Uint16Array [0x3c00, 0x4000]
 * ```
 */
export function fromNdarray<S extends TensorSpec>(spec: S, nd: ndarray.NdArray<ndarray.Data<number>>, opts: FromNdarrayOptions = {}): Tensor<S> {
  checkSpec(spec);
  const Ctor = codeArrayCtor(spec);
  if (nd === null || typeof nd !== 'object' || !Array.isArray(nd.shape) || !Array.isArray(nd.stride) || typeof nd.offset !== 'number' || nd.data == null) {
    throw new TypeError(`nd: must be an ndarray (data, shape, stride, offset), got ${describe(nd)}`);
  }
  const shape = checkShape(nd.shape, 'nd.shape');
  if (nd.data instanceof Ctor) {
    const t = new Tensor(spec, nd.data, shape, nd.stride, nd.offset);
    const pos: number[] = [];
    each1(t.shape, t.strides, t.offset, (_k, p) => pos.push(p));
    checkCodes(spec, t.data, pos, 'nd.data');
    return t;
  }
  if (!opts.copy) {
    throw new TypeError(
      `nd.data: ${spec.name} codes live in a ${storageOf(spec)}, the ndarray holds a ${arrayName(nd.data)}; ` +
        'pass { copy: true } to copy its codes into a new tensor',
    );
  }
  const out = new Ctor(t0size(shape));
  const generic = typeof (nd.data as { get?: unknown }).get === 'function' && !Array.isArray(nd.data) && !ArrayBuffer.isView(nd.data);
  const src = nd.data as ArrayLike<number> & { get?: (i: number) => number };
  each1(shape, nd.stride, nd.offset, (k, p) => {
    const v = generic ? src.get!(p) : src[p];
    out[k] = checkCodeValue(spec, v, `nd: element ${k} (data position ${p})`);
  });
  return new Tensor(spec, out, shape);
}

function t0size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
