/** Recent transitions of one rule and resource, kept in the audit table. */
export interface FlapState {
  /** ISO times of transitions within the window, oldest first. */
  readonly transitions: readonly string[];
  /** Transitions whose alert was collapsed since the flapping alert. */
  readonly suppressed: number;
}

/** How to alert this transition. */
export type FlapAlert = 'normal' | 'flapping' | 'suppressed';

/**
 * Collapses flapping: the first `threshold` transitions within the window are alerted one by one, the next
 * one produces a single flapping alert, later ones are suppressed (still audited) until the window is calm.
 */
export function flapUpdate(
  previous: FlapState | undefined,
  now: Date,
  windowMinutes: number,
  threshold: number,
): { state: FlapState; alert: FlapAlert; flapping: boolean; count: number } {
  const since = now.getTime() - windowMinutes * 60_000;
  const recent = (previous?.transitions ?? []).filter((t) => Date.parse(t) > since);
  const transitions = [...recent, now.toISOString()].slice(-(threshold + 2));
  const count = recent.length + 1;
  const alert: FlapAlert = count <= threshold ? 'normal' : count === threshold + 1 ? 'flapping' : 'suppressed';
  const suppressed = alert === 'suppressed' ? (recent.length > threshold ? (previous?.suppressed ?? 0) : 0) + 1 : 0;
  return { state: { transitions, suppressed }, alert, flapping: count > threshold, count };
}
