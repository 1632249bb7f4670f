// The style sheet of the HTML report, inlined in its <head>. System fonts only.
#pragma once

namespace gloss::cli {

inline constexpr const char* kReportCss = R"css(
:root { --ink:#1f2328; --muted:#5b636e; --line:#d7dbe0; --panel:#f6f8fa; --main:#2563eb; --before:#9aa1ab;
  --up:#d9622b; --down:#2f7ec1; --reference:#188a4a; --ceiling:#d1242f; --flag-bg:#fff1c2; --flag-ink:#6b4700;
  --fail-bg:#ffe3e3; --fail-ink:#9b1c1c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 64px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 6px; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 0 0 4px; overflow-wrap: anywhere; font-weight: 600; }
a { color: var(--main); }
.meta { color: var(--muted); margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.card.bad b { color: var(--fail-ink); }
.card.warn b { color: var(--flag-ink); }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: right; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
th.text, td.text { text-align: left; }
td.name { text-align: left; max-width: 420px; overflow-wrap: anywhere; }
tr.failed td { background: var(--fail-bg); }
section.album { border-top: 3px solid var(--line); margin-top: 32px; padding-top: 16px;
  content-visibility: auto; contain-intrinsic-size: auto 1600px; }  /* a 10,000-track page opens in seconds */
.tracks { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
article.track { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fff; }
article.track.failed { background: var(--fail-bg); border-color: #f3b4b4; }
article.track.flagged { border-color: #e9c46a; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.charts svg.chart { width: 100%; height: auto; }
.num { color: var(--muted); font-weight: 400; margin-right: 6px; }
.flag { display: inline-block; background: var(--flag-bg); color: var(--flag-ink); border: 1px solid #e9c46a;
  border-radius: 10px; padding: 0 8px; margin: 0 4px 2px 0; font-size: 12px; white-space: nowrap; }
.flag.before { background: #eef0f3; color: var(--muted); border-color: var(--line); }
.status-failed { display: inline-block; background: var(--fail-ink); color: #fff; border-radius: 10px; padding: 0 8px;
  font-size: 12px; }
.error { color: var(--fail-ink); overflow-wrap: anywhere; }
ul.problems li { margin-bottom: 2px; overflow-wrap: anywhere; }
dl.settings { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; }
dl.settings dt { color: var(--muted); }
dl.settings dd { margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; color: var(--muted); font-size: 12px; margin: 4px 0 10px; }
.key { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
.key.box { height: 10px; border: 0; }
svg.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; height: auto; }
svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .zero { stroke: #8c959f; stroke-width: 1; }
svg .axis { fill: var(--muted); font-size: 10px; }
svg .caption { fill: var(--ink); font-size: 10.5px; font-weight: 600; }
svg .note { fill: var(--muted); font-size: 11px; }
svg .failed-text { fill: var(--fail-ink); font-size: 11px; }
svg .series { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
svg .series.main, svg .series.after { stroke: var(--main); }
svg .series.before { stroke: var(--before); stroke-width: 1.4; }
svg .reference { stroke: var(--reference); stroke-width: 1.2; stroke-dasharray: 5 3; }
svg .ceiling { stroke: var(--ceiling); stroke-width: 1.2; stroke-dasharray: 2 2; }
svg .bar.up { fill: var(--up); }
svg .bar.down { fill: var(--down); }
svg .tick.before { stroke: #3d444d; stroke-width: 2; }
svg .stripe { fill: #f6f8fa; }
svg .row .plr { stroke-width: 2; }
svg .row .peak { stroke-width: 2; }
svg .row.main .plr, svg .row.after .plr { stroke: #93b4f5; }
svg .row.main .peak, svg .row.after .peak { stroke: var(--main); }
svg .row.main .dot, svg .row.after .dot { fill: var(--main); }
svg .row.before .plr { stroke: #d3d7dc; }
svg .row.before .peak { stroke: var(--before); }
svg .row.before .dot { fill: var(--before); }
)css";

}  // namespace gloss::cli
