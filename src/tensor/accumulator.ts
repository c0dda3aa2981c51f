import type { Flags } from '../flags.js';
import type { FloatSpec } from '../formats/float.js';
import { add } from '../ops/float/add.js';
import { convert } from '../ops/float/convert.js';
import { decodeExact } from '../ops/float/decode.js';
import { encode } from '../ops/float/encode.js';
import { fromExact } from '../ops/float/from-exact.js';
import { fixedAdd } from '../ops/fixed/fixedAdd.js';
import { fixedFromExact } from '../ops/fixed/fixedFromExact.js';
import { fixedToExact } from '../ops/fixed/fixedToExact.js';
import { fixedToNumber } from '../ops/fixed/fixedToNumber.js';
import { DEFAULT_CONTEXT, type Context, type RoundingMode } from '../round/modes.js';
import { checkSpec, storageName, type TensorSpec } from './storage.js';
import { sameFormat } from './_internal/formats.js';
import { exactAdd } from '../formats/exact-arith.js';
import type { ExactValue } from '../formats/exact.js';

/** Finite values and zeros (the shared exact adder then never meets ∞ - ∞). */
function isFinite(x: ExactValue): boolean {
  return x.kind === 'finite' || x.kind === 'zero';
}

/** The exact sum of two finite values, with IEEE 754's zero signs for `mode`. */
function sumOf(a: ExactValue, b: ExactValue, mode: RoundingMode): ExactValue {
  return exactAdd(a, b, false, mode) as ExactValue;
}
import { describe } from './_internal/shape.js';

/** The new running sum of an accumulator and the flags of that one addition. */
export interface AccumulatorStep {
  readonly code: number;
  readonly flags: Flags;
}

/**
 * What a reduction ({@link sum}) needs from an accumulator: the format of the running sum (and of
 * the result), the code it starts from, and one addition. The reduction decides the order (see
 * {@link sum}); the accumulator decides how one addition rounds. The MAC-spec driven accumulators
 * (chunked, fused n-term adders) implement the same interface in their own files.
 */
export interface Accumulator<S extends TensorSpec = TensorSpec> {
  /** The format of the running sum and of the result. */
  readonly format: S;
  /** The code of the running sum before the first addition. */
  readonly init: number;
  /**
   * The running sum `acc` (a code of {@link format}) plus the element `code` of format `spec`;
   * `index` is the stochastic-rounding index of this addition.
   */
  add(acc: number, spec: TensorSpec, code: number, index: number): AccumulatorStep;
}

/** The description of a rounding accumulator, the simple kind {@link sum} accepts directly. */
export interface AccumulatorOptions<S extends TensorSpec = TensorSpec> {
  /** The format of the running sum and of the result: a float format, or a fixed one. */
  readonly format: S;
  /** Rounding context of every addition (float: mode; fixed: only the stochastic-rounding fields). Default `DEFAULT_CONTEXT`. */
  readonly ctx?: Context;
}

/**
 * An accumulator that holds its running sum in `format`, starts from +0, and rounds after every
 * addition: acc ← round(acc + x), with acc + x exact and one rounding per addition.
 * - Float `format`: an addend of the same format goes through the scalar `add`; so does an addend
 *   of another format whose conversion into `format` is exact (raises no flag: fp8 or fp16 into
 *   fp32, say), converted first; any other addend is added exactly and rounded once by `fromExact`
 *   — so never a double rounding through the accumulator's format. A NaN or infinite addend of another format is
 *   first converted into the accumulator format by `convert` (`docs/semantics.md` §3), then added. Exact zero
 *   sums have IEEE signs (+0 from opposite signs, -0 in `rdn`).
 * - Fixed `format`: fixed addends go through `fixedAdd` (full precision, then the format's
 *   quantisation and overflow); float addends are added exactly and assigned by `fixedFromExact`
 *   (a NaN gives 0 with invalid, ±∞ overflows).
 *
 * Throws a `RangeError` for a format that cannot be a tensor format or has no zero (e8m0fnu).
 *
 * @example
 * ```ts
 * const acc = accumulator({ format: catalog.bf16 });
 * acc.add(acc.init, catalog.fp16, 0x3c01, 0); // => { code: 0x3f80, flags: 1 } (1 + 2^-10 rounds to 1 in bf16)
 * ```
 */
export function accumulator<S extends TensorSpec>(o: AccumulatorOptions<S>): Accumulator<S> {
  if (o === null || typeof o !== 'object') throw new TypeError(`acc: must be { format, ctx? } or an Accumulator, got ${describe(o)}`);
  const F: TensorSpec = checkSpec(o.format, 'acc.format');
  storageName(F, 'acc.format');
  const ctx = o.ctx ?? DEFAULT_CONTEXT;
  if (F.kind === 'float') {
    const z = encode(F, 0);
    if (z.flags !== 0) {
      throw new RangeError(`acc.format: ${F.name} has no zero, so a sum cannot start from +0; accumulate in a format with a zero`);
    }
    return {
      format: o.format,
      init: z.code as number,
      add(acc: number, spec: TensorSpec, code: number, index: number): AccumulatorStep {
        if (spec.kind === 'float' && sameFormat(spec, F)) {
          const r = add(F, acc, code, ctx, index);
          return { code: r.code as number, flags: r.flags };
        }
        // 0. Fast path: an addend that converts exactly (no flag) makes the scalar add the one rounding.
        //    NaN and ∞ operands convert as in step 1 below, with the same result.
        const e =
          spec.kind === 'float'
            ? convert(spec, F, code, ctx, index)
            : spec.unscale !== 0
              ? encode(F, fixedToNumber(spec, code), ctx, index)
              : undefined;
        if (e !== undefined && e.flags === 0) {
          const r = add(F, acc, e.code, ctx, index);
          return { code: r.code as number, flags: r.flags };
        }
        const x = spec.kind === 'float' ? decodeExact(spec, code) : fixedToExact(spec, code);
        if (!isFinite(x)) {
          // 1. A NaN or ∞ of another float format: convert it (its own flags; NaN payloads as convert keeps them), then add.
          const c = convert(spec as FloatSpec, F, code, ctx, index);
          const r = add(F, acc, c.code, ctx, index);
          return { code: r.code as number, flags: c.flags | r.flags };
        }
        const a = decodeExact(F, acc);
        if (!isFinite(a)) {
          // 2. A NaN or ∞ running sum absorbs any finite addend: acc + acc gives it back (a NaN quieted).
          const r = add(F, acc, acc, ctx, index);
          return { code: r.code as number, flags: r.flags };
        }
        // 3. Both finite: the exact sum, rounded once.
        const r = fromExact(F, sumOf(a, x, ctx.rounding), ctx, index);
        return { code: r.code as number, flags: r.flags };
      },
    };
  }
  return {
    format: o.format,
    init: 0,
    add(acc: number, spec: TensorSpec, code: number, index: number): AccumulatorStep {
      if (spec.kind === 'fixed') {
        const r = fixedAdd(F, acc, spec, code, F, ctx, index);
        return { code: r.raw as number, flags: r.flags };
      }
      const x = decodeExact(spec, code);
      const r = fixedFromExact(F, isFinite(x) ? sumOf(fixedToExact(F, acc), x, 'rne') : x, ctx, index);
      return { code: r.raw as number, flags: r.flags };
    },
  };
}
