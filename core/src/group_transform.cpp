// group_transform.cpp: see aelab/group_transform.hpp.
#include "aelab/group_transform.hpp"

#include "aelab/graph.hpp"

#include <cstdlib>

namespace aelab {

const ParamTransform* group_transform(const Model& model, const std::string& group) {
    const Graph<float>* g = model.graph();
    const std::size_t dot = group.find('.');
    if (!g || group.rfind("layer", 0) != 0 || dot == std::string::npos || dot <= 5) return nullptr;
    const std::string what = group.substr(dot + 1);
    if (what != "alpha" && what != "beta") return nullptr;
    const std::string num = group.substr(5, dot - 5);
    if (num.size() > 6 || num.find_first_not_of("0123456789") != std::string::npos) return nullptr;
    const int i = std::atoi(num.c_str()) - 1;
    if (i < 0 || i >= g->num_layers()) return nullptr;
    const LayerSpec& sp = g->layer(i).spec();
    return what == "alpha" ? &sp.alpha_tf : &sp.beta_tf;
}

}  // namespace aelab
