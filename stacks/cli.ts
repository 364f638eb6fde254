import { InputError } from '../lab/errors';

/**
 * Runs a command-line entry point: bad input (an InputError) is printed as its one-line message with exit
 * code 2 and no stack trace; anything else is a bug and keeps its stack.
 */
export function runCli(main: () => void): void {
  try {
    main();
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
