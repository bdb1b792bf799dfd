#include "train_pretrain.hpp"

#include "progress.hpp"

#include <cstdio>

namespace aelab::cli {

std::vector<OptDef> pretrain_options() {
    return {
        {"pretrain", "KIND", "layerwise: greedy layer-wise pretraining of a dense model (>= 2 encoder layers): phase p trains "
                             "w_p-w_{p+1}-w_p on the previous encoders' codes (phase 1 on the data, with its output and "
                             "loss; inner phases MSE, output = the mirrored layer's activation if linear/sigmoid, else "
                             "linear), then the stacked weights are fine-tuned end to end; --epochs stays the TOTAL "
                             "budget: fine-tuning gets epochs - phases*N"},
        {"pretrain-epochs", "N", "epochs of each pretraining phase (default 1); the same command without the two --pretrain "
                                 "options trains end to end at the same total budget (compare their test MSE and k-NN)"},
    };
}

PretrainPlan read_pretrain_options(const Options& o, bool graph, bool resume, const AEConfig& cfg, long long epochs) {
    PretrainPlan p;
    if (!o.has("pretrain")) {
        if (o.has("pretrain-epochs")) throw UsageError("--pretrain-epochs needs --pretrain layerwise");
        return p;
    }
    o.choice("pretrain", "layerwise", {"layerwise"});
    if (graph) throw UsageError("--pretrain layerwise stacks dense layers; a layer-graph model (--arch GRAPH, --model) has none");
    if (resume)
        throw UsageError("--pretrain with --resume: the saved model is already past pretraining; resume its fine-tuning "
                         "without --pretrain (--epochs then counts the fine-tuning epochs)");
    if (o.has("steps")) throw UsageError("--pretrain counts the budget in epochs: use --epochs, not --steps");
    p.on = true;
    p.epochs_per_phase = int(o.integer("pretrain-epochs", 1, 1, 100000));
    try {
        p.phases = layerwise_num_phases(cfg);
    } catch (const Error& e) {
        throw UsageError(std::string("--pretrain layerwise: ") + e.what());
    }
    p.finetune_epochs = epochs - (long long)p.phases * p.epochs_per_phase;
    if (p.finetune_epochs < 1)
        throw UsageError("--epochs " + std::to_string(epochs) + " is the total budget: " + std::to_string(p.phases) +
                         " phases x --pretrain-epochs " + std::to_string(p.epochs_per_phase) +
                         " leave no epoch for fine-tuning (give --epochs " +
                         std::to_string(p.phases * p.epochs_per_phase + 1) + " or more)");
    return p;
}

PretrainOutcome run_pretrain(const PretrainPlan& plan, const AEConfig& cfg, const OptimizerConfig& oc,
                             const TrainConfig& tc, const DataPair& d, Model& model, bool quiet) {
    PretrainOutcome r;
    LayerwisePretrainer pre(cfg, oc, d.train.X, d.test.size() > 0 ? &d.test.X : nullptr, tc, plan.epochs_per_phase);
    const long batch = tc.batch_size;
    while (!pre.done() && !pre.diverged() && !interrupted()) {
        const int p = pre.phase();
        const PretrainPhase& ph = pre.phases()[size_t(p)];
        Progress prog("pretrain " + std::to_string(p + 1) + "/" + std::to_string(pre.num_phases()) + " " +
                          std::to_string(ph.in) + "-" + std::to_string(ph.out) + "-" + std::to_string(ph.in),
                      ph.total_steps, 0, batch, quiet);
        double last = std::nan("");
        while (pre.phase() == p && !pre.diverged() && !interrupted()) {
            const long before = pre.phases()[size_t(p)].steps;
            StepResult s = pre.step({50, 0.25});
            r.seconds += s.seconds;
            const PretrainPhase& cur = pre.phases()[size_t(p)];
            if (!cur.history.empty()) last = cur.history.back().train_loss;
            if (cur.steps > before) prog.update(cur.steps, last);
        }
        const PretrainPhase& fin = pre.phases()[size_t(p)];
        prog.finish(fin.steps, fin.done ? fin.final_train_loss : last,
                    interrupted() ? "(interrupted)" : pre.diverged() ? "(diverged)" : "");
    }
    r.phases = pre.phases();
    r.interrupted = !pre.done() && interrupted();
    r.diverged = pre.diverged();
    r.message = pre.divergence_message();
    if (pre.done()) model.params() = pre.unroll().params();
    return r;
}

Json pretrain_json(const PretrainPlan& plan, const PretrainOutcome& r) {
    Json j = Json::object();
    j["method"] = "layerwise";
    j["epochs_per_phase"] = plan.epochs_per_phase;
    j["finetune_epochs"] = plan.finetune_epochs;
    j["seconds"] = r.seconds;
    Json ph = Json::array();
    for (const PretrainPhase& p : r.phases) {
        Json e = Json::object();
        e["phase"] = p.index + 1;
        e["arch"] = p.config.arch_string();
        e["code_act"] = activation_name(p.config.latent_act);
        e["output_act"] = activation_name(p.config.output_act);
        e["loss"] = loss_name(p.config.loss);
        e["steps"] = p.steps;
        e["seconds"] = p.seconds;
        e["final_train_loss"] = p.final_train_loss;
        e["final_test_loss"] = p.final_test_loss;
        ph.push(e);
    }
    j["phases"] = ph;
    return j;
}

std::string pretrain_csv(const PretrainOutcome& r) {
    std::string s = "phase,arch,code_act,output_act,loss,steps,seconds,final_train_loss,final_test_loss\n";
    for (const PretrainPhase& p : r.phases)
        s += std::to_string(p.index + 1) + "," + p.config.arch_string() + "," + activation_name(p.config.latent_act) + "," +
             activation_name(p.config.output_act) + "," + loss_name(p.config.loss) + "," + std::to_string(p.steps) + "," +
             fmt_g(p.seconds, 6) + "," + fmt_g(p.final_train_loss, 8) + "," + fmt_g(p.final_test_loss, 8) + "\n";
    return s;
}

void print_pretrain(const PretrainPlan& plan, const PretrainOutcome& r) {
    std::printf("\n  layer-wise pretraining: %d phases x %d epochs, then %lld fine-tuning epochs\n", plan.phases,
                plan.epochs_per_phase, plan.finetune_epochs);
    std::printf("  %-6s %-16s %-5s %8s %9s %12s %12s\n", "phase", "arch", "loss", "steps", "seconds", "train loss",
                "test loss");
    for (const PretrainPhase& p : r.phases)
        std::printf("  %-6d %-16s %-5s %8ld %9.2f %12.6f %12.6f\n", p.index + 1, p.config.arch_string().c_str(),
                    loss_name(p.config.loss), p.steps, p.seconds, p.final_train_loss,
                    p.final_test_loss);
}

}  // namespace aelab::cli
