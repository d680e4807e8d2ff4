/** Rule severities as the config file and `ozml lint --rule` spell them (docs/lint.md). */
import type { RuleSetting } from '../types.js';

export const SETTING_NAMES = ['off', 'info', 'warn', 'error'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(SETTING_NAMES);

export function isSettingName(value: unknown): value is SettingName {
  return typeof value === 'string' && NAMES.has(value);
}

/** Maps the config spelling (`warn`) to the diagnostic severity (`warning`). */
export function settingFromName(name: SettingName): RuleSetting {
  return name === 'warn' ? 'warning' : name;
}

/** The spelling of a severity in the config file and on the command line. */
export function settingName(setting: RuleSetting): SettingName {
  return setting === 'warning' ? 'warn' : setting;
}
