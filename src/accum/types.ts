/**
 * Shared types of the MAC layer (issue 3). A *dot unit* is a modelled piece of hardware that computes
 * d = a[0]·b[0] + … + a[K-1]·b[K-1] + c on codes, bit-exactly, in a documented order: a named preset
 * (an x86 dot-product instruction, a GPU matrix unit) or a unit built from a MAC spec.
 */
import { Flag } from '../flags.js';
import type { FloatSpec } from '../formats/float.js';
import type { FixedSpec } from '../formats/fixed.js';

/** Integer formats (x86 VNNI operands and accumulators) are those of the name grammar: `i8`, `ui8`, `i32`… */
export { intFormat, type IntFormat as IntSpec } from '../formats/parse.js';
import type { IntFormat as IntSpec } from '../formats/parse.js';

/** Any number system an operand, accumulator or output may use. */
export type AnySpec = FloatSpec | FixedSpec | IntSpec;

/** Per-MAC statistics, counted per call (and summed per output tensor by the kernels). */
export interface MacStats {
  /** Multiply-accumulates performed (products, zero products included). */
  macs: number;
  /** Roundings that overflowed (to ∞/NaN or saturated) or integer wraps. */
  overflows: number;
  /** Results clamped by a saturating mode. */
  saturations: number;
  /** Roundings that lost bits (inexact). */
  inexact: number;
  /** Addends that left no trace in the sum (the rounded sum equals the accumulator before the addition, the addend being non-zero). */
  swamped: number;
}

export function emptyStats(): MacStats {
  return { macs: 0, overflows: 0, saturations: 0, inexact: 0, swamped: 0 };
}

/**
 * Does a rounding into `f` that overflows clamp the result (a saturation, counted in
 * {@link MacStats.saturations} as well as in `overflows`)? Float formats with the `saturate` overflow
 * policy, fixed formats with `SAT`, `SAT_ZERO` or `SAT_SYM`, integer registers whose overflow mode
 * (`intOverflow`, default wrapping) is `saturate`.
 */
export function saturates(f: AnySpec, intOverflow: 'wrap' | 'saturate' = 'wrap'): boolean {
  if (f.kind === 'float') return f.overflow === 'saturate';
  if (f.kind === 'fixed') return f.overflow.startsWith('SAT');
  return intOverflow === 'saturate';
}

/**
 * Counts one rounding's flags into statistics: inexact, and an overflow (also a saturation when `sat`,
 * the target format clamps: {@link saturates}). Shared by the engine and the fast paths.
 */
export function countRounding(st: Pick<MacStats, 'inexact' | 'overflows' | 'saturations'>, flags: number, sat: boolean): void {
  if (flags & Flag.inexact) st.inexact++;
  if (flags & Flag.overflow) {
    st.overflows++;
    if (sat) st.saturations++;
  }
}

/** Adds the counts of `s` into `into` (statistics are summed per output tensor, per pass, per run). */
export function addStats(into: MacStats, s: MacStats): void {
  into.macs += s.macs;
  into.overflows += s.overflows;
  into.saturations += s.saturations;
  into.inexact += s.inexact;
  into.swamped += s.swamped;
}

/** The result of one dot product: the output code, the OR of the IEEE flags raised, and statistics. */
export interface DotResult {
  readonly code: number | bigint;
  readonly flags: number;
  readonly stats: MacStats;
}

/** A modelled dot-product unit. */
export interface DotUnit {
  /** Preset or spec name, e.g. `x86-vdpbf16ps`, `nvidia-a100-fp16-fp32`. */
  readonly name: string;
  /** One line for `bitexact macs`. */
  readonly description: string;
  /** Where the model comes from (a document, a paper, measured data). */
  readonly source: string;
  readonly a: AnySpec;
  readonly b: AnySpec;
  /** The format of the addend c (the accumulator input). */
  readonly c: AnySpec;
  /** The format of the result. */
  readonly out: AnySpec;
  /** The number of products per call when the hardware fixes it (an x86 lane: 2 or 4), else undefined. */
  readonly k?: number;
  /**
   * d = Σ a[i]·b[i] + c, every MAC through the model. a and b have the same length (K). `index`
   * (default 0) selects the stochastic-rounding random bits of this dot product (a kernel passes the
   * output element's flat index); units without stochastic rounding ignore it.
   */
  dot(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint, index?: number): DotResult;
}
