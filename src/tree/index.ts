export { Beacon } from './beacon.js';
export { type ServiceGraph, type GraphEdge, type GraphNode, type TreeNode, type DotOptions } from './graph.js';
