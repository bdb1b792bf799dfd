// native/cli/io.hpp — files, data sets, JSON and CSV for the aelab CLI (core has no I/O).
//
// What: whole-file read/write, output directories, loading MNIST / Fashion-MNIST from the
// IDX files that scripts/setup puts in data/<set>/, a small JSON value type with a pretty
// printer, and number formatting helpers.
// Writes are crash-safe and durable: write_file() writes a new temporary file beside the
// target ("<path>.tmp<pid>"), fsyncs it, renames it over the target and fsyncs the
// directory. A crash or kill at any moment leaves either the old file or the new one, whole
// (plus, after a hard kill during the write, a stray "<path>.tmp<pid>" file, which nothing
// reads); on any error the temporary file is removed and the old target is untouched.
#pragma once

#include "aelab/datasets.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aelab::cli {

std::vector<std::uint8_t> read_file(const std::string& path);  // throws aelab::Error
void write_file(const std::string& path, const void* data, std::size_t size);  // throws
void write_text(const std::string& path, const std::string& text);
// The temporary name write_file() uses for `path` (attempt 0, then "-1", "-2"... if taken).
std::string temp_name_for(const std::string& path, int attempt = 0);
// Throw aelab::Error (prefixed with `what`, e.g. "--out") unless a file can really be
// written there now: the directory exists and a probe file can be written, synced and
// removed (catches read-only mounts, permissions and full disks before any work is done).
void check_writable_dir(const std::string& dir, const std::string& what);
void check_writable_file(const std::string& path, const std::string& what);  // its directory
// Throws aelab::Error unless the file system of `dir` has at least `bytes` free for this
// user (statvfs; silently passes when that is unknown).
void check_free_space(const std::string& dir, std::uint64_t bytes, const std::string& what);
std::string dir_of_file(const std::string& path);  // "." for a bare file name
bool file_exists(const std::string& path);
void make_dirs(const std::string& path);  // mkdir -p; throws on failure
std::string join_path(const std::string& a, const std::string& b);
// "results/<command>-YYYYmmdd-HHMMSS" (with a numeric suffix if it exists already).
std::string default_out_dir(const std::string& command);
std::string now_iso8601();

// ---- JSON ----------------------------------------------------------------------------------
class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    Json() = default;
    Json(std::nullptr_t) {}
    Json(bool b) : type_(Type::Bool), b_(b) {}                       // NOLINT
    Json(int v) : type_(Type::Number), num_(v) {}                    // NOLINT
    Json(long v) : type_(Type::Number), num_(double(v)) {}           // NOLINT
    Json(long long v) : type_(Type::Number), num_(double(v)) {}      // NOLINT
    Json(unsigned long v) : type_(Type::Number), num_(double(v)) {}  // NOLINT
    Json(double v) : type_(Type::Number), num_(v) {}                 // NOLINT
    Json(const char* s) : type_(Type::String), str_(s) {}            // NOLINT
    Json(std::string s) : type_(Type::String), str_(std::move(s)) {} // NOLINT
    static Json array() { Json j; j.type_ = Type::Array; return j; }
    static Json object() { Json j; j.type_ = Type::Object; return j; }

    Json& operator[](const std::string& key);  // object member (created, insertion order kept)
    Json& push(Json v);                        // array append
    std::string dump(int indent = 2) const;    // non-finite numbers are written as null
    bool is_null() const { return type_ == Type::Null; }

private:
    void dump_to(std::string& out, int indent, int level) const;
    Type type_ = Type::Null;
    bool b_ = false;
    double num_ = 0;
    std::string str_;
    std::vector<Json> arr_;
    std::vector<std::pair<std::string, Json>> obj_;
};

// ---- data --------------------------------------------------------------------------------
struct DataSpec {
    std::string set = "mnist";  // mnist | fashion
    std::string dir = "data";   // holds <set>/train-images-idx3-ubyte ...
    long limit_train = 0;       // 0 = all
    long limit_test = 0;
};
struct DataPair {
    Dataset train, test;
    std::string display;        // "MNIST" / "Fashion-MNIST"
    std::vector<std::string> class_names;
    Json facts;                 // what metrics.json's "data" adds for this set (the 2-D Gaussian's statistics), or null
};
// Loads <dir>/<set>/{train,t10k}-{images-idx3,labels-idx1}-ubyte. A missing file is an
// aelab::Error naming the file and the setup command that fetches it.
DataPair load_data(const DataSpec& spec);

// ---- formatting -------------------------------------------------------------------------------
std::string fmt_g(double v, int digits = 6);  // "%.*g", "nan" safe
std::string fmt_f(double v, int decimals);    // "%.*f"
std::string fmt_duration(double seconds);     // "1:05" / "1:02:03"
std::string fmt_rate(double per_second);      // "12.3k"
std::string pad_right(const std::string& s, size_t width);
std::string pad_left(const std::string& s, size_t width);

}  // namespace aelab::cli
