/**
 * Odometer loops over a shape in row-major order: the callback gets the flat (row-major) index k of
 * the element and its position in each operand's data. No allocation per element.
 * @internal
 */

/** fn(k, p) for every element of a view (shape, strides, offset). */
export function each1(shape: readonly number[], st: readonly number[], off: number, fn: (k: number, p: number) => void): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  const nd = shape.length;
  const idx = new Int32Array(nd);
  let p = off;
  for (let k = 0; k < n; k++) {
    fn(k, p);
    for (let ax = nd - 1; ax >= 0; ax--) {
      if (++idx[ax]! < shape[ax]!) {
        p += st[ax]!;
        break;
      }
      idx[ax] = 0;
      p -= (shape[ax]! - 1) * st[ax]!;
    }
  }
}

/** fn(k, pa, pb) for every element of `shape`, with two operands' strides already broadcast to it. */
export function each2(
  shape: readonly number[],
  sa: readonly number[],
  oa: number,
  sb: readonly number[],
  ob: number,
  fn: (k: number, pa: number, pb: number) => void,
): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return;
  const nd = shape.length;
  const idx = new Int32Array(nd);
  let pa = oa;
  let pb = ob;
  for (let k = 0; k < n; k++) {
    fn(k, pa, pb);
    for (let ax = nd - 1; ax >= 0; ax--) {
      if (++idx[ax]! < shape[ax]!) {
        pa += sa[ax]!;
        pb += sb[ax]!;
        break;
      }
      idx[ax] = 0;
      pa -= (shape[ax]! - 1) * sa[ax]!;
      pb -= (shape[ax]! - 1) * sb[ax]!;
    }
  }
}
