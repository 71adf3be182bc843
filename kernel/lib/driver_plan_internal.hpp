// driver_plan_internal.hpp — what the planner's files share: refusing with
// a formatted sentence, and the matching step. Not part of the library's
// interface (lib/driver_plan.hpp).
#pragma once

#include <lib/driver_plan.hpp>
#include <lib/format.hpp>

namespace vesta::driver::detail {

// Fills the Diagnostic and returns the refusal, so callers can write
// `return refuse(...)`.
template <class... Args>
Refusal refuse(Diagnostic* diagnostic, Refusal refusal, manifest::Location where, const char* pattern,
               const Args&... args) {
    diagnostic->refusal = refusal;
    diagnostic->location = where;
    BufferSink sink(diagnostic->text, sizeof(diagnostic->text));
    format(sink, pattern, args...);
    return refusal;
}

// Copies a NUL-terminated string into a fixed buffer, cut to fit.
void copy_text(char* out, size_t size, const char* text);

// The matched node of a manifest with [devicetree] (step 1 of plan()).
Result<fdt::Node, Refusal> match_node(const manifest::Manifest& manifest, const Machine& machine, const Claims& claims,
                                      Diagnostic* diagnostic);

} // namespace vesta::driver::detail
