// The specs import src/ directly, not an entry point: follow work across awaits as the
// Node entry points do (on Node 24; nothing in browsers or on older Node).
import '../../src/service/async-local-scope.js';
