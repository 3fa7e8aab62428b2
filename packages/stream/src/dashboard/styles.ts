/** The dashboard's stylesheet: system fonts, a light and a dark scheme, one hue per entity type. */
export const DASHBOARD_CSS = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --ink: #1b1f24; --muted: #5d6670; --line: #dde1e6; --accent: #1d6fd8; }
@media (prefers-color-scheme: dark) { :root { --bg: #15181c; --card: #1e2227; --ink: #e8eaed; --muted: #9aa3ad; --line: #30363d; --accent: #6aa7ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; background: var(--bg); color: var(--ink); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 20px; padding: 12px 20px; border-bottom: 1px solid var(--line); background: var(--card); }
header h1 { font-size: 17px; margin: 0; font-weight: 650; }
header label { color: var(--muted); }
select, button, textarea { font: inherit; color: inherit; }
select { padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); }
#status { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
#status::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: #999; vertical-align: 1px; }
#status.live::before { background: #22a559; }
#status.error::before { background: #d6453d; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; padding: 16px 20px; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
section h2 { font-size: 15px; margin: 0 0 8px; }
section h2 small { font-weight: 400; color: var(--muted); }
.types { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px; }
.type { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.type h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; margin: 0 0 6px; color: hsl(var(--hue), 55%, 42%); }
.type ol { list-style: none; margin: 0; padding: 0; }
.type li { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 6px; padding: 2px 0; position: relative; }
.type li .bar { position: absolute; inset: 2px auto 2px 0; border-radius: 3px; background: hsla(var(--hue), 70%, 55%, .16); z-index: 0; }
.type li span { position: relative; z-index: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.type li .num { font-variant-numeric: tabular-nums; color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
#tagger { grid-column: 1 / -1; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
#tagger textarea { width: 100%; min-height: 64px; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); resize: vertical; }
#tagger button { margin-top: 8px; padding: 6px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
#tagger button:disabled { opacity: .6; cursor: wait; }
#tagged { margin-top: 10px; font-size: 16px; line-height: 2.1; white-space: pre-wrap; overflow-wrap: anywhere; }
mark.ent { background: hsla(var(--hue), 75%, 55%, .22); border-bottom: 2px solid hsl(var(--hue), 60%, 45%); color: inherit; border-radius: 3px; padding: 1px 2px; }
mark.ent::after { content: attr(data-type); font-size: 10px; font-weight: 600; text-transform: uppercase; margin-left: 4px; color: hsl(var(--hue), 55%, 40%); vertical-align: 2px; }
.error-text { color: #d6453d; }
`;
