// native/cli/progress.hpp — progress reporting on stderr and Ctrl-C handling.
//
// What: Progress draws "label [#####.....] step 1200/6000  loss 0.0312  25.1k samples/s
// ETA 0:42" on one self-overwriting line when stderr is a terminal, and plain lines (every
// 10% and at least every 15 s) when it is not (logs, CI). Tables go to stdout, so
// `aelab compare > table.txt` stays clean.
// install_sigint_handler() makes the first Ctrl-C set a flag (training loops stop at the
// next chunk, save a checkpoint and the partial results); a second Ctrl-C exits at once.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace aelab::cli {

void install_sigint_handler();
bool interrupted();
void request_interrupt();  // what SIGINT does (tests/threads)

bool stderr_is_tty();

class Progress {
public:
    // total: steps to reach; start: steps already done (resumed runs); samples_per_step for
    // the rate; quiet: no output at all.
    Progress(std::string label, long total, long start, long samples_per_step, bool quiet = false);
    // done: steps done so far (absolute); extra: text after the rate (e.g. per-model losses).
    void update(long done, double loss, const std::string& extra = "", bool force = false);
    void finish(long done, double loss, const std::string& note = "");
    // Prints a message line without breaking the bar.
    void message(const std::string& text);

private:
    std::string line(long done, double loss, const std::string& extra) const;
    using clock = std::chrono::steady_clock;
    std::string label_;
    long total_, start_, sps_;
    bool quiet_, tty_;
    clock::time_point t0_, last_draw_;
    long last_pct_ = -1;
    long last_done_ = -1;   // step of the last plain line (non-TTY)
    double rate_ = 0;        // smoothed steps/s
    long rate_steps_ = 0;
    clock::time_point rate_t_;
    bool drawn_ = false;
};

}  // namespace aelab::cli
