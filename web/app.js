// The page: takes the files the user drops or picks, hands them to the worker (worker.js, which
// runs xxgk's WebAssembly) and shows what it says. Verdicts, findings, labels and places come
// from the library in the chosen language; this file holds only the page's own words.

const WORDS = {
  zh: {
    title: '政府信息公开工作年度报告 校验',
    privacy: '文件只在本机浏览器中读取和校验，不会上传到任何服务器。',
    drop: '把年报文件拖到这里，或点击选择（可多选）',
    types: 'Excel（xlsx、xls）、WPS/ODS、CSV、JSON、文本、网页、Word（docx）、PDF',
    strict: '警告也视为不通过',
    blankAsZero: '空白和占位符按0计',
    templateTitle: '下载空白模板',
    year: '报告年度',
    agency: '机关名称',
    version: '格式版本',
    download: '下载',
    batchTitle: '批量汇总',
    dlStats: '下载统计工作簿（xlsx）',
    dlSum: '下载合计报表',
    colVerdict: '结果',
    colFile: '文件',
    colReport: '报告',
    colRules: '问题',
    loading: '正在载入校验程序……',
    ready: '就绪。',
    checking: '正在读取和校验',
    summing: '正在汇总',
    checkedIn: (ms) => `校验用时 ${ms} 毫秒`,
    batchDone: (n, ms) => `${n} 个文件，用时 ${(ms / 1000).toFixed(1)} 秒`,
    dlDocx: '下载 Word（docx）',
    dlJson: '下载 JSON',
    dlCsv: '下载 CSV',
    form: '报表',
    noForm: '（文件无法读取，没有报表）',
    crashed: '读取组件中止，文件可能已损坏；已重新载入校验程序。',
    failed: '出错：',
    clickToShow: '点击查看详情',
  },
  en: {
    title: 'Government information disclosure annual report: check',
    privacy: 'Files are read and checked in this browser only; nothing is uploaded to any server.',
    drop: 'Drop report files here, or click to pick them (several at once)',
    types: 'Excel (xlsx, xls), WPS/ODS, CSV, JSON, text, web page, Word (docx), PDF',
    strict: 'A failed warning also fails',
    blankAsZero: 'Count blanks and placeholders as 0',
    templateTitle: 'Download the blank template',
    year: 'Report year',
    agency: 'Agency',
    version: 'Format version',
    download: 'Download',
    batchTitle: 'Batch',
    dlStats: 'Download the statistics workbook (xlsx)',
    dlSum: 'Download the sum',
    colVerdict: 'Result',
    colFile: 'File',
    colReport: 'Report',
    colRules: 'Problems',
    loading: 'Loading the checker…',
    ready: 'Ready.',
    checking: 'Reading and checking',
    summing: 'Summing',
    checkedIn: (ms) => `checked in ${ms} ms`,
    batchDone: (n, ms) => `${n} files in ${(ms / 1000).toFixed(1)} s`,
    dlDocx: 'Download Word (docx)',
    dlJson: 'Download JSON',
    dlCsv: 'Download CSV',
    form: 'Tables',
    noForm: '(the file could not be read: no tables)',
    crashed: 'The reader gave up; the file may be damaged. The checker was reloaded.',
    failed: 'Error: ',
    clickToShow: 'click for details',
  },
};

const $ = (id) => document.getElementById(id);
let lang = 'zh';
const words = () => WORDS[lang];

// ---- the worker ----
const worker = new Worker('worker.js', { type: 'module' });
let nextId = 1;
const pending = new Map();
const progressHandlers = new Map();

worker.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === 'progress') {
    const h = progressHandlers.get(msg.reqId);
    if (h) h(msg);
    return;
  }
  const p = pending.get(msg.reqId);
  if (!p) return;
  pending.delete(msg.reqId);
  progressHandlers.delete(msg.reqId);
  if (msg.type === 'done') p.resolve(msg.result);
  else p.reject(Object.assign(new Error(msg.message), { trapped: msg.trapped }));
};

// Each request has its own reply id; a check also has an id of its own, under which the worker
// keeps it for the exports.
function ask(request, onProgress) {
  const reqId = nextId++;
  if (onProgress) progressHandlers.set(reqId, onProgress);
  return new Promise((resolve, reject) => {
    pending.set(reqId, { resolve, reject });
    worker.postMessage({ ...request, reqId });
  });
}

// The status line; given as a function of the words, it is said again in the other language.
let statusText = null;
function status(text, kind = '') {
  statusText = { text, kind };
  const s = $('status');
  s.textContent = typeof text === 'function' ? text(words()) : text;
  s.className = kind;
}

function showError(err) {
  status(err.trapped ? `${words().crashed}（${err.message}）` : words().failed + err.message, 'error');
}

// ---- downloads ----
function save(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
  csv: 'text/csv',
};

function stem(name) {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(0, i) : name;
}

// ---- one file ----
let current = null; // { file, checkId, result }

async function checkOne(file) {
  $('result').hidden = true;
  status(`${words().checking}：${file.name}`);
  try {
    const checkId = nextId++;
    const result = await ask({
      type: 'check', id: checkId, file, strict: $('strict').checked, blankAsZero: $('blank-as-zero').checked,
    });
    current = { file, checkId, result };
    window.xxgkLastJson = result.json;
    document.body.dataset.checks = String(Number(document.body.dataset.checks || 0) + 1);
    document.body.dataset.lastCheckMs = String(Math.round(result.ms));
    document.body.dataset.lastShowMs = String(Math.round(result.totalMs));
    status((w) => w.checkedIn(Math.max(1, Math.round(result.ms))));
    renderResult();
    // From a batch's row, the file's findings are shown under the batch: go there.
    if (!$('batch').hidden) $('result').scrollIntoView({ block: 'start' });
  } catch (err) {
    showError(err);
  }
}

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function outcomeClass(outcome) {
  return { pass: 'ok', partial: 'warn', fail: 'bad', error: 'bad' }[outcome] || '';
}

function renderResult() {
  if (!current) return;
  const { file, result, checkId } = current;
  const view = result.views[lang];
  const w = words();
  $('result').hidden = false;
  const mark = $('result-mark');
  mark.textContent = view.mark;
  mark.className = outcomeClass(view.outcome);
  $('result-file').textContent = file.name;
  const box = $('reports');
  box.replaceChildren();
  if (view.error) {
    box.append(el('p', { class: 'error file-error' }, `${file.name}: ${view.error}`));
    box.append(el('p', { class: 'muted' }, w.noForm));
    return;
  }
  const downloads = el('div', { class: 'downloads' });
  for (const [exporter, label] of [['docx', w.dlDocx], ['json', w.dlJson], ['csv', w.dlCsv]]) {
    const b = el('button', { type: 'button', textContent: label, 'data-export': exporter });
    b.onclick = async () => {
      try {
        const { bytes } = await ask({ type: 'export', id: checkId, exporter, lang });
        save(bytes, `${stem(file.name)}.${exporter}`, TYPES[exporter]);
      } catch (err) {
        showError(err);
      }
    };
    downloads.append(b);
  }
  box.append(downloads);
  view.reports.forEach((r, i) => box.append(renderReport(r, result.forms[lang][i], i)));
}

function renderReport(r, formHtml, index) {
  const article = el('article', { class: 'report', 'data-report': String(index) });
  article.append(el('h3', {}, el('span', { class: outcomeClass(r.outcome) }, r.mark), ' ', r.head));
  if (r.note) article.append(el('p', { class: 'muted' }, r.note));
  if (r.partial) article.append(el('p', { class: 'warn' }, r.partial));
  const frame = el('iframe', { class: 'form', title: words().form });
  frame.setAttribute('sandbox', 'allow-same-origin');
  const list = el('ol', { class: 'findings' });
  r.findings.forEach((f) => {
    const cells = el('ul', { class: 'cells' });
    for (const c of f.cells) {
      const place = c.place ? el('span', { class: 'place' }, ` [${c.place}]`) : null;
      const who = c.report ? `${c.report}：` : '';
      cells.append(el('li', { 'data-cell': c.id }, `${who}${c.label} = ${c.value}`, place));
    }
    const item = el('li', { class: `finding ${f.kind}`, 'data-rule': f.rule, tabIndex: 0 },
      el('span', { class: `tag ${f.kind}` }, f.tag), ' ', el('b', { class: 'rule' }, f.rule), ' ', f.text, cells);
    const own = f.cells.filter((c) => !c.report).map((c) => c.id);
    item.onclick = () => focusCells(frame, own, item);
    item.onkeydown = (e) => { if (e.key === 'Enter') focusCells(frame, own, item); };
    list.append(item);
  });
  article.append(list);
  article.append(el('p', { class: 'muted counts' }, r.counts));
  // Each cell highlighted by the gravest finding on it: an error, then a warning, then a check
  // that could not be made.
  const rank = { error: 3, warning: 2, not_assessable: 1, pass: 0 };
  const hits = new Map();
  for (const f of r.findings) {
    for (const c of f.cells.filter((x) => !x.report)) {
      if (!hits.has(c.id) || rank[f.kind] > rank[hits.get(c.id)]) hits.set(c.id, f.kind);
    }
  }
  frame.onload = () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    const style = doc.createElement('style');
    style.textContent = 'td.xxgk-hit{background:#ffe3e3;outline:2px solid #d33;outline-offset:-2px}'
      + 'td.xxgk-hit.warning{background:#fff3cd;outline-color:#bf8700}'
      + 'td.xxgk-hit.not_assessable{background:#f3e8ff;outline-color:#8250df}'
      + 'td.xxgk-focus{background:#ffb3b3;outline:3px solid #a00}body{max-width:none}';
    doc.head.append(style);
    for (const td of doc.querySelectorAll('td[data-cell]')) {
      const kind = hits.get(td.getAttribute('data-cell'));
      if (kind) td.classList.add('xxgk-hit', kind);
    }
    frame.style.height = `${doc.documentElement.scrollHeight + 20}px`;
  };
  frame.srcdoc = formHtml;
  article.append(frame);
  return article;
}

function focusCells(frame, ids, item) {
  for (const li of document.querySelectorAll('li.finding.active')) li.classList.remove('active');
  item.classList.add('active');
  const doc = frame.contentDocument;
  if (!doc) return;
  for (const td of doc.querySelectorAll('td.xxgk-focus')) td.classList.remove('xxgk-focus');
  let first = null;
  for (const id of ids) {
    for (const td of doc.querySelectorAll(`td[data-cell="${CSS.escape(id)}"]`)) {
      td.classList.add('xxgk-focus');
      first = first || td;
    }
  }
  if (first) first.scrollIntoView({ block: 'center' });
}

// ---- many files ----
let lastBatch = null; // { files, result }

async function checkMany(files) {
  $('result').hidden = true;
  $('batch').hidden = true;
  const box = $('progress-box');
  box.hidden = false;
  $('progress').max = files.length;
  $('progress').value = 0;
  status(`${words().checking}…`);
  try {
    const result = await ask({
      type: 'batch', files, lang, strict: $('strict').checked, blankAsZero: $('blank-as-zero').checked,
    }, (p) => {
      $('progress').value = p.done;
      $('progress-text').textContent = `${p.done}/${p.total} ${p.name}`;
      if (p.done === p.total) status(`${words().summing}…`);
    });
    lastBatch = { files, result, lang };
    document.body.dataset.lastBatchMs = String(Math.round(result.ms));
    status((w) => w.batchDone(files.length, result.ms));
    renderBatch();
  } catch (err) {
    showError(err);
  } finally {
    box.hidden = true;
  }
}

function renderBatch() {
  if (!lastBatch) return;
  const { result, files } = lastBatch;
  const v = result.view;
  $('batch').hidden = false;
  $('batch-summary').textContent = v.summary_text;
  $('dl-stats').disabled = result.stats.length === 0;
  $('dl-stats').onclick = () => save(result.stats, lang === 'zh' ? '统计.xlsx' : 'statistics.xlsx', TYPES.xlsx);
  const sums = $('dl-sums');
  sums.replaceChildren();
  result.sums.forEach((bytes, i) => {
    const s = v.sums[i];
    const several = result.sums.length > 1;
    const yearText = s.year ? `${s.year}年度` : '年度不明';
    // The names `aggregate --sum-out 合计.xlsx` gives a batch of several formats or years.
    const name = several ? `合计（${yearText}，${s.format}版）.xlsx` : '合计.xlsx';
    const b = el('button', { type: 'button', 'data-sum': String(i), textContent: several ? `${words().dlSum}（${yearText}，${s.format}）` : words().dlSum });
    b.onclick = () => save(bytes, name, TYPES.xlsx);
    sums.append(b);
  });
  const body = $('batch-table').tBodies[0];
  body.replaceChildren();
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const r of v.reports) {
    const tr = el('tr', { title: words().clickToShow },
      el('td', { class: outcomeClass(r.outcome) }, r.mark), el('td', {}, r.file), el('td', {}, r.head),
      el('td', {}, r.rules));
    tr.onclick = () => { const f = byName.get(r.file); if (f) checkOne(f); };
    body.append(tr);
  }
  for (const [file, why] of v.unreadable) {
    const tr = el('tr', {}, el('td', { class: 'bad' }, v.unreadable_mark), el('td', {}, file), el('td', { colSpan: 2 }, why));
    tr.onclick = () => { const f = byName.get(file); if (f) checkOne(f); };
    body.append(tr);
  }
}

// ---- input ----
function take(fileList) {
  const files = [...fileList];
  if (files.length === 1) {
    $('batch').hidden = true;
    checkOne(files[0]);
  } else if (files.length > 1) {
    checkMany(files);
  }
}

function setLang(next) {
  lang = next;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const e of document.querySelectorAll('[data-t]')) {
    const w = words()[e.getAttribute('data-t')];
    if (typeof w === 'string') e.textContent = w;
  }
  document.title = words().title;
  $('lang').textContent = lang === 'zh' ? 'English' : '中文';
  $('lang').lang = lang === 'zh' ? 'en' : 'zh-CN';
  if (statusText) status(statusText.text, statusText.kind);
  renderResult();
  // The statistics workbook is written in the language of the batch: sum it again.
  if (lastBatch && lastBatch.lang !== lang && !$('batch').hidden) checkMany(lastBatch.files);
}

async function start() {
  status(words().loading);
  const year = new Date().getFullYear() - 1;
  $('t-year').value = String(year);
  $('t-version').value = year >= 2021 ? '2021' : '2019';
  $('t-year').oninput = () => {
    const y = Number($('t-year').value);
    if (y >= 2019) $('t-version').value = y >= 2021 ? '2021' : '2019';
  };
  $('lang').onclick = () => setLang(lang === 'zh' ? 'en' : 'zh');
  $('files').onchange = (e) => { take(e.target.files); e.target.value = ''; };
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    take(e.dataTransfer.files);
  });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('files').click(); });
  $('t-download').onclick = async () => {
    try {
      const year = Number($('t-year').value) || undefined;
      const agency = $('t-agency').value.trim();
      const version = $('t-version').value;
      const { bytes } = await ask({ type: 'template', version, agency, year });
      const name = `${agency || (lang === 'zh' ? '年报模板' : 'template')}${year ? `-${year}` : ''}.xlsx`;
      save(bytes, name, TYPES.xlsx);
    } catch (err) {
      showError(err);
    }
  };
  try {
    const { exporters } = await ask({ type: 'ready' });
    window.xxgkExporters = exporters.map((e) => e.name);
    document.body.dataset.ready = 'true';
    status((w) => w.ready);
  } catch (err) {
    showError(err);
  }
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

start();
