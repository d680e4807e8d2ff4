/** Terminal capabilities: colours follow NO_COLOR (https://no-color.org), then FORCE_COLOR, then the TTY. */

export interface TerminalStream {
  isTTY?: boolean;
}

export function colorEnabled(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  // Like supports-color: FORCE_COLOR= or FORCE_COLOR=1..3 force colours on, 0 or false force them off.
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}
