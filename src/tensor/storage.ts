/**
 * How a tensor stores its codes: one typed array per format, chosen by the format's width
 * (`docs/tensors.md` §2). Float codes are the format's bit patterns; fixed-point codes are the raw
 * integers (value = raw · 2^-frac), two's complement values for signed formats.
 *
 * | format | width | array |
 * |---|---|---|
 * | float | ≤ 8 | `Uint8Array` |
 * | float | ≤ 16 | `Uint16Array` |
 * | float | ≤ 32 | `Uint32Array` |
 * | fixed, signed | ≤ 8 / ≤ 16 / ≤ 32 | `Int8Array` / `Int16Array` / `Int32Array` |
 * | fixed, unsigned | ≤ 8 / ≤ 16 / ≤ 32 | `Uint8Array` / `Uint16Array` / `Uint32Array` |
 * | fixed | ≤ 52 | `Float64Array` (integers) |
 *
 * Wider formats (fp64, fixed > 52 bits) have BigInt codes and are not tensor formats.
 */
import type { FloatSpec } from '../formats/float.js';
import type { FixedSpec } from '../formats/fixed.js';
import { describe } from './_internal/shape.js';

/** A format a tensor can hold: a float format of at most 32 bits or a fixed format of at most 52. */
export type TensorSpec = FloatSpec | FixedSpec;

/** The typed arrays that hold codes. */
export type CodeData = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float64Array;

/** The name of a {@link CodeData} class. */
export type CodeArrayName = 'Uint8Array' | 'Uint16Array' | 'Uint32Array' | 'Int8Array' | 'Int16Array' | 'Int32Array' | 'Float64Array';

type CodeArrayCtor = new (n: number) => CodeData;

const CTORS: Readonly<Record<CodeArrayName, CodeArrayCtor>> = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Float64Array,
};

/**
 * Checks that `spec` is a float or fixed format spec (from `floatFormat`, `fixedFormat` or the catalog).
 * @internal
 */
export function checkSpec(spec: unknown, what = 'spec'): TensorSpec {
  const kind = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (kind === 'float' || kind === 'fixed') return spec as TensorSpec;
  if (kind === 'int') {
    const s = spec as { name: string; width: number; signed: boolean };
    throw new TypeError(
      `${what}: integer formats (${s.name}) are not tensor formats; use the fixed format fixedFormat({ width: ${s.width}, frac: 0, signed: ${s.signed} })`,
    );
  }
  throw new TypeError(`${what}: expected a float or fixed format spec (floatFormat, fixedFormat or catalog), got ${describe(spec)}`);
}

/**
 * The typed array that holds the codes of a format. Throws a `RangeError` for formats too wide for
 * a tensor (floats over 32 bits, fixed over 52).
 *
 * @example
 * ```ts
 * storageOf(catalog.e4m3fn); // => "Uint8Array"
 * storageOf(catalog.bf16); // => "Uint16Array"
 * storageOf(parseFixedFormat('s16.8')); // => "Int16Array"
 * storageOf(parseFixedFormat('u12.4')); // => "Uint16Array"
 * storageOf(parseFixedFormat('s40.20')); // => "Float64Array"
 * storageOf(catalog.fp64);
 * // throws RangeError: spec: fp64 is 64 bits wide; float tensors hold formats up to 32 bits ...
 * ```
 */
export function storageOf(spec: TensorSpec): CodeArrayName {
  return storageName(spec, 'spec');
}

/** {@link storageOf}, naming the argument `what` in its errors. @internal */
export function storageName(spec: unknown, what: string): CodeArrayName {
  const s = checkSpec(spec, what);
  const w = s.width;
  if (s.kind === 'float') {
    if (w <= 8) return 'Uint8Array';
    if (w <= 16) return 'Uint16Array';
    if (w <= 32) return 'Uint32Array';
    throw new RangeError(
      `${what}: ${s.name} is ${w} bits wide; float tensors hold formats up to 32 bits (codes wider than 32 bits are BigInts), ` +
        'convert to fp32 or narrower first',
    );
  }
  if (w <= 8) return s.signed ? 'Int8Array' : 'Uint8Array';
  if (w <= 16) return s.signed ? 'Int16Array' : 'Uint16Array';
  if (w <= 32) return s.signed ? 'Int32Array' : 'Uint32Array';
  if (w <= 52) return 'Float64Array';
  throw new RangeError(
    `${what}: ${s.name} is ${w} bits wide; fixed-point tensors hold formats up to 52 bits (wider raw values are BigInts), ` +
      'use a narrower format',
  );
}

/**
 * A fresh array of `length` codes for a format, every code 0 (for float formats the code 0 is +0,
 * or 2^-127 in e8m0fnu; for fixed formats the raw value 0).
 *
 * @example
 * ```ts
 * codeArray(catalog.fp16, 3); // => Uint16Array [0, 0, 0]
 * ```
 */
export function codeArray(spec: TensorSpec, length: number): CodeData {
  return new CTORS[storageOf(spec)](length);
}

/** The class of a format's code array. @internal */
export function codeArrayCtor(spec: TensorSpec): CodeArrayCtor {
  return CTORS[storageOf(spec)];
}

/** The name of a typed array's class, or a description of anything else. @internal */
export function arrayName(data: unknown): string {
  if (ArrayBuffer.isView(data)) return (data as object).constructor.name;
  if (Array.isArray(data)) return 'plain Array';
  return describe(data);
}

/** The smallest and largest code of a format (bit patterns for floats, raw values for fixed). @internal */
export function codeRange(spec: TensorSpec): [number, number] {
  if (spec.kind === 'float') return [0, 2 ** spec.width - 1];
  return [spec.loNum, spec.hiNum];
}

/**
 * Throws a `RangeError` unless `code` is an integer code of the format; `what` starts the message
 * (`"code:"`, `"data: element 3"`).
 * @internal
 */
export function checkCodeValue(spec: TensorSpec, code: unknown, what: string): number {
  const [lo, hi] = codeRange(spec);
  if (typeof code !== 'number' || !Number.isInteger(code) || code < lo || code > hi) {
    const kind = spec.kind === 'float' ? `${/^(8|11|18)/.test(String(spec.width)) ? 'an' : 'a'} ${spec.width}-bit code` : 'a raw value';
    throw new RangeError(`${what} must be ${kind} of ${spec.name}, an integer in ${lo}..${hi}, got ${describe(code)}`);
  }
  return code;
}
