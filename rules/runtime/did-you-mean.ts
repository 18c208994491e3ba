/**
 * The closest known name to a mistyped one, for "did you mean" hints in usage errors. Written by hand: a
 * dozen lines of edit distance do not justify a dependency in the rule Lambdas.
 */

/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[y.length];
}

/**
 * The known name closest to `name`, when it is close enough to be a typo (at most a third of its length
 * apart, and at least one edit); undefined otherwise.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** `unknown X "name" (did you mean "other"?)`, or without the hint when nothing is close. */
export function unknownName(what: string, name: string, known: Iterable<string>): string {
  const hint = closestName(name, known);
  return `unknown ${what} "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
}
