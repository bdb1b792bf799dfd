// native/cli/commands.hpp — the CLI's command table and the prologue every command shares.
//
// What: command_table() lists every `aelab` command once: name, one-line summary, usage,
// description, whether it takes the common data options (data_options(): --data,
// --data-dir, --limit-train, --limit-test, --out, --quiet), whether --data also takes the
// generated sets and whether --recipe is expanded (train), its own options, how many
// positional arguments it takes, and its run function. run_command() is the prologue written
// once: build the option list, parse, answer --help, check the positional arguments, read
// the common options; then it calls the command's run function with an Invocation.
// main.cpp dispatches through the table, and `aelab help` / `aelab help COMMAND` are built
// from it.
// Why: the five commands repeated the same parse/help/positional/common-options lines, and
// the list of commands was spelled out in four places in main.cpp.
// Usage (adding a command is one row in commands.cpp's table):
//     {"recipes", "list the recipes, one per line: key, then title", "aelab recipes",
//      "Lists ...", false, false, false, recipes_options, 0, 0, "", run_recipes},
// and a common option is one line in data_options() plus one in read_common() (common.cpp).
#pragma once

#include "common.hpp"

#include <string>
#include <vector>

namespace aelab::cli {

// What a command's run function receives, after the prologue.
struct Invocation {
    const Options& opts;                   // parsed; --help already answered
    const std::vector<std::string>& args;  // positional arguments, count checked
    Common common;                         // the data options (commands with data_options)
    int argc;                              // the whole command line, for metadata
    char** argv;
};

struct Command {
    const char* name;
    const char* summary;      // one line in `aelab help` (a continuation line starts with '\n')
    const char* usage;        // "aelab pca [--k 2,5,10] [options]"
    const char* description;  // the paragraph of `aelab help NAME`
    bool data_options;        // takes data_options() (before its own options)
    bool generated_data;      // --data also takes the generated sets (recipe_cli.hpp)
    bool recipe;              // --recipe KEY is expanded into the recipe's options first
    std::vector<OptDef> (*options)();  // its own options
    int min_args, max_args;   // positional arguments
    const char* missing_arg;  // the error when fewer than min_args are given
    int (*run)(Invocation&);
};

// Every command, in `aelab help` order.
const std::vector<Command>& command_table();
// The command called `name`, or nullptr.
const Command* find_command(const std::string& name);
// "pca, train, ..." (for error messages).
std::string command_names();
// The prologue (parse argv[2..], --help, positional count, common options), then cmd.run.
int run_command(const Command& cmd, int argc, char** argv);
// `aelab help`'s text, its command list built from the table.
std::string overview();

// The commands' own options and run functions (cmd_*.cpp).
std::vector<OptDef> pca_options();
std::vector<OptDef> train_options();
std::vector<OptDef> compare_options();
std::vector<OptDef> eval_options();
std::vector<OptDef> encode_options();
std::vector<OptDef> sweep_options();
std::vector<OptDef> embed_options();
int run_pca(Invocation& in);
int run_train(Invocation& in);
int run_compare(Invocation& in);
int run_eval(Invocation& in);
int run_encode(Invocation& in);
int run_sweep(Invocation& in);
int run_embed(Invocation& in);  // cmd_embed.cpp
std::vector<OptDef> classify_options();  // cmd_classify.cpp
int run_classify(Invocation& in);
std::vector<OptDef> recipes_options();  // recipe_cli.cpp
int run_recipes(Invocation& in);

}  // namespace aelab::cli
