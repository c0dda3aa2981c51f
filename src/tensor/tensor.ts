/**
 * The tensor: one format spec plus a typed array of codes, with a shape, strides and an offset
 * (`docs/tensors.md`). Element (i0, …, in-1) lives at `data[offset + Σ ik·strides[k]]`. Strides are
 * in elements and may be negative (reversed views) or zero (broadcast views); many tensors may share
 * one data array (views).
 */
import { checkCodeValue, checkSpec, codeArrayCtor, arrayName, storageOf, type CodeData, type TensorSpec } from './storage.js';
import { checkShape, describe, fmt, rowMajor, sizeOf } from './_internal/shape.js';

/**
 * A tensor of codes. Construct it with {@link tensor}, {@link fromNumbers}, {@link zeros} or the
 * view functions; the constructor is the general form (any strides and offset), validated: the data
 * array must be the format's storage class ({@link storageOf}) and every element the view can reach
 * must lie inside it. The constructor does not check the codes themselves ({@link tensor} does).
 *
 * @example
 * ```ts
 * const t = new Tensor(catalog.e4m3fn, Uint8Array.of(0x38, 0x40, 0x44, 0x48), [2, 2], [1, 2]); // a transposed 2×2
 * t.get([0, 1]); // => 0x44 (data[0 + 0·1 + 1·2])
 * ```
 */
export class Tensor<S extends TensorSpec = TensorSpec> {
  /** The format of every element. */
  readonly spec: S;
  /** The codes (shared by every view of the same data). */
  readonly data: CodeData;
  /** Size of each axis. */
  readonly shape: readonly number[];
  /** Distance in `data` between neighbours along each axis (elements; may be negative or 0). */
  readonly strides: readonly number[];
  /** Position in `data` of element (0, …, 0). */
  readonly offset: number;
  /** Number of elements (the product of the shape; 1 for a 0-d tensor). */
  readonly size: number;

  constructor(spec: S, data: CodeData, shape: readonly number[], strides?: readonly number[], offset = 0) {
    checkSpec(spec);
    const Ctor = codeArrayCtor(spec);
    if (!(data instanceof Ctor)) {
      throw new TypeError(`data: ${spec.name} codes live in a ${storageOf(spec)}, got ${arrayName(data)}`);
    }
    const sh = checkShape(shape);
    let st: readonly number[];
    if (strides === undefined) st = Object.freeze(rowMajor(sh));
    else {
      if (!Array.isArray(strides) || strides.length !== sh.length) {
        throw new RangeError(`strides: must be an array of ${sh.length} integers (one per axis of shape ${fmt(sh)}), got ${describe(strides)}`);
      }
      strides.forEach((s, i) => {
        if (typeof s !== 'number' || !Number.isSafeInteger(s)) {
          throw new RangeError(`strides: axis ${i} must be an integer, got ${describe(s)} in ${describe(strides)}`);
        }
      });
      st = Object.freeze(strides.slice());
    }
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new RangeError(`offset: must be an integer, got ${describe(offset)}`);
    const size = sizeOf(sh);
    if (size > 0) {
      // 1. The lowest and highest positions the view reaches.
      let lo = offset;
      let hi = offset;
      for (let i = 0; i < sh.length; i++) {
        const span = (sh[i]! - 1) * st[i]!;
        if (span < 0) lo += span;
        else hi += span;
      }
      if (lo < 0 || hi >= data.length) {
        throw new RangeError(
          `strides: shape ${fmt(sh)}, strides ${fmt(st)} and offset ${offset} reach positions ${lo}..${hi}, ` +
            `outside the data array (length ${data.length}, positions 0..${data.length - 1})`,
        );
      }
    }
    this.spec = spec;
    this.data = data;
    this.shape = sh;
    this.strides = st;
    this.offset = offset;
    this.size = size;
    Object.freeze(this);
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * The position in `data` of an element. Each index may be negative (counting from the end of its
   * axis, as NumPy); a `RangeError` names the axis and the allowed range otherwise.
   */
  position(index: readonly number[]): number {
    const sh = this.shape;
    if (!Array.isArray(index) || index.length !== sh.length) {
      throw new RangeError(`index: must be an array of ${sh.length} integers for shape ${fmt(sh)}, got ${describe(index)}`);
    }
    let p = this.offset;
    for (let k = 0; k < sh.length; k++) {
      const d = sh[k]!;
      let i: unknown = index[k];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < -d || i >= d) {
        if (d === 0) throw new RangeError(`index: axis ${k} is empty (shape ${fmt(sh)}); no element can be indexed, got ${describe(i)}`);
        throw new RangeError(`index: axis ${k} must be an integer in ${-d}..${d - 1} (shape ${fmt(sh)}), got ${describe(i)}`);
      }
      if ((i as number) < 0) i = (i as number) + d;
      p += (i as number) * this.strides[k]!;
    }
    return p;
  }

  /** The code of one element. */
  get(index: readonly number[]): number {
    return this.data[this.position(index)]!;
  }

  /** Writes the code of one element (visible through every view of the same data). */
  set(index: readonly number[], code: number): void {
    const p = this.position(index);
    this.data[p] = checkCodeValue(this.spec, code, 'code:');
  }
}

/**
 * A contiguous row-major tensor. Without `data`, every code is 0 (see {@link codeArray}). `data` is
 * either the format's code array ({@link storageOf}), which the tensor then shares, or a plain array
 * of codes, which is copied; either way its length must be the shape's size and every code must
 * belong to the format. To encode values, use {@link fromNumbers}.
 *
 * @example
 * ```ts
 * const t = tensor(catalog.e4m3fn, [2, 3], Uint8Array.of(0x38, 0x40, 0x44, 0x48, 0x4a, 0x4c));
 * t.strides; // => [3, 1]
 * toNumbers(t); // => Float64Array [1, 2, 3, 4, 5, 6]
 * tensor(catalog.e2m1fn, [2], [0x3, 0x10]);
 * // throws RangeError: data: element 1 must be a 4-bit code of e2m1fn, an integer in 0..15, got 16
 * ```
 */
export function tensor<S extends TensorSpec>(spec: S, shape: readonly number[], data?: CodeData | readonly number[]): Tensor<S> {
  checkSpec(spec);
  const sh = checkShape(shape);
  const n = sizeOf(sh);
  const Ctor = codeArrayCtor(spec);
  if (data === undefined) return new Tensor(spec, new Ctor(n), sh);
  let codes: CodeData;
  if (data instanceof Ctor) codes = data;
  else if (Array.isArray(data)) {
    codes = new Ctor(data.length);
    for (let i = 0; i < data.length; i++) codes[i] = checkCodeValue(spec, data[i], `data: element ${i}`);
  } else {
    throw new TypeError(
      `data: ${spec.name} codes live in a ${storageOf(spec)} (or a plain array of codes), got ${arrayName(data)}; ` +
        'to encode values use fromNumbers',
    );
  }
  if (codes.length !== n) {
    throw new RangeError(`data: shape ${fmt(sh)} has ${n} elements, the data array has ${codes.length}`);
  }
  checkCodes(spec, codes);
  return new Tensor(spec, codes, sh);
}

/** Throws a `RangeError` naming the first element of `codes` that is not a code of the format. @internal */
export function checkCodes(spec: TensorSpec, codes: CodeData, positions?: Iterable<number>, label = 'data'): void {
  const [lo, hi] = spec.kind === 'float' ? [0, 2 ** spec.width - 1] : [spec.loNum, spec.hiNum];
  const floatStore = codes instanceof Float64Array;
  if (positions === undefined) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      if (c < lo || c > hi || (floatStore && !Number.isInteger(c))) checkCodeValue(spec, c, `${label}: element ${i}`);
    }
  } else {
    for (const i of positions) {
      const c = codes[i]!;
      if (c < lo || c > hi || (floatStore && !Number.isInteger(c))) checkCodeValue(spec, c, `${label}: position ${i}`);
    }
  }
}
