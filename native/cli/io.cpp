#include "io.hpp"

#include "aelab/common.hpp"
#include "aelab/idx.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

namespace {

std::string dir_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Writes all of [data, data + size) to fd (partial writes and EINTR retried).
bool write_all(int fd, const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

// fsync of a directory, so that a rename in it survives a power loss. File systems that
// cannot sync directories (EINVAL) are accepted.
int sync_dir(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    int err = 0;
    while (::fsync(fd) != 0) {
        if (errno == EINTR) continue;
        if (errno != EINVAL && errno != EROFS) err = errno;
        break;
    }
    ::close(fd);
    return err;
}

}  // namespace

std::string temp_name_for(const std::string& path, int attempt) {
    return path + ".tmp" + std::to_string(::getpid()) + (attempt > 0 ? "-" + std::to_string(attempt) : "");
}

void write_file(const std::string& path, const void* data, std::size_t size) {
    if (path.empty() || path.back() == '/') throw Error("cannot write '" + path + "': not a file name");
    // 1. a new temporary file beside the target (same directory, so rename is atomic)
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
        tmp = temp_name_for(path, attempt);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    // 2. write, flush to the device, close; 3. rename over the target; 4. sync the directory.
    const char* failed = nullptr;
    int err = 0;
    if (!write_all(fd, data, size)) failed = "write", err = errno;
    while (!failed && ::fsync(fd) != 0) {
        if (errno == EINTR) continue;
        failed = "fsync", err = errno;
    }
    if (::close(fd) != 0 && !failed) failed = "close", err = errno;
    if (!failed && std::rename(tmp.c_str(), path.c_str()) != 0) failed = "rename", err = errno;
    if (failed) {
        ::unlink(tmp.c_str());  // the old target (if any) is untouched
        throw Error("cannot write " + path + " (" + failed + "): " + std::strerror(err));
    }
    if (const int e = sync_dir(dir_of(path)))
        throw Error("wrote " + path + " but could not sync its directory: " + std::strerror(e));
}

void check_writable_dir(const std::string& dir, const std::string& what) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0)
        throw Error(what + ": directory '" + dir + "' does not exist (" + std::strerror(errno) + ")");
    if (!S_ISDIR(st.st_mode)) throw Error(what + ": '" + dir + "' is not a directory");
    // A real probe: access(W_OK) says yes to root on read-only mounts and knows nothing of
    // full disks. One byte is written, synced and removed.
    const std::string probe = join_path(dir, ".aelab-write-test-" + std::to_string(::getpid()));
    try {
        write_file(probe, "x", 1);
    } catch (const Error& e) {
        ::unlink(probe.c_str());
        throw Error(what + ": cannot write into directory '" + dir + "': " + e.what());
    }
    ::unlink(probe.c_str());
}

void check_free_space(const std::string& dir, std::uint64_t bytes, const std::string& what) {
    struct statvfs fs;
    if (::statvfs(dir.c_str(), &fs) != 0) return;  // unknown: the writes themselves will tell
    const std::uint64_t avail = std::uint64_t(fs.f_bavail) * std::uint64_t(fs.f_frsize);
    if (avail < bytes)
        throw Error(what + ": not enough free space in '" + dir + "': " + std::to_string(bytes / 1024 + 1) +
                    " KiB needed, " + std::to_string(avail / 1024) + " KiB free");
}

std::string dir_of_file(const std::string& path) { return dir_of(path); }

void check_writable_file(const std::string& path, const std::string& what) {
    if (path.empty() || path.back() == '/') throw Error(what + ": '" + path + "' is not a file name");
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error(what + ": '" + path + "' is a directory, not a file name");
    check_writable_dir(dir_of(path), what);
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
