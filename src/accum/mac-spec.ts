/**
 * The MAC model as data (DESIGN.md §4): operand formats, the product, the accumulator, fused or
 * separate, the summation structure and the output conversion. {@link macUnit} turns a spec into a
 * {@link DotUnit} whose every multiply-accumulate follows it, in the documented order.
 */
import type { FloatSpec } from '../formats/float.js';
import { isFloatSpec } from '../formats/float.js';
import type { FixedSpec } from '../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import type { AnySpec, IntSpec } from './types.js';

/** Where the products go before they are summed. */
export type ProductSpec =
  /** Exact products (what every fused unit and every integer unit does). */
  | { readonly kind: 'exact' }
  /** Each product rounded once into a float format (a separate multiplier). */
  | { readonly kind: 'round'; readonly format: FloatSpec; readonly ctx?: Context };

/** An accumulator: the format partial sums are held in, and how each addition rounds. */
export type AccumulatorSpec =
  /** A float register; every addition rounds once with `ctx` (stochastic included). */
  | { readonly kind: 'float'; readonly format: FloatSpec; readonly ctx?: Context }
  /** A fixed-point register; every addition is assigned with the format's own quantisation and overflow modes. */
  | { readonly kind: 'fixed'; readonly format: FixedSpec; readonly ctx?: Context }
  /** An integer register that wraps (two's complement) or saturates on overflow. */
  | { readonly kind: 'int'; readonly format: IntSpec; readonly overflow: 'wrap' | 'saturate' }
  /** An exact (Kulisch) accumulator: nothing rounds until the output conversion. */
  | { readonly kind: 'exact' };

/** The order of the additions, part of the model: a different order gives different bits. */
export type Summation =
  /** acc = c; then acc = acc ⊕ p[i] for i = 0 … K-1. */
  | { readonly kind: 'sequential' }
  /**
   * Products in a balanced tree: consecutive groups of `fanIn` nodes are added exactly and rounded once
   * into the accumulator (a `fanIn`-input adder), level by level, left to right; c is added last.
   */
  | { readonly kind: 'tree'; readonly fanIn: number }
  /**
   * Wang 2018 chunk-based accumulation: products i = jL … jL+L-1 are summed sequentially into an
   * `inner` accumulator that starts at +0; each chunk's result is then added into the outer accumulator
   * (the spec's `acc`, which starts at c), in chunk order.
   */
  | { readonly kind: 'chunked'; readonly chunk: number; readonly inner: AccumulatorSpec };

/** A complete MAC model. */
export interface MacSpec {
  readonly name?: string;
  readonly a: AnySpec;
  readonly b: AnySpec;
  readonly product: ProductSpec;
  /**
   * Fused (one rounding per MAC: acc ⊕ a·b with the exact product, an FMA) or separate (an exact
   * product is first rounded into the accumulator's format, then added). Ignored when the product is
   * rounded by `product`, and for integer and exact accumulators (their products are exact).
   */
  readonly fused: boolean;
  readonly acc: AccumulatorSpec;
  readonly summation: Summation;
  /** The output conversion; default: the accumulator's own format (for `exact`: none, keep the value). */
  readonly output?: { readonly format: AnySpec; readonly ctx?: Context };
}

/** The format an accumulator holds its values in (undefined for exact). */
export function accFormat(a: AccumulatorSpec): AnySpec | undefined {
  return a.kind === 'exact' ? undefined : a.format;
}

function checkAcc(a: AccumulatorSpec, where: string): void {
  switch (a.kind) {
    case 'float':
      if (!isFloatSpec(a.format)) throw new TypeError(`${where}.format: a float accumulator needs a float format`);
      return;
    case 'fixed':
      if (a.format?.kind !== 'fixed') throw new TypeError(`${where}.format: a fixed accumulator needs a fixed-point format`);
      if (a.format.wide && a.format.width > 1024) throw new RangeError(`${where}.format: width ${a.format.width} exceeds 1024`);
      return;
    case 'int':
      if (a.format?.kind !== 'int') throw new TypeError(`${where}.format: an int accumulator needs an integer format`);
      if (a.overflow !== 'wrap' && a.overflow !== 'saturate') {
        throw new RangeError(`${where}.overflow: must be "wrap" or "saturate", got ${JSON.stringify(a.overflow)}`);
      }
      return;
    case 'exact':
      return;
    default:
      throw new RangeError(`${where}.kind: must be one of float, fixed, int, exact, got ${JSON.stringify((a as { kind: unknown }).kind)}`);
  }
}

/**
 * Validates a MAC spec (once, when the unit is built); throws naming the bad field and the allowed values.
 *
 * @example
 * ```ts
 * validateMacSpec({ ...spec, summation: { kind: 'chunked', chunk: 0, inner } });
 * // throws RangeError: summation.chunk: must be an integer >= 1, got 0
 * ```
 */
export function validateMacSpec(s: MacSpec): MacSpec {
  for (const k of ['a', 'b'] as const) {
    const f = s[k] as { kind?: string } | undefined;
    if (!f || (f.kind !== 'float' && f.kind !== 'fixed' && f.kind !== 'int')) {
      throw new TypeError(`${k}: must be a float, fixed-point or integer format`);
    }
  }
  if (s.product.kind === 'round' && !isFloatSpec(s.product.format)) throw new TypeError('product.format: must be a float format');
  if (s.product.kind !== 'exact' && s.product.kind !== 'round') {
    throw new RangeError(`product.kind: must be "exact" or "round", got ${JSON.stringify((s.product as { kind: unknown }).kind)}`);
  }
  if (typeof s.fused !== 'boolean') throw new TypeError('fused: must be true or false');
  checkAcc(s.acc, 'acc');
  const sum = s.summation;
  switch (sum.kind) {
    case 'sequential':
      break;
    case 'tree':
      if (!Number.isInteger(sum.fanIn) || sum.fanIn < 2) throw new RangeError(`summation.fanIn: must be an integer >= 2, got ${sum.fanIn}`);
      break;
    case 'chunked':
      if (!Number.isInteger(sum.chunk) || sum.chunk < 1) throw new RangeError(`summation.chunk: must be an integer >= 1, got ${sum.chunk}`);
      checkAcc(sum.inner, 'summation.inner');
      break;
    default:
      throw new RangeError(`summation.kind: must be one of sequential, tree, chunked, got ${JSON.stringify((sum as { kind: unknown }).kind)}`);
  }
  if (s.acc.kind === 'exact' && !s.output) throw new RangeError('output: an exact accumulator needs an output format to round into');
  return s;
}

/** The context of an accumulator (default rne). */
export function accCtx(a: AccumulatorSpec): Context {
  return (a.kind === 'float' || a.kind === 'fixed' ? a.ctx : undefined) ?? DEFAULT_CONTEXT;
}
