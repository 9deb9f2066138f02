// The specs import src/ directly, not an entry point: share asyncScheduler's waits due at
// the same moment as the Node entry points do (share-async-waits.ts). A browser bundle of
// rxmode leaves that out, and so does the browser run of these specs.
import '../../src/time/share-async-waits.js';
