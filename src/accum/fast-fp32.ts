/**
 * A fast path of the MAC engine for the most common unit shape: ≤ 16-bit float operands, exact
 * products, a sequential fp32 accumulator rounding to nearest-even (fused or not: an exact product
 * that is an fp32 value rounds to itself), output fp32. Examples: e4m3fn/e5m2/fp16 × same → fp32,
 * bf16 × bf16 → fp32.
 *
 * Why it is exact: each step adds two fp32 values, the accumulator and a product that is itself an
 * fp32 value (checked per product); their binary64 sum rounded once more to fp32 (`Math.fround`) is the
 * correctly rounded fp32 sum, because 53 ≥ 2·24 + 2 (DESIGN.md §3, the double-precision shortcut).
 * A dot product that meets anything else — a NaN or infinite operand, a product that is not an fp32
 * value, an overflow, a result below 2^-126 (where the underflow flag would need the tininess rule) —
 * is abandoned and recomputed by the general engine, so the results, flags and statistics are those
 * of the general engine by construction (and `test/accum/fast-fp32.test.ts` checks it).
 * @internal
 */
import type { FloatSpec } from '../formats/float.js';
import { Flag } from '../flags.js';
import { modeCode, Mode, DEFAULT_CONTEXT } from '../round/modes.js';
import { decodeTable } from '../ops/float/_internal/fast.js';
import type { MacSpec } from './mac-spec.js';
import type { DotResult } from './types.js';

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const MIN_NORMAL = 2 ** -126;

function isFp32(f: { kind: string } | undefined): f is FloatSpec {
  if (!f || f.kind !== 'float') return false;
  const s = f as FloatSpec;
  return s.expBits === 8 && s.manBits === 23 && s.bias === 127 && s.specials === 'ieee' && s.subnormals && s.signed && s.overflow === 'inf';
}

/** The plan of the fast path for a spec, or null when the spec is not of the supported shape. */
export interface Fp32Plan {
  readonly ta: Float64Array;
  readonly tb: Float64Array;
}

export function fp32Plan(spec: MacSpec): Fp32Plan | null {
  const { a, b, acc, summation, product, output } = spec;
  if (a.kind !== 'float' || b.kind !== 'float' || a.width > 16 || b.width > 16 || !a.fast || !b.fast) return null;
  if (product.kind !== 'exact' || summation.kind !== 'sequential') return null;
  if (acc.kind !== 'float' || !isFp32(acc.format)) return null;
  if (modeCode((acc.ctx ?? DEFAULT_CONTEXT).rounding) !== Mode.RNE) return null;
  if (output && !isFp32(output.format as { kind: string })) return null;
  return { ta: decodeTable(a), tb: decodeTable(b) };
}

/** The dot product on the fast path, or undefined if it must be recomputed by the general engine. */
export function fp32Dot(plan: Fp32Plan, a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint): DotResult | undefined {
  if (typeof c !== 'number') return undefined;
  return fp32Strided(plan, a as ArrayLike<number>, 0, 1, b as ArrayLike<number>, 0, 1, a.length, c);
}

/**
 * The fast-path dot product over strided operands (a matmul row of A and a column of B read in place,
 * or plain arrays with stride 1), or undefined if the general engine must recompute it. Numbered steps:
 * 1. the product must be a finite fp32 value (so that the shortcut's premise holds);
 * 2. one fp32 rounding of the exact sum: binary64 sum, then fround (correct since 53 >= 2·24 + 2);
 *    overflow and tiny results give up (the general engine applies the policy, the tininess rule, flags);
 * 3. statistics: exact iff the binary64 sum was exact (TwoSum error 0) and fround kept it.
 */
export function fp32Strided(
  plan: Fp32Plan,
  A: ArrayLike<number>,
  pa: number,
  sa: number,
  B: ArrayLike<number>,
  pb: number,
  sb: number,
  K: number,
  c: number,
): DotResult | undefined {
  U32[0] = c;
  let acc = F32[0]!;
  if (acc - acc !== 0) return undefined;
  const { ta, tb } = plan;
  let inexact = 0;
  let swamped = 0;
  for (let k = 0; k < K; k++, pa += sa, pb += sb) {
    const p = ta[A[pa]!]! * tb[B[pb]!]!;
    if (p - p !== 0 || Math.fround(p) !== p) return undefined;
    const s = acc + p;
    const r = Math.fround(s);
    if (r - r !== 0) return undefined;
    if (r !== 0 && r < MIN_NORMAL && r > -MIN_NORMAL) return undefined;
    const bv = s - acc;
    const err = acc - (s - bv) + (p - bv);
    if (err !== 0 || r !== s) {
      inexact++;
      if (p !== 0 && r === acc) swamped++;
    }
    acc = r;
  }
  F32[0] = acc;
  return {
    code: U32[0]!,
    flags: inexact > 0 ? Flag.inexact : 0,
    stats: { macs: K, overflows: 0, saturations: 0, inexact, swamped },
  };
}
