// app.hpp: the playground application, shared by the browser and the desktop.
//
// The app is a set of callbacks; the platform mains (web/main_web.cpp,
// native/main_desktop.cpp) own the window, the GL context and the loop, and call:
//   init(window, gl_context, platform, query)  once, after the GL context is current
//   event(e)                                   for every SDL event
//   frame()                                    once per displayed frame (UI + render)
//   shutdown()                                 once, before the GL context goes away
// frame() does not swap buffers: the browser presents implicitly, the desktop main calls
// SDL_GL_SwapWindow (after an optional screenshot).
// Everything that differs between the browser and the desktop (loading the MNIST files,
// downloading / uploading model files, the page URL, stats for JavaScript) goes through
// the `Platform` callbacks the main fills in; the results come back through the on_*()
// methods (possibly later: the browser fetches asynchronously).
#pragma once

#include "state.hpp"

#include <SDL.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

// Numbers the page exposes to JavaScript (window.aelab) and the desktop prints.
struct Stats {
    double frame_ms = 0;          // smoothed frame time
    double fps = 0;
    double steps_per_sec = 0;
    double samples_per_sec = 0;
    double train_ms = 0;          // training time in the last frame
    double cpu_ms = 0;            // whole App::frame() time (training + UI + GL calls), smoothed
    long step = 0;
    double epoch = 0;
    double train_mse = 0, test_mse = 0, pca_mse = 0;  // NaN until known
    double max_angle_deg = 0;     // largest principal angle AE decoder vs PCA (NaN if none)
    long params = 0;
    bool playing = false;
    bool ready = false;           // data loaded and model built
    bool diverged = false;
    std::uint64_t frames = 0;
    std::string dataset, preset, query, arch, message;
    std::string profile;          // where the last frame's time went (for tuning)
    int messages = 0;             // messages shown since start (warnings, errors)
};

struct Platform {
    bool browser = false;
    // Starts loading an image data set; the host answers with on_image_data() or
    // on_data_error(), now or in a later frame.
    std::function<void(DatasetKind)> request_images;
    // Browser: offer `bytes` as a download named `name`. Desktop: write to the path `name`.
    // Returns an error message or "".
    std::function<std::string(const std::string& name, const std::vector<std::uint8_t>& bytes)> save_file;
    // Browser: open the file picker; the host calls on_model_bytes() with the file. Desktop:
    // unset (the app reads the path typed by the user with read_file).
    std::function<void()> open_file;
    std::function<std::string(const std::string& path, std::vector<std::uint8_t>* bytes)> read_file;
    // The page's query string changed (browser: history.replaceState).
    std::function<void(const std::string& query)> set_url;
    float pixel_ratio = 1.0f;     // for the font atlas
};

class AppImpl;

class App {
public:
    App();
    ~App();
    bool init(SDL_Window* window, SDL_GLContext gl_context, const Platform& platform = {},
              const std::string& query = "");
    // Returns false when the app wants to quit (window closed).
    bool event(const SDL_Event& e);
    void frame();
    void shutdown();

    // Host answers (see Platform).
    void on_image_data(DatasetKind kind, std::vector<std::uint8_t> train_images,
                       std::vector<std::uint8_t> train_labels, std::vector<std::uint8_t> test_images,
                       std::vector<std::uint8_t> test_labels, const std::string& source);
    void on_data_error(DatasetKind kind, const std::string& message);
    // Model file bytes (at most kMaxModelFileBytes; anything else is refused with a message).
    void on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name);
    // A message from the host, shown like the app's own (an upload the host refused before
    // reading it, WASM memory exhausted while copying bytes in).
    void on_host_message(const std::string& message, bool error = true);
    // Scripting / embedding: "play", "pause", "step", "reset", "save", "load",
    // "preset=KEY", "query=a=b&c=d". Returns "" or an error.
    std::string command(const std::string& cmd);

    const Stats& stats() const;
    std::uint64_t frame_count() const;

private:
    std::unique_ptr<AppImpl> impl_;
};

}  // namespace aelab::app
