#include "emitter.hpp"

namespace idlgen {

std::string emit_roundtrip_test(const Program&) { return ""; }

} // namespace idlgen
