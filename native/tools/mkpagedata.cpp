// mkpagedata.cpp: the playground's image data, cut from the full MNIST / Fashion-MNIST files.
//
// What: reads the uncompressed IDX files that scripts/setup puts in data/mnist and
// data/fashion (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
// t10k-labels-idx1-ubyte), draws a class-stratified subset of each split and writes it back
// as IDX: aelab::app::cut_page_subsets() (web/app/pagedata.hpp, the same function the
// desktop app uses; aelab::subset_stratified, fixed seed, original sample order kept). The web build (web/CMakeLists.txt, "page data" block) runs this
// tool from the native build and gzips (-9 -n) every output into
// build/web/playground/data/<name>.gz; the page fetches those and gunzips them with
// DecompressionStream (web/data_loader.js: aelabFetchGz).
//
// Contract (file names and contents; the page relies on them):
//     <out>/mnist-train-images.idx     IDX u8, magic 0x00000803, dims {5000, 28, 28}
//     <out>/mnist-train-labels.idx     IDX u8, magic 0x00000801, dims {5000}, values 0..9
//     <out>/mnist-test-images.idx      dims {1000, 28, 28}   (from t10k-*)
//     <out>/mnist-test-labels.idx      dims {1000}
//     <out>/fashion-train-images.idx   same shapes, from data/fashion
//     <out>/fashion-train-labels.idx
//     <out>/fashion-test-images.idx
//     <out>/fashion-test-labels.idx
// Pixels are the original bytes (0 = background, 255 = ink), row-major, image after image;
// aelab::make_image_dataset(images, labels) turns a pair into a Dataset (X: 784 x N in
// [0, 1]). Each class gets its share of the split in proportion to its frequency (MNIST
// train 5000: 493 zeros, 562 ones, ...); the selection depends only on the seed (train uses
// --seed, test --seed + 1), so every build and platform serves the same images.
//
// Usage:
//     aelab_mkpagedata --data data --out build/web/pagedata [--train 5000] [--test 1000]
//                      [--seed 20240517] [--sets mnist,fashion]
// Exit status 0 on success; 1 with a message naming the missing/bad file otherwise.
#include "aelab/datasets.hpp"
#include "aelab/idx.hpp"
#include "pagedata.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Options {
    std::string data_dir = "data";
    std::string out_dir = ".";
    long train = aelab::app::kPageTrain;
    long test = aelab::app::kPageTest;
    std::uint64_t seed = aelab::app::kPageSeed;
    std::vector<std::string> sets = {"mnist", "fashion"};
};

[[noreturn]] void usage(const std::string& msg) {
    std::fprintf(stderr,
                 "aelab_mkpagedata: %s\n"
                 "usage: aelab_mkpagedata --data DIR --out DIR [--train N] [--test N] [--seed S]"
                 " [--sets mnist,fashion]\n",
                 msg.c_str());
    std::exit(2);
}

long parse_count(const char* s, const char* what) {
    char* end = nullptr;
    const long v = std::strtol(s, &end, 10);
    if (!end || *end || v <= 0) usage(std::string(what) + " wants a positive integer");
    return v;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage("missing value after " + a);
            return argv[++i];
        };
        if (a == "--data") o.data_dir = value();
        else if (a == "--out") o.out_dir = value();
        else if (a == "--train") o.train = parse_count(value(), "--train");
        else if (a == "--test") o.test = parse_count(value(), "--test");
        else if (a == "--seed") o.seed = std::strtoull(value(), nullptr, 10);
        else if (a == "--sets") {
            o.sets.clear();
            std::stringstream ss(value());
            std::string s;
            while (std::getline(ss, s, ','))
                if (!s.empty()) o.sets.push_back(s);
            if (o.sets.empty()) usage("--sets wants a comma-separated list");
        } else if (a == "--help" || a == "-h") usage("help");
        else usage("unknown argument " + a);
    }
    return o;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw aelab::Error("cannot read " + path +
                           " (run scripts/setup: it fetches and checksums the data into data/)");
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw aelab::Error("cannot write " + path);
}

// Writes one split's IDX pair and prints its size and class counts.
void write_split(const aelab::app::IdxPair& p, const std::string& prefix) {
    const aelab::Dataset ds =
        aelab::make_image_dataset(p.images.data(), p.images.size(), p.labels.data(), p.labels.size(), prefix);
    write_file(prefix + "-images.idx", p.images);
    write_file(prefix + "-labels.idx", p.labels);
    std::vector<int> per_class(static_cast<std::size_t>(ds.num_classes), 0);
    for (int c : ds.y) ++per_class[static_cast<std::size_t>(c)];
    std::printf("  %s-{images,labels}.idx: %lld images %dx%d, per class:", prefix.c_str(),
                static_cast<long long>(ds.size()), ds.image_rows, ds.image_cols);
    for (int c : per_class) std::printf(" %d", c);
    std::printf("\n");
}

aelab::Dataset load(const std::string& dir, const std::string& split, const std::string& name) {
    const auto img = read_file(dir + "/" + split + "-images-idx3-ubyte");
    const auto lab = read_file(dir + "/" + split + "-labels-idx1-ubyte");
    return aelab::make_image_dataset(img.data(), img.size(), lab.data(), lab.size(), name);
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    try {
        for (const std::string& set : o.sets) {
            const std::string dir = o.data_dir + "/" + set;
            std::printf("aelab_mkpagedata: %s (train %ld, test %ld, seed %llu)\n", set.c_str(), o.train,
                        o.test, static_cast<unsigned long long>(o.seed));
            const aelab::Dataset train = load(dir, "train", set + "-train");
            const aelab::Dataset test = load(dir, "t10k", set + "-test");
            if (o.train > train.size() || o.test > test.size())
                throw aelab::Error("requested subset larger than " + dir);
            const aelab::app::PageSubsets sub = aelab::app::cut_page_subsets(train, test, o.train, o.test, o.seed);
            write_split(sub.train, o.out_dir + "/" + set + "-train");
            write_split(sub.test, o.out_dir + "/" + set + "-test");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aelab_mkpagedata: %s\n", e.what());
        return 1;
    }
    return 0;
}
