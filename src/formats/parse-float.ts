/**
 * Float format names: catalog names and aliases (ml_dtypes, TestFloat), `ac_std_float<W,E>`, and the
 * general form `e<E>m<M>[suffix][[options]]`. The grammar is documented in `docs/formats.md`.
 */
import { catalogFormat } from './catalog.js';
import { floatFormat, type FloatFormatOptions, type FloatSpec, type OverflowPolicy, type Specials } from './float.js';

const GENERAL = /^e(\d+)m(\d+)(fnuz|fnu|fn)?(?:\[([^\]]*)\])?$/i;
const AC_STD_FLOAT = /^ac_std_float\s*<\s*(\d+)\s*,\s*(\d+)\s*>$/i;

/**
 * Parses a float format name; undefined if the text is not a float format name at all, a
 * `RangeError` if it is one with a bad field.
 *
 * @example
 * ```ts
 * parseFloatFormat('float8_e4m3fn')!.maxFinite; // => 448
 * parseFloatFormat('ac_std_float<16,5>')!.name; // => "ac_std_float<16,5>" (IEEE binary16 layout)
 * parseFloatFormat('e4m3[bias=11,specials=fnuz]')!.maxFinite; // => 30
 * parseFloatFormat('e6m9[nosub,overflow=saturate]')!.subnormals; // => false
 * ```
 */
export function parseFloatFormat(text: string): FloatSpec | undefined {
  const t = text.trim();
  const cat = catalogFormat(t);
  if (cat) return cat;
  let m = AC_STD_FLOAT.exec(t);
  if (m) {
    const W = Number(m[1]);
    const E = Number(m[2]);
    if (W - E - 1 < 1) throw new RangeError(`ac_std_float<W,E>: W must exceed E + 1 (W=${W}, E=${E})`);
    return floatFormat({ expBits: E, manBits: W - E - 1, name: `ac_std_float<${W},${E}>` });
  }
  m = GENERAL.exec(t);
  if (!m) return undefined;
  const o: { -readonly [K in keyof FloatFormatOptions]: FloatFormatOptions[K] } = {
    expBits: Number(m[1]),
    manBits: Number(m[2]),
  };
  const suffix = (m[3] ?? '').toLowerCase();
  if (suffix === 'fn') o.specials = 'fn';
  else if (suffix === 'fnuz') o.specials = 'fnuz';
  else if (suffix === 'fnu') {
    o.specials = 'fn';
    o.signed = false;
    o.subnormals = false;
  }
  for (const raw of (m[4] ?? '').split(',')) {
    const opt = raw.trim();
    if (opt === '') continue;
    const [k, v] = opt.split('=').map((x) => x.trim()) as [string, string | undefined];
    switch (k.toLowerCase()) {
      case 'bias':
        if (v === undefined || !/^-?\d+$/.test(v)) throw new RangeError(`format ${t}: bias needs an integer, as bias=11`);
        o.bias = Number(v);
        break;
      case 'nosub':
        o.subnormals = false;
        break;
      case 'sub':
        o.subnormals = true;
        break;
      case 'unsigned':
        o.signed = false;
        break;
      case 'finite':
        o.specials = 'finite';
        break;
      case 'specials':
        o.specials = v as Specials;
        break;
      case 'overflow':
        o.overflow = v as OverflowPolicy;
        break;
      default:
        throw new RangeError(
          `format ${t}: unknown option ${JSON.stringify(opt)}; allowed: bias=N, nosub, sub, unsigned, finite, specials=ieee|fn|fnuz|finite, overflow=inf|saturate|nan`,
        );
    }
  }
  return floatFormat(o);
}
