// Escaping for the format a string lands in: the terminal, HTML, XML (JUnit) and Markdown.
// Every string that came from a profile, descriptor or device goes through one of these,
// and none lets a control character (ESC, BEL, CR, a stray newline) through raw.

#include <string>
#include <string_view>

#include "harness/results/reports/reports.h"
#include "harness/inputs/visible_text.h"

namespace plugfest::harness {

std::string escape_html(std::string_view raw) {
  const std::string text = visible_controls(raw, "\n\t");
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// XML 1.0 allows no other control character; escape_html shows them as \xNN.
std::string escape_xml(std::string_view text) { return escape_html(text); }

std::string escape_markdown(std::string_view raw) {
  const std::string text = visible_controls(raw, "\n\r");
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace plugfest::harness
