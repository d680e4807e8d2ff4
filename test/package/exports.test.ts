import { describe, expect, it } from 'vitest';
import * as ozml from '../../src/index.js';

describe('package root', () => {
  it('exports the main entry points by name and every area as a namespace', () => {
    for (const name of ['compileDocument', 'Engine', 'CallControl', 'SimSwitch', 'VirtualClock', 'HttpScriptSource', 'LocalScriptSource', 'verifySignature', 'loadConfig', 'runScenario', 'createPlatform']) {
      expect(typeof (ozml as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(ozml.language.compileDocument).toBe(ozml.compileDocument);
    expect(ozml.engine.Engine).toBe(ozml.Engine);
    expect(ozml.platform.createPlatform).toBe(ozml.createPlatform);
    expect(ozml.compileDocument('<Response><Hangup/></Response>').program?.instructions[0]?.name).toBe('Hangup');
  });
});
