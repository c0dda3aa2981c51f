/**
 * The catalog of named float formats. Each entry is a format card: the spec plus where it comes
 * from. Constants are derived by {@link floatFormat}; the comments give max / min normal / min
 * subnormal as derived, for the reader.
 */
import { floatFormat, type FloatSpec, type FloatFormatOptions } from './float.js';

/** A catalog entry: the format, its other names, and its source. */
export interface CatalogEntry {
  readonly spec: FloatSpec;
  readonly aliases: readonly string[];
  readonly source: string;
}

function entry(name: string, o: Omit<FloatFormatOptions, 'name'>, aliases: string[], source: string): CatalogEntry {
  return { spec: floatFormat({ ...o, name }), aliases, source };
}

/** Every catalog entry, in display order. */
export const CATALOG: readonly CatalogEntry[] = [
  // binary64: max 1.797e308, min normal 2^-1022, min subnormal 2^-1074.
  entry('fp64', { expBits: 11, manBits: 52 }, ['f64', 'float64', 'binary64'], 'IEEE 754-2019 binary64'),
  // binary32: max 3.403e38, min normal 2^-126, min subnormal 2^-149.
  entry('fp32', { expBits: 8, manBits: 23 }, ['f32', 'float32', 'binary32'], 'IEEE 754-2019 binary32'),
  // TensorFloat-32: fp32's range, fp16's precision (19 bits).
  entry('tf32', { expBits: 8, manBits: 10 }, [], 'NVIDIA A100 TF32 (19-bit, stored in 32)'),
  // binary16: max 65504, min normal 2^-14, min subnormal 2^-24.
  entry('fp16', { expBits: 5, manBits: 10 }, ['f16', 'float16', 'binary16', 'half'], 'IEEE 754-2019 binary16'),
  // bfloat16: max 3.390e38, min normal 2^-126, min subnormal 2^-133.
  entry('bf16', { expBits: 8, manBits: 7 }, ['bfloat16'], 'Google brain float16 (fp32 truncated to 16 bits)'),
  // (1,6,9): max 4.29e9 (1.998·2^31), min normal 2^-30, min subnormal 2^-39.
  entry('ibm_fp16_169', { expBits: 6, manBits: 9 }, ['fp16_169', 'e6m9'], 'Wang et al. 2018, the (1,6,9) 16-bit accumulation format'),
  // e4m3fn: max 448, min normal 2^-6, min subnormal 2^-9; NaN 0x7f/0xff, no infinity.
  entry('e4m3fn', { expBits: 4, manBits: 3, specials: 'fn' }, ['float8_e4m3fn', 'fp8_e4m3'], 'OCP OFP8 v1.0 E4M3; ml_dtypes float8_e4m3fn'),
  // e5m2: max 57344, min normal 2^-14, min subnormal 2^-16; IEEE specials.
  entry('e5m2', { expBits: 5, manBits: 2 }, ['float8_e5m2', 'fp8_e5m2', 'fp8_152'], 'OCP OFP8 v1.0 E5M2; ml_dtypes float8_e5m2; Wang 2018 (1,5,2)'),
  // e4m3fnuz: max 240, min normal 2^-7, min subnormal 2^-10; NaN 0x80, no -0.
  entry('e4m3fnuz', { expBits: 4, manBits: 3, bias: 8, specials: 'fnuz' }, ['float8_e4m3fnuz'], 'ml_dtypes float8_e4m3fnuz (AMD/Graphcore FP8)'),
  // e5m2fnuz: max 57344, min normal 2^-15, min subnormal 2^-17; NaN 0x80, no -0.
  entry('e5m2fnuz', { expBits: 5, manBits: 2, bias: 16, specials: 'fnuz' }, ['float8_e5m2fnuz'], 'ml_dtypes float8_e5m2fnuz'),
  // e4m3b11fnuz: max 30, min normal 2^-10, min subnormal 2^-13.
  entry('e4m3b11fnuz', { expBits: 4, manBits: 3, bias: 11, specials: 'fnuz' }, ['float8_e4m3b11fnuz'], 'ml_dtypes float8_e4m3b11fnuz (Sun 2019 1-4-3, bias 11, as deployed)'),
  // e4m3 (IEEE-like): max 240, min normal 2^-6, min subnormal 2^-9; infinities.
  entry('e4m3', { expBits: 4, manBits: 3 }, ['float8_e4m3'], 'ml_dtypes float8_e4m3 (IEEE 754-style E4M3)'),
  // e3m4 (IEEE-like): max 15.5, min normal 2^-2, min subnormal 2^-6.
  entry('e3m4', { expBits: 3, manBits: 4 }, ['float8_e3m4'], 'ml_dtypes float8_e3m4 (IEEE 754-style E3M4)'),
  // FP6 E3M2: max 28, min normal 2^-2, min subnormal 2^-4; every code finite.
  entry('e3m2fn', { expBits: 3, manBits: 2, specials: 'finite' }, ['float6_e3m2fn', 'fp6_e3m2'], 'OCP MX v1.0 FP6 E3M2; ml_dtypes float6_e3m2fn'),
  // FP6 E2M3: max 7.5, min normal 1, min subnormal 2^-3.
  entry('e2m3fn', { expBits: 2, manBits: 3, specials: 'finite' }, ['float6_e2m3fn', 'fp6_e2m3'], 'OCP MX v1.0 FP6 E2M3; ml_dtypes float6_e2m3fn'),
  // FP4 E2M1: values 0, 0.5, 1, 1.5, 2, 3, 4, 6.
  entry('e2m1fn', { expBits: 2, manBits: 1, specials: 'finite' }, ['float4_e2m1fn', 'fp4_e2m1', 'fp4'], 'OCP MX v1.0 FP4 E2M1; ml_dtypes float4_e2m1fn'),
  // E8M0 scale: 2^-127 .. 2^127, NaN 0xff, no zero, no sign.
  entry('e8m0fnu', { expBits: 8, manBits: 0, bias: 127, specials: 'fn', signed: false, subnormals: false }, ['float8_e8m0fnu', 'e8m0'], 'OCP MX v1.0 E8M0 scale; ml_dtypes float8_e8m0fnu'),
  // HFP8 forward (1-4-3, bias 11): Sun 2019 gives the layout and the bias, not the special values;
  // we take ml_dtypes' deployed reading (no infinities, NaN 0x80): max 30, min subnormal 2^-13.
  entry('hfp8_fwd', { expBits: 4, manBits: 3, bias: 11, specials: 'fnuz' }, ['hfp8_143'], 'Sun et al. 2019 HFP8 forward format 1-4-3, exponent bias 11'),
  // HFP8 backward (1-5-2, bias 15): IEEE-style E5M2, max 57344.
  entry('hfp8_bwd', { expBits: 5, manBits: 2 }, ['hfp8_152'], 'Sun et al. 2019 HFP8 backward format 1-5-2, exponent bias 15'),
];

const BY_NAME = new Map<string, FloatSpec>();
for (const e of CATALOG) {
  BY_NAME.set(e.spec.name.toLowerCase(), e.spec);
  for (const a of e.aliases) BY_NAME.set(a.toLowerCase(), e.spec);
}

/** Looks up a catalog name or alias (case-insensitive); undefined if unknown. */
export function catalogFormat(name: string): FloatSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

function get(name: string): FloatSpec {
  return BY_NAME.get(name)!;
}

/**
 * The catalog formats by name, for code.
 *
 * @example
 * ```ts
 * catalog.e4m3fn.maxFinite; // => 448
 * catalog.fp16.minPositive; // => 5.960464477539063e-8 (2^-24)
 * ```
 */
export const catalog = {
  fp64: get('fp64'),
  fp32: get('fp32'),
  tf32: get('tf32'),
  fp16: get('fp16'),
  bf16: get('bf16'),
  ibm_fp16_169: get('ibm_fp16_169'),
  e4m3fn: get('e4m3fn'),
  e5m2: get('e5m2'),
  e4m3fnuz: get('e4m3fnuz'),
  e5m2fnuz: get('e5m2fnuz'),
  e4m3b11fnuz: get('e4m3b11fnuz'),
  e4m3: get('e4m3'),
  e3m4: get('e3m4'),
  e3m2fn: get('e3m2fn'),
  e2m3fn: get('e2m3fn'),
  e2m1fn: get('e2m1fn'),
  e8m0fnu: get('e8m0fnu'),
  hfp8_fwd: get('hfp8_fwd'),
  hfp8_bwd: get('hfp8_bwd'),
} as const;
