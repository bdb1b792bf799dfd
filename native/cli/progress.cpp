#include "progress.hpp"

#include "io.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace aelab::cli {

namespace {
volatile std::sig_atomic_t g_sigint_count = 0;
std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_sigint_count = g_sigint_count + 1;
    g_interrupted.store(true);
    if (g_sigint_count == 1) {
        const char msg[] = "\n[aelab] interrupted: finishing the current chunk, saving a checkpoint and partial "
                           "results (Ctrl-C again to quit at once)\n";
        ssize_t r = ::write(2, msg, sizeof msg - 1);
        (void)r;
    } else {
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
    }
}
}  // namespace

void install_sigint_handler() {
    struct sigaction sa{};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupted.load(); }
void request_interrupt() { g_interrupted.store(true); }

bool stderr_is_tty() { return ::isatty(2) == 1; }

Progress::Progress(std::string label, long total, long start, long sps, bool quiet)
    : label_(std::move(label)), total_(std::max(1L, total)), start_(start), sps_(sps), quiet_(quiet),
      tty_(stderr_is_tty()), t0_(clock::now()), last_draw_(t0_), rate_t_(t0_) {
    rate_steps_ = start;
}

std::string Progress::line(long done, double loss, const std::string& extra) const {
    const double frac = std::clamp(double(done) / double(total_), 0.0, 1.0);
    std::string s = label_;
    if (tty_) {
        const int W = 24;
        int fill = int(frac * W + 1e-9);
        s += " [" + std::string(size_t(fill), '#') + std::string(size_t(W - fill), '.') + "]";
    }
    s += " step " + std::to_string(done) + "/" + std::to_string(total_) + " (" + fmt_f(100 * frac, 0) + "%)";
    if (std::isfinite(loss)) s += "  loss " + fmt_g(loss, 4);
    double el = std::chrono::duration<double>(clock::now() - t0_).count();
    double r = rate_ > 0 ? rate_ : (el > 0 ? double(done - start_) / el : 0);
    if (r > 0) {
        s += "  " + fmt_rate(r * double(sps_)) + " samples/s";
        s += "  ETA " + fmt_duration(double(total_ - done) / r);
    }
    s += "  elapsed " + fmt_duration(el);
    if (!extra.empty()) s += "  " + extra;
    return s;
}

void Progress::update(long done, double loss, const std::string& extra, bool force) {
    if (quiet_) return;
    auto now = clock::now();
    // Smoothed rate over windows of >= 1 s.
    double dt = std::chrono::duration<double>(now - rate_t_).count();
    if (dt >= 1.0 && done > rate_steps_) {
        double r = double(done - rate_steps_) / dt;
        rate_ = rate_ > 0 ? 0.7 * rate_ + 0.3 * r : r;
        rate_steps_ = done;
        rate_t_ = now;
    }
    double since = std::chrono::duration<double>(now - last_draw_).count();
    if (tty_) {
        if (!force && since < 0.2) return;
        std::string s = line(done, loss, extra);
        std::fprintf(stderr, "\r\033[K%s", s.c_str());
        std::fflush(stderr);
        drawn_ = true;
        last_draw_ = now;
    } else {
        long pct = long(100.0 * double(done) / double(total_)) / 10 * 10;
        if (!force && pct == last_pct_ && since < 15.0) return;
        last_pct_ = pct;
        last_draw_ = now;
        std::fprintf(stderr, "%s\n", line(done, loss, extra).c_str());
        std::fflush(stderr);
        last_done_ = done;
    }
}

void Progress::message(const std::string& text) {
    if (quiet_) return;
    if (tty_ && drawn_) std::fprintf(stderr, "\r\033[K");
    std::fprintf(stderr, "%s\n", text.c_str());
    drawn_ = false;
    std::fflush(stderr);
}

void Progress::finish(long done, double loss, const std::string& note) {
    if (quiet_) return;
    std::string s = line(done, loss, note);
    if (tty_) std::fprintf(stderr, "\r\033[K%s\n", s.c_str());
    else if (done != last_done_ || !note.empty()) std::fprintf(stderr, "%s\n", s.c_str());
    std::fflush(stderr);
}

}  // namespace aelab::cli
