/**
 * Fixed-point formats (ap_fixed / ac_fixed semantics) as data: {@link fixedFormat} validates a spec
 * once and derives every constant; {@link parseFixedFormat} reads the C++ type names and our general
 * form; {@link formatFixedName} prints them back. Semantics: `docs/semantics.md` §4; card and
 * grammar: `docs/fixed.md`.
 *
 * Format card. A fixed format of `width` W bits and `frac` F fraction bits holds
 * value = raw · 2^-F with raw an integer in
 * - signed:   [-2^(W-1), 2^(W-1) - 1]  (two's complement), so value ∈ [-2^(W-1-F), 2^(W-1-F) - 2^-F];
 * - unsigned: [0, 2^W - 1],            so value ∈ [0, 2^(W-F) - 2^-F].
 * The lsb weighs 2^-F (`lsbExp` = -F). ap_fixed<W,I> is W bits with I = W - F integer bits (sign
 * included); F may be negative (I > W: the lsb weighs more than 1) or exceed W (I < 0).
 */

import type { Flags } from '../flags.js';
import { scaledBigToNumber } from './exact.js';

/** Quantisation modes (ap_fixed's names without the `AP_` prefix, plus ac_fixed's `RND_CONV_ODD` and stochastic `SR`). */
export type FixedQuant =
  | 'TRN'
  | 'TRN_ZERO'
  | 'RND'
  | 'RND_ZERO'
  | 'RND_MIN_INF'
  | 'RND_INF'
  | 'RND_CONV'
  | 'RND_CONV_ODD'
  | 'SR';

/** Overflow modes (ap_fixed's names without the `AP_` prefix). */
export type FixedOverflow = 'SAT' | 'SAT_ZERO' | 'SAT_SYM' | 'WRAP' | 'WRAP_SM';

/**
 * Every quantisation mode, in the order of {@link FixedQuantCode}.
 *
 * @example
 * ```ts
 * FIXED_QUANTS.length; // => 9
 * ```
 */
export const FIXED_QUANTS: readonly FixedQuant[] = [
  'TRN',
  'TRN_ZERO',
  'RND',
  'RND_ZERO',
  'RND_MIN_INF',
  'RND_INF',
  'RND_CONV',
  'RND_CONV_ODD',
  'SR',
];

/**
 * Every overflow mode, in the order of {@link FixedOverflowCode}.
 *
 * @example
 * ```ts
 * FIXED_OVERFLOWS.includes('WRAP_SM'); // => true
 * ```
 */
export const FIXED_OVERFLOWS: readonly FixedOverflow[] = ['SAT', 'SAT_ZERO', 'SAT_SYM', 'WRAP', 'WRAP_SM'];

/** Quantisation mode codes used by the hot loops (index into {@link FIXED_QUANTS}). @internal */
export const enum FixedQuantCode {
  TRN = 0,
  TRN_ZERO = 1,
  RND = 2,
  RND_ZERO = 3,
  RND_MIN_INF = 4,
  RND_INF = 5,
  RND_CONV = 6,
  RND_CONV_ODD = 7,
  SR = 8,
}

/** Overflow mode codes used by the hot loops (index into {@link FIXED_OVERFLOWS}). @internal */
export const enum FixedOverflowCode {
  SAT = 0,
  SAT_ZERO = 1,
  SAT_SYM = 2,
  WRAP = 3,
  WRAP_SM = 4,
}

/**
 * A raw fixed-point value: the integer raw = value · 2^frac (the signed value for signed formats,
 * not the bit pattern). A `number` when the format is not {@link FixedSpec.wide} (width ≤ 52),
 * a `bigint` otherwise.
 */
export type FixedRaw = number | bigint;

/** The result of a fixed-point operation: the raw value and the flags it raised (`Flag.inexact`, `Flag.overflow`, `Flag.invalid`). */
export interface FixedResult {
  readonly raw: FixedRaw;
  readonly flags: Flags;
}

/** The fields a user gives to {@link fixedFormat}. */
export interface FixedFormatOptions {
  /** Total width in bits (sign included), 1..1024. */
  readonly width: number;
  /** Fraction bits: the lsb weighs 2^-frac. Any integer in -4096..4096 (ap_fixed<W,I>: W - I). */
  readonly frac: number;
  /** Two's complement (ap_fixed) or unsigned (ap_ufixed); default true. */
  readonly signed?: boolean;
  /** Quantisation mode; default `TRN` (as ap_fixed). */
  readonly quant?: FixedQuant;
  /** Overflow mode; default `WRAP` (as ap_fixed). */
  readonly overflow?: FixedOverflow;
  /** Saturation bits N of `WRAP` / `WRAP_SM`, 0..width; default 0. Ignored by the `SAT*` modes, as in ap_fixed. */
  readonly satBits?: number;
  /** A name for printing; default the general form from {@link formatFixedName}. */
  readonly name?: string;
}

/** A validated fixed format with every derived constant. Raw values are `number` unless {@link FixedSpec.wide}. */
export interface FixedSpec {
  readonly kind: 'fixed';
  readonly name: string;
  readonly width: number;
  readonly frac: number;
  readonly signed: boolean;
  readonly quant: FixedQuant;
  readonly overflow: FixedOverflow;
  readonly satBits: number;
  /** Integer bits, sign included: ap_fixed's I = width - frac. */
  readonly intBits: number;
  /** Exponent of the lsb: the value of raw 1 is 2^lsbExp (= 2^-frac). */
  readonly lsbExp: number;
  /** Raw values are BigInts (width > 52). */
  readonly wide: boolean;
  /** Smallest raw value (`number` unless wide). */
  readonly minRaw: FixedRaw;
  /** Largest raw value (`number` unless wide). */
  readonly maxRaw: FixedRaw;
  /** Smallest raw value as a BigInt, whatever the width. */
  readonly minRawBig: bigint;
  /** Largest raw value as a BigInt, whatever the width. */
  readonly maxRawBig: bigint;
  /** Smallest value, as the nearest binary64 number (-Infinity beyond its range). */
  readonly minValue: number;
  /** Largest value, as the nearest binary64 number (Infinity beyond its range). */
  readonly maxValue: number;
  /** @internal Mode code of `quant`. */
  readonly quantCode: FixedQuantCode;
  /** @internal Mode code of `overflow`. */
  readonly overflowCode: FixedOverflowCode;
  /** @internal 2^width as a number (exact for width ≤ 52, unused when wide). */
  readonly modNum: number;
  /** @internal minRaw and maxRaw as numbers (exact unless wide). */
  readonly loNum: number;
  /** @internal */
  readonly hiNum: number;
  /**
   * @internal The smallest quantised raw value the overflow step keeps as it is: minRaw, or
   * minRaw + 1 for signed `SAT_SYM` (which maps minRaw to -maxRaw) when width > 1.
   */
  readonly keepLoNum: number;
  /** @internal keepLoNum as a BigInt. */
  readonly keepLoBig: bigint;
  /** @internal 2^frac if that is a normal binary64 number, else 0 (the number path then defers to the exact one). */
  readonly scale: number;
  /** @internal 2^-frac if that is a normal binary64 number, else 0. */
  readonly unscale: number;
}

function intIn(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${field}: must be an integer in ${lo}..${hi}, got ${describe(v)}`);
  }
  return v;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : String(v);
}

function pow2(e: number): number {
  return e >= -1022 && e <= 1023 ? 2 ** e : 0;
}

/**
 * Validates a fixed format and derives its constants (the one place they are computed). Throws a
 * `RangeError` naming the bad field and the allowed range.
 *
 * @example
 * ```ts
 * const q = fixedFormat({ width: 16, frac: 8, quant: 'RND_CONV', overflow: 'SAT' });
 * q.name; // => "s16.8:RND_CONV:SAT"
 * q.maxValue; // => 127.99609375
 * q.minRaw; // => -32768
 * fixedFormat({ width: 8, frac: 4, signed: false, overflow: 'WRAP_SM' });
 * // throws RangeError: overflow: WRAP_SM needs a signed format (ap_ufixed rejects AP_WRAP_SM) ...
 * ```
 */
export function fixedFormat(o: FixedFormatOptions): FixedSpec {
  if (o === null || typeof o !== 'object') throw new RangeError('fixed format: expected an options object');
  const width = intIn('width', o.width, 1, 1024);
  const frac = intIn('frac', o.frac, -4096, 4096);
  const signed = o.signed ?? true;
  if (typeof signed !== 'boolean') throw new RangeError(`signed: must be true or false, got ${describe(signed)}`);
  const quant = o.quant ?? 'TRN';
  const quantCode = FIXED_QUANTS.indexOf(quant);
  if (quantCode < 0) {
    throw new RangeError(`quant: must be one of ${FIXED_QUANTS.join(', ')}, got ${describe(quant)}`);
  }
  const overflow = o.overflow ?? 'WRAP';
  const overflowCode = FIXED_OVERFLOWS.indexOf(overflow);
  if (overflowCode < 0) {
    throw new RangeError(`overflow: must be one of ${FIXED_OVERFLOWS.join(', ')}, got ${describe(overflow)}`);
  }
  const satBits = intIn('satBits', o.satBits ?? 0, 0, width);
  if (overflow === 'WRAP_SM' && !signed) {
    throw new RangeError(
      'overflow: WRAP_SM needs a signed format (ap_ufixed rejects AP_WRAP_SM at run time); use WRAP or SAT, or signed: true',
    );
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name.length === 0)) {
    throw new RangeError(`name: must be a non-empty string, got ${describe(o.name)}`);
  }
  return deriveFixed(width, frac, signed, quant, overflow, satBits, o.name);
}

function deriveFixed(
  width: number,
  frac: number,
  signed: boolean,
  quant: FixedQuant,
  overflow: FixedOverflow,
  satBits: number,
  name: string | undefined,
): FixedSpec {
  // 1. Raw range: two's complement or unsigned, exact as BigInts.
  const w = BigInt(width);
  const minRawBig = signed ? -(1n << (w - 1n)) : 0n;
  const maxRawBig = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  // 2. Raw values are numbers up to 52 bits, so that a sum of two raws stays an exact integer.
  const wide = width > 52;
  const loNum = Number(minRawBig);
  const hiNum = Number(maxRawBig);
  // 3. The smallest raw value the overflow step keeps: signed SAT_SYM never produces minRaw.
  const symmetric = overflow === 'SAT_SYM' && signed && width > 1;
  const keepLoBig = symmetric ? minRawBig + 1n : minRawBig;
  // 4. Values: raw · 2^-frac, rounded once to binary64 (ties to even) for display.
  const maxValue = scaledBigToNumber(maxRawBig, -frac);
  const minValue = scaledBigToNumber(minRawBig, -frac);
  const spec: FixedSpec = {
    kind: 'fixed',
    name: '',
    width,
    frac,
    signed,
    quant,
    overflow,
    satBits,
    intBits: width - frac,
    lsbExp: 0 - frac, // never -0
    wide,
    minRaw: wide ? minRawBig : loNum,
    maxRaw: wide ? maxRawBig : hiNum,
    minRawBig,
    maxRawBig,
    minValue,
    maxValue,
    quantCode: FIXED_QUANTS.indexOf(quant) as FixedQuantCode,
    overflowCode: FIXED_OVERFLOWS.indexOf(overflow) as FixedOverflowCode,
    modNum: 2 ** Math.min(width, 1023),
    loNum,
    hiNum,
    keepLoNum: Number(keepLoBig),
    keepLoBig,
    scale: pow2(frac),
    unscale: pow2(-frac),
  };
  return Object.freeze({ ...spec, name: name ?? formatFixedName(spec) });
}


// ---------------------------------------------------------------------------------------------
// Names

/** Printing styles of {@link formatFixedName}. */
export type FixedNameStyle = 'general' | 'ap' | 'ac';

const AP_QUANTS: readonly FixedQuant[] = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV'];
const AC_QUANTS: readonly FixedQuant[] = [...AP_QUANTS, 'RND_CONV_ODD'];
const AC_OVERFLOWS: readonly FixedOverflow[] = ['SAT', 'SAT_ZERO', 'SAT_SYM', 'WRAP'];

/**
 * Prints a format's name. The `general` style (default) is `s<width>.<frac>` or `u<width>.<frac>`
 * followed, when a mode differs from the ap_fixed default, by `:<quant>`, `:<overflow>` and
 * `:<satBits>` (only as many fields as needed). `ap` prints the ap_fixed / ap_ufixed type and `ac`
 * the ac_fixed type; both throw a `RangeError` when the library has no such mode.
 *
 * @example
 * ```ts
 * const f = fixedFormat({ width: 16, frac: 8, quant: 'RND_CONV', overflow: 'SAT' });
 * formatFixedName(f); // => "s16.8:RND_CONV:SAT"
 * formatFixedName(f, 'ap'); // => "ap_fixed<16,8,AP_RND_CONV,AP_SAT>"
 * formatFixedName(f, 'ac'); // => "ac_fixed<16,8,true,AC_RND_CONV,AC_SAT>"
 * formatFixedName(fixedFormat({ width: 10, frac: -2, signed: false })); // => "u10.-2"
 * ```
 */
export function formatFixedName(spec: FixedSpec, style: FixedNameStyle = 'general'): string {
  const { width, frac, signed, quant, overflow, satBits } = spec;
  const I = width - frac;
  if (style === 'general') {
    let s = `${signed ? 's' : 'u'}${width}.${frac}`;
    const needN = satBits !== 0;
    const needO = needN || overflow !== 'WRAP';
    const needQ = needO || quant !== 'TRN';
    if (needQ) s += `:${quant}`;
    if (needO) s += `:${overflow}`;
    if (needN) s += `:${satBits}`;
    return s;
  }
  if (style === 'ap') {
    if (!AP_QUANTS.includes(quant)) {
      throw new RangeError(`quant: ap_fixed has no ${quant} mode; print this format with the general or ac style`);
    }
    let s = `${signed ? 'ap_fixed' : 'ap_ufixed'}<${width},${I}`;
    const needN = satBits !== 0;
    const needO = needN || overflow !== 'WRAP';
    const needQ = needO || quant !== 'TRN';
    if (needQ) s += `,AP_${quant}`;
    if (needO) s += `,AP_${overflow}`;
    if (needN) s += `,${satBits}`;
    return s + '>';
  }
  if (style === 'ac') {
    if (!AC_QUANTS.includes(quant)) {
      throw new RangeError(`quant: ac_fixed has no ${quant} mode; print this format with the general style`);
    }
    if (!AC_OVERFLOWS.includes(overflow)) {
      throw new RangeError(`overflow: ac_fixed has no ${overflow} mode; print this format with the general or ap style`);
    }
    if (satBits !== 0) {
      throw new RangeError(`satBits: ac_fixed has no saturation bits (got ${satBits}); print this format with the general or ap style`);
    }
    let s = `ac_fixed<${width},${I}`;
    const needO = overflow !== 'WRAP';
    const needQ = needO || quant !== 'TRN';
    const needS = needQ || !signed;
    if (needS) s += `,${signed}`;
    if (needQ) s += `,AC_${quant}`;
    if (needO) s += `,AC_${overflow}`;
    return s + '>';
  }
  throw new RangeError(`style: must be one of general, ap, ac, got ${describe(style)}`);
}

function parseInteger(text: string, what: string, full: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) {
    throw new RangeError(`${what}: expected an integer, got ${JSON.stringify(t)} in ${JSON.stringify(full)}`);
  }
  const v = Number(t);
  if (!Number.isSafeInteger(v)) {
    throw new RangeError(`${what}: ${t} is out of range in ${JSON.stringify(full)}`);
  }
  return v;
}

function parseMode<T extends string>(
  token: string,
  field: 'quant' | 'overflow',
  allowed: readonly T[],
  prefix: string,
  family: string,
  full: string,
): T {
  let t = token.trim();
  const upper = t.toUpperCase();
  if (prefix !== '' && upper.startsWith(prefix)) t = upper.slice(prefix.length);
  else if (prefix === '') t = upper.replace(/^A[PC]_/, '');
  else t = upper;
  if (!(allowed as readonly string[]).includes(t)) {
    const names = allowed.map((a) => prefix + a).join(', ');
    throw new RangeError(`${field}: ${family} accepts ${names}; got ${JSON.stringify(token.trim())} in ${JSON.stringify(full)}`);
  }
  return t as T;
}

/**
 * Reads a fixed format from its name. Accepted forms (grammar in `docs/fixed.md`):
 * - `ap_fixed<W,I[,Q[,O[,N]]]>` and `ap_ufixed<W,I[,Q[,O[,N]]]>`, modes with or without `AP_`;
 * - `ac_fixed<W,I[,S[,Q[,O]]]>` with S `true`/`false` (or 1/0), modes with or without `AC_`;
 *   ac_fixed defaults are AC_TRN and AC_WRAP, and it has no WRAP_SM and no saturation bits;
 * - the general form `s<W>.<F>` / `u<W>.<F>` (F fraction bits, may be negative: `s10.-2`),
 *   optionally followed by `:<quant>[:<overflow>[:<satBits>]]`; an empty field keeps the default.
 * Throws a `RangeError` naming what is wrong.
 *
 * @example
 * ```ts
 * parseFixedFormat('ap_fixed<16,8,AP_RND_CONV,AP_SAT>').name; // => "s16.8:RND_CONV:SAT"
 * parseFixedFormat('ap_ufixed<10,-2>').frac; // => 12
 * parseFixedFormat('ac_fixed<8,4,false,AC_RND,AC_SAT_SYM>').signed; // => false
 * parseFixedFormat('s16.8:RND_CONV:SAT').quant; // => "RND_CONV"
 * parseFixedFormat('s4.-4').maxValue; // => 112
 * ```
 */
export function parseFixedFormat(text: string): FixedSpec {
  if (typeof text !== 'string') throw new RangeError(`fixed format name: expected a string, got ${describe(text)}`);
  const full = text.trim();
  const m = /^(ap_fixed|ap_ufixed|ac_fixed)\s*<(.*)>$/.exec(full);
  if (m) {
    const family = m[1]!;
    const args = m[2]!.split(',').map((s) => s.trim());
    if (args.length < 2) throw new RangeError(`${family}: expected at least <W,I>, got ${JSON.stringify(full)}`);
    const width = parseInteger(args[0]!, 'width', full);
    const I = parseInteger(args[1]!, 'integer bits I', full);
    const frac = width - I;
    if (family === 'ac_fixed') {
      if (args.length > 5) throw new RangeError(`ac_fixed: expected at most <W,I,S,Q,O>, got ${args.length} arguments in ${JSON.stringify(full)}`);
      let signed = true;
      if (args.length > 2) {
        const s = args[2]!.toLowerCase();
        if (s === 'true' || s === '1') signed = true;
        else if (s === 'false' || s === '0') signed = false;
        else throw new RangeError(`signed: ac_fixed's S must be true or false, got ${JSON.stringify(args[2])} in ${JSON.stringify(full)}`);
      }
      const quant = args.length > 3 ? parseMode(args[3]!, 'quant', AC_QUANTS, 'AC_', 'ac_fixed', full) : 'TRN';
      const overflow = args.length > 4 ? parseMode(args[4]!, 'overflow', AC_OVERFLOWS, 'AC_', 'ac_fixed', full) : 'WRAP';
      return fixedFormat({ width, frac, signed, quant, overflow });
    }
    if (args.length > 5) throw new RangeError(`${family}: expected at most <W,I,Q,O,N>, got ${args.length} arguments in ${JSON.stringify(full)}`);
    const signed = family === 'ap_fixed';
    const quant = args.length > 2 ? parseMode(args[2]!, 'quant', AP_QUANTS, 'AP_', family, full) : 'TRN';
    const overflow = args.length > 3 ? parseMode(args[3]!, 'overflow', FIXED_OVERFLOWS, 'AP_', family, full) : 'WRAP';
    const satBits = args.length > 4 ? parseInteger(args[4]!, 'satBits', full) : 0;
    return fixedFormat({ width, frac, signed, quant, overflow, satBits });
  }
  const g = /^([su])(\d+)\.([+-]?\d+)((?::[^:]*){0,3})$/i.exec(full);
  if (g) {
    const signed = g[1]!.toLowerCase() === 's';
    const width = parseInteger(g[2]!, 'width', full);
    const frac = parseInteger(g[3]!, 'frac', full);
    const fields = g[4]! === '' ? [] : g[4]!.slice(1).split(':');
    const q = fields[0]?.trim() ?? '';
    const o = fields[1]?.trim() ?? '';
    const n = fields[2]?.trim() ?? '';
    const quant = q === '' ? 'TRN' : parseMode(q, 'quant', FIXED_QUANTS, '', 'the general form', full);
    const overflow = o === '' ? 'WRAP' : parseMode(o, 'overflow', FIXED_OVERFLOWS, '', 'the general form', full);
    const satBits = n === '' ? 0 : parseInteger(n, 'satBits', full);
    return fixedFormat({ width, frac, signed, quant, overflow, satBits });
  }
  throw new RangeError(
    `fixed format name: cannot read ${JSON.stringify(full)}; expected ap_fixed<W,I,Q,O,N>, ap_ufixed<W,I,Q,O,N>, ` +
      'ac_fixed<W,I,S,Q,O> or s<W>.<F>[:Q[:O[:N]]] such as s16.8:RND_CONV:SAT',
  );
}
