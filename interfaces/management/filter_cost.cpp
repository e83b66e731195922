#include "interfaces/management/filter_cost.h"

#include <algorithm>
#include <cctype>

namespace plugfest::management {
namespace {

enum class Tok {
  kName,       // NCName or QName, also operator names and node types
  kStar,       // '*' (name test or multiplication)
  kSlash,      // '/'
  kSlash2,     // '//'
  kDot,        // '.'
  kDot2,       // '..'
  kAt,         // '@'
  kAxisSep,    // '::'
  kOpen,       // '('
  kClose,      // ')'
  kPredOpen,   // '['
  kPredClose,  // ']'
  kCompare,    // = != < <= > >=
  kOperator,   // + - | ,
  kOperand,    // literal, number, $variable
  kEnd,
};

struct Token {
  Tok kind;
  std::string_view text;
  std::size_t offset;
};

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

std::string_view local_name(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

Error at(std::size_t offset, const std::string& what) {
  return Error{"XPath: " + what, "offset " + std::to_string(offset)};
}

Result<std::vector<Token>> tokenize(std::string_view x) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto push = [&](Tok kind, std::size_t length) {
    out.push_back({kind, x.substr(i, length), i});
    i += length;
  };
  while (i < x.size()) {
    const char c = x[i];
    const char next = i + 1 < x.size() ? x[i + 1] : '\0';
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'' || c == '"') {
      const auto close = x.find(c, i + 1);
      if (close == std::string_view::npos) return at(i, "unterminated literal");
      push(Tok::kOperand, close + 1 - i);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && std::isdigit(static_cast<unsigned char>(next)))) {
      std::size_t end = i;
      while (end < x.size() && (std::isdigit(static_cast<unsigned char>(x[end])) || x[end] == '.'))
        ++end;
      push(Tok::kOperand, end - i);
    } else if (c == '$') {
      std::size_t end = i + 1;
      while (end < x.size() && (name_char(x[end]) || x[end] == ':')) ++end;
      push(Tok::kOperand, end - i);
    } else if (name_start(c)) {
      std::size_t end = i;
      while (end < x.size() && name_char(x[end])) ++end;
      // A prefix: "module:name" or "module:*", but not the axis separator "::".
      if (end + 1 < x.size() && x[end] == ':' && x[end + 1] != ':') {
        if (x[end + 1] == '*') {
          end += 2;
        } else if (name_start(x[end + 1])) {
          end += 1;
          while (end < x.size() && name_char(x[end])) ++end;
        }
      }
      push(Tok::kName, end - i);
    } else if (c == '/' && next == '/') {
      push(Tok::kSlash2, 2);
    } else if (c == '/') {
      push(Tok::kSlash, 1);
    } else if (c == '.' && next == '.') {
      push(Tok::kDot2, 2);
    } else if (c == '.') {
      push(Tok::kDot, 1);
    } else if (c == ':' && next == ':') {
      push(Tok::kAxisSep, 2);
    } else if (c == '!' && next == '=') {
      push(Tok::kCompare, 2);
    } else if ((c == '<' || c == '>') && next == '=') {
      push(Tok::kCompare, 2);
    } else if (c == '=' || c == '<' || c == '>') {
      push(Tok::kCompare, 1);
    } else if (c == '+' || c == '-' || c == '|' || c == ',') {
      push(Tok::kOperator, 1);
    } else if (c == '*') {
      push(Tok::kStar, 1);
    } else if (c == '@') {
      push(Tok::kAt, 1);
    } else if (c == '(') {
      push(Tok::kOpen, 1);
    } else if (c == ')') {
      push(Tok::kClose, 1);
    } else if (c == '[') {
      push(Tok::kPredOpen, 1);
    } else if (c == ']') {
      push(Tok::kPredClose, 1);
    } else {
      return at(i, "unexpected character '" + std::string(1, c) + "'");
    }
  }
  out.push_back({Tok::kEnd, {}, x.size()});
  return out;
}

bool is_node_type(std::string_view name) {
  return name == "node" || name == "text" || name == "comment" || name == "processing-instruction";
}

bool is_operator_name(std::string_view name) {
  return name == "and" || name == "or" || name == "div" || name == "mod";
}

// Estimates one expression up to `closing` (kPredClose, kClose or kEnd).
class Estimator {
 public:
  Estimator(const std::vector<Token>& tokens, const TreeShape& shape)
      : tokens_(tokens),
        shape_(shape),
        n_(std::max(1.0, shape.nodes)),
        b_(std::max(1.0, shape.max_children)) {}

  struct Value {
    double cost = 0;
    double card = 1;  // how many nodes the last operand may hold
  };

  Result<Value> expression(Tok closing, int depth) {
    if (depth > kMaxXpathNesting) {
      return at(tokens_[pos_].offset,
                "nested deeper than " + std::to_string(kMaxXpathNesting) + " levels");
    }
    Value total;
    bool in_path = false;
    bool expect_operand = true;  // else an operator is expected ('*' multiplies)
    double card = 1;
    double pending_compare = 0;  // card of a comparison's left side
    double axis_factor = 0;      // set by an axis for the next node test (work and nodes)
    auto end_operand = [&] {
      if (pending_compare > 0) total.cost = saturate(total.cost + pending_compare * card);
      pending_compare = 0;
      total.card = card;
      in_path = false;
    };
    // A step that looks at `work` nodes per context node and keeps `kept` of them.
    auto step = [&](double work, double kept) {
      if (!in_path) {
        in_path = true;
        card = 1;
      }
      if (axis_factor > 0) work = kept = axis_factor;
      axis_factor = 0;
      total.cost = saturate(total.cost + card * work);
      card = std::min(n_, card * std::max(1.0, kept));
      expect_operand = false;
    };
    while (true) {
      const Token& token = tokens_[pos_];
      if (token.kind == closing) {
        ++pos_;
        if (in_path) end_operand();
        return total;
      }
      switch (token.kind) {
        case Tok::kEnd:
        case Tok::kClose:
        case Tok::kPredClose:
          return at(token.offset, token.kind == Tok::kEnd
                                      ? "unbalanced brackets"
                                      : "unexpected '" + std::string(token.text) + "'");
        case Tok::kSlash:
        case Tok::kSlash2:
          if (!in_path) {
            in_path = true;
            card = 1;  // the root
          }
          ++pos_;
          if (token.kind == Tok::kSlash2) step(n_, n_);  // descendant-or-self::node()
          expect_operand = true;                         // a node test may follow
          break;
        case Tok::kName: {
          ++pos_;
          const Token& after = tokens_[pos_];
          if (!expect_operand && is_operator_name(token.text)) {
            if (in_path) end_operand();
            expect_operand = true;
            break;
          }
          if (after.kind == Tok::kAxisSep) {
            ++pos_;
            axis_factor = axis_cost(token.text);
            expect_operand = true;
            break;
          }
          if (after.kind == Tok::kOpen && !is_node_type(token.text)) {
            ++pos_;
            auto arguments = expression(Tok::kClose, depth + 1);
            if (!arguments) return arguments.error();
            if (!in_path) card = 1;
            total.cost = saturate(total.cost + card * arguments->cost);
            in_path = true;
            expect_operand = false;
            break;
          }
          if (after.kind == Tok::kOpen) {  // node(), text(): a node test
            pos_ += 1;
            if (tokens_[pos_].kind != Tok::kClose) return at(tokens_[pos_].offset, "expected ')'");
            ++pos_;
            step(b_, b_);
            break;
          }
          step(b_, std::min(b_, shape_.instances_of(local_name(token.text))));
          break;
        }
        case Tok::kStar:
          ++pos_;
          if (expect_operand) {
            step(b_, b_);
          } else {
            if (in_path) end_operand();
            expect_operand = true;
          }
          break;
        case Tok::kDot:
        case Tok::kDot2:
          ++pos_;
          step(1, 1);
          break;
        case Tok::kAt:
          ++pos_;
          axis_factor = 1;
          expect_operand = true;
          break;
        case Tok::kAxisSep:
          return at(token.offset, "'::' without an axis name");
        case Tok::kPredOpen: {
          ++pos_;
          auto predicate = expression(Tok::kPredClose, depth + 1);
          if (!predicate) return predicate.error();
          total.cost = saturate(total.cost + card * predicate->cost);
          in_path = true;
          expect_operand = false;
          break;
        }
        case Tok::kOpen: {
          ++pos_;
          auto group = expression(Tok::kClose, depth + 1);
          if (!group) return group.error();
          total.cost = saturate(total.cost + group->cost);
          in_path = true;
          card = group->card;
          expect_operand = false;
          break;
        }
        case Tok::kCompare:
          ++pos_;
          if (in_path) end_operand();
          pending_compare = total.card;
          expect_operand = true;
          break;
        case Tok::kOperator:
          ++pos_;
          if (in_path) end_operand();
          expect_operand = true;
          break;
        case Tok::kOperand:
          ++pos_;
          if (in_path) end_operand();
          in_path = true;
          card = 1;
          expect_operand = false;
          break;
      }
    }
  }

 private:
  static double saturate(double value) { return std::min(value, 1e300); }

  double axis_cost(std::string_view axis) const {
    if (axis == "child") return b_;  // the node test may be '*'
    if (axis == "self" || axis == "parent" || axis == "attribute") return 1;
    return n_;  // descendant, ancestor, following, preceding, their -or-self and -sibling forms
  }

  const std::vector<Token>& tokens_;
  const TreeShape& shape_;
  std::size_t pos_ = 0;
  double n_;
  double b_;
};

}  // namespace

double TreeShape::instances_of(std::string_view name) const {
  if (by_name.empty()) return max_instances;
  auto found = by_name.find(local_name(name));
  // A name the tree does not have selects nothing; 1 keeps the estimate an upper bound.
  return found == by_name.end() ? 1 : found->second;
}

Result<double> xpath_cost(std::string_view xpath, const TreeShape& shape) {
  if (xpath.size() > kMaxXpathLength) {
    return Error{"XPath: longer than " + std::to_string(kMaxXpathLength) + " characters",
                 "offset " + std::to_string(kMaxXpathLength)};
  }
  auto tokens = tokenize(xpath);
  if (!tokens) return tokens.error();
  Estimator estimator(*tokens, shape);
  auto value = estimator.expression(Tok::kEnd, 0);
  if (!value) return value.error();
  return value->cost;
}

Result<double> xpaths_cost(const std::vector<std::string>& xpaths, const TreeShape& shape) {
  double total = 0;
  for (const auto& xpath : xpaths) {
    auto cost = xpath_cost(xpath, shape);
    if (!cost) return cost.error();
    total = std::min(1e300, total + *cost + std::max(1.0, shape.nodes));
  }
  return total;
}

}  // namespace plugfest::management
