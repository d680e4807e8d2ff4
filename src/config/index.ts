/** One validated `ozml.config.json` for the whole product. */
export { CONFIG_FILE_NAME, loadConfig, parseConfig } from './load.js';
export { CONFIG_SCHEMA_PATH, formatPath, validateConfig } from './validate.js';
export type { ValidateOptions } from './validate.js';
export { ConfigError } from './errors.js';
export { APP_DEFAULTS, BODY_FORMATS, BUILTIN_TONES } from './types.js';
export type { AppConfig, AppTimeouts, LintConfig, LintContextMapping, OzmlConfig, ToneDefinition } from './types.js';
export { SERVE_DEFAULTS, defaultServeConfig, formatScryptHash, parseListen, parseScryptHash } from './serve.js';
export type { EnvPassword, ScryptHash, ServeConfig, ServeLimits, ServePassword, SimPartyFile } from './serve.js';
