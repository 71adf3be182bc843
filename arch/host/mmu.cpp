// Host backend: what its user page tables do not share with the kernels'
// (include/arch/backend/mmu.hpp).
#include <arch/host.hpp>
#include <arch/mmu.hpp>

namespace vesta::arch {

void HostUserPaging::deactivate(uint64_t, SpaceTag&) { ++host_machine.page_tables_deactivated; }

void enable_tlb_tags(bool, uint32_t) {} // host tests run no address space

} // namespace vesta::arch
