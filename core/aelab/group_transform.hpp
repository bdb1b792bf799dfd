// aelab/group_transform.hpp — the constraint transform behind a parameter group's name.
//
// What: group_transform(model, "layer3.alpha") returns the ParamTransform (param_layers.hpp)
// that layer 3 (1-based, as GraphModel::param_groups() names its groups) applies to its extra
// parameter alpha (or beta), or nullptr for any other group, a malformed name, a layer out of
// range, or a model that is not a layer graph.
// Why: the Monte Carlo search's intervals are over raw parameters; the CLI (train_mc.cpp) and
// the page's MC panel (mc_views.cpp) both show a parametric layer's alpha and beta as the layer
// uses them, T(lo)..T(hi). One reader of the group names keeps the two in step.
// Usage:
//     if (const ParamTransform* t = group_transform(model, iv.group[i])) shown = t->value(iv.best[i]);
#pragma once

#include "aelab/model.hpp"

#include <string>

namespace aelab {

const ParamTransform* group_transform(const Model& model, const std::string& group);

}  // namespace aelab
