/**
 * Shapes, strides and axes: validation with messages that name the argument, and the row-major
 * helpers every tensor function shares.
 * @internal
 */

/** Prints a shape or an index as `[2,3]`. */
export function fmt(xs: readonly number[]): string {
  return `[${xs.join(',')}]`;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(describe).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const name = (v as object).constructor?.name;
    if (name && name !== 'Object') return `a ${name}`;
    let json: string;
    try {
      json = JSON.stringify(v);
    } catch {
      json = '{…}';
    }
    return `the object ${json.length > 60 ? json.slice(0, 57) + '...' : json}`;
  }
  if (typeof v === 'function') return 'a function';
  return String(v);
}

/** Largest element count of one tensor (a typed array's length limit in practice). */
export const MAX_SIZE = 2 ** 32;

/**
 * Validates a shape: an array of non-negative integers whose product is at most 2^32.
 * Returns a frozen copy.
 */
export function checkShape(shape: unknown, what = 'shape'): readonly number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${what}: must be an array of non-negative integers, got ${describe(shape)}`);
  }
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${what}: axis ${i} must be a non-negative integer, got ${describe(d)} in ${describe(shape)}`);
    }
    size *= d;
  }
  if (size > MAX_SIZE) throw new RangeError(`${what}: ${describe(shape)} has ${size} elements; a tensor holds at most 2^32`);
  return Object.freeze(shape.slice() as number[]);
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides of a shape, in elements. */
export function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let k = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = k;
    k *= shape[i]!;
  }
  return s;
}

/**
 * Normalises an axis in -ndim..ndim-1 (negative counts from the end, as NumPy) to 0..ndim-1.
 * `op` names the function in the message.
 */
export function normAxis(op: string, axis: unknown, ndim: number, what = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    if (ndim === 0) throw new RangeError(`${op}: a 0-d tensor has no ${what} to reduce (use ${what} null), got ${describe(axis)}`);
    throw new RangeError(`${op}: ${what} must be an integer in ${-ndim}..${ndim - 1} for a ${ndim}-d tensor, got ${describe(axis)}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** True if the view's elements lie in row-major order with no gaps (axes of size 1 ignored). */
export function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  if (shape.includes(0)) return true;
  let expect = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d !== 1) {
      if (strides[i] !== expect) return false;
      expect *= d;
    }
  }
  return true;
}

export { describe };
