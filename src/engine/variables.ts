/** Call-scoped variables and arrays (docs/language.md): both survive GoTo; `$item` follows the innermost ForEach. */

export type ArrayItem = string | Readonly<Record<string, string>>;

export class Variables {
  readonly #values = new Map<string, string>();
  // Created when first used: most calls define no arrays and loop over none, and every live call
  // would hold an empty map and array (bench:calls, parked heap).
  #arrays: Map<string, readonly ArrayItem[]> | undefined;
  #items: ArrayItem[] | undefined;

  set(name: string, value: string): void {
    this.#values.set(name, value);
  }

  /** Every parameter of a notification becomes a variable of the document it fetched. */
  setAll(params: Readonly<Record<string, string>>): void {
    for (const name in params) if (Object.hasOwn(params, name)) this.#values.set(name, params[name]!);
  }

  defineArray(id: string, items: readonly ArrayItem[]): void {
    (this.#arrays ??= new Map()).set(id, items);
  }

  array(id: string): readonly ArrayItem[] | undefined {
    return this.#arrays?.get(id);
  }

  /** Runs `body` with `item` as `$item`. */
  async withItem<T>(item: ArrayItem, body: () => Promise<T>): Promise<T> {
    const items = (this.#items ??= []);
    items.push(item);
    try {
      return await body();
    } finally {
      items.pop();
    }
  }

  /**
   * Looks up `name` or `name.field`; undefined when unknown. Only items with fields have fields:
   * after a plain value the dot is text, so `$file.wav` with `file` = `intro` reads `intro.wav`.
   */
  get(name: string): string | undefined {
    const dot = name.indexOf('.');
    const root = dot < 0 ? name : name.slice(0, dot);
    const field = dot < 0 ? undefined : name.slice(dot + 1);
    const items = this.#items;
    if (root === 'item' && items && items.length > 0) {
      const item = items[items.length - 1]!;
      if (typeof item !== 'string') return field === undefined ? item['value'] : item[field];
      return field === undefined ? item : `${item}.${field}`;
    }
    if (field === undefined) return this.#values.get(root);
    // A notification may send a parameter whose name has a dot in it.
    const exact = this.#values.get(name);
    if (exact !== undefined) return exact;
    const value = this.#values.get(root);
    return value === undefined ? undefined : `${value}.${field}`;
  }
}
