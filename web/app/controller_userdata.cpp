// controller_userdata.cpp: the Controller's user data file and exports (see controller.hpp,
// "the user's data file" and "exports"); the reading itself is in userdata.cpp.
#include "controller.hpp"

#include "aelab/text.hpp"

#include <cmath>
#include <exception>

namespace aelab::app {

void Controller::on_data_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                              const std::vector<std::uint8_t>& labels) {
    std::unique_ptr<UserData> u;
    try {
        u = std::make_unique<UserData>(read_user_data(bytes, name, data_options, labels));
    } catch (const std::exception& e) {
        say(std::string(e.what()) + " (current data and model kept)", true);
        return;
    }
    // Nothing changed so far; from here on the file is good.
    if (settings_.dataset != DatasetKind::User) last_builtin_ = settings_.dataset;
    user_ = std::move(u);
    set_user_data_dim(static_cast<int>(user_->bundle.train.dim()));
    pending_model_.reset();
    settings_.dataset = DatasetKind::User;
    settings_.preset.clear();
    std::vector<std::string> msgs;
    sanitize(settings_, &msgs);
    loading_ = false;
    session_.set_data(user_->bundle);
    have_applied_ = false;
    new_visuals();
    say("loaded " + user_->summary);
    for (const std::string& m : msgs) say(name + ": " + m);
}

std::string parse_data_options(const std::string& text, UserDataOptions* out) {
    UserDataOptions o = *out;
    std::size_t pos = 0;
    while (pos <= text.size() && !text.empty()) {
        const std::size_t amp = std::min(text.find('&', pos), text.size());
        const std::string item = url_decode(text.substr(pos, amp - pos));
        pos = amp + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
        double x = 0;
        if (key == "label") {
            o.label_column = value;
        } else if (key == "header") {
            if (value == "auto") o.header = CsvHeader::Auto;
            else if (value == "yes") o.header = CsvHeader::Yes;
            else if (value == "no") o.header = CsvHeader::No;
            else return "header must be auto, yes or no, not '" + value + "'";
        } else if (key == "skip") {
            if (!parse_decimal(value, &x) || x != std::floor(x) || x < 0 || x > 1000)
                return "skip must be a whole number of lines in 0..1000, not '" + value + "'";
            o.skip_rows = static_cast<Index>(x);
        } else if (key == "scaling") {
            try {
                o.scaling = parse_scaling(value);
            } catch (const std::exception& e) {
                return e.what();
            }
        } else if (key == "test") {
            if (!parse_decimal(value, &x) || !(x > 0 && x < 1)) return "test must be a fraction in (0, 1), not '" + value + "'";
            o.test_fraction = x;
        } else if (key == "seed") {
            if (!parse_decimal(value, &x) || x != std::floor(x) || x < 0 || x > 9007199254740992.0)
                return "seed must be a whole number in 0..2^53, not '" + value + "'";
            o.seed = static_cast<std::uint64_t>(x);
        } else {
            return "unknown data option '" + key + "' (label, header, skip, scaling, test, seed)";
        }
    }
    *out = o;
    return "";
}

std::string Controller::open_data_file() {
    if (plat_.open_data_file) {
        plat_.open_data_file();
        return "";
    }
    if (!plat_.read_file) return "reading data files is not available";
    std::vector<std::uint8_t> bytes, labels;
    std::string err = plat_.read_file(data_path, &bytes);
    if (err.empty() && !labels_path.empty()) err = plat_.read_file(labels_path, &labels);
    if (!err.empty()) {
        say("could not read " + data_path + ": " + err + " (current data and model kept)", true);
        return err;
    }
    on_data_file(bytes, data_path, labels);
    return "";
}

Settings Controller::url_settings() const {
    Settings s = settings_;
    if (s.dataset == DatasetKind::User) {
        s.dataset = last_builtin_;
        sanitize(s, nullptr);
    }
    return s;
}

std::string Controller::export_codes() {
    if (!ready()) return "no model yet";
    const std::string what = session_.kind() == DatasetKind::User ? std::string("user") : dataset_key(session_.kind());
    const std::string name = plat_.browser ? "aelab-codes-" + what + "-k" + std::to_string(session_.k()) + "-step" +
                                                 std::to_string(session_.total_steps()) + ".csv"
                                           : codes_path;
    std::string err;
    try {
        session_.refresh_codes(session_.data().test.size());  // all of them, for this model
        const std::vector<std::string> none;
        const std::string csv = codes_csv(session_.test_codes(), session_.data().test.y,
                                          session_.kind() == DatasetKind::User && user_ ? user_->class_names : none);
        err = plat_.save_file ? plat_.save_file(name, std::vector<std::uint8_t>(csv.begin(), csv.end()))
                              : "saving is not available";
    } catch (const std::exception& e) {
        err = e.what();
    }
    if (!err.empty()) {
        say("codes export failed: " + err, true);
        return err;
    }
    say("saved the codes of " + std::to_string(session_.data().test.size()) + " test samples to " + name);
    return "";
}

std::string Controller::screenshot() {
    if (!plat_.screenshot) return "screenshots are not available";
    std::string name = screenshot_path;
    if (plat_.browser) {
        const std::string what = session_.has_data() ? (session_.kind() == DatasetKind::User ? std::string("user")
                                                                                              : dataset_key(session_.kind()))
                                                     : std::string("page");
        name = "aelab-" + what;
        if (ready()) name += "-" + session_.model().arch_string() + "-step" + std::to_string(session_.total_steps());
        name += ".png";
    }
    const std::string err = plat_.screenshot(name);
    if (!err.empty()) say("screenshot failed: " + err, true);
    return err;
}

}  // namespace aelab::app
