/**
 * The MAC engine: a {@link DotUnit} that runs every multiply-accumulate of a {@link MacSpec}, in the
 * spec's order, on exact values, rounding exactly where the spec says and nowhere else. This is the
 * general (correct for every spec) path; fast kernels for common specs must agree with it bit for bit.
 */
import type { ExactValue } from '../formats/exact.js';
import { exactAdd, exactMul, INVALID } from '../formats/exact-arith.js';
import { Flag } from '../flags.js';
import { decodeExact, fromExact } from '../ops/float/index.js';
import { fixedFromExact, fixedToExact } from '../ops/fixed/index.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import { accCtx, validateMacSpec, type AccumulatorSpec, type MacSpec } from './mac-spec.js';
import { countRounding, emptyStats, saturates, type AnySpec, type DotResult, type DotUnit, type MacStats } from './types.js';
import { fastDot, fastPlan, type FastPlan } from './fast-plan.js';

const NAN: ExactValue = { kind: 'nan', sign: 0, quiet: true };

/** Decodes a code (a bit pattern) of any format into its exact value. */
export function codeToExact(f: AnySpec, code: number | bigint): ExactValue {
  switch (f.kind) {
    case 'float':
      return decodeExact(f, code);
    case 'fixed':
      return fixedToExact(f, patternToRaw(f.width, f.signed, code, f.wide));
    case 'int': {
      const v = BigInt(patternToRaw(f.width, f.signed, code, true));
      if (v === 0n) return { kind: 'zero', sign: 0 };
      return { kind: 'finite', sign: v < 0n ? 1 : 0, sig: v < 0n ? -v : v, exp: 0 };
    }
  }
}

function patternToRaw(width: number, signed: boolean, code: number | bigint, big: boolean): number | bigint {
  const p = BigInt(code);
  const W = BigInt(width);
  if (p < 0n || p >= 1n << W) throw new RangeError(`code: must be a ${width}-bit pattern (0..2^${width}-1), got ${code}`);
  const v = signed && p >= 1n << (W - 1n) ? p - (1n << W) : p;
  return big ? v : Number(v);
}

function rawToPattern(width: number, raw: number | bigint, asBig: boolean): number | bigint {
  let r = BigInt(raw);
  if (r < 0n) r += 1n << BigInt(width);
  return asBig ? r : Number(r);
}

/** A rounded value: its code in the target format, its exact value, and the flags of the rounding. */
interface Rounded {
  code: number | bigint;
  value: ExactValue;
  flags: number;
}

/** Rounds an exact value into a format (float: ctx; fixed: the format's modes; int: wrap or saturate). */
function roundInto(f: AnySpec, x: ExactValue, ctx: Context, index: number, intOverflow: 'wrap' | 'saturate' = 'wrap'): Rounded {
  switch (f.kind) {
    case 'float': {
      const r = fromExact(f, x, ctx, index);
      return { code: r.code, value: decodeExact(f, r.code), flags: r.flags };
    }
    case 'fixed': {
      const r = fixedFromExact(f, x, ctx, index);
      return { code: rawToPattern(f.width, r.raw, f.wide), value: fixedToExact(f, r.raw), flags: r.flags };
    }
    case 'int': {
      // Integers: the exact value must be an integer (products and sums of integers are).
      if (x.kind === 'nan' || x.kind === 'inf') throw new RangeError('int accumulator: a NaN or infinite value has no integer');
      let v = x.kind === 'zero' ? 0n : (x.sign ? -x.sig : x.sig) << BigInt(Math.max(0, x.exp));
      if (x.kind === 'finite' && x.exp < 0) throw new RangeError('int accumulator: a fractional value needs a fixed-point accumulator');
      const W = BigInt(f.width);
      const lo = f.signed ? -(1n << (W - 1n)) : 0n;
      const hi = f.signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n;
      let flags = 0;
      if (v < lo || v > hi) {
        flags = Flag.overflow;
        if (intOverflow === 'saturate') v = v < lo ? lo : hi;
        else {
          v = ((v % (1n << W)) + (1n << W)) % (1n << W);
          if (f.signed && v > hi) v -= 1n << W;
        }
      }
      const value: ExactValue = v === 0n ? { kind: 'zero', sign: 0 } : { kind: 'finite', sign: v < 0n ? 1 : 0, sig: v < 0n ? -v : v, exp: 0 };
      return { code: rawToPattern(f.width, v, f.width > 53), value, flags };
    }
  }
}

function isZero(x: ExactValue): boolean {
  return x.kind === 'zero';
}

function sameValue(x: ExactValue, y: ExactValue): boolean {
  if (x.kind !== y.kind) return false;
  if (x.kind === 'finite' && y.kind === 'finite') return x.sign === y.sign && x.sig === y.sig && x.exp === y.exp;
  return x.kind !== 'nan' && x.sign === (y as { sign: number }).sign;
}

/**
 * One accumulator register: holds an exact value (the value of its current code) and adds into it with
 * one rounding, counting statistics.
 */
class Register {
  value: ExactValue;
  code: number | bigint | undefined;
  constructor(
    readonly spec: AccumulatorSpec,
    readonly stats: MacStats,
    init: ExactValue,
    private flagsRef: { flags: number },
  ) {
    this.value = init;
    this.code = undefined;
  }

  /** acc = round(acc + x), one rounding (exact accumulators: no rounding). */
  add(x: ExactValue, index: number): void {
    let sum: ExactValue;
    if (this.value.kind === 'nan' || x.kind === 'nan') sum = NAN;
    else {
      const s = exactAdd(this.value, x, false, accCtx(this.spec).rounding);
      if (s === INVALID) {
        this.flagsRef.flags |= Flag.invalid; // ∞ - ∞
        sum = NAN;
      } else sum = s;
    }
    this.set(sum, index, !isZero(x));
  }

  /** acc = round(x): loads a value (the initial c, or a chunk result) with one rounding. */
  set(x: ExactValue, index: number, countSwamp = false): void {
    if (this.spec.kind === 'exact') {
      this.value = x;
      return;
    }
    const before = this.value;
    const r = roundInto(this.spec.format, x, accCtx(this.spec), index, this.spec.kind === 'int' ? this.spec.overflow : 'wrap');
    this.record(r.flags);
    if (countSwamp && sameValue(r.value, before) && !sameValue(x, before)) this.stats.swamped++;
    this.value = r.value;
    this.code = r.code;
  }

  private record(flags: number): void {
    this.flagsRef.flags |= flags;
    countRounding(this.stats, flags, this.spec.kind !== 'exact' && saturates(this.spec.format, this.spec.kind === 'int' ? this.spec.overflow : 'wrap'));
  }
}

/**
 * Builds a dot unit from a MAC spec. Stochastic rounding draws element index `indexBase·K·4 + j` for the
 * j-th rounding of a call (j counts every rounding in the documented order), so a dot product's bits
 * depend only on (seed, stream, indexBase, its inputs).
 *
 * @example
 * ```ts
 * const u = macUnit({ a: catalog.e5m2, b: catalog.e5m2, product: { kind: 'exact' }, fused: true,
 *   acc: { kind: 'float', format: catalog.ibm_fp16_169 }, summation: { kind: 'chunked', chunk: 64,
 *   inner: { kind: 'float', format: catalog.ibm_fp16_169 } } });
 * u.dot([0x3c, 0x40], [0x3c, 0x3c], 0).code; // 1·1 + 2·1 = 3 in (1,6,9)
 * ```
 */
export function macUnit(
  spec: MacSpec,
  meta: { name?: string; description?: string; source?: string; k?: number; generalOnly?: boolean } = {},
): DotUnit & { spec: MacSpec; plan: FastPlan | null } {
  validateMacSpec(spec);
  // A fast path when the spec has a covered shape (src/accum/fast-plan.ts); it gives up on any dot
  // product it cannot do exactly, and the general engine recomputes that one.
  const plan = meta.generalOnly ? null : fastPlan(spec);
  const out = spec.output?.format ?? (spec.acc.kind === 'exact' ? undefined : spec.acc.format);
  const cFormat: AnySpec = spec.acc.kind === 'exact' ? (spec.output!.format as AnySpec) : spec.acc.format;
  return {
    spec,
    plan,
    name: meta.name ?? spec.name ?? 'custom',
    description: meta.description ?? 'a MAC unit built from a spec',
    source: meta.source ?? 'user spec',
    a: spec.a,
    b: spec.b,
    c: cFormat,
    out: out!,
    k: meta.k,
    dot: (a, b, c, indexBase = 0) => (plan && fastDot(plan, a, b, c, indexBase)) || runDot(spec, a, b, c, indexBase),
  } as DotUnit & { spec: MacSpec; plan: FastPlan | null };
}

/** The j-th stochastic index of the dot product with base `indexBase` and K products. */
function sIndex(indexBase: number, K: number, j: number): number {
  return indexBase * (4 * K + 4) + j;
}

function runDot(spec: MacSpec, a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>, c: number | bigint, indexBase: number): DotResult {
  const K = a.length;
  if (b.length !== K) throw new RangeError(`b: length ${b.length} differs from a's length ${K}`);
  const stats = emptyStats();
  const fl = { flags: 0 };
  let j = 0; // rounding counter for stochastic indices
  const next = () => sIndex(indexBase, K, j++);
  // 1. Products, exact, then rounded as the spec says (separate units round into the accumulator's format).
  const products: ExactValue[] = new Array(K);
  for (let i = 0; i < K; i++) {
    const x = codeToExact(spec.a, a[i]!);
    const y = codeToExact(spec.b, b[i]!);
    let p: ExactValue;
    if (x.kind === 'nan' || y.kind === 'nan') {
      if ((x.kind === 'nan' && !x.quiet) || (y.kind === 'nan' && !y.quiet)) fl.flags |= Flag.invalid;
      p = NAN;
    } else {
      const m = exactMul(x, y);
      if (m === INVALID) fl.flags |= Flag.invalid; // 0 · ∞
      p = m === INVALID ? NAN : m;
    }
    if (spec.product.kind === 'round') {
      const r = roundInto(spec.product.format, p, spec.product.ctx ?? DEFAULT_CONTEXT, next());
      fl.flags |= r.flags;
      countRounding(stats, r.flags, saturates(spec.product.format));
      p = r.value;
    } else if (!spec.fused && spec.acc.kind === 'float') {
      const r = roundInto(spec.acc.format, p, accCtx(spec.acc), next());
      fl.flags |= r.flags;
      countRounding(stats, r.flags, saturates(spec.acc.format));
      p = r.value;
    }
    products[i] = p;
    stats.macs++;
  }
  // 2. The summation structure.
  const cValue = codeToExact(spec.acc.kind === 'exact' ? spec.output!.format : spec.acc.format, c);
  const acc = new Register(spec.acc, stats, cValue, fl);
  const sum = spec.summation;
  if (sum.kind === 'sequential') {
    for (let i = 0; i < K; i++) acc.add(products[i]!, next());
  } else if (sum.kind === 'chunked') {
    for (let start = 0; start < K; start += sum.chunk) {
      const inner = new Register(sum.inner, stats, { kind: 'zero', sign: 0 }, fl);
      for (let i = start; i < Math.min(K, start + sum.chunk); i++) inner.add(products[i]!, next());
      acc.add(inner.value, next());
    }
  } else {
    // Tree: each node adds fanIn children exactly and rounds once into the accumulator's format.
    let level = products;
    while (level.length > 1) {
      const up: ExactValue[] = [];
      for (let g = 0; g < level.length; g += sum.fanIn) {
        const node = new Register(spec.acc, stats, { kind: 'zero', sign: 0 }, fl);
        let exact: ExactValue = { kind: 'zero', sign: 0 };
        for (let i = g; i < Math.min(level.length, g + sum.fanIn); i++) {
          const v = level[i]!;
          if (exact.kind === 'nan' || v.kind === 'nan') exact = NAN;
          else {
            const s = exactAdd(exact, v, false, accCtx(spec.acc).rounding);
            if (s === INVALID) fl.flags |= Flag.invalid;
            exact = s === INVALID ? NAN : s;
          }
        }
        node.set(exact, next());
        up.push(node.value);
      }
      level = up;
    }
    if (level.length === 1) acc.add(level[0]!, next());
  }
  // 3. Output conversion.
  let code: number | bigint;
  if (spec.output) {
    const r = roundInto(spec.output.format, acc.value, spec.output.ctx ?? DEFAULT_CONTEXT, next());
    fl.flags |= r.flags;
    countRounding(stats, r.flags, saturates(spec.output.format));
    code = r.code;
  } else {
    // The accumulator's own code (its initial c if nothing was added).
    code = acc.code ?? roundInto(cFormatOf(spec), acc.value, accCtx(spec.acc), next()).code;
  }
  return { code, flags: fl.flags, stats };
}

function cFormatOf(spec: MacSpec): AnySpec {
  return spec.acc.kind === 'exact' ? spec.output!.format : spec.acc.format;
}
