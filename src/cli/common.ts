/**
 * Shared pieces of the command line: option parsers that name the bad argument and the allowed
 * values, the usage-error type (exit status 2), a buffered stdout writer and a stdin line reader.
 */
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option } from 'commander';
import { CATALOG } from '../formats/catalog.js';
import { parseFormat, type ParsedFormat } from '../formats/parse.js';
import { ROUNDING_MODES, context, type Context, type RoundingMode, type Tininess } from '../round/modes.js';

/** A usage error: printed as `error: <message>` and the process exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit statuses. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Commander argument parser for a format name. */
export function formatArg(value: string): ParsedFormat {
  try {
    return parseFormat(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** Commander argument parser for an integer in [lo, hi]. */
export function intArg(lo: number, hi: number): (value: string) => number {
  return (value: string) => {
    const t = value.trim();
    const v = /^(0x[0-9a-f]+|\d+)$/i.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`expected an integer in ${lo}..${hi}.`);
    return v;
  };
}

/** `--format F` and friends. */
export function formatOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(formatArg);
}

/** `--rounding M` (default rne). */
export function roundingOption(): Option {
  return new Option('--rounding <M>', 'rounding mode (sr: stochastic, see --sr-bits and --seed)').choices(ROUNDING_MODES).default('rne');
}

/** `--tininess before|after` (default after). */
export function tininessOption(): Option {
  return new Option('--tininess <T>', 'underflow tininess detection').choices(['before', 'after']).default('after');
}

/** `--sr-bits N` (default 8). */
export function srBitsOption(): Option {
  return new Option('--sr-bits <N>', 'random bits of stochastic rounding, 1..32').argParser(intArg(1, 32)).default(8);
}

/** `--seed S` (default 0). */
export function seedOption(what = 'seed of the stochastic-rounding random source'): Option {
  return new Option('--seed <S>', `${what}, 0..4294967295`).argParser(intArg(0, 0xffffffff)).default(0);
}

/** The options every rounding command shares. */
export interface RoundingOpts {
  rounding: RoundingMode;
  tininess: Tininess;
  srBits: number;
  seed: number;
}

/** A Context from the parsed rounding options. */
export function contextFrom(o: RoundingOpts): Context {
  return context({ rounding: o.rounding, tininess: o.tininess, srBits: o.srBits, seed: o.seed });
}

/** Words joined by spaces into lines of at most `width` characters. */
export function wrapWords(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur !== '' && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur === '' ? w : `${cur} ${w}`;
  }
  if (cur !== '') lines.push(cur);
  return lines;
}

/** The help text's list of accepted format names (the grammar is in docs/formats.md). */
export const FORMATS_HELP = [
  'Format names (grammar in docs/formats.md):',
  ...wrapWords(CATALOG.map((e) => e.spec.name), 90).map((l, i) => (i === 0 ? '  catalog      ' : '               ') + l),
  '  TestFloat    f16 bf16 f32 f64 i32 ui32 i64 ui64',
  '  ml_dtypes    bfloat16 float8_e4m3fn float8_e5m2 float8_e4m3fnuz float8_e5m2fnuz float8_e4m3b11fnuz',
  '               float8_e4m3 float8_e3m4 float8_e8m0fnu float6_e3m2fn float6_e2m3fn float4_e2m1fn int4 uint4',
  '  float        e<E>m<M>[fn|fnuz|fnu][[bias=N,nosub,specials=ieee|fn|fnuz|finite,overflow=inf|saturate|nan]]',
  '               ac_std_float<W,E>',
  '  fixed point  ap_fixed<W,I,Q,O,N> ap_ufixed<W,I,Q,O,N> ac_fixed<W,I,S,Q,O> s<W>.<F>[:Q[:O[:N]]] u<W>.<F>[:Q[:O[:N]]]',
  '  integers     i<N> ui<N> u<N> int<N> uint<N> (N <= 64)',
].join('\n');

/** Buffered writes to a stream, honouring back-pressure; EPIPE (a closed pipe, as `| head`) ends quietly. */
export class Writer {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {}

  /** Adds a line (a newline is appended). */
  async line(s: string): Promise<void> {
    this.buf.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }
}

/** Exits quietly when stdout is closed early (`bitexact ... | head`). */
let epipeQuieted = false;
export function quietEpipe(): void {
  if (epipeQuieted) return;
  epipeQuieted = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The lines of standard input, without line terminators (`\n` or `\r\n`). */
export function stdinLines(): AsyncIterable<string> {
  return createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
}

/** Writes to stderr. */
export function warn(message: string): void {
  process.stderr.write(message + '\n');
}
