// chrome.hpp: what frames the panels: the status line with its toast and message history
// (panel_messages.cpp), and the toolbar, tab strip, panel headers with their PNG button and
// the "every panel is hidden" notice (app_chrome.cpp).
//
// What: each function draws one window at a rectangle that compute_layout() (layout.hpp)
// chose, and records in a ClipReport every label that did not fit its room.
// Why: messages used to sit at the bottom of the scrolling control column, below the fold
// (issue 9): the status line is always inside the visible canvas, at every size and in
// lecture mode, with a severity colour; the newest messages also show as a toast that is
// wide enough to read; older ones are in the history. app.cpp keeps the frame sequence only.
// Usage (app.cpp):
//     const MessageView mv = ShowStatusLine(cx, messages_state, layout.status, clips);
//     if (PanelHeader(long_title, short_title, width, clips, "title:loss")) export_png(kPanelLoss);
#pragma once

#include "layout.hpp"
#include "panels.hpp"

#include <string>

namespace aelab::app {

struct MessagesState {
    bool history_open = false;
    double dismissed_until = -1;  // the toast skips messages said at or before this time
};

// Seconds a message stays in the toast.
constexpr double kToastSeconds = 12;

// "info", "warning" or "error".
const char* message_severity(const Message& m);

// The status line at `r` (the newest message elided to one line, coloured by severity, and
// a History button), the toast above it (the messages of the last kToastSeconds, wrapped,
// each with a severity swatch and a close button) and the history window when open.
// Returns where the newest message is drawn (the toast, else the status line).
MessageView ShowStatusLine(PanelContext& cx, MessagesState& st, const Rect& r, ClipReport& clips);

// A panel's header row: the long title when it fits beside the PNG button, else the short
// one (recorded in clips as `what` when even that does not fit). True when PNG was clicked.
bool PanelHeader(const char* long_title, const char* short_title, ClipReport& clips, const std::string& what);

// The toolbar of a window without a docked control column: a Controls button (returns
// true when clicked: the caller opens the drawer or brings the column back), Play / Pause,
// Step, Reset, and the training state when there is room.
bool ShowToolbar(PanelContext& cx, const Rect& r, const char* controls_label, ClipReport& clips);

// The tab strip: one button per tab box; returns the panel clicked (0 = none).
unsigned ShowTabStrip(const Layout& l, const Rect& strip, const char* (*label)(Panel), ClipReport& clips);

// Shown in the panel area when every panel is hidden: says so, with a button that shows
// them all again (clears Settings::hide except the control column, and Settings::panel).
void ShowAllHiddenNotice(PanelContext& cx, const Rect& r);

// Begins a window that tiles the screen at r: fixed, never brought to the front, no
// background quad (the frame's clear paints it). `extra`: more ImGuiWindowFlags.
bool BeginTiled(const char* name, const Rect& r, int extra);

}  // namespace aelab::app
