/**
 * Berkeley TestFloat's vector format, for our formats: function names (`f16_add`, `f16_mulAdd`,
 * `f32_to_f16`, `f16_to_i32`, `i32_to_f16`, `f16_eq`, `bf16_…`, `f64_…`, and the same with any of our
 * float formats: `e4m3fn_add`, `e5m2_to_f16`), reading and checking `testfloat_gen` lines against our
 * operations, decoding mismatches for humans, and a generator of TestFloat-style cases for any float
 * format. No Node-only API: the caller reads and writes the lines.
 *
 * Line format (one case per line; `docs/vectors.md`): operands in hex, then the expected result in
 * hex (`0`/`1` for comparisons), then the flags byte in two hex digits — bit 0 inexact, 1 underflow,
 * 2 overflow, 3 divide-by-zero, 4 invalid. Hex is upper case and as wide as the format (⌈W/4⌉ digits).
 */
import { catalog } from '../formats/catalog.js';
import type { ExactValue } from '../formats/exact.js';
import type { FloatSpec } from '../formats/float.js';
import { parseFormat, type IntFormat } from '../formats/parse.js';
import { Flag, formatFlags } from '../flags.js';
import { compare, convert, decodeExact, div, fma, fromInt, mul, sqrt, sub, add, toInt } from '../ops/float/index.js';
import { context, type Context, type RoundingMode, type Tininess } from '../round/modes.js';
import { srBits } from '../round/random.js';

// ---------------------------------------------------------------------------------------------
// Types and function names

/** An operand or result type of a TestFloat function: one of our float formats, or an integer. */
export type TfType = { readonly kind: 'float'; readonly spec: FloatSpec } | IntFormat;

/** The operations of TestFloat that we implement (`to` is a conversion). */
export type TfOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'mulAdd'
  | 'sqrt'
  | 'eq'
  | 'lt'
  | 'le'
  | 'eq_signaling'
  | 'le_quiet'
  | 'lt_quiet'
  | 'to';

/** A resolved TestFloat function. */
export interface TfFunction {
  /** Canonical name, e.g. `f16_mulAdd`, `e4m3fn_add`, `f16_to_i32`. */
  readonly name: string;
  readonly op: TfOp;
  readonly operands: readonly TfType[];
  /** The result type, or `bool` for comparisons. */
  readonly result: TfType | 'bool';
  /** The rounding mode matters (false for comparisons). */
  readonly rounds: boolean;
  /** The result is a float that can underflow: the tininess rule matters. */
  readonly tininess: boolean;
  /** A float → integer conversion: TestFloat's `-exact` / `-notexact` apply. */
  readonly exactOption: boolean;
  /** TestFloat's `_r_minMag` conversions round toward zero whatever the mode. */
  readonly forcedRounding?: RoundingMode;
}

const ARITH: Readonly<Record<string, { op: TfOp; arity: number }>> = {
  add: { op: 'add', arity: 2 },
  sub: { op: 'sub', arity: 2 },
  mul: { op: 'mul', arity: 2 },
  div: { op: 'div', arity: 2 },
  mulAdd: { op: 'mulAdd', arity: 3 },
  fma: { op: 'mulAdd', arity: 3 },
  sqrt: { op: 'sqrt', arity: 1 },
  eq: { op: 'eq', arity: 2 },
  lt: { op: 'lt', arity: 2 },
  le: { op: 'le', arity: 2 },
  eq_signaling: { op: 'eq_signaling', arity: 2 },
  le_quiet: { op: 'le_quiet', arity: 2 },
  lt_quiet: { op: 'lt_quiet', arity: 2 },
};

/** The operation names accepted after a format prefix (and alone, with a default format). */
export const TESTFLOAT_OPS: readonly string[] = Object.keys(ARITH);

const COMPARISONS = new Set<TfOp>(['eq', 'lt', 'le', 'eq_signaling', 'le_quiet', 'lt_quiet']);

/**
 * TestFloat's name for a type (`f16`, `bf16`, `f32`, `f64`, `i32`, `ui32`, ...), or our format's name.
 *
 * @example
 * ```ts
 * typeName({ kind: 'float', spec: catalog.fp16 }); // => "f16"
 * typeName({ kind: 'float', spec: catalog.e4m3fn }); // => "e4m3fn"
 * ```
 */
export function typeName(t: TfType | 'bool'): string {
  if (t === 'bool') return 'bool';
  if (t.kind === 'int') return t.name;
  const s = t.spec;
  if (s === catalog.fp16) return 'f16';
  if (s === catalog.fp32) return 'f32';
  if (s === catalog.fp64) return 'f64';
  if (s === catalog.bf16) return 'bf16';
  return s.name;
}

/** Width in hex digits of a value of this type (1 for bool). */
export function hexDigits(t: TfType | 'bool'): number {
  return t === 'bool' ? 1 : Math.ceil((t.kind === 'int' ? t.width : t.spec.width) / 4);
}

function parseType(text: string, fnName: string): TfType {
  let p;
  try {
    p = parseFormat(text);
  } catch (e) {
    throw new RangeError(`function ${JSON.stringify(fnName)}: ${(e as Error).message}`);
  }
  if (p.kind === 'fixed') {
    throw new RangeError(`function ${JSON.stringify(fnName)}: ${text} is a fixed-point format; TestFloat functions take float and integer types`);
  }
  return p.kind === 'int' ? p : { kind: 'float', spec: p.spec };
}

/**
 * Resolves a TestFloat function name: `<type>_<op>` (op: add sub mul div mulAdd sqrt eq lt le
 * eq_signaling le_quiet lt_quiet; `fma` is accepted for mulAdd), `<type>_to_<type>` and
 * `<type>_to_<int>_r_minMag`, where a type is a TestFloat prefix (f16 bf16 f32 f64 i32 ui32 i64 ui64)
 * or any float format name we accept. A bare op (`add`) takes `defaultFormat`. Throws a `RangeError`
 * naming what is wrong and listing the accepted forms.
 *
 * @example
 * ```ts
 * parseTestFloatFunction('f16_mulAdd').operands.length; // => 3
 * parseTestFloatFunction('f32_to_f16').result; // => { kind: 'float', spec: catalog.fp16 }
 * parseTestFloatFunction('add', catalog.e4m3fn).name; // => "e4m3fn_add"
 * ```
 */
export function parseTestFloatFunction(text: string, defaultFormat?: FloatSpec): TfFunction {
  const name = text.trim();
  const usage =
    `accepted: <type>_<op> with op one of ${TESTFLOAT_OPS.join(', ')}; <type>_to_<type>; <type>_to_<int>_r_minMag; ` +
    'or a bare op with a format; a type is f16, bf16, f32, f64, i32, ui32, i64, ui64 or any float format name';
  // 1. A bare operation with a default format.
  const bare = ARITH[name];
  if (bare) {
    if (!defaultFormat) throw new RangeError(`function ${JSON.stringify(name)}: a bare operation needs a format (--format F), or write it as f16_${name}`);
    return arithmetic({ kind: 'float', spec: defaultFormat }, bare.op, bare.arity);
  }
  // 2. Conversions.
  const to = name.indexOf('_to_');
  if (to > 0) {
    let rest = name.slice(to + 4);
    let forcedRounding: RoundingMode | undefined;
    if (rest.endsWith('_r_minMag')) {
      rest = rest.slice(0, -'_r_minMag'.length);
      forcedRounding = 'rtz';
    }
    const a = parseType(name.slice(0, to), name);
    const b = parseType(rest, name);
    if (a.kind === 'int' && b.kind === 'int') {
      throw new RangeError(`function ${JSON.stringify(name)}: integer to integer conversions are not TestFloat functions; ${usage}`);
    }
    if (forcedRounding && b.kind !== 'int') {
      throw new RangeError(`function ${JSON.stringify(name)}: _r_minMag applies to conversions to integers only`);
    }
    return {
      name: `${typeName(a)}_to_${typeName(b)}${forcedRounding ? '_r_minMag' : ''}`,
      op: 'to',
      operands: [a],
      result: b,
      rounds: true,
      tininess: b.kind === 'float',
      exactOption: a.kind === 'float' && b.kind === 'int',
      ...(forcedRounding ? { forcedRounding } : {}),
    };
  }
  // 3. <type>_<op>, the longest op suffix first (eq_signaling before eq).
  const ops = [...TESTFLOAT_OPS].sort((x, y) => y.length - x.length);
  for (const op of ops) {
    if (name.length > op.length + 1 && name.endsWith('_' + op)) {
      const t = parseType(name.slice(0, name.length - op.length - 1), name);
      if (t.kind !== 'float') throw new RangeError(`function ${JSON.stringify(name)}: ${op} needs a float type, got ${t.name}`);
      const a = ARITH[op]!;
      return arithmetic(t, a.op, a.arity);
    }
  }
  throw new RangeError(`function ${JSON.stringify(name)}: unknown; ${usage}`);
}

function arithmetic(t: TfType & { kind: 'float' }, op: TfOp, arity: number): TfFunction {
  const cmp = COMPARISONS.has(op);
  return {
    name: `${typeName(t)}_${op}`,
    op,
    operands: Array.from({ length: arity }, () => t),
    result: cmp ? 'bool' : t,
    rounds: !cmp,
    tininess: !cmp,
    exactOption: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Evaluating one case

/** A code of a type: a float code (`number`, or `bigint` for formats wider than 53 bits), or an integer's bit pattern (`bigint`). */
export type TfCode = number | bigint;

/** One case: operands, expected (or computed) result and flags. */
export interface TfCase {
  readonly operands: readonly TfCode[];
  /** The result code; 0 or 1 for comparisons. */
  readonly result: TfCode;
  readonly flags: number;
}

/** What a check or a generator needs besides the function: mode, tininess, exactness, SR source. */
export interface TfSettings {
  readonly rounding?: RoundingMode;
  readonly tininess?: Tininess;
  /** TestFloat's `-exact`: float → integer conversions raise inexact. Default false. */
  readonly exact?: boolean;
  /** Random bits of stochastic rounding (default 8). */
  readonly srBits?: number;
  /** Seed of stochastic rounding's random source (default 0). */
  readonly seed?: number;
}

function settingsContext(fn: TfFunction, s: TfSettings): Context {
  return context({
    rounding: fn.forcedRounding ?? s.rounding ?? 'rne',
    tininess: s.tininess ?? 'after',
    srBits: s.srBits ?? 8,
    seed: (s.seed ?? 0) >>> 0,
  });
}

function isNaNCode(spec: FloatSpec, c: TfCode): { nan: boolean; signaling: boolean } {
  const x = decodeExact(spec, c);
  return x.kind === 'nan' ? { nan: true, signaling: !x.quiet } : { nan: false, signaling: false };
}

function signedValue(t: IntFormat, pattern: bigint): bigint {
  return t.signed && pattern >> BigInt(t.width - 1) === 1n ? pattern - (1n << BigInt(t.width)) : pattern;
}

/**
 * Computes one case with our operations. `index` is the stochastic-rounding element index (the
 * 0-based line number in the CLI and the tests).
 *
 * @example
 * ```ts
 * evaluate(parseTestFloatFunction('f16_mulAdd'), [0xbef8, 0x0890, 0x0000], context()); // => { result: 0x8bf3, flags: 1 }
 * ```
 */
export function evaluate(fn: TfFunction, ops: readonly TfCode[], ctx: Context, exact = false, index = 0): { result: TfCode; flags: number } {
  const t0 = fn.operands[0]!;
  if (fn.op === 'to') {
    const r = fn.result as TfType;
    if (t0.kind === 'float' && r.kind === 'float') {
      const o = convert(t0.spec, r.spec, ops[0]!, ctx, index);
      return { result: o.code, flags: o.flags };
    }
    if (t0.kind === 'float' && r.kind === 'int') {
      const o = toInt(t0.spec, ops[0]!, { width: r.width, signed: r.signed, exact }, ctx, index);
      return { result: o.code, flags: o.flags };
    }
    if (t0.kind === 'int' && r.kind === 'float') {
      const o = fromInt(r.spec, signedValue(t0, BigInt(ops[0]!)), ctx, index);
      return { result: o.code, flags: o.flags };
    }
    throw new RangeError(`function ${fn.name}: unsupported conversion`);
  }
  if (t0.kind !== 'float') throw new RangeError(`function ${fn.name}: needs float operands`);
  const s = t0.spec;
  const [a, b, c] = ops as [TfCode, TfCode, TfCode];
  let o: { code: TfCode; flags: number };
  switch (fn.op) {
    case 'add':
      o = add(s, a, b, ctx, index);
      break;
    case 'sub':
      o = sub(s, a, b, ctx, index);
      break;
    case 'mul':
      o = mul(s, a, b, ctx, index);
      break;
    case 'div':
      o = div(s, a, b, ctx, index);
      break;
    case 'mulAdd':
      o = fma(s, a, b, c, ctx, index);
      break;
    case 'sqrt':
      o = sqrt(s, a, ctx, index);
      break;
    case 'eq':
    case 'lt':
    case 'le': {
      const r = compare(s, fn.op, a, b);
      return { result: r.value ? 1 : 0, flags: r.flags };
    }
    case 'eq_signaling':
    case 'le_quiet':
    case 'lt_quiet': {
      const base = fn.op === 'eq_signaling' ? 'eq' : fn.op === 'le_quiet' ? 'le' : 'lt';
      const r = compare(s, base, a, b);
      const x = isNaNCode(s, a);
      const y = isNaNCode(s, b);
      let flags = r.flags;
      if (x.nan || y.nan) {
        const invalid = fn.op === 'eq_signaling' || x.signaling || y.signaling;
        flags = invalid ? Flag.invalid : 0;
      }
      return { result: r.value ? 1 : 0, flags };
    }
    default:
      throw new RangeError(`function ${fn.name}: unsupported operation ${fn.op}`);
  }
  return { result: o.code, flags: o.flags };
}

// ---------------------------------------------------------------------------------------------
// Lines

/** Formats a code as upper-case hex, `digits` wide. */
export function toHex(v: TfCode, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** One line in TestFloat's format: operands, result, flags. */
export function formatCase(fn: TfFunction, c: TfCase): string {
  const parts = fn.operands.map((t, i) => toHex(c.operands[i]!, hexDigits(t)));
  parts.push(fn.result === 'bool' ? String(Number(c.result)) : toHex(c.result, hexDigits(fn.result)));
  parts.push(toHex(c.flags, 2));
  return parts.join(' ');
}

/** Parses one hex token as a code of a type, or returns an error message. */
export function parseCode(t: TfType | 'bool', token: string, what: string): TfCode | string {
  if (t === 'bool') {
    if (token === '0' || token === '1') return Number(token);
    return `${what}: expected 0 or 1, got ${JSON.stringify(token)}`;
  }
  const width = t.kind === 'int' ? t.width : t.spec.width;
  const tn = typeName(t);
  if (!/^[0-9A-Fa-f]+$/.test(token)) return `${what}: ${JSON.stringify(token)} is not hexadecimal (a ${width}-bit ${tn} code)`;
  const v = BigInt('0x' + token);
  if (v >> BigInt(width) !== 0n) return `${what}: ${token} does not fit in ${width} bits (${tn})`;
  if (t.kind === 'int' || t.spec.wide) return v;
  return Number(v);
}

/** A line read: a case, a line to skip (blank or `#` comment), or an error message. */
export type TfParsed = { readonly kind: 'case'; readonly case: TfCase } | { readonly kind: 'skip' } | { readonly kind: 'error'; readonly message: string };

const NAMES = ['A', 'B', 'C'];

/**
 * Reads one `testfloat_gen` line (`A [B [C]] Z FL`). Blank lines and `#` comments are skipped.
 *
 * @example
 * ```ts
 * parseLine(parseTestFloatFunction('f16_add'), '3C00 3C00 4000 00'); // => { kind: 'case', case: { operands: [0x3c00, 0x3c00], result: 0x4000, flags: 0 } }
 * parseLine(parseTestFloatFunction('f16_add'), '3C00 4000 00').kind; // => "error"
 * ```
 */
export function parseLine(fn: TfFunction, line: string): TfParsed {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return { kind: 'skip' };
  const tokens = t.split(/\s+/);
  const n = fn.operands.length;
  if (tokens.length !== n + 2) {
    const shape = [...NAMES.slice(0, n), fn.result === 'bool' ? 'R' : 'Z', 'FL'].join(' ');
    return { kind: 'error', message: `expected ${n + 2} fields (${shape}) for ${fn.name}, got ${tokens.length}` };
  }
  const operands: TfCode[] = [];
  for (let i = 0; i < n; i++) {
    const v = parseCode(fn.operands[i]!, tokens[i]!, `operand ${NAMES[i]}`);
    if (typeof v === 'string') return { kind: 'error', message: v };
    operands.push(v);
  }
  const r = parseCode(fn.result, tokens[n]!, 'result');
  if (typeof r === 'string') return { kind: 'error', message: r };
  const fl = tokens[n + 1]!;
  if (!/^[0-9A-Fa-f]{1,2}$/.test(fl) || parseInt(fl, 16) > 0x1f) {
    return { kind: 'error', message: `flags: expected two hex digits 00..1F, got ${JSON.stringify(fl)}` };
  }
  return { kind: 'case', case: { operands, result: r, flags: parseInt(fl, 16) } };
}

// ---------------------------------------------------------------------------------------------
// Decoding codes for humans

/**
 * An exact value in decimal: exact when it has at most 21 significant digits (every value of a
 * format of ≤ 16 bits), else `2^k` for a power of two, else the shortest binary64 repr prefixed with `~`. Specials: `0`, `-0`,
 * `inf`, `-inf`, `qNaN`, `-sNaN`.
 *
 * @example
 * ```ts
 * formatExactValue({ kind: 'finite', sign: 0, sig: 1n, exp: -24 }); // => "5.9604644775390625e-8"
 * formatExactValue({ kind: 'finite', sign: 1, sig: 3n, exp: -1 }); // => "-1.5"
 * ```
 */
export function formatExactValue(x: ExactValue): string {
  const sg = x.sign ? '-' : '';
  switch (x.kind) {
    case 'zero':
      return sg + '0';
    case 'inf':
      return sg + 'inf';
    case 'nan':
      return sg + (x.quiet ? 'qNaN' : 'sNaN');
    case 'finite':
      return sg + decimal(x.sig, x.exp);
  }
}

function decimal(sig: bigint, exp: number): string {
  // value = digits · 10^-scale, exactly.
  let digits = exp >= 0 ? (sig << BigInt(exp)).toString() : (sig * 5n ** BigInt(-exp)).toString();
  let scale = exp >= 0 ? 0 : -exp;
  let end = digits.length;
  while (end > 1 && digits[end - 1] === '0') end--;
  scale -= digits.length - end;
  digits = digits.slice(0, end);
  if (digits.length > 21) return sig === 1n ? `2^${exp}` : '~' + String(Number(`${digits}e${-scale}`));
  const e10 = digits.length - 1 - scale; // exponent of the leading digit
  if (e10 >= -6 && e10 < 21) {
    if (scale <= 0) return digits + '0'.repeat(-scale);
    if (scale >= digits.length) return '0.' + '0'.repeat(scale - digits.length) + digits;
    return digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mant}e${e10 >= 0 ? '+' : ''}${e10}`;
}

/** The class of a float code, with the names used in tables and reports. */
export type CodeClass = 'zero' | 'subnormal' | 'normal' | 'inf' | 'qNaN' | 'sNaN' | 'NaN' | 'zero (flushed subnormal)';

/** A float code decoded for humans. */
export interface CodeDescription {
  /** Upper-case hex, ⌈W/4⌉ digits. */
  readonly hex: string;
  /** The fields in binary separated by spaces: sign, exponent, fraction (absent fields omitted). */
  readonly fields: string;
  /** The exact value in decimal ({@link formatExactValue}). */
  readonly value: string;
  readonly cls: CodeClass;
}

/**
 * Decodes a float code: hex, binary fields, exact value, class.
 *
 * @example
 * ```ts
 * describeFloatCode(catalog.fp16, 0x0001); // => { hex: '0001', fields: '0 00000 0000000001', value: '5.9604644775390625e-8', cls: 'subnormal' }
 * describeFloatCode(catalog.e4m3fn, 0x7f).cls; // => "NaN"
 * ```
 */
export function describeFloatCode(s: FloatSpec, code: TfCode): CodeDescription {
  const c = BigInt(code);
  const m = BigInt(s.manBits);
  const M = c & ((1n << m) - 1n);
  const E = (c >> m) & ((1n << BigInt(s.expBits)) - 1n);
  const parts: string[] = [];
  if (s.signed) parts.push(String((c >> BigInt(s.width - 1)) & 1n));
  if (s.expBits > 0) parts.push(E.toString(2).padStart(s.expBits, '0'));
  if (s.manBits > 0) parts.push(M.toString(2).padStart(s.manBits, '0'));
  const x = decodeExact(s, code);
  let cls: CodeClass;
  switch (x.kind) {
    case 'nan':
      cls = s.specials === 'ieee' ? (x.quiet ? 'qNaN' : 'sNaN') : 'NaN';
      break;
    case 'inf':
      cls = 'inf';
      break;
    case 'zero':
      cls = M !== 0n && E < BigInt(s.eminField) ? 'zero (flushed subnormal)' : 'zero';
      break;
    case 'finite':
      cls = E < BigInt(s.eminField) ? 'subnormal' : 'normal';
      break;
  }
  const value = x.kind === 'nan' && s.specials !== 'ieee' ? (x.sign ? '-NaN' : 'NaN') : formatExactValue(x);
  return { hex: toHex(code, Math.ceil(s.width / 4)), fields: parts.join(' '), value, cls };
}

/** One value of a type decoded on one line: `3C00  0 01111 0000000000  1 (normal)`. */
export function describeCode(t: TfType | 'bool', code: TfCode): string {
  if (t === 'bool') return `${Number(code)}  (${Number(code) ? 'true' : 'false'})`;
  if (t.kind === 'int') {
    const p = BigInt(code);
    return `${toHex(p, hexDigits(t))}  ${t.name} ${signedValue(t, p)}`;
  }
  const d = describeFloatCode(t.spec, code);
  return `${d.hex}  ${d.fields}  ${d.value} (${d.cls})`;
}

/** Names the flags of a mask: `01 inexact`, `00 none`. */
export function describeFlags(flags: number): string {
  return `${toHex(flags, 2)} ${formatFlags(flags)}`;
}

/**
 * A mismatch decoded for humans: every operand, the expected and the computed result with fields,
 * value and flags by name, and which flags are missing or extra.
 */
export function describeMismatch(
  fn: TfFunction,
  c: TfCase,
  got: { result: TfCode; flags: number },
  lineNo: number,
  settings: TfSettings = {},
): string {
  const mode = fn.forcedRounding ?? settings.rounding ?? 'rne';
  const head = [`line ${lineNo}: ${fn.name}`];
  if (fn.rounds) head.push(`rounding ${mode}`);
  if (fn.tininess) head.push(`tininess ${settings.tininess ?? 'after'}`);
  if (fn.exactOption) head.push(settings.exact ? 'exact' : 'notexact');
  const out = [head.join(', ')];
  fn.operands.forEach((t, i) => out.push(`  ${NAMES[i]}         ${describeCode(t, c.operands[i]!)}`));
  out.push(`  expected  ${describeCode(fn.result, c.result)}   flags ${describeFlags(c.flags)}`);
  out.push(`  got       ${describeCode(fn.result, got.result)}   flags ${describeFlags(got.flags)}`);
  const what: string[] = [];
  if (BigInt(got.result) !== BigInt(c.result)) what.push('result differs');
  const missing = c.flags & ~got.flags;
  const extra = got.flags & ~c.flags;
  if (missing) what.push(`missing ${formatFlags(missing)}`);
  if (extra) what.push(`extra ${formatFlags(extra)}`);
  out.push(`  (${what.join('; ')})`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Checking lines

/** The outcome of checking one line. */
export type TfCheck =
  | { readonly status: 'skip' }
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly report: string; readonly case: TfCase; readonly got: { result: TfCode; flags: number } }
  | { readonly status: 'malformed'; readonly report: string };

/**
 * Checks `testfloat_gen` lines one at a time against our operations, counting passes, failures and
 * malformed lines (which count as failures: never a silent stop). The stochastic-rounding index of a
 * case is its 0-based position among the case lines (blank lines and `#` comments do not count; a
 * malformed line does, so that it shifts nothing), as
 * {@link generateCases} numbers them.
 *
 * @example
 * ```ts
 * const ck = new TestFloatChecker(parseTestFloatFunction('f16_add'), { rounding: 'rne' });
 * ck.check('3C00 3C00 4000 00', 1).status; // => "pass"
 * ck.summary(); // => "1 passed, 0 failed"
 * ```
 */
export class TestFloatChecker {
  passed = 0;
  failed = 0;
  malformed = 0;
  /** Case lines seen so far (the next case's stochastic-rounding index). */
  private cases = 0;
  private readonly ctx: Context;

  constructor(
    readonly fn: TfFunction,
    readonly settings: TfSettings = {},
  ) {
    this.ctx = settingsContext(fn, settings);
  }

  /** Checks one line; `lineNo` is 1-based (it names the line in reports). */
  check(line: string, lineNo: number): TfCheck {
    const p = parseLine(this.fn, line);
    if (p.kind === 'skip') return { status: 'skip' };
    const index = this.cases++;
    if (p.kind === 'error') {
      this.malformed++;
      return { status: 'malformed', report: `line ${lineNo}: malformed: ${p.message}: ${JSON.stringify(line.trim())}` };
    }
    const c = p.case;
    let got: { result: TfCode; flags: number };
    try {
      got = evaluate(this.fn, c.operands, this.ctx, this.settings.exact ?? false, index);
    } catch (e) {
      this.failed++;
      return { status: 'malformed', report: `line ${lineNo}: error: ${(e as Error).message}` };
    }
    if (BigInt(got.result) === BigInt(c.result) && got.flags === c.flags) {
      this.passed++;
      return { status: 'pass' };
    }
    this.failed++;
    return { status: 'fail', report: describeMismatch(this.fn, c, got, lineNo, this.settings), case: c, got };
  }

  /** `N passed, N failed` (malformed lines count as failed). */
  summary(): string {
    return `${this.passed} passed, ${this.failed + this.malformed} failed`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generating cases

/**
 * The generator's version, written in `--header` lines. Bump it when the case selection changes.
 * 2: the stochastic-rounding generator behind the random cases changed (`docs/rounding.md`).
 */
export const GENERATOR_VERSION = 2;

/** Generator options. */
export interface TfGenOptions extends TfSettings {
  /** 1 (default): a quick systematic sweep; 2: a larger one (exhaustive for small code spaces). */
  readonly level?: 1 | 2;
  /** Number of lines; default the size of the level's systematic sweep. Fewer: an evenly spread subset; more: seeded random cases follow. */
  readonly count?: number;
}

/** A counter-based random source (the stochastic-rounding hash, stream 0x7e57f10a + k). */
class Rng {
  constructor(
    private readonly seed: number,
    private readonly stream: number,
    private i = 0,
  ) {}
  u32(): number {
    return srBits(this.seed, this.stream, this.i++);
  }
  /** Uniform integer in [0, n) for n ≤ 2^32. */
  below(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  bits(n: number): bigint {
    let v = 0n;
    for (let k = 0; k < n; k += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(n)) - 1n);
  }
}

const STREAM_SET = 0x7e57f10a;
const STREAM_TUPLE = 0x7e57f10b;
const STREAM_PAD = 0x7e57f10c;
/** Least number of cases of a one-operand sweep, by level (padded with seeded random operands). */
const UNARY_MIN = [0, 2000, 20000] as const;

function toCode(spec: FloatSpec, v: bigint): TfCode {
  return spec.wide ? v : Number(v);
}

/** Evenly spread positions 0..m-1 (all when m ≤ 16). */
function spreadBits(m: number, level: number): number[] {
  const k = level >= 2 ? 16 : 4;
  if (m <= k) return Array.from({ length: m }, (_, i) => i);
  const out = new Set<number>();
  for (let j = 0; j < k; j++) out.add(Math.round((j * (m - 1)) / (k - 1)));
  return [...out];
}

/**
 * The systematic operand set of a float format (codes in a fixed order, no repeats): interesting
 * biased exponents (0 for zeros and subnormals, the smallest normal ones, around 2^0, the largest
 * finite ones, the special top field, plus `extraExps` given unbiased) × fraction patterns (all zeros,
 * all ones, single bits, all ones but one bit, seeded random ones) × both signs.
 */
export function floatOperandSet(
  spec: FloatSpec,
  level: 1 | 2,
  seed: number,
  extraExps: readonly number[] = [],
  extraPats: readonly bigint[] = [],
): TfCode[] {
  const rng = new Rng(seed >>> 0, STREAM_SET);
  const top = spec.expFieldMax;
  const b = spec.bias;
  const exps = new Set<number>();
  const addE = (E: number): void => {
    if (Number.isInteger(E) && E >= 0 && E <= top) exps.add(E);
  };
  [0, 1, 2, b - 1, b, b + 1, top - 1, top].forEach(addE);
  if (spec.eminField === 0) addE(0);
  for (const x of extraExps) addE(x + b);
  if (level >= 2) {
    [3, b - 3, b - 2, b + 2, b + 3, top - 2, top - 3, Math.floor(b / 2), Math.floor((b + top) / 2)].forEach(addE);
    if (spec.expBits <= 4) for (let E = 0; E <= top; E++) addE(E);
    for (const x of extraExps) [-1, 1].forEach((d) => addE(x + b + d));
  }
  const m = spec.manBits;
  const ones = (1n << BigInt(m)) - 1n;
  const pats = new Set<bigint>();
  const addP = (p: bigint): void => {
    if (p >= 0n && p <= ones) pats.add(p);
  };
  addP(0n);
  if (m > 0) {
    [ones, 1n, 1n << BigInt(m - 1), ones - 1n].forEach(addP);
    for (const p of extraPats) addP(p);
    addP(rng.bits(m));
    if (level >= 2) {
      for (const i of spreadBits(m, 2)) addP(1n << BigInt(i));
      addP(ones ^ (1n << BigInt(m - 1)));
      addP(ones ^ 1n);
      addP((1n << BigInt(m - 1)) | 1n);
      for (let k = 0; k < 3; k++) addP(rng.bits(m));
      if (m <= 4) for (let p = 0n; p <= ones; p++) addP(p);
    }
  }
  const signs = spec.signed ? [0n, 1n] : [0n];
  const out: TfCode[] = [];
  const seen = new Set<bigint>();
  const sortedE = [...exps].sort((x, y) => x - y);
  for (const E of sortedE) {
    for (const p of pats) {
      for (const s of signs) {
        const c = (s << BigInt(spec.width - 1)) | (BigInt(E) << BigInt(m)) | p;
        if (!seen.has(c)) {
          seen.add(c);
          out.push(toCode(spec, c));
        }
      }
    }
  }
  return out;
}

/** Every code of a format (for small code spaces). */
function allCodes(spec: FloatSpec): TfCode[] {
  const n = 2 ** spec.width;
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The systematic operand set of an integer type: 0, ±1, ±2, ±3, the extremes and their neighbours,
 * ±2^k and ±2^k ± 1 (a spread of k at level 1, every k at level 2), `extra` values, and seeded random
 * values of random bit lengths. Returned as bit patterns.
 */
export function intOperandSet(t: IntFormat, level: 1 | 2, seed: number, extra: readonly bigint[] = []): bigint[] {
  const rng = new Rng(seed >>> 0, STREAM_SET + 1);
  const W = t.width;
  const lo = t.signed ? -(1n << BigInt(W - 1)) : 0n;
  const hi = t.signed ? (1n << BigInt(W - 1)) - 1n : (1n << BigInt(W)) - 1n;
  const vals: bigint[] = [0n, 1n, -1n, 2n, -2n, 3n, -3n, hi, hi - 1n, lo, lo + 1n, ...extra];
  const ks = level >= 2 ? Array.from({ length: W }, (_, i) => i) : spreadBits(W, 1).concat([Math.floor(W / 2), W - 2]);
  for (const k of ks) {
    const p = 1n << BigInt(k);
    vals.push(p, p - 1n, p + 1n, -p, -p + 1n, -p - 1n);
  }
  const nRandom = level >= 2 ? 32 : 8;
  for (let i = 0; i < nRandom; i++) vals.push(randomInt(rng, t));
  const out: bigint[] = [];
  const seen = new Set<bigint>();
  for (const v of vals) {
    if (v < lo || v > hi) continue;
    const p = v < 0n ? v + (1n << BigInt(W)) : v;
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  }
  return out;
}

function randomInt(rng: Rng, t: IntFormat): bigint {
  const len = 1 + rng.below(t.signed ? t.width - 1 : t.width);
  let v = rng.bits(len) | (1n << BigInt(len - 1));
  if (t.signed && rng.below(2) === 1) v = -v;
  return v;
}

function randomCode(rng: Rng, t: TfType, set: readonly TfCode[]): TfCode {
  if (rng.below(4) === 0) return set[rng.below(set.length)]!;
  if (t.kind === 'int') {
    const v = randomInt(rng, t);
    return v < 0n ? v + (1n << BigInt(t.width)) : v;
  }
  return toCode(t.spec, rng.bits(t.spec.width));
}

/** The operand set for operand `i` of a function at a level (conversions add the target's boundaries). */
function operandSet(fn: TfFunction, level: 1 | 2, seed: number, unaryBoost: boolean): TfCode[] {
  const t = fn.operands[0]!;
  const r = fn.result;
  if (t.kind === 'int') {
    const extra: bigint[] = [];
    if (r !== 'bool' && r.kind === 'float' && Number.isFinite(r.spec.maxFinite) && r.spec.maxFinite < 2 ** 63) {
      // Integers around the target's largest finite value and its overflow threshold.
      const max = BigInt(r.spec.maxFinite);
      const halfUlp = r.spec.emax - r.spec.manBits - 1 >= 0 ? 1n << BigInt(r.spec.emax - r.spec.manBits - 1) : 0n;
      for (const v of [max, max + halfUlp]) extra.push(v - 1n, v, v + 1n, -v - 1n, -v, -v + 1n);
    }
    return intOperandSet(t, level, seed, extra);
  }
  const s = t.spec;
  const extraExps: number[] = [];
  const extraPats: bigint[] = [];
  if (fn.op === 'to' && r !== 'bool') {
    if (r.kind === 'float') {
      const g = r.spec;
      extraExps.push(g.emin - 1, g.emin, g.emin - g.manBits, g.emin - g.manBits - 1, g.emax, g.emax + 1);
      const d = s.manBits - g.manBits;
      if (d >= 1) {
        const half = 1n << BigInt(d - 1);
        extraPats.push(half, half | (1n << BigInt(d)), half | 1n, (1n << BigInt(d)) | half | 1n);
      }
    } else {
      extraExps.push(-2, -1, 0, 1, r.width - 2, r.width - 1, r.width);
    }
  }
  if (unaryBoost) {
    // One operand: exhaustive for small code spaces, else the level-2 set.
    if (level >= 2 && s.width <= 16) return allCodes(s);
    return floatOperandSet(s, 2, seed, extraExps, extraPats);
  }
  if (level >= 2 && s.width <= 8 && fn.operands.length === 2) return allCodes(s);
  return floatOperandSet(s, level, seed, extraExps, extraPats);
}

/** The systematic sweep: its size and its i-th operand tuple. */
interface Sweep {
  readonly count: number;
  at(i: number): TfCode[];
  readonly set: readonly TfCode[];
}

function sweep(fn: TfFunction, level: 1 | 2, seed: number): Sweep {
  const arity = fn.operands.length;
  if (arity === 1) {
    // One operand: the level-2 set (exhaustive when the code space is at most the level's minimum
    // count, or at level 2 for ≤ 16 bits), padded with seeded random operands to the minimum count.
    const t = fn.operands[0]!;
    const min = UNARY_MIN[level];
    if (t.kind === 'float' && 2 ** t.spec.width <= min) {
      const set = allCodes(t.spec);
      return { count: set.length, at: (i) => [set[i]!], set };
    }
    const set = operandSet(fn, level, seed, true);
    const count = Math.max(set.length, min);
    return { count, at: (i) => [i < set.length ? set[i]! : randomCode(new Rng(seed, STREAM_PAD, i * 8), t, set)], set };
  }
  if (arity === 2) {
    const set = operandSet(fn, level, seed, false);
    const n = set.length;
    return { count: n * n, at: (i) => [set[Math.floor(i / n)]!, set[i % n]!], set };
  }
  // Three operands (mulAdd): every pair (a, b) of the level-1 set, with c chosen K ways: a rotation
  // through the set, and the negated product -round(a·b) (massive cancellation); level 2 adds two
  // more rotations and the negated product's neighbours (one code up and down).
  const t = fn.operands[0] as TfType & { kind: 'float' };
  const s = t.spec;
  const set = floatOperandSet(s, 1, seed);
  const n = set.length;
  const K = level >= 2 ? 6 : 2;
  const signBit = s.signed ? 1n << BigInt(s.width - 1) : 0n;
  const maxCode = (1n << BigInt(s.width)) - 1n;
  return {
    count: n * n * K,
    set,
    at(i) {
      const p = Math.floor(i / K);
      const j = i % K;
      const ia = Math.floor(p / n);
      const ib = p % n;
      const a = set[ia]!;
      const b = set[ib]!;
      let c: TfCode;
      if (j === 0) c = set[(ia + ib) % n]!;
      else if (j === 2) c = set[(3 * ia + 5 * ib + 1) % n]!;
      else if (j === 5) c = set[(ia + 2 * ib + 7) % n]!;
      else {
        let v = BigInt(mul(s, a, b).code) ^ signBit;
        if (j === 3 && v < maxCode) v += 1n;
        if (j === 4 && v > 0n) v -= 1n;
        c = toCode(s, v);
      }
      return [a, b, c];
    },
  };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * `count` distinct indices of [0, total), spread evenly and in increasing order: the multiples of a
 * golden-ratio stride modulo `total`, sorted. (Evenly spaced indices would alias with the product
 * structure of the sweep: every pick could share one second operand.)
 */
function spreadIndices(total: number, count: number): number[] {
  let step = Math.max(1, Math.round(total * 0.6180339887498949));
  while (gcd(step, total) !== 1) step++;
  const out = new Array<number>(count);
  for (let j = 0; j < count; j++) out[j] = (j * step) % total;
  return out.sort((x, y) => x - y);
}

/**
 * The number of lines of the systematic sweep of a function at a level (the default count).
 *
 * @example
 * ```ts
 * systematicCount(parseTestFloatFunction('e2m1fn_add'), 2); // => 256 (every pair of the 16 codes)
 * ```
 */
export function systematicCount(fn: TfFunction, level: 1 | 2 = 1, seed = 0): number {
  return sweep(fn, level, seed).count;
}

/**
 * Generates TestFloat-style cases for a function, with the expected results and flags computed by
 * our operations: the level's systematic sweep (an evenly spread subset, in sweep order, when `count` is
 * smaller), then seeded
 * random cases when `count` is larger. Deterministic for a seed. The stochastic-rounding index of a
 * case is its 0-based position.
 *
 * @example
 * ```ts
 * const fn = parseTestFloatFunction('f16_add');
 * [...generateCases(fn, { count: 2 })].map((c) => formatCase(fn, c)); // => ["0000 0000 0000 00", ...]
 * ```
 */
export function* generateCases(fn: TfFunction, opts: TfGenOptions = {}): Generator<TfCase> {
  const level = opts.level ?? 1;
  if (level !== 1 && level !== 2) throw new RangeError(`level: must be 1 or 2, got ${String(level)}`);
  const seed = (opts.seed ?? 0) >>> 0;
  const sw = sweep(fn, level, seed);
  const count = opts.count ?? sw.count;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count: must be a non-negative integer, got ${count}`);
  const ctx = settingsContext(fn, { ...opts, seed });
  const exact = opts.exact ?? false;
  const rng = new Rng(seed, STREAM_TUPLE);
  const picks = count < sw.count ? spreadIndices(sw.count, count) : undefined;
  for (let k = 0; k < count; k++) {
    let ops: TfCode[];
    if (picks) ops = sw.at(picks[k]!);
    else if (k < sw.count) ops = sw.at(k);
    else ops = fn.operands.map((t) => randomCode(rng, t, sw.set));
    const r = evaluate(fn, ops, ctx, exact, k);
    yield { operands: ops, result: r.result, flags: r.flags };
  }
}

/**
 * The optional header line of generated vectors: a `#` comment naming the function, the operand and
 * result formats, the mode, tininess, exactness, level, seed, count and generator version.
 *
 * @example
 * ```ts
 * testFloatHeader(parseTestFloatFunction('f16_add'), { rounding: 'rne', count: 10 });
 * // => "# bitexact testfloat-gen v2 function=f16_add operands=fp16,fp16 result=fp16 rounding=rne tininess=after level=1 seed=0 count=10"
 * ```
 */
export function testFloatHeader(fn: TfFunction, opts: TfGenOptions & { count: number }): string {
  const fmt = (t: TfType | 'bool'): string => (t === 'bool' ? 'bool' : t.kind === 'int' ? t.name : t.spec.name);
  const parts = [`# bitexact testfloat-gen v${GENERATOR_VERSION}`, `function=${fn.name}`];
  parts.push(`operands=${fn.operands.map(fmt).join(',')}`, `result=${fmt(fn.result)}`);
  const mode = fn.forcedRounding ?? opts.rounding ?? 'rne';
  if (fn.rounds) parts.push(`rounding=${mode}`);
  if (mode === 'sr' && fn.rounds) parts.push(`sr-bits=${opts.srBits ?? 8}`);
  if (fn.tininess) parts.push(`tininess=${opts.tininess ?? 'after'}`);
  if (fn.exactOption) parts.push(`exact=${opts.exact ? 'yes' : 'no'}`);
  parts.push(`level=${opts.level ?? 1}`, `seed=${(opts.seed ?? 0) >>> 0}`, `count=${opts.count}`);
  return parts.join(' ');
}

/**
 * Reads the `key=value` fields of a header line written by {@link testFloatHeader}; undefined if the
 * line is not one.
 */
export function parseTestFloatHeader(line: string): Record<string, string> | undefined {
  const t = line.trim();
  if (!t.startsWith('# bitexact testfloat-gen')) return undefined;
  const out: Record<string, string> = {};
  for (const tok of t.split(/\s+/)) {
    const eq = tok.indexOf('=');
    if (eq > 0) out[tok.slice(0, eq)] = tok.slice(eq + 1);
  }
  return out;
}
