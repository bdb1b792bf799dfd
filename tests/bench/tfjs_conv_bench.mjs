// TensorFlow.js 4.22 twin of aelab_conv_bench's conv-ae (issue 10 item 7): the course conv AE
// (Geron ch. 17: conv 16/32/64 k3 SAME SELU + 2x2 max-pool, transposed conv 32 k3 s2 VALID,
// 16 k3 s2 SAME SELU, 1 k3 s2 SAME), BCE from logits (mean over entries, what Keras' BCE on
// the sigmoid output is), SGD lr 1.0, batch 32, on synthetic uniform [0, 1) images (timing
// does not depend on the values). Same geometry as aelab (tfjs follows TensorFlow: SAME puts
// the odd padding pixel after), channels-last (tfjs' native layout).
//
// Timing: median over --repeats of the mean of --iters training steps (optimizer.minimize:
// forward, backward, SGD update; the loss read back at the end of each repeat) after a
// warm-up; also the forward pass + loss alone.
//
// Backends, in this order (one process):
//   wasm        @tensorflow/tfjs-backend-wasm 4.22 (SIMD, 1 thread). It has no kernel
//               Conv2DBackpropFilter (the weight gradient of conv2d and of conv2dTranspose),
//               so a training step throws; the script records the error and the missing kernel
//               names and times the forward pass only.
//   cpu         tfjs' own JavaScript backend: what tfjs runs on in node without tfjs-node when
//               wasm cannot (and the backend the comparison uses, stated in the report).
//   wasm+cpu    (information) the wasm backend with Conv2DBackpropFilter borrowed from the cpu
//               backend's kernel (values copied across per call): the best tfjs-wasm can train.
// The wasm binaries come from node_modules (setWasmPaths with a file path); no network.
// Usage (tests/bench, after `npm ci`): node tfjs_conv_bench.mjs [--repeats 5] [--iters 5]
//        [--backends wasm,cpu,wasm+cpu] [--json out.json]
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const repeats = Number(opt('--repeats', '5'));
const iters = Number(opt('--iters', '5'));
const backends = opt('--backends', 'wasm,cpu,wasm+cpu').split(',');
const jsonOut = opt('--json', '');
for (const b of backends) {
  if (!['wasm', 'cpu', 'wasm+cpu'].includes(b)) {
    console.error(`tfjs_conv_bench: unknown backend ${b} (wasm, cpu, wasm+cpu)`);
    process.exit(2);
  }
}
if (!(repeats >= 1 && iters >= 1)) {
  console.error('tfjs_conv_bench: --repeats and --iters must be >= 1');
  process.exit(2);
}

const B = 32;
setWasmPaths(path.join(here, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
tf.env().set('WASM_HAS_SIMD_SUPPORT', true);

function courseConvAE() {
  const m = tf.sequential();
  m.add(tf.layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] }));
  for (const f of [16, 32, 64]) {
    m.add(tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: 'selu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));  // 28 -> 14 -> 7 -> 3
  }
  m.add(tf.layers.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', activation: 'selu' }));
  m.add(tf.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'selu' }));
  m.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same' }));  // logits
  m.add(tf.layers.flatten());
  return m;
}

// The cpu backend's Conv2DBackpropFilter run for the wasm backend (copies in and out).
function borrowFilterGradFromCpu() {
  const cpuKernel = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  const cpu = tf.findBackend('cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const xi = cpu.makeTensorInfo(inputs.x.shape, inputs.x.dtype, backend.readSync(inputs.x.dataId));
      const di = cpu.makeTensorInfo(inputs.dy.shape, inputs.dy.dtype, backend.readSync(inputs.dy.dataId));
      const out = cpuKernel.kernelFunc({ inputs: { x: xi, dy: di }, backend: cpu, attrs });
      const vals = cpu.readSync(out.dataId);
      for (const t of [xi, di, out]) cpu.disposeData(t.dataId);
      return backend.makeOutput(out.shape, out.dtype, null, vals);
    },
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
function medianTime(f) {
  const t = [];
  for (let r = 0; r < repeats; ++r) {
    const a = now();
    f(iters);
    t.push((now() - a) / iters);
  }
  const s = [...t].sort((a, b) => a - b);
  return { med: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, runs: t };
}

async function benchOn(name) {
  const real = name === 'cpu' ? 'cpu' : 'wasm';
  if (name === 'wasm+cpu' && !tf.getKernel('Conv2DBackpropFilter', 'wasm')) borrowFilterGradFromCpu();
  await tf.setBackend(real);
  await tf.ready();
  tf.randomUniform([1]).dispose();
  const model = courseConvAE();
  const x = tf.randomUniform([B, 784], 0, 1, 'float32', 7);
  const optimizer = tf.train.sgd(1.0);
  const lossOf = () => tf.losses.sigmoidCrossEntropy(x, model.apply(x, { training: true }));
  const forward = (k) => {
    let v = 0;
    for (let i = 0; i < k; ++i) v = tf.tidy(() => lossOf().dataSync()[0]);
    return v;
  };
  let lastLoss = NaN;
  const train = (k) => {
    let l = null;
    for (let i = 0; i < k; ++i) {
      if (l) l.dispose();
      l = tf.tidy(() => optimizer.minimize(lossOf, true));
    }
    lastLoss = l.dataSync()[0];  // wait for the work
    l.dispose();
  };
  const res = { model: 'conv-ae', backend: name, batch: B, params: model.countParams() };
  forward(2);
  const tf_ = medianTime(forward);
  res.forward_ms = tf_.med * 1e3;
  res.forward_samples_per_s = B / tf_.med;
  try {
    train(2);
  } catch (e) {
    const missing = [...String(e.message).matchAll(/'([A-Za-z0-9]+)' not (?:registered|yet implemented)/g)].map((m) => m[1]);
    res.train_error = String(e.message).split('\n')[0];
    res.missing_kernels = missing.length ? missing : null;
    console.log(`tfjs ${tf.version.tfjs} ${name}: forward ${res.forward_samples_per_s.toFixed(0)} samples/s; ` +
                `training fails: ${res.train_error}`);
    x.dispose();
    return res;
  }
  const ts = medianTime(train);
  Object.assign(res, { samples_per_s: B / ts.med, step_ms: ts.med * 1e3, step_runs_ms: ts.runs.map((t) => t * 1e3),
                       final_loss: lastLoss });
  console.log(`tfjs ${tf.version.tfjs} ${name}: train step ${res.step_ms.toFixed(2)} ms/batch ` +
              `(${res.samples_per_s.toFixed(0)} samples/s), forward ${res.forward_samples_per_s.toFixed(0)} samples/s, ` +
              `loss ${lastLoss.toFixed(4)}`);
  x.dispose();
  model.layers.forEach((l) => l.dispose && l.dispose());
  return res;
}

await tf.setBackend('wasm');
await tf.ready();
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
let threads = 1;
try { threads = getThreadsCount(); } catch (e) { /* single-threaded build */ }
const out = { tool: 'tfjs', version: tf.version.tfjs, node: process.version, simd, wasm_threads: threads,
              repeats, iters, conv: [] };
for (const b of backends) out.conv.push(await benchOn(b));
if (jsonOut) {
  fs.writeFileSync(jsonOut, JSON.stringify(out, null, 1));
  console.log(`wrote ${jsonOut}`);
}
