export { Beacon } from './beacon.js';
export {
  ServiceGraph,
  beaconGraph,
  type GraphEdge,
  type GraphNode,
  type TreeNode,
  type DotOptions,
} from './graph.js';
