/* global Event, window */
// Drives the HTML report in Debian's headless chromium with puppeteer-core (an ES module, so it runs here in a
// child process rather than inside jest) and prints what it saw as JSON. Usage:
//   node html-browser.mjs <chromium> <report.html> <screenshot.png|-> <resourceIdToSearch>
import puppeteer from 'puppeteer-core';
import { pathToFileURL } from 'node:url';

const [chromium, file, screenshot, search] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const shown = () => page.$eval('#shown', (e) => Number(e.getAttribute('data-shown')));
  const rows = () => page.$$eval('tr[data-row]', (r) => r.map((x) => x.getAttribute('data-severity')));
  const out = { requests };
  out.counts = await page.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-count'), Number(e.textContent)])));
  out.verdict = await page.$eval('#verdict', (e) => e.textContent);
  out.charts = await page.$$eval('figure.chart svg title', (t) => t.map((x) => x.textContent));
  out.shown = await shown();
  out.rows = (await rows()).length;
  await page.select('#f-sev', 'critical');
  out.critical = { shown: await shown(), severities: await rows() };
  await page.select('#f-sev', '');
  await page.select('#f-rule', 'no-wildcard-actions');
  out.ruleShown = await shown();
  await page.select('#f-rule', '');
  await page.type('#f-text', search);
  out.textShown = await shown();
  await page.$eval('#f-text', (e) => { e.value = ''; e.dispatchEvent(new Event('input')); });
  out.clearedShown = await shown();
  await page.click('th button[data-sort="r"]');
  out.sortedRules = await page.$$eval('tr[data-row] td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
  await page.click('th button[data-sort="s"]');
  await page.focus('tr[data-row] button.expand');
  await page.keyboard.press('Enter');
  out.detail = await page.$eval('tr.detail', (e) => e.textContent);
  out.expanded = await page.$eval('tr[data-row] button.expand', (b) => b.getAttribute('aria-expanded'));
  await page.evaluate(() => window.scrollTo(0, 0));
  if (screenshot !== '-') await page.screenshot({ path: screenshot });
  process.stdout.write(JSON.stringify(out));
} finally {
  await browser.close();
}
