/**
 * fma over every pair of codes of every ≤ 8-bit catalog format, with a set of addends: ±0, ±the
 * smallest positive value, ±max, and seeded random codes; every rounding mode (fast level: rne on every
 * pair, sr on every third pair, the other modes on a stride of 7; full level: every pair in every mode),
 * against the oracle. (sr fma on every pair cost CI about 75 s; add, sub, mul and div keep sr on every
 * pair at the fast level, in float8-pairs.)
 */
import { CATALOG } from '../../src/formats/catalog.js';
import { fma, encode, neg } from '../../src/ops/float/index.js';
import { ROUNDING_MODES } from '../../src/round/modes.js';
import { oFma } from '../oracle/float.js';
import { LEVEL, Mismatches, contexts, hex, toOFormat } from '../support/bridge.js';

const FORMATS = CATALOG.map((e) => e.spec).filter((s) => s.width <= 8);

describe('fma over every pair of 8-bit codes agrees with the oracle', function () {
  for (const s of FORMATS) {
    it(`${s.name} fma with zeros, ±min, ±max and random addends`, function () {
      const f = toOFormat(s);
      const n = 2 ** s.width;
      const addends = new Set<number>();
      const push = (c: number | bigint) => addends.add(Number(c));
      push(encode(s, 0).code);
      if (s.hasNegZero) push(encode(s, -0).code);
      const minP = encode(s, s.minPositive).code;
      const maxP = encode(s, s.maxFinite).code;
      push(minP);
      push(maxP);
      if (s.signed) {
        push(neg(s, minP));
        push(neg(s, maxP));
      }
      let x = 12345;
      for (let i = 0; i < 2; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        push(x % n);
      }
      const mm = new Mismatches();
      for (const mode of ROUNDING_MODES) {
        const stride = LEVEL === 'full' || mode === 'rne' ? 1 : mode === 'sr' ? 3 : 7;
        for (const c of addends) {
          for (let i = 0; i < n * n; i += stride) {
            const a = Math.floor(i / n);
            const b = i % n;
            const idx = i * 16 + (c % 16);
            const { ctx, octx } = contexts(mode, 'after', idx);
            const got = fma(s, a, b, c, ctx, idx);
            const want = oFma(f, BigInt(a), BigInt(b), BigInt(c), octx);
            mm.checked++;
            if (BigInt(got.code) !== want.code || got.flags !== want.flags) {
              const w = s.width;
              mm.add(`${mode} fma(${hex(a, w)}, ${hex(b, w)}, ${hex(c, w)}): got ${hex(got.code, w)}/${got.flags}, oracle ${hex(want.code, w)}/${want.flags}`);
            }
          }
        }
      }
      mm.assertNone(`${s.name} fma`);
    });
  }
});
