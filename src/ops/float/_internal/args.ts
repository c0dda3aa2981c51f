/**
 * Resolving a Context for one element: the mode code, the tininess rule and, for stochastic
 * rounding, the random integer U of that element.
 * @internal
 */
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../../../round/modes.js';
import { srUniform } from '../../../round/random.js';
import { FLAGS_SCALE } from '../../../round/_internal/float-round.js';
import type { RoundArgs } from './general.js';

export function roundArgs(ctx: Context | undefined, index: number | undefined): RoundArgs {
  const c = ctx ?? DEFAULT_CONTEXT;
  const mode = modeCode(c.rounding);
  return {
    mode,
    tinyBefore: c.tininess === 'before',
    U: mode === Mode.SR ? srUniform(c.seed, c.stream, index ?? 0, c.srBits) : 0,
    r: c.srBits,
  };
}

/** A result: the code (a bigint for formats wider than 53 bits) and the IEEE flags. */
export interface FloatResult {
  readonly code: number | bigint;
  readonly flags: number;
}

/** Unpacks a fast-path result (code + flags·2^32). */
export function unpackResult(p: number): FloatResult {
  return { code: p % FLAGS_SCALE, flags: Math.floor(p / FLAGS_SCALE) };
}
