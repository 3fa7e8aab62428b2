import { OptionsError } from '../errors';
import { checkKeys, intOption } from '../options';
import { DASHBOARD_SCRIPT } from './client-script';
import { DASHBOARD_CSS } from './styles';

export interface DashboardOptions {
  /** Page title and heading. Default `twner — live entity trends`. */
  title?: string;
  /** Windows offered in the selector, in seconds; the first is selected. Default `[300, 3600, 86400]`. */
  windows?: number[];
  /** Entities per type and list. Default 10. */
  limit?: number;
  /** Milliseconds between two polls of `GET /v1/trends`. Default 2000. */
  refreshMs?: number;
}

const KEYS = ['title', 'windows', 'limit', 'refreshMs'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function windowLabel(seconds: number): string {
  if (seconds % 3600 === 0) return `last ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `last ${seconds / 60} min`;
  return `last ${seconds} s`;
}

/**
 * The live dashboard served at `GET /`: one self-contained HTML page (inline CSS and script, no
 * CDN, no request beyond its own server) showing the top and rising entities per type for a
 * chosen window, refreshed by polling `GET /v1/trends`, and a box that tags a pasted tweet with
 * `POST /v1/tag` and highlights its entities.
 */
export function dashboardHtml(options: DashboardOptions = {}): string {
  checkKeys('dashboardHtml', options, KEYS);
  const title = options.title ?? 'twner — live entity trends';
  if (typeof title !== 'string') throw new OptionsError('dashboardHtml', 'title', `must be a string, got ${typeof title}`);
  const windows = options.windows ?? [300, 3600, 86400];
  if (!Array.isArray(windows) || windows.length === 0 || windows.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new OptionsError('dashboardHtml', 'windows', `must be a non-empty array of whole seconds, got ${JSON.stringify(windows)}`);
  }
  const limit = intOption('dashboardHtml', 'limit', options.limit, 10);
  const refreshMs = intOption('dashboardHtml', 'refreshMs', options.refreshMs, 2000, 100);
  // JSON inside <script>: `<` escaped so that no string can close the element.
  const config = JSON.stringify({ limit, refreshMs }).replace(/</g, '\\u003c');
  const choices = windows.map((w, i) => `<option value="${w}"${i === 0 ? ' selected' : ''}>${windowLabel(w)}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(title)}</h1>
  <label>window <select id="window">${choices}</select></label>
  <span id="status">connecting…</span>
</header>
<main>
  <section id="top"><h2>Top <small>most mentioned</small></h2><div class="types" id="top-types"></div></section>
  <section id="rising"><h2>Rising <small>mentions now ÷ the entity's own recent rate</small></h2><div class="types" id="rising-types"></div></section>
  <section id="tagger">
    <h2>Tag a tweet</h2>
    <textarea id="tweet" placeholder="Paste a tweet, then Tag (Ctrl+Enter)" spellcheck="false"></textarea>
    <button id="tag-button" type="button">Tag</button>
    <div id="tagged" aria-live="polite"></div>
  </section>
</main>
<script id="twner-config" type="application/json">${config}</script>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
