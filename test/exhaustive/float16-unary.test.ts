/**
 * Every fp16 and bf16 code: sqrt, conversions to narrower and wider formats, and round trips, against
 * the oracle (results and flags), in every rounding mode (fast level: every code in rne and sr, every
 * 7th code in rtz, rdn and rup; full level: every code in every mode).
 */
import { catalog } from '../../src/formats/catalog.js';
import { convert, decode, encode, sqrt } from '../../src/ops/float/index.js';
import { ROUNDING_MODES, type RoundingMode } from '../../src/round/modes.js';
import { oConvert, oSqrt } from '../oracle/float.js';
import { LEVEL, Mismatches, contexts, hex, toOFormat } from '../support/bridge.js';
import { expect } from 'chai';

const MODES: readonly RoundingMode[] = LEVEL === 'full' ? ROUNDING_MODES : ['rne', 'rtz', 'rdn', 'rup', 'sr'];
/** Fast level: every code in rne and sr, every 7th code in the other modes; full level: every code. */
function strideFor(mode: RoundingMode): number {
  return LEVEL === 'full' || mode === 'rne' || mode === 'sr' ? 1 : 7;
}
const SOURCES = [catalog.fp16, catalog.bf16];

describe('every 16-bit code agrees with the oracle', function () {
  for (const s of SOURCES) {
    const f = toOFormat(s);
    it(`${s.name} sqrt of every code`, function () {
      const mm = new Mismatches();
      for (const mode of MODES) {
        for (let a = 0; a < 65536; a += strideFor(mode)) {
          const { ctx, octx } = contexts(mode, 'after', a);
          const got = sqrt(s, a, ctx, a);
          const want = oSqrt(f, BigInt(a), octx);
          mm.checked++;
          if (BigInt(got.code) !== want.code || got.flags !== want.flags) {
            mm.add(`${mode} sqrt(${hex(a, 16)}): got ${hex(got.code, 16)}/${got.flags}, oracle ${hex(want.code, 16)}/${want.flags}`);
          }
        }
      }
      mm.assertNone(`${s.name} sqrt`);
    });
    const targets = [catalog.e4m3fn, catalog.e5m2, catalog.e2m1fn, catalog.e4m3fnuz, catalog.e8m0fnu, catalog.fp32, s === catalog.fp16 ? catalog.bf16 : catalog.fp16];
    for (const t of targets) {
      it(`converts every ${s.name} code to ${t.name}`, function () {
        const ft = toOFormat(t);
        const mm = new Mismatches();
        for (const mode of MODES) {
          for (let a = 0; a < 65536; a += strideFor(mode)) {
            const { ctx, octx } = contexts(mode, 'after', a);
            const got = convert(s, t, a, ctx, a);
            const want = oConvert(f, ft, BigInt(a), octx);
            mm.checked++;
            if (BigInt(got.code) !== want.code || got.flags !== want.flags) {
              mm.add(`${mode} ${hex(a, 16)}: got ${hex(got.code, t.width)}/${got.flags}, oracle ${hex(want.code, t.width)}/${want.flags}`);
            }
          }
        }
        mm.assertNone(`${s.name} → ${t.name}`);
      });
    }
    it(`round-trips every ${s.name} code through binary64 and through fp32`, function () {
      for (let a = 0; a < 65536; a++) {
        const v = decode(s, a);
        if (Number.isNaN(v)) continue;
        const back = encode(s, v);
        expect(back, `encode(decode(${hex(a, 16)}))`).to.deep.equal({ code: a, flags: 0 });
        const wide = convert(s, catalog.fp32, a);
        expect(wide.flags).to.equal(0);
        expect(convert(catalog.fp32, s, wide.code)).to.deep.equal({ code: a, flags: 0 });
      }
    });
  }
});
