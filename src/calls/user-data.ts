/**
 * Call user data with Genesys Voice API semantics: an ordered list of key/value pairs in which
 * AttachUserData may create duplicate keys, UpdateUserData overwrites, DeleteUserDataPair removes a
 * key and DeleteUserData removes everything.
 */
export type UserDataValue = string | number | boolean;

export interface UserDataPair {
  readonly key: string;
  readonly value: UserDataValue;
}

export type UserDataInput = Readonly<Record<string, UserDataValue>>;

/** Adds every pair, even for keys that already exist (Genesys: "regardless of whether the keys already exist"). */
export function attachPairs(current: readonly UserDataPair[], data: UserDataInput): UserDataPair[] {
  return [...current, ...Object.entries(data).map(([key, value]) => ({ key, value }))];
}

/** Overwrites the given keys (every duplicate collapses into the first position) and adds new ones. */
export function updatePairs(current: readonly UserDataPair[], data: UserDataInput): UserDataPair[] {
  const updates = new Map(Object.entries(data));
  const result: UserDataPair[] = [];
  for (const pair of current) {
    if (!updates.has(pair.key)) {
      result.push(pair);
    } else if (!result.some((p) => p.key === pair.key)) {
      result.push({ key: pair.key, value: updates.get(pair.key)! });
    }
  }
  for (const [key, value] of updates) if (!current.some((p) => p.key === key)) result.push({ key, value });
  return result;
}

/** Removes every pair with `key` (DeleteUserDataPair). */
export function deletePair(current: readonly UserDataPair[], key: string): UserDataPair[] {
  return current.filter((pair) => pair.key !== key);
}
