// aelab train: one autoencoder on full MNIST / Fashion-MNIST with progress, curves,
// metrics, figures, a model file, Ctrl-C checkpointing and --resume.
#include "aelab/model_io.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "conv_figure.hpp"
#include "images.hpp"
#include "graph_cli.hpp"
#include "progress.hpp"
#include "recipe_cli.hpp"
#include "train_mc.hpp"
#include "train_pretrain.hpp"

#include <cstdio>
#include <sys/stat.h>

namespace aelab::cli {

namespace {

// Test columns on which the summary reports the encoder's mean squared Jacobian norm (its
// cost is ~k times an encoder pass per column: bounded for big models).
constexpr Index kJacobianTestColumns = 2000;

// The model: architecture, activations, loss and its extra terms.
std::vector<OptDef> model_options() {
    return {
        {"arch", "A-B-..-K|GRAPH", "dense: encoder widths input-hidden...-code, decoder mirrored (default 784-500-500-5); "
                                  "or a layer graph (a first token starting with a letter), the grammar of core/aelab/graph.hpp, "
                                  "e.g. r1x28x28,c16k3same-selu,p2,...|t32k3s2valid-selu,...,flatten (see `aelab help train`)"},
        {"act", "NAME", "hidden activation: linear sigmoid tanh relu leaky_relu elu selu softplus (default elu)"},
        {"latent-act", "NAME", "code activation (default linear)"},
        {"out-act", "NAME", "output activation: linear (default) or sigmoid"},
        {"loss", "NAME", "reconstruction loss: mse (default) or bce (needs --out-act sigmoid)"},
        {"tied", nullptr, "tie decoder weights to the transposed encoder weights"},
        {"weight-decay", "L", "L2 penalty L/2*sum(W^2) on weights (default 0)"},
        {"sparsity", "KIND", "code sparsity penalty: none (default), l1, kl (kl needs --latent-act sigmoid)"},
        {"sparsity-weight", "W", "weight of the sparsity penalty (default 0.001)"},
        {"sparsity-target", "RHO", "target mean activation for kl (default 0.05)"},
        {"noise", "KIND", "denoising input corruption: none (default), gaussian, masking, salt_pepper, dropout"},
        {"noise-level", "X", "gaussian stddev or corruption probability (default 0.2)"},
        {"contractive", "LAMBDA", "contractive AE: add LAMBDA * mean ||J_f(x)||_F^2 of the encoder's Jacobian (default 0 = off)"},
    };
}

// The optimizer and the batch.
std::vector<OptDef> optimizer_options() {
    return {
        {"opt", "NAME", "optimizer: adam (default), adamw, sgd, rmsprop, adagrad, lbfgs, mc"},
        {"lr", "X", "learning rate (default: 0.001 for adam, 0.01 for sgd...)"},
        {"momentum", "X", "SGD momentum in [0, 1) (default 0)"},
        {"nesterov", nullptr, "Nesterov momentum (SGD)"},
        {"beta1", "X", "Adam beta1 (default 0.9)"},
        {"beta2", "X", "Adam beta2 (default 0.999)"},
        {"batch", "N", "minibatch size (default 100)"},
    };
}

}  // namespace

std::vector<OptDef> train_options() {
    // The run: recipe, split, length, seed, evaluation, files.
    std::vector<OptDef> d = {
        {"recipe", "KEY", "start from a recipe's settings (`aelab recipes` lists them); options given here override it"},
        {"valid", "N", "train on all but the last N training images and evaluate on those N (a validation split)"},
    };
    for (auto part : {model_options(), graph_options(), optimizer_options()}) d.insert(d.end(), part.begin(), part.end());
    d.insert(d.end(), {
        {"epochs", "N", "train for N epochs (default 5; counted from the start of the run)"},
        {"steps", "N", "train for N optimizer steps in total (instead of --epochs)"},
        {"seed", "S", "initialisation and shuffling seed (default 1; the generated sets' seed, except gauss2d's: --npseed)"},
    });
    for (const OptDef& e : pretrain_options()) d.push_back(e);
    for (const OptDef& e : mc_options()) d.push_back(e);
    for (const OptDef& e : evaluation_options()) d.push_back(e);
    d.insert(d.end(), {
        {"save", "FILE", "also save the trained model (and optimizer state) to FILE (e.g. m.aelab)"},
        {"checkpoint-every", "N", "save the model with its whole training state every N steps (to --save FILE, else OUT/model.aelab; crash-safe)"},
        {"resume", "FILE", "continue training a saved model exactly where it stopped (architecture, batch, seed, shuffle order, optimizer state from the file)"},
    });
    for (const OptDef& g : gauss_options()) d.push_back(g);
    return d;
}

namespace {



// An integer setting saved in the model file's metadata (batch, seed...), range-checked
// like the option that overrides it: a hostile or corrupt value is an error, never a
// silently truncated number.
long long meta_integer(const ModelFile& f, const std::string& file, const char* key, long long def, long long lo,
                       long long hi) {
    auto it = f.meta.find(key);
    if (it == f.meta.end()) return def;
    long long v = 0;
    try {
        v = parse_integer(it->second, key);
    } catch (const std::exception&) {
        v = lo - 1;  // reported below
    }
    if (v < lo || v > hi || (lo > 0 && v < 0))
        throw Error("model file " + file + ": saved " + key + " = '" + shorten(it->second, 40) + "' is not an integer in " +
                    std::to_string(lo) + ".." + std::to_string(hi) + " (pass --" + key + " N to override)");
    return v;
}

}  // namespace

int run_train(Invocation& in) {
    const Options& o = in.opts;
    Common c = in.common;
    const int argc = in.argc;
    char** argv = in.argv;
    const long valid = long(o.integer("valid", 0, 1, 100000000));
    const bool resume = o.has("resume");

    // ---- model ---------------------------------------------------------------------------
    ModelFile resumed;
    AEConfig cfg;
    if (resume) {
        const std::string path = o.str("resume", "");
        try {
            resumed = read_model(read_file(path));
        } catch (const Error& e) {
            throw Error("cannot resume from " + path + ": " + e.what());
        }
        auto it = resumed.meta.find("data");
        if (!c.data_given && it != resumed.meta.end() && (it->second == "mnist" || it->second == "fashion"))
            c.data.set = it->second;
        if (!c.data_given && it != resumed.meta.end() && data_file_kind(it->second) != FileData::None)
            throw UsageError("model " + path + " was trained on the file " + it->second + ": pass --data " +
                             it->second + " with the same --label-col, --scale, --test-fraction and --split-seed");
    }
    // A layer-graph model (conv AE, VAE): graph_cli.hpp reads its options; the dense block
    // below is skipped.
    const bool graph = resume ? resumed.kind == ModelKind::Graph : wants_graph(o);
    std::unique_ptr<Model> gmodel;
    if (graph && resume) check_resume_graph_options(o, resumed);
    if (graph && !resume && c.file.kind == FileData::None) gmodel = graph_model_from_options(o, data_input_dim(c.data.set));
    // Model options apply on top of the defaults (or, with --resume, on top of the file's
    // settings, which they must then not change: rerunning the same command with --resume
    // works, changing the architecture of a saved model does not).
    if (!graph) try {
        AEConfig base = resume ? resumed.model : AEConfig::from_arch("784-500-500-5");
        if (!resume) base.hidden_act = Activation::ELU;
        cfg = base;
        if (o.has("arch")) {
            AEConfig a = AEConfig::from_arch(o.str("arch", ""));
            cfg.input_dim = a.input_dim;
            cfg.encoder = a.encoder;
            cfg.latent = a.latent;
            cfg.decoder = a.decoder;
            cfg.mirror_decoder = a.mirror_decoder;
        }
        if (o.has("act")) {
            cfg.hidden_act = parse_activation(o.str("act", ""));
            cfg.hidden_acts.clear();
        }
        if (o.has("latent-act")) cfg.latent_act = parse_activation(o.str("latent-act", ""));
        if (o.has("out-act")) cfg.output_act = parse_activation(o.str("out-act", ""));
        if (o.has("loss")) cfg.loss = parse_loss(o.str("loss", ""));
        if (o.has("tied")) cfg.tied = true;
        cfg.weight_decay = o.real("weight-decay", cfg.weight_decay, 0.0, 999.0);
        if (o.has("sparsity")) cfg.sparsity = parse_sparsity(o.str("sparsity", ""));
        cfg.sparsity_weight = o.real("sparsity-weight",
                                     (!resume && cfg.sparsity != Sparsity::None) ? 1e-3 : cfg.sparsity_weight, 0.0, 1e5);
        cfg.sparsity_target = o.real("sparsity-target", cfg.sparsity_target, 0.0, 1.0, true);
        if (cfg.sparsity_target >= 1.0) throw UsageError("--sparsity-target must be < 1");
        if (o.has("noise")) cfg.noise = parse_noise(o.str("noise", ""));
        cfg.noise_level = o.real("noise-level", (!resume && cfg.noise != Noise::None) ? 0.2 : cfg.noise_level, 0.0, 100.0);
        cfg.contractive = o.real("contractive", cfg.contractive, 0.0, 1e5);
        cfg.validate();
        if (resume && cfg.to_text() != resumed.model.to_text()) {
            std::string names;
            for (const OptDef& m : model_options())
                if (o.has(m.name)) names += std::string(names.empty() ? "" : ", ") + "--" + m.name;
            throw UsageError("with --resume the model keeps the settings saved in the file; " + names +
                             " would change them (the file has " + resumed.model.arch_string() + ", " +
                             activation_name(resumed.model.hidden_act) + " hidden, " +
                             activation_name(resumed.model.output_act) + " output, " +
                             loss_name(resumed.model.loss) + " loss)");
        }
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    const std::string resume_path = resume ? o.str("resume", "") : std::string();
    auto meta_num = [&](const char* key, long long def, long long lo, long long hi) -> long long {
        if (!resume || o.has(key)) return def;
        return meta_integer(resumed, resume_path, key, def, lo, hi);
    };

    // ---- optimizer and schedule ---------------------------------------------------------------
    OptimizerConfig oc;
    try {
        OptimizerKind kind = (resume && resumed.has_optimizer && !o.has("opt")) ? resumed.optimizer.kind
                                                                                : parse_optimizer(o.str("opt", "adam"));
        oc = (resume && resumed.has_optimizer && resumed.optimizer.kind == kind) ? resumed.optimizer
                                                                                 : OptimizerConfig::defaults_for(kind);
        oc.lr = o.real("lr", oc.lr, 0.0, 1e4, true);
        oc.momentum = o.real("momentum", oc.momentum, 0.0, 0.999999);
        if (o.has("momentum") && oc.momentum >= 1) throw UsageError("--momentum must be < 1");
        oc.nesterov = oc.nesterov || o.has("nesterov");
        oc.beta1 = o.real("beta1", oc.beta1, 0.0, 0.999999);
        oc.beta2 = o.real("beta2", oc.beta2, 0.0, 0.999999);
        read_mc_options(o, oc);
        oc.validate();
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    const int batch = int(o.integer("batch", meta_num("batch", 100, 1, 1000000), 1, 1000000));
    const std::uint64_t seed = std::uint64_t(o.integer("seed", meta_num("seed", 1, 0, (1LL << 53)), 0, (1LL << 53)));
    if (o.has("steps") && o.has("epochs")) throw UsageError("give either --steps or --epochs, not both");
    const long long steps_opt = o.integer("steps", 0, 1, 1000000000);
    const long long epochs_opt = o.integer("epochs", 5, 1, 1000000);
    // A resumed run keeps the saved evaluation settings (the loss history continues alike).
    const long long eval_every_opt = o.integer("eval-every", meta_num("eval-every", 0, 1, 1000000000), 1, 1000000000);
    const long long eval_max = o.integer("eval-max", meta_num("eval-max", 2000, 0, 100000000), 0, 100000000);
    const long long ckpt_every = o.integer("checkpoint-every", 0, 1, 1000000000);
    const int knn_k = int(o.integer("knn", 5, 1, 1000));
    const std::string save_path = o.str("save", "");
    const int iwae_k = int(o.integer("iwae", 0, 1, 100000));
    if (o.has("iwae") && !graph) throw UsageError("--iwae needs a VAE (--model vae)");
    if (o.has("beta") && !graph) throw UsageError("--beta is the VAE's KL weight (--model vae); a dense autoencoder has none");
    const std::vector<long> snap_steps = parse_snapshot_steps(o);
    const PretrainPlan plan = read_pretrain_options(o, graph, resume, cfg, epochs_opt);  // --epochs: the total

    if (c.file.kind == FileData::None && !graph) {  // a data file's width is checked once it is read
        const int data_dim = data_input_dim(c.data.set);
        if (cfg.input_dim != data_dim)
            throw UsageError("the model's input size is " + std::to_string(cfg.input_dim) + " but " + c.data.set +
                             " has " + std::to_string(data_dim) + " dimensions (use --arch " + std::to_string(data_dim) +
                             "-...)");
    }

    // ---- outputs must be writable before any work --------------------------------------------
    prepare_out(c);
    try {
        if (o.has("save")) check_writable_file(save_path, "--save");
    } catch (const Error& e) {
        throw UsageError(e.what());
    }

    // ---- data -----------------------------------------------------------------------------------
    DataPair d = load_train_data(c, valid, seed, read_gauss_options(o, c.data.set));
    if (graph && !gmodel && !resume) gmodel = graph_model_from_options(o, int(d.train.dim()));
    const Index in_dim = graph ? (resume ? resumed.graph_input.size() : gmodel->input_dim()) : Index(cfg.input_dim);
    if (in_dim != d.train.dim())
        throw UsageError("the model's input size is " + std::to_string(in_dim) + " but " + d.display +
                         (c.file.kind == FileData::Csv ? " rows have " : " images have ") + std::to_string(d.train.dim()) +
                         (c.file.kind == FileData::Csv ? " features (use --arch " : " pixels (use --arch ") +
                         std::to_string(d.train.dim()) + "-...)");
    if (batch > d.train.size())
        throw UsageError("--batch " + std::to_string(batch) + " is larger than the training set (" +
                         std::to_string(d.train.size()) + " images)");
    const long steps_per_epoch = long(d.train.size() / batch);
    const long total = o.has("steps") ? long(steps_opt) : long(plan.on ? plan.finetune_epochs : epochs_opt) * steps_per_epoch;
    const long start = resume ? resumed.counters.step : 0;
    if (resume && start >= total)
        note(c, "the model has already trained " + std::to_string(start) + " steps (>= the " + std::to_string(total) +
                    " asked for): evaluating only; raise --steps/--epochs to train further");
    const long to_do = std::max(0L, total - start);

    std::unique_ptr<Model> model_ptr = resume ? build_model(resumed) : graph ? std::move(gmodel) : make_dense_model(cfg);
    Model& model = *model_ptr;
    if (!resume) model.init_params(seed);
    if (graph && resume && o.has("beta")) {  // --beta may change between runs
        if (!model.is_vae()) throw UsageError("--beta is the VAE's KL weight; the saved model has no Gaussian code");
        GraphModel& gm = static_cast<GraphModel&>(model);
        GraphObjective ob = gm.objective();
        ob.beta = o.real("beta", 1.0, 0.0, 1000.0);
        gm.set_objective(ob);
    }
    const std::string arch_str = model.arch_string();
    if (o.has("iwae") && !model.is_vae()) throw UsageError("--iwae needs a VAE (--model vae)");
    Snapshots snaps(snap_steps, d.test.image_rows > 0 ? gather_columns(d.test.X, examples_per_class(d.test.y, 10, 2)) : Mat());
    // With a saved trainer state the trainer continues its own counters (base 0); an old
    // (version 1) file only had counters, added to a fresh trainer's (base = the file's).
    const bool exact_state = resume && resumed.has_trainer_state;
    TrainCounters base;
    if (resume && !exact_state) base = resumed.counters;
    TrainConfig tc;
    tc.batch_size = batch;
    tc.seed = (resume && !exact_state) ? seed + std::uint64_t(start) * 7919u : seed;  // v1: reshuffle
    tc.eval_every = int(eval_every_opt > 0 ? eval_every_opt : std::max(100L, to_do / 50));
    tc.eval_max = Index(eval_max);
    PretrainOutcome pre;
    if (plan.on) {  // the phases' weights replace the initialisation before the Trainer snapshots them
        note(c, "layer-wise pretraining: " + std::to_string(plan.phases) + " phases x " + std::to_string(plan.epochs_per_phase) +
                    " epochs, then " + std::to_string(plan.finetune_epochs) + " fine-tuning epochs");
        install_sigint_handler();
        pre = run_pretrain(plan, cfg, oc, tc, d, model, c.quiet);
        if (pre.interrupted || pre.diverged) {
            std::fprintf(stderr, "[aelab] %s; nothing saved (pretraining phases are not checkpointed)\n",
                         pre.diverged ? pre.message.c_str() : "interrupted during layer-wise pretraining");
            return pre.diverged ? kExitDiverged : kExitInterrupted;
        }
    }
    Trainer tr(model, oc, d.train.X, &d.test.X, tc);
    if (exact_state) {
        if (!tr.restore(resumed.trainer))
            note(c, "the training set has " + std::to_string(d.train.size()) + " images, the saved run had " +
                        std::to_string(resumed.trainer.perm.size()) + ": continuing with a new shuffle (not an exact resume)");
        if (resumed.optimizer.kind != oc.kind) {
            tr.set_optimizer(oc);
            note(c, std::string("optimizer changed from ") + optimizer_name(resumed.optimizer.kind) + " to " +
                        optimizer_name(oc.kind) + ": starting with a fresh optimizer state");
        } else {
            tr.set_optimizer(oc);  // same kind: state kept, hyperparameters from the options
        }
    } else if (resume && resumed.has_optimizer) {
        if (resumed.optimizer.kind == oc.kind) restore_optimizer(resumed, tr.optimizer());
        else note(c, std::string("optimizer changed from ") + optimizer_name(resumed.optimizer.kind) + " to " +
                         optimizer_name(oc.kind) + ": starting with a fresh optimizer state");
    }
    if (resume && !exact_state)
        note(c, "the model file holds no trainer state (format version " + std::to_string(resumed.format_version) +
                    " without shuffle order and RNG): the resumed run is not exact");
    note(c, "model " + (graph ? describe_model(model) : cfg.arch_string() + ", " + activation_name(cfg.hidden_act) +
                                  " hidden, " + activation_name(cfg.output_act) + " output, " + loss_name(cfg.loss)) +
                " (" + std::to_string(model.num_params()) + " parameters); " + optimizer_name(oc.kind) + " lr " + fmt_g(oc.lr) + ", batch " +
                std::to_string(batch) + "; " + std::to_string(to_do) + " steps" +
                (resume ? " (resuming at step " + std::to_string(start) + ")" : "") + " -> " + c.out);

    // ---- train ----------------------------------------------------------------------------------
    std::map<std::string, std::string> meta = {
        {"data", c.data.set},
        {"batch", std::to_string(batch)},
        {"seed", std::to_string(seed)},
        {"eval-every", std::to_string(tc.eval_every)},
        {"eval-max", std::to_string(eval_max)},
        {"created", now_iso8601()},
        {"command", command_line(argc, argv)},
        {"limit_train", std::to_string(c.data.limit_train)},
        {"limit_test", std::to_string(c.data.limit_test)},
    };
    if (plan.on) meta["pretrain"] = "layerwise", meta["pretrain-epochs"] = std::to_string(plan.epochs_per_phase);
    const std::string model_path = join_path(c.out, "model.aelab");
    const std::string ckpt_path = save_path.empty() ? model_path : save_path;
    // The model file: with the whole trainer state (exact resume) unless the run started
    // from a version-1 file, whose counters are offsets the trainer does not know.
    auto model_bytes = [&]() {
        if (!exact_state && resume) {
            TrainCounters k{base.step + tr.steps(), base.samples + tr.samples_seen(), base.epoch + tr.epoch()};
            return save_model(model, &tr.optimizer(), k, meta);
        }
        return save_model(model, tr.state(), meta);
    };
    // Room for the model files (written beside the old ones, then renamed): fail now, not
    // after the training, when a disk is nearly full.
    {
        const std::uint64_t size = model_bytes().size() + 4096;
        struct stat so, ss;
        const std::string save_dir = save_path.empty() ? std::string() : dir_of_file(save_path);
        const bool same = !save_path.empty() && ::stat(c.out.c_str(), &so) == 0 && ::stat(save_dir.c_str(), &ss) == 0 &&
                          so.st_dev == ss.st_dev;
        try {
            check_free_space(c.out, same ? 2 * size : size, "--out");
            if (!save_path.empty() && !same) check_free_space(save_dir, size, "--save");
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
    }
    install_sigint_handler();
    if (!resume) tr.record();  // the curve starts at step 0
    Progress prog("train", total, start, batch, c.quiet);
    double train_seconds = 0;
    long trained = 0;  // steps in this run
    while (base.step + tr.steps() < total && !interrupted() && !tr.diverged()) {
        long chunk = std::min<long>(total - base.step - tr.steps(), 50);
        if (ckpt_every > 0) chunk = std::min<long>(chunk, long(ckpt_every - tr.steps() % ckpt_every));
        if (const long ns = snaps.next_after(base.step + tr.steps()); ns > 0)
            chunk = std::min<long>(chunk, ns - base.step - tr.steps());
        StepResult r = tr.step({chunk, 0.25});
        snaps.maybe_take(base.step + tr.steps(), model);
        train_seconds += r.seconds;
        trained += r.steps;
        prog.update(base.step + tr.steps(), tr.last_loss());
        if (ckpt_every > 0 && r.steps > 0 && tr.steps() % ckpt_every == 0 && !tr.diverged() &&
            base.step + tr.steps() < total) {
            std::vector<std::uint8_t> b = model_bytes();
            write_file(ckpt_path, b.data(), b.size());
        }
    }
    // The file holds the trainer's state as it is now, before the final curve point below: an
    // extra evaluation would reset the running means and change a resumed run's history.
    std::vector<std::uint8_t> bytes = model_bytes();
    if (tr.history().empty() || tr.history().back().step != tr.steps()) tr.record();
    const bool intr = interrupted(), div = tr.diverged();
    prog.finish(base.step + tr.steps(), tr.last_loss(), intr ? "(interrupted)" : div ? "(diverged)" : "");
    if (div) std::fprintf(stderr, "[aelab] %s\n", tr.divergence_message().c_str());

    // ---- save (--save first: it is the file the user asked for) -----------------------------
    TrainCounters counters{base.step + tr.steps(), base.samples + tr.samples_seen(), base.epoch + tr.epoch()};
    if (!save_path.empty()) write_file(save_path, bytes.data(), bytes.size());
    write_file(model_path, bytes.data(), bytes.size());
    if (intr) {
        const std::string ck = save_path.empty() ? model_path : save_path;
        std::string again = command_line(argc, argv);
        if (resume) again = "the same command (it already has --resume; point it at " + ck + ")";
        else again += " --resume " + ck;
        std::fprintf(stderr, "[aelab] checkpoint saved to %s%s%s\n[aelab] continue with: %s\n", model_path.c_str(),
                     save_path.empty() ? "" : " and ", save_path.c_str(), again.c_str());
    }

    // ---- evaluate and write results ----------------------------------------------------------------
    Mat Zte;
    ModelMetrics mm = evaluate_model(model, d, knn_k, &Zte);
    const VaeReport vr = vae_report(model, d.test.X, iwae_k, seed);
    // The encoder's sensitivity (what the contractive penalty shrinks), on the first test columns.
    const Index jac_n = std::min<Index>(d.test.X.cols(), kJacobianTestColumns);
    const double jac = model.dense() && jac_n > 0 ? model.dense()->jacobian_sqnorm(d.test.X.leftCols(jac_n)) : std::nan("");
    const bool images = d.test.image_rows > 0;
    const double racc_train = images ? model_rounded_accuracy(model, d.train.X) : std::nan("");
    const double racc_test = images ? model_rounded_accuracy(model, d.test.X) : std::nan("");
    {
        std::string csv = "step,epoch,train_loss,train_mse,test_loss,test_mse\n";
        for (const auto& h : tr.history()) {
            csv += std::to_string(base.step + h.step) + "," + fmt_g(base.epoch + h.epoch, 8) + "," +
                   fmt_g(h.train_loss, 8) + "," + fmt_g(h.train_mse, 8) + "," + fmt_g(h.test_loss, 8) + "," +
                   fmt_g(h.test_mse, 8) + "\n";
        }
        write_text(join_path(c.out, "curves.csv"), csv);
        CurveSeries trs{"train loss", {}, {}, palette::categorical(0)}, tes{"test loss", {}, {}, palette::categorical(1)};
        for (const auto& h : tr.history()) {
            trs.x.push_back(double(base.step + h.step)), trs.y.push_back(h.train_loss);
            tes.x.push_back(double(base.step + h.step)), tes.y.push_back(h.test_loss);
        }
        write_curves(join_path(c.out, "curves.png"), d.display + " " + shorten(arch_str, 60) + " loss curves", {trs, tes}, {},
                     "step", "loss");
    }
    const double sps = train_seconds > 0 ? double(trained) * double(std::min<long>(batch, d.train.size())) / train_seconds : 0.0;
    Json j = Json::object();
    j["command"] = "train";
    j["status"] = intr ? "interrupted" : div ? "diverged" : "completed";
    if (div) j["divergence"] = tr.divergence_message();
    j["created"] = meta["created"];
    j["command_line"] = meta["command"];
    Json& data = j["data"];
    data["set"] = c.data.set;
    data["dir"] = c.data.dir;
    data["train_size"] = long(d.train.size());
    data["test_size"] = long(d.test.size());
    if (!d.facts.is_null()) data["gauss2d"] = d.facts;
    Json& conf = j["config"];
    conf["arch"] = arch_str;
    conf["model_kind"] = graph ? (model.is_vae() ? "vae" : "graph") : "dense";
    conf["num_params"] = long(model.num_params());
    if (graph) {
        const GraphObjective& ob = static_cast<GraphModel&>(model).objective();
        Json& gm = conf["model"];
        gm["arch"] = arch_str;
        gm["loss"] = loss_name(ob.loss);
        gm["recon_reduction"] = ob.sum_per_sample ? "sum_per_image" : "mean_per_value";
        gm["beta"] = ob.beta;
        gm["code_dim"] = long(model.code_dim());
    } else {
        conf["model"] = json_of_config_text(cfg.to_text());
    }
    conf["optimizer"] = json_of_config_text(oc.to_text());
    conf["batch"] = batch;
    conf["seed"] = long(seed);
    conf["total_steps"] = total;
    conf["eval_every"] = tc.eval_every;
    conf["eval_max"] = long(eval_max);
    conf["resumed_from"] = resume ? Json(resume_path) : Json();
    conf["checkpoint_every"] = long(ckpt_every);
    Json& res = j["final"];
    res["step"] = counters.step;
    res["epoch"] = counters.epoch;
    res["train_mse"] = mm.train_mse;
    res["test_mse"] = mm.test_mse;
    res["train_loss"] = mm.train_loss;
    res["test_loss"] = mm.test_loss;
    res["knn_k"] = knn_k;
    res["knn_accuracy"] = mm.knn_acc;
    res["knn_1nn_10_per_class_accuracy"] = mm.knn10_acc;
    if (images) {
        res["train_rounded_accuracy"] = racc_train;
        res["test_rounded_accuracy"] = racc_test;
    }
    conf["valid"] = long(valid);
    vae_json(vr, res);
    extra_params_json(model, res);
    if (model.dense()) {
        res["test_jacobian_sqnorm"] = jac;  // mean ||J_f(x)||_F^2 of the encoder
        res["jacobian_test_columns"] = long(jac_n);
        res["test_contractive_penalty"] = cfg.contractive * jac;
    }
    if (!snaps.taken_steps().empty()) {
        Json st = Json::array();
        for (long s : snaps.taken_steps()) st.push(Json(double(s)));
        res["snapshot_steps"] = st;
    }
    res["train_seconds"] = train_seconds;
    if (plan.on) {
        j["pretrain"] = pretrain_json(plan, pre);
        write_text(join_path(c.out, "pretrain.csv"), pretrain_csv(pre));
    }
    res["samples_per_second"] = sps;
    const bool mc = oc.kind == OptimizerKind::MonteCarlo;
    const McIntervals mc_iv = mc ? mc_intervals(tr.optimizer()) : McIntervals();
    if (mc) j["mc"] = mc_json(oc, mc_iv, model), write_text(join_path(c.out, "mc_intervals.csv"), mc_csv(mc_iv));
    write_text(join_path(c.out, "metrics.json"), j.dump());

    // Figures: two test images of each class, their reconstructions (with input noise: the
    // corrupted inputs and what the model makes of them too); the latent scatter.
    if (image_figures(d.test, c.quiet, "reconstructions.png")) {
        const int ir = d.test.image_rows, ic = d.test.image_cols;
        std::vector<Index> idx = examples_per_class(d.test.y, 10, 2);
        Mat Xs = gather_columns(d.test.X, idx), Rs;
        model.reconstruct(Xs, Rs);
        std::vector<MontageRow> rows = {{"input", Xs}, {"reconstruction", Rs}};
        if (!graph && cfg.noise != Noise::None) {
            Rng rng(seed, 977);
            Mat Xn, Rn;
            model.corrupt(Xs, Xn, rng);
            model.reconstruct(Xn, Rn);
            rows.push_back({std::string(noise_name(cfg.noise)) + " " + fmt_g(cfg.noise_level) + " input", Xn});
            rows.push_back({"its reconstruction", Rn});
        }
        write_montage(join_path(c.out, "reconstructions.png"),
                      d.display + " test images and reconstructions by " + shorten(arch_str, 60) +
                          (graph ? std::string() : std::string(" (") + activation_name(cfg.hidden_act) + ")") +
                          ", test MSE " + fmt_f(mm.test_mse, 4),
                      rows, ir, ic, 2);
    }
    std::string xl, yl, how;
    if (Zte.allFinite()) {
        Mat P = latent_2d(Zte, &xl, &yl, &how);
        write_scatter(join_path(c.out, "latent.png"), d.display + " test codes: " + how, P, d.test.y,
                      d.class_names, xl, yl);
    }

    std::string extra_files;
    if (images) {
        extra_files += vae_figures(model, c.out, d.display + " " + shorten(arch_str, 50), seed, d.test.image_rows,
                                   d.test.image_cols);
        // Conv models: every conv layer's filters and one test image's feature maps.
        if (const Graph<float>* g = model.graph(); g && !app::conv_layers(*g).empty()) {
            const Index first = examples_per_class(d.test.y, 10, 1).at(0);
            for (const std::string& f : write_conv_figures(c.out, *g, d.test.X, first, d.display + " " + shorten(arch_str, 60)))
                extra_files += " " + f;
        }
        if (snaps.write(join_path(c.out, "snapshots.png"),
                        d.display + " reconstructions during training by " + shorten(arch_str, 60), d.test.image_rows,
                        d.test.image_cols))
            extra_files += " snapshots.png";
    }

    // ---- summary on stdout ----------------------------------------------------------------------
    std::printf("aelab train: %s on %s (%ld train / %ld test)\n", arch_str.c_str(), d.display.c_str(),
                long(d.train.size()), long(d.test.size()));
    if (graph)
        std::printf("  %s; %s lr %s, batch %d, seed %llu\n", describe_model(model).c_str(), optimizer_name(oc.kind),
                    fmt_g(oc.lr).c_str(), batch, static_cast<unsigned long long>(seed));
    else
        std::printf("  %s hidden, %s code, %s output, %s loss; %s lr %s, batch %d, seed %llu\n",
                    activation_name(cfg.hidden_act), activation_name(cfg.latent_act), activation_name(cfg.output_act),
                    loss_name(cfg.loss), optimizer_name(oc.kind), fmt_g(oc.lr).c_str(), batch,
                    static_cast<unsigned long long>(seed));
    std::printf("  steps %ld (%.2f epochs) in %s, %s samples/s%s\n", counters.step, counters.epoch,
                fmt_duration(train_seconds).c_str(), fmt_rate(sps).c_str(),
                intr ? "  [interrupted]" : div ? "  [diverged]" : "");
    std::printf("\n  %-10s %12s %12s\n", "", "MSE",
                model.loss() == ReconLoss::BCE ? (model.is_vae() ? "BCE/image" : "BCE") : "loss");
    std::printf("  %-10s %12.6f %12.6f\n", "train", mm.train_mse, mm.train_loss);
    std::printf("  %-10s %12.6f %12.6f\n", valid > 0 ? "validation" : "test", mm.test_mse, mm.test_loss);
    vae_print(vr, valid > 0 ? "validation" : "test");
    extra_params_print(model);
    if (plan.on) print_pretrain(plan, pre);
    if (mc) print_mc(oc, mc_iv, model);
    if (model.dense())
        std::printf("\n  encoder Jacobian, mean ||J_f(x)||_F^2 on %ld %s images: %s   (contractive lambda %s: penalty %s)\n",
                    long(jac_n), valid > 0 ? "validation" : "test", fmt_g(jac, 6).c_str(), fmt_g(cfg.contractive).c_str(),
                    fmt_g(cfg.contractive * jac, 6).c_str());
    if (images)
        std::printf("\n  rounded accuracy (round(x) == round(x_hat)): train %s, %s %s\n", fmt_f(racc_train, 4).c_str(),
                    valid > 0 ? "validation" : "test", fmt_f(racc_test, 4).c_str());
    std::printf("\n  %d-NN accuracy on %s codes: %s   (1-NN, 10 labels per class: %s)\n", knn_k,
                valid > 0 ? "validation" : "test", fmt_f(mm.knn_acc, 4).c_str(), fmt_f(mm.knn10_acc, 4).c_str());
    std::printf("  outputs in %s/: model.aelab curves.csv metrics.json%s%s%s%s%s\n", c.out.c_str(),
                (std::string(plan.on ? " pretrain.csv" : "") + (mc ? " mc_intervals.csv" : "")).c_str(),
                images ? " reconstructions.png" : "", Zte.allFinite() ? " latent.png" : "", extra_files.c_str(), save_path.empty() ? "" : ("; model also in " + save_path).c_str());
    std::fflush(stdout);
    return intr ? kExitInterrupted : div ? kExitDiverged : kExitOk;
}

}  // namespace aelab::cli
