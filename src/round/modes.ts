/**
 * Rounding modes, named as on the command line. See `docs/rounding.md` for the table that maps them
 * to IEEE 754, SoftFloat, ap_fixed/ac_fixed, CPFloat and QPyTorch names.
 *
 * - `rne` ties to even, `rna` ties away from zero, `rno` ties to odd,
 * - `rtz` toward zero, `rup` toward +∞, `rdn` toward -∞,
 * - `rod` round to odd ("jamming": truncate, then set the lsb if anything was lost),
 * - `sr` stochastic with `srBits` random bits.
 */
export type RoundingMode = 'rne' | 'rna' | 'rno' | 'rtz' | 'rup' | 'rdn' | 'rod' | 'sr';

/** Every rounding mode, in a fixed order. */
export const ROUNDING_MODES: readonly RoundingMode[] = ['rne', 'rna', 'rno', 'rtz', 'rup', 'rdn', 'rod', 'sr'];

/** Mode codes used by the hot loops (index into {@link ROUNDING_MODES}). */
export const enum Mode {
  RNE = 0,
  RNA = 1,
  RNO = 2,
  RTZ = 3,
  RUP = 4,
  RDN = 5,
  ROD = 6,
  SR = 7,
}

/** When tininess (for the underflow flag) is detected. */
export type Tininess = 'before' | 'after';

/**
 * Everything an operation needs besides its operands. Passed explicitly; nothing is global.
 *
 * @example
 * ```ts
 * const ctx = context({ rounding: 'sr', srBits: 8, seed: 42 });
 * ```
 */
export interface Context {
  readonly rounding: RoundingMode;
  /** Tininess detection for the underflow flag. Default `after` (x86 SSE, SoftFloat 8086-SSE). */
  readonly tininess: Tininess;
  /** Random bits used by stochastic rounding, 1..32. */
  readonly srBits: number;
  /** Seed of the counter-based random source (a 32-bit unsigned integer). */
  readonly seed: number;
  /** Stream number: separates independent uses of one seed (a 32-bit unsigned integer). */
  readonly stream: number;
}

/** Options accepted by {@link context}; every field is optional. */
export type ContextOptions = Partial<Context>;

/** @internal */
export function modeCode(mode: RoundingMode): Mode {
  const i = ROUNDING_MODES.indexOf(mode);
  if (i < 0) {
    throw new RangeError(`rounding: unknown mode ${JSON.stringify(mode)}; allowed: ${ROUNDING_MODES.join(', ')}`);
  }
  return i as Mode;
}

function checkU32(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError(`${name}: must be an integer in 0..4294967295, got ${v}`);
  }
}

/**
 * Builds and validates a context. Defaults: `rne`, tininess `after`, 8 random bits, seed 0, stream 0.
 *
 * @example
 * ```ts
 * context().rounding; // => "rne"
 * context({ rounding: 'rtz' }).tininess; // => "after"
 * ```
 */
export function context(opts: ContextOptions = {}): Context {
  const c: Context = {
    rounding: opts.rounding ?? 'rne',
    tininess: opts.tininess ?? 'after',
    srBits: opts.srBits ?? 8,
    seed: opts.seed ?? 0,
    stream: opts.stream ?? 0,
  };
  modeCode(c.rounding);
  if (c.tininess !== 'before' && c.tininess !== 'after') {
    throw new RangeError(`tininess: must be "before" or "after", got ${JSON.stringify(c.tininess)}`);
  }
  if (!Number.isInteger(c.srBits) || c.srBits < 1 || c.srBits > 32) {
    throw new RangeError(`srBits: must be an integer in 1..32, got ${c.srBits}`);
  }
  checkU32('seed', c.seed);
  checkU32('stream', c.stream);
  return Object.freeze(c);
}

/** The default context: ties to even, tininess after rounding. */
export const DEFAULT_CONTEXT: Context = context();
