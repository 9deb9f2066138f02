import { Beacon } from '../../src/tree/beacon.js';
import { beaconChanges$, type BeaconChange } from '../../src/tree/changes.js';

describe('beaconChanges$ (how the live view sees the tree change)', () => {
  it('tells each attach and detach with the parent, a move as removed then added', () => {
    const seen: string[] = [];
    const name = (b: object) => (b as Beacon<string>).data;
    const subscription = beaconChanges$.subscribe((c: BeaconChange) => seen.push(`${c.change} ${name(c.beacon)} ${name(c.parent)}`));
    try {
      const a = new Beacon('a');
      const b = new Beacon('b');
      const x = a.new('x');
      x.reattach(a); // already there: nothing
      x.reattach(b);
      x.detach();
      x.detach(); // detached already: nothing
      expect(seen).toEqual(['added x a', 'removed x a', 'added x b', 'removed x b']);
    } finally {
      subscription.unsubscribe();
    }
    expect(beaconChanges$.observed).toBeFalse();
  });
});
