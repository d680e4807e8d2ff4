/**
 * Notification URLs resolved once: a call flow posts to the same few URLs again and again, and
 * resolving one (URL parse, fragment overrides, the settings they give) cost a URL parse and a
 * settings object per request. Entries are immutable and shared by every request to that URL.
 */
import { hasOverrides, withOverrides } from './settings.js';
import type { DeliverySettings } from './settings.js';
import { resolveTarget } from './url-overrides.js';

export type ResolvedTarget =
  | {
    ok: true;
    /** Absolute URL without fragment: what is requested and signed. */
    href: string;
    /** Fragment entries with bad values (reported per notification, then ignored). */
    ignored: readonly string[];
    /** The source's settings with the URL's fragment overrides applied. */
    settings: DeliverySettings;
  }
  | { ok: false; detail: string };

/** Bounded: URLs come from untrusted documents, and relative ones are keyed by their base too. */
const MAX_TARGETS = 512;

export class TargetCache {
  private readonly absolute = new Map<string, ResolvedTarget>();
  private readonly relative = new Map<string, ResolvedTarget>();

  constructor(private readonly settings: DeliverySettings) {}

  resolve(raw: string, base: string | undefined): ResolvedTarget {
    const map = base === undefined ? this.absolute : this.relative;
    // The base's length makes the key unambiguous whatever characters the two strings hold.
    const key = base === undefined ? raw : `${base.length}:${base}${raw}`;
    let target = map.get(key);
    if (target === undefined) {
      target = this.build(raw, base);
      if (map.size >= MAX_TARGETS) map.clear();
      map.set(key, target);
    }
    return target;
  }

  private build(raw: string, base: string | undefined): ResolvedTarget {
    const resolved = resolveTarget(raw, base);
    if (!resolved.ok) return { ok: false, detail: resolved.detail };
    const { url, overrides, ignored } = resolved.target;
    const settings = hasOverrides(overrides) ? Object.freeze(withOverrides(this.settings, overrides)) : this.settings;
    return { ok: true, href: url.href, ignored: Object.freeze(ignored), settings };
  }
}
