import { Tensor } from './tensor.js';
import type { TensorSpec } from './storage.js';
import { describe, fmt } from './_internal/shape.js';

/**
 * A range along one axis, as Python's `start:stop:step`. `stop` is excluded. Negative `start` and
 * `stop` count from the end of the axis. Defaults: step 1; for step > 0 start 0 and stop the axis
 * size; for step < 0 start the last index and stop "past the first element" (the whole axis, reversed).
 */
export interface Range {
  readonly start?: number;
  readonly stop?: number;
  readonly step?: number;
}

/**
 * What {@link slice} does to one axis: an integer picks one index and removes the axis; a
 * {@link Range} keeps the axis; `null` or `undefined` keeps it whole.
 */
export type SliceSpec = number | Range | null | undefined;

function bad(axis: number, d: number, field: string, v: unknown, lo: number, hi: number): RangeError {
  return new RangeError(`slice: axis ${axis} ${field} must be an integer in ${lo}..${hi} (axis size ${d}), got ${describe(v)}`);
}

/**
 * A view of part of a tensor, sharing its data (NumPy's basic slicing): one {@link SliceSpec} per
 * leading axis; axes without one are kept whole. Unlike NumPy, a bound outside the axis is an
 * error, not clamped: with step > 0, start and stop lie in -size..size; with step < 0, start and
 * stop must name elements (-size..size-1).
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.fp16, [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).tensor;
 * const v = slice(t, [{ start: 1 }, { step: -2 }]); // rows 1.., columns 3 and 1
 * v.shape; // => [2, 2]
 * v.strides; // => [4, -2]
 * toNumbers(v); // => Float64Array [7, 5, 11, 9]
 * toNumbers(slice(t, [null, 2])); // => Float64Array [2, 6, 10] (column 2, axis removed)
 * ```
 */
export function slice<S extends TensorSpec>(t: Tensor<S>, specs: readonly SliceSpec[]): Tensor<S> {
  if (!Array.isArray(specs)) throw new TypeError(`slice: specs must be an array (one entry per axis), got ${describe(specs)}`);
  if (specs.length > t.ndim) {
    throw new RangeError(`slice: ${specs.length} specs for a ${t.ndim}-d tensor of shape ${fmt(t.shape)}; give at most one per axis`);
  }
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = t.offset;
  let empty = false;
  for (let ax = 0; ax < t.ndim; ax++) {
    const d = t.shape[ax]!;
    const st = t.strides[ax]!;
    const s: unknown = specs[ax];
    if (s === undefined || s === null) {
      shape.push(d);
      strides.push(st);
      continue;
    }
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -d || s >= d) {
        if (d === 0) throw new RangeError(`slice: axis ${ax} is empty (size 0); no index can be picked, got ${describe(s)}`);
        throw bad(ax, d, 'index', s, -d, d - 1);
      }
      offset += (s < 0 ? s + d : s) * st;
      continue;
    }
    if (typeof s !== 'object') {
      throw new TypeError(`slice: axis ${ax} spec must be an integer, a { start, stop, step } range or null, got ${describe(s)}`);
    }
    const r = s as Range;
    const step = r.step ?? 1;
    if (typeof step !== 'number' || !Number.isInteger(step) || step === 0) {
      throw new RangeError(`slice: axis ${ax} step must be a non-zero integer, got ${describe(step)}`);
    }
    let start: number;
    let len: number;
    if (step > 0) {
      start = r.start ?? 0;
      let stop = r.stop ?? d;
      if (typeof start !== 'number' || !Number.isInteger(start) || start < -d || start > d) throw bad(ax, d, 'start', start, -d, d);
      if (typeof stop !== 'number' || !Number.isInteger(stop) || stop < -d || stop > d) throw bad(ax, d, 'stop', stop, -d, d);
      if (start < 0) start += d;
      if (stop < 0) stop += d;
      len = Math.max(0, Math.ceil((stop - start) / step));
    } else {
      if (d === 0 && (r.start !== undefined || r.stop !== undefined)) {
        throw new RangeError(`slice: axis ${ax} is empty (size 0); a range with step < 0 can only use the default start and stop`);
      }
      if (r.start === undefined) start = d - 1;
      else {
        start = r.start;
        if (typeof start !== 'number' || !Number.isInteger(start) || start < -d || start >= d) throw bad(ax, d, 'start', start, -d, d - 1);
        if (start < 0) start += d;
      }
      let stop: number;
      if (r.stop === undefined) stop = -1;
      else {
        stop = r.stop;
        if (typeof stop !== 'number' || !Number.isInteger(stop) || stop < -d || stop >= d) throw bad(ax, d, 'stop', stop, -d, d - 1);
        if (stop < 0) stop += d;
      }
      len = Math.max(0, Math.ceil((start - stop) / -step));
    }
    if (len === 0) empty = true;
    else offset += start * st;
    shape.push(len);
    strides.push(st * step);
  }
  return new Tensor(t.spec, t.data, shape, strides, empty ? t.offset : offset);
}
