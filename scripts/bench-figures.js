// What every benchmark script prints and how it summarises repeated runs.

/** The middle value (mean of the two middle ones for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const round = (n, digits = 2) => Number(n.toFixed(digits));

/** A printer of one JSON line per figure, tagged with the benchmark's name. */
export const figurePrinter = (bench) => (figure) => process.stdout.write(`${JSON.stringify({ bench, ...figure })}\n`);
