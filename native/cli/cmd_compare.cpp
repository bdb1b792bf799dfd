// aelab compare: the headline experiment. PCA-k, a linear autoencoder and nonlinear
// autoencoders (sigmoid, ReLU, ELU) with the same code size k, trained on the full training
// set and evaluated on the full test set: test MSE, principal angles between the linear
// AE's decoder subspace and the PCA subspace, k-NN accuracy on the codes, and a montage of
// reconstructions. The autoencoders train in parallel std::threads (one model per thread;
// the core itself is single-threaded).
#include "aelab/model_io.hpp"
#include "aelab/pca.hpp"
#include "aelab/subspace.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "images.hpp"
#include "progress.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#ifdef EIGEN_USE_BLAS  // products go through OpenBLAS (AELAB_BLAS=openblas): its own thread pool
extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads(void);
#endif

namespace aelab::cli {

namespace {

// Default schedule: measured to finish `aelab compare --data mnist --k 5` (4 models of
// 784-500-500-5, 2 threads) in under 5 minutes on 2 cores; see README.
constexpr long kDefaultSteps = 6000;
constexpr long kPaperSteps = 50000;

struct Job {
    std::string name;   // "linear", "sigmoid", ...
    std::string label;  // "linear AE", "sigmoid AE"...
    AEConfig cfg;
    std::unique_ptr<Autoencoder<float>> model;
    std::vector<HistoryPoint> history;
    std::atomic<long> steps{0};
    std::atomic<double> loss{std::nan("")};
    std::atomic<int> state{0};  // 0 queued, 1 training, 2 evaluating, 3 done
    double train_seconds = 0;
    long samples = 0;
    bool diverged = false, was_interrupted = false;
    bool skipped = false;  // Ctrl-C came before this model started: not trained, not reported
    std::string divergence, error;
    ModelMetrics metrics;
    Mat test_codes, recon;
    VecD angles;  // linear AE only
    std::vector<std::uint8_t> checkpoint;
};

std::string title_case_act(const std::string& n) {
    if (n == "relu") return "ReLU";
    if (n == "elu") return "ELU";
    if (n == "selu") return "SELU";
    if (n == "leaky_relu") return "leaky ReLU";
    return n;
}

}  // namespace

std::vector<OptDef> compare_options() {
    return {
        {"k", "K", "code size of every model (default 5), 1..784"},
        {"steps", "N", "optimizer steps per autoencoder (default 6000 = 10 epochs of batch 100)"},
        {"schedule", "NAME", "default, or paper = 50,000 steps of batch 100 (about 83 epochs)"},
        {"models", "LIST", "autoencoders to train (default linear,sigmoid,relu,elu; also tanh, selu, softplus...)"},
        {"hidden", "A-B", "hidden widths of encoder (decoder mirrored), default 500-500"},
        {"batch", "N", "minibatch size (default 100)"},
        {"lr", "X", "Adam learning rate (default 0.001)"},
        {"seed", "S", "seed for initialisation and shuffling (default 1)"},
        {"threads", "N", "models trained at the same time, one per thread (default 2)"},
        {"knn", "K", "k of the k-NN accuracy on the codes (default 5)"},
        {"eval-every", "N", "steps between test-curve points (default max(100, steps/50))"},
        {"eval-max", "N", "test images used for curve points, 0 = all (default 2000; the table uses all)"},
    };
}

int run_compare(Invocation& in) {
    const Options& o = in.opts;
    Common c = in.common;
    const int argc = in.argc;
    char** argv = in.argv;
    const int k = int(o.integer("k", 5, 1, 784));
    const std::string schedule = o.choice("schedule", "default", {"default", "paper"});
    if (schedule == "paper" && (o.has("steps") || o.has("batch")))
        throw UsageError("--schedule paper fixes 50,000 steps of batch 100; drop --steps/--batch or the schedule");
    const long steps = schedule == "paper" ? kPaperSteps : long(o.integer("steps", kDefaultSteps, 1, 1000000000));
    const int batch = int(o.integer("batch", 100, 1, 1000000));
    const double lr = o.real("lr", 1e-3, 0.0, 1e4, true);
    const std::uint64_t seed = std::uint64_t(o.integer("seed", 1, 0, (1LL << 53)));
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const int threads = int(o.integer("threads", std::min(2u, hw), 1, 64));
    const int knn_k = int(o.integer("knn", 5, 1, 1000));
    const long long eval_every_opt = o.integer("eval-every", 0, 1, 1000000000);
    const long long eval_max = o.integer("eval-max", 2000, 0, 100000000);
    std::vector<int> hidden;
    {
        std::string h = o.str("hidden", "500-500");
        std::string item;
        size_t pos = 0;
        while (pos <= h.size()) {
            size_t dash = h.find('-', pos);
            if (dash == std::string::npos) dash = h.size();
            item = h.substr(pos, dash - pos);
            long long w = parse_integer(item, "--hidden");
            if (w < 1 || w > 100000) throw UsageError("--hidden: width " + item + " is out of range 1..100000");
            hidden.push_back(int(w));
            pos = dash + 1;
        }
    }
    std::vector<std::string> names;
    {
        std::string list = o.str("models", "linear,sigmoid,relu,elu"), item;
        size_t pos = 0;
        while (pos <= list.size()) {
            size_t comma = list.find(',', pos);
            if (comma == std::string::npos) comma = list.size();
            item = list.substr(pos, comma - pos);
            try {
                Activation a = parse_activation(item);
                item = activation_name(a);
            } catch (const Error& e) {
                throw UsageError(std::string("--models: ") + e.what());
            }
            for (const auto& n : names)
                if (n == item) throw UsageError("--models: '" + item + "' listed twice");
            names.push_back(item);
            pos = comma + 1;
        }
    }

    // Model configurations (validated before any data is loaded).
    std::vector<std::unique_ptr<Job>> jobs;
    std::string arch = "784";
    for (int w : hidden) arch += "-" + std::to_string(w);
    arch += "-" + std::to_string(k);
    for (const auto& n : names) {
        auto j = std::make_unique<Job>();
        j->name = n;
        j->label = n == "linear" ? "linear AE" : title_case_act(n) + " AE";
        try {
            j->cfg = AEConfig::from_arch(arch);
            j->cfg.hidden_act = parse_activation(n);
            j->cfg.latent_act = Activation::Identity;
            j->cfg.output_act = Activation::Identity;
            j->cfg.loss = ReconLoss::MSE;
            j->cfg.validate();
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        jobs.push_back(std::move(j));
    }
    OptimizerConfig oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    oc.lr = lr;

    prepare_out(c);  // a bad --out fails before the data is loaded
    DataPair d = load_data_verbose(c);
    if (k > std::min<Index>(d.train.dim(), d.train.size()))
        throw UsageError("--k " + std::to_string(k) + " is larger than min(dimension, training images)");
    if (batch > d.train.size())
        throw UsageError("--batch " + std::to_string(batch) + " is larger than the training set (" +
                         std::to_string(d.train.size()) + " images)");
    make_dirs(join_path(c.out, "models"));
    const auto wall0 = std::chrono::steady_clock::now();
    const double epochs = double(steps) * batch / double(d.train.size());
    note(c, "compare: PCA-" + std::to_string(k) + " and " + std::to_string(jobs.size()) + " autoencoders " + arch +
                "-...-784, " + std::to_string(steps) + " steps of batch " + std::to_string(batch) + " (" +
                fmt_f(epochs, 1) + " epochs) each, " + std::to_string(threads) + " thread(s) -> " + c.out);

    // ---- PCA baseline ---------------------------------------------------------------------------
    std::vector<Index> idx = examples_per_class(d.test.y, 10, 2);
    const Mat Xs = gather_columns(d.test.X, idx);
    PcaOptions po;
    po.n_components = k;
    PCA pca(po);
    auto t0 = std::chrono::steady_clock::now();
    pca.fit(d.train.X);
    const double pca_fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double pca_test = pca.reconstruction_mse(d.test.X), pca_train = pca.reconstruction_mse(d.train.X);
    const Mat pca_ztr = pca.transform(d.train.X), pca_zte = pca.transform(d.test.X);
    const double pca_knn = knn_accuracy(pca_ztr, d.train.y, pca_zte, d.test.y, knn_k);
    const double pca_knn10 = knn_accuracy_few_labels(pca_ztr, d.train.y, pca_zte, d.test.y, 10, 1, 0);
    const Index curve_n = eval_max > 0 ? std::min<Index>(Index(eval_max), d.test.size()) : d.test.size();
    const double pca_curve = pca.reconstruction_mse(d.test.X.leftCols(curve_n));
    const Mat pca_recon = pca.inverse_transform(pca.transform(Xs));
    note(c, "PCA-" + std::to_string(k) + ": test MSE " + fmt_f(pca_test, 5) + ", fit " + fmt_f(pca_fit_s, 2) + " s");

    // ---- autoencoders, one per thread --------------------------------------------------------
    install_sigint_handler();
    std::string blas_note = "Eigen kernels";
#ifdef EIGEN_USE_BLAS
    // Several models at once: give each model's products one OpenBLAS thread (cores are
    // shared by model threads instead), unless OPENBLAS_NUM_THREADS says otherwise.
    if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr && threads > 1)
        openblas_set_num_threads(std::max(1, int(hw) / std::min<int>(threads, int(jobs.size()))));
    blas_note = "OpenBLAS, " + std::to_string(openblas_get_num_threads()) + " thread(s) per product";
#endif
    std::atomic<size_t> next{0};
    const int eval_every = int(eval_every_opt > 0 ? eval_every_opt : std::max(100L, steps / 50));
    auto worker = [&]() {
        for (;;) {
            size_t i = next.fetch_add(1);
            if (i >= jobs.size()) return;
            Job& j = *jobs[i];
            if (interrupted()) {
                j.skipped = true;
                j.state = 3;
                continue;
            }
            try {
                j.state = 1;
                j.model = std::make_unique<Autoencoder<float>>(j.cfg);
                j.model->init_params(seed);
                TrainConfig tc;
                tc.batch_size = batch;
                tc.seed = seed;
                tc.eval_every = eval_every;
                tc.eval_max = Index(eval_max);
                Trainer tr(*j.model, oc, d.train.X, &d.test.X, tc);
                tr.record();
                while (tr.steps() < steps && !interrupted() && !tr.diverged()) {
                    StepResult r = tr.step({std::min<long>(steps - tr.steps(), 25), 0.2});
                    j.train_seconds += r.seconds;
                    j.steps = tr.steps();
                    j.loss = tr.last_loss();
                }
                if (tr.history().back().step != tr.steps()) tr.record();
                j.history = tr.history();
                j.samples = tr.samples_seen();
                j.diverged = tr.diverged();
                j.divergence = tr.divergence_message();
                j.was_interrupted = tr.steps() < steps && !j.diverged;
                std::map<std::string, std::string> meta = {{"data", c.data.set},
                                                           {"batch", std::to_string(batch)},
                                                           {"seed", std::to_string(seed)},
                                                           {"created", now_iso8601()},
                                                           {"command", command_line(argc, argv)},
                                                           {"compare_model", j.name}};
                // Interrupted runs keep the optimizer state so `aelab train --resume` continues them.
                j.checkpoint = save_model(*j.model, j.was_interrupted ? &tr.optimizer() : nullptr,
                                          {tr.steps(), tr.samples_seen(), tr.epoch()}, meta);
                j.state = 2;
                j.metrics = evaluate_model(*j.model, d, knn_k, &j.test_codes);
                j.model->reconstruct(Xs, j.recon);
                if (j.name == "linear") {
                    Mat Wd = j.model->decoder_linear_map();
                    if (Wd.allFinite()) j.angles = principal_angles(Wd, pca.components_);
                }
            } catch (const std::exception& e) {
                j.error = e.what();
            }
            j.state = 3;
        }
    };
    const long total_steps = steps * long(jobs.size());
    Progress prog("compare", total_steps, 0, batch, c.quiet);
    std::vector<std::thread> pool;
    for (int t = 0; t < std::min<int>(threads, int(jobs.size())); ++t) pool.emplace_back(worker);
    for (;;) {
        bool all_done = true;
        long done = 0;
        std::string extra;
        for (const auto& j : jobs) {
            done += j->steps.load();
            int st = j->state.load();
            all_done = all_done && st == 3;
            if (st == 1 && std::isfinite(j->loss.load())) extra += j->name + " " + fmt_g(j->loss.load(), 3) + " ";
            if (st == 2) extra += j->name + " (evaluating) ";
        }
        if (all_done) break;
        prog.update(done, std::nan(""), extra);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& t : pool) t.join();
    long done_total = 0;
    for (const auto& j : jobs) done_total += j->steps.load();
    const bool intr = interrupted();
    prog.finish(done_total, std::nan(""), intr ? "(interrupted)" : "");
    bool any_div = false;
    for (const auto& j : jobs) {
        if (!j->error.empty()) throw Error(j->label + ": " + j->error);
        if (j->diverged) {
            any_div = true;
            std::fprintf(stderr, "[aelab] %s: %s\n", j->label.c_str(), j->divergence.c_str());
        }
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

    // ---- table on stdout --------------------------------------------------------------------------
    const double rad2deg = 57.29577951308232;
    std::printf("aelab compare: %s, k = %d, %ld train / %ld test images\n", d.display.c_str(), k,
                long(d.train.size()), long(d.test.size()));
    const std::string full_arch = jobs.empty() ? arch : jobs[0]->cfg.arch_string();
    std::printf("autoencoders: %s, linear code and output, MSE loss,\n", full_arch.c_str());
    std::printf("  Adam lr %s, batch %d, %ld steps (%.1f epochs, schedule %s), seed %d; linear AE = the same\n",
                fmt_g(lr).c_str(), batch, steps, epochs, schedule.c_str(), int(seed));
    std::printf("  784-...-%d network with every activation linear (not a single-layer AE)\n\n", k);
    std::printf("  %-12s %10s %10s %14s %9s %11s %8s %9s\n", "model", "test MSE", "train MSE", "max angle to", "acc",
                "acc 1-NN", "steps", "time");
    std::printf("  %-12s %10s %10s %14s %9s %11s %8s %9s\n", "", "", "", "PCA (deg)", (std::to_string(knn_k) + "-NN").c_str(),
                "10/class", "", "");
    std::printf("  %-12s %10.5f %10.5f %14s %9.4f %11.4f %8s %7.1f s\n", ("PCA-" + std::to_string(k)).c_str(), pca_test,
                pca_train, "0 (ref)", pca_knn, pca_knn10, "-", pca_fit_s);
    for (const auto& j : jobs) {
        if (j->skipped) {
            std::printf("  %-12s %10s   (not run: interrupted before it started)\n", j->label.c_str(), "-");
            continue;
        }
        std::string ang = j->angles.size() > 0 ? fmt_f(j->angles.maxCoeff() * rad2deg, 2) : "-";
        std::string st = std::to_string(j->steps.load()) + (j->diverged ? "!" : j->was_interrupted ? "*" : "");
        std::printf("  %-12s %10.5f %10.5f %14s %9.4f %11.4f %8s %7.1f s\n", j->label.c_str(), j->metrics.test_mse,
                    j->metrics.train_mse, ang.c_str(), j->metrics.knn_acc, j->metrics.knn10_acc, st.c_str(),
                    j->train_seconds);
    }
    for (const auto& j : jobs)
        if (j->angles.size() > 0) {
            std::string all;
            for (Index i = 0; i < j->angles.size(); ++i) all += (i ? ", " : "") + fmt_f(j->angles(i) * rad2deg, 2);
            std::printf("\n  %s vs PCA-%d principal angles (deg): %s\n", j->label.c_str(), k, all.c_str());
        }
    if (intr) std::printf("  * interrupted before the planned %ld steps (partial results)\n", steps);
    if (any_div) std::printf("  ! training diverged (parameters restored to the last good state)\n");
    std::printf("  wall time %s (%d thread%s); outputs in %s/\n", fmt_duration(wall).c_str(), threads,
                threads == 1 ? "" : "s", c.out.c_str());
    std::fflush(stdout);

    // ---- files --------------------------------------------------------------------------------------
    std::string rcsv = "model,k,test_mse,train_mse,max_angle_to_pca_deg,knn_k,knn_accuracy,knn_1nn_10_per_class,steps,train_seconds\n";
    rcsv += "PCA-" + std::to_string(k) + "," + std::to_string(k) + "," + fmt_g(pca_test, 8) + "," + fmt_g(pca_train, 8) +
            ",0," + std::to_string(knn_k) + "," + fmt_g(pca_knn, 6) + "," + fmt_g(pca_knn10, 6) + ",," +
            fmt_g(pca_fit_s, 5) + "\n";
    std::string ccsv = "model,step,epoch,train_loss,train_mse,test_loss,test_mse\n";
    Json j = Json::object();
    j["command"] = "compare";
    j["status"] = intr ? "interrupted" : any_div ? "diverged" : "completed";
    j["created"] = now_iso8601();
    j["command_line"] = command_line(argc, argv);
    j["wall_seconds"] = wall;
    j["data"]["set"] = c.data.set;
    j["data"]["train_size"] = long(d.train.size());
    j["data"]["test_size"] = long(d.test.size());
    Json& cj = j["config"];
    cj["k"] = k;
    cj["arch"] = jobs.empty() ? arch : jobs[0]->cfg.arch_string();
    cj["steps"] = steps;
    cj["schedule"] = schedule;
    cj["batch"] = batch;
    cj["epochs"] = epochs;
    cj["optimizer"] = json_of_config_text(oc.to_text());
    cj["seed"] = long(seed);
    cj["threads"] = threads;
    cj["products"] = blas_note;
    cj["eval_every"] = eval_every;
    cj["eval_max"] = long(eval_max);
    cj["linear_ae"] = "same shape as the others, every activation linear";
    Json& rows = j["rows"];
    rows = Json::array();
    {
        Json p = Json::object();
        p["model"] = "PCA-" + std::to_string(k);
        p["test_mse"] = pca_test;
        p["train_mse"] = pca_train;
        p["test_mse_curve_subset"] = pca_curve;
        p["knn_accuracy"] = pca_knn;
        p["knn_1nn_10_per_class_accuracy"] = pca_knn10;
        p["fit_seconds"] = pca_fit_s;
        Json evr = Json::array();
        for (Index i = 0; i < pca.explained_variance_ratio_.size(); ++i) evr.push(pca.explained_variance_ratio_(i));
        p["explained_variance_ratio"] = evr;
        rows.push(p);
    }
    std::vector<MontageRow> mrows = {{"input", Xs}, {"PCA-" + std::to_string(k), pca_recon}};
    const int ir = d.test.image_rows, ic = d.test.image_cols;
    {
        std::string xl, yl, how;
        Mat P = latent_2d(pca_zte, &xl, &yl, &how);
        write_scatter(join_path(c.out, "latent-pca.png"), d.display + " PCA-" + std::to_string(k) + " test codes: " + how,
                      P, d.test.y, d.class_names, xl, yl);
    }
    for (const auto& jb : jobs) {
        if (jb->skipped) continue;
        std::string ang = jb->angles.size() > 0 ? fmt_g(jb->angles.maxCoeff() * rad2deg, 6) : "";
        rcsv += jb->label + "," + std::to_string(k) + "," + fmt_g(jb->metrics.test_mse, 8) + "," +
                fmt_g(jb->metrics.train_mse, 8) + "," + ang + "," + std::to_string(knn_k) + "," +
                fmt_g(jb->metrics.knn_acc, 6) + "," + fmt_g(jb->metrics.knn10_acc, 6) + "," +
                std::to_string(jb->steps.load()) + "," + fmt_g(jb->train_seconds, 5) + "\n";
        for (const auto& h : jb->history)
            ccsv += jb->name + "," + std::to_string(h.step) + "," + fmt_g(h.epoch, 8) + "," + fmt_g(h.train_loss, 8) + "," +
                    fmt_g(h.train_mse, 8) + "," + fmt_g(h.test_loss, 8) + "," + fmt_g(h.test_mse, 8) + "\n";
        Json r = Json::object();
        r["model"] = jb->label;
        r["activation"] = jb->name;
        r["arch"] = jb->cfg.arch_string();
        r["test_mse"] = jb->metrics.test_mse;
        r["train_mse"] = jb->metrics.train_mse;
        r["knn_accuracy"] = jb->metrics.knn_acc;
        r["knn_1nn_10_per_class_accuracy"] = jb->metrics.knn10_acc;
        r["steps"] = jb->steps.load();
        r["train_seconds"] = jb->train_seconds;
        r["samples_per_second"] = jb->train_seconds > 0 ? double(jb->samples) / jb->train_seconds : 0.0;
        r["diverged"] = jb->diverged;
        r["interrupted"] = jb->was_interrupted;
        if (jb->angles.size() > 0) {
            Json a = Json::array();
            for (Index i = 0; i < jb->angles.size(); ++i) a.push(jb->angles(i) * rad2deg);
            r["principal_angles_to_pca_deg"] = a;
        }
        r["model_file"] = "models/" + jb->name + ".aelab";
        rows.push(r);
        write_file(join_path(join_path(c.out, "models"), jb->name + ".aelab"), jb->checkpoint.data(), jb->checkpoint.size());
        if (jb->recon.cols() > 0) mrows.push_back({jb->label, jb->recon});
        if (jb->test_codes.cols() > 0 && jb->test_codes.allFinite()) {
            std::string xl, yl, how;
            Mat P = latent_2d(jb->test_codes, &xl, &yl, &how);
            write_scatter(join_path(c.out, "latent-" + jb->name + ".png"),
                          d.display + " " + jb->label + " test codes: " + how, P, d.test.y, d.class_names, xl, yl);
        }
    }
    write_text(join_path(c.out, "results.csv"), rcsv);
    write_text(join_path(c.out, "curves.csv"), ccsv);
    {
        std::vector<CurveSeries> series;
        for (const auto& jb : jobs) {
            if (jb->skipped) continue;
            CurveSeries s{jb->label, {}, {}, palette::categorical(int(series.size()))};
            for (const auto& h : jb->history) s.x.push_back(double(h.step)), s.y.push_back(h.test_mse);
            series.push_back(std::move(s));
        }
        write_curves(join_path(c.out, "curves.png"), d.display + " test MSE while training, k = " + std::to_string(k),
                     series, {{"PCA-" + std::to_string(k), pca_curve, Rgb{0, 0, 0}}}, "step", "test MSE");
    }
    write_text(join_path(c.out, "metrics.json"), j.dump());
    write_montage(join_path(c.out, "reconstructions.png"),
                  d.display + " test images and reconstructions, k = " + std::to_string(k) + " (" +
                      std::to_string(steps) + " steps)",
                  mrows, ir, ic, 2);
    if (intr)
        std::fprintf(stderr,
                     "[aelab] partial results and checkpoints (with optimizer state) written to %s/; continue one "
                     "model with: aelab train --resume %s/models/<model>.aelab --steps %ld\n",
                     c.out.c_str(), c.out.c_str(), steps);
    return intr ? kExitInterrupted : any_div ? kExitDiverged : kExitOk;
}

}  // namespace aelab::cli
