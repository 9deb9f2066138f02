/** The live page's stylesheet (inline in `/`). States are coloured as in `/graph.dot`. */
export const PAGE_STYLE = `
:root { --lane: 240px; --shift: 0px; color-scheme: light; }
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2a24; background: #f5fffa; }
header { position: sticky; top: 0; background: #e4f3ea; border-bottom: 1px solid #b8d8c4; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; z-index: 1; }
header h1 { font-size: 16px; margin: 0; }
#connection { font-weight: 600; }
#connection.open { color: #2e7d32; } #connection.connecting { color: #b26a00; }
#blocked { flex-basis: 100%; color: #b00020; font-weight: 600; }
main { padding: 8px 16px 32px; }
ul { list-style: none; margin: 0; padding-left: 18px; }
ul#tree { padding-left: 0; }
.row { display: flex; gap: 10px; align-items: center; padding: 1px 4px; border-radius: 4px; white-space: nowrap; }
.row:hover { background: #e9f5ee; }
.toggle { width: 18px; border: 0; background: none; padding: 0; cursor: pointer; color: #4a6357; font-size: 11px; }
.toggle:disabled { cursor: default; }
.name { font-weight: 600; flex: none; width: max(6em, calc(14em - (var(--depth, 1) - 1) * 18px)); overflow: hidden; text-overflow: ellipsis; }
.name small { font-weight: 400; color: #4a6357; }
.state { display: inline-block; min-width: 5.5em; text-align: center; border-radius: 9px; padding: 0 8px; font-size: 12px; border: 1px solid; }
li[data-state="init"] > .row .state { background: #d3d3d3; border-color: #7f7f7f; }
li[data-state="running"] > .row .state { background: #7ccd7c; border-color: #548b54; }
li[data-state="stopping"] > .row .state { background: #f0e68c; border-color: #8b864e; }
li[data-state="shutdown"] > .row .state { background: #d9d9d9; border-color: #7f7f7f; }
li[data-state="crashed"] > .row .state { background: #fa8072; border-color: #cd0000; }
.ready { color: #2e7d32; min-width: 4.5em; font-size: 12px; }
li[data-ready="false"] > .row .ready { color: #b26a00; }
.restarts { color: #b00020; min-width: 3em; }
.extra { color: #4a6357; font-size: 12px; overflow: hidden; text-overflow: ellipsis; }
.lane { position: relative; margin-left: auto; flex: none; width: var(--lane); height: 12px; overflow: hidden; border-bottom: 1px solid #b8d8c4; }
.strip { position: absolute; left: var(--lane); top: 0; height: 12px; transform: translateX(calc(-1 * var(--shift))); }
.m { position: absolute; top: 2px; width: 8px; height: 8px; margin-left: -4px; border-radius: 50%; border: 1px solid #0003; }
.m.init { background: #d3d3d3; } .m.running { background: #7ccd7c; } .m.stopping { background: #f0e68c; }
.m.shutdown { background: #d9d9d9; }
.m.crashed { background: #e53935; border-color: #7f0000; border-radius: 1px; transform: rotate(45deg); z-index: 1; }
.axis { margin-left: auto; color: #4a6357; font-size: 12px; }
.summary { padding-left: 46px; color: #4a6357; font-size: 12px; }
footer { padding: 8px 16px; color: #4a6357; }
footer a { color: #2e6b4f; }
`;
