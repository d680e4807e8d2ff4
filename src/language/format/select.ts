/**
 * The output formats of `ozml lint` by name, each formatter loaded only when it is used: a text run
 * never loads the SARIF formatter (and node:crypto, which it needs for fingerprints).
 */
import type { LintFileResult } from './results.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatOptions {
  /** text: ANSI colours. */
  color?: boolean;
  /** text: code frames. */
  codeFrame?: boolean;
  /** sarif: the ozml version. */
  toolVersion: string;
  /** sarif: the directory relative paths start from. */
  sourceRoot?: string;
}

export type Formatter = (results: readonly LintFileResult[], options: FormatOptions) => string;

/** Each format's formatter, imported on first use. */
export const FORMATTERS: Readonly<Record<OutputFormat, () => Promise<Formatter>>> = {
  text: async () => {
    const { formatText } = await import('./text.js');
    return (results, options) => formatText(results, {
      ...(options.color !== undefined ? { color: options.color } : {}),
      ...(options.codeFrame !== undefined ? { codeFrame: options.codeFrame } : {}),
    });
  },
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => {
    const { formatSarif } = await import('./sarif.js');
    return (results, options) => formatSarif(results, {
      toolVersion: options.toolVersion,
      ...(options.sourceRoot !== undefined ? { sourceRoot: options.sourceRoot } : {}),
    });
  },
  github: async () => (await import('./github.js')).formatGithub,
};
