"""The HTML report's stylesheet: system fonts only, one colour per severity."""

from __future__ import annotations

CSS = """
:root {
  --critical: #7b1fa2; --high: #c62828; --medium: #d35400; --low: #b8860b;
  --informational: #546e7a; --ink: #1d2530; --muted: #5f6b7a; --line: #d8dee6;
  --paper: #ffffff; --panel: #f5f7fa; --accent: #1565c0;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
       "DejaVu Sans", sans-serif; color: var(--ink); background: var(--panel); }
header { background: #1d2530; color: #fff; padding: 14px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header .meta { color: #c4ccd6; font-size: 14px; }
header nav a { color: #9ecbff; margin-right: 16px; }
.badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 6px; }
main { padding: 8px 28px 40px; max-width: 1600px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
          padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 18px; margin: 4px 0 10px; }
code, .mono { font-family: var(--mono); font-size: 13px; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.js-only { display: none; }
.js .js-only { display: inline; }

.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff;
         font-size: 13px; font-weight: 600; letter-spacing: .02em; white-space: nowrap; }
.badge.zero { opacity: .35; }
.badge.sev-CRITICAL { background: var(--critical); }
.badge.sev-HIGH { background: var(--high); }
.badge.sev-MEDIUM { background: var(--medium); }
.badge.sev-LOW { background: var(--low); }
.badge.sev-INFORMATIONAL { background: var(--informational); }

.graph-wrap { overflow: auto; max-height: 78vh; }
svg.graph { display: block; max-width: 100%; height: auto; font-family: system-ui,
            "DejaVu Sans", sans-serif; }
svg.graph .column { font-size: 13px; font-weight: 600; fill: var(--muted); }
svg.graph .node rect { fill: #fff; stroke: #9aa7b5; stroke-width: 1.2; }
svg.graph .node { cursor: pointer; }
svg.graph .node:hover rect:first-of-type, svg.graph .node:focus rect:first-of-type {
  stroke: var(--accent); stroke-width: 2.5; }
svg.graph .node .kind { font-size: 11px; fill: var(--muted); }
svg.graph .node .name { font-size: 13.5px; font-weight: 600; fill: var(--ink); }
svg.graph .node .ports { font-size: 11.5px; fill: #37474f; font-family: var(--mono); }
svg.graph .edge { fill: none; stroke-width: 2; opacity: .75; }
svg.graph .sev-CRITICAL .stripe { fill: var(--critical); }
svg.graph .sev-HIGH .stripe { fill: var(--high); }
svg.graph .sev-MEDIUM .stripe { fill: var(--medium); }
svg.graph .sev-LOW .stripe { fill: var(--low); }
svg.graph .sev-INFORMATIONAL .stripe { fill: var(--informational); }
svg.graph .edge.sev-CRITICAL { stroke: var(--critical); stroke-width: 3; }
svg.graph .edge.sev-HIGH { stroke: var(--high); stroke-width: 2.6; }
svg.graph .edge.sev-MEDIUM { stroke: var(--medium); }
svg.graph .edge.sev-LOW { stroke: var(--low); }
svg.graph .edge.sev-INFORMATIONAL { stroke: var(--informational); opacity: .5; }
.legend { font-size: 13px; margin: 6px 0 0; }

.filters { display: none; flex-wrap: wrap; gap: 10px 22px; align-items: center;
           margin: 0 0 10px; font-size: 14px; }
.js .filters { display: flex; }
.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 10px;
                    flex-wrap: wrap; align-items: center; }
.filters legend { float: left; margin-right: 6px; font-weight: 600; }
.filters input[type=search] { width: 260px; padding: 4px 8px; font: inherit; }
.filters select { font: inherit; padding: 3px 4px; max-width: 240px; }
#shown { color: var(--muted); }

table.findings { border-collapse: collapse; width: 100%; font-size: 14px; }
table.findings th { position: sticky; top: 0; background: #eef2f6; text-align: left;
                    border-bottom: 2px solid var(--line); padding: 0; white-space: nowrap; }
table.findings th button, table.findings th span { font: inherit; font-weight: 600;
  color: var(--ink); background: none; border: 0; padding: 7px 8px; cursor: pointer;
  width: 100%; text-align: left; }
table.findings th span { cursor: default; display: block; }
th[aria-sort=ascending] button::after { content: " ▲"; font-size: 11px; }
th[aria-sort=descending] button::after { content: " ▼"; font-size: 11px; }
table.findings td { padding: 6px 8px; border-bottom: 1px solid var(--line);
                    vertical-align: top; }
tr.finding:hover { background: #f0f5fb; }
.js tr.finding { cursor: pointer; }
.js tr.finding td:first-child::before { content: "▸"; display: inline-block; width: 14px;
                                        color: var(--muted); }
.js tr.finding.open td:first-child::before { content: "▾"; }
tr.finding.open { background: #e8f0fa; }
tr.detail > td { background: #fbfcfd; padding: 10px 18px 14px 36px; }
.js tr.detail { display: none; }
.js tr.detail.open { display: table-row; }
tr[hidden] { display: none !important; }
td.port { font-family: var(--mono); font-size: 13px; max-width: 220px; }
.nw { white-space: nowrap; }
.detail p { margin: 4px 0 8px; max-width: 110ch; }
.detail dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px;
             margin: 6px 0; font-size: 13.5px; }
.detail dt { color: var(--muted); }
.detail dd { margin: 0; }
ol.path { margin: 4px 0; padding-left: 22px; font-size: 13.5px; }
ol.path li { margin: 2px 0; }
ol.path .hoptype { display: inline-block; min-width: 118px; color: var(--muted); }
.loc { color: var(--muted); font-family: var(--mono); font-size: 12.5px; }
ul.diagnostics { margin: 0; padding-left: 20px; }
ul.diagnostics li { margin: 3px 0; }
"""
