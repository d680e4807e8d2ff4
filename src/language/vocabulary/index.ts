/**
 * Vocabularies shared by the language, the config and the call layer, declared once here (the
 * lowest layer) and imported everywhere else.
 */
export * from './call-types.js';
export * from './caller-id.js';
export * from './diversion.js';
export * from './leg-states.js';
export * from './release-causes.js';
export * from './tones.js';
export * from './transfer-causes.js';
export * from './whisper.js';
export * from './rule-settings.js';
