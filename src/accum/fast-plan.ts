/**
 * The fast paths of the MAC engine behind one small abstraction, a {@link FastPlan}: built once per
 * unit when its spec has a covered shape (null otherwise), it runs a dot product on operand values
 * read straight from Float64Arrays and returns the output code, or gives up and lets the general
 * engine recompute that dot product. Two plans exist:
 * - `fast-float.ts`: float accumulators of ≤ 24 significand bits (fp32, fp16, bf16, (1,6,9), ExMy),
 *   every rounding mode, fused or separate, exact or rounded products, sequential or chunked;
 * - `fast-int.ts`: integer, fixed-point and exact accumulators whose products and partial sums are
 *   integers below 2^53 in one scale (int8 → int32 wrap/saturate, Gupta 2015 fixed16 + exact).
 * The tensor kernels (`src/tensor/kernels.ts`) decode each operand tensor once and call `plan.dot`
 * per output element; {@link fastDot} serves `DotUnit.dot` on arrays of codes.
 * @internal
 */
import type { MacSpec } from './mac-spec.js';
import type { DotResult } from './types.js';
import { floatPlan } from './fast-float.js';
import { intPlan } from './fast-int.js';
import { GIVE_UP, type FastPlan } from './fast-shared.js';

export { GIVE_UP, type FastPlan } from './fast-shared.js';

/**
 * The fast plan of a spec, or null when no fast path covers its shape.
 *
 * @example
 * ```ts
 * fastPlan(wang2018Chunk64)?.kind; // => "float"
 * fastPlan(int8Int32Sat)?.kind; // => "int"
 * fastPlan({ ...bf16Fp32, summation: { kind: 'tree', fanIn: 2 } }); // => null (general engine)
 * ```
 */
export function fastPlan(spec: MacSpec): FastPlan | null {
  return floatPlan(spec) ?? intPlan(spec);
}

let scratchA = new Float64Array(64);
let scratchB = new Float64Array(64);

/**
 * A dot product of codes (as `DotUnit.dot` takes them) on the fast path, or undefined when the general
 * engine must compute it (a code that is not a number in range included: the engine names the error).
 */
export function fastDot(plan: FastPlan, a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint, index: number): DotResult | undefined {
  const K = a.length;
  if (b.length !== K || typeof c !== 'number' || !(index >= 0)) return undefined;
  if (scratchA.length < K) {
    scratchA = new Float64Array(K * 2);
    scratchB = new Float64Array(K * 2);
  }
  const A = scratchA;
  const B = scratchB;
  for (let k = 0; k < K; k++) {
    const x = a[k];
    const y = b[k];
    if (typeof x !== 'number' || typeof y !== 'number') return undefined;
    const u = plan.valueA(x);
    const v = plan.valueB(y);
    // An invalid code decodes to NaN, and so do NaN/∞ codes: the general engine takes those.
    if (u !== u || v !== v) return undefined;
    A[k] = u;
    B[k] = v;
  }
  const code = plan.dot(A, 0, B, 0, K, c, index);
  if (code === GIVE_UP) return undefined;
  const r = plan.res;
  return {
    code,
    flags: r.flags,
    stats: { macs: K, overflows: r.overflows, saturations: r.saturations, inexact: r.inexact, swamped: r.swamped },
  };
}
