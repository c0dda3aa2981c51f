/**
 * Format cards and encoding tables, shared by `bitexact formats`, `bitexact table` and the
 * generator of docs/formats.md. Every number here is computed from the spec by the library.
 */
import { CATALOG, type CatalogEntry } from '../formats/catalog.js';
import type { ExactValue } from '../formats/exact.js';
import type { FixedSpec } from '../formats/fixed.js';
import type { FloatSpec } from '../formats/float.js';
import type { ParsedFormat } from '../formats/parse.js';
import { decodeExact, encode, fromExact } from '../ops/float/index.js';
import { fixedToExact } from '../ops/fixed/index.js';
import { describeFloatCode, formatExactValue, toHex } from '../vectors/testfloat.js';

/** A value with its power-of-two form when it is one, and its code: `6.103515625e-5 = 2^-14 (0400)`. */
export function valueWithCode(s: FloatSpec, code: number | bigint): string {
  const x = decodeExact(s, code);
  let v = formatExactValue(x);
  if (x.kind === 'finite' && x.sig === 1n && !v.startsWith('2^')) v += ` = 2^${x.exp}`;
  return `${v} (${toHex(code, Math.ceil(s.width / 4))})`;
}

/**
 * A positive binary64 value as a C99 hex float (`0x1.cp+8` = 448), exact.
 *
 * @example
 * ```ts
 * hexFloat(65504); // => "0x1.ffcp+15"
 * ```
 */
export function hexFloat(v: number): string {
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--;
  if (2 ** (e + 1) <= v) e++;
  let f = v / 2 ** e - 1; // exact: a power-of-two scaling of a binary64 value in range
  let digits = '';
  while (f > 0 && digits.length < 14) {
    f *= 16;
    const d = Math.floor(f);
    digits += d.toString(16);
    f -= d;
  }
  return `0x1${digits ? '.' + digits : ''}p${e >= 0 ? '+' : ''}${e}`;
}

/** The field layout: `sign 1 | exponent 5 | fraction 10 (16 bits)`. */
export function layout(s: FloatSpec): string {
  const parts: string[] = [];
  if (s.signed) parts.push('sign 1');
  if (s.expBits > 0) parts.push(`exponent ${s.expBits}`);
  parts.push(`fraction ${s.manBits}`);
  return `${parts.join(' | ')} (${s.width} bits)`;
}

function hx(s: FloatSpec, code: number | bigint): string {
  return toHex(code, Math.ceil(s.width / 4));
}

const NAN: ExactValue = { kind: 'nan', sign: 1, quiet: true };

/** The special values in words, with their codes. */
export function specialsText(s: FloatSpec): string {
  const dn = fromExact(s, NAN).code;
  switch (s.specials) {
    case 'ieee': {
      const inf = encode(s, Infinity).code;
      return `ieee: ±inf = ${hx(s, inf)}/${hx(s, encode(s, -Infinity).code)} (exponent all ones, fraction 0); NaN: exponent all ones, fraction ≠ 0, quiet when the top fraction bit is 1; default NaN ${hx(s, dn)}; -0 exists`;
    }
    case 'fn': {
      if (!s.signed) return `fn, unsigned: no sign, no zero, no infinity; NaN = ${hx(s, dn)} (all ones)`;
      const pos = fromExact(s, { kind: 'nan', sign: 0, quiet: true }).code;
      return `fn: no infinity; NaN = ${hx(s, pos)}/${hx(s, dn)} (exponent and fraction all ones); -0 exists`;
    }
    case 'fnuz':
      return `fnuz: no infinity, no -0; the single NaN = ${hx(s, dn)} (sign bit only)`;
    case 'finite':
      return 'finite: no infinity, no NaN, every code is a number; -0 exists (NaN converts to it, with invalid)';
  }
}

/** One catalog format card as label/value rows. */
export function cardRows(e: CatalogEntry): [string, string][] {
  const s = e.spec;
  const rows: [string, string][] = [];
  rows.push(['source', e.source]);
  if (e.aliases.length) rows.push(['aliases', e.aliases.join(', ')]);
  rows.push(['fields', layout(s)]);
  rows.push(['bias', `${s.bias} (emin ${s.emin}, emax ${s.emax})`]);
  rows.push(['subnormals', s.subnormals ? 'yes' : 'no (flushed to zero)']);
  rows.push(['specials', specialsText(s)]);
  rows.push(['overflow', s.overflow]);
  rows.push(['max', `${valueWithCode(s, encode(s, s.maxFinite).code)} = ${hexFloat(s.maxFinite)}`]);
  rows.push(['min normal', valueWithCode(s, encode(s, s.minNormal).code)]);
  rows.push(['min subnormal', s.subnormals && s.manBits > 0 ? valueWithCode(s, encode(s, s.minPositive).code) : 'none']);
  return rows;
}

/** A catalog card as plain text. */
export function cardText(e: CatalogEntry): string {
  const rows = cardRows(e);
  const w = Math.max(...rows.map(([k]) => k.length));
  return [e.spec.name, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`)].join('\n');
}

/** One row of an encoding table. */
export interface EncodingRow {
  code: string;
  bits: string;
  value: string;
  cls: string;
}

/** Every encoding of a float format (for small formats). */
export function floatRows(s: FloatSpec): EncodingRow[] {
  const rows: EncodingRow[] = [];
  for (let c = 0; c < 2 ** s.width; c++) {
    const d = describeFloatCode(s, c);
    rows.push({ code: d.hex, bits: d.fields, value: d.value, cls: d.cls });
  }
  return rows;
}

/** Every encoding of a fixed format (for small formats): pattern, bits, raw · 2^-frac, and class. */
export function fixedRows(f: FixedSpec): EncodingRow[] {
  const rows: EncodingRow[] = [];
  const W = f.width;
  for (let c = 0; c < 2 ** W; c++) {
    const raw = f.signed && c >= 2 ** (W - 1) ? c - 2 ** W : c;
    const x = fixedToExact(f, raw);
    const cls = raw === 0 ? 'zero' : raw === Number(f.maxRaw) ? 'max' : raw === Number(f.minRaw) ? 'min' : raw < 0 ? 'negative' : 'positive';
    rows.push({ code: toHex(c, Math.ceil(W / 4)), bits: c.toString(2).padStart(W, '0'), value: `${formatExactValue(x)} (raw ${raw})`, cls });
  }
  return rows;
}

/** The rows of a format's table, or a usage message if it is not small enough. */
export function tableRows(f: ParsedFormat): EncodingRow[] | string {
  const width = f.kind === 'int' ? f.width : f.spec.width;
  const name = f.kind === 'int' ? f.name : f.spec.name;
  if (f.kind === 'int') return `table: ${name} is an integer format; tables are printed for float and fixed-point formats`;
  if (width > 8) return `table: ${name} has ${width} bits; tables are printed for formats of at most 8 bits (256 codes)`;
  return f.kind === 'float' ? floatRows(f.spec) : fixedRows(f.spec);
}

/** Columns aligned as plain text. */
export function alignedTable(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n');
}

/** A markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Header of a float table's bits column: `s eeee mmm`. */
export function bitsHeader(f: ParsedFormat): string {
  if (f.kind !== 'float') return 'bits';
  const s = f.spec;
  const parts: string[] = [];
  if (s.signed) parts.push('s');
  if (s.expBits > 0) parts.push('e'.repeat(s.expBits));
  if (s.manBits > 0) parts.push('m'.repeat(s.manBits));
  return parts.join(' ');
}

/** Every catalog entry. */
export { CATALOG };
