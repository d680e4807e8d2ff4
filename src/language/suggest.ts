/** "Did you mean" suggestions by edit distance, case-insensitive. */

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate within a distance proportional to the word's length, or undefined. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(lower.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    // When one word is a prefix of the other the distance is the length difference; otherwise it is
    // at least that, which skips the quadratic computation for hopeless (e.g. megabyte-long) words.
    const lengthDifference = Math.abs(lower.length - candidateLower.length);
    const prefix = candidateLower.startsWith(lower) || lower.startsWith(candidateLower);
    if (!prefix && lengthDifference > limit) continue;
    const distance = prefix ? Math.min(lengthDifference, limit) : editDistance(lower, candidateLower);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A name or value quoted in a message, shortened so hostile input cannot produce megabyte messages. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
