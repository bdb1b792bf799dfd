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
// Structure: the App owns the ImGui context and backends and runs the frame (layout, then
// the panels of panels.hpp); everything that is not drawing (settings vs the built model,
// data requests, model files, commands, messages) is the headless Controller
// (controller.hpp, unit-tested).
#pragma once

#include "controller.hpp"
#include "stats.hpp"

#include <SDL.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

// Platform (the host's callbacks) is declared in controller.hpp, Stats (the published
// numbers, and their JSON form for the page) in stats.hpp.

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
    // A built-in table's CSV bytes (Platform::request_table's answer): Controller::on_table_data.
    void on_table_data(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source);
    // Model file bytes (at most kMaxModelFileBytes; anything else is refused with a message).
    void on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name);
    // A data file (CSV or IDX images, + optional IDX labels): Controller::on_data_file.
    void on_data_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                      const std::vector<std::uint8_t>& labels = {});
    // A message from the host, shown like the app's own (an upload the host refused before
    // reading it, WASM memory exhausted while copying bytes in).
    void on_host_message(const std::string& message, bool error = true);
    // Scripting / embedding: "play", "pause", "step", "reset", "save", "load",
    // "preset=KEY", "query=a=b&c=d". Returns "" or an error.
    std::string command(const std::string& cmd);
    // Bytes of the image data set being loaded so far and in all (total 0: not known); the
    // loading screen shows them with a progress bar.
    void on_data_progress(double done, double total);

    Controller& controller();
    bool keys_overlay_shown() const;   // the '?' overlay (input_ui.hpp)

    const Stats& stats() const;
    std::uint64_t frame_count() const;

private:
    std::unique_ptr<AppImpl> impl_;
};

}  // namespace aelab::app
