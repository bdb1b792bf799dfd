// fill_rate.mjs: what one full-window layer of shaded pixels costs headless Chromium's
// software WebGL (SwiftShader) on this machine. A measurement tool, not a test (run.sh does
// not run it); README's playground section quotes its output.
//
// A bare page clears a 1280x800 WebGL2 canvas every frame and draws N full-window textured
// quads (the fragment work ImGui does for a window background), for N = 0, 1, 2, 4, and
// reports requestAnimationFrame's rate over 5 s for each.
//
// Usage: node tests/e2e/tools/fill_rate.mjs
import { chromium } from 'playwright-core';
import http from 'node:http';
import { launchArgs } from '../smoke.mjs';

const page = `<!doctype html><html><body style="margin:0;overflow:hidden">
<canvas id=c style="width:100vw;height:100vh;display:block"></canvas><script>
const c = document.getElementById('c'); c.width = innerWidth; c.height = innerHeight;
const layers = +new URLSearchParams(location.search).get('layers');
const gl = c.getContext('webgl2', {alpha: false, antialias: false, depth: false, stencil: false});
function sh(t, s) { const x = gl.createShader(t); gl.shaderSource(x, s); gl.compileShader(x); return x; }
const pr = gl.createProgram();
gl.attachShader(pr, sh(gl.VERTEX_SHADER, '#version 300 es\\nin vec2 p; out vec2 uv; void main() { uv = p * 0.5 + 0.5; gl_Position = vec4(p, 0, 1); }'));
gl.attachShader(pr, sh(gl.FRAGMENT_SHADER, '#version 300 es\\nprecision mediump float; uniform sampler2D t; in vec2 uv; out vec4 o; void main() { o = vec4(0.2, 0.3, 0.4, 0.9) * texture(t, uv); }'));
gl.linkProgram(pr); gl.useProgram(pr);
gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, -1, 1, 1, -1, 1, 1]), gl.STATIC_DRAW);
gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 1, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array([255, 255, 255, 255]));
gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
let i = 0;
function frame() {
  gl.clearColor((i++ % 100) / 100, 0.2, 0.3, 1); gl.clear(gl.COLOR_BUFFER_BIT);
  for (let l = 0; l < layers; ++l) gl.drawArrays(gl.TRIANGLES, 0, 6);
  requestAnimationFrame(frame);
}
frame();
</script></body></html>`;

const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.AELAB_CHROMIUM || '/usr/bin/chromium', args: launchArgs });
for (const layers of [0, 1, 2, 4]) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(`http://127.0.0.1:${server.address().port}/?layers=${layers}`);
  await p.waitForTimeout(1000);
  const fps = await p.evaluate(() => new Promise((resolve) => {
    let n = 0; const t0 = performance.now();
    const tick = () => { ++n; const t = performance.now(); if (t - t0 >= 5000) resolve(n * 1000 / (t - t0)); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  }));
  console.log(`${layers} full-window textured layer(s) at 1280x800: ${fps.toFixed(1)} fps`);
  await ctx.close();
}
await browser.close();
server.close();
