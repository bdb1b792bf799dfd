// aelab compare: the headline experiment. PCA-k, a linear autoencoder and nonlinear
// autoencoders (sigmoid, ReLU, ELU) with the same code size k, trained on the full training
// set and evaluated on the full test set: test MSE, principal angles between the linear
// AE's decoder subspace and the PCA subspace, k-NN accuracy on the codes, and a montage of
// reconstructions. `--models ...,vae` adds the seed-003 paper's VAE (the mirrored dense VAE
// 784-500-500-k, ELU, Bernoulli decoder, the same step budget): its test MSE from the mean
// code and its ELBO (mean code and one sampled code, recon and KL, nats per image).
// `--snapshots S1,S2,..` writes snapshots-<model>.png (reconstructions at those steps).
// The autoencoders train in parallel std::threads (one model per thread;
// the core itself is single-threaded).
#include "aelab/model_io.hpp"
#include "aelab/pca.hpp"
#include "aelab/subspace.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "data_csv.hpp"
#include "graph_cli.hpp"
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
    bool vae = false;        // the mirrored dense VAE with cfg's widths (ELU), BCE summed per image
    std::string arch_str;    // the model's architecture string
    std::unique_ptr<Model> model;
    VaeReport vr;            // vae only
    std::unique_ptr<Snapshots> snaps;
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
    std::vector<OptDef> d = {
        {"k", "K", "code size of every model (default 5), 1..784"},
        {"steps", "N", "optimizer steps per autoencoder (default 6000 = 10 epochs of batch 100)"},
        {"schedule", "NAME", "default, or paper = 50,000 steps of batch 100 (about 83 epochs)"},
        {"models", "LIST", "autoencoders to train (default linear,sigmoid,relu,elu; also tanh, selu, softplus...; "
                           "vae: the seed-003 paper's dense VAE, same widths, ELU, Bernoulli decoder, with its ELBO)"},
        {"snapshots", "S1,S2,..", "reconstructions of fixed test images at these steps, one montage per model "
                                  "(snapshots-<model>.png)"},
        {"hidden", "A-B", "hidden widths of encoder (decoder mirrored), default 500-500"},
        {"batch", "N", "minibatch size (default 100)"},
        {"lr", "X", "Adam learning rate (default 0.001)"},
        {"seed", "S", "seed for initialisation and shuffling (default 1)"},
        {"threads", "N", "models trained at the same time, one per thread (default 2)"},
    };
    for (const OptDef& e : evaluation_options()) d.push_back(e);
    return d;
}

namespace {

// ---- stage 1: settings and model configurations (validated before any data is loaded) -------
struct Settings {
    int k = 5;
    std::string schedule;
    long steps = kDefaultSteps;
    int batch = 100;
    double lr = 1e-3;
    std::uint64_t seed = 1;
    unsigned hw = 1;  // hardware threads
    int threads = 1, knn_k = 5;
    long long eval_every_opt = 0, eval_max = 2000;
    std::string arch;  // "784-H1-H2-k"
    OptimizerConfig oc;
    std::vector<long> snap_steps;
};

// "A-B-C" / "a,b,c" -> items (empty items kept, for the caller to reject).
std::vector<std::string> split_list(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t end = s.find(sep, pos);
        if (end == std::string::npos) end = s.size();
        out.push_back(s.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

Settings read_settings(const Options& o) {
    Settings s;
    s.k = int(o.integer("k", 5, 1, 784));
    s.schedule = o.choice("schedule", "default", {"default", "paper"});
    if (s.schedule == "paper" && (o.has("steps") || o.has("batch")))
        throw UsageError("--schedule paper fixes 50,000 steps of batch 100; drop --steps/--batch or the schedule");
    s.steps = s.schedule == "paper" ? kPaperSteps : long(o.integer("steps", kDefaultSteps, 1, 1000000000));
    s.batch = int(o.integer("batch", 100, 1, 1000000));
    s.lr = o.real("lr", 1e-3, 0.0, 1e4, true);
    s.seed = std::uint64_t(o.integer("seed", 1, 0, (1LL << 53)));
    s.hw = std::max(1u, std::thread::hardware_concurrency());
    s.threads = int(o.integer("threads", std::min(2u, s.hw), 1, 64));
    s.knn_k = int(o.integer("knn", 5, 1, 1000));
    s.eval_every_opt = o.integer("eval-every", 0, 1, 1000000000);
    s.eval_max = o.integer("eval-max", 2000, 0, 100000000);
    s.arch = "784";
    for (const std::string& item : split_list(o.str("hidden", "500-500"), '-')) {
        long long w = parse_integer(item, "--hidden");
        if (w < 1 || w > 100000) throw UsageError("--hidden: width " + item + " is out of range 1..100000");
        s.arch += "-" + std::to_string(w);
    }
    s.arch += "-" + std::to_string(s.k);
    s.oc = OptimizerConfig::defaults_for(OptimizerKind::Adam);
    s.oc.lr = s.lr;
    s.snap_steps = parse_snapshot_steps(o);
    return s;
}

std::vector<std::unique_ptr<Job>> make_jobs(const Options& o, const Settings& s) {
    std::vector<std::unique_ptr<Job>> jobs;
    for (std::string item : split_list(o.str("models", "linear,sigmoid,relu,elu"), ',')) {
        if (item != "vae") try {
            item = activation_name(parse_activation(item));
        } catch (const Error& e) {
            throw UsageError(std::string("--models: ") + e.what());
        }
        for (const auto& j : jobs)
            if (j->name == item) throw UsageError("--models: '" + item + "' listed twice");
        auto j = std::make_unique<Job>();
        j->name = item;
        j->label = item == "linear" ? "linear AE" : item == "vae" ? "VAE (ELU)" : title_case_act(item) + " AE";
        j->vae = item == "vae";
        try {
            j->cfg = AEConfig::from_arch(s.arch);
            j->cfg.hidden_act = j->vae ? Activation::ELU : parse_activation(item);
            j->cfg.latent_act = Activation::Identity;
            j->cfg.output_act = Activation::Identity;
            j->cfg.loss = ReconLoss::MSE;
            j->cfg.validate();
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        jobs.push_back(std::move(j));
    }
    return jobs;
}

// ---- stage 2: the PCA row ---------------------------------------------------------------------
struct PcaRow {
    PCA pca;
    double fit_s = 0, test = 0, train = 0, knn = 0, knn10 = 0;
    double curve = 0;  // test MSE on the curve subset (the first eval_max test images)
    Mat zte, recon;    // test codes; reconstructions of the montage samples
};

PcaRow fit_pca_row(const DataPair& d, const Settings& s, const Mat& Xs) {
    PcaOptions po;
    po.n_components = s.k;
    PcaRow r{PCA(po)};
    auto t0 = std::chrono::steady_clock::now();
    r.pca.fit(d.train.X);
    r.fit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.test = r.pca.reconstruction_mse(d.test.X), r.train = r.pca.reconstruction_mse(d.train.X);
    const Mat ztr = r.pca.transform(d.train.X);
    r.zte = r.pca.transform(d.test.X);
    r.knn = knn_accuracy(ztr, d.train.y, r.zte, d.test.y, s.knn_k);
    r.knn10 = knn_accuracy_few_labels(ztr, d.train.y, r.zte, d.test.y, 10, 1, 0);
    const Index curve_n = s.eval_max > 0 ? std::min<Index>(Index(s.eval_max), d.test.size()) : d.test.size();
    r.curve = r.pca.reconstruction_mse(d.test.X.leftCols(curve_n));
    r.recon = r.pca.inverse_transform(r.pca.transform(Xs));
    return r;
}

// ---- stage 3: the autoencoders, one per thread ---------------------------------------------
// One model from start to its evaluation; errors are kept in j.error.
void train_job(Job& j, const Settings& s, int eval_every, const DataPair& d, const Common& c, const PCA& pca,
               const Mat& Xs, const std::string& cmdline) {
    j.state = 1;
    if (j.vae) {
        GraphObjective obj;
        obj.loss = ReconLoss::BCE;
        obj.sum_per_sample = true;
        j.model = make_graph_model(Shape{Index(j.cfg.input_dim), 1, 1},
                                   parse_arch(mirrored_vae_arch(j.cfg.encoder, j.cfg.latent, Activation::ELU, j.cfg.input_dim)),
                                   obj);
    } else {
        j.model = make_dense_model(j.cfg);
    }
    j.arch_str = j.model->arch_string();
    j.model->init_params(s.seed);
    j.snaps = std::make_unique<Snapshots>(s.snap_steps, Xs);
    TrainConfig tc;
    tc.batch_size = s.batch;
    tc.seed = s.seed;
    tc.eval_every = eval_every;
    tc.eval_max = Index(s.eval_max);
    Trainer tr(*j.model, s.oc, d.train.X, &d.test.X, tc);
    tr.record();
    while (tr.steps() < s.steps && !interrupted() && !tr.diverged()) {
        long chunk = std::min<long>(s.steps - tr.steps(), 25);
        if (const long ns = j.snaps->next_after(tr.steps()); ns > 0) chunk = std::min<long>(chunk, ns - tr.steps());
        StepResult r = tr.step({chunk, 0.2});
        j.snaps->maybe_take(tr.steps(), *j.model);
        j.train_seconds += r.seconds;
        j.steps = tr.steps();
        j.loss = tr.last_loss();
    }
    if (tr.history().back().step != tr.steps()) tr.record();
    j.history = tr.history();
    j.samples = tr.samples_seen();
    j.diverged = tr.diverged();
    j.divergence = tr.divergence_message();
    j.was_interrupted = tr.steps() < s.steps && !j.diverged;
    std::map<std::string, std::string> meta = {{"data", c.data.set},          {"batch", std::to_string(s.batch)},
                                               {"seed", std::to_string(s.seed)}, {"created", now_iso8601()},
                                               {"command", cmdline},          {"compare_model", j.name}};
    // Interrupted runs keep the optimizer state so `aelab train --resume` continues them.
    j.checkpoint = save_model(*j.model, j.was_interrupted ? &tr.optimizer() : nullptr,
                              {tr.steps(), tr.samples_seen(), tr.epoch()}, meta);
    j.state = 2;
    j.metrics = evaluate_model(*j.model, d, s.knn_k, &j.test_codes);
    j.model->reconstruct(Xs, j.recon);
    if (j.vae) j.vr = vae_report(*j.model, d.test.X, 0, s.seed);
    if (j.name == "linear" && j.model->dense()) {
        Mat Wd = j.model->dense()->decoder_linear_map();
        if (Wd.allFinite()) j.angles = principal_angles(Wd, pca.components_);
    }
}

// Trains every job on s.threads threads with a progress line; returns the BLAS note.
std::string train_all(std::vector<std::unique_ptr<Job>>& jobs, const Settings& s, int eval_every, const DataPair& d,
                      const Common& c, const PCA& pca, const Mat& Xs, const std::string& cmdline) {
    install_sigint_handler();
    std::string blas_note = "Eigen kernels";
#ifdef EIGEN_USE_BLAS
    // Several models at once: give each model's products one OpenBLAS thread (cores are
    // shared by model threads instead), unless OPENBLAS_NUM_THREADS says otherwise.
    if (std::getenv("OPENBLAS_NUM_THREADS") == nullptr && s.threads > 1)
        openblas_set_num_threads(std::max(1, int(s.hw) / std::min<int>(s.threads, int(jobs.size()))));
    blas_note = "OpenBLAS, " + std::to_string(openblas_get_num_threads()) + " thread(s) per product";
#endif
    std::atomic<size_t> next{0};
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
                train_job(j, s, eval_every, d, c, pca, Xs, cmdline);
            } catch (const std::exception& e) {
                j.error = e.what();
            }
            j.state = 3;
        }
    };
    Progress prog("compare", s.steps * long(jobs.size()), 0, s.batch, c.quiet);
    std::vector<std::thread> pool;
    for (int t = 0; t < std::min<int>(s.threads, int(jobs.size())); ++t) pool.emplace_back(worker);
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
    prog.finish(done_total, std::nan(""), interrupted() ? "(interrupted)" : "");
    return blas_note;
}

// ---- stage 4: the table on stdout ---------------------------------------------------------------
constexpr double kRad2Deg = 57.29577951308232;

struct Outcome {
    const DataPair* d;
    bool intr = false, any_div = false;
    double wall = 0, epochs = 0;
    int eval_every = 0;
    std::string blas_note;
};

void print_table(const std::vector<std::unique_ptr<Job>>& jobs, const Settings& s, const PcaRow& p, const Outcome& r,
                 const Common& c) {
    const DataPair& d = *r.d;
    const int k = s.k;
    std::printf("aelab compare: %s, k = %d, %ld train / %ld test images\n", d.display.c_str(), k,
                long(d.train.size()), long(d.test.size()));
    const std::string full_arch = jobs.empty() ? s.arch : jobs[0]->cfg.arch_string();
    std::printf("autoencoders: %s, linear code and output, MSE loss,\n", full_arch.c_str());
    std::printf("  Adam lr %s, batch %d, %ld steps (%.1f epochs, schedule %s), seed %d; linear AE = the same\n",
                fmt_g(s.lr).c_str(), s.batch, s.steps, r.epochs, s.schedule.c_str(), int(s.seed));
    std::printf("  %ld-...-%d network with every activation linear (not a single-layer AE)\n\n", long(d.train.dim()), k);
    std::printf("  %-12s %10s %10s %14s %9s %11s %8s %9s\n", "model", "test MSE", "train MSE", "max angle to", "acc",
                "acc 1-NN", "steps", "time");
    std::printf("  %-12s %10s %10s %14s %9s %11s %8s %9s\n", "", "", "", "PCA (deg)", (std::to_string(s.knn_k) + "-NN").c_str(),
                "10/class", "", "");
    std::printf("  %-12s %10.5f %10.5f %14s %9.4f %11.4f %8s %7.1f s\n", ("PCA-" + std::to_string(k)).c_str(), p.test,
                p.train, "0 (ref)", p.knn, p.knn10, "-", p.fit_s);
    for (const auto& j : jobs) {
        if (j->skipped) {
            std::printf("  %-12s %10s   (not run: interrupted before it started)\n", j->label.c_str(), "-");
            continue;
        }
        std::string ang = j->angles.size() > 0 ? fmt_f(j->angles.maxCoeff() * kRad2Deg, 2) : "-";
        std::string st = std::to_string(j->steps.load()) + (j->diverged ? "!" : j->was_interrupted ? "*" : "");
        std::printf("  %-12s %10.5f %10.5f %14s %9.4f %11.4f %8s %7.1f s\n", j->label.c_str(), j->metrics.test_mse,
                    j->metrics.train_mse, ang.c_str(), j->metrics.knn_acc, j->metrics.knn10_acc, st.c_str(),
                    j->train_seconds);
    }
    for (const auto& j : jobs)
        if (j->vr.valid) {
            std::printf("\n  %s %s: test MSE from the mean code; Bernoulli decoder, nats per image:\n", j->label.c_str(),
                        j->arch_str.c_str());
            std::printf("    ELBO (mean code) %.4f = -(recon %.4f + KL %.4f); one sampled code: ELBO %.4f, recon %.4f\n",
                        j->vr.elbo_mean, j->vr.recon_mean_code, j->vr.kl_mean_code, j->vr.elbo, j->vr.recon);
        }
    for (const auto& j : jobs)
        if (j->angles.size() > 0) {
            std::string all;
            for (Index i = 0; i < j->angles.size(); ++i) all += (i ? ", " : "") + fmt_f(j->angles(i) * kRad2Deg, 2);
            std::printf("\n  %s vs PCA-%d principal angles (deg): %s\n", j->label.c_str(), k, all.c_str());
        }
    if (r.intr) std::printf("  * interrupted before the planned %ld steps (partial results)\n", s.steps);
    if (r.any_div) std::printf("  ! training diverged (parameters restored to the last good state)\n");
    std::printf("  wall time %s (%d thread%s); outputs in %s/\n", fmt_duration(r.wall).c_str(), s.threads,
                s.threads == 1 ? "" : "s", c.out.c_str());
    std::fflush(stdout);
}

// ---- stage 5: results.csv, curves.csv, metrics.json and the model files -----------------------
void write_results(const std::vector<std::unique_ptr<Job>>& jobs, const Settings& s, const PcaRow& p,
                   const Outcome& r, const Common& c, const std::string& cmdline) {
    const DataPair& d = *r.d;
    const std::string ks = std::to_string(s.k);
    std::string rcsv = "model,k,test_mse,train_mse,max_angle_to_pca_deg,knn_k,knn_accuracy,knn_1nn_10_per_class,steps,train_seconds\n";
    rcsv += "PCA-" + ks + "," + ks + "," + fmt_g(p.test, 8) + "," + fmt_g(p.train, 8) + ",0," + std::to_string(s.knn_k) +
            "," + fmt_g(p.knn, 6) + "," + fmt_g(p.knn10, 6) + ",," + fmt_g(p.fit_s, 5) + "\n";
    std::string ccsv = "model,step,epoch,train_loss,train_mse,test_loss,test_mse\n";
    Json j = Json::object();
    j["command"] = "compare";
    j["status"] = r.intr ? "interrupted" : r.any_div ? "diverged" : "completed";
    j["created"] = now_iso8601();
    j["command_line"] = cmdline;
    j["wall_seconds"] = r.wall;
    j["data"]["set"] = c.data.set;
    j["data"]["train_size"] = long(d.train.size());
    j["data"]["test_size"] = long(d.test.size());
    Json& cj = j["config"];
    cj["k"] = s.k;
    cj["arch"] = jobs.empty() ? s.arch : jobs[0]->cfg.arch_string();
    cj["steps"] = s.steps;
    cj["schedule"] = s.schedule;
    cj["batch"] = s.batch;
    cj["epochs"] = r.epochs;
    cj["optimizer"] = json_of_config_text(s.oc.to_text());
    cj["seed"] = long(s.seed);
    cj["threads"] = s.threads;
    cj["products"] = r.blas_note;
    cj["eval_every"] = r.eval_every;
    cj["eval_max"] = long(s.eval_max);
    cj["linear_ae"] = "same shape as the others, every activation linear";
    Json& rows = j["rows"];
    rows = Json::array();
    {
        Json pr = Json::object();
        pr["model"] = "PCA-" + ks;
        pr["test_mse"] = p.test;
        pr["train_mse"] = p.train;
        pr["test_mse_curve_subset"] = p.curve;
        pr["knn_accuracy"] = p.knn;
        pr["knn_1nn_10_per_class_accuracy"] = p.knn10;
        pr["fit_seconds"] = p.fit_s;
        Json evr = Json::array();
        for (Index i = 0; i < p.pca.explained_variance_ratio_.size(); ++i) evr.push(p.pca.explained_variance_ratio_(i));
        pr["explained_variance_ratio"] = evr;
        rows.push(pr);
    }
    for (const auto& jb : jobs) {
        if (jb->skipped) continue;
        std::string ang = jb->angles.size() > 0 ? fmt_g(jb->angles.maxCoeff() * kRad2Deg, 6) : "";
        rcsv += jb->label + "," + ks + "," + fmt_g(jb->metrics.test_mse, 8) + "," + fmt_g(jb->metrics.train_mse, 8) + "," +
                ang + "," + std::to_string(s.knn_k) + "," + fmt_g(jb->metrics.knn_acc, 6) + "," +
                fmt_g(jb->metrics.knn10_acc, 6) + "," + std::to_string(jb->steps.load()) + "," +
                fmt_g(jb->train_seconds, 5) + "\n";
        for (const auto& h : jb->history)
            ccsv += jb->name + "," + std::to_string(h.step) + "," + fmt_g(h.epoch, 8) + "," + fmt_g(h.train_loss, 8) + "," +
                    fmt_g(h.train_mse, 8) + "," + fmt_g(h.test_loss, 8) + "," + fmt_g(h.test_mse, 8) + "\n";
        Json row = Json::object();
        row["model"] = jb->label;
        row["activation"] = jb->name;
        row["arch"] = jb->arch_str;
        vae_json(jb->vr, row);
        row["test_mse"] = jb->metrics.test_mse;
        row["train_mse"] = jb->metrics.train_mse;
        row["knn_accuracy"] = jb->metrics.knn_acc;
        row["knn_1nn_10_per_class_accuracy"] = jb->metrics.knn10_acc;
        row["steps"] = jb->steps.load();
        row["train_seconds"] = jb->train_seconds;
        row["samples_per_second"] = jb->train_seconds > 0 ? double(jb->samples) / jb->train_seconds : 0.0;
        row["diverged"] = jb->diverged;
        row["interrupted"] = jb->was_interrupted;
        if (jb->angles.size() > 0) {
            Json a = Json::array();
            for (Index i = 0; i < jb->angles.size(); ++i) a.push(jb->angles(i) * kRad2Deg);
            row["principal_angles_to_pca_deg"] = a;
        }
        row["model_file"] = "models/" + jb->name + ".aelab";
        rows.push(row);
        write_file(join_path(join_path(c.out, "models"), jb->name + ".aelab"), jb->checkpoint.data(), jb->checkpoint.size());
    }
    write_text(join_path(c.out, "results.csv"), rcsv);
    write_text(join_path(c.out, "curves.csv"), ccsv);
    write_text(join_path(c.out, "metrics.json"), j.dump());
}

// ---- stage 6: the figures (PNG + SVG) ----------------------------------------------------------
void write_compare_figures(const std::vector<std::unique_ptr<Job>>& jobs, const Settings& s, const PcaRow& p,
                           const DataPair& d, const Mat& Xs, const Common& c) {
    const std::string ks = std::to_string(s.k);
    auto scatter = [&](const std::string& file, const std::string& who, const Mat& Z) {
        std::string xl, yl, how;
        Mat P = latent_2d(Z, &xl, &yl, &how);
        write_scatter(join_path(c.out, file), d.display + " " + who + " test codes: " + how, P, d.test.y, d.class_names, xl, yl);
    };
    scatter("latent-pca.png", "PCA-" + ks, p.zte);
    std::vector<MontageRow> mrows = {{"input", Xs}, {"PCA-" + ks, p.recon}};
    std::vector<CurveSeries> series;
    for (const auto& jb : jobs) {
        if (jb->skipped) continue;
        if (jb->recon.cols() > 0) mrows.push_back({jb->label, jb->recon});
        if (jb->test_codes.cols() > 0 && jb->test_codes.allFinite()) scatter("latent-" + jb->name + ".png", jb->label, jb->test_codes);
        CurveSeries cs{jb->label, {}, {}, palette::categorical(int(series.size()))};
        for (const auto& h : jb->history) cs.x.push_back(double(h.step)), cs.y.push_back(h.test_mse);
        series.push_back(std::move(cs));
        if (jb->snaps)
            jb->snaps->write(join_path(c.out, "snapshots-" + jb->name + ".png"),
                             d.display + " " + jb->label + " reconstructions during training, k = " + ks,
                             d.test.image_rows, d.test.image_cols);
    }
    write_curves(join_path(c.out, "curves.png"), d.display + " test MSE while training, k = " + ks, series,
                 {{"PCA-" + ks, p.curve, Rgb{0, 0, 0}}}, "step", "test MSE");
    if (image_figures(d.test, c.quiet, "reconstructions.png"))
        write_montage(join_path(c.out, "reconstructions.png"),
                      d.display + " test images and reconstructions, k = " + ks + " (" + std::to_string(s.steps) + " steps)",
                      mrows, d.test.image_rows, d.test.image_cols, 2);
}

}  // namespace

int run_compare(Invocation& in) {
    const Common& c = in.common;
    Settings s = read_settings(in.opts);
    std::vector<std::unique_ptr<Job>> jobs = make_jobs(in.opts, s);
    const std::string cmdline = command_line(in.argc, in.argv);

    prepare_out(c);  // a bad --out fails before the data is loaded
    DataPair d = load_data_verbose(c);
    if (s.k > std::min<Index>(d.train.dim(), d.train.size()))
        throw UsageError("--k " + std::to_string(s.k) + " is larger than min(dimension, training images)");
    for (auto& j : jobs) j->cfg.input_dim = int(d.train.dim());  // 784 for MNIST; a data file's feature count
    s.arch = std::to_string(d.train.dim()) + s.arch.substr(s.arch.find('-'));
    if (s.batch > d.train.size())
        throw UsageError("--batch " + std::to_string(s.batch) + " is larger than the training set (" +
                         std::to_string(d.train.size()) + " images)");
    make_dirs(join_path(c.out, "models"));
    const auto wall0 = std::chrono::steady_clock::now();
    Outcome r;
    r.d = &d;
    r.epochs = double(s.steps) * s.batch / double(d.train.size());
    note(c, "compare: PCA-" + std::to_string(s.k) + " and " + std::to_string(jobs.size()) + " autoencoders " + s.arch +
                "-...-" + std::to_string(d.train.dim()) + ", " + std::to_string(s.steps) + " steps of batch " + std::to_string(s.batch) + " (" +
                fmt_f(r.epochs, 1) + " epochs) each, " + std::to_string(s.threads) + " thread(s) -> " + c.out);

    const Mat Xs = gather_columns(d.test.X, examples_per_class(d.test.y, 10, 2));  // montage samples
    const PcaRow p = fit_pca_row(d, s, Xs);
    note(c, "PCA-" + std::to_string(s.k) + ": test MSE " + fmt_f(p.test, 5) + ", fit " + fmt_f(p.fit_s, 2) + " s");

    r.eval_every = int(s.eval_every_opt > 0 ? s.eval_every_opt : std::max(100L, s.steps / 50));
    r.blas_note = train_all(jobs, s, r.eval_every, d, c, p.pca, Xs, cmdline);
    r.intr = interrupted();
    for (const auto& j : jobs) {
        if (!j->error.empty()) throw Error(j->label + ": " + j->error);
        if (j->diverged) {
            r.any_div = true;
            std::fprintf(stderr, "[aelab] %s: %s\n", j->label.c_str(), j->divergence.c_str());
        }
    }
    r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

    print_table(jobs, s, p, r, c);
    write_results(jobs, s, p, r, c, cmdline);
    write_compare_figures(jobs, s, p, d, Xs, c);
    if (r.intr)
        std::fprintf(stderr,
                     "[aelab] partial results and checkpoints (with optimizer state) written to %s/; continue one "
                     "model with: aelab train --resume %s/models/<model>.aelab --steps %ld\n",
                     c.out.c_str(), c.out.c_str(), s.steps);
    return r.intr ? kExitInterrupted : r.any_div ? kExitDiverged : kExitOk;
}

}  // namespace aelab::cli
