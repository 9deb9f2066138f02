import { spawnSync } from 'node:child_process';
import { beaconGraph } from '../../src/tree/graph.js';
import { tutorialTree } from '../tree/tutorial-tree.js';

// What Graphviz makes of our DOT (the rendering itself is spec/tree/graph.spec.ts, which
// also runs in the browser).

const hasDot = spawnSync('dot', ['-V']).status === 0;

describe('beaconGraph with Graphviz', () => {
  (hasDot ? it : xit)('produces DOT that Graphviz accepts (dot -Tsvg)', () => {
    const dot = beaconGraph(tutorialTree()).toDot({ id: 'tutorial "graph"' });
    const result = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<svg');
    for (const label of ['Worker', 'AppService', 'Websockets', 'Webserver', 'UserCache']) {
      expect(result.stdout).toContain(`>${label}</text>`);
    }
    expect(result.stdout).toContain('say &quot;hi&quot; \\ back');
  });
});
