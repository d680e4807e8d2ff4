// `node --import ./record-loads.mjs …`: appends every module URL the process resolves (on any
// thread) to the file named by OZML_LOAD_LOG, so tests can see what a command loads.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url);
