/** Naive index helpers for tests: written plainly, independent of the tensor code they check. */

/** The number of elements of a shape. */
export const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Every index of a shape, in row-major order. */
export function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const p of out) for (let i = 0; i < d; i++) next.push([...p, i]);
    out = next;
  }
  return out;
}
