// aelab sweep: a grid of aelab runs (the Cartesian product of a GRID file's lists, see
// sweep_grid.hpp) run locally N at a time, or sliced into shards for a Slurm job array or
// GNU parallel; --collect merges the finished runs' metrics into DIR/sweep.csv and a
// markdown table over seeds (sweep_table.hpp).
//
// Each run is a separate process: this binary (/proc/self/exe) exec'd with the run's
// arguments and --out DIR/runs/<name>, its stdout and stderr in DIR/runs/<name>/run.log,
// in its own process group (a terminal's Ctrl-C reaches the sweep only, which forwards one
// SIGINT per run: aelab train then saves a checkpoint and its partial results). A run that
// exits 0 (or 3, diverged: its results are written) gets the completion marker
// DIR/runs/<name>/sweep.done, written atomically after the run's files exist; a rerun skips
// those runs. A run's directory is locked (flock) while it runs, so two sweeps sharing a DIR
// never run the same run twice at once.
#include "commands.hpp"
#include "common.hpp"
#include "sweep_grid.hpp"
#include "sweep_table.hpp"

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace aelab::cli {

namespace {

using namespace sweep;

volatile std::sig_atomic_t g_stop_signals = 0;
extern "C" void on_stop_signal(int) { g_stop_signals = g_stop_signals + 1; }

void install_stop_handlers() {
    struct sigaction sa{};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

std::string text_of_file(const std::string& path) {
    std::vector<std::uint8_t> b = read_file(path);
    return std::string(b.begin(), b.end());
}

std::string self_exe() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) throw Error(std::string("cannot find the aelab binary (/proc/self/exe): ") + std::strerror(errno));
    return std::string(buf, std::size_t(n));
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> v;
    for (auto& a : args) v.push_back(a.data());
    v.push_back(nullptr);
    return v;
}

// `aelab CMD --help`'s stdout, from a child process.
std::string help_text_of(const std::string& exe, const std::string& command) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
    std::vector<std::string> args = {exe, command, "--help"};
    std::vector<char*> av = argv_of(args);
    pid_t pid = ::fork();
    if (pid < 0) throw Error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::dup2(fds[1], 1);
        int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, 2);
        ::execv(exe.c_str(), av.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        out.append(buf, std::size_t(n));
    }
    ::close(fds[0]);
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) throw Error("`" + exe + " " + command + " --help` failed");
    return out;
}

// Checks every run's options with the command's own option parser (names, values present,
// flags without values, nothing twice) before anything runs; errors name the grid line.
class OptionCheck {
public:
    OptionCheck(const std::string& exe, const Grid& g) : grid_(g) {
        const std::string help = help_text_of(exe, g.command);
        for (const auto& h : parse_help_options(help)) names_.push_back(h);
        positionals_ = parse_usage_positionals(help);
        bool has_out = false;
        for (const auto& h : names_) has_out = has_out || h.name == "out";
        if (!has_out) throw Error("'aelab " + g.command + "' has no --out option, so it cannot be swept");
        for (const auto& h : names_) defs_.push_back({h.name.c_str(), h.takes_value ? h.arg.c_str() : nullptr, ""});
    }

    void check_all() const {
        Run r0 = make_run(grid_, 0);
        // base alone (placeholders filled with each key's first value)
        std::vector<std::string> base(r0.args.begin(), r0.args.begin() + 1 + std::ptrdiff_t(grid_.base.size()));
        if (std::string e = error_of(base); !e.empty())
            throw UsageError(grid_.source + ":" + std::to_string(grid_.base_line) + ": base: " + e);
        for (const auto& k : grid_.keys) {
            if (k.placeholder) continue;
            std::vector<std::string> a = base;
            a.push_back("--" + k.name);
            a.push_back(k.values[0]);
            if (std::string e = error_of(a); !e.empty())
                throw UsageError(grid_.source + ":" + std::to_string(k.line) + ": key '" + k.name + "': " + e);
        }
        for (std::size_t i = 0; i < grid_.num_runs(); ++i) {
            Run r = make_run(grid_, i);
            if (std::string e = error_of(r.args); !e.empty())
                throw UsageError(grid_.source + ": run " + r.name + ": " + e);
        }
    }

private:
    std::string error_of(const std::vector<std::string>& args) const {
        // Options::parse takes any next word as a value: "--steps --act relu" would read "--act"
        // as the step count. A value option followed by another option is reported here.
        for (std::size_t i = 1; i + 1 < args.size(); ++i) {
            if (args[i].rfind("--", 0) != 0 || args[i].find('=') != std::string::npos) continue;
            for (const auto& h : names_)
                if (h.takes_value && args[i] == "--" + h.name && args[i + 1].rfind("--", 0) == 0)
                    return "option " + args[i] + " is missing its value (the next word is " + args[i + 1] + ")";
        }
        std::vector<std::string> a = {"aelab", args[0], "--out", "DIR"};  // as launch() passes it
        a.insert(a.end(), args.begin() + 1, args.end());
        std::vector<char*> av = argv_of(a);
        Options o(grid_.command, defs_);
        try {
            o.parse(int(a.size()), av.data(), 2);
        } catch (const UsageError& e) {
            return e.what();
        }
        if (o.help_requested()) return "a value reads as --help / -h";
        const auto& pos = o.positional();
        if (pos.size() > positionals_.size())
            return "unexpected argument '" + pos[positionals_.size()] + "' for 'aelab " + grid_.command +
                   "' (a flag given a value, or an option without its value?)";
        if (pos.size() < positionals_.size())
            return "'aelab " + grid_.command + "' needs the argument " + positionals_[pos.size()] + " in base";
        return {};
    }

    const Grid& grid_;
    std::deque<HelpOption> names_;  // stable addresses for defs_
    std::vector<std::string> positionals_;
    std::vector<OptDef> defs_;
};

struct Plan {
    Grid grid;
    std::string grid_path, out, exe;
    Shard shard;
    std::vector<Run> runs;  // this shard's runs, in grid order
};

std::string run_dir(const Plan& p, const Run& r) { return join_path(join_path(p.out, "runs"), r.name); }

// True when the run's marker exists and was written for the same arguments; a marker of
// other arguments is an error (rerunning would mix two settings in one directory).
bool finished(const Plan& p, const Run& r, int* exit_code = nullptr) {
    const std::string marker = join_path(run_dir(p, r), kMarkerFile);
    if (!file_exists(marker)) return false;
    auto m = parse_marker(text_of_file(marker));
    if (m["args"] != join_args(r.args))
        throw Error(marker + " was written for other arguments:\n  it has:  " + m["args"] + "\n  grid has: " +
                    join_args(r.args) + "\nuse another --out, or remove " + run_dir(p, r) + " to run it again");
    if (exit_code) *exit_code = m.count("exit") ? std::atoi(m["exit"].c_str()) : 0;
    return true;
}

std::string log_tail(const std::string& path, int lines) {
    std::string t;
    try {
        t = text_of_file(path);
    } catch (const Error&) {
        return "";
    }
    std::vector<std::string> ls;
    std::size_t pos = 0;
    while (pos < t.size()) {
        std::size_t nl = t.find('\n', pos);
        if (nl == std::string::npos) nl = t.size();
        std::string l = t.substr(pos, nl - pos);
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (auto cr = l.rfind('\r'); cr != std::string::npos) l = l.substr(cr + 1);  // progress bar redraws
        if (!l.empty()) ls.push_back(l);
        pos = nl + 1;
    }
    std::string out;
    for (std::size_t i = ls.size() > std::size_t(lines) ? ls.size() - std::size_t(lines) : 0; i < ls.size(); ++i)
        out += "      | " + ls[i] + "\n";
    return out;
}

struct Active {
    pid_t pid;
    std::size_t slot;  // index into Plan::runs
    int lock_fd;
    std::chrono::steady_clock::time_point t0;
};

// Starts one run: DIR/runs/<name>/ locked, run.log as stdout+stderr, own process group.
// Returns false (and closes everything) when another process holds the run's lock.
bool launch(const Plan& p, std::size_t slot, Active* a) {
    const Run& r = p.runs[slot];
    const std::string dir = run_dir(p, r);
    make_dirs(dir);
    const std::string lock_path = join_path(dir, "sweep.lock");
    int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0) throw Error("cannot open " + lock_path + ": " + std::strerror(errno));
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd);
        return false;
    }
    bool done = false;
    try {
        done = finished(p, r);  // by another process since the plan was made
    } catch (...) {
        ::close(lock_fd);
        throw;
    }
    if (done) {
        ::close(lock_fd);
        return false;
    }
    const std::string log = join_path(dir, "run.log");
    int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        ::close(lock_fd);
        throw Error("cannot write " + log + ": " + std::strerror(errno));
    }
    std::vector<std::string> args = {p.exe, r.args[0], "--out", dir};
    args.insert(args.end(), r.args.begin() + 1, r.args.end());
    std::vector<char*> av = argv_of(args);
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(log_fd);
        ::close(lock_fd);
        throw Error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {  // child: only async-signal-safe calls until exec
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGINT);  // the sweep died: checkpoint and stop
        if (::getppid() != parent) ::_exit(130);
        struct sigaction dfl{};
        dfl.sa_handler = SIG_DFL;
        ::sigaction(SIGINT, &dfl, nullptr);
        ::sigaction(SIGTERM, &dfl, nullptr);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
        ::execv(av[0], av.data());
        const char msg[] = "aelab sweep: cannot execute the aelab binary\n";
        ssize_t ignored = ::write(2, msg, sizeof msg - 1);
        (void)ignored;
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: no race with a signal forwarded right away
    ::close(log_fd);
    *a = {pid, slot, lock_fd, std::chrono::steady_clock::now()};
    return true;
}

int run_sweep(const Plan& p, int jobs, bool quiet) {
    std::vector<std::size_t> todo;
    std::size_t skipped = 0;
    for (std::size_t i = 0; i < p.runs.size(); ++i) {
        if (finished(p, p.runs[i])) ++skipped;
        else todo.push_back(i);
    }
    const std::size_t n = p.runs.size();
    auto say = [&](const std::string& s) {
        if (!quiet) std::fprintf(stderr, "[sweep] %s\n", s.c_str());
    };
    say(p.grid_path + ": " + std::to_string(p.grid.num_runs()) + " runs, shard " + std::to_string(p.shard.index) +
        "/" + std::to_string(p.shard.count) + ": " + std::to_string(n) + " runs (" + std::to_string(skipped) +
        " finished before), " + std::to_string(todo.size()) + " to run, " + std::to_string(jobs) + " at a time -> " +
        p.out + "/runs/");

    install_stop_handlers();
    std::vector<Active> active;
    struct Failure {
        std::size_t slot;
        int code;
        std::string how;
    };
    std::vector<Failure> failed, stopped_runs;  // stopped: ended by the sweep's Ctrl-C / SIGTERM
    std::vector<std::size_t> busy, diverged;
    std::size_t next = 0, ok = 0;
    int forwarded = 0;
    auto tag = [&](std::size_t slot) {
        return "run " + std::to_string(p.runs[slot].index) + " " + p.runs[slot].name;
    };
    while (true) {
        const int sigs = g_stop_signals;
        if (sigs > forwarded) {
            if (forwarded == 0)
                say("interrupted: no new runs; asking " + std::to_string(active.size()) +
                    " running run(s) to stop (Ctrl-C again to kill them)");
            for (const auto& a : active) ::kill(-a.pid, sigs >= 3 ? SIGKILL : SIGINT);
            forwarded = sigs;
        }
        while (g_stop_signals == 0 && active.size() < std::size_t(jobs) && next < todo.size()) {
            Active a{};
            const std::size_t slot = todo[next++];
            if (launch(p, slot, &a)) {
                active.push_back(a);
                say("start " + tag(slot));
            } else if (!finished(p, p.runs[slot])) {
                busy.push_back(slot);
                say("busy  " + tag(slot) + " (running in another process)");
            } else {
                ++skipped;
            }
        }
        if (active.empty()) break;
        int st = 0;
        pid_t pid = ::waitpid(-1, &st, WNOHANG);
        if (pid == 0 || (pid < 0 && errno == EINTR)) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            ::nanosleep(&ts, nullptr);
            continue;
        }
        if (pid < 0) throw Error(std::string("waitpid: ") + std::strerror(errno));
        std::size_t ai = 0;
        while (ai < active.size() && active[ai].pid != pid) ++ai;
        if (ai == active.size()) continue;  // not one of ours
        const Active a = active[ai];
        active.erase(active.begin() + std::ptrdiff_t(ai));
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - a.t0).count();
        const Run& r = p.runs[a.slot];
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        std::string how = WIFSIGNALED(st) ? "killed by signal " + std::to_string(WTERMSIG(st))
                                          : "exit " + std::to_string(code);
        if (code == kExitOk || code == kExitDiverged) {
            write_text(join_path(run_dir(p, r), kMarkerFile), marker_text(r.args, code, secs, now_iso8601()));
            ++ok;
            if (code == kExitDiverged) diverged.push_back(a.slot);
            say(std::string(code == kExitOk ? "done  " : "done (diverged, results kept) ") + tag(a.slot) + " (" +
                fmt_f(secs, 1) + " s)");
        } else if (g_stop_signals > 0 && (code == kExitInterrupted || WIFSIGNALED(st))) {
            stopped_runs.push_back({a.slot, code, how});
            say("stopped " + tag(a.slot) + " (" + how + ", log " + join_path(run_dir(p, r), "run.log") + ")");
        } else {
            failed.push_back({a.slot, code, how});
            say("FAIL  " + tag(a.slot) + " (" + how + ", log " + join_path(run_dir(p, r), "run.log") + ")");
        }
        ::close(a.lock_fd);
    }

    const bool stopped = g_stop_signals > 0;
    const std::size_t not_started = todo.size() - std::min(todo.size(), next);
    std::printf("aelab sweep: %s shard %zu/%zu: %zu runs: %zu ran ok, %zu finished before, %zu failed%s%s\n",
                p.grid_path.c_str(), p.shard.index, p.shard.count, n, ok, skipped, failed.size(),
                busy.empty() ? "" : (", " + std::to_string(busy.size()) + " busy in another process").c_str(),
                stopped ? (", " + std::to_string(stopped_runs.size()) + " stopped and " + std::to_string(not_started) +
                           " not started (interrupted)").c_str()
                        : "");
    for (std::size_t s : diverged)
        std::printf("  diverged (results kept): %s\n", p.runs[s].name.c_str());
    for (const auto& f : failed) {
        const std::string log = join_path(run_dir(p, p.runs[f.slot]), "run.log");
        std::printf("  FAILED %s: %s, log %s\n%s", p.runs[f.slot].name.c_str(), f.how.c_str(), log.c_str(),
                    log_tail(log, 3).c_str());
    }
    for (const auto& f : stopped_runs)
        std::printf("  stopped %s: %s, log %s\n", p.runs[f.slot].name.c_str(), f.how.c_str(),
                    join_path(run_dir(p, p.runs[f.slot]), "run.log").c_str());
    for (std::size_t s : busy) std::printf("  busy: %s (running in another process)\n", p.runs[s].name.c_str());
    if (stopped) std::printf("  rerun the same command to run the rest (finished runs are skipped)\n");
    std::fflush(stdout);
    if (stopped) return kExitInterrupted;
    return failed.empty() && busy.empty() ? kExitOk : kExitError;
}

int dry_run(const Plan& p) {
    std::printf("aelab sweep: %s: %zu runs (", p.grid_path.c_str(), p.grid.num_runs());
    for (std::size_t i = 0; i < p.grid.keys.size(); ++i)
        std::printf("%s%s %zu", i ? " x " : "", p.grid.keys[i].name.c_str(), p.grid.keys[i].values.size());
    std::printf("); shard %zu/%zu: %zu runs; options checked with 'aelab %s'\n", p.shard.index, p.shard.count,
                p.runs.size(), p.grid.command.c_str());
    for (const auto& r : p.runs) {
        std::string line = p.exe + " " + r.args[0] + " --out " + run_dir(p, r);
        for (std::size_t i = 1; i < r.args.size(); ++i) line += " " + r.args[i];
        std::printf("  %5zu %-8s %s\n", r.index, finished(p, r) ? "finished" : "to run", line.c_str());
    }
    return kExitOk;
}

int collect(const Plan& p, const std::vector<std::string>& metrics) {
    std::vector<RunRow> rows;
    std::vector<std::string> missing, bad;
    const std::vector<Run> all = expand(p.grid);
    for (const auto& r : all) {
        if (!finished(p, r)) {
            missing.push_back(r.name);
            continue;
        }
        RunRow row;
        row.swept = r.values;
        const std::string mj = join_path(run_dir(p, r), "metrics.json");
        if (file_exists(mj)) {
            try {
                row.metrics = read_metrics(text_of_file(mj));
            } catch (const Error& e) {
                bad.push_back(mj + ": " + e.what());
                continue;
            }
        }
        rows.push_back(std::move(row));
    }
    if (rows.empty())
        throw Error("no finished runs under " + join_path(p.out, "runs") + " (" + std::to_string(all.size()) +
                    " in the grid): run the sweep first, with the same --out");
    std::vector<std::string> keys;
    for (const auto& k : p.grid.keys) keys.push_back(k.name);
    const std::string md = sweep_markdown(keys, rows, metrics, all.size());
    write_text(join_path(p.out, "sweep.csv"), sweep_csv(keys, rows));
    write_text(join_path(p.out, "sweep.md"), md);
    std::fputs(md.c_str(), stdout);
    std::printf("\nwritten: %s %s\n", join_path(p.out, "sweep.csv").c_str(), join_path(p.out, "sweep.md").c_str());
    std::fflush(stdout);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < missing.size() && i < 10; ++i) list += "\n  " + missing[i];
        if (missing.size() > 10) list += "\n  ...";
        std::fprintf(stderr, "[sweep] %zu of %zu runs not finished (not in the tables):%s\n", missing.size(),
                     all.size(), list.c_str());
    }
    for (const auto& b : bad) std::fprintf(stderr, "[sweep] unreadable metrics, run left out: %s\n", b.c_str());
    return bad.empty() ? kExitOk : kExitError;
}


}  // namespace

std::vector<OptDef> sweep_options() {
    return {
        {"shard", "I/N", "run only shard I of N (0-based, round robin over the runs; default 0/1)"},
        {"jobs", "N", "runs at once on this machine, each a separate process (default 1)"},
        {"out", "DIR", "sweep directory: runs in DIR/runs/<name>/ (default results/sweep-<grid name>)"},
        {"dry-run", nullptr, "check the grid and every run's options, list the runs and their commands; run nothing"},
        {"collect", nullptr, "merge finished runs' metrics into DIR/sweep.csv and DIR/sweep.md (printed)"},
        {"metrics", "LIST", "with --collect: metric columns of sweep.md, e.g. test_mse,knn_accuracy"},
        {"quiet", nullptr, "no per-run lines on stderr"},
    };
}

int run_sweep(Invocation& in) {
    const Options& o = in.opts;
    const bool do_collect = o.has("collect"), dry = o.has("dry-run");
    if (do_collect && (dry || o.has("shard") || o.has("jobs")))
        throw UsageError("--collect reads every finished run; it takes no --dry-run, --shard or --jobs");
    if (o.has("metrics") && !do_collect) throw UsageError("--metrics goes with --collect");

    Plan p;
    p.grid_path = o.positional()[0];
    std::string text;
    try {
        text = text_of_file(p.grid_path);
    } catch (const Error& e) {
        throw UsageError(std::string("cannot read the grid: ") + e.what());
    }
    try {
        p.grid = parse_grid(text, p.grid_path);
        if (o.has("shard")) p.shard = parse_shard(o.str("shard", ""));
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    const int jobs = int(o.integer("jobs", 1, 1, 256));
    std::string stem = p.grid_path.substr(p.grid_path.rfind('/') == std::string::npos ? 0 : p.grid_path.rfind('/') + 1);
    if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem = stem.substr(0, dot);
    for (char& c : stem)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    p.out = o.str("out", "results/sweep-" + stem);
    p.exe = self_exe();

    std::vector<std::string> metrics;
    if (o.has("metrics")) {
        std::string s = o.str("metrics", ""), item;
        std::size_t i = 0;
        while (i <= s.size()) {
            std::size_t c = s.find(',', i);
            if (c == std::string::npos) c = s.size();
            item = s.substr(i, c - i);
            if (item.empty()) throw UsageError("--metrics: '" + s + "' is not a list like test_mse,knn_accuracy");
            metrics.push_back(item);
            i = c + 1;
        }
    }
    if (do_collect) return collect(p, metrics);

    OptionCheck(p.exe, p.grid).check_all();
    for (std::size_t i : shard_runs(p.grid.num_runs(), p.shard)) p.runs.push_back(make_run(p.grid, i));
    if (dry) return dry_run(p);
    make_dirs(join_path(p.out, "runs"));
    return run_sweep(p, jobs, o.has("quiet"));
}

}  // namespace aelab::cli
