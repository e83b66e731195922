#pragma once
// Text that came from a device (names, reasons, findings, logs) made safe to show: control
// characters (C0, DEL, C1) and bytes that are not UTF-8 become visible escapes (\n, \r,
// \t, \x1b, \u0085), so an adapter cannot move the cursor, ring the bell, retitle the
// terminal or forge a line of output. The report escapes (reports.h) start from here.

#include <string>
#include <string_view>

namespace plugfest::harness {

// Makes every control character visible except those in `keep`; the rest is unchanged.
std::string visible_controls(std::string_view text, std::string_view keep);

// For one line on a terminal: no control character at all gets through.
std::string escape_terminal(std::string_view text);

}  // namespace plugfest::harness
