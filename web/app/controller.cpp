// controller.cpp: see controller.hpp.
#include "controller.hpp"

#include "tabdata.hpp"

#include <new>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

namespace aelab::app {

std::vector<int> first_of_each_class(const Dataset& test, int n) {
    std::vector<int> idx;
    const Index size = test.size();
    std::vector<bool> seen(static_cast<size_t>(std::max(1, test.num_classes)), false);
    for (Index i = 0; i < size && static_cast<int>(idx.size()) < n; ++i) {
        const int y = i < static_cast<Index>(test.y.size()) ? test.y[i] : -1;
        if (y >= 0 && y < static_cast<int>(seen.size()) && !seen[y]) {
            seen[y] = true;
            idx.push_back(static_cast<int>(i));
        }
    }
    for (Index i = 0; static_cast<int>(idx.size()) < n && i < size; ++i)
        if (std::find(idx.begin(), idx.end(), static_cast<int>(i)) == idx.end()) idx.push_back(static_cast<int>(i));
    return idx;
}

Controller::Controller(Platform platform) : plat_(std::move(platform)) {}

// ---- messages ---------------------------------------------------------------------------------
void Controller::say(const std::string& text, bool error) {
    messages_.push_back({text, error, now_});
    ++message_total_;
    while (messages_.size() > kMaxMessages) messages_.pop_front();
    std::fprintf(error ? stderr : stdout, "[aelab] %s\n", text.c_str());
}

void Controller::remove_message(std::size_t i) {
    if (i < messages_.size()) messages_.erase(messages_.begin() + static_cast<std::ptrdiff_t>(i));
}

void Controller::warn(const std::string& text) {
    say(text, false);
    messages_.back().warning = true;
}

const Message* Controller::latest(double now, double max_age) const {
    if (messages_.empty() || now - messages_.back().time >= max_age) return nullptr;
    return &messages_.back();
}

// ---- settings ---------------------------------------------------------------------------------
void Controller::apply_query(const std::string& q) {
    QueryResult r = parse_query(q);
    for (const auto& m : r.messages) say("URL: " + m, true);
    settings_ = r.settings;
    playing_ = settings_.autoplay;
    have_applied_ = false;
}

void Controller::load_preset(const Preset& p) {
    const Settings view = settings_;   // the page's view (hidden panels, one panel, layout) stays
    settings_ = p.settings;
    settings_.hide = view.hide;
    settings_.panel = view.panel;
    settings_.layout = view.layout;
    playing_ = true;
    have_applied_ = false;
    say("preset: " + p.title);
}

void Controller::choose_dataset(DatasetKind d) {
    settings_.dataset = d;
    settings_.preset.clear();
    std::vector<std::string> msgs;
    sanitize(settings_, &msgs);
    if (is_image_dataset(d) && settings_.latent > 16) settings_.latent = 2;
    failed_[static_cast<int>(d)] = false;
}

// ---- data -------------------------------------------------------------------------------------
void Controller::request_data() {
    const DatasetKind k = settings_.dataset;
    // An edited Gaussian (settings_.gauss) regenerates the 2-D data; the model is then rebuilt.
    // One that is not a Gaussian (set past sanitize()) is refused and the data's one kept.
    if (const std::string why = validate(settings_.gauss); !why.empty()) {
        say("2-D Gaussian: " + why + " (the previous one is kept)", true);
        settings_.gauss = session_.has_data() ? session_.data().gauss : Gauss2D{};
    }
    if (session_.has_data() && session_.kind() == k &&
        (k != DatasetKind::Gauss2D || same_gauss(session_.data().gauss, settings_.gauss)))
        return;
    if (loading_ && loading_kind_ == k) return;
    if (k == DatasetKind::User) {  // back to the user's file after a built-in set
        if (!user_) {
            say("no data file loaded yet: use \"Your data\" to choose one", true);
            settings_.dataset = last_builtin_;
            return;
        }
        set_user_data_dim(static_cast<int>(user_->bundle.train.dim()));
        session_.set_data(user_->bundle);
        have_applied_ = false;
        new_visuals();
        return;
    }
    if (is_table_dataset(k)) {  // fetched like the image sets
        if (failed_[static_cast<int>(k)]) return;
        if (!plat_.request_table) {
            failed_[static_cast<int>(k)] = true;
            say(std::string(dataset_label(k)) + " is not available on this platform", true);
            return;
        }
        loading_ = true;
        loading_kind_ = k;
        plat_.request_table(k);
        return;
    }
    if (!is_image_dataset(k)) {
        session_.set_data(make_synthetic(k, 1, settings_.gauss));
        have_applied_ = false;
        new_visuals();
        return;
    }
    if (failed_[static_cast<int>(k)]) return;
    if (!plat_.request_images) {
        failed_[static_cast<int>(k)] = true;
        say(std::string(dataset_label(k)) + " is not available on this platform", true);
        return;
    }
    loading_ = true;
    loading_kind_ = k;
    plat_.request_images(k);
}

void Controller::on_image_data(DatasetKind kind, std::vector<std::uint8_t> train_images,
                               std::vector<std::uint8_t> train_labels, std::vector<std::uint8_t> test_images,
                               std::vector<std::uint8_t> test_labels, const std::string& source) {
    if (loading_ && loading_kind_ == kind) loading_ = false;
    try {
        DataBundle b = make_image_bundle(kind, train_images, train_labels, test_images, test_labels);
        b.source = source;
        if (kind != settings_.dataset) return;  // the user moved on meanwhile
        session_.set_data(std::move(b));
        have_applied_ = false;
        new_visuals();
    } catch (const std::exception& e) {
        on_data_error(kind, e.what());
    }
}

void Controller::on_table_data(DatasetKind kind, const std::vector<std::uint8_t>& bytes, const std::string& source) {
    if (loading_ && loading_kind_ == kind) loading_ = false;
    try {
        TableData t = read_table_bundle(kind, bytes, source);
        if (kind != settings_.dataset) return;  // the user moved on meanwhile
        class_names_ = t.class_names;
        session_.set_data(std::move(t.bundle));
        have_applied_ = false;
        new_visuals();
        say("loaded " + t.summary);
    } catch (const std::exception& e) {
        on_data_error(kind, e.what());
    }
}

const std::vector<std::string>& Controller::class_names() const {
    static const std::vector<std::string> none;
    return session_.has_data() && is_table_dataset(session_.kind()) ? class_names_ : none;
}

void Controller::on_data_error(DatasetKind kind, const std::string& message) {
    if (loading_ && loading_kind_ == kind) loading_ = false;
    failed_[static_cast<int>(kind)] = true;
    say(std::string("could not load ") + dataset_label(kind) + ": " + message, true);
    if (settings_.dataset == kind) {
        // Fall back to a generated data set so the page still shows something.
        const Preset* p = find_preset("curved-band3d");
        const Settings view = settings_;
        settings_ = p->settings;
        settings_.hide = view.hide;
        settings_.panel = view.panel;
        settings_.layout = view.layout;
        have_applied_ = false;
        warn(std::string(dataset_label(kind)) + " is not available: showing \"" + p->title + "\" instead");
    }
}

// ---- model ------------------------------------------------------------------------------------
// Installs the model file read by on_model_bytes() once its data set is loaded. The page's
// settings become settings_for_model()'s (clipped to what the controls and URL can show,
// each clip reported); the learning rate shown is the one the loaded optimizer uses.
void Controller::install_pending() {
    if (!pending_model_) return;
    std::unique_ptr<ModelFile> f = std::move(pending_model_);
    ModelSettings ms = settings_for_file(settings_, session_.kind(), *f);
    if (f->has_optimizer) f->optimizer.lr = ms.settings.lr;
    try {
        session_.install(*f, ms.settings);
        settings_ = ms.settings;
        applied_ = settings_;
        have_applied_ = true;
        new_visuals();
        loaded_model_ = true;
        say("loaded " + pending_model_name_ + " (" + file_arch_string(*f) + ", step " +
            std::to_string(f->counters.step) + ")");
        for (const std::string& m : ms.messages) say(pending_model_name_ + ": " + m);
    } catch (const std::exception& e) {
        say("could not use " + pending_model_name_ + ": " + e.what(), true);
    }
}

void Controller::sync() {
    if (settings_.dataset != DatasetKind::User) last_builtin_ = settings_.dataset;
    request_data();
    if (!session_.has_data() || session_.kind() != settings_.dataset) return;
    if (pending_model_) {
        install_pending();
        return;
    }
    if (!have_applied_ || !session_.has_model() || Settings::shape_differs(settings_, applied_)) {
        if (have_applied_ && session_.has_model() && !rebuild_ok_ && worth_keeping()) {
            confirm_pending_ = true;  // the UI asks; the current model keeps training meanwhile
            return;
        }
        confirm_pending_ = rebuild_ok_ = false;
        try {
            session_.build(settings_);
            applied_ = settings_;
            have_applied_ = true;
            loaded_model_ = false;
            new_visuals();
        } catch (const std::exception& e) {
            say(std::string("cannot build this model: ") + e.what(), true);
            if (have_applied_) {
                settings_ = applied_;  // back to the last model that worked
            } else {
                settings_ = default_settings();
                settings_.dataset = session_.kind();
            }
        }
        return;
    }
    if (Settings::objective_differs(settings_, applied_)) {
        try {
            session_.update_objective(settings_);
            applied_.copy_objective(settings_);
        } catch (const std::exception& e) {
            say(e.what(), true);
            settings_.copy_objective(applied_);
        }
    }
    if (settings_.opt != applied_.opt || settings_.lr != applied_.lr || settings_.batch != applied_.batch) {
        try {
            session_.update_hyper(settings_);
            if (settings_.opt != applied_.opt)
                say(std::string("optimizer: ") + optimizer_label(settings_.opt) +
                    " (weights kept, optimizer state reset)");
            applied_.opt = settings_.opt;
            applied_.lr = settings_.lr;
            applied_.batch = settings_.batch;
        } catch (const std::exception& e) {
            say(e.what(), true);
            settings_.opt = applied_.opt;
            settings_.lr = applied_.lr;
            settings_.batch = applied_.batch;
        }
    }
}

bool Controller::ready() const {
    return session_.has_data() && session_.has_model() && session_.kind() == settings_.dataset;
}

StepResult Controller::train(double cap_ms) {
    if (!ready() || !(playing_ || step_once_)) return {};
    const double budget_ms = cap_ms >= 0 ? std::min(settings_.budget_ms, cap_ms) : settings_.budget_ms;
    const double budget = step_once_ ? 0.0 : budget_ms * 1e-3;
    const long steps = step_once_ ? 1 : settings_.speed;
    StepResult r;
    try {
        r = session_.train(budget, steps);
    } catch (const std::exception& e) {
        // Out of memory (a large batch of a conv model) or any other failure of one frame's
        // training: the page keeps running, paused, with the reason.
        step_once_ = false;
        playing_ = false;
        say(std::string("training stopped: ") +
                (dynamic_cast<const std::bad_alloc*>(&e) ? "out of memory for this batch size; lower the batch size"
                                                         : e.what()) +
                ". Training is paused; the weights are those of the last completed step.",
            true);
        return {};
    }
    step_once_ = false;
    if (session_.pretrainer() && (session_.pretraining() || session_.pretrainer()->diverged())) {
        // Layer-wise phases: the watch follows the fine-tuning trainer only (it starts at 0).
        if (r.diverged) {
            playing_ = false;
            say(session_.phase_label() + " Lower the learning rate (or turn pretraining off) to rebuild.", true);
        }
        return r;
    }
    const auto& h = session_.trainer().history();
    // A regularized objective (noise, sparsity, weight decay, contractive) trades reconstruction
    // for something else: no stall warning against PCA's bound then (divergence still counts).
    const bool plain = applied_.noise == Noise::None && applied_.sparsity == Sparsity::None &&
                       applied_.weight_decay == 0 && applied_.contractive == 0;
    if (!h.empty()) watch_.observe(h.back().step, h.back().test_mse, plain ? session_.pca_test_mse() : 0.0);
    if (r.diverged || session_.trainer().diverged()) {
        watch_.on_guard(session_.trainer().divergence_message());
        playing_ = false;
        say("training diverged: " + session_.trainer().divergence_message() +
                " Weights restored to the last good snapshot; lower the learning rate and press Play.",
            true);
        session_.trainer().clear_divergence();
    }
    if (r.steps > 0) watch_.frame_end(session_.trainer().steps(), session_.model().params());
    return r;
}

// ---- safe controls ----------------------------------------------------------------------------
bool Controller::worth_keeping() const { return loaded_model_ || session_.total_steps() > kConfirmSteps; }

void Controller::answer_rebuild(bool rebuild) {
    if (!confirm_pending_) return;
    confirm_pending_ = false;
    if (rebuild) {
        rebuild_ok_ = true;  // sync() builds the new shape next
        return;
    }
    // Keep the model: the shape controls go back to what it was built with.
    settings_.hidden = applied_.hidden;
    settings_.latent = applied_.latent;
    settings_.acts = applied_.acts;
    settings_.code_act = applied_.code_act;
    settings_.out_act = applied_.out_act;
    settings_.loss = applied_.loss;
    settings_.tied = applied_.tied;
    settings_.seed = applied_.seed;
    say("kept the current model (step " + std::to_string(session_.total_steps()) + ")");
}

bool Controller::undo_to_good() {
    if (!ready() || !watch_.can_undo() || watch_.good_params().size() != session_.model().num_params()) {
        say("no good weights to go back to yet", true);
        return false;
    }
    Trainer& tr = session_.trainer();
    tr.cancel_step();  // parts of a step computed at the weights being thrown away
    session_.model().params() = watch_.good_params();
    tr.optimizer().reset();  // fresh optimizer state for the restored weights
    tr.clear_divergence();
    tr.record();  // the restored weights' test loss, on the curve at once
    watch_.undo_done(tr.steps());
    playing_ = false;
    char b[160];
    std::snprintf(b, sizeof b, "weights back to step %ld (test MSE %.4g); training paused", watch_.good_step() +
                  session_.step_offset(), watch_.good_mse());
    say(b);
    return true;
}

// ---- commands ---------------------------------------------------------------------------------
std::string Controller::command(const std::string& c) {
    if (c == "play") playing_ = true;
    else if (c == "pause") playing_ = false;
    else if (c == "step") step_once_ = true;
    else if (c == "reset") have_applied_ = false;
    else if (c == "save") return save_model_file();
    else if (c == "load") return load_model_file();
    else if (c == "data") return open_data_file();
    else if (c == "codes") return export_codes();
    else if (c == "screenshot") return screenshot();
    else if (c.rfind("data-options=", 0) == 0) {
        const std::string err = parse_data_options(c.substr(13), &data_options);
        if (!err.empty()) say("data options: " + err, true);
        return err;
    }
    else if (c.rfind("preset=", 0) == 0) {
        const Preset* p = find_preset(c.substr(7));
        if (!p) return "unknown preset";
        load_preset(*p);
    } else if (c.rfind("query=", 0) == 0) {
        apply_query(c.substr(6));
    } else {
        return "unknown command '" + c + "'";
    }
    return "";
}

std::string Controller::save_model_file() {
    if (!ready()) return "no model yet";
    try {
        std::map<std::string, std::string> meta = {{"dataset", dataset_key(session_.kind())},
                                                   {"app", "aelab-playground"}};
        if (!settings_.preset.empty()) meta["preset"] = settings_.preset;
        const std::vector<std::uint8_t> bytes = session_.save(meta);
        const std::string name = plat_.browser ? std::string("aelab-") + dataset_key(session_.kind()) + "-" +
                                                     session_.model().arch_string() + "-step" +
                                                     std::to_string(session_.total_steps()) + ".aelab"
                                               : model_path;
        const std::string err = plat_.save_file ? plat_.save_file(name, bytes) : "saving is not available";
        if (!err.empty()) {
            say("save failed: " + err, true);
            return err;
        }
        say("saved " + name + " (" + std::to_string(bytes.size() / 1024) + " KiB)");
    } catch (const std::exception& e) {
        say(std::string("save failed: ") + e.what(), true);
        return e.what();
    }
    return "";
}

std::string Controller::load_model_file() {
    if (plat_.open_file) {
        plat_.open_file();
        return "";
    }
    if (!plat_.read_file) return "loading is not available";
    std::vector<std::uint8_t> bytes;
    const std::string path = model_path;
    const std::string err = plat_.read_file(path, &bytes);
    if (!err.empty()) {
        say("could not read " + path + ": " + err + " (current model kept)", true);
        return err;
    }
    on_model_bytes(bytes, path);
    return "";
}

void Controller::on_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    if (bytes.size() > kMaxModelFileBytes) {
        say("could not load " + name + ": it has " + std::to_string(bytes.size()) + " bytes, more than the " +
                std::to_string(kMaxModelFileBytes >> 20) + " MB (" + std::to_string(kMaxModelFileBytes) +
                " bytes) a model file may have (current model kept)",
            true);
        return;
    }
    ModelFile f;
    try {
        f = read_model(bytes.data(), bytes.size());
    } catch (const std::exception& e) {
        say("could not load " + name + ": " + e.what() + " (current model kept)", true);
        return;
    }
    DatasetKind target;
    if (!dataset_for_model(f.meta, file_input_dim(f), settings_.dataset, &target)) {
        say("could not load " + name + ": it is a model for " + std::to_string(file_input_dim(f)) +
                "-dimensional data, which no data set here has (current model kept)",
            true);
        return;
    }
    pending_model_ = std::make_unique<ModelFile>(std::move(f));
    pending_model_name_ = name;
    settings_.dataset = target;
    playing_ = false;
}

}  // namespace aelab::app
