/**
 * The `bitexact` command line (bin/bitexact.js imports this module). Commands: formats, table, eval,
 * testfloat-ver, testfloat-gen, macs, showcase, recipes, train, infer, start; hidden: docs-formats. Exit statuses: 0 success, 1 a
 * failed check or a malformed input line, 2 a usage error. See docs/cli.md.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, FORMATS_HELP, UsageError, quietEpipe } from './common.js';
import { registerDocsGen } from './docs-gen.js';
import { registerEval } from './eval.js';
import { registerMacs } from './dot-cmd.js';
import { registerFormats } from './formats-cmd.js';
import { registerShowcase } from './showcase.js';
import { registerTestFloat } from './testfloat-cmd.js';
import { registerTrain } from './train-cmd.js';

/** Builds the program (exported for tests and embedding). */
export function buildProgram(): Command {
  const program = new Command('bitexact');
  program
    .description('Bit-accurate emulation of low-precision arithmetic: minifloats, fixed point, golden vectors.')
    .version('0.1.0', '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nRounding modes: rne rna rno rtz rup rdn rod sr (sr: --sr-bits, --seed).\n\n' +
        FORMATS_HELP +
        '\n\nExit status: 0 success, 1 a failed check or malformed input line, 2 a usage error.\n' +
        'Docs: docs/cli.md, docs/formats.md, docs/vectors.md.\n',
    );
  registerFormats(program);
  registerEval(program);
  registerMacs(program);
  registerTestFloat(program);
  registerShowcase(program);
  registerTrain(program);
  registerDocsGen(program);
  return program;
}

/** Parses argv and runs; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that stops early (`bitexact table e4m3fn | head`) ends the output quietly, whatever the command.
  quietEpipe();
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));
