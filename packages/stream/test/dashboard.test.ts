import { memoryTrendStore } from '@twner/trends';
import { createServer, OptionsError } from '../src';
import { dashboardHtml } from '../src/dashboard';
import { fakeEngine } from './fake-engine';

describe('dashboardHtml', () => {
  const html = dashboardHtml();

  it('is one self-contained page: no external script, style, font or image', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('reads trends for both views and tags through the page’s own server', () => {
    expect(html).toContain("'v1/trends?window='");
    expect(html).toContain("getJson(q + 'top')");
    expect(html).toContain("getJson(q + 'rising')");
    expect(html).toContain("getJson('v1/tag'");
  });

  it('offers the windows asked for, the first selected', () => {
    const page = dashboardHtml({ windows: [60, 900] });
    expect(page).toContain('<option value="60" selected>last 1 min</option><option value="900">last 15 min</option>');
  });

  it('escapes the title', () => {
    expect(dashboardHtml({ title: '<b>x</b> & "y"' })).toContain('<title>&#60;b&#62;x&#60;/b&#62; &#38; &#34;y&#34;</title>');
  });

  it('refuses unknown options and bad values', () => {
    expect(() => dashboardHtml({ refresh: 5 } as never)).toThrow(OptionsError);
    expect(() => dashboardHtml({ refresh: 5 } as never)).toThrow(/dashboardHtml: option `refresh` is not an option/);
    expect(() => dashboardHtml({ refreshMs: 10 })).toThrow(/`refreshMs` must be an integer ≥ 100, got 10/);
    expect(() => dashboardHtml({ windows: [] })).toThrow(/`windows` must be a non-empty array/);
  });
});

describe('the routes the dashboard calls', () => {
  it('serve the page at / and answer a window the store does not keep with a 400 the page can show', async () => {
    const app = createServer({ engine: fakeEngine(), trends: memoryTrendStore({ retention: 3600 }), dashboardHtml });
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toBe(dashboardHtml());
    const tooLong = await app.inject({ method: 'GET', url: '/v1/trends?window=86400' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({
      error: { code: 'ERR_TRENDS_QUERY', message: 'trends query: `window` is 86400 s but the store keeps 3600 s; ask for a shorter window or raise `retention`' },
    });
    await app.close();
  });
});
