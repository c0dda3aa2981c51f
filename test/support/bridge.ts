/**
 * Test-side bridge between the library and the independent oracle: the same format and the same
 * rounding context, described once for each. The oracle itself imports nothing from src/.
 */
import type { FloatSpec } from '../../src/formats/float.js';
import { context, type Context, type RoundingMode } from '../../src/round/modes.js';
import { srUniform } from '../../src/round/random.js';
import type { OCtx, OFormat } from '../oracle/float.js';

/** The oracle's description of a library format (fields only, no derived constants). */
export function toOFormat(s: FloatSpec): OFormat {
  return {
    expBits: s.expBits,
    manBits: s.manBits,
    bias: s.bias,
    subnormals: s.subnormals,
    specials: s.specials,
    overflow: s.overflow,
    signed: s.signed,
  };
}

/** Test level: `fast` in CI by default, `full` with BITEXACT_LEVEL=full. */
export const LEVEL: 'fast' | 'full' = process.env['BITEXACT_LEVEL'] === 'full' ? 'full' : 'fast';

export const SR_BITS = 5;
export const SEED = 0x5eed;

/** The library context and the oracle context for one element (`index` picks the SR random bits). */
export function contexts(mode: RoundingMode, tininess: 'before' | 'after', index: number): { ctx: Context; octx: OCtx } {
  const ctx = context({ rounding: mode, tininess, srBits: SR_BITS, seed: SEED });
  const octx: OCtx = { mode, tininess };
  if (mode === 'sr') {
    octx.srBits = SR_BITS;
    octx.srU = srUniform(SEED, 0, index, SR_BITS);
  }
  return { ctx, octx };
}

export function hex(c: number | bigint, width: number): string {
  return c.toString(16).padStart(Math.ceil(width / 4), '0');
}

/** Collects mismatches and fails with the first few, decoded, at the end. */
export class Mismatches {
  readonly lines: string[] = [];
  count = 0;
  checked = 0;
  add(line: string): void {
    this.count++;
    if (this.lines.length < 12) this.lines.push(line);
  }
  assertNone(what: string): void {
    if (this.count > 0) {
      throw new Error(`${what}: ${this.count} of ${this.checked} cases differ from the oracle; first:\n  ${this.lines.join('\n  ')}`);
    }
  }
}
