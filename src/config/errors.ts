/** All problems of a config file at once, each as `json.path: message`. */
export class ConfigError extends Error {
  constructor(readonly messages: readonly string[], readonly path?: string) {
    super(`${path ?? 'configuration'}: ${messages.length === 1 ? 'invalid configuration' : `${messages.length} problems`}:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
