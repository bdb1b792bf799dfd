// lib_shot.mjs: developer helper (not a test): screenshot the playground with a query.
//   node tests/e2e/lib_shot.mjs OUT.png "preset=..." [seconds] [width] [height]
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launchArgs } from './smoke.mjs';
const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(process.env.AELAB_WEB_DIR || path.join(here, '../../build/web/playground'));
const [out, query = '', secs = '6', w = '1280', h = '800'] = process.argv.slice(2);
const server = await serve(webDir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: launchArgs });
const page = await browser.newPage({ viewport: { width: +w, height: +h } });
page.on('console', (m) => console.log(`console.${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.log(`PAGE ERROR ${e.message}`));
await page.goto(`http://127.0.0.1:${server.address().port}/index.html${query ? '?' + query : ''}`);
await page.waitForTimeout(+secs * 1000);
await page.screenshot({ path: out });
console.log(JSON.stringify(await page.evaluate(() => window.aelab)));
await browser.close(); server.close();
