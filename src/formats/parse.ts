/**
 * One parser for every number-format name the tools accept: float formats (catalog names and
 * aliases, ml_dtypes and TestFloat names, `ac_std_float<W,E>`, the general `e<E>m<M>[...]` form),
 * fixed-point formats (`ap_fixed<...>`, `ap_ufixed<...>`, `ac_fixed<...>`, `s<W>.<F>`, `u<W>.<F>`)
 * and integers (`i32`, `ui32`, `i<N>`, `ui<N>`, `u<N>`, `int<N>`, `uint<N>`, N ≤ 64). The grammar is
 * documented in `docs/formats.md`.
 */
import { CATALOG } from './catalog.js';
import type { FloatSpec } from './float.js';
import { parseFixedFormat, type FixedSpec } from './fixed.js';
import { parseFloatFormat } from './parse-float.js';

/** A two's-complement or unsigned integer format (TestFloat's `i32`, `ui32`, `i64`, `ui64`, ...). */
export interface IntFormat {
  readonly kind: 'int';
  /** Width in bits, 1..64. */
  readonly width: number;
  readonly signed: boolean;
  /** Canonical name: `i<N>` or `ui<N>`. */
  readonly name: string;
}

/** A parsed format name: a float format, a fixed-point format or an integer. */
export type ParsedFormat =
  | { readonly kind: 'float'; readonly spec: FloatSpec }
  | { readonly kind: 'fixed'; readonly spec: FixedSpec }
  | IntFormat;

const INT = /^(i|s?int|ui|u|uint)(\d+)$/i;
const FIXED_HINT = /^(?:(?:ap_fixed|ap_ufixed|ac_fixed)\s*<|[su]\d+\.)/i;

/**
 * The integer format `i<N>` / `ui<N>` (N in 1..64).
 *
 * @example
 * ```ts
 * intFormat(32, true).name; // => "i32"
 * ```
 */
export function intFormat(width: number, signed: boolean): IntFormat {
  if (!Number.isInteger(width) || width < 1 || width > 64) {
    throw new RangeError(`integer width: must be an integer in 1..64, got ${width}`);
  }
  return Object.freeze({ kind: 'int', width, signed, name: `${signed ? 'i' : 'ui'}${width}` });
}

/** A human summary of every accepted spelling, for error messages and `--help`. */
export const ACCEPTED_FORMATS =
  'catalog names (' +
  CATALOG.map((e) => e.spec.name).join(', ') +
  '); TestFloat names f16, bf16, f32, f64, i32, ui32, i64, ui64; ml_dtypes names (bfloat16, float8_e4m3fn, ' +
  'float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float8_e4m3b11fnuz, float8_e4m3, float8_e3m4, float8_e8m0fnu, ' +
  'float6_e3m2fn, float6_e2m3fn, float4_e2m1fn, int4, uint4, ...); ac_std_float<W,E>; ' +
  'e<E>m<M>[fn|fnuz|fnu][[bias=N,nosub,specials=...,overflow=...]]; ap_fixed<W,I,Q,O,N>; ap_ufixed<W,I,Q,O,N>; ' +
  'ac_fixed<W,I,S,Q,O>; s<W>.<F>[:Q[:O[:N]]] and u<W>.<F>[:Q[:O[:N]]]; integers i<N>, ui<N>, u<N>, int<N>, uint<N> (N <= 64)';

/**
 * Parses any format name. Throws a `RangeError` naming the text and listing the accepted spellings
 * when nothing matches, or naming the bad field when the name is recognised but invalid.
 *
 * @example
 * ```ts
 * parseFormat('f16'); // => { kind: 'float', spec: catalog.fp16 }
 * parseFormat('ap_fixed<8,3,AP_RND,AP_SAT>').kind; // => "fixed"
 * parseFormat('ui32'); // => { kind: 'int', width: 32, signed: false, name: 'ui32' }
 * parseFormat('nope'); // throws RangeError: format "nope": unknown; accepted: catalog names (...)
 * ```
 */
export function parseFormat(text: string): ParsedFormat {
  if (typeof text !== 'string') throw new RangeError(`format: expected a string, got ${typeof text}`);
  const t = text.trim();
  // 1. Integers first: `u8` is an integer, `u8.4` a fixed format, `e4m3` a float.
  const im = INT.exec(t);
  if (im) {
    const prefix = im[1]!.toLowerCase();
    const signed = prefix === 'i' || prefix === 'int' || prefix === 'sint';
    const n = Number(im[2]);
    if (n < 1 || n > 64) throw new RangeError(`format ${JSON.stringify(t)}: integer width must be 1..64, got ${n}`);
    return intFormat(n, signed);
  }
  // 2. Floats: catalog, aliases, ac_std_float, general form (undefined if not float syntax at all).
  const f = parseFloatFormat(t);
  if (f) return { kind: 'float', spec: f };
  // 3. Fixed point (its parser names the bad field).
  if (FIXED_HINT.test(t)) return { kind: 'fixed', spec: parseFixedFormat(t) };
  throw new RangeError(`format ${JSON.stringify(t)}: unknown; accepted: ${ACCEPTED_FORMATS}`);
}
