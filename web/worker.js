// The page's worker: runs xxgk's WebAssembly (web/pkg, built by `cargo xtask web`) off the page's
// thread, so that the page stays responsive while files are read, checked and summed. Files
// never leave the machine: they are read here from the File objects the user dropped.

// A panic's message, written to the console by the WebAssembly just before it traps.
let lastPanic = '';
const consoleError = console.error.bind(console);
console.error = (...args) => {
  lastPanic = args.join(' ');
  consoleError(...args);
};

let generation = 0;
let wasm = null;
// Files checked, by the page's id: what they export from.
const checked = new Map();
const KEPT = 20;

async function load() {
  if (!wasm) {
    // A fresh module (another URL) after a trap: a trapped instance is not used again.
    const url = generation === 0 ? './pkg/xxgk_web.js' : `./pkg/xxgk_web.js?instance=${generation}`;
    const mod = await import(url);
    await mod.default();
    wasm = mod;
  }
  return wasm;
}

// A trap (a panic in a reader, out of memory) leaves the instance unusable: drop it and what
// it held, and start a new one on the next request.
function trapped(err) {
  if (err instanceof WebAssembly.RuntimeError) {
    wasm = null;
    generation += 1;
    checked.clear();
    return true;
  }
  return false;
}

function message(err) {
  return err && err.message ? err.message : String(err);
}

async function bytesOf(file) {
  return new Uint8Array(await file.arrayBuffer());
}

async function handle(msg) {
  const w = await load();
  switch (msg.type) {
    case 'ready':
      return { exporters: JSON.parse(w.exporters()) };
    case 'check': {
      const started = performance.now();
      const c = w.check(await bytesOf(msg.file), msg.file.name, msg.strict, msg.blankAsZero);
      const ms = performance.now() - started;
      const old = checked.get(msg.id);
      if (old) old.free();
      checked.set(msg.id, c);
      // Only the last files shown can be exported: the older ones are freed.
      while (checked.size > KEPT) {
        const [oldest, handle] = checked.entries().next().value;
        handle.free();
        checked.delete(oldest);
      }
      const views = { zh: JSON.parse(c.view('zh')), en: JSON.parse(c.view('en')) };
      const forms = { zh: [], en: [] };
      for (let i = 0; i < c.reports(); i++) {
        forms.zh.push(c.form(i, 'zh'));
        forms.en.push(c.form(i, 'en'));
      }
      return { views, forms, json: c.json(), ms, totalMs: performance.now() - started };
    }
    case 'export': {
      const c = checked.get(msg.id);
      if (!c) throw new Error('gone');
      const bytes = c.export(msg.exporter, msg.lang);
      return { bytes };
    }
    case 'template':
      return { bytes: w.template(msg.version, msg.agency || undefined, msg.year || undefined) };
    case 'batch': {
      const started = performance.now();
      const batch = new w.Batch(msg.lang, msg.strict, msg.blankAsZero);
      const total = msg.files.length;
      for (let i = 0; i < total; i++) {
        const f = msg.files[i];
        const mark = batch.add(f.name, await bytesOf(f), Math.floor(f.lastModified / 1000));
        postMessage({ type: 'progress', reqId: msg.reqId, done: i + 1, total, name: f.name, mark });
      }
      const result = batch.finish();
      const sums = [];
      for (let i = 0; i < result.sum_count(); i++) sums.push(result.sum(i));
      const out = { view: JSON.parse(result.view()), stats: result.stats(), sums, ms: performance.now() - started };
      result.free();
      return out;
    }
    default:
      throw new Error(`unknown request ${msg.type}`);
  }
}

onmessage = async (event) => {
  const msg = event.data;
  try {
    const result = await handle(msg);
    postMessage({ type: 'done', reqId: msg.reqId, result });
  } catch (err) {
    const wasTrap = trapped(err);
    postMessage({ type: 'error', reqId: msg.reqId, trapped: wasTrap, message: wasTrap && lastPanic ? lastPanic : message(err) });
    lastPanic = '';
  }
};
