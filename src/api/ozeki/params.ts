/**
 * Request parameters of the Ozeki API: from the query string and a form body, names matched
 * case-insensitively (the vendor's own examples write `command`, `Command`, `dialed`), values
 * URL-decoded with `+` as a space. The first value of a name wins; query before body.
 */

export class CommandParams {
  readonly #values: Map<string, string>;

  private constructor(values: Map<string, string>) {
    this.#values = values;
  }

  /** Parses `query` then `body` (both `a=1&b=2`); a ParseError detail when one is not decodable. */
  static parse(query: string, body: string): CommandParams | { error: string } {
    const values = new Map<string, string>();
    for (const text of [query, body]) {
      const problem = decodeInto(text, values);
      if (problem) return { error: problem };
    }
    return new CommandParams(values);
  }

  /** The value of `name` (any case); undefined when absent. */
  get(name: string): string | undefined {
    return this.#values.get(name.toLowerCase());
  }

  /** The value of the first of `names` present (aliases, such as the vendor's `TranferredCallId`). */
  first(...names: string[]): string | undefined {
    for (const name of names) {
      const value = this.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
}

function decodeInto(text: string, values: Map<string, string>): string | undefined {
  if (text === '') return undefined;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return pair.length > 200 ? `${pair.slice(0, 200)}…` : pair;
    }
    const key = name.toLowerCase();
    if (!values.has(key)) values.set(key, value);
  }
  return undefined;
}
