import type { FloatSpec } from '../../formats/float.js';
import type { Context } from '../../round/modes.js';
import { roundArgs } from './_internal/args.js';
import { checkCode } from './_internal/unpack.js';
import { toIntG } from './_internal/general.js';

/** Options of {@link toInt}. */
export interface ToIntOptions {
  /** Width of the integer, 1..64 (default 32). */
  readonly width?: number;
  /** Two's complement (default) or unsigned. */
  readonly signed?: boolean;
  /** Raise inexact when the integer differs from the operand (TestFloat's `-exact`). Default false. */
  readonly exact?: boolean;
}

/**
 * Float → integer, rounded with the context's mode (SoftFloat's `f16_to_i32` / `f16_to_ui32` with
 * an explicit rounding mode). NaN, ±∞ and out-of-range results raise invalid and return the most
 * negative integer (signed) or all ones (unsigned). The result is the integer's bit pattern.
 *
 * @example
 * ```ts
 * toInt(catalog.fp16, 0xc100); // => { code: 0xfffffffen, flags: 0 } (-2.5 → -2, ties to even)
 * toInt(catalog.fp16, 0x7e00, { signed: false }); // => { code: 0xffffffffn, flags: 16 }
 * ```
 */
export function toInt(
  s: FloatSpec,
  a: number | bigint,
  opts: ToIntOptions = {},
  ctx?: Context,
  index?: number,
): { code: bigint; flags: number } {
  checkCode(s, a, 'a');
  const width = opts.width ?? 32;
  if (!Number.isInteger(width) || width < 1 || width > 64) {
    throw new RangeError(`width: must be an integer in 1..64, got ${width}`);
  }
  return toIntG(s, a, width, opts.signed ?? true, opts.exact ?? false, roundArgs(ctx, index));
}
