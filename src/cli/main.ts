#!/usr/bin/env node
/**
 * The urbanize command line. Exit codes: 0 success; 1 a run failed; 2 a user's mistake (bad
 * scenario, bad flag, missing file, a batch too large), reported without a stack trace; 130 or
 * 143 (128 + the signal's number) when SIGINT or SIGTERM interrupted a batch. Anything else is a
 * bug and keeps its stack. The commands are in program.ts; what they do is in src/app.
 */
import { CommanderError } from 'commander';
import { formatProblem, UserError } from '../core/errors.js';
import { program } from './program.js';

/** Runs the CLI on argv; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program((s) => console.log(s)).parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof UserError) {
      for (const p of err.problems) console.error(`error: ${formatProblem(p)}`);
      return 2;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    throw err;
  }
}

// A closed pipe (urbanize run ... | head) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
