// commands.cpp: see commands.hpp. The table below is the one list of the CLI's commands.
#include "commands.hpp"

#include "recipe_cli.hpp"

#include <cstdio>

namespace aelab::cli {

const std::vector<Command>& command_table() {
    // name, summary, usage, description, data options?, generated data sets?, --recipe?,
    // own options, positional min / max,
    // the error for a missing positional argument, run function
    static const std::vector<Command> table = {
        {"pca",
         "PCA at several k: explained variance, train/test MSE, fit time; eigen-digit PNGs",
         "aelab pca [--k 2,5,10,30,50,128] [--variance 0.95] [--solver NAME] [options]",
         "Fit PCA on the training images for each k; report the cumulative explained variance\n"
             "ratio, train and test reconstruction MSE (mean over all pixels, comparable with the\n"
             "autoencoders' MSE) and the fit time. Writes pca.csv, spectrum.csv, metrics.json,\n"
             "eigendigits.png and reconstructions.png to --out (every figure also as .svg).",
         true, false, false, pca_options, 0, 0, "", run_pca},
        {"train",
         "train one autoencoder (progress bar, curves CSV, metrics JSON, PNGs, model file)",
         "aelab train [options]",
         "Train one autoencoder on the full training set; report train/test MSE and k-NN accuracy\n"
             "on the codes. Writes model.aelab, curves.csv (step, epoch, train_loss, train_mse,\n"
             "test_loss, test_mse), curves.png (loss against step), metrics.json, reconstructions.png\n"
             "and latent.png to --out (every figure also as .svg).\n"
             "Ctrl-C saves a checkpoint and the partial results; rerun with --resume FILE to continue.\n"
             "A model file holds the whole training state (RNG, shuffle order, optimizer, loss history),\n"
             "so a resumed run ends bitwise equal to an uninterrupted one with the same data and options.\n"
             "Every file is written crash-safely (temporary file, fsync, rename): a crash leaves the old\n"
             "or the new file, whole. --out and --save are checked to be writable before any work.\n"
             "--recipe KEY takes the settings of a recipe (the course's examples, the page's presets;\n"
             "`aelab recipes` lists them): data set, architecture, activations, loss, noise, sparsity,\n"
             "optimizer, learning rate, batch, seed, epochs and validation split. Any option given\n"
             "explicitly overrides the recipe's, e.g. `aelab train --recipe course-stacked-selu --epochs 2`.\n"
             "--data also takes the generated sets gauss2d, curved3d, swissroll and geron3d (Géron's 60\n"
             "points); on image data the summary reports Géron's rounded accuracy (round(x) == round(x_hat)).\n"
             "\n"
             "Layer graphs (conv AE, VAE, conv VAE): --arch also takes the graph grammar of\n"
             "core/aelab/graph.hpp (a first token starting with a letter): tokens separated by ',' and one\n"
             "'|' that ends the encoder:  c<F>k<K>[s<S>][same|valid][-act] conv,  t<F>k<K>[s<S>][same|valid]\n"
             "[o<P>][-act] transposed conv,  p<K>[s<S>] max-pool,  u<N> upsample,  d<N>[-act] dense,\n"
             "g<K> Gaussian code (a VAE; the encoder's last layer),  r<C>x<H>x<W> reshape,  flatten,  or an activation alone.\n"
             "  aelab train --arch 'r1x28x28,c16k3same-selu,p2,c32k3same-selu,p2,c64k3same-selu,p2|\n"
             "    t32k3s2valid-selu,t16k3s2same-selu,t1k3s2same-sigmoid,flatten' --loss bce   (the course's)\n"
             "  aelab train --model vae --arch 784-500-500-2 --act elu      (d500-elu,d500-elu,g2|d500-elu,\n"
             "    d500-elu,d784-sigmoid: the mirrored dense VAE)\n"
             "KernelML's parametric dense layers (N units, A = W x + b; alpha, beta learnable scalars per layer):\n"
             "  kp<N>[-softplus|-sigmoid][[TF]]  power form  y = s(alpha A)^beta  (s positive, default softplus; beta > 0)\n"
             "  km<N>[-act][[TF]]                mean-coupled y = act(A - beta alpha mean_j(A_j) / 2)\n"
             "  TF = alpha=T,beta=T with T: none | softplus | exp | sig(lo,hi) (lo + (hi-lo) sigmoid(u)): the\n"
             "  optimizer moves the raw u, the layer uses T(u); both start at 1. Defaults: kp beta=softplus,\n"
             "  all others none. The summary and metrics.json (final.extra_params) give the trained values, e.g.\n"
             "  aelab train --data breast-cancer --arch 'kp16-softplus[alpha=exp],km4[beta=sig(0,4)]|d16-elu,d30'\n"
             "Loss reduction: an AE's recon is the mean over every value (Keras' and PyTorch's default);\n"
             "a VAE's is summed over each image's values, so its loss is the negative ELBO in nats per\n"
             "image (recon + beta * KL; --beta B, default 1). --loss bce is a Bernoulli decoder (the\n"
             "default for a VAE), mse a Gaussian one of fixed variance 1/2 (VAE evaluation adds its\n"
             "constant (d/2) log(pi)). For a VAE the summary, metrics.json (\"final\": test_elbo_mean,\n"
             "test_elbo, test_recon, test_kl, and with --iwae K: iwae, iwae_k, iwae_seconds) and the\n"
             "table report the ELBO with the mean code, with one sampled code per image (seeded by --seed),\n"
             "recon and KL apart, all in nats per image; --iwae K adds the IWAE bound log p(x) >= ... with\n"
             "K importance samples per test image (timed). It also writes prior_samples.png (decoded\n"
             "z ~ N(0, I)) and latent_traversal.png (k = 2: the decoded grid over [-3, 3]^2; k > 2: each\n"
             "of the first dimensions swept from -3 to 3). --snapshots 10000,30000,50000 writes\n"
             "snapshots.png: reconstructions of two test images per class at those steps (any model).\n"
             "Dense-only options (--tied, --weight-decay, --sparsity*, --noise*, --latent-act, --out-act,\n"
             "--contractive) are refused for graphs; a bad architecture string exits 2 with the parser's message.\n"
             "Contractive AE (Rifai et al. 2011): --contractive LAMBDA adds LAMBDA * mean_x ||J_f(x)||_F^2,\n"
             "the squared Frobenius norm of the encoder's Jacobian (code w.r.t. input), to the mean\n"
             "reconstruction loss (train_loss in curves.csv includes it). Exact: closed form for a one-layer\n"
             "encoder (cost ~ one extra pass over W), through the k x d Jacobian for deeper ones (~k times\n"
             "an encoder pass per sample: 784-256-32 trains ~7x slower). LAMBDA >= 0 and finite.\n"
             "Every dense run reports the mean ||J_f||_F^2 on the first 2000 test images (summary and\n"
             "metrics.json final.test_jacobian_sqnorm, test_contractive_penalty), e.g.\n"
             "  aelab train --arch 784-256-32 --act sigmoid --latent-act sigmoid --contractive 0.1 --epochs 2\n"
             "Monte Carlo search (--opt mc, gradient-free; --lr = initial scale): each step draws --mc-pop\n"
             "candidates, each moving one parameter group (a layer's W or b; --mc-groups all: every parameter)\n"
             "by --mc-dist draws with the group's own scale (x1.22 when the candidate is no worse, x0.951\n"
             "otherwise: a 1/5th-success rule); the best is accepted if no worse, else with probability\n"
             "exp(-(L_new - L)/T), T = --mc-temp * --mc-anneal^(t-1). --mc-bounds LO,HI reflects candidates\n"
             "into the box. The run prints weak confidence intervals ([min, max] of each tracked parameter\n"
             "over the archived samples with loss <= best + TOL*|best|; an envelope, not a confidence level;\n"
             "tracked: all parameters when <= 256, else the first 256 of layer1.W) and writes them to\n"
             "metrics.json \"mc\" and mc_intervals.csv, e.g.\n"
             "  aelab train --data breast-cancer --arch 30-4-30 --opt mc --lr 0.05 --mc-pop 8 --epochs 20\n"
             "Recipes: course-conv-ae, vae-paper-k2, vae-paper-k5, conv-vae.",
         true, true, true, train_options, 0, 0, "", run_train},
        {"compare",
         "the headline experiment: PCA-k vs linear, sigmoid, ReLU, ELU autoencoders at the same k",
         "aelab compare [--data mnist|fashion] [--k 5] [--steps N | --schedule paper] [options]",
         "PCA-k against autoencoders of code size k, all trained on the full training set and\n"
             "evaluated on the full test set. The autoencoders are 784-H1-H2-k-H2-H1-784 (default\n"
             "784-500-500-5), MSE loss, linear output, Adam, batch 100; the linear AE has the same\n"
             "shape with every activation linear. Table: test MSE, the largest principal angle\n"
             "between the linear AE's decoder subspace and the PCA subspace, k-NN accuracy on the\n"
             "codes. Writes results.csv, curves.csv, metrics.json, reconstructions.png (one row per\n"
             "model), latent-<model>.png, curves.png (test MSE against step, PCA dashed) and\n"
             "models/<model>.aelab to --out (every figure also as .svg).",
         true, false, false, compare_options, 0, 0, "", run_compare},
        {"eval",
         "metrics of a saved model (.aelab) on the test set; reconstructions PNG",
         "aelab eval MODEL.aelab [--data mnist|fashion] [options]",
         "Evaluate a saved model: train/test MSE and loss, k-NN accuracy on the codes (all\n"
             "training labels, and 1-NN with 10 labels per class). The data set defaults to the one\n"
             "the model was trained on. Writes metrics.json, reconstructions.png, latent.png (and .svg twins).",
         true, false, false, eval_options, 1, 1, "which model? usage: aelab eval MODEL.aelab [options]", run_eval},
        {"encode",
         "codes of a saved model to CSV; latent scatter PNG",
         "aelab encode MODEL.aelab [--split test|train|all] [--codes FILE.csv] [options]",
         "Encode images with a saved model. codes.csv has one row per image: split, index (in\n"
             "its split), label, z1..zk. Also writes latent.png (the codes coloured by label; the\n"
             "first two principal directions of the code when k > 2), and latent.svg.",
         true, false, false, encode_options, 1, 1, "which model? usage: aelab encode MODEL.aelab [options]", run_encode},
        {"embed",
         "2-D embedding of images or codes: PCA, kernel PCA or Barnes-Hut t-SNE; CSV, scatter,\n"
             "5-NN accuracy of the embedding",
         "aelab embed [--method pca|kpca|tsne] [--of pixels|codes --model M.aelab] [--split test|train|all] [options]",
         "Embed the images of a split (default test; --limit-test / --limit-train cut it), or their\n"
             "codes under a saved model's encoder (--of codes --model M.aelab), by PCA, kernel PCA\n"
             "(scikit-learn's KernelPCA: rbf / poly / sigmoid / cosine / linear, exact with a partial\n"
             "Lanczos eigensolver, or --nystrom M landmarks) or Barnes-Hut t-SNE (scikit-learn 1.2's\n"
             "defaults: perplexity 30, early exaggeration 12 for 250 iterations, learning rate auto,\n"
             "PCA init; the input first reduced to --pca-dims 50 principal components).\n"
             "Writes embedding.csv (index, label, c1, c2, ...), embedding.png / .svg (the first two\n"
             "coordinates coloured by label; --thumbnails N draws up to N images spaced so they do not\n"
             "overlap) and metrics.json (settings, time, t-SNE's KL divergence, and the leave-one-out\n"
             "k-NN accuracy of the embedding: how well the classes separate). The KL divergence uses\n"
             "the exact normaliser up to 20,000 points and the Barnes-Hut estimate above.",
         true, false, false, embed_options, 0, 0, "", run_embed},
        {"classify",
         "logistic regression on raw features, PCA codes or a model's codes: accuracy, ROC AUC",
         "aelab classify [--data breast-cancer|wine|FILE.csv|mnist] [--on raw,pca:2,codes --model M.aelab] [options]",
         "Fit an L2 logistic regression (scikit-learn's LogisticRegression(solver=\"lbfgs\", C=1)\n"
             "objective: loss summed over samples, penalty ||W||^2 / (2C), intercept not penalised;\n"
             "two classes as one sigmoid, more as a softmax; L-BFGS in double to max |gradient| <= --tol)\n"
             "on each feature set of --on, on the training split; report train and test accuracy, test\n"
             "ROC AUC (two classes: the exact rank statistic, ties counted 1/2; more: the one-vs-rest\n"
             "macro average) and the fit time. raw = the data as loaded (scaled), pca:K = the first K\n"
             "principal components fitted on the training split, codes = the encoder of --model (its\n"
             "input size must be the data's). --data breast-cancer (569 x 30) and wine (178 x 13) are\n"
             "scikit-learn's tables (scripts/setup copies them to data/tabular/), standardized on the\n"
             "training split, test fraction 0.25, split seed 1 (stratified). Writes classify.csv,\n"
             "split.csv (the sample indices of each split, 0-based rows of the table) and metrics.json\n"
             "(with the coefficients) to --out. --recipe course-breast-cancer is the course's example\n"
             "(standardize, PCA to 2 components, logistic regression, accuracy before and after): a CLI\n"
             "recipe (assets/cli-recipes/), since the page has no tabular data.",
         true, false, false, classify_options, 0, 0, "", run_classify},
        {"sweep",
         "a grid of runs from a GRID file, N at a time or sharded (--shard I/N) for Slurm\n"
             "job arrays / GNU parallel; --collect merges their metrics into CSV + markdown",
         "aelab sweep GRID [--shard I/N] [--jobs N] [--out DIR] [--dry-run] [--collect]",
         "Run a grid of aelab runs: every combination of the values in GRID, each run a separate process\n"
             "writing into DIR/runs/<name>/ (its --out; run.log holds its stdout and stderr).\n"
             "\n"
             "GRID is a text file of `key = value` lines (# starts a comment):\n"
             "    command = train                 # required: train, pca, compare, eval or encode\n"
             "    base = --data mnist --epochs 2 --limit-train 5000 --arch 784-128-{k}\n"
             "    k = 2, 5, 10, 30                # swept keys: comma-separated values\n"
             "    act = linear, relu, elu\n"
             "    seed = 1, 2, 3\n"
             "base holds the options of every run. A key written as {key} in base is substituted there;\n"
             "any other key is passed as `--key VALUE` (act -> --act relu). Runs are the Cartesian\n"
             "product in file order, the last key varying fastest; run names are the values\n"
             "(k=5,act=relu,seed=2). At most 10,000 runs. Before anything runs, every run's options are\n"
             "checked with the command's own option parser; a bad line is reported with its number.\n"
             "\n"
             "--shard I/N runs every N-th run starting at run I (0-based, round robin: 0 <= I < N), so N\n"
             "processes (a Slurm job array, GNU parallel, several machines on a shared disk) each run\n"
             "their slice with the same --out. Finished runs (marker DIR/runs/<name>/sweep.done, written\n"
             "after the run's results) are skipped on a rerun; exit 3 (diverged, results written) counts\n"
             "as finished. A failed run is listed at the end with its exit code and log, and the sweep\n"
             "exits 1. Ctrl-C (or SIGTERM) starts no new run and asks the running ones to stop (aelab\n"
             "train saves a checkpoint); a second Ctrl-C kills them. Exit 130 when interrupted.\n"
             "\n"
             "--collect merges the finished runs' metrics.json (the \"final\" numbers of train / eval, or\n"
             "every number outside config/data) into DIR/sweep.csv (one row per run: swept values, status,\n"
             "metrics) and DIR/sweep.md (grouped over every key except `seed`: count of seeds, mean ± sample\n"
             "standard deviation; columns: --metrics, or every metric that differs between runs), printed.\n"
             "With --jobs N > 1, consider OPENBLAS_NUM_THREADS=1 so that the runs do not fight for cores.\n"
             "\n"
             "examples:\n"
             "  aelab sweep grid.txt --dry-run\n"
             "  aelab sweep grid.txt --jobs 2 --out results/sweep1\n"
             "  aelab sweep grid.txt --shard $SLURM_ARRAY_TASK_ID/8 --out results/sweep1   # #SBATCH --array=0-7\n"
             "  parallel aelab sweep grid.txt --shard {}/4 --out results/sweep1 ::: 0 1 2 3\n"
             "  aelab sweep grid.txt --collect --out results/sweep1",
         false, false, false, sweep_options, 1, 1, "missing the GRID file (aelab sweep GRID ...)", run_sweep},
        {"recipes",
         "the recipes (the course's examples and the page's presets), one per line: key, title;\n"
             "`aelab train --recipe KEY [options]` trains one (explicit options override it)",
         "aelab recipes [--cli]",
         "List the recipes (assets/recipes/*.txt), one per line: the key, then the title.\n"
             "The page opens one with ?preset=KEY; `aelab train --recipe KEY [options]` trains it on\n"
             "the full data set (options given explicitly override the recipe's).\n"
             "--cli lists the CLI-only recipes instead (assets/cli-recipes/*.txt: tabular data, the\n"
             "Monte Carlo search): key, title, and the command they are for, e.g.\n"
             "  aelab train --recipe kernelml-breast-cancer\n"
             "  aelab classify --recipe course-breast-cancer",
         false, false, false, recipes_options, 0, 0, "", run_recipes},
    };
    return table;
}

const Command* find_command(const std::string& name) {
    for (const Command& c : command_table())
        if (name == c.name) return &c;
    return nullptr;
}

std::string command_names() {
    std::string s;
    for (const Command& c : command_table()) s += std::string(s.empty() ? "" : ", ") + c.name;
    return s;
}

int run_command(const Command& cmd, int argc_in, char** argv_in) {
    // --recipe KEY becomes the recipe's options before parsing (recipe_cli.hpp).
    std::vector<std::string> expanded =
        cmd.recipe ? expand_recipe(argc_in, argv_in, 2) : std::vector<std::string>(argv_in, argv_in + argc_in);
    ArgList al(expanded);
    const int argc = al.argc();
    char** argv = al.argv();
    std::vector<OptDef> defs = cmd.data_options ? data_options() : std::vector<OptDef>{};
    const std::vector<OptDef> own = cmd.options();
    defs.insert(defs.end(), own.begin(), own.end());
    Options o(cmd.name, defs);
    o.parse(argc, argv, 2);
    if (print_help_if_asked(o, cmd.usage, cmd.description)) return kExitOk;
    const std::vector<std::string>& args = o.positional();
    if (int(args.size()) < cmd.min_args) throw UsageError(cmd.missing_arg);
    if (int(args.size()) > cmd.max_args) throw UsageError("unexpected argument '" + args[size_t(cmd.max_args)] + "'");
    Common common;
    if (cmd.data_options)
        common = read_common(o, cmd.name, cmd.generated_data ? generated_data_sets() : std::vector<std::string>{});
    Invocation in{o, args, common, argc, argv};
    return cmd.run(in);
}

std::string overview() {
    std::string s =
        "aelab — autoencoder laboratory, command-line runner for full-size MNIST experiments\n"
        "\n"
        "usage: aelab COMMAND [options]\n"
        "\n"
        "commands:\n";
    auto row = [&s](const std::string& name, const std::string& summary) {
        std::string line = "  " + name + std::string(name.size() < 10 ? 10 - name.size() : 1, ' ');
        for (char ch : summary) line += ch == '\n' ? std::string("\n            ") : std::string(1, ch);
        s += line + "\n";
    };
    for (const Command& c : command_table()) row(c.name, c.summary);
    row("help", "this text, or `aelab help COMMAND` for a command's options");
    s += "\n"
         "Data: scripts/setup fetches MNIST into data/mnist/ and Fashion-MNIST into data/fashion/.\n"
         "Results go to --out DIR (default results/<command>-<date>-<time>/); tables to stdout,\n"
         "progress to stderr; every figure is written as PNG and as SVG. Ctrl-C during training\n"
         "saves a checkpoint and the partial results.\n"
         "Exit codes: 0 ok, 1 error, 2 bad usage, 3 training diverged, 130 interrupted.\n"
         "\n"
         "examples:\n"
         "  aelab compare --data mnist --k 5\n"
         "  aelab pca --k 2,5,10,30,50,128 --variance 0.95\n"
         "  aelab train --arch 784-500-500-2 --act elu --epochs 10 --save m.aelab\n"
         "  aelab train --resume m.aelab --epochs 20\n"
         "  aelab recipes && aelab train --recipe course-stacked-selu\n"
         "  aelab eval m.aelab && aelab encode m.aelab --split test\n"
         "  aelab embed --method tsne --of codes --model m.aelab --thumbnails 60\n"
         "  aelab classify --data breast-cancer --on raw,pca:2\n"
         "  aelab sweep grid.txt --jobs 2 --out results/sweep1 && aelab sweep grid.txt --collect --out results/sweep1\n";
    return s;
}

}  // namespace aelab::cli
