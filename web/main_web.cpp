// main_web.cpp: browser entry. SDL2 (built from Debian's source for Emscripten) gives the
// window and a WebGL2 (OpenGL ES 3.0) context on #canvas; the browser drives the loop
// through emscripten_set_main_loop_arg and presents each frame itself.
//
// The JavaScript side of the embed API lives here (EM_JS) and in index.html:
//   * data: the app asks for an image set; JS fetches data/<set>-{train,test}-{images,labels}
//     .idx.gz with aelabFetchGz (data_loader.js: fetch + DecompressionStream('gzip')) and
//     hands the bytes to aelab_on_image_data() (WASM memory via _malloc).
//   * model files: Save offers a Blob download; Load clicks the page's hidden
//     <input type=file id="model-file">, whose File goes to window.aelab.uploadModel(): files
//     above kMaxModelFileBytes (64 MB) are refused before they are read, the others' bytes
//     come back via aelab_on_model_bytes() (also window.aelab.deliverModel(u8, name)).
//   * data files ("Your data"): the app's "Open a data file" clicks the hidden
//     <input type=file id="data-file" multiple>; window.aelab.uploadData(file[, labelsFile])
//     refuses files above kPageDataMaxBytes (16 MB) before reading them and hands the bytes
//     to aelab_on_data_file() (Controller::on_data_file checks everything else). Two files
//     chosen together are an IDX images file and its labels file (the larger is the images).
//   * exports: "Codes as CSV" is a download like Save; "Frame as PNG" (command "screenshot")
//     sets a request that loop() serves right after the frame is drawn (the WebGL buffer is
//     only readable then) with canvas.toBlob -> a PNG download. A panel's PNG button and the
//     command "png=PANEL" crop the canvas to that panel's rectangle the same way
//     (js_screenshot_region; window.aelab.lastPng = {name, width, height, blob}).
//   * share: the page's address (origin + path) for the share URL; Copy buttons use
//     navigator.clipboard (SDL 2.26's Emscripten port has no clipboard of its own).
//   * memory: every _malloc result is checked before bytes are written (memory growth is on,
//     so _malloc returns 0 when WASM memory is exhausted); a failed copy is reported as an
//     "out of memory" message (aelab_out_of_memory*) and the current model is kept.
//   * URL: the app's state is mirrored into the query string (history.replaceState).
//   * start-up: the window keeps the page's title (document.title), and main() marks its
//     stages in window.aelab.startup (mainStart, glContext, appInit; index.html marks the
//     wasm's, stats_library.js the first frame).
//   * input: events go to the app through EventQueue (a press and its release in different
//     frames: ImGui 1.86 has no input queue); after each frame window.aelab.wantsWheel says
//     whether the wheel at the pointer scrolls or zooms something (index.html lets the
//     others go to the browser), lossPoints is the loss curve's length, keysShown the '?'
//     overlay; data loading reports bytes (aelab_on_data_progress, window.aelab.dataLoaded /
//     dataTotal).
//   * stats: window.aelab = {frameTimeMs, fps, stepsPerSec, testLoss, ...} every frame, as one
//     JSON string (aelab::app::stats_json, web/app/stats.hpp) through aelab_publish_stats()
//     of the --js-library file web/stats_library.js;
//     window.aelab.command("play" | "pause" | "step" | "reset" | "save" | "load" |
//     "preset=KEY" | "query=..." | "data" | "codes" | "screenshot" | "png=PANEL") and postMessage({aelab: "command"}) drive the app.
#include "app/app.hpp"
#include "app/event_queue.hpp"
#include "app/gl.hpp"
#include "app/input_ui.hpp"
#include "app/session.hpp"

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

// web/stats_library.js: copies the JSON object's fields onto window.aelab; the shell's
// flags (wheel wanted at the pointer, loss curve points, keys overlay shown).
extern "C" void aelab_publish_stats(const char* json);
extern "C" void aelab_publish_shell(int wants_wheel, double loss_points, int keys_shown);

namespace {

struct WebHost {
    std::string screenshot;  // a requested PNG's name, served after the next frame is drawn
    std::string region_name;  // a requested panel PNG (png=PANEL), served like screenshot
    int region[4] = {0, 0, 0, 0};
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    aelab::app::App app;
    aelab::app::EventQueue events;  // a press and its release go in different frames
    int css_w = 0, css_h = 0;
};
WebHost* g_host = nullptr;

void report_out_of_memory_data(aelab::app::DatasetKind k) {
    try {
        g_host->app.on_data_error(k, "out of memory: the data set does not fit in the page's memory");
    } catch (const std::bad_alloc&) {
        std::fputs("[aelab] out of memory\n", stderr);
    }
}

}  // namespace

// ---- JavaScript helpers -----------------------------------------------------------------------
// clang-format off
EM_JS(void, js_install, (double max_model_bytes, double max_data_bytes), {
    // Every copy into WASM memory checks _malloc's result: with memory growth on, _malloc
    // returns 0 when the 2 GB of WASM memory are exhausted, and writing there would corrupt
    // address 0. A failed copy frees what it took and reports through the app's messages.
    Module.aelabCopyIn = function(u8) {  // -> pointer, or 0 when out of memory
        var p = Module._malloc(Math.max(1, u8.length));
        if (!p) return 0;
        HEAPU8.set(u8, p);
        return p;
    };
    Module.aelabString = function(s) {  // -> pointer to a UTF-8 copy, or 0 when out of memory
        var n = lengthBytesUTF8(s) + 1;
        var p = Module._malloc(n);
        if (!p) return 0;
        stringToUTF8(s, p, n);
        return p;
    };
    // A message in the app's message list; without memory even for the text, a fixed one.
    Module.aelabMessage = function(text) {
        console.warn('aelab: ' + text);
        var p = Module.aelabString(text);
        if (!p) { Module._aelab_out_of_memory(0); return; }
        Module._aelab_host_message(p);
        Module._free(p);
    };
    Module.aelabTooLarge = function(name, size) {  // the same words as App::on_model_bytes
        return 'could not load ' + name + ': it has ' + size + ' bytes, more than the ' +
               Math.round(max_model_bytes / 1048576) + ' MB (' + max_model_bytes +
               ' bytes) a model file may have (current model kept)';
    };
    Module.aelabCommand = function(cmd) {
        var p = Module.aelabString(cmd);
        if (!p) { Module._aelab_out_of_memory(0); return 'out of memory'; }
        var r = Module._aelab_command(p);
        Module._free(p);
        return UTF8ToString(r);
    };
    // Bytes of a model file (Uint8Array) -> the app. False when refused here (size, memory).
    Module.aelabDeliverModel = function(u8, name) {
        name = String(name || 'model');
        if (u8.length > max_model_bytes) {
            Module.aelabMessage(Module.aelabTooLarge(name, u8.length));
            return false;
        }
        var p = Module.aelabCopyIn(u8);
        var q = p ? Module.aelabString(name) : 0;
        if (!p || !q) {
            if (p) Module._free(p);
            Module._aelab_out_of_memory(u8.length);
            return false;
        }
        Module._aelab_on_model_bytes(p, u8.length, q);
        Module._free(p);
        Module._free(q);
        return true;
    };
    // A File / Blob (the page's <input type=file>): the size is checked before it is read.
    Module.aelabUploadModel = function(file) {
        var name = file.name || 'model';
        if (file.size > max_model_bytes) {
            Module.aelabMessage(Module.aelabTooLarge(name, file.size));
            return Promise.resolve(false);
        }
        return file.arrayBuffer().then(function(buf) {
            return Module.aelabDeliverModel(new Uint8Array(buf), name);
        }, function(e) {
            Module.aelabMessage('could not read ' + name + ': ' + ((e && e.message) || e) + ' (current model kept)');
            return false;
        });
    };
    // A data file (File / Blob) and optionally its IDX labels file: sizes checked before reading.
    Module.aelabUploadData = function(file, labels) {
        var files = labels ? [file, labels] : [file];
        for (var i = 0; i < files.length; ++i) {
            if (files[i].size > max_data_bytes) {
                Module.aelabMessage('could not use ' + (files[i].name || 'the file') + ': it has ' + files[i].size +
                                    ' bytes, more than the ' + Math.round(max_data_bytes / 1048576) + ' MB (' +
                                    max_data_bytes + ' bytes) a data file may have in the page (current data and model kept)');
                return Promise.resolve(false);
            }
        }
        var name = file.name || 'data';
        return Promise.all(files.map(function(f) { return f.arrayBuffer(); })).then(function(bufs) {
            var u8 = new Uint8Array(bufs[0]);
            var l8 = bufs.length > 1 ? new Uint8Array(bufs[1]) : new Uint8Array(0);
            var p = Module.aelabCopyIn(u8);
            var pl = p ? Module.aelabCopyIn(l8) : 0;
            var q = pl ? Module.aelabString(name) : 0;
            if (!p || !pl || !q) {
                [p, pl, q].forEach(function(x) { if (x) Module._free(x); });
                Module._aelab_out_of_memory(u8.length + l8.length);
                return false;
            }
            Module._aelab_on_data_file(p, u8.length, pl, l8.length, q);
            [p, pl, q].forEach(function(x) { Module._free(x); });
            return true;
        }, function(e) {
            Module.aelabMessage('could not read ' + name + ': ' + ((e && e.message) || e) + ' (current data and model kept)');
            return false;
        });
    };
    var a = window.aelab = window.aelab || {};
    a.uploadData = Module.aelabUploadData;
    a.maxDataBytes = max_data_bytes;
    a.command = Module.aelabCommand;
    a.deliverModel = Module.aelabDeliverModel;
    a.uploadModel = Module.aelabUploadModel;
    a.maxModelBytes = max_model_bytes;
    if (typeof window.aelabOnReady === 'function') window.aelabOnReady(a);
});

EM_JS(char*, js_location_search, (), {
    var s = window.location.search || "";
    var n = lengthBytesUTF8(s) + 1;
    var p = Module._malloc(n);
    if (p) stringToUTF8(s, p, n);
    return p;  // 0 when out of memory (the page then starts from the defaults)
});

EM_JS(void, js_request_images, (int kind, const char* key_c), {
    var key = UTF8ToString(key_c);
    var names = ['train-images', 'train-labels', 'test-images', 'test-labels'];
    var urls = names.map(function(n) { return 'data/' + key + '-' + n + '.idx.gz'; });
    var t0 = performance.now();
    var fail = function(msg) {
        console.warn('aelab: ' + msg);
        var p = Module._malloc(lengthBytesUTF8(msg) + 1);
        if (!p) { Module._aelab_out_of_memory_data(kind); return; }
        stringToUTF8(msg, p, lengthBytesUTF8(msg) + 1);
        Module._aelab_on_data_error(kind, p);
        Module._free(p);
    };
    var fetchGz = window.aelabFetchGz;
    if (typeof fetchGz !== 'function') {
        fail('data_loader.js is missing (aelabFetchGz)');
        return;
    }
    // Progress over the four files (bytes received / Content-Length), to the loading screen
    // and to window.aelab.dataLoaded / dataTotal.
    var done = [0, 0, 0, 0], total = [0, 0, 0, 0];
    var sum = function(a) { return a.reduce(function(s, x) { return s + x; }, 0); };
    var progress = function(i) {
        return function(d, t) {
            done[i] = d;
            total[i] = t;
            window.aelab = window.aelab || {};
            window.aelab.dataLoaded = sum(done);
            // The total only when every file's size is known (else 0: bytes without a bar).
            window.aelab.dataTotal = total.every(function(x) { return x > 0; }) ? sum(total) : 0;
            Module._aelab_on_data_progress(window.aelab.dataLoaded, window.aelab.dataTotal);
        };
    };
    Module._aelab_on_data_progress(0, 0);
    Promise.all(urls.map(function(u, i) { return fetchGz(u, progress(i)); })).then(function(parts) {
        var ptrs = [];
        for (var i = 0; i < parts.length; ++i) {
            var p = Module.aelabCopyIn(parts[i]);
            if (!p) break;
            ptrs.push(p);
        }
        var src = urls.join(' ');
        var ps = ptrs.length === parts.length ? Module.aelabString(src) : 0;
        if (!ps) {
            ptrs.forEach(function(p) { Module._free(p); });
            var total = parts.reduce(function(s, u8) { return s + u8.length; }, 0);
            fail("out of memory: the " + (total / 1048576).toFixed(1) + " MB of " + key +
                 " data do not fit in the page's memory");
            return;
        }
        window.aelab = window.aelab || {};
        window.aelab.dataLoadMs = performance.now() - t0;
        window.aelab.dataTotal = window.aelab.dataLoaded = sum(done);  // all received
        Module._aelab_on_image_data(kind, ptrs[0], parts[0].length, ptrs[1], parts[1].length,
                                    ptrs[2], parts[2].length, ptrs[3], parts[3].length, ps);
        ptrs.forEach(function(p) { Module._free(p); });
        Module._free(ps);
    }).catch(function(e) {
        fail(String((e && e.message) || e));
    });
});

// A built-in table (dataset=breast-cancer / wine): one gzipped CSV, data/<key>.csv.gz.
EM_JS(void, js_request_table, (int kind, const char* key_c), {
    var url = 'data/' + UTF8ToString(key_c) + '.csv.gz';
    var fail = function(msg) {
        console.warn('aelab: ' + msg);
        var p = Module.aelabString(msg);
        if (!p) { Module._aelab_out_of_memory_data(kind); return; }
        Module._aelab_on_data_error(kind, p);
        Module._free(p);
    };
    var fetchGz = window.aelabFetchGz;
    if (typeof fetchGz !== 'function') { fail('data_loader.js is missing (aelabFetchGz)'); return; }
    Module._aelab_on_data_progress(0, 0);
    fetchGz(url, function(d, t) { Module._aelab_on_data_progress(d, t); }).then(function(bytes) {
        var p = Module.aelabCopyIn(bytes);
        var ps = p ? Module.aelabString(url) : 0;
        if (!ps) {
            if (p) Module._free(p);
            Module._aelab_out_of_memory_data(kind);
            return;
        }
        Module._aelab_on_table_data(kind, p, bytes.length, ps);
        Module._free(p);
        Module._free(ps);
    }).catch(function(e) { fail(String((e && e.message) || e)); });
});

// Returns 0, or 1 when the browser could not make the download (e.g. out of memory).
EM_JS(int, js_save_file, (const char* name_c, const unsigned char* data, int len), {
    var name = UTF8ToString(name_c);
    var bytes, blob, url;
    try {
        bytes = HEAPU8.slice(data, data + len);
        blob = new Blob([bytes], {type: 'application/octet-stream'});
        url = URL.createObjectURL(blob);
    } catch (e) {
        console.warn('aelab: download failed: ' + e);
        return 1;
    }
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function() { URL.revokeObjectURL(url); }, 10000);
    window.aelab = window.aelab || {};
    window.aelab.lastSavedSize = bytes.length;
    window.aelab.lastSavedName = name;
    return 0;
});

EM_JS(void, js_open_file, (), {
    var input = document.getElementById('model-file');
    if (input) { input.value = ""; input.click(); }
});

EM_JS(void, js_open_data_file, (), {
    var input = document.getElementById('data-file');
    if (input) { input.value = ""; input.click(); }
});

// The page's own title (index.html), so SDL_CreateWindow keeps it instead of setting
// document.title to its window name. Caller frees; 0 when out of memory.
EM_JS(char*, js_document_title, (), {
    var s = document.title || "aelab playground: autoencoders vs PCA";
    var n = lengthBytesUTF8(s) + 1;
    var p = Module._malloc(n);
    if (p) stringToUTF8(s, p, n);
    return p;
});

// A region of the canvas (framebuffer pixels from the top-left; w <= 0: the whole canvas) as a
// PNG download, right after the frame is drawn; window.aelab.lastPng = {name, width, height,
// blob} for scripts.
EM_JS(void, js_screenshot_region, (const char* name_c, int x, int y, int w, int h), {
    var name = UTF8ToString(name_c);
    if (w <= 0 || h <= 0) { x = 0; y = 0; w = Module.canvas.width; h = Module.canvas.height; }
    var c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    c.getContext('2d').drawImage(Module.canvas, x, y, w, h, 0, 0, w, h);
    c.toBlob(function(blob) {
        if (!blob) { Module.aelabMessage('the browser could not make the PNG'); return; }
        var url = URL.createObjectURL(blob);
        var link = document.createElement('a');
        link.href = url;
        link.download = name;
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        setTimeout(function() { URL.revokeObjectURL(url); }, 10000);
        window.aelab.lastSavedSize = blob.size;
        window.aelab.lastSavedName = name;
        window.aelab.lastPng = {name: name, width: w, height: h, blob: blob};
    }, 'image/png');
});

// The page's address without the query (share URL); caller frees.
EM_JS(char*, js_page_url, (), {
    var s = window.location.origin + window.location.pathname;
    var n = lengthBytesUTF8(s) + 1;
    var p = Module._malloc(n);
    if (p) stringToUTF8(s, p, n);
    return p;
});

// A start-up mark in window.aelab.startup (index.html's aelabMark).
EM_JS(void, js_mark, (const char* name_c), {
    if (typeof aelabMark === 'function') aelabMark(UTF8ToString(name_c));
});

// Clipboard: navigator.clipboard (secure pages), else a hidden textarea + execCommand('copy').
// window.aelab.lastCopied keeps the text (scripts, tests).
EM_JS(void, js_copy_text, (const char* t_c), {
    var t = UTF8ToString(t_c);
    window.aelab = window.aelab || {};
    window.aelab.lastCopied = t;
    var fallback = function() {
        try {
            var ta = document.createElement('textarea');
            ta.value = t;
            ta.style.position = 'fixed';
            ta.style.opacity = '0';
            document.body.appendChild(ta);
            ta.select();
            document.execCommand('copy');
            document.body.removeChild(ta);
        } catch (e) {
            console.warn('aelab: copy failed: ' + e);
        }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(fallback);
    else fallback();
});

EM_JS(void, js_set_url, (const char* q_c), {
    var q = UTF8ToString(q_c);
    try {
        var url = window.location.pathname + (q ? "?" + q : "") + window.location.hash;
        window.history.replaceState(null, "", url);
    } catch (e) {
        // e.g. sandboxed iframes without same-origin: the state just is not mirrored.
    }
});

// clang-format on

// ---- exports for JavaScript ---------------------------------------------------------------------
extern "C" {

// Exceptions must not cross into JavaScript: the byte copies below can run out of memory
// (std::bad_alloc); each export reports that through the app's messages instead.
EMSCRIPTEN_KEEPALIVE void aelab_on_image_data(int kind, const unsigned char* a, int na, const unsigned char* b, int nb,
                                              const unsigned char* c, int nc, const unsigned char* d, int nd,
                                              const char* source) {
    if (!g_host) return;
    const auto k = static_cast<aelab::app::DatasetKind>(kind);
    try {
        g_host->app.on_image_data(k, std::vector<std::uint8_t>(a, a + na), std::vector<std::uint8_t>(b, b + nb),
                                  std::vector<std::uint8_t>(c, c + nc), std::vector<std::uint8_t>(d, d + nd),
                                  source ? source : "");
    } catch (const std::bad_alloc&) {
        report_out_of_memory_data(k);
    }
}

EMSCRIPTEN_KEEPALIVE void aelab_on_table_data(int kind, const unsigned char* a, int na, const char* source) {
    if (!g_host) return;
    const auto k = static_cast<aelab::app::DatasetKind>(kind);
    try {
        g_host->app.on_table_data(k, std::vector<std::uint8_t>(a, a + na), source ? source : "");
    } catch (const std::bad_alloc&) {
        report_out_of_memory_data(k);
    }
}

EMSCRIPTEN_KEEPALIVE void aelab_on_data_error(int kind, const char* message) {
    if (!g_host) return;
    try {
        g_host->app.on_data_error(static_cast<aelab::app::DatasetKind>(kind), message ? message : "error");
    } catch (const std::bad_alloc&) {
        std::fputs("[aelab] out of memory\n", stderr);
    }
}

// JavaScript could not copy a data set in (WASM memory exhausted, even for the message).
EMSCRIPTEN_KEEPALIVE void aelab_out_of_memory_data(int kind) {
    if (g_host) report_out_of_memory_data(static_cast<aelab::app::DatasetKind>(kind));
}

// JavaScript could not copy `bytes` bytes (an upload; 0: a command or message) into WASM memory.
EMSCRIPTEN_KEEPALIVE void aelab_out_of_memory(double bytes) {
    if (!g_host) return;
    try {
        char text[160];
        if (bytes > 0)
            std::snprintf(text, sizeof text,
                          "out of memory: %.0f bytes could not be copied into the page's memory (current model kept)",
                          bytes);
        else
            std::snprintf(text, sizeof text, "out of memory in the page (current model kept)");
        g_host->app.on_host_message(text, true);
    } catch (const std::bad_alloc&) {
        std::fputs("[aelab] out of memory\n", stderr);
    }
}

EMSCRIPTEN_KEEPALIVE void aelab_on_model_bytes(const unsigned char* data, int len, const char* name) {
    if (!g_host) return;
    try {
        g_host->app.on_model_bytes(std::vector<std::uint8_t>(data, data + len), name ? name : "model");
    } catch (const std::bad_alloc&) {
        aelab_out_of_memory(len);
    }
}

EMSCRIPTEN_KEEPALIVE void aelab_on_data_file(const unsigned char* data, int len, const unsigned char* labels, int nlabels,
                                             const char* name) {
    if (!g_host) return;
    try {
        g_host->app.on_data_file(std::vector<std::uint8_t>(data, data + len), name ? name : "data",
                                 std::vector<std::uint8_t>(labels, labels + nlabels));
    } catch (const std::bad_alloc&) {
        aelab_out_of_memory(static_cast<double>(len) + nlabels);
    }
}

// Bytes of the image data set received so far and in all (the loading screen's bar).
EMSCRIPTEN_KEEPALIVE void aelab_on_data_progress(double done, double total) {
    if (g_host) g_host->app.on_data_progress(done, total);
}

// A message from index.html / the JS glue (e.g. an upload refused before it was read).
EMSCRIPTEN_KEEPALIVE void aelab_host_message(const char* message) {
    if (!g_host || !message) return;
    try {
        g_host->app.on_host_message(message, true);
    } catch (const std::bad_alloc&) {
        std::fputs("[aelab] out of memory\n", stderr);
    }
}

EMSCRIPTEN_KEEPALIVE const char* aelab_command(const char* cmd) {
    static std::string result;
    try {
        result = g_host ? g_host->app.command(cmd ? cmd : "") : "not ready";
    } catch (const std::bad_alloc&) {
        return "out of memory";
    }
    return result.c_str();
}

}  // extern "C"

namespace {

// The page lays the canvas over the whole window (CSS); keep SDL's window size (CSS
// pixels) in step with it. SDL_WINDOW_ALLOW_HIGHDPI scales the drawing buffer by
// devicePixelRatio, so text stays sharp on HiDPI screens.
void sync_size(WebHost& h) {
    const int w = EM_ASM_INT({ return window.innerWidth; });
    const int hh = EM_ASM_INT({ return window.innerHeight; });
    if (w > 0 && hh > 0 && (w != h.css_w || hh != h.css_h)) {
        h.css_w = w;
        h.css_h = hh;
        SDL_SetWindowSize(h.window, w, hh);
    }
}

void loop(void* arg) {
    auto& h = *static_cast<WebHost*>(arg);
    sync_size(h);
    h.events.feed([&](const SDL_Event& e) { h.app.event(e); });
    h.app.frame();
    if (!h.screenshot.empty()) {
        js_screenshot_region(h.screenshot.c_str(), 0, 0, 0, 0);
        h.screenshot.clear();
    }
    if (!h.region_name.empty()) {
        js_screenshot_region(h.region_name.c_str(), h.region[0], h.region[1], h.region[2], h.region[3]);
        h.region_name.clear();
    }
    aelab_publish_stats(aelab::app::stats_json(h.app.stats()).c_str());
    aelab::app::Controller& ctl = h.app.controller();
    const double points = ctl.ready() ? static_cast<double>(ctl.session().trainer().history().size()) : 0.0;
    aelab_publish_shell(aelab::app::PointerWantsWheel() ? 1 : 0, points, h.app.keys_overlay_shown() ? 1 : 0);
}

}  // namespace

int main() {
    js_mark("mainStart");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

    static WebHost host;  // outlives main(): the browser keeps calling loop()
    g_host = &host;
    host.css_w = EM_ASM_INT({ return window.innerWidth; });
    host.css_h = EM_ASM_INT({ return window.innerHeight; });
    char* title = js_document_title();
    const std::string window_title = title ? title : "aelab playground: autoencoders vs PCA";
    std::free(title);
    host.window = SDL_CreateWindow(window_title.c_str(), SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                                   host.css_w > 0 ? host.css_w : 1280,
                                   host.css_h > 0 ? host.css_h : 800,
                                   SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!host.window) {
        std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
        return 1;
    }
    host.gl = SDL_GL_CreateContext(host.window);
    if (!host.gl) {
        std::fprintf(stderr, "SDL_GL_CreateContext (WebGL2): %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(host.window, host.gl);
    js_mark("glContext");

    aelab::app::Platform p;
    p.browser = true;
    p.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
    p.request_images = [](aelab::app::DatasetKind k) { js_request_images(static_cast<int>(k), aelab::app::dataset_key(k)); };
    p.request_table = [](aelab::app::DatasetKind k) { js_request_table(static_cast<int>(k), aelab::app::dataset_key(k)); };
    p.save_file = [](const std::string& name, const std::vector<std::uint8_t>& bytes) -> std::string {
        if (js_save_file(name.c_str(), bytes.data(), static_cast<int>(bytes.size())) != 0)
            return "the browser could not make the download (out of memory?)";
        return "";
    };
    p.open_file = []() { js_open_file(); };
    p.set_url = [](const std::string& q) { js_set_url(q.c_str()); };
    p.open_data_file = []() { js_open_data_file(); };
    p.screenshot = [](const std::string& name) {
        g_host->screenshot = name;
        return std::string();
    };

    p.screenshot_region = [](const std::string& name, int x, int y, int w, int h) {
        if (w <= 0 || h <= 0) return std::string("the panel has no size");
        g_host->region_name = name;
        g_host->region[0] = x;
        g_host->region[1] = y;
        g_host->region[2] = w;
        g_host->region[3] = h;
        return std::string();
    };
    p.copy_text = [](const std::string& text) { js_copy_text(text.c_str()); };
    if (char* page = js_page_url()) {
        p.page_url = page;
        std::free(page);
    }

    char* search = js_location_search();
    const std::string query = search ? search : "";
    std::free(search);
    if (!host.app.init(host.window, host.gl, p, query)) {
        std::fprintf(stderr, "app init failed\n");
        return 1;
    }
    js_mark("appInit");
    js_install(static_cast<double>(aelab::app::kMaxModelFileBytes), static_cast<double>(aelab::app::kPageDataMaxBytes));
    emscripten_set_main_loop_arg(loop, &host, 0, true);
    return 0;
}
