export { Beacon } from './beacon.js';
export { type ServiceGraph, type BeaconLike, type GraphData, type GraphEdge, type GraphNode, type DotOptions } from './graph.js';
export { label, shortlabel } from './label.js';
