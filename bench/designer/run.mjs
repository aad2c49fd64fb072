// Designer drag benchmark: does a 200-node flow stay interactive while a node is dragged?
//
//   bench/designer/run.sh [--nodes 200] [--baseline 10] [--seconds 2] [--rounds 3] [--json] [--designer-dir <build>]
//
// Starts Tributary in-process (serving a designer build of the current sources, or --designer-dir),
// creates a flow of `--baseline` nodes and one of `--nodes` nodes, and in Debian's Chromium
// (/usr/bin/chromium through playwright-core, the browser tests' launch) drags the node in the middle
// of each along a figure eight for `--seconds` with page.mouse. Meanwhile the page records every
// requestAnimationFrame timestamp and a Chromium trace records the renderer main thread's tasks.
// Rounds alternate the two flows so load from other processes falls on both alike; medians over
// rounds are reported. BENCH_TRACE_DIR=<dir> keeps the traces. See README.md next to this file.
import { cpus, loadavg } from 'node:os';
import { startDesignerApp, ADMIN } from '../../test/browser/support/app.ts';
import { launchChromium, newContext, signInContext } from '../../test/browser/support/browser.ts';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const NODES = option('nodes', 200);
const BASELINE = option('baseline', 10);
const SECONDS = option('seconds', 2);
const ROUNDS = option('rounds', 3);
const JSON_OUT = args.includes('--json');
const dirArg = args.indexOf('--designer-dir');
/** Serve this designer build instead of one made from the current sources (before/after comparisons). */
const DESIGNER_DIR = dirArg === -1 ? undefined : args[dirArg + 1];

const gridCols = (n) => Math.max(2, Math.round(Math.sqrt(2 * n)));

/** The map node in the middle of the grid: the one dragged, well away from the canvas edges. */
export function centreNode(n) {
  const cols = gridCols(n);
  const rows = Math.ceil((n - 1) / cols);
  return `map${Math.min(n - 1, Math.floor(rows / 2) * cols + Math.floor(cols / 2) + 1)}`;
}

/** A webhook trigger and n−1 map nodes on a grid: the trigger feeds each row, each row is a chain. */
export function gridFlow(id, n) {
  const cols = gridCols(n);
  const nodes = [{ id: 'hook', type: 'core.webhook', name: 'Order webhook', config: { signature: 'none', responseMode: 'async' } }];
  const layout = { hook: { x: -320, y: 0 } };
  const edges = [];
  for (let i = 1; i < n; i++) {
    const k = i - 1;
    const row = Math.floor(k / cols);
    const col = k % cols;
    const nid = `map${i}`;
    nodes.push({ id: nid, type: 'core.map', name: `Map ${i}`, config: { expression: `{ "step": ${i}, "order": name, "lines": line_items.{ "sku": sku, "qty": quantity } }` } });
    layout[nid] = { x: col * 280, y: row * 140 };
    edges.push({ from: col === 0 ? 'hook' : `map${i - 1}`, to: nid });
  }
  return { schemaVersion: 1, id, name: `Drag benchmark, ${n} nodes`, trigger: 'hook', nodes, edges, settings: { priority: 'normal', concurrency: 10, timeoutMs: 300000 }, layout };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Installs the frame recorder in the page: every requestAnimationFrame timestamp and pointermove count. */
function installRecorder() {
  const rec = { frames: [], moves: 0, running: true };
  addEventListener('pointermove', () => rec.moves++, { capture: true, passive: true });
  const tick = (t) => {
    rec.frames.push(t);
    if (rec.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__dragBench = rec;
}

// Only top-level tasks and the two marks: richer categories slow the page down noticeably.
const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];
const FRAME_MS = 1000 / 60;

/**
 * Main-thread busy time in each 16.7 ms interval between the `bench-start` and `bench-end` marks,
 * from a Chromium trace: the top-level tasks of the page's renderer main thread (input handling,
 * React, requestAnimationFrame, style, layout, paint, effects, garbage collection), clipped to the
 * window and spread over the intervals they cover.
 */
export function busyPerFrame(traceBuffer) {
  const trace = JSON.parse(traceBuffer.toString('utf8'));
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mark = (name) => events.find((e) => e.name === name && String(e.cat).includes('blink.user_timing'));
  const startMark = mark('bench-start');
  const endMark = mark('bench-end');
  if (!startMark || !endMark) throw new Error('the trace has no bench-start/bench-end marks');
  const pid = startMark.pid;
  const tid = startMark.tid;
  const t0 = startMark.ts;
  const t1 = endMark.ts;
  const frameUs = FRAME_MS * 1000;
  const buckets = new Array(Math.max(1, Math.floor((t1 - t0) / frameUs))).fill(0);
  for (const e of events) {
    if (e.pid !== pid || e.tid !== tid || e.ph !== 'X' || !e.dur) continue;
    // The scheduler's top-level task on the renderer main thread (category `toplevel`).
    if (e.name !== 'ThreadControllerImpl::RunTask') continue;
    const from = Math.max(e.ts, t0);
    const to = Math.min(e.ts + e.dur, t0 + buckets.length * frameUs);
    for (let i = Math.floor((from - t0) / frameUs); i < buckets.length && t0 + i * frameUs < to; i++) {
      const overlap = Math.min(to, t0 + (i + 1) * frameUs) - Math.max(from, t0 + i * frameUs);
      if (overlap > 0) buckets[i] += overlap / 1000;
    }
  }
  return buckets.map((b) => Math.min(b, FRAME_MS));
}

/** Waits until React Flow's viewport transform stops changing (fit-view animates for 300 ms). */
async function viewportSettled(page) {
  const read = () => page.locator('.react-flow__viewport').getAttribute('style');
  let last = await read();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = await read();
    if (now === last) return;
    last = now;
  }
  throw new Error('the canvas viewport kept moving');
}

async function measure(browser, page, flowId, nodeId) {
  await page.goto(`/#/flows/${flowId}`);
  await page.getByTestId(`node-${nodeId}`).waitFor();
  // Select the node (its configuration panel opens and narrows the canvas), then fit the flow into
  // what is left, so the dragged node is in view and away from the edges.
  await page.getByTestId(`node-${nodeId}`).click();
  await page.getByTestId('config-panel').waitFor();
  await page.getByTestId('fit-view').click();
  await viewportSettled(page);
  const box = await page.getByTestId(`node-${nodeId}`).locator('.step-node-header').boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not visible`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 2, cy + 1);
  await page.waitForTimeout(200);
  // A figure eight around the start point, clear of the canvas edges (React Flow pans the view when
  // the pointer comes within 40 px of them, which is not what is measured here).
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const rx = 100;
  const ry = 60;
  const margin = 45;
  if (cx - rx < canvas.x + margin || cx + rx > canvas.x + canvas.width - margin || cy - ry < canvas.y + margin || cy + ry > canvas.y + canvas.height - margin) {
    throw new Error(`node ${nodeId} at (${Math.round(cx)}, ${Math.round(cy)}) is too close to the edge of the canvas (${JSON.stringify(canvas)}) for the drag path`);
  }
  await page.evaluate(installRecorder);
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const windowStart = await page.evaluate(() => {
    performance.mark('bench-start');
    return { t: performance.now(), moves: window.__dragBench.moves };
  });
  // A mouse reporting at ~125 Hz: moves are sent on a clock, not one after the other's
  // acknowledgement, so a slow page gets events queued (and coalesced) as with a real mouse.
  const started = Date.now();
  const sent = [];
  for (let i = 0; ; i++) {
    const due = started + i * 8;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = (Date.now() - started) / 1000;
    if (t >= SECONDS) break;
    const a = (t / SECONDS) * 2 * Math.PI;
    sent.push(page.mouse.move(cx + 2 + rx * Math.sin(a), cy + 1 + ry * Math.sin(2 * a)));
  }
  await Promise.all(sent);
  const windowEnd = await page.evaluate(() => {
    performance.mark('bench-end');
    return { t: performance.now(), moves: window.__dragBench.moves };
  });
  const traceBuf = await browser.stopTracing();
  if (process.env.BENCH_TRACE_DIR) (await import('node:fs')).writeFileSync(`${process.env.BENCH_TRACE_DIR}/${flowId}.json`, traceBuf);
  const busy = busyPerFrame(traceBuf).sort((a, b) => a - b);
  // Frames and pointer events between the two marks only, the window the trace is read over.
  const elapsed = (windowEnd.t - windowStart.t) / 1000;
  const moves = windowEnd.moves - windowStart.moves;
  const frames = await page.evaluate(({ from, to }) => {
    const r = window.__dragBench;
    r.running = false;
    return r.frames.filter((t) => t >= from && t <= to);
  }, { from: windowStart.t, to: windowEnd.t });
  // The figure eight ends where it began; one last move shows the node really follows the pointer.
  await page.mouse.move(cx + 2 + rx, cy + 1);
  await page.mouse.up();
  const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const after = await page.getByTestId(`node-${nodeId}`).boundingBox();
  if (!after || Math.abs(after.x - box.x - rx) > 10) throw new Error(`node ${nodeId} did not follow the pointer: the drag was not a drag`);
  // Put the node back (the whole drag is one undo step) so the next round starts from the same flow.
  await page.keyboard.press('Control+z');
  await page.goto('/#/flows');
  await page.getByTestId('topnav').waitFor();
  return {
    busyMedianMs: quantile(busy, 0.5),
    busyP95Ms: quantile(busy, 0.95),
    busyMeanMs: busy.reduce((a, b) => a + b, 0) / Math.max(1, busy.length),
    // Main-thread time per pointermove handled: what one step of the drag costs.
    busyPerMoveMs: busy.reduce((a, b) => a + b, 0) / Math.max(1, moves),
    intervalMedianMs: quantile(intervals, 0.5),
    intervalP95Ms: quantile(intervals, 0.95),
    intervalMaxMs: intervals.at(-1) ?? NaN,
    droppedShare: intervals.filter((x) => x > 20).length / Math.max(1, intervals.length),
    fps: frames.length / elapsed,
    movesPerSecond: moves / elapsed,
  };
}

const median = (xs) => quantile([...xs].sort((a, b) => a - b), 0.5);
const METRICS = ['busyMedianMs', 'busyP95Ms', 'busyMeanMs', 'busyPerMoveMs', 'intervalMedianMs', 'intervalP95Ms', 'intervalMaxMs', 'droppedShare', 'fps', 'movesPerSecond'];
const LABELS = {
  busyMedianMs: 'main-thread time per frame, median (ms)',
  busyP95Ms: 'main-thread time per frame, p95 (ms)',
  busyMeanMs: 'main-thread time per frame, mean (ms)',
  busyPerMoveMs: 'main-thread time per drag step (per pointermove handled, ms)',
  intervalMedianMs: 'rAF frame interval, median (ms)',
  intervalP95Ms: 'rAF frame interval, p95 (ms)',
  intervalMaxMs: 'rAF frame interval, max (ms)',
  droppedShare: 'frame intervals over 20 ms (dropped frames)',
  fps: 'frames per second (rAF)',
  movesPerSecond: 'pointermove events handled per second',
};

const browser = await launchChromium();
const app = await startDesignerApp({ LOG_LEVEL: 'error' }, DESIGNER_DIR ? { designerDir: DESIGNER_DIR } : {}).catch(async (err) => {
  await browser.close();
  throw err;
});
try {
  for (const [id, n] of [['bench-small', BASELINE], ['bench-large', NODES]]) {
    const res = await app.api('POST', '/flows', { draft: gridFlow(id, n) });
    if (res.status !== 201) throw new Error(`creating ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const context = await newContext(browser, app.url);
  await signInContext(context, ADMIN.email, ADMIN.password);
  const page = await context.newPage();
  const rounds = { small: [], large: [] };
  for (let r = 0; r < ROUNDS; r++) {
    rounds.small.push(await measure(browser, page, 'bench-small', centreNode(BASELINE)));
    rounds.large.push(await measure(browser, page, 'bench-large', centreNode(NODES)));
  }
  const summary = {};
  for (const m of METRICS) {
    const small = median(rounds.small.map((x) => x[m]));
    const large = median(rounds.large.map((x) => x[m]));
    summary[m] = { small, large, ratio: large / small };
  }
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', node: process.version, loadavg: loadavg().map((x) => Number(x.toFixed(2))) };
  const chromium = browser.version();
  if (JSON_OUT) {
    console.log(JSON.stringify({ nodes: NODES, baseline: BASELINE, seconds: SECONDS, rounds: ROUNDS, machine, chromium, summary, perRound: rounds }, null, 2));
  } else {
    const f = (m, v) => (m.endsWith('Share') ? `${(v * 100).toFixed(0)} %` : v.toFixed(1));
    console.log(`Designer drag benchmark: ${NODES} nodes vs ${BASELINE} (medians of ${ROUNDS} rounds of ${SECONDS} s)`);
    console.log(`Chromium ${chromium}; ${machine.cpus} × ${machine.cpu}; Node ${machine.node}; load ${machine.loadavg.join(' ')}`);
    console.log(`| | ${BASELINE} nodes | ${NODES} nodes | ratio |`);
    console.log('| --- | --- | --- | --- |');
    const ratio = (v) => (Number.isFinite(v) ? v.toFixed(2) : '—');
    for (const m of METRICS) console.log(`| ${LABELS[m]} | ${f(m, summary[m].small)} | ${f(m, summary[m].large)} | ${ratio(summary[m].ratio)} |`);
    const ok = summary.busyMedianMs.large < 16;
    console.log(`\n${NODES} nodes while dragging: frames every ${summary.intervalMedianMs.large.toFixed(1)} ms (median rAF interval, ${summary.intervalMedianMs.ratio.toFixed(2)}× the ${BASELINE}-node flow);`);
    console.log(`main-thread time per frame ${summary.busyMedianMs.large.toFixed(1)} ms median (${summary.busyMedianMs.ratio.toFixed(2)}×) — ${ok ? 'under' : 'OVER'} the 16 ms target`);
  }
} finally {
  await browser.close();
  await app.stop();
}
