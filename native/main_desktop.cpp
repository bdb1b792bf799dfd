// main_desktop.cpp: desktop entry of the playground. SDL2 window + OpenGL 3.3 core context,
// the same aelab::app::App as the browser.
//
// Usage: aelab_desktop [--preset KEY] [--url QUERY] [--data DIR] [--frames N]
//                      [--screenshot out.png] [--size WxH]
//   --preset KEY        start from a preset (linear-mnist, nonlinear-mnist, course-gauss2d,
//                       curved-band3d, swissroll, nonlinear-fashion; `aelab recipes` lists all)
//   --url QUERY         the browser's URL parameters, e.g. "preset=nonlinear-mnist&lr=0.003"
//                       (same parser as the page; --preset is a shortcut for preset=KEY)
//   --data DIR          where scripts/setup put MNIST / Fashion-MNIST (default: the
//                       configured AELAB_DATA_DIR); the desktop cuts the same 5000 / 1000
//                       image subsets as the page's build step (aelab_mkpagedata)
//   --frames N          quit after N frames (default: run until the window is closed)
//   --screenshot FILE   with --frames: save the last frame as PNG (glReadPixels)
//   --size WxH          window size in pixels (default 1280x800)
// Keys (keys.hpp, as in the page): Space play/pause, S step, R reset, 1-9 presets, ? the keys.
// The smoke test runs it under Xvfb: xvfb-run -s "-screen 0 1280x800x24" aelab_desktop
//   --preset curved-band3d --frames 120 --screenshot artifacts/desktop/smoke.png
#include "app/app.hpp"
#include "app/event_queue.hpp"
#include "app/gl.hpp"

#include <SDL.h>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#include <sys/stat.h>

#include "app/pagedata.hpp"
#include "app/session.hpp"
#include "app/tabdata.hpp"
#include "cli/io.hpp"

#include "aelab/datasets.hpp"
#include "aelab/idx.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef AELAB_DEFAULT_DATA_DIR
#define AELAB_DEFAULT_DATA_DIR "data"
#endif

namespace {

struct Options {
    long frames = -1;
    std::string screenshot;
    int width = 1280, height = 800;
    std::string query;
    std::string data_dir = AELAB_DEFAULT_DATA_DIR;
};

[[noreturn]] void usage(const char* msg) {
    std::fprintf(stderr, "aelab_desktop: %s\nusage: aelab_desktop [--preset KEY] [--url QUERY] [--data DIR] [--frames N] [--screenshot out.png] [--size WxH]\n", msg);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(("missing value after " + a).c_str());
            return argv[++i];
        };
        if (a == "--frames") {
            char* end = nullptr;
            o.frames = std::strtol(value(), &end, 10);
            if (!end || *end || o.frames <= 0) usage("--frames wants a positive integer");
        } else if (a == "--screenshot") {
            o.screenshot = value();
        } else if (a == "--size") {
            if (std::sscanf(value(), "%dx%d", &o.width, &o.height) != 2 || o.width <= 0 || o.height <= 0)
                usage("--size wants WxH");
        } else if (a == "--preset") {
            o.query += std::string(o.query.empty() ? "" : "&") + "preset=" + value();
        } else if (a == "--url") {
            std::string q = value();
            const size_t qm = q.find('?');
            if (qm != std::string::npos) q = q.substr(qm + 1);
            o.query += (o.query.empty() ? "" : "&") + q;
        } else if (a == "--data") {
            o.data_dir = value();
        } else if (a == "--help" || a == "-h") {
            usage("help");
        } else {
            usage(("unknown argument " + a).c_str());
        }
    }
    if (!o.screenshot.empty() && o.frames < 0) usage("--screenshot needs --frames");
    return o;
}

// Reads the back buffer (the frame just rendered, before the swap) and writes a PNG: the
// whole frame, or the region x, y, w, h (pixels from the top-left; a panel's PNG button).
bool save_screenshot(SDL_Window* window, const std::string& path, const int* region = nullptr) {
    int fw = 0, fh = 0;
    SDL_GL_GetDrawableSize(window, &fw, &fh);
    int x = 0, y = 0, w = fw, h = fh;
    if (region) {
        x = std::clamp(region[0], 0, fw);
        y = std::clamp(region[1], 0, fh);
        w = std::clamp(region[2], 0, fw - x);
        h = std::clamp(region[3], 0, fh - y);
        if (w == 0 || h == 0) return false;
    }
    std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(x, fh - y - h, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    stbi_flip_vertically_on_write(1);  // GL's origin is bottom-left, PNG's is top-left
    // Encoded in memory, then written like every other output (temporary file, fsync, rename).
    std::vector<std::uint8_t> png;
    auto sink = [](void* ctx, void* data, int size) {
        auto* out = static_cast<std::vector<std::uint8_t>*>(ctx);
        out->insert(out->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
    };
    if (stbi_write_png_to_func(sink, &png, w, h, 4, pixels.data(), w * 4) == 0) return false;
    try {
        aelab::cli::write_file(path, png.data(), png.size());
    } catch (const aelab::Error&) {
        return false;
    }
    return true;
}

// Files the user opens (model files, data files): the larger of the page's caps (model files,
// 64 MB) is checked before anything is read; the app then applies the cap of the file's kind
// (data files: 16 MB, aelab::app::kPageDataMaxBytes).
std::string read_bytes(const std::string& path, std::vector<std::uint8_t>* out) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::uint64_t>(st.st_size) > aelab::app::kMaxModelFileBytes)
        return path + " is " + std::to_string(static_cast<long long>(st.st_size)) + " bytes: files read here are at most " +
               std::to_string(aelab::app::kMaxModelFileBytes >> 20) + " MB (" +
               std::to_string(aelab::app::kMaxModelFileBytes) + " bytes)";
    try {
        *out = aelab::cli::read_file(path);
    } catch (const aelab::Error& e) {
        return e.what();
    }
    return "";
}

// Saves are crash-safe like the CLI's: temporary file beside the target, fsync, rename, fsync
// of the directory, so the file on disk is the old one or the new one, whole.
std::string write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    try {
        aelab::cli::write_file(path, bytes.data(), bytes.size());
    } catch (const aelab::Error& e) {
        return e.what();
    }
    return "";
}

// The page's subsets (aelab::app::cut_page_subsets, the function the page's build step
// native/tools/mkpagedata.cpp uses: stratified, 5000 train / 1000 test, same seeds) cut from
// the full IDX files in data_dir/<set>/, handed to the app as IDX bytes exactly like the
// browser's fetched files.
void load_images(aelab::app::App& app, aelab::app::DatasetKind kind, const std::string& data_dir) {
    const std::string set = kind == aelab::app::DatasetKind::Fashion ? "fashion" : "mnist";
    const std::string dir = data_dir + "/" + set + "/";
    try {
        std::vector<std::uint8_t> f[4];
        const char* names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                "t10k-labels-idx1-ubyte"};
        for (int i = 0; i < 4; ++i) {
            const std::string err = read_bytes(dir + names[i], &f[i]);
            if (!err.empty()) throw aelab::Error(err + " (run scripts/setup, or pass --data DIR)");
        }
        aelab::Dataset tr = aelab::make_image_dataset(f[0].data(), f[0].size(), f[1].data(), f[1].size(), set);
        aelab::Dataset te = aelab::make_image_dataset(f[2].data(), f[2].size(), f[3].data(), f[3].size(), set);
        aelab::app::PageSubsets s = aelab::app::cut_page_subsets(tr, te, std::min(aelab::app::kPageTrain, tr.size()),
                                                                 std::min(aelab::app::kPageTest, te.size()));
        app.on_image_data(kind, std::move(s.train.images), std::move(s.train.labels), std::move(s.test.images),
                          std::move(s.test.labels), dir);
    } catch (const std::exception& e) {
        app.on_data_error(kind, e.what());
    }
}

// A built-in table (breast-cancer, wine): data_dir/tabular/<file>.csv, as the CLI reads it.
void load_table(aelab::app::App& app, aelab::app::DatasetKind kind, const std::string& data_dir) {
    try {
        const std::string path = data_dir + "/" + aelab::app::table_data_file(kind);
        std::vector<std::uint8_t> bytes;
        const std::string err = read_bytes(path, &bytes);
        if (!err.empty()) throw aelab::Error(err + " (run scripts/setup, or pass --data DIR)");
        app.on_table_data(kind, bytes, path);
    } catch (const std::exception& e) {
        app.on_data_error(kind, e.what());
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options opt = parse(argc, argv);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

    SDL_Window* window = SDL_CreateWindow("aelab playground: autoencoders vs PCA", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          opt.width, opt.height,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        std::fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    if (!gl) {
        std::fprintf(stderr, "SDL_GL_CreateContext (OpenGL 3.3 core): %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(opt.frames > 0 ? 0 : 1);  // smoke runs go as fast as they can

    aelab::app::App app;
    aelab::app::Platform plat;
    plat.browser = false;
    int win_w = 0, win_h = 0, draw_w = 0, draw_h = 0;
    SDL_GetWindowSize(window, &win_w, &win_h);
    SDL_GL_GetDrawableSize(window, &draw_w, &draw_h);
    plat.pixel_ratio = win_w > 0 ? static_cast<float>(draw_w) / static_cast<float>(win_w) : 1.0f;
    // Image sets are read between frames (not inside the app's frame).
    bool want_images = false;
    aelab::app::DatasetKind want_kind = aelab::app::DatasetKind::MNIST;
    plat.request_images = [&](aelab::app::DatasetKind k) {
        want_images = true;
        want_kind = k;
    };
    plat.request_table = plat.request_images;  // the kind tells the loop below which loader
    plat.save_file = [](const std::string& path, const std::vector<std::uint8_t>& bytes) { return write_bytes(path, bytes); };
    plat.read_file = [](const std::string& path, std::vector<std::uint8_t>* bytes) { return read_bytes(path, bytes); };
    // "Frame as PNG": the frame is read back after it is rendered (below), before the swap.
    std::string shot_path, region_path;
    int region[4] = {0, 0, 0, 0};
    plat.screenshot = [&](const std::string& path) {
        shot_path = path;
        return std::string();
    };
    plat.screenshot_region = [&](const std::string& path, int x, int y, int w, int h) {
        region_path = path;
        region[0] = x, region[1] = y, region[2] = w, region[3] = h;
        return std::string();
    };
    if (!app.init(window, gl, plat, opt.query)) {
        std::fprintf(stderr, "app init failed\n");
        return 1;
    }
    int rc = 0;
    bool running = true;
    aelab::app::EventQueue events;  // a press and its release go in different frames (input_gate.hpp)
    while (running) {
        events.feed([&](const SDL_Event& e) {
            if (!app.event(e)) running = false;
        });
        app.frame();
        const bool last = opt.frames > 0 && static_cast<long>(app.frame_count()) >= opt.frames;
        if (last && !opt.screenshot.empty()) {
            if (save_screenshot(window, opt.screenshot)) {
                std::printf("screenshot: %s\n", opt.screenshot.c_str());
            } else {
                std::fprintf(stderr, "could not write %s\n", opt.screenshot.c_str());
                rc = 1;
            }
        }
        if (!shot_path.empty()) {
            if (save_screenshot(window, shot_path)) app.on_host_message("saved the frame to " + shot_path, false);
            else app.on_host_message("could not write " + shot_path, true);
            shot_path.clear();
        }
        if (!region_path.empty()) {
            if (save_screenshot(window, region_path, region)) app.on_host_message("saved the panel to " + region_path, false);
            else app.on_host_message("could not write " + region_path, true);
            region_path.clear();
        }
        SDL_GL_SwapWindow(window);
        if (want_images) {
            want_images = false;
            if (aelab::app::is_table_dataset(want_kind)) load_table(app, want_kind, opt.data_dir);
            else load_images(app, want_kind, opt.data_dir);
        }
        if (last) running = false;
    }
    const aelab::app::Stats& st = app.stats();
    std::printf("frames: %llu  (%.0f fps at the end)\n", static_cast<unsigned long long>(app.frame_count()), st.fps);
    std::printf("state: %s  dataset %s  arch %s  ready %d\n", st.query.c_str(), st.dataset.c_str(), st.arch.c_str(),
                st.ready ? 1 : 0);
    std::printf("training: step %ld  epoch %.2f  %.0f steps/s  test MSE %.5g  PCA MSE %.5g  max angle %.2f deg\n",
                st.step, st.epoch, st.steps_per_sec, st.test_mse, st.pca_mse, st.max_angle_deg);
    app.shutdown();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return rc;
}
