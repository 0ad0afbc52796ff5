// The report page's load time in Chromium, for bench/run-report.sh: node (the Playwright driver's own, shipped with
// the Microsoft.Playwright NuGet package) with its playwright-core, driving an installed Chromium.
//   node report-page-load.js PLAYWRIGHT_CORE_DIR CHROMIUM URL WORD
const [, , core, executablePath, url, word] = process.argv;
const { chromium } = require(core);
(async () => {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const errors = [];
  for (const round of [1, 2, 3]) {
    const page = await browser.newPage();
    page.on('pageerror', e => errors.push(String(e)));
    page.on('console', m => { if (m.type() === 'error') { errors.push(m.text()); } });
    const start = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => / samples$/.test(document.getElementById('status').textContent)
      && document.querySelectorAll('article.sample').length > 0);
    // The browser is at the foot of the page and its thumbnails load lazily: go there, as the "Samples" link does.
    await page.evaluate(() => document.getElementById('browser').scrollIntoView());
    await page.waitForFunction(() => [...document.querySelectorAll('img.thumb')].slice(0, 4).every(i => i.complete && i.naturalWidth > 0));
    const shown = Date.now() - start;
    const timing = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
    });
    await page.selectOption('#group-select', { index: 3 });
    const groupStart = Date.now();
    await page.waitForFunction(() => / samples$/.test(document.getElementById('status').textContent)
      && document.querySelector('article.sample')?.dataset.group === document.getElementById('group-select').value);
    const group = Date.now() - groupStart;
    await page.selectOption('#group-select', '');
    const scanStart = Date.now();
    await page.fill('#filter', word);
    await page.waitForFunction(() => document.getElementById('status').dataset.done === 'true'
      && / matches$/.test(document.getElementById('status').textContent), null, { timeout: 600000 });
    const scan = Date.now() - scanStart - 250; // less the filter box's 250 ms typing pause
    const status = await page.textContent('#status');
    console.log(`round ${round}: first page with thumbnails ${shown} ms (DOMContentLoaded ${timing.domContentLoaded} ms, load ${timing.load} ms); `
      + `one group's first page ${group} ms; text filter "${word}" over every chunk ${scan} ms (${status})`);
    await page.close();
  }
  await browser.close();
  console.log(errors.length === 0 ? 'console errors: none' : 'console errors: ' + errors.join(' | '));
})().catch(e => { console.error(e); process.exit(1); });
