#pragma once
// Internal to the management library and the simulator's server: conversion from
// libyang data nodes (schema or opaque) to XmlNode.

#include <libyang/libyang.h>

#include <vector>

#include "interfaces/management/xml_node.h"

namespace plugfest::management {

XmlNode xml_from_libyang(const lyd_node* node);
// The node and its following siblings.
std::vector<XmlNode> xml_from_libyang_siblings(const lyd_node* first);

}  // namespace plugfest::management
