import { type FlapState, flapUpdate } from '../../../responder/flapping';

const t0 = Date.parse('2026-11-23T01:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

function run(minutes: number[], window = 60, threshold = 3) {
  let state: FlapState | undefined;
  return minutes.map((m) => {
    const r = flapUpdate(state, at(m), window, threshold);
    state = r.state;
    return r.alert;
  });
}

describe('flapping', () => {
  it('alerts each of the first transitions, then one flapping alert, then suppresses', () => {
    expect(run([0, 5, 10, 15, 20, 25])).toEqual(['normal', 'normal', 'normal', 'flapping', 'suppressed', 'suppressed']);
  });

  it('alerts normally again once the window is calm', () => {
    expect(run([0, 5, 10, 15, 200])).toEqual(['normal', 'normal', 'normal', 'flapping', 'normal']);
  });

  it('never collapses changes spread wider than the window', () => {
    expect(run([0, 61, 122, 183, 244])).toEqual(['normal', 'normal', 'normal', 'normal', 'normal']);
  });

  it('reports flapping from the transition past the threshold', () => {
    const r = flapUpdate(
      { transitions: [at(0), at(1), at(2)].map((d) => d.toISOString()), suppressed: 0 },
      at(3),
      60,
      3,
    );
    expect(r).toMatchObject({ alert: 'flapping', flapping: true, count: 4 });
  });
});
