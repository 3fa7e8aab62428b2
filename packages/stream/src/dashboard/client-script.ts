/**
 * The dashboard's browser script (plain ES2017, no framework, no network beyond the page's own
 * server). It reads its settings from `<script id="twner-config" type="application/json">`,
 * polls `GET v1/trends` for both views, and tags the pasted text with `POST v1/tag`. All text
 * from the server goes in through `textContent`, never as HTML.
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('twner-config').textContent);
  var windowSelect = document.getElementById('window');
  var statusLine = document.getElementById('status');
  var timer = null;

  function hue(type) {
    var h = 0;
    for (var i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) % 360;
    return h;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function getJson(url, init) {
    return fetch(url, init).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + response.status);
        return body;
      });
    });
  }

  function renderView(container, result, allTypes, view) {
    container.textContent = '';
    allTypes.forEach(function (type) {
      var entries = (result.types && result.types[type]) || [];
      var card = el('div', { 'class': 'type', 'data-type': type });
      card.style.setProperty('--hue', String(hue(type)));
      card.appendChild(el('h3', {}, type));
      var list = el('ol', {});
      var max = entries.reduce(function (m, e) { return Math.max(m, view === 'top' ? e.count : e.score); }, 0) || 1;
      entries.forEach(function (e) {
        var li = el('li', { 'data-entity': e.entity, title: e.count + ' mentions, rising score ' + e.score.toFixed(2) });
        var bar = el('i', { 'class': 'bar' });
        bar.style.width = (100 * (view === 'top' ? e.count : e.score) / max).toFixed(1) + '%';
        li.appendChild(bar);
        li.appendChild(el('span', { 'class': 'name' }, e.entity));
        li.appendChild(el('span', { 'class': 'num' }, view === 'top' ? String(e.count) : e.score.toFixed(1) + '× · ' + e.count));
        list.appendChild(li);
      });
      if (entries.length === 0) list.appendChild(el('li', { 'class': 'empty' }, view === 'top' ? 'no mentions' : 'nothing rising'));
      card.appendChild(list);
      container.appendChild(card);
    });
    if (allTypes.length === 0) container.appendChild(el('p', { 'class': 'empty' }, 'No entities yet: tag some tweets.'));
  }

  function refresh() {
    var w = windowSelect.value;
    var q = 'v1/trends?window=' + encodeURIComponent(w) + '&limit=' + config.limit + '&view=';
    Promise.all([getJson(q + 'top'), getJson(q + 'rising')]).then(function (results) {
      var seen = {};
      results.forEach(function (r) { Object.keys(r.types || {}).forEach(function (t) { seen[t] = true; }); });
      var allTypes = Object.keys(seen).sort();
      renderView(document.getElementById('top-types'), results[0], allTypes, 'top');
      renderView(document.getElementById('rising-types'), results[1], allTypes, 'rising');
      statusLine.className = 'live';
      statusLine.textContent = 'updated ' + new Date(results[0].generatedAt).toLocaleTimeString();
    }).catch(function (error) {
      statusLine.className = 'error';
      statusLine.textContent = 'trends unavailable: ' + error.message;
    });
  }

  function schedule() {
    if (timer !== null) clearInterval(timer);
    refresh();
    timer = setInterval(refresh, config.refreshMs);
  }

  /** The text with each entity wrapped in <mark>, by its [start, end) UTF-16 offsets; overlaps are skipped. */
  function highlight(target, text, entities) {
    target.textContent = '';
    var sorted = entities.slice().sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var at = 0;
    sorted.forEach(function (e) {
      if (e.start < at || e.end > text.length || e.end <= e.start) return;
      if (e.start > at) target.appendChild(document.createTextNode(text.slice(at, e.start)));
      var mark = el('mark', { 'class': 'ent', 'data-type': e.type, title: e.type + (typeof e.score === 'number' ? ' · ' + e.score.toFixed(2) : '') }, text.slice(e.start, e.end));
      mark.style.setProperty('--hue', String(hue(e.type)));
      target.appendChild(mark);
      at = e.end;
    });
    if (at < text.length) target.appendChild(document.createTextNode(text.slice(at)));
    if (sorted.length === 0) target.appendChild(el('span', { 'class': 'empty' }, '  (no entities found)'));
  }

  var button = document.getElementById('tag-button');
  var input = document.getElementById('tweet');
  var output = document.getElementById('tagged');
  function tag() {
    var text = input.value;
    if (text.trim() === '') return;
    button.disabled = true;
    getJson('v1/tag', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts: [text] }) })
      .then(function (body) {
        highlight(output, text, (body.results && body.results[0] && body.results[0].entities) || []);
        refresh();
      })
      .catch(function (error) {
        output.textContent = '';
        output.appendChild(el('span', { 'class': 'error-text' }, 'tagging failed: ' + error.message));
      })
      .then(function () { button.disabled = false; });
  }
  button.addEventListener('click', tag);
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) tag();
  });
  windowSelect.addEventListener('change', schedule);
  schedule();
})();
`;
