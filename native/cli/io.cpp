#include "io.hpp"

#include "aelab/common.hpp"
#include "aelab/idx.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace aelab::cli {

// ---- files ----------------------------------------------------------------------------------

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::uint8_t> read_file(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) throw Error("cannot open " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw Error(path + " is a directory, not a file");
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot open " + path + ": " + std::strerror(errno));
    f.seekg(0, std::ios::end);
    std::streamoff n = f.tellg();
    if (n < 0) throw Error("cannot read " + path);
    f.seekg(0, std::ios::beg);
    std::vector<std::uint8_t> buf(static_cast<size_t>(n));
    if (n > 0 && !f.read(reinterpret_cast<char*>(buf.data()), n)) throw Error("cannot read " + path);
    return buf;
}

void write_file(const std::string& path, const void* data, std::size_t size) {
    const std::string tmp = path + ".tmp" + std::to_string(::getpid());
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Error("cannot write " + path + ": " + std::strerror(errno));
    bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw Error("cannot write " + path + ": " + std::strerror(errno));
    }
}

void write_text(const std::string& path, const std::string& text) { write_file(path, text.data(), text.size()); }

void make_dirs(const std::string& path) {
    if (path.empty()) return;
    std::string cur;
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        cur = path.substr(0, j);
        if (!cur.empty()) {
            struct stat st;
            if (::stat(cur.c_str(), &st) != 0) {
                if (::mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST)
                    throw Error("cannot create directory " + cur + ": " + std::strerror(errno));
            } else if (!S_ISDIR(st.st_mode)) {
                throw Error("cannot create directory " + path + ": " + cur + " is a file");
            }
        }
        i = j + 1;
    }
}

std::string join_path(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (a.back() == '/') return a + b;
    return a + "/" + b;
}

std::string default_out_dir(const std::string& command) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
    std::string base = "results/" + command + "-" + buf;
    std::string p = base;
    struct stat st;
    for (int k = 2; ::stat(p.c_str(), &st) == 0; ++k) p = base + "-" + std::to_string(k);
    return p;
}

std::string now_iso8601() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
    return buf;
}

// ---- data -----------------------------------------------------------------------------------

DataPair load_data(const DataSpec& spec) {
    DataPair d;
    if (spec.set == "mnist") {
        d.display = "MNIST";
        d.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    } else if (spec.set == "fashion") {
        d.display = "Fashion-MNIST";
        d.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    } else {
        throw Error("unknown data set '" + spec.set + "' (valid: mnist, fashion)");
    }
    const std::string dir = join_path(spec.dir, spec.set);
    auto load = [&](const char* img, const char* lab, const std::string& name) {
        const std::string pi = join_path(dir, img), pl = join_path(dir, lab);
        for (const std::string& p : {pi, pl}) {
            if (!file_exists(p)) {
                std::string hint = file_exists(p + ".gz") ? " (found " + p + ".gz: gunzip it, or run scripts/setup)"
                                                          : "";
                throw Error("data file " + p + " not found" + hint + ". Run scripts/setup to fetch " + d.display +
                            " into data/" + spec.set + "/ (or pass --data-dir DIR holding " + spec.set +
                            "/train-images-idx3-ubyte etc.)");
            }
        }
        std::vector<std::uint8_t> bi = read_file(pi), bl = read_file(pl);
        try {
            return make_image_dataset(bi.data(), bi.size(), bl.data(), bl.size(), name);
        } catch (const Error& e) {
            throw Error(std::string(e.what()) + " [in " + pi + " / " + pl + "; re-run scripts/setup to re-fetch]");
        }
    };
    d.train = load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", spec.set + "-train");
    d.test = load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", spec.set + "-test");
    if (spec.limit_train > 0 && spec.limit_train < d.train.size())
        d.train = subset_first(d.train, spec.limit_train);
    if (spec.limit_test > 0 && spec.limit_test < d.test.size()) d.test = subset_first(d.test, spec.limit_test);
    return d;
}

// ---- JSON -------------------------------------------------------------------------------------

Json& Json::operator[](const std::string& key) {
    if (type_ == Type::Null) type_ = Type::Object;
    if (type_ != Type::Object) throw Error("Json: not an object");
    for (auto& kv : obj_)
        if (kv.first == key) return kv.second;
    obj_.emplace_back(key, Json());
    return obj_.back().second;
}

Json& Json::push(Json v) {
    if (type_ == Type::Null) type_ = Type::Array;
    if (type_ != Type::Array) throw Error("Json: not an array");
    arr_.push_back(std::move(v));
    return arr_.back();
}

namespace {
void escape(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
}
}  // namespace

void Json::dump_to(std::string& out, int indent, int level) const {
    auto nl = [&](int lv) {
        if (indent > 0) {
            out += '\n';
            out.append(size_t(indent * lv), ' ');
        }
    };
    switch (type_) {
        case Type::Null: out += "null"; break;
        case Type::Bool: out += b_ ? "true" : "false"; break;
        case Type::Number:
            if (!std::isfinite(num_)) out += "null";
            else if (num_ == std::floor(num_) && std::fabs(num_) < 1e15) out += std::to_string((long long)num_);
            else {
                char buf[40];
                std::snprintf(buf, sizeof buf, "%.9g", num_);
                out += buf;
            }
            break;
        case Type::String: escape(out, str_); break;
        case Type::Array: {
            // Arrays of plain numbers stay on one line.
            bool flat = true;
            for (const auto& v : arr_) flat = flat && (v.type_ == Type::Number || v.type_ == Type::Null);
            out += '[';
            for (size_t i = 0; i < arr_.size(); ++i) {
                if (i) out += flat ? ", " : ",";
                if (!flat) nl(level + 1);
                arr_[i].dump_to(out, indent, level + 1);
            }
            if (!flat && !arr_.empty()) nl(level);
            out += ']';
            break;
        }
        case Type::Object:
            out += '{';
            for (size_t i = 0; i < obj_.size(); ++i) {
                if (i) out += ',';
                nl(level + 1);
                escape(out, obj_[i].first);
                out += indent > 0 ? ": " : ":";
                obj_[i].second.dump_to(out, indent, level + 1);
            }
            if (!obj_.empty()) nl(level);
            out += '}';
            break;
    }
}

std::string Json::dump(int indent) const {
    std::string out;
    dump_to(out, indent, 0);
    out += '\n';
    return out;
}

// ---- formatting -------------------------------------------------------------------------------

std::string fmt_g(double v, int digits) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string fmt_f(double v, int decimals) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string fmt_duration(double s) {
    if (!std::isfinite(s) || s < 0) return "--:--";
    long t = long(s + 0.5);
    char buf[32];
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

std::string fmt_rate(double r) {
    char buf[32];
    if (!std::isfinite(r)) return "-";
    if (r >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", r / 1e6);
    else if (r >= 1e4) std::snprintf(buf, sizeof buf, "%.1fk", r / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0f", r);
    return buf;
}

std::string pad_right(const std::string& s, size_t w) { return s.size() >= w ? s : s + std::string(w - s.size(), ' '); }
std::string pad_left(const std::string& s, size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; }

}  // namespace aelab::cli
