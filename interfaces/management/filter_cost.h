#pragma once
// FilterCost: an upper estimate, before evaluation, of how many data nodes an XPath 1.0
// expression (or the XPaths of a subtree filter) can visit on a tree of a given shape, so
// a server can refuse a request whose cost would hold it up instead of evaluating it.
// Reading is bounded: malformed, oversized or too deeply nested expressions are an Error
// naming the character offset, never a crash or an unbounded recursion.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "interfaces/common/result.h"

namespace plugfest::management {

// What the estimate needs to know of the data: how many nodes it has, the most children
// any one node has, and how many siblings may share one name (the longest list of that
// name: by_name, by local name; max_instances for every name when by_name is empty).
struct TreeShape {
  double nodes = 1;
  double max_children = 1;
  double max_instances = 1;
  std::map<std::string, double, std::less<>> by_name;

  double instances_of(std::string_view local_name) const;
};

constexpr std::size_t kMaxXpathLength = 16 * 1024;
constexpr int kMaxXpathNesting = 32;  // predicates, groups and function arguments

// Node visits an evaluation of `xpath` may take at most. A conservative bound: a child step
// looks at every child of each context node and keeps the longest list of its name (all of
// them for '*'); descendant, ancestor, following and preceding axes may visit the whole
// tree; a predicate is evaluated once per node it filters; a comparison of two node-sets
// compares every pair.
Result<double> xpath_cost(std::string_view xpath, const TreeShape& shape);

// The sum of xpath_cost over the XPaths a request evaluates, plus for each XPath the size
// of the tree (what it selects may be all of it, copied into the answer).
Result<double> xpaths_cost(const std::vector<std::string>& xpaths, const TreeShape& shape);

}  // namespace plugfest::management
