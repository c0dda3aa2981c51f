/** `bitexact formats` (the catalog, a card each) and `bitexact table <format>` (every encoding). */
import { Argument, type Command } from 'commander';
import { formatFixedName } from '../formats/fixed.js';
import type { ParsedFormat } from '../formats/parse.js';
import { CATALOG, alignedTable, bitsHeader, cardText, layout, markdownTable, tableRows } from './cards.js';
import { EXIT, FORMATS_HELP, UsageError, formatArg } from './common.js';

/** The text of `bitexact formats`. */
export function formatsText(): string {
  return CATALOG.map(cardText).join('\n\n');
}

/** The title line of a table. */
export function tableTitle(f: ParsedFormat): string {
  if (f.kind === 'float') {
    const s = f.spec;
    return `${s.name}: ${layout(s)}, bias ${s.bias}, specials ${s.specials}${s.subnormals ? '' : ', no subnormals'}`;
  }
  if (f.kind === 'fixed') {
    const s = f.spec;
    let ap = '';
    try {
      ap = ` = ${formatFixedName(s, 'ap')}`;
    } catch {
      // No ap_fixed spelling (RND_CONV_ODD or SR): the general name only.
    }
    return `${s.name}${ap}: ${s.signed ? 'signed' : 'unsigned'} ${s.width} bits, ${s.frac} fraction bits (lsb 2^${-s.frac}), ${s.quant}, ${s.overflow}`;
  }
  return f.name;
}

/** The text of `bitexact table <format>`; a UsageError for formats wider than 8 bits. */
export function tableText(f: ParsedFormat, markdown = false): string {
  const rows = tableRows(f);
  if (typeof rows === 'string') throw new UsageError(rows);
  const header = ['code', bitsHeader(f), 'value', 'class'];
  const cells = rows.map((r) => [r.code, r.bits, r.value, r.cls]);
  return `${tableTitle(f)}\n\n${markdown ? markdownTable(header, cells) : alignedTable(header, cells)}`;
}

/** Registers `formats` and `table`. */
export function registerFormats(program: Command): void {
  program
    .command('formats')
    .summary('list the catalog of float formats, with a card each')
    .description('Lists every catalog format with its card: fields, bias, specials, overflow policy, max, min normal, min subnormal.')
    .addHelpText('after', '\n' + FORMATS_HELP + '\n')
    .action(() => {
      process.stdout.write(formatsText() + '\n');
      process.exitCode = EXIT.ok;
    });
  program
    .command('table')
    .summary('print every encoding of a format of at most 8 bits')
    .description('Prints every code of a float or fixed-point format of at most 8 bits: code in hex, the bits by field, the exact value and the class.')
    .addArgument(new Argument('<format>', 'format name, e.g. e4m3fn, e2m1fn, "ap_fixed<6,3>"').argParser(formatArg))
    .option('--markdown', 'print a markdown table', false)
    .addHelpText('after', '\n' + FORMATS_HELP + '\n\nExample:\n  bitexact table e2m1fn\n')
    .action((f: ParsedFormat, opts: { markdown: boolean }) => {
      process.stdout.write(tableText(f, opts.markdown) + '\n');
      process.exitCode = EXIT.ok;
    });
}
