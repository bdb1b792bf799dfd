// controller.hpp: the playground's state machine without any drawing.
//
// What: `Controller` owns what the page shows and what it has built: the settings the user
// edits, the settings the current model was built with (applied), the training Session,
// play / pause / step, the data requests to the host and their failures, a model file
// waiting for its data set, the model-file routing (save, load, bytes from an upload), the
// user's own data file (on_data_file: CSV / IDX bytes, web/app/userdata.hpp), the exports
// (codes as CSV, a PNG of the frame) and the message list. Every frame the UI calls sync() (rebuild the model on a shape change,
// keep the weights on an optimizer / lr / batch change, install a pending model file) and
// train(); the panels read `settings()` / `session()` and write settings through
// `settings_mut()`.
// Why: this logic decides what happens to the user's model (is it rebuilt, kept, replaced,
// refused?) and used to sit inside the ImGui code where no test reached it. Here it has no
// ImGui / SDL / GL include and is unit-tested natively and in WASM
// (tests/unit/test_controller.cpp). It reads no clock: the caller passes the time to
// set_time() and to the message queries, so expiry is testable.
// Usage:
//     Controller c(platform);                 // platform callbacks: data, files, URL
//     c.apply_query("?preset=linear-mnist");
//     each frame: c.set_time(now); c.sync(); ... draw ...; c.train();
//     c.command("pause");  c.on_model_bytes(bytes, "model.aelab");
//     if (c.visuals_version() != seen) { reset pictures; seen = c.visuals_version(); }
#pragma once

#include "presets.hpp"
#include "safety.hpp"
#include "session.hpp"
#include "state.hpp"
#include "userdata.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aelab::app {

// What the host (browser or desktop main) does for the app; every member may be unset.
struct Platform {
    bool browser = false;
    // Starts loading an image data set; the host answers with on_image_data() or
    // on_data_error(), now or in a later frame.
    std::function<void(DatasetKind)> request_images;
    // Starts loading a built-in table (BreastCancer, Wine: browser data/<key>.csv.gz, desktop
    // data/tabular/*.csv); the host answers with on_table_data() or on_data_error().
    std::function<void(DatasetKind)> request_table;
    // Browser: offer `bytes` as a download named `name`. Desktop: write to the path `name`.
    // Returns an error message or "".
    std::function<std::string(const std::string& name, const std::vector<std::uint8_t>& bytes)> save_file;
    // Browser: open the file picker; the host calls on_model_bytes() with the file. Desktop:
    // unset (the app reads the path typed by the user with read_file).
    std::function<void()> open_file;
    std::function<std::string(const std::string& path, std::vector<std::uint8_t>* bytes)> read_file;
    // The page's query string changed (browser: history.replaceState).
    std::function<void(const std::string& query)> set_url;
    // Browser: open the file picker for a data file; the host calls on_data_file(). Desktop:
    // unset (the app reads Controller::data_path with read_file).
    std::function<void()> open_data_file;
    // Saves the next rendered frame as PNG under `name` (browser: a download; desktop: a
    // path). The host does it after rendering; returns an error message or "".
    std::function<std::string(const std::string& name)> screenshot;
    // Saves a region of the next rendered frame as PNG (x, y, w, h in framebuffer pixels from
    // the top-left; the per-panel PNG buttons and the "png=PANEL" command). Like screenshot.
    std::function<std::string(const std::string& name, int x, int y, int w, int h)> screenshot_region;
    // Browser: the page's address without its query (origin + path), for the share URL.
    std::string page_url;
    // Puts text on the clipboard (browser: navigator.clipboard); unset: ImGui's clipboard.
    std::function<void(const std::string& text)> copy_text;
    float pixel_ratio = 1.0f;     // for the font atlas
};

struct Message {
    std::string text;
    bool error = false;
    double time = 0;              // set_time() value when it was said
    bool warning = false;         // not an error, but the user should look (e.g. a fallback)
};

// The "data-options=" command's text: '&'-separated key=value (percent-decoded) with keys
// label (none | first | last | a name or 1-based number), header (auto | yes | no), skip
// (lines above the table, 0..1000), scaling (none | minmax | standard), test (fraction in
// (0, 1)), seed. All or nothing: returns "" and updates *out, or an error and leaves it.
std::string parse_data_options(const std::string& text, UserDataOptions* out);

// The test images the reconstruction panel shows: the first image of each class (up to
// n), then the next images in order; fewer when the set is smaller. Pure.
std::vector<int> first_of_each_class(const Dataset& test, int n);

class Controller {
public:
    static constexpr std::size_t kMaxMessages = 50;   // the history the status line opens

    explicit Controller(Platform platform = {});

    // ---- time and messages -----------------------------------------------------------------
    void set_time(double now) { now_ = now; }
    double time() const { return now_; }
    // Adds a message (also printed to stdout / stderr); the list keeps the last kMaxMessages.
    void say(const std::string& text, bool error = false);
    void warn(const std::string& text);     // a warning (between info and error)
    const std::deque<Message>& messages() const { return messages_; }
    void remove_message(std::size_t i);
    int message_total() const { return message_total_; }
    // The newest message if it is younger than max_age seconds at `now`, else nullptr.
    const Message* latest(double now, double max_age) const;

    // ---- settings ----------------------------------------------------------------------------
    const Settings& settings() const { return settings_; }
    Settings& settings_mut() { return settings_; }   // UI edits; sync() reconciles
    const Settings& applied() const { return applied_; }
    // A URL query: its messages become error messages; play follows autoplay; model rebuilt.
    void apply_query(const std::string& query);
    // A preset (keeps the hidden panels), plays, rebuilds.
    void load_preset(const Preset& p);
    // The data set chosen in the UI: clears the preset, repairs the settings, retries a set
    // that failed to load before.
    void choose_dataset(DatasetKind d);

    // ---- frame -------------------------------------------------------------------------------
    // Requests data, installs a pending model file, rebuilds on a shape change, updates the
    // optimizer on lr / optimizer / batch changes (weights kept). Errors become messages and
    // the settings go back to the last model that worked.
    void sync();
    // Data loaded and model built for the chosen data set.
    bool ready() const;
    // Trains for this frame (budget from the settings, at most cap_ms when given: the App's
    // frame-time target; one step after "step"). Returns the training result (0 steps when
    // paused or not ready); divergence pauses with a message.
    StepResult train(double cap_ms = -1);

    // ---- safe controls (safety.hpp) -------------------------------------------------------
    // The training watch: train() feeds it every frame; a stall or divergence shows its
    // message() with an "undo to last good" button while watch().shown(). No stall warning
    // for a regularized objective (input noise, sparsity, weight decay): it may rightly
    // stay above PCA's bound.
    const TrainingWatch& watch() const { return watch_; }
    void dismiss_warning() { watch_.dismiss(); }
    // Puts the last good weights (watch().good_params()) back into the model with a fresh
    // optimizer state, clears the divergence and records their test loss (a history
    // point); training stays paused. False (and a message) when there are none.
    bool undo_to_good();
    // A shape change (Settings::shape_differs) made in the controls while the model is worth
    // keeping (loaded from a file, or trained for more than kConfirmSteps steps) is not
    // applied at once: confirm_pending() turns true and the current model keeps training
    // until answer_rebuild(true) builds the new shape or answer_rebuild(false) puts the shape
    // controls back to the model's. Presets, URLs, Reset and a new data set rebuild without
    // asking (the user asked for a new model).
    static constexpr long kConfirmSteps = 1000;
    bool confirm_pending() const { return confirm_pending_; }
    void answer_rebuild(bool rebuild);
    bool model_from_file() const { return loaded_model_; }
    // Loaded from a file, or trained past kConfirmSteps: replacing it asks first.
    bool worth_keeping() const;

    // ---- commands ----------------------------------------------------------------------------
    // "play", "pause", "step", "reset", "save", "load", "preset=KEY", "query=a=b&c=d",
    // "data" (open a data file), "data-options=skip=1&label=last&..." (parse_data_options),
    // "codes" (export codes as CSV), "screenshot" (PNG of the frame). Returns "" or an error.
    std::string command(const std::string& cmd);
    bool playing() const { return playing_; }
    void set_playing(bool p) { playing_ = p; }
    void step_once() { playing_ = false; step_once_ = true; }
    void reset() { have_applied_ = false; }

    // ---- model files -------------------------------------------------------------------------
    std::string save_model_file();
    std::string load_model_file();
    // Every check happens before any state changes: too large, corrupt, or for data no set
    // here has is refused with a message and the current model is kept. A good file waits
    // for its data set (sync() installs it) and pauses training.
    void on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name);
    bool has_pending_model() const { return pending_model_ != nullptr; }
    std::string model_path = "model.aelab";  // desktop: where Save / Load go

    // ---- the user's data file ------------------------------------------------------------------
    // A CSV table or an IDX images file (+ optional IDX labels file) read with data_options:
    // everything is checked before anything changes (size cap kPageDataMaxBytes, the
    // format's limits, row / column errors): a bad file gives an error message and the
    // current data, settings and model stay. A good one becomes DatasetKind::User, the model
    // is rebuilt for its dimension and training goes on.
    void on_data_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                      const std::vector<std::uint8_t>& labels = {});
    // Browser: opens the picker (platform.open_data_file). Desktop: reads data_path (and
    // labels_path when set) with platform.read_file.
    std::string open_data_file();
    UserDataOptions data_options;      // edited by the "Your data" controls
    std::string data_path = "data.csv", labels_path;  // desktop
    bool has_user_data() const { return user_ != nullptr; }
    // "wine.csv: 178 rows, 13 features, 3 classes; 142 train / 36 test, minmax scaling" or "".
    std::string user_summary() const { return user_ ? user_->summary : std::string(); }
    // The settings the URL shows: the user's file cannot travel in a link, so with User data
    // the data set is the last built-in one chosen (the page says so).
    Settings url_settings() const;

    // ---- exports -------------------------------------------------------------------------------
    // The test set's codes as CSV (index,label,z1..zk) through platform.save_file (desktop:
    // codes_path). Returns "" or an error (also said as a message).
    std::string export_codes();
    std::string codes_path = "codes.csv";  // desktop
    // Asks the host for a PNG of the next frame, named by what it shows (browser:
    // aelab-<data>-<arch>-step<N>.png; desktop: screenshot_path).
    std::string screenshot();
    std::string screenshot_path = "aelab-frame.png";  // desktop

    // ---- data --------------------------------------------------------------------------------
    void on_image_data(DatasetKind kind, std::vector<std::uint8_t> train_images,
                       std::vector<std::uint8_t> train_labels, std::vector<std::uint8_t> test_images,
                       std::vector<std::uint8_t> test_labels, const std::string& source);
    void on_data_error(DatasetKind kind, const std::string& message);
    // A built-in table's CSV bytes (web/app/tabdata.hpp): split and scaled as the CLI does.
    void on_table_data(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source);
    // The class names of the current data ("malignant", "benign"), empty when unknown.
    const std::vector<std::string>& class_names() const;
    bool loading() const { return loading_; }
    DatasetKind loading_kind() const { return loading_kind_; }
    bool failed(DatasetKind d) const { return failed_[static_cast<int>(d)]; }

    Session& session() { return session_; }
    const Session& session() const { return session_; }
    const Platform& platform() const { return plat_; }
    void set_platform(Platform p) { plat_ = std::move(p); }
    // Increases whenever the data or the model is replaced: pictures must be redrawn from
    // scratch (the UI compares it with the value it last saw).
    std::uint64_t visuals_version() const { return visuals_version_; }

private:
    void request_data();
    void install_pending();
    void new_visuals() {
        ++visuals_version_;
        watch_.reset();
    }

    Platform plat_;
    double now_ = 0;
    Settings settings_, applied_;
    bool have_applied_ = false;
    Session session_;
    bool playing_ = false, step_once_ = false;
    bool loading_ = false;
    DatasetKind loading_kind_ = DatasetKind::MNIST;
    bool failed_[kNumDatasetKinds] = {};
    std::vector<std::string> class_names_;  // of the table last installed
    std::unique_ptr<UserData> user_;
    DatasetKind last_builtin_ = DatasetKind::MNIST;
    std::unique_ptr<ModelFile> pending_model_;
    std::string pending_model_name_;
    std::deque<Message> messages_;
    int message_total_ = 0;
    std::uint64_t visuals_version_ = 1;
    TrainingWatch watch_;
    bool loaded_model_ = false;     // the model came from a file (not rebuilt since)
    bool confirm_pending_ = false, rebuild_ok_ = false;
};

}  // namespace aelab::app
