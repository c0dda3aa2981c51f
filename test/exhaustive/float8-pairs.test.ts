/**
 * Every pair of codes of every catalog format of at most 8 bits, for add, sub, mul and div in every
 * rounding mode, against the independent oracle: results and flags, bit for bit.
 * Fast level (CI): every pair in rne, rtz and sr, a stride through the pairs in the other modes.
 * Full level (BITEXACT_LEVEL=full): every pair in every mode, tininess after and before.
 */
import { CATALOG } from '../../src/formats/catalog.js';
import { add, sub, mul, div } from '../../src/ops/float/index.js';
import { ROUNDING_MODES, type RoundingMode } from '../../src/round/modes.js';
import { oAdd, oSub, oMul, oDiv, type OCtx, type OFormat, type OResult } from '../oracle/float.js';
import { LEVEL, Mismatches, contexts, hex, toOFormat } from '../support/bridge.js';
import type { FloatSpec } from '../../src/formats/float.js';
import type { Context } from '../../src/round/modes.js';

type Lib = (s: FloatSpec, a: number, b: number, ctx: Context, index: number) => { code: number | bigint; flags: number };
type Orc = (f: OFormat, a: bigint, b: bigint, c: OCtx) => OResult;
const OPS: [string, Lib, Orc][] = [
  ['add', add, oAdd],
  ['sub', sub, oSub],
  ['mul', mul, oMul],
  ['div', div, oDiv],
];

const FORMATS = CATALOG.map((e) => e.spec).filter((s) => s.width <= 8);
const FULL_MODES: readonly RoundingMode[] = ['rne', 'rtz', 'sr'];

describe('every pair of 8-bit codes agrees with the oracle', function () {
  for (const s of FORMATS) {
    const f = toOFormat(s);
    const n = 2 ** s.width;
    for (const [name, lib, orc] of OPS) {
      it(`${s.name} ${name} in every rounding mode`, function () {
        const mm = new Mismatches();
        for (const mode of ROUNDING_MODES) {
          const tins: ('after' | 'before')[] = LEVEL === 'full' ? ['after', 'before'] : ['after'];
          const stride = LEVEL === 'full' || FULL_MODES.includes(mode) ? 1 : 7;
          for (const tin of tins) {
            for (let i = 0; i < n * n; i += stride) {
              const a = Math.floor(i / n);
              const b = i % n;
              const { ctx, octx } = contexts(mode, tin, i);
              const got = lib(s, a, b, ctx, i);
              const want = orc(f, BigInt(a), BigInt(b), octx);
              mm.checked++;
              if (BigInt(got.code) !== want.code || got.flags !== want.flags) {
                mm.add(
                  `${mode}/${tin} ${hex(a, s.width)} ${name} ${hex(b, s.width)}: got ${hex(got.code, s.width)} flags ${got.flags}, oracle ${hex(want.code, s.width)} flags ${want.flags}`,
                );
              }
            }
          }
        }
        mm.assertNone(`${s.name} ${name}`);
      });
    }
  }
});
