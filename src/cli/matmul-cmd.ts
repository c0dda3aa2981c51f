/**
 * `bitexact eval matmul --mac NAME --m M --k K --n N`: one whole matrix product C + A·B per stdin line,
 * through a MAC unit (a preset or a custom spec, as `eval dot`).
 *
 * Each line is `c_{0,0} … c_{M-1,N-1} a_{0,0} … a_{M-1,K-1} b_{0,0} … b_{K-1,N-1}`: hex codes, every
 * matrix row-major, in the unit's c, a and b formats. Each output line is the M·N result codes row-major,
 * the flags (OR over all outputs) and the statistics summed over the outputs, as `eval dot` prints them.
 *
 * The product is the library's `matmul(unit, A, B, { c, indexBase })` (src/tensor/kernels.ts): output
 * element i is one `unit.dot` of row m of A and column n of B (i = m·N + n, products in increasing k)
 * with addend c_{m,n}. Case L (the 0-based line number, blank and comment lines counted, as `eval dot`
 * counts them) uses indexBase = L·M·N, so output element i has stochastic index L·M·N + i.
 *
 * Units with a format that is not a float or fixed-point format (the integer presets `x86-vpdp*` and
 * `int8-int32-*`, integer or fp64 accumulators of custom specs) are computed element by element:
 * `unit.dot(row, column, c_{m,n}, L·M·N + i)`, exactly what `matmul` does per element (the library's
 * `matmul` takes integer units too, on fixed-point tensors with no fraction bits; this command keeps
 * their codes as bit patterns instead), so both paths give the same bits, flags and statistics
 * (`test/cli/matmul.test.ts` checks it on tensor-format units, `test/tensor/int-units.test.ts` for
 * matmul on integer units).
 */
import type { AnySpec, DotUnit, MacStats } from '../accum/types.js';
import { addStats, emptyStats } from '../accum/types.js';
import { matmul } from '../tensor/kernels.js';
import { codeArrayCtor, type TensorSpec } from '../tensor/storage.js';
import { tensor } from '../tensor/tensor.js';
import { toHex } from '../vectors/testfloat.js';
import { EXIT, UsageError, quietEpipe, stdinLines, warn, Writer } from './common.js';
import { kOption, parseHex, statsText, unitOption, widthOf } from './dot-cmd.js';

/** The shape of one case: A is M×K, B is K×N, C and the result M×N. */
export interface MatmulDims {
  readonly M: number;
  readonly K: number;
  readonly N: number;
}

/** One case's result: the M·N output bit patterns row-major, the OR of their flags, summed statistics. */
export interface MatmulCaseResult {
  readonly codes: (number | bigint)[];
  readonly flags: number;
  readonly stats: MacStats;
}

/** A tensor format (what `matmul` accepts): a float format of at most 32 bits or a fixed format of at most 52. */
function isTensorFormat(f: AnySpec): f is TensorSpec {
  return (f.kind === 'float' && f.width <= 32) || (f.kind === 'fixed' && f.width <= 52);
}

/** Whether the unit can run through `matmul`: its a, b, c and out formats are all tensor formats. */
export function isTensorUnit(unit: DotUnit): boolean {
  return [unit.a, unit.b, unit.c, unit.out].every(isTensorFormat);
}

/** A tensor's stored code of a bit pattern (fixed point stores the signed raw value). */
function storedOf(f: TensorSpec, pattern: number): number {
  return f.kind === 'fixed' && f.signed && pattern >= 2 ** (f.width - 1) ? pattern - 2 ** f.width : pattern;
}

/** The bit pattern of a tensor's stored code. */
function patternOf(f: TensorSpec, stored: number): number {
  return f.kind === 'fixed' && stored < 0 ? stored + 2 ** f.width : stored;
}

function tensorOf(f: TensorSpec, shape: [number, number], patterns: readonly (number | bigint)[]) {
  const data = new (codeArrayCtor(f))(patterns.length);
  for (let i = 0; i < patterns.length; i++) data[i] = storedOf(f, Number(patterns[i]!));
  return tensor(f, shape, data);
}

/**
 * One matrix product C + A·B (bit patterns, row-major) with stochastic indices indexBase + i.
 * `path` 'matmul' (the default for tensor-format units) runs the library's `matmul`; 'dot' computes
 * every output element with `unit.dot` on its row and column (the default for other units).
 */
export function matmulCase(
  unit: DotUnit,
  dims: MatmulDims,
  c: readonly (number | bigint)[],
  a: readonly (number | bigint)[],
  b: readonly (number | bigint)[],
  indexBase: number,
  path: 'matmul' | 'dot' = isTensorUnit(unit) ? 'matmul' : 'dot',
): MatmulCaseResult {
  const { M, K, N } = dims;
  if (c.length !== M * N || a.length !== M * K || b.length !== K * N) {
    throw new RangeError(`matmulCase: expected ${M * N} c, ${M * K} a and ${K * N} b codes, got ${c.length}, ${a.length} and ${b.length}`);
  }
  if (path === 'matmul') {
    const [fa, fb, fc, fo] = [unit.a, unit.b, unit.c, unit.out] as TensorSpec[];
    const r = matmul(unit, tensorOf(fa!, [M, K], a), tensorOf(fb!, [K, N], b), { c: tensorOf(fc!, [M, N], c), indexBase });
    const codes = Array.from(r.tensor.data, (x) => patternOf(fo!, x));
    return { codes, flags: r.flags, stats: r.stats };
  }
  const codes: (number | bigint)[] = [];
  const stats = emptyStats();
  let flags = 0;
  const row = new Array<number | bigint>(K);
  const col = new Array<number | bigint>(K);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        row[k] = a[m * K + k]!;
        col[k] = b[k * N + n]!;
      }
      const i = m * N + n;
      const r = unit.dot(row, col, c[i]!, indexBase + i);
      codes.push(r.code);
      flags |= r.flags;
      addStats(stats, r.stats);
    }
  }
  return { codes, flags, stats };
}

/** A matrix dimension option: an integer >= 1; a UsageError naming the option otherwise. */
function dimOption(name: string, text: string | undefined): number {
  if (text === undefined) throw new UsageError(`eval matmul: --${name} ${name.toUpperCase()} is required: an integer >= 1`);
  const v = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < 1) throw new UsageError(`eval matmul: --${name} must be an integer >= 1, got ${JSON.stringify(text)}`);
  return v;
}

/** The options of `eval matmul`, as commander gives them. */
export interface MatmulCmdOptions {
  mac?: string;
  m?: string;
  k?: string;
  n?: string;
}

/** Runs `eval matmul`; returns the exit status. */
export async function runMatmul(o: MatmulCmdOptions): Promise<number> {
  const unit = unitOption('matmul', o.mac);
  const M = dimOption('m', o.m);
  const K = kOption('matmul', unit, o.k);
  const N = dimOption('n', o.n);
  const dims = { M, K, N };
  const nc = M * N;
  const na = M * K;
  const nb = K * N;
  const fields = nc + na + nb;
  if (!Number.isSafeInteger(fields)) throw new UsageError(`eval matmul: M·N + M·K + K·N = ${fields} fields per line is too many`);
  const path = isTensorUnit(unit) ? 'matmul' : 'dot';
  quietEpipe();
  const out = new Writer();
  const outDigits = Math.ceil(widthOf(unit.out) / 4);
  let bad = 0;
  let line = -1;
  for await (const raw of stdinLines()) {
    line++;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    let c: (number | bigint)[], a: (number | bigint)[], b: (number | bigint)[];
    try {
      const tok = t.split(/\s+/);
      if (tok.length !== fields) throw new RangeError(`expected ${fields} fields (${nc} c, ${na} a, ${nb} b), got ${tok.length}`);
      c = tok.slice(0, nc).map((x, i) => parseHex(x, unit.c, `c_{${Math.floor(i / N)},${i % N}}`));
      a = tok.slice(nc, nc + na).map((x, i) => parseHex(x, unit.a, `a_{${Math.floor(i / K)},${i % K}}`));
      b = tok.slice(nc + na).map((x, i) => parseHex(x, unit.b, `b_{${Math.floor(i / N)},${i % N}}`));
    } catch (e) {
      if (e instanceof RangeError) {
        bad++;
        await out.flush();
        warn(`line ${line + 1}: ${e.message}: ${JSON.stringify(t)}`);
        continue;
      }
      throw e;
    }
    const r = matmulCase(unit, dims, c, a, b, line * nc, path);
    await out.line(`${r.codes.map((x) => toHex(x, outDigits)).join(' ')} ${toHex(r.flags, 2)} ${statsText(r.stats)}`);
  }
  await out.flush();
  return bad > 0 ? EXIT.failed : EXIT.ok;
}
