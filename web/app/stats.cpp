// stats.cpp: see stats.hpp.
#include "stats.hpp"

#include <cmath>
#include <cstdio>

namespace aelab::app {

std::string json_string(const std::string& s) {
    std::string o = "\"";
    for (unsigned char c : s) {
        if (c == '"') o += "\\\"";
        else if (c == '\\') o += "\\\\";
        else if (c == '\n') o += "\\n";
        else if (c == '\t') o += "\\t";
        else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else {
            o += static_cast<char>(c);
        }
    }
    return o + "\"";
}

namespace {

std::string num(double v) {
    if (!std::isfinite(v)) return "null";
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}

}  // namespace

std::string stats_json(const Stats& s) {
    std::string o = "{";
    auto key = [&](const char* k) {
        if (o.size() > 1) o += ',';
        o += '"';
        o += k;
        o += "\":";
    };
    auto n = [&](const char* k, double v) { key(k), o += num(v); };
    auto b = [&](const char* k, bool v) { key(k), o += v ? "true" : "false"; };
    auto str = [&](const char* k, const std::string& v) { key(k), o += json_string(v); };
    n("frameTimeMs", s.frame_ms);
    n("fps", s.fps);
    n("stepsPerSec", s.steps_per_sec);
    n("samplesPerSec", s.samples_per_sec);
    n("trainMs", s.train_ms);
    n("cpuMs", s.cpu_ms);
    n("step", static_cast<double>(s.step));
    n("epoch", s.epoch);
    n("trainLoss", s.train_mse);
    n("testLoss", s.test_mse);
    n("pcaLoss", s.pca_mse);
    n("maxAngleDeg", s.max_angle_deg);
    b("playing", s.playing);
    b("ready", s.ready);
    b("diverged", s.diverged);
    n("frames", static_cast<double>(s.frames));
    n("params", static_cast<double>(s.params));
    n("messages", s.messages);
    n("knn10", s.knn10);
    n("pcaKnn10", s.pca_knn10);
    n("tsneIter", s.tsne_iter);
    n("tsneKl", s.tsne_kl);
    n("tsneReads", s.tsne_reads);
    n("tsneSpread", s.tsne_spread);
    n("tsneMs", s.tsne_ms);
    n("kpcaPoints", s.kpca_points);
    n("kpcaGamma", s.kpca_gamma);
    n("kpcaFits", s.kpca_fits);
    n("kpcaMs", s.kpca_ms);
    key("classify");
    o += s.classify_json.empty() ? "null" : s.classify_json;
    str("dataset", s.dataset);
    str("preset", s.preset);
    str("query", s.query);
    str("arch", s.arch);
    str("message", s.message);
    str("profile", s.profile);
    str("shareUrl", s.share_url);
    key("ui");
    o += s.ui_json.empty() ? "null" : s.ui_json;
    n("stepsPerFrame", s.steps_per_frame);
    str("tooltip", s.tooltip);
    n("helpMissing", s.help_missing);
    str("warning", s.warning);
    b("confirmRebuild", s.confirm_rebuild);
    key("controls");
    o += s.controls_json.empty() ? "{}" : s.controls_json;
    str("modelKind", s.model_kind);
    str("phase", s.phase);
    n("pretrainPhase", s.pretrain_phase);
    n("sensJacobian", s.sens_jacobian);
    n("sensRecon", s.sens_recon);
    n("sensCode", s.sens_code);
    b("vae", s.vae);
    b("conv", s.conv);
    n("testRecon", s.test_recon);
    n("testKl", s.test_kl);
    n("beta", s.beta);
    key("mc");
    o += s.mc_json.empty() ? "null" : s.mc_json;
    return o + "}";
}

}  // namespace aelab::app
