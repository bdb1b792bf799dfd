// TensorFlow.js 4.22 reference (wasm backend, SIMD) for aelab_bench's WASM training figure.
//
// Net 4 of issue 4: 784-256-128-256-784, sigmoid everywhere, MSE, Adam(1e-3), batch 128, on
// MNIST (random data of the same shape when data/mnist is missing). Training samples/s:
// median of --repeats timed repeats of at least --seconds each, after a warm-up.
// The wasm binaries come from node_modules (setWasmPaths with a file path); no network.
// Usage (tests/bench, after `npm install`): node tfjs_bench.mjs [--json out.json]
//        [--data ../../data/mnist] [--seconds 2] [--repeats 5]
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
const dataDir = opt('--data', path.join(here, '..', '..', 'data', 'mnist'));
const seconds = Number(opt('--seconds', '1.5'));
const repeats = Number(opt('--repeats', '5'));
const jsonOut = opt('--json', '');

function loadImages(file) {
  const b = fs.readFileSync(file);
  const n = b.readUInt32BE(4), r = b.readUInt32BE(8), c = b.readUInt32BE(12);
  const x = new Float32Array(n * r * c);
  for (let i = 0; i < x.length; ++i) x[i] = b[16 + i] / 255;
  return { n, d: r * c, x };
}

let data, source;
const trainFile = path.join(dataDir, 'train-images-idx3-ubyte');
if (fs.existsSync(trainFile)) {
  data = loadImages(trainFile);
  source = 'mnist';
} else {
  console.error(`tfjs_bench: no MNIST in ${dataDir}: random data of the same shape`);
  const x = new Float32Array(60000 * 784);
  for (let i = 0; i < x.length; ++i) x[i] = Math.random();
  data = { n: 60000, d: 784, x };
  source = 'random';
}

setWasmPaths(path.join(here, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
await tf.setBackend('wasm');
await tf.ready();
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
let threads = 1;
try { threads = getThreadsCount(); } catch (e) { /* single-threaded build */ }

const B = 128;
const X = tf.tensor2d(data.x, [data.n, data.d]);
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [784], units: 256, activation: 'sigmoid' }),
    tf.layers.dense({ units: 128, activation: 'sigmoid' }),
    tf.layers.dense({ units: 256, activation: 'sigmoid' }),
    tf.layers.dense({ units: 784, activation: 'sigmoid' }),
  ],
});
const optimizer = tf.train.adam(1e-3);
const flopsPerStep = [[784, 256], [256, 128], [128, 256], [256, 784]]
  .reduce((s, [i, o], k) => s + (k === 0 ? 2 : 3) * 2 * i * o * B, 0);

let perm = tf.util.createShuffledIndices(data.n), pos = 0;
function step() {
  if (pos + B > data.n) { perm = tf.util.createShuffledIndices(data.n); pos = 0; }
  const idx = tf.tensor1d(Int32Array.from(perm.subarray(pos, pos + B)), 'int32');
  pos += B;
  const loss = tf.tidy(() => {
    const xb = tf.gather(X, idx);
    return optimizer.minimize(() => tf.losses.meanSquaredError(xb, model.apply(xb)), true);
  });
  idx.dispose();
  return loss;
}
function run(k) {
  let l;
  for (let i = 0; i < k; ++i) { if (l) l.dispose(); l = step(); }
  const v = l.dataSync()[0];  // wait for the work
  l.dispose();
  return v;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
let t0 = now();
while (now() - t0 < seconds) run(2);
const runs = [];
let lastLoss = NaN;
for (let r = 0; r < repeats; ++r) {
  let k = 0;
  const a = now();
  let el = 0;
  do { lastLoss = run(4); k += 4; el = now() - a; } while (el < seconds);
  runs.push((k * B) / el);
}
runs.sort((a, b) => a - b);
const med = runs.length % 2 ? runs[(runs.length - 1) / 2] : (runs[runs.length / 2 - 1] + runs[runs.length / 2]) / 2;
const res = {
  tool: 'tfjs-wasm', version: tf.version.tfjs, backend: tf.getBackend(), simd, multithread: mt, threads,
  node: process.version, data: source, repeats, seconds_per_repeat: seconds,
  train: [{ net: 4, batch: B, samples_per_s: med, gflops: med / B * flopsPerStep * 1e-9,
            flops_per_step: flopsPerStep, runs, final_loss: lastLoss }],
};
console.log(`tfjs ${res.version} ${res.backend} simd=${simd} threads=${threads}: net4 ${med.toFixed(0)} samples/s, ` +
            `${res.train[0].gflops.toFixed(2)} GFLOP/s`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(res, null, 1));
