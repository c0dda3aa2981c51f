/**
 * IEEE 754 exception flags as a bit mask, in Berkeley TestFloat's order (also SoftFloat's
 * `softfloat_flag_*` values). Flags are returned with every result, never accumulated globally.
 *
 * @example
 * ```ts
 * formatFlags(Flag.overflow | Flag.inexact); // => "overflow|inexact"
 * ```
 */
export const Flag = {
  /** The result differs from the exact result. */
  inexact: 1,
  /** The result is tiny (see the tininess rule) and inexact. */
  underflow: 2,
  /** The rounded result exceeded the largest finite value. */
  overflow: 4,
  /** A finite non-zero number was divided by zero. */
  divByZero: 8,
  /** The operation had no defined result (0·∞, ∞-∞, sqrt(-1), a signalling NaN, ...). */
  invalid: 16,
} as const;

/** A combination of {@link Flag} bits (0..31). */
export type Flags = number;

const NAMES: readonly [number, string][] = [
  [Flag.invalid, 'invalid'],
  [Flag.divByZero, 'divByZero'],
  [Flag.overflow, 'overflow'],
  [Flag.underflow, 'underflow'],
  [Flag.inexact, 'inexact'],
];

/**
 * Names the flags set in a mask, most severe first, joined by `|`; `"none"` for 0.
 *
 * @example
 * ```ts
 * formatFlags(0x03); // => "underflow|inexact"
 * ```
 */
export function formatFlags(flags: Flags): string {
  const out = NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return out.length === 0 ? 'none' : out.join('|');
}
