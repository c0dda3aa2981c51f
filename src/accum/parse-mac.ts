/**
 * A text grammar for custom MAC units (`bitexact eval dot --mac SPEC`), documented in
 * `docs/mac-model.md`:
 *
 *   spec    := field ( ',' field )*
 *   field   := 'a=' FORMAT | 'b=' FORMAT | 'ab=' FORMAT
 *            | 'prod=exact' | 'prod=' FLOAT [':' MODE]
 *            | 'acc=exact' | 'acc=' FORMAT [':' MODE] | 'acc=' INT ':' ('wrap' | 'sat')
 *            | 'sum=seq' | 'sum=tree' N | 'sum=chunk' N [':' FORMAT [':' MODE]]
 *            | 'out=' FORMAT [':' MODE]
 *            | 'fused' | 'separate' | 'sr-bits=' N | 'seed=' N
 *
 * FORMAT is any format name of the grammar in `docs/formats.md` (fixed-point names containing commas
 * must use the general form, e.g. `s16.12:RND_CONV:SAT`); MODE is a rounding mode (default rne).
 * Defaults: prod=exact, fused, sum=seq, acc = the output format if only out= is given.
 */
import { parseFormat } from '../formats/parse.js';
import { context, ROUNDING_MODES, type Context, type RoundingMode } from '../round/modes.js';
import { validateMacSpec, type AccumulatorSpec, type MacSpec, type Summation } from './mac-spec.js';
import type { AnySpec } from './types.js';

function fmt(text: string, field: string): AnySpec {
  const p = parseFormat(text);
  if (p.kind === 'int') return p;
  return p.spec;
}

function mode(text: string | undefined, field: string): RoundingMode {
  const m = (text ?? 'rne') as RoundingMode;
  if (!ROUNDING_MODES.includes(m)) throw new RangeError(`mac spec ${field}: unknown rounding mode ${JSON.stringify(text)}; allowed: ${ROUNDING_MODES.join(', ')}`);
  return m;
}

/**
 * FORMAT[:SUFFIX]: the whole text if it is a format name (fixed-point general names contain colons),
 * else the part before the last colon, with the suffix after it.
 */
function formatAnd(text: string, field: string): [AnySpec, string | undefined] {
  try {
    return [fmt(text, field), undefined];
  } catch (e) {
    const i = text.lastIndexOf(':');
    if (i < 0) throw e;
    return [fmt(text.slice(0, i), field), text.slice(i + 1)];
  }
}

function accOf(text: string, field: string, ctxFor: (m: RoundingMode) => Context): AccumulatorSpec {
  if (text === 'exact') return { kind: 'exact' };
  const [f, suffix] = formatAnd(text, field);
  if (f.kind === 'int') {
    const o = suffix;
    if (o !== 'wrap' && o !== 'sat') throw new RangeError(`mac spec ${field}: an integer accumulator needs :wrap or :sat, got ${JSON.stringify(text)}`);
    return { kind: 'int', format: f, overflow: o === 'sat' ? 'saturate' : 'wrap' };
  }
  if (f.kind === 'fixed') return { kind: 'fixed', format: f, ctx: ctxFor('rne') };
  return { kind: 'float', format: f, ctx: ctxFor(mode(suffix, field)) };
}

/**
 * Parses a MAC spec string; a RangeError names the bad field.
 *
 * @example
 * ```ts
 * parseMacSpec('ab=e5m2,acc=ibm_fp16_169,sum=chunk64').summation; // => { kind: 'chunked', chunk: 64, inner: … }
 * parseMacSpec('ab=i8,acc=i32:sat').acc.kind; // => "int"
 * ```
 */
export function parseMacSpec(text: string): MacSpec {
  let a: AnySpec | undefined;
  let b: AnySpec | undefined;
  let accText: string | undefined;
  let prodText = 'exact';
  let sumText = 'seq';
  let outText: string | undefined;
  let fused = true;
  let srBits = 8;
  let seed = 0;
  for (const raw of text.split(',')) {
    const field = raw.trim();
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = eq < 0 ? '' : field.slice(eq + 1);
    switch (key) {
      case 'a':
        a = fmt(val, 'a');
        break;
      case 'b':
        b = fmt(val, 'b');
        break;
      case 'ab':
        a = b = fmt(val, 'ab');
        break;
      case 'prod':
        prodText = val;
        break;
      case 'acc':
        accText = val;
        break;
      case 'sum':
        sumText = val;
        break;
      case 'out':
        outText = val;
        break;
      case 'fused':
        fused = true;
        break;
      case 'separate':
        fused = false;
        break;
      case 'sr-bits':
        srBits = Number(val);
        break;
      case 'seed':
        seed = Number(val);
        break;
      default:
        throw new RangeError(`mac spec: unknown field ${JSON.stringify(field)}; allowed: a=, b=, ab=, prod=, acc=, sum=, out=, fused, separate, sr-bits=, seed=`);
    }
  }
  if (!a || !b) throw new RangeError('mac spec: the operand formats are missing; give ab=F or a=F,b=F');
  const ctxFor = (m: RoundingMode) => context({ rounding: m, srBits, seed });
  if (accText === undefined) {
    if (!outText) throw new RangeError('mac spec: give acc=F (the accumulator) or out=F');
    accText = outText;
    outText = undefined;
  }
  const acc = accOf(accText, 'acc', ctxFor);
  let product: MacSpec['product'] = { kind: 'exact' };
  if (prodText !== 'exact') {
    const [pf, m] = formatAnd(prodText, 'prod');
    if (pf.kind !== 'float') throw new RangeError(`mac spec prod: products round into a float format, got ${JSON.stringify(prodText)}`);
    product = { kind: 'round', format: pf, ctx: ctxFor(mode(m, 'prod')) };
  }
  let summation: Summation;
  let mm: RegExpExecArray | null;
  if (sumText === 'seq') summation = { kind: 'sequential' };
  else if ((mm = /^tree(\d+)$/.exec(sumText))) summation = { kind: 'tree', fanIn: Number(mm[1]) };
  else if ((mm = /^chunk(\d+)(?::(.+))?$/.exec(sumText))) {
    summation = { kind: 'chunked', chunk: Number(mm[1]), inner: mm[2] ? accOf(mm[2], 'sum', ctxFor) : acc };
  } else throw new RangeError(`mac spec sum: must be seq, tree<N> or chunk<N>[:FORMAT[:MODE]], got ${JSON.stringify(sumText)}`);
  let output: MacSpec['output'];
  if (outText) {
    const [of, m] = formatAnd(outText, 'out');
    output = { format: of, ctx: ctxFor(mode(m, 'out')) };
  }
  return validateMacSpec({ name: text, a, b, product, fused, acc, summation, ...(output ? { output } : {}) });
}
