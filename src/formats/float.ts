/**
 * Float formats (ExMy) as data: {@link floatFormat} validates a spec once and derives every constant.
 * Nothing else in the code writes a format's constants by hand. The semantics are in
 * `docs/semantics.md` §1.
 */

/** How the special values are encoded (names as in ml_dtypes / OCP). */
export type Specials = 'ieee' | 'fn' | 'fnuz' | 'finite';
/** What a finite result beyond the largest finite value becomes. */
export type OverflowPolicy = 'inf' | 'saturate' | 'nan';

/** The fields a user gives to {@link floatFormat}. */
export interface FloatFormatOptions {
  /** Exponent field width, 0..11. */
  readonly expBits: number;
  /** Fraction field width (no hidden bit), 0..52. */
  readonly manBits: number;
  /** Exponent bias; default 2^(expBits-1)-1. */
  readonly bias?: number;
  /** Gradual underflow; default true. */
  readonly subnormals?: boolean;
  /** Special-value encoding; default `ieee`. */
  readonly specials?: Specials;
  /** Overflow policy; default `inf` for `ieee`, `nan` for `fn`/`fnuz`, `saturate` for `finite`. */
  readonly overflow?: OverflowPolicy;
  /** Has a sign bit; default true. */
  readonly signed?: boolean;
  /** A name for printing; default a generated one such as `e5m2`. */
  readonly name?: string;
}

/** A validated float format with every derived constant. Codes are `number` unless {@link FloatSpec.wide}. */
export interface FloatSpec {
  readonly kind: 'float';
  readonly name: string;
  readonly expBits: number;
  readonly manBits: number;
  readonly bias: number;
  readonly subnormals: boolean;
  readonly specials: Specials;
  readonly overflow: OverflowPolicy;
  readonly signed: boolean;
  /** Total width in bits. */
  readonly width: number;
  /** Codes are BigInts (width > 53). */
  readonly wide: boolean;
  /** Precision in bits, hidden bit included (manBits + 1). */
  readonly precision: number;
  readonly hasInf: boolean;
  readonly hasNaN: boolean;
  readonly hasZero: boolean;
  readonly hasNegZero: boolean;
  /** The smallest biased exponent of a normal number (1, or 0 in a format without zero). */
  readonly eminField: number;
  /** The all-ones exponent field value, 2^expBits - 1. */
  readonly expFieldMax: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  /** Largest finite fraction field at exponent emax. */
  readonly maxManAtEmax: number;
  readonly maxFinite: number;
  readonly minNormal: number;
  /** Smallest positive value (minNormal when subnormals are off). */
  readonly minPositive: number;
  /** 2^manBits, the value of the hidden bit in fraction units. */
  readonly manScale: number;
  /** 2^(expBits+manBits), the weight of the sign bit. */
  readonly signWeight: number;
  /** Eligible for the binary64 fast path (see `docs/architecture.md`). */
  readonly fast: boolean;
}

const DEFAULT_OVERFLOW: Record<Specials, OverflowPolicy> = { ieee: 'inf', fn: 'nan', fnuz: 'nan', finite: 'saturate' };
const SPECIALS: readonly Specials[] = ['ieee', 'fn', 'fnuz', 'finite'];
const POLICIES: readonly OverflowPolicy[] = ['inf', 'saturate', 'nan'];

function intIn(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${field}: must be an integer in ${lo}..${hi}, got ${String(v)}`);
  }
  return v;
}

/**
 * Validates a float format and derives its constants. Throws a `RangeError` naming the bad field
 * and the allowed range.
 *
 * @example
 * ```ts
 * const e4m3fn = floatFormat({ expBits: 4, manBits: 3, specials: 'fn' });
 * e4m3fn.maxFinite; // => 448
 * e4m3fn.minPositive; // => 0.001953125 (2^-9)
 * floatFormat({ expBits: 0, manBits: 3, subnormals: false });
 * // throws RangeError: expBits: 0 exponent bits need subnormals: true and specials: 'finite' ...
 * ```
 */
export function floatFormat(o: FloatFormatOptions): FloatSpec {
  if (o === null || typeof o !== 'object') throw new RangeError('float format: expected an options object');
  const e = intIn('expBits', o.expBits, 0, 11);
  const m = intIn('manBits', o.manBits, 0, 52);
  const specials = o.specials ?? 'ieee';
  if (!SPECIALS.includes(specials)) {
    throw new RangeError(`specials: must be one of ${SPECIALS.join(', ')}, got ${JSON.stringify(specials)}`);
  }
  const subnormals = o.subnormals ?? true;
  if (typeof subnormals !== 'boolean') throw new RangeError(`subnormals: must be true or false, got ${String(subnormals)}`);
  const signed = o.signed ?? true;
  if (typeof signed !== 'boolean') throw new RangeError(`signed: must be true or false, got ${String(signed)}`);
  const overflow = o.overflow ?? DEFAULT_OVERFLOW[specials];
  if (!POLICIES.includes(overflow)) {
    throw new RangeError(`overflow: must be one of ${POLICIES.join(', ')}, got ${JSON.stringify(overflow)}`);
  }
  if (e === 0 && (!subnormals || specials !== 'finite')) {
    throw new RangeError(
      "expBits: 0 exponent bits need subnormals: true and specials: 'finite' (every value is then a subnormal); " +
        'use expBits >= 1 otherwise',
    );
  }
  if (specials === 'ieee' && m === 0) {
    throw new RangeError("manBits: specials 'ieee' need manBits >= 1 to encode NaN; use specials 'fn' or 'finite' for manBits 0");
  }
  if (specials === 'ieee' && e < 2 ) {
    throw new RangeError("expBits: specials 'ieee' need expBits >= 2 (one exponent value is reserved for inf/NaN)");
  }
  if (overflow === 'inf' && specials !== 'ieee') {
    throw new RangeError(`overflow: 'inf' needs specials 'ieee' (this format has no infinity); use 'nan' or 'saturate'`);
  }
  if (overflow === 'nan' && specials === 'finite') {
    throw new RangeError(`overflow: 'nan' needs a NaN encoding; specials 'finite' has none, use 'saturate'`);
  }
  if (!signed && (specials !== 'fn' || subnormals)) {
    throw new RangeError("signed: unsigned formats are supported as e8m0fnu is: specials 'fn' and subnormals: false");
  }
  const width = (signed ? 1 : 0) + e + m;
  const expFieldMax = 2 ** e - 1;
  const bias = intIn('bias', o.bias ?? (e === 0 ? 0 : 2 ** (e - 1) - 1), -2000, 2000);
  const hasZero = signed;
  const eminField = hasZero ? 1 : 0;
  const emin = eminField - bias;
  // Largest finite exponent field and fraction.
  let topField = expFieldMax;
  let maxMan = 2 ** m - 1;
  if (specials === 'ieee') {
    topField = expFieldMax - 1;
  } else if (specials === 'fn') {
    if (m === 0) topField = expFieldMax - 1;
    else maxMan = 2 ** m - 2;
  }
  // With no exponent bits every value is subnormal: the largest is (2^m - 1)·2^(emin-m).
  const emax = e === 0 ? emin - 1 : topField - bias;
  const maxFinite = e === 0 ? maxMan * 2 ** (emin - m) : (1 + maxMan / 2 ** m) * 2 ** emax;
  const minNormal = 2 ** emin;
  const minPositive = subnormals && m > 0 ? 2 ** (emin - m) : minNormal;
  if (!Number.isFinite(maxFinite) || emax > 1023 || emin - m < -1074) {
    throw new RangeError(
      `bias: ${bias} puts this format outside binary64's range (largest exponent ${emax}, smallest ${emin - m}); ` +
        'choose a bias with every value in [2^-1074, 2^1023]',
    );
  }
  const name = o.name ?? defaultName(e, m, bias, subnormals, specials, overflow, signed);
  const precision = m + 1;
  const fast = width <= 32 && precision <= 24 && 2 * (emax + 2) < 1000 && 2 * (emin - m) > -1000;
  return Object.freeze({
    kind: 'float',
    name,
    expBits: e,
    manBits: m,
    bias,
    subnormals,
    specials,
    overflow,
    signed,
    width,
    wide: width > 53,
    precision,
    hasInf: specials === 'ieee',
    hasNaN: specials !== 'finite',
    hasZero,
    hasNegZero: hasZero && specials !== 'fnuz',
    eminField,
    expFieldMax,
    emin,
    emax,
    maxManAtEmax: maxMan,
    maxFinite,
    minNormal,
    minPositive,
    manScale: 2 ** m,
    signWeight: 2 ** (e + m),
    fast,
  });
}

function defaultName(
  e: number,
  m: number,
  bias: number,
  sub: boolean,
  specials: Specials,
  overflow: OverflowPolicy,
  signed: boolean,
): string {
  const opts0: string[] = [];
  let s = `e${e}m${m}`;
  if (specials !== 'ieee') s += specials === 'finite' ? 'fn' : specials;
  if (specials === 'finite') opts0.push('finite');
  if (!signed) s += 'u';
  const std = e === 0 ? 0 : 2 ** (e - 1) - 1;
  const opts: string[] = opts0;
  if (bias !== std) opts.push(`bias=${bias}`);
  if (!sub) opts.push('nosub');
  if (overflow !== DEFAULT_OVERFLOW[specials]) opts.push(`overflow=${overflow}`);
  return opts.length ? `${s}[${opts.join(',')}]` : s;
}

/** True if `x` is a {@link FloatSpec}. */
export function isFloatSpec(x: unknown): x is FloatSpec {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'float';
}
