// driver_claims.cpp — the table of what running drivers hold
// (lib/driver_plan.hpp, Claims).
#include "driver_plan_internal.hpp"

namespace vesta::driver {

namespace detail {
void copy_text(char* out, size_t size, const char* text) {
    if (!size) return;
    size_t i = 0;
    for (; text && text[i] && i + 1 < size; ++i) out[i] = text[i];
    out[i] = '\0';
}
} // namespace detail

namespace {

// The claim a grant makes, if any.
bool claim_of(const Plan& plan, const Grant& grant, Claim* out) {
    switch (grant.kind) {
    case GrantKind::IoPort:
        out->kind = ClaimKind::Ports;
        out->first = grant.port_first;
        out->end = uint64_t{grant.port_first} + grant.port_count;
        break;
    case GrantKind::Irq:
        out->kind = ClaimKind::Irq;
        out->first = grant.line;
        out->end = uint64_t{grant.line} + 1;
        break;
    case GrantKind::DeviceMemory:
        out->kind = ClaimKind::DeviceMemory;
        out->first = grant.physical;
        out->end = grant.physical + grant.pages * kPageSize;
        break;
    default: return false;
    }
    detail::copy_text(out->driver, sizeof(out->driver), plan.driver);
    detail::copy_text(out->entry, sizeof(out->entry), grant.entry);
    out->location = grant.location;
    return true;
}

} // namespace

Result<void> Claims::add(const Plan& plan, uint32_t owner) {
    size_t needed = plan.has_node ? 1 : 0;
    Claim scratch;
    for (size_t i = 0; i < plan.grant_count; ++i)
        if (claim_of(plan, plan.grants[i], &scratch)) ++needed;
    if (needed > kMaxClaims - count_ || plan.provide_count > kMaxProvided - provided_count_) return Error::OutOfRange;
    for (size_t i = 0; i < plan.grant_count; ++i) {
        Claim claim;
        if (!claim_of(plan, plan.grants[i], &claim)) continue;
        claim.owner = owner;
        claims_[count_++] = claim;
    }
    if (plan.has_node) {
        Claim& claim = claims_[count_++];
        claim = Claim{};
        claim.kind = ClaimKind::Node;
        claim.owner = owner;
        claim.first = plan.node.offset();
        claim.end = claim.first + 1;
        detail::copy_text(claim.driver, sizeof(claim.driver), plan.driver);
        detail::copy_text(claim.entry, sizeof(claim.entry), "devicetree");
        claim.location = plan.node_location;
    }
    for (size_t i = 0; i < plan.provide_count; ++i) {
        Provided& provided = provided_[provided_count_++];
        provided.owner = owner;
        detail::copy_text(provided.name, sizeof(provided.name), plan.provides[i].name);
    }
    return {};
}

void Claims::release(uint32_t owner) {
    size_t kept = 0;
    for (size_t i = 0; i < count_; ++i)
        if (claims_[i].owner != owner) claims_[kept++] = claims_[i];
    count_ = kept;
    kept = 0;
    for (size_t i = 0; i < provided_count_; ++i)
        if (provided_[i].owner != owner) provided_[kept++] = provided_[i];
    provided_count_ = kept;
}

const Claim* Claims::find(ClaimKind kind, uint64_t first, uint64_t end) const {
    for (size_t i = 0; i < count_; ++i) {
        const Claim& claim = claims_[i];
        if (claim.kind == kind && claim.first < end && first < claim.end) return &claim;
    }
    return nullptr;
}

} // namespace vesta::driver
