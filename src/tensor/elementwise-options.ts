import type { Context } from '../round/modes.js';
import type { TensorSpec } from './storage.js';

/** Options of the binary elementwise operations ({@link add}, {@link sub}, {@link mul}). */
export interface ElementwiseOptions {
  /**
   * Rounding context: the mode of float operations; for fixed-point results, whose mode is the
   * format's own, only the stochastic-rounding seed, stream and bits. Default `DEFAULT_CONTEXT`.
   */
  readonly ctx?: Context;
  /**
   * The result format. Fixed-point operands: any fixed format (default the operands' common
   * format; required when they differ). Float operands: only their own format (float operations
   * round into their operands' format).
   */
  readonly format?: TensorSpec;
}
