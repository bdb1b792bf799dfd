// main_web.cpp: browser entry. SDL2 (built from Debian's source for Emscripten) gives the
// window and a WebGL2 (OpenGL ES 3.0) context on #canvas; the browser drives the loop
// through emscripten_set_main_loop_arg and presents each frame itself.
//
// The JavaScript side of the embed API lives here (EM_JS) and in index.html:
//   * data: the app asks for an image set; JS fetches data/<set>-{train,test}-{images,labels}
//     .idx.gz with aelabFetchGz (data_loader.js: fetch + DecompressionStream('gzip')) and
//     hands the bytes to aelab_on_image_data() (WASM memory via _malloc).
//   * model files: Save offers a Blob download; Load clicks the page's hidden
//     <input type=file id="model-file">, whose bytes come back via aelab_on_model_bytes().
//   * URL: the app's state is mirrored into the query string (history.replaceState).
//   * stats: window.aelab = {frameTimeMs, fps, stepsPerSec, testLoss, ...} every frame;
//     window.aelab.command("play" | "pause" | "step" | "reset" | "save" | "load" |
//     "preset=KEY" | "query=...") and postMessage({aelab: "command"}) drive the app.
#include "app/app.hpp"
#include "app/gl.hpp"

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct WebHost {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
    aelab::app::App app;
    int css_w = 0, css_h = 0;
};
WebHost* g_host = nullptr;

}  // namespace

// ---- JavaScript helpers -----------------------------------------------------------------------
// clang-format off
EM_JS(void, js_install, (), {
    Module.aelabCopyIn = function(u8) {
        var p = Module._malloc(Math.max(1, u8.length));
        HEAPU8.set(u8, p);
        return p;
    };
    Module.aelabCommand = function(cmd) {
        var n = lengthBytesUTF8(cmd) + 1;
        var p = Module._malloc(n);
        stringToUTF8(cmd, p, n);
        var r = Module._aelab_command(p);
        Module._free(p);
        return UTF8ToString(r);
    };
    Module.aelabDeliverModel = function(u8, name) {
        var p = Module.aelabCopyIn(u8);
        var nn = lengthBytesUTF8(name) + 1;
        var q = Module._malloc(nn);
        stringToUTF8(name, q, nn);
        Module._aelab_on_model_bytes(p, u8.length, q);
        Module._free(p);
        Module._free(q);
    };
    var a = window.aelab = window.aelab || {};
    a.command = Module.aelabCommand;
    a.deliverModel = Module.aelabDeliverModel;
    if (typeof window.aelabOnReady === 'function') window.aelabOnReady(a);
});

EM_JS(char*, js_location_search, (), {
    var s = window.location.search || "";
    var n = lengthBytesUTF8(s) + 1;
    var p = Module._malloc(n);
    stringToUTF8(s, p, n);
    return p;
});

EM_JS(void, js_request_images, (int kind, const char* key_c), {
    var key = UTF8ToString(key_c);
    var names = ['train-images', 'train-labels', 'test-images', 'test-labels'];
    var urls = names.map(function(n) { return 'data/' + key + '-' + n + '.idx.gz'; });
    var t0 = performance.now();
    var fetchGz = window.aelabFetchGz;
    if (typeof fetchGz !== 'function') {
        var m = 'data_loader.js is missing (aelabFetchGz)';
        var n0 = lengthBytesUTF8(m) + 1, p0 = Module._malloc(n0);
        stringToUTF8(m, p0, n0);
        Module._aelab_on_data_error(kind, p0);
        Module._free(p0);
        return;
    }
    Promise.all(urls.map(function(u) { return fetchGz(u); })).then(function(parts) {
        var ptrs = parts.map(function(u8) { return Module.aelabCopyIn(u8); });
        var src = urls.join(' ');
        var ns = lengthBytesUTF8(src) + 1, ps = Module._malloc(ns);
        stringToUTF8(src, ps, ns);
        window.aelab = window.aelab || {};
        window.aelab.dataLoadMs = performance.now() - t0;
        Module._aelab_on_image_data(kind, ptrs[0], parts[0].length, ptrs[1], parts[1].length,
                                    ptrs[2], parts[2].length, ptrs[3], parts[3].length, ps);
        ptrs.forEach(function(p) { Module._free(p); });
        Module._free(ps);
    }).catch(function(e) {
        var msg = String((e && e.message) || e);
        console.warn('aelab: ' + msg);
        var n = lengthBytesUTF8(msg) + 1, p = Module._malloc(n);
        stringToUTF8(msg, p, n);
        Module._aelab_on_data_error(kind, p);
        Module._free(p);
    });
});

EM_JS(void, js_save_file, (const char* name_c, const unsigned char* data, int len), {
    var name = UTF8ToString(name_c);
    var bytes = HEAPU8.slice(data, data + len);
    var blob = new Blob([bytes], {type: 'application/octet-stream'});
    var url = URL.createObjectURL(blob);
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
});

EM_JS(void, js_open_file, (), {
    var input = document.getElementById('model-file');
    if (input) { input.value = ""; input.click(); }
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

EM_JS(void, js_publish, (double frame_ms, double fps, double steps_per_sec, double samples_per_sec,
                         double train_ms, double cpu_ms, double step, double epoch, double train_mse, double test_mse,
                         double pca_mse, double max_angle, int playing, int ready, int diverged, double frames,
                         double params, int messages, const char* dataset, const char* preset,
                         const char* query, const char* arch, const char* message, const char* profile), {
    var a = window.aelab = window.aelab || {};
    if (a.firstFrameMs === undefined) a.firstFrameMs = performance.now();
    if (ready && a.readyMs === undefined) a.readyMs = performance.now();
    var num = function(v) { return isFinite(v) ? v : null; };
    a.frameTimeMs = frame_ms;
    a.fps = fps;
    a.stepsPerSec = steps_per_sec;
    a.samplesPerSec = samples_per_sec;
    a.trainMs = train_ms;
    a.cpuMs = cpu_ms;
    a.step = step;
    a.epoch = epoch;
    a.trainLoss = num(train_mse);
    a.testLoss = num(test_mse);
    a.pcaLoss = num(pca_mse);
    a.maxAngleDeg = num(max_angle);
    a.playing = !!playing;
    a.ready = !!ready;
    a.diverged = !!diverged;
    a.frames = frames;
    a.params = params;
    a.messages = messages;
    a.dataset = UTF8ToString(dataset);
    a.preset = UTF8ToString(preset);
    a.query = UTF8ToString(query);
    a.arch = UTF8ToString(arch);
    a.message = UTF8ToString(message);
    a.profile = UTF8ToString(profile);
});
// clang-format on

// ---- exports for JavaScript ---------------------------------------------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE void aelab_on_image_data(int kind, const unsigned char* a, int na, const unsigned char* b, int nb,
                                              const unsigned char* c, int nc, const unsigned char* d, int nd,
                                              const char* source) {
    if (!g_host) return;
    g_host->app.on_image_data(static_cast<aelab::app::DatasetKind>(kind), std::vector<std::uint8_t>(a, a + na),
                              std::vector<std::uint8_t>(b, b + nb), std::vector<std::uint8_t>(c, c + nc),
                              std::vector<std::uint8_t>(d, d + nd), source ? source : "");
}

EMSCRIPTEN_KEEPALIVE void aelab_on_data_error(int kind, const char* message) {
    if (!g_host) return;
    g_host->app.on_data_error(static_cast<aelab::app::DatasetKind>(kind), message ? message : "error");
}

EMSCRIPTEN_KEEPALIVE void aelab_on_model_bytes(const unsigned char* data, int len, const char* name) {
    if (!g_host) return;
    g_host->app.on_model_bytes(std::vector<std::uint8_t>(data, data + len), name ? name : "model");
}

EMSCRIPTEN_KEEPALIVE const char* aelab_command(const char* cmd) {
    static std::string result;
    result = g_host ? g_host->app.command(cmd ? cmd : "") : "not ready";
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
    SDL_Event e;
    while (SDL_PollEvent(&e)) h.app.event(e);
    h.app.frame();
    const aelab::app::Stats& s = h.app.stats();
    js_publish(s.frame_ms, s.fps, s.steps_per_sec, s.samples_per_sec, s.train_ms, s.cpu_ms, static_cast<double>(s.step), s.epoch,
               s.train_mse, s.test_mse, s.pca_mse, s.max_angle_deg, s.playing, s.ready, s.diverged,
               static_cast<double>(s.frames), static_cast<double>(s.params), s.messages, s.dataset.c_str(),
               s.preset.c_str(), s.query.c_str(), s.arch.c_str(), s.message.c_str(), s.profile.c_str());
}

}  // namespace

int main() {
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
    host.window = SDL_CreateWindow("aelab", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
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

    aelab::app::Platform p;
    p.browser = true;
    p.pixel_ratio = static_cast<float>(emscripten_get_device_pixel_ratio());
    p.request_images = [](aelab::app::DatasetKind k) { js_request_images(static_cast<int>(k), aelab::app::dataset_key(k)); };
    p.save_file = [](const std::string& name, const std::vector<std::uint8_t>& bytes) -> std::string {
        js_save_file(name.c_str(), bytes.data(), static_cast<int>(bytes.size()));
        return "";
    };
    p.open_file = []() { js_open_file(); };
    p.set_url = [](const std::string& q) { js_set_url(q.c_str()); };

    char* search = js_location_search();
    const std::string query = search ? search : "";
    std::free(search);
    if (!host.app.init(host.window, host.gl, p, query)) {
        std::fprintf(stderr, "app init failed\n");
        return 1;
    }
    js_install();
    emscripten_set_main_loop_arg(loop, &host, 0, true);
    return 0;
}
