// help.hpp: the playground's explanations (control tooltips, panel captions) as data.
//
// What: every text a tooltip or caption shows lives in assets/help/*.txt as `key = text`
// on one line (`#` starts a comment line), embedded by
// aelab_assets. help_text(key) looks one up; ui_help_keys() is the list of keys the UI asks
// for (widgets.hpp's Tip() / PanelCaption() take only these), so a unit test checks that
// every one has a text. parse_help() is the pure parser (strict: a line that is neither
// blank, a comment nor a `key = text` pair, a bad key, an empty text or a repeated key is an
// aelab::Error naming the file and line). The texts are views into the embedded files: no
// copies, little code (the page's download size counts).
// The UI records which key's tooltip is showing (note_hovered / hovered_key) and how many
// lookups missed (missing_lookups): window.aelab.tooltip / helpMissing in the page.
// Why: explanations written for students change more often than code, and one mechanism
// (one file format, one lookup) keeps every control explained the same way.
// Usage:
//     std::string_view t = help_text("opt.lr");        // "" (and a counted miss) if absent
//     for (const char* k : ui_help_keys()) CHECK(!help_text(k).empty());
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aelab::app {

struct HelpEntry {
    std::string_view key, text;
};
// `key = text` lines of one help file, in file order. Throws aelab::Error
// ("<name> line N: ...").
std::vector<HelpEntry> parse_help(std::string_view text, std::string_view name);

// Every help/*.txt asset parsed once (a key repeated across files is an error).
const std::vector<HelpEntry>& help_texts();

// The text for `key`, or "" when there is none (counted in missing_lookups()).
std::string_view help_text(std::string_view key);

// The keys the UI asks for, in the order they appear on the page.
const std::vector<const char*>& ui_help_keys();

// Which key's tooltip is shown this frame (the UI calls note_hovered; the App clears it
// at the start of each frame with note_hovered("")).
void note_hovered(std::string_view key);
const std::string& hovered_key();
// Lookups of keys not in ui_help_keys() or without a text since start.
int missing_lookups();

// Where each explained control was drawn this frame (screen pixels x0, y0, x1, y1; the UI
// calls note_item after drawing it, the App clears the list each frame): published as
// window.aelab.controls so browser tests can point at a control by its help key.
struct ItemRect {
    std::string key;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
void note_item(std::string_view key, float x0, float y0, float x1, float y1);
const std::vector<ItemRect>& noted_items();
void clear_noted_items();
// {"opt.lr":[x0,y0,x1,y1],...} of noted_items() (the last rect of a repeated key).
std::string noted_items_json();

}  // namespace aelab::app
