/**
 * `bitexact eval dot --mac NAME --k K` and `bitexact macs`: dot products through a MAC preset.
 * Each stdin line is `c a_0 … a_{K-1} b_0 … b_{K-1}` in hex (a_0 the lowest-addressed element); each
 * output line `<result hex> <flags hex> macs=… inexact=… overflows=… saturations=… swamped=…`.
 * The helpers shared with `eval matmul` (src/cli/matmul-cmd.ts) are exported.
 */
import type { Command } from 'commander';
import { PRESETS, macByName } from '../accum/presets/index.js';
import type { AnySpec, DotUnit, MacStats } from '../accum/types.js';
import { EXIT, UsageError, quietEpipe, stdinLines, warn, Writer } from './common.js';
import { toHex } from '../vectors/testfloat.js';

/** The width of a unit's format in bits. */
export function widthOf(f: AnySpec): number {
  return f.width;
}

/** The bit pattern of a hex token in format f (a number, a BigInt above 53 bits); a RangeError if not hex or too wide. */
export function parseHex(token: string, f: AnySpec, what: string): number | bigint {
  if (!/^[0-9a-fA-F]+$/.test(token)) throw new RangeError(`${what}: ${JSON.stringify(token)} is not hex`);
  const v = BigInt('0x' + token);
  if (v >= 1n << BigInt(widthOf(f))) throw new RangeError(`${what}: ${token} does not fit the ${widthOf(f)}-bit format ${f.name}`);
  return widthOf(f) > 53 ? v : Number(v);
}

/** The statistics as `eval dot` and `eval matmul` print them. */
export function statsText(s: MacStats): string {
  return `macs=${s.macs} inexact=${s.inexact} overflows=${s.overflows} saturations=${s.saturations} swamped=${s.swamped}`;
}

/** The unit of `--mac` (a preset name or a custom spec); a UsageError if missing or unknown. `op` names the command. */
export function unitOption(op: string, mac: string | undefined): DotUnit {
  if (!mac) throw new UsageError(`eval ${op}: --mac NAME is required (see \`bitexact macs\`)`);
  try {
    return macByName(mac);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** K from `--k` (default: the unit's fixed K); a UsageError if missing, not an integer >= 1, or not the unit's K. */
export function kOption(op: string, unit: DotUnit, kText: string | undefined): number {
  if (kText === undefined && unit.k === undefined) throw new UsageError(`eval ${op}: --k K is required: an integer >= 1 (this unit takes any K)`);
  const K = kText === undefined ? unit.k : Number(kText);
  if (K === undefined || !Number.isInteger(K) || K < 1) throw new UsageError(`eval ${op}: --k must be an integer >= 1${unit.k ? '' : ' (this unit takes any K)'}, got ${kText}`);
  if (unit.k !== undefined && K !== unit.k) throw new UsageError(`eval ${op}: ${unit.name} takes K = ${unit.k} products per lane, got --k ${K}`);
  return K;
}

/** Runs `eval dot`; returns the exit status. */
export async function runDot(mac: string | undefined, kText: string | undefined): Promise<number> {
  const unit = unitOption('dot', mac);
  const K = kOption('dot', unit, kText);
  quietEpipe();
  const out = new Writer();
  let bad = 0;
  let index = -1;
  const outDigits = Math.ceil(widthOf(unit.out) / 4);
  for await (const raw of stdinLines()) {
    index++;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    try {
      const tok = t.split(/\s+/);
      if (tok.length !== 1 + 2 * K) throw new RangeError(`expected ${1 + 2 * K} fields (c, ${K} a, ${K} b), got ${tok.length}`);
      const c = parseHex(tok[0]!, unit.c, 'c');
      const a = tok.slice(1, 1 + K).map((x, i) => parseHex(x, unit.a, `a_${i}`));
      const b = tok.slice(1 + K).map((x, i) => parseHex(x, unit.b, `b_${i}`));
      const r = unit.dot(a, b, c, index);
      await out.line(`${toHex(r.code, outDigits)} ${toHex(r.flags, 2)} ${statsText(r.stats)}`);
    } catch (e) {
      if (e instanceof RangeError) {
        bad++;
        await out.flush();
        warn(`line ${index + 1}: ${e.message}: ${JSON.stringify(t)}`);
      } else throw e;
    }
  }
  await out.flush();
  return bad > 0 ? EXIT.failed : EXIT.ok;
}

/** Registers `macs`. */
export function registerMacs(program: Command): void {
  program
    .command('macs')
    .summary('list every MAC preset with a one-line description')
    .action(() => {
      const w = Math.max(...PRESETS.map((p) => p.name.length));
      for (const p of PRESETS) {
        const k = p.k ? ` K=${p.k}` : '';
        console.log(`${p.name.padEnd(w)}  ${p.a.name}×${p.b.name} → ${p.out.name}${k}: ${p.description}`);
      }
    });
}
