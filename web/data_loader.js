// data_loader.js: fetch a gzip-compressed file and return its uncompressed bytes.
//
//   const bytes = await aelabFetchGz('data/mnist-train-images.idx.gz');   // Uint8Array
//   await aelabFetchGz(url, (done, total) => ...);   // progress: bytes received so far and
//                                                    // Content-Length (0 when the server
//                                                    // sends none; then only bytes are known)
//
// The build writes the playground's data as gzip (-9 -n) files next to index.html:
//   data/{mnist,fashion}-{train,test}-{images,labels}.idx.gz
// (IDX, unsigned bytes; names and shapes documented in native/tools/mkpagedata.cpp).
// They are plain static files, so any static server works, and the page stays small
// (about 1 MB for MNIST's 5000 + 1000 images). Decompression uses the browser's
// DecompressionStream('gzip') (Chromium 80+, Firefox 113+, Safari 16.4+).
// If a server sends the file with "Content-Encoding: gzip", the browser has already
// decompressed it; the gzip magic bytes (1f 8b) are checked, so both cases work.
// Errors (HTTP status, network, corrupt data, no DecompressionStream) reject the promise
// with an Error whose message names the URL.
'use strict';

// With progress: an XMLHttpRequest (its progress events give the bytes so far and the
// Content-Length). Reading a fetch() body chunk by chunk instead made Chromium report some of
// the small files as aborted (net::ERR_ABORTED, measured) although their bytes had arrived.
function fetchBytesWithProgress(url, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('GET', url);
    x.responseType = 'arraybuffer';
    x.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    x.onload = () => {
      if (x.status < 200 || x.status >= 300) {
        reject(new Error(`aelabFetchGz: ${url}: HTTP ${x.status} ${x.statusText}`));
        return;
      }
      const u8 = new Uint8Array(x.response);
      onProgress(u8.length, u8.length);
      resolve(u8);
    };
    x.onerror = () => reject(new Error(`aelabFetchGz: cannot fetch ${url}: network error`));
    x.onabort = () => reject(new Error(`aelabFetchGz: ${url}: the download was aborted`));
    x.send();
  });
}

async function aelabFetchGz(url, onProgress) {
  let raw;
  if (typeof onProgress === 'function') {
    raw = await fetchBytesWithProgress(url, onProgress);
  } else {
    let response;
    try {
      response = await fetch(url);
    } catch (e) {
      throw new Error(`aelabFetchGz: cannot fetch ${url}: ${e.message || e}`);
    }
    if (!response.ok) {
      throw new Error(`aelabFetchGz: ${url}: HTTP ${response.status} ${response.statusText}`);
    }
    raw = new Uint8Array(await response.arrayBuffer());
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
    return raw;  // already decompressed by the HTTP layer (Content-Encoding: gzip)
  }
  if (typeof DecompressionStream === 'undefined') {
    throw new Error(`aelabFetchGz: ${url}: this browser has no DecompressionStream('gzip')`);
  }
  try {
    const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`aelabFetchGz: ${url}: gzip data is corrupt: ${e.message || e}`);
  }
}

// Available to index.html's inline scripts and to code loaded as a module alike.
if (typeof window !== 'undefined') window.aelabFetchGz = aelabFetchGz;
