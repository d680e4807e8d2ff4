/** Exit codes shared by every command, and the error that ends a command with one. */

export const EXIT_OK = 0;
/** Problems were found (lint errors, warnings over --max-warnings). */
export const EXIT_PROBLEMS = 1;
/** Usage errors, unreadable input, bad config, internal failures. */
export const EXIT_USAGE = 2;

/** Thrown by a command to stop with a message on stderr and an exit code (2 unless said otherwise). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}
