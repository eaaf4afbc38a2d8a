// The web page (web/, with web/pkg built by `cargo xtask web`) in headless Chromium: what a user
// sees after dropping a file, that what it downloads is byte for byte what the `xxgk` binary
// writes for the same files, that no request leaves the page's origin, and its budgets.
//
// Run: `npm ci && npm test` in this folder, after `cargo build -p xxgk-cli` and `cargo xtask web`.
// XXGK_BIN names the binary (default: $CARGO_TARGET_DIR or target/, then debug/xxgk);
// CHROMIUM the browser (default /usr/bin/chromium). Screenshots go to target/web-screenshots/,
// measurements to target/web-budgets.json.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const webDir = join(root, 'web');
const fixtures = join(root, 'tests', 'fixtures');
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, 'target');
const xxgkBin = process.env.XXGK_BIN || join(targetDir, 'debug', 'xxgk');
const shots = join(root, 'target', 'web-screenshots');
const budgetsFile = join(root, 'target', 'web-budgets.json');
mkdirSync(shots, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json',
};

let server;
let origin;
let browser;
let context;
let page;
const requests = [];
const budgets = {};
const scratch = [];

// A folder of the test's own, removed at the end.
function tempDir(name) {
  const dir = mkdtempSync(join(tmpdir(), name));
  scratch.push(dir);
  return dir;
}

// The CLI, run in `cwd` so that file names are the bare names the page sees.
function xxgk(args, cwd) {
  const r = spawnSync(xxgkBin, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function serve() {
  return new Promise((resolveServe) => {
    const s = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = resolve(webDir, `.${path.endsWith('/') ? `${path}index.html` : path}`);
      if (!file.startsWith(webDir) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    s.listen(0, '127.0.0.1', () => resolveServe(s));
  });
}

async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

// Opens the page and waits until its WebAssembly is loaded; returns the milliseconds it took.
async function openPage() {
  const started = Date.now();
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return Date.now() - started;
}

const checks = () => page.evaluate(() => Number(document.body.dataset.checks || 0));

// Picks files and, for one, waits until it is checked and shown.
async function pick(paths) {
  const before = await checks();
  await page.setInputFiles('#files', paths);
  if (!Array.isArray(paths) || paths.length === 1) {
    await page.waitForFunction((n) => Number(document.body.dataset.checks || 0) > n, before, { timeout: 30000 });
  }
}

async function waitResult() {
  await page.waitForFunction(() => !document.getElementById('result').hidden, null, { timeout: 30000 });
}

async function download(click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await dl.path());
}

before(async () => {
  assert.ok(existsSync(join(webDir, 'pkg', 'xxgk_web_bg.wasm')), 'web/pkg is built: run `cargo xtask web`');
  assert.ok(existsSync(xxgkBin), `the xxgk binary is built: ${xxgkBin}`);
  server = await serve();
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // A new context has a fresh profile (the user-data dir Playwright makes for it).
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
  const log = (r) => requests.push(r.url());
  context.on('request', log);
  page.on('pageerror', (e) => { throw e; });
});

after(async () => {
  writeFileSync(budgetsFile, `${JSON.stringify(budgets, null, 2)}\n`);
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  if (browser) await browser.close();
  if (server) server.close();
});

test('the page with its WebAssembly loads in under a second, and the wasm is at most 4 MB compressed', async () => {
  await openPage(); // the first load fills the browser's cache, as a second visit would have it
  const times = [];
  for (let i = 0; i < 3; i++) times.push(await openPage());
  budgets.load_ms = Math.min(...times);
  const wasm = readFileSync(join(webDir, 'pkg', 'xxgk_web_bg.wasm'));
  budgets.wasm_bytes = wasm.length;
  budgets.wasm_gzip9_bytes = gzipSync(wasm, { level: 9 }).length;
  await shot('1-empty');
  assert.ok(budgets.load_ms < 1000, `load took ${budgets.load_ms} ms`);
  assert.ok(budgets.wasm_gzip9_bytes <= 4 * 1024 * 1024, `${budgets.wasm_gzip9_bytes} bytes compressed`);
});

test('the exporters in the WebAssembly are the binary\'s (registration works on wasm32)', async () => {
  const cli = JSON.parse(xxgk(['exporters', '--json'], root).stdout.toString()).map((e) => e.name);
  const web = await page.evaluate(() => window.xxgkExporters);
  assert.deepEqual(web, cli);
  for (const name of ['docx', 'json', 'csv', 'html', 'xlsx', 'xlsx-stats']) assert.ok(web.includes(name), name);
});

test('dropping the example workbook shows the pass, the JSON is validate --json\'s', async () => {
  const file = join(fixtures, 'example-2021.xlsx');
  const bytes = readFileSync(file).toString('base64');
  // A real drop: a DataTransfer holding the file, dropped on the drop zone.
  await page.evaluate(async ([b64, name]) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bin], name));
    document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [bytes, 'example-2021.xlsx']);
  await waitResult();
  const cli = xxgk(['validate', '--json', 'example-2021.xlsx'], fixtures);
  const expected = JSON.parse(cli.stdout.toString());
  assert.equal(expected.files[0].outcome, 'pass', 'the example passes');
  assert.equal((await page.textContent('#result-mark')).trim(), '✔ 通过');
  const json = await page.evaluate(() => window.xxgkLastJson);
  assert.equal(json, cli.stdout.toString(), 'the page\'s JSON is validate --json\'s, byte for byte');
  // The form is drawn with every value cell carrying its id.
  const frame = page.frameLocator('iframe.form').first();
  assert.ok(await frame.locator('td[data-cell="t3.new_received.natural_person"]').count() === 1);
  await shot('2-example-pass');
  // Checked again, warm: the budget of one workbook.
  const times = [];
  const shown = [];
  for (let i = 0; i < 5; i++) {
    await pick(file);
    await waitResult();
    times.push(Number(await page.evaluate(() => document.body.dataset.lastCheckMs)));
    shown.push(Number(await page.evaluate(() => document.body.dataset.lastShowMs)));
  }
  budgets.one_workbook_ms = Math.min(...times);
  // Checked, plus its findings in both languages and the form drawn twice (what the page shows).
  budgets.one_workbook_with_views_ms = Math.min(...shown);
  assert.ok(budgets.one_workbook_ms < 100, `one workbook took ${budgets.one_workbook_ms} ms`);
});

test('the example\'s downloads (docx, JSON, CSV) are xxgk convert\'s, and the template is xxgk template\'s', async () => {
  const out = tempDir('xxgk-web-');
  for (const [exporter, ext] of [['docx', 'docx'], ['json', 'json'], ['csv', 'csv']]) {
    const got = await download(() => page.click(`button[data-export="${exporter}"]`));
    const target = join(out, `cli.${ext}`);
    const r = xxgk(['convert', 'example-2021.xlsx', '--to', exporter, '-o', target], fixtures);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(got.equals(readFileSync(target)), `${exporter}: the page's bytes are the CLI's`);
  }
  await page.click('#template summary');
  await page.fill('#t-year', '2024');
  await page.fill('#t-agency', '示例县教育局');
  const got = await download(() => page.click('#t-download'));
  const target = join(out, 'template.xlsx');
  const r = xxgk(['template', '--year', '2024', '--agency', '示例县教育局', '-o', target], root);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(got.equals(readFileSync(target)), 'the template is the CLI\'s');
});

test('each broken fixture shows its rule, its cells and their places, highlighted in the form', async () => {
  const dir = join(fixtures, 'broken');
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  assert.ok(names.length >= 10);
  let highlighted = 0;
  for (const name of names) {
    const rule = basename(name, '.json');
    await pick(join(dir, name));
    const cli = JSON.parse(xxgk(['validate', '--json', name], dir).stdout.toString());
    assert.equal(await page.evaluate(() => window.xxgkLastJson), JSON.stringify(cli, null, 2) + '\n', name);
    const failing = cli.files[0].reports.flatMap((r) => r.findings).filter((f) => f.rule === rule && f.status !== 'pass');
    assert.ok(failing.length > 0, `${name} breaks ${rule}`);
    const item = page.locator(`li.finding[data-rule="${rule}"]`).first();
    assert.ok(await item.count() === 1, `${name}: ${rule} is shown`);
    const cells = (failing[0].cells || []).filter((c) => !c.report);
    if (cells.length === 0) continue;
    // The cell's place in the file (the JSON pointer, a sheet and cell, a line) is written.
    const withPlace = cells.find((c) => c.location);
    if (withPlace) {
      const text = await item.textContent();
      assert.ok(text.includes('['), `${name}: the place of ${withPlace.cell ?? withPlace.id} is shown: ${text}`);
    }
    const id = cells[0].cell ?? cells[0].id;
    const frame = page.frameLocator('iframe.form').first();
    await page.waitForFunction(() => {
      const f = document.querySelector('iframe.form');
      return f && f.contentDocument && f.contentDocument.querySelector('td.xxgk-hit');
    }, null, { timeout: 10000 });
    const inForm = await frame.locator(`td[data-cell="${id}"]`).count();
    if (inForm === 0) continue; // a cell the form does not draw (a 2019-only or group cell)
    assert.ok(await frame.locator(`td.xxgk-hit[data-cell="${id}"]`).count() > 0, `${name}: ${id} is highlighted`);
    await item.click();
    assert.ok(await frame.locator(`td.xxgk-focus[data-cell="${id}"]`).count() > 0, `${name}: clicking focuses ${id}`);
    highlighted += 1;
    if (rule === 'T3-BAL' || rule === 'T4-SUM') await shot(`3-broken-${rule}`);
  }
  // The table rules' fixtures at least (T3-BAL, T3-ROWSUM, T3-RESULTS, T4-SUM, …) point at cells.
  assert.ok(highlighted >= 6, `only ${highlighted} fixtures highlighted a cell`);
});

test('a file that cannot be read says so, as validate does', async () => {
  const dir = tempDir('xxgk-web-junk-');
  const file = join(dir, '坏.xlsx');
  writeFileSync(file, 'not a workbook');
  await pick(file);
  assert.equal((await page.textContent('#result-mark')).trim(), '✘ 无法读取');
  const cli = xxgk(['validate', '--json', '坏.xlsx'], dir);
  assert.equal(cli.code, 2);
  assert.equal(await page.evaluate(() => window.xxgkLastJson), cli.stdout.toString());
  assert.ok((await page.textContent('p.file-error')).includes('坏.xlsx'));
});

test('real published reports (PDF, portal pages, text) read in the page as the binary reads them', async () => {
  const dir = join(fixtures, 'real');
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.pdf') || n.endsWith('.portal.html') || n.endsWith('.crawler.txt'))
    .sort();
  assert.ok(names.some((n) => n.endsWith('.pdf')), 'a PDF is among them');
  for (const name of names) {
    await pick(join(dir, name));
    const cli = xxgk(['validate', '--json', name], dir).stdout.toString();
    assert.equal(await page.evaluate(() => window.xxgkLastJson), cli, name);
    if (name === 'hongze-2024.pdf') await shot('7-real-pdf');
  }
});

// Workbooks of distinct agencies made by the CLI from the valid JSON fixture; every tenth breaks
// T3-BAL. Returns their paths.
function workbooks(dir, count) {
  const base = JSON.parse(readFileSync(join(fixtures, 'valid-2021.json'), 'utf8'));
  const paths = [];
  for (let i = 1; i <= count; i++) {
    const r = structuredClone(base);
    const n = String(i).padStart(3, '0');
    r.meta.agency = `示例区第${n}局`;
    r.meta.region_code = `98${String(i).padStart(4, '0')}`;
    if (i % 10 === 0) {
      const c = r.cells['t3.new_received.natural_person'];
      if (c && typeof c.value === 'number') c.value += 1;
    }
    const json = join(dir, `${n}.json`);
    writeFileSync(json, JSON.stringify(r));
    const xlsx = join(dir, `${n}-示例区第${n}局.xlsx`);
    const out = xxgk(['convert', json, '-o', xlsx], dir);
    assert.equal(out.code, 0, out.stderr);
    paths.push(xlsx);
  }
  return paths;
}

test('50 workbooks: the statistics workbook and the sum are xxgk aggregate\'s, byte for byte', async () => {
  const dir = tempDir('xxgk-web-batch-');
  const paths = workbooks(dir, 50);
  await pick(paths);
  await page.waitForFunction(() => !document.getElementById('batch').hidden, null, { timeout: 60000 });
  await shot('4-batch-50');
  const stats = await download(() => page.click('#dl-stats'));
  const sum = await download(() => page.click('button[data-sum="0"]'));
  const names = paths.map((p) => basename(p));
  const r = xxgk(['aggregate', ...names, '-o', 'cli-stats.xlsx', '--sum-out', 'cli-sum.xlsx'], dir);
  assert.equal(r.code, 1, `five reports fail T3-BAL: ${r.stderr}`);
  assert.ok(stats.equals(readFileSync(join(dir, 'cli-stats.xlsx'))), 'the statistics workbook is the CLI\'s');
  assert.ok(sum.equals(readFileSync(join(dir, 'cli-sum.xlsx'))), 'the sum is the CLI\'s');
  const rows = await page.locator('#batch-table tbody tr').count();
  assert.equal(rows, 50);
  assert.equal(await page.locator('#batch-table tbody td.bad').count(), 5, 'five fail');
});

test('300 workbooks are checked and summed in under 10 s, with a progress bar, the page responsive', async () => {
  const dir = tempDir('xxgk-web-300-');
  const paths = workbooks(dir, 300);
  await pick(paths);
  // While the worker reads, the page answers (its thread is free) and the bar moves.
  await page.waitForFunction(() => Number(document.getElementById('progress').value) > 0, null, { timeout: 30000 });
  const responsive = await page.evaluate(() => new Promise((ok) => { const t = performance.now(); setTimeout(() => ok(performance.now() - t), 0); }));
  await shot('5-batch-progress');
  await page.waitForFunction(() => !document.getElementById('batch').hidden, null, { timeout: 120000 });
  budgets.batch_300_ms = Number(await page.evaluate(() => document.body.dataset.lastBatchMs));
  budgets.page_timer_during_batch_ms = Math.round(responsive);
  assert.ok(responsive < 200, `a timer waited ${responsive} ms during the batch`);
  assert.ok(budgets.batch_300_ms < 10000, `300 workbooks took ${budgets.batch_300_ms} ms`);
});

test('English: the verdict and findings come in English', async () => {
  await pick(join(fixtures, 'broken', 'T3-BAL.json'));
  await waitResult();
  await page.click('#lang');
  assert.equal((await page.textContent('#result-mark')).trim(), '✘ fail');
  assert.ok((await page.textContent('li.finding[data-rule="T3-BAL"]')).includes('T3-BAL'));
  await shot('6-english');
  await page.click('#lang');
  assert.equal((await page.textContent('#result-mark')).trim(), '✘ 不通过');
});

test('once loaded, the page works offline (service worker)', async () => {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  try {
    await openPage();
    await pick(join(fixtures, 'broken', 'T3-BAL.json'));
    assert.equal((await page.textContent('#result-mark')).trim(), '✘ 不通过');
  } finally {
    await context.setOffline(false);
  }
});

test('no request left the page\'s origin', () => {
  assert.ok(requests.length > 0);
  const outside = requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith(`blob:${origin}/`) || u.startsWith('data:')));
  assert.deepEqual(outside, []);
});
