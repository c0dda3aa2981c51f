/**
 * `bitexact eval <op>`: one case per stdin line (operands as hex codes of their formats), one
 * `<result hex> <flags hex>` line per case. See docs/cli.md.
 */
import { Argument, type Command } from 'commander';
import type { ExactValue } from '../formats/exact.js';
import type { FixedRaw, FixedSpec } from '../formats/fixed.js';
import type { FloatSpec } from '../formats/float.js';
import type { IntFormat, ParsedFormat } from '../formats/parse.js';
import { Flag } from '../flags.js';
import { add, compare, convert, decodeExact, div, fma, fromExact, fromInt, mul, sqrt, sub, toInt } from '../ops/float/index.js';
import { fixedAdd, fixedConvert, fixedFromExact, fixedMul, fixedSub, fixedToExact } from '../ops/fixed/index.js';
import type { Context, RoundingMode } from '../round/modes.js';
import { toHex } from '../vectors/testfloat.js';
import {
  EXIT,
  FORMATS_HELP,
  UsageError,
  Writer,
  contextFrom,
  formatOption,
  quietEpipe,
  roundingOption,
  seedOption,
  srBitsOption,
  stdinLines,
  tininessOption,
  warn,
  type RoundingOpts,
} from './common.js';
import { INVALID, exactAdd, exactCompare, exactMul } from '../formats/exact-arith.js';
import { runDot } from './dot-cmd.js';
import { runMatmul } from './matmul-cmd.js';

/** The operations of `eval`, with their operand counts (`mulAdd` is an alias of `fma`). */
export const EVAL_OPS: Readonly<Record<string, number>> = {
  add: 2,
  sub: 2,
  mul: 2,
  div: 2,
  fma: 3,
  mulAdd: 3,
  sqrt: 1,
  convert: 1,
  eq: 2,
  lt: 2,
  le: 2,
  dot: 0, // K products: its own evaluator (src/cli/dot-cmd.ts)
  matmul: 0, // a whole matrix product per line: its own evaluator (src/cli/matmul-cmd.ts)
};

/** Options of `eval`. */
export interface EvalOptions extends RoundingOpts {
  format?: ParsedFormat;
  a?: ParsedFormat;
  b?: ParsedFormat;
  c?: ParsedFormat;
  to?: ParsedFormat;
  exact?: boolean;
  /** `dot`, `matmul`: the MAC preset or custom spec. */
  mac?: string;
  /** `dot`: the number of products K; `matmul`: the inner dimension K. */
  k?: string;
  /** `matmul`: the rows M of A and of the result. */
  m?: string;
  /** `matmul`: the columns N of B and of the result. */
  n?: string;
}

/** An operand read from a line: its format, its code and its exact value. */
type Operand =
  | { kind: 'float'; spec: FloatSpec; code: number | bigint; x: ExactValue }
  | { kind: 'fixed'; spec: FixedSpec; raw: FixedRaw; x: ExactValue }
  | { kind: 'int'; fmt: IntFormat; value: bigint; x: ExactValue };

/** A result ready to print. */
interface Out {
  text: string;
  flags: number;
}

/** A bad line (reported with its line number; the run goes on). */
class LineError extends Error {}

function widthOf(f: ParsedFormat): number {
  return f.kind === 'int' ? f.width : f.spec.width;
}

function nameOf(f: ParsedFormat): string {
  return f.kind === 'int' ? f.name : f.spec.name;
}

function sameFloat(x: FloatSpec, y: FloatSpec): boolean {
  return (
    x === y ||
    (x.expBits === y.expBits &&
      x.manBits === y.manBits &&
      x.bias === y.bias &&
      x.subnormals === y.subnormals &&
      x.specials === y.specials &&
      x.overflow === y.overflow &&
      x.signed === y.signed)
  );
}

function intExact(v: bigint): ExactValue {
  if (v === 0n) return { kind: 'zero', sign: 0 };
  const sign = v < 0n ? 1 : 0;
  let sig = sign ? -v : v;
  let exp = 0;
  while ((sig & 1n) === 0n) {
    sig >>= 1n;
    exp++;
  }
  return { kind: 'finite', sign, sig, exp };
}

/** Reads one hex token as an operand of format f. */
function readOperand(f: ParsedFormat, token: string, what: string): Operand {
  const t = token.replace(/^0x/i, '');
  const W = widthOf(f);
  if (!/^[0-9A-Fa-f]+$/.test(t)) throw new LineError(`${what}: ${JSON.stringify(token)} is not a hex code of ${nameOf(f)}`);
  const p = BigInt('0x' + t);
  if (p >> BigInt(W) !== 0n) throw new LineError(`${what}: ${token} does not fit in the ${W} bits of ${nameOf(f)}`);
  const signedOf = (signed: boolean): bigint => (signed && p >> BigInt(W - 1) === 1n ? p - (1n << BigInt(W)) : p);
  switch (f.kind) {
    case 'float': {
      const code = f.spec.wide ? p : Number(p);
      return { kind: 'float', spec: f.spec, code, x: decodeExact(f.spec, code) };
    }
    case 'fixed': {
      const v = signedOf(f.spec.signed);
      const raw = f.spec.wide ? v : Number(v);
      return { kind: 'fixed', spec: f.spec, raw, x: fixedToExact(f.spec, raw) };
    }
    case 'int': {
      const v = signedOf(f.signed);
      return { kind: 'int', fmt: f, value: v, x: intExact(v) };
    }
  }
}

function hexOf(f: ParsedFormat, code: number | bigint): string {
  return toHex(code, Math.ceil(widthOf(f) / 4));
}

function fixedPattern(spec: FixedSpec, raw: FixedRaw): bigint {
  const v = BigInt(raw);
  return v < 0n ? v + (1n << BigInt(spec.width)) : v;
}

/** Assigns an exact value to a float or fixed target (one rounding). */
function assign(to: ParsedFormat, x: ExactValue, ctx: Context, index: number): Out {
  if (to.kind === 'float') {
    const r = fromExact(to.spec, x, ctx, index);
    return { text: hexOf(to, r.code), flags: r.flags };
  }
  if (to.kind === 'fixed') {
    const r = fixedFromExact(to.spec, x, ctx, index);
    return { text: hexOf(to, fixedPattern(to.spec, r.raw)), flags: r.flags };
  }
  throw new UsageError('an integer target is supported by convert only');
}

const QUIET_NAN: ExactValue = { kind: 'nan', sign: 1, quiet: true };

/** The default NaN (or what the target has instead) with invalid. */
function invalidOut(to: ParsedFormat, ctx: Context, index: number): Out {
  const r = assign(to, QUIET_NAN, ctx, index);
  return { text: r.text, flags: r.flags | Flag.invalid };
}

/** NaN operands on the exact path: the first NaN, converted to the target; invalid if any is signalling. */
function nanOut(ops: Operand[], to: ParsedFormat, ctx: Context, index: number): Out | undefined {
  const first = ops.find((o) => o.x.kind === 'nan');
  if (!first) return undefined;
  const signaling = ops.some((o) => o.x.kind === 'nan' && !o.x.quiet);
  let out: Out;
  if (first.kind === 'float' && to.kind === 'float') {
    const r = convert(first.spec, to.spec, first.code, ctx, index);
    out = { text: hexOf(to, r.code), flags: r.flags };
  } else out = assign(to, first.x, ctx, index);
  if (signaling) out.flags |= Flag.invalid;
  return out;
}

/** Builds the evaluator of one op for the given formats; throws a UsageError for unsupported combinations. */
export function makeEvaluator(opName: string, o: EvalOptions): { arity: number; run(tokens: string[], index: number): string } {
  const arity = EVAL_OPS[opName];
  if (arity === undefined) throw new UsageError(`op ${JSON.stringify(opName)}: unknown; allowed: ${Object.keys(EVAL_OPS).join(', ')}`);
  const op = opName === 'mulAdd' ? 'fma' : opName;
  const need = (key: 'a' | 'b' | 'c' | 'to'): ParsedFormat => {
    const f = o[key] ?? o.format;
    if (!f) throw new UsageError(`eval ${opName}: no format for ${key === 'to' ? 'the result' : `operand ${key}`}; give --format F or --${key} F`);
    return f;
  };
  const fa = need('a');
  const fb = arity >= 2 ? need('b') : undefined;
  const fc = arity >= 3 ? need('c') : undefined;
  const isCompare = op === 'eq' || op === 'lt' || op === 'le';
  const to = isCompare ? undefined : need('to');
  const inFormats = [fa, fb, fc].filter((f): f is ParsedFormat => f !== undefined);
  const ctx = contextFrom(o);
  const exact = o.exact ?? false;
  const mode: RoundingMode = o.rounding;
  const parse = (tokens: string[]): Operand[] => {
    if (tokens.length !== arity) {
      throw new LineError(`expected ${arity} operand${arity > 1 ? 's' : ''} (${inFormats.map(nameOf).join(' ')}), got ${tokens.length} field${tokens.length === 1 ? '' : 's'}`);
    }
    return tokens.map((t, i) => readOperand(inFormats[i]!, t, `operand ${'abc'[i]}`));
  };
  const line = (r: Out): string => `${r.text} ${toHex(r.flags, 2)}`;

  // 1. Comparisons: one float format → the library's compare; mixed → exact values.
  if (isCompare) {
    const cmp = op as 'eq' | 'lt' | 'le';
    if (fa.kind === 'float' && fb!.kind === 'float' && sameFloat(fa.spec, fb!.spec)) {
      const s = fa.spec;
      return { arity, run: (tk) => { const [x, y] = parse(tk) as [Operand & { kind: 'float' }, Operand & { kind: 'float' }]; const r = compare(s, cmp, x.code, y.code); return line({ text: r.value ? '1' : '0', flags: r.flags }); } };
    }
    return {
      arity,
      run(tk) {
        const [x, y] = parse(tk) as [Operand, Operand];
        if (x.x.kind === 'nan' || y.x.kind === 'nan') {
          const sig = (x.x.kind === 'nan' && !x.x.quiet) || (y.x.kind === 'nan' && !y.x.quiet);
          return line({ text: '0', flags: cmp !== 'eq' || sig ? Flag.invalid : 0 });
        }
        const c = exactCompare(x.x, y.x);
        return line({ text: (cmp === 'eq' ? c === 0 : cmp === 'lt' ? c < 0 : c <= 0) ? '1' : '0', flags: 0 });
      },
    };
  }
  const target = to!;

  // 2. Conversions.
  if (op === 'convert') {
    return { arity, run: (tk, index) => line(convertOne(parse(tk)[0]!, target, ctx, index, exact)) };
  }

  // 3. One float format throughout: the library's float operations.
  const allFloat = [...inFormats, target].every((f) => f.kind === 'float');
  if (allFloat && [...inFormats, target].every((f) => sameFloat((f as { spec: FloatSpec }).spec, (fa as { spec: FloatSpec }).spec))) {
    const s = (fa as { spec: FloatSpec }).spec;
    return {
      arity,
      run(tk, index) {
        const c = (parse(tk) as (Operand & { kind: 'float' })[]).map((x) => x.code);
        let r: { code: number | bigint; flags: number };
        switch (op) {
          case 'add': r = add(s, c[0]!, c[1]!, ctx, index); break;
          case 'sub': r = sub(s, c[0]!, c[1]!, ctx, index); break;
          case 'mul': r = mul(s, c[0]!, c[1]!, ctx, index); break;
          case 'div': r = div(s, c[0]!, c[1]!, ctx, index); break;
          case 'fma': r = fma(s, c[0]!, c[1]!, c[2]!, ctx, index); break;
          default: r = sqrt(s, c[0]!, ctx, index); break;
        }
        return line({ text: hexOf(target, r.code), flags: r.flags });
      },
    };
  }
  if (op === 'div' || op === 'sqrt') {
    throw new UsageError(
      `eval ${op}: operands and result must be one float format (got ${[...inFormats, target].map(nameOf).join(', ')}); ` +
        'mixed formats are supported by add, sub, mul, fma and convert',
    );
  }
  if (target.kind === 'int') {
    throw new UsageError(`eval ${op}: the result format ${target.name} is an integer; integers are supported as operands, and as results of convert only`);
  }

  // 4. Fixed point throughout: ap_fixed's `T r = a op b;`.
  if (target.kind === 'fixed' && inFormats.every((f) => f.kind === 'fixed') && op !== 'fma') {
    const fn = op === 'add' ? fixedAdd : op === 'sub' ? fixedSub : fixedMul;
    return {
      arity,
      run(tk, index) {
        const [x, y] = parse(tk) as [Operand & { kind: 'fixed' }, Operand & { kind: 'fixed' }];
        const r = fn(x.spec, x.raw, y.spec, y.raw, target.spec, ctx, index);
        return line({ text: hexOf(target, fixedPattern(target.spec, r.raw)), flags: r.flags });
      },
    };
  }

  // 5. Mixed formats: the exact result, assigned once to the target.
  return {
    arity,
    run(tk, index) {
      const ops = parse(tk);
      if (op === 'fma') {
        const [a, b] = ops as [Operand, Operand];
        const zeroInf = (p: ExactValue, q: ExactValue): boolean => p.kind === 'zero' && q.kind === 'inf';
        if (zeroInf(a.x, b.x) || zeroInf(b.x, a.x)) return line(invalidOut(target, ctx, index));
      }
      const n = nanOut(ops, target, ctx, index);
      if (n) return line(n);
      let x: ExactValue | typeof INVALID;
      if (op === 'add' || op === 'sub') x = exactAdd(ops[0]!.x, ops[1]!.x, op === 'sub', mode);
      else if (op === 'mul') x = exactMul(ops[0]!.x, ops[1]!.x);
      else {
        const p = exactMul(ops[0]!.x, ops[1]!.x);
        x = p === INVALID ? p : exactAdd(p, ops[2]!.x, false, mode);
      }
      return line(x === INVALID ? invalidOut(target, ctx, index) : assign(target, x, ctx, index));
    },
  };
}

function convertOne(a: Operand, to: ParsedFormat, ctx: Context, index: number, exact: boolean): Out {
  if (to.kind === 'int') {
    if (a.kind !== 'float') {
      throw new UsageError(
        `eval convert: to an integer (${to.name}) needs a float source, got ${a.kind === 'int' ? a.fmt.name : a.spec.name}; ` +
          'for fixed → integer use a fixed target such as s32.0:RND_CONV:SAT',
      );
    }
    const r = toInt(a.spec, a.code, { width: to.width, signed: to.signed, exact }, ctx, index);
    return { text: hexOf(to, r.code), flags: r.flags };
  }
  if (to.kind === 'float') {
    if (a.kind === 'float') {
      const r = convert(a.spec, to.spec, a.code, ctx, index);
      return { text: hexOf(to, r.code), flags: r.flags };
    }
    if (a.kind === 'int') {
      const r = fromInt(to.spec, a.value, ctx, index);
      return { text: hexOf(to, r.code), flags: r.flags };
    }
    return assign(to, a.x, ctx, index);
  }
  if (a.kind === 'fixed') {
    const r = fixedConvert(a.spec, a.raw, to.spec, ctx, index);
    return { text: hexOf(to, fixedPattern(to.spec, r.raw)), flags: r.flags };
  }
  return assign(to, a.x, ctx, index);
}

/** Checks a conversion's formats before reading input (a usage error is reported at once). */
function checkConvert(o: EvalOptions): void {
  const a = o.a ?? o.format;
  const to = o.to ?? o.format;
  if (a && to && to.kind === 'int' && a.kind !== 'float') {
    throw new UsageError(
      `eval convert: to an integer (${to.name}) needs a float source, got ${nameOf(a)}; for fixed → integer use a fixed target such as s${to.width}.0:RND_CONV:SAT`,
    );
  }
}

/** Runs `eval` over stdin; returns the exit status. */
export async function runEval(opName: string, o: EvalOptions): Promise<number> {
  if (opName === 'dot') return runDot(o.mac, o.k);
  if (opName === 'matmul') return runMatmul(o);
  if (opName === 'convert') checkConvert(o);
  const ev = makeEvaluator(opName, o);
  quietEpipe();
  const out = new Writer();
  let bad = 0;
  let index = -1;
  for await (const raw of stdinLines()) {
    index++;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    try {
      await out.line(ev.run(t.split(/\s+/), index));
    } catch (e) {
      if (e instanceof LineError || e instanceof RangeError) {
        bad++;
        await out.flush();
        warn(`line ${index + 1}: ${(e as Error).message}: ${JSON.stringify(t)}`);
      } else throw e;
    }
  }
  await out.flush();
  if (bad > 0) warn(`${bad} malformed line${bad > 1 ? 's' : ''}`);
  return bad > 0 ? EXIT.failed : EXIT.ok;
}

/** Registers `eval` on the program. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .summary('evaluate one operation per stdin line: operands in hex → "<result hex> <flags hex>"')
    .description(
      'Reads one case per line on stdin (operands as hex codes of their formats, separated by spaces) and writes one ' +
        'line per case: "<result hex> <flags hex>" (comparisons: "0" or "1"). Hex is upper case, ceil(W/4) digits. ' +
        'Flags: bit 0 inexact, 1 underflow, 2 overflow, 3 divide-by-zero, 4 invalid. Blank lines and lines starting ' +
        'with # are skipped. A malformed line is reported on stderr with its line number, the other lines are still ' +
        'processed, and the exit status is 1 at the end. With --rounding sr the element index of a case is its ' +
        '0-based line number.\n\n' +
        'Fixed-point operands: add, sub and mul compute the full-precision result and assign it to --to with that ' +
        "format's quantisation and overflow modes (--rounding does not apply). Mixed fixed/float/integer operands go " +
        'through exact values, rounded once into --to.',
    )
    .addArgument(new Argument('<op>', 'the operation').choices(Object.keys(EVAL_OPS)))
    .addOption(formatOption('--format <F>', 'default format of --a, --b, --c and --to'))
    .addOption(formatOption('--a <F>', 'format of operand a'))
    .addOption(formatOption('--b <F>', 'format of operand b'))
    .addOption(formatOption('--c <F>', 'format of operand c (fma)'))
    .addOption(formatOption('--to <F>', 'format of the result'))
    .addOption(roundingOption())
    .addOption(tininessOption())
    .option('--exact', 'float → integer conversions raise inexact (TestFloat -exact)', false)
    .addOption(srBitsOption())
    .addOption(seedOption())
    .option('--mac <NAME>', 'dot, matmul: the MAC preset (see `bitexact macs`) or a custom spec (docs/mac-model.md)')
    .option('--k <K>', 'dot: products per case; each line is "c a_0 … a_{K-1} b_0 … b_{K-1}" in hex. matmul: the inner dimension (columns of A, rows of B)')
    .option('--m <M>', 'matmul: rows of A and of the result; each line is "c_{0,0} … c_{M-1,N-1} a_{0,0} … a_{M-1,K-1} b_{0,0} … b_{K-1,N-1}" in hex, row-major')
    .option('--n <N>', 'matmul: columns of B and of the result')
    .addHelpText(
      'after',
      '\n' +
        FORMATS_HELP +
        '\n\nExamples:\n' +
        '  echo "3C00 3C01" | bitexact eval add --format fp16              # 4000 01\n' +
        '  echo "3FF0000000000001" | bitexact eval convert --a f64 --to fp16 # 3C00 01\n' +
        '  echo "1F 01" | bitexact eval add --format "ap_fixed<8,3>" --to "ap_fixed<6,3,AP_RND,AP_SAT>"\n' +
        '  echo "00000000 FF 01 02 03 01 01 01 01" | bitexact eval dot --mac x86-vpdpbusd --k 4\n' +
        '  echo "00000000 00000000 38 40 3C 40 38 40" | bitexact eval matmul --mac ab=e4m3fn,acc=fp32 --m 1 --k 2 --n 2\n',
    )
    .action(async (op: string, opts: EvalOptions) => {
      process.exitCode = await runEval(op, opts);
    });
}
