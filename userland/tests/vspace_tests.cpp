// userland/tests/vspace_tests.cpp — map/unmap/protect, W^X, overlapping maps
// refused, device memory, access after unmap faults.
#include "suite.hpp"

namespace suite {

namespace {

constexpr uint64_t kSpare = 0x0000'3000'0000'0000; // runtime's ranges start at 0x5000...
constexpr uint8_t R = rights::kRead, W = rights::kWrite, X = rights::kExecute;

Error map(uint64_t page, uint64_t address, uint8_t permissions, uint64_t vspace = runtime.vspace) {
    return invoke(vspace, VirtualSpaceLabel::Map, page, address, permissions).error;
}

void write_to(uint64_t address) {
    *reinterpret_cast<volatile uint64_t*>(address) = 1;
    thread_exit();
}
void read_from(uint64_t address) {
    (void)*reinterpret_cast<volatile uint64_t*>(address);
    thread_exit();
}
void jump_to(uint64_t address) {
    reinterpret_cast<void (*)()>(address)();
    thread_exit();
}

bool map_read_write() {
    const uint64_t page = make(ObjectType::Page, 2);
    EXPECT_OK(map(page, kSpare, R | W));
    auto* p = reinterpret_cast<volatile uint64_t*>(kSpare);
    p[0] = 0x1122;
    p[1023] = 0x3344;
    EXPECT(p[0] == 0x1122 && p[1023] == 0x3344);
    return true;
}

bool shared_frame_two_mappings() {
    const uint64_t page = make(ObjectType::Page, 1);
    uint64_t copy = 0;
    EXPECT_OK(copy_cap(page, rights::kAll, 0, &copy));
    EXPECT_OK(map(page, kSpare, R | W));
    EXPECT_OK(map(copy, kSpare + 0x10000, R));
    *reinterpret_cast<volatile uint64_t*>(kSpare) = 0xabc;
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kSpare + 0x10000) == 0xabc);
    return true;
}

bool write_and_execute_refused() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(map(page, kSpare, R | W | X), Error::InvalidArgument);
    EXPECT_ERROR(map(page, kSpare, W | X), Error::InvalidArgument);
    return true;
}

bool permissions_must_be_readable() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(map(page, kSpare, 0), Error::InvalidArgument);
    EXPECT_ERROR(map(page, kSpare, W), Error::InvalidArgument);
    EXPECT_ERROR(map(page, kSpare, X), Error::InvalidArgument);
    EXPECT_ERROR(map(page, kSpare, R | rights::kGrant), Error::InvalidArgument);
    return true;
}

bool map_beyond_capability_rights() {
    const uint64_t page = make(ObjectType::Page, 1);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(page, R, 0, &read_only));
    EXPECT_ERROR(map(read_only, kSpare, R | W), Error::MissingRights);
    EXPECT_ERROR(map(read_only, kSpare, R | X), Error::MissingRights);
    EXPECT_OK(map(read_only, kSpare, R));
    return true;
}

bool misaligned_address() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(map(page, kSpare + 8, R), Error::Misaligned);
    EXPECT_ERROR(map(page, kSpare + 0x800, R), Error::Misaligned);
    return true;
}

bool beyond_user_space() {
    const uint64_t page = make(ObjectType::Page, 2);
    EXPECT_ERROR(map(page, 0x0000'8000'0000'0000, R), Error::OutOfRange);
    EXPECT_ERROR(map(page, 0xffff'8000'0000'0000, R), Error::OutOfRange);
    EXPECT_ERROR(map(page, 0x0000'7fff'ffff'f000, R), Error::OutOfRange); // the top page is never mappable
    EXPECT_ERROR(map(page, 0xffff'ffff'ffff'f000, R), Error::OutOfRange); // wraps
    return true;
}

bool overlapping_map_refused() {
    const uint64_t a = make(ObjectType::Page, 4), b = make(ObjectType::Page, 1), c = make(ObjectType::Page, 2);
    EXPECT_OK(map(a, kSpare, R | W));
    EXPECT_ERROR(map(b, kSpare + 3 * kPageSize, R), Error::Busy);
    EXPECT_ERROR(map(c, kSpare - kPageSize, R), Error::Busy); // straddles the start
    EXPECT_OK(map(b, kSpare + 4 * kPageSize, R));
    return true;
}

bool same_capability_maps_once() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R));
    EXPECT_ERROR(map(page, kSpare + 0x10000, R), Error::Busy);
    return true;
}

bool unmap_then_access_faults() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    *reinterpret_cast<volatile uint64_t*>(kSpare) = 5;
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error);
    const FaultReport f = run_expecting_fault(read_from, kSpare);
    EXPECT(f.faulted);
    EXPECT(f.kind == FaultKind::PageFault);
    EXPECT(f.address == kSpare);
    return true;
}

bool delete_unmaps() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    EXPECT_OK(delete_cap(page));
    const FaultReport f = run_expecting_fault(write_to, kSpare + 16);
    EXPECT(f.faulted && f.kind == FaultKind::PageFault && f.address == kSpare + 16);
    return true;
}

bool remap_after_unmap() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    *reinterpret_cast<volatile uint64_t*>(kSpare) = 0x77;
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error);
    EXPECT_OK(map(page, kSpare + 0x20000, R));
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kSpare + 0x20000) == 0x77);
    return true;
}

bool unmap_not_mapped() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error, Error::InvalidArgument);
    // Mapped elsewhere: not through this vspace.
    const uint64_t other = make(ObjectType::VirtualSpace);
    EXPECT_OK(map(page, kSpare, R, other));
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Unmap, page).error, Error::InvalidArgument);
    return true;
}

bool protect_read_only_faults_on_write() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    *reinterpret_cast<volatile uint64_t*>(kSpare) = 9;
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Protect, page, R).error);
    EXPECT(*reinterpret_cast<volatile uint64_t*>(kSpare) == 9);
    const FaultReport f = run_expecting_fault(write_to, kSpare);
    EXPECT(f.faulted && f.kind == FaultKind::PageFault);
    EXPECT(f.detail & 2);
    return true;
}

bool protect_checks() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Protect, page, R).error, Error::InvalidArgument);
    EXPECT_OK(map(page, kSpare, R));
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Protect, page, R | W | X).error, Error::InvalidArgument);
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(page, R, 0, &read_only));
    EXPECT_OK(map(read_only, kSpare + 0x10000, R));
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Protect, read_only, R | W).error, Error::MissingRights);
    return true;
}

bool execute_data_faults() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    const FaultReport f = run_expecting_fault(jump_to, kSpare);
    EXPECT(f.faulted && f.kind == FaultKind::PageFault);
    EXPECT(f.address == kSpare);
    EXPECT(f.detail & 4);
    return true;
}

bool write_then_execute_after_protect() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
#if defined(__x86_64__)
    *reinterpret_cast<volatile uint8_t*>(kSpare) = 0xc3; // ret
#else
    *reinterpret_cast<volatile uint32_t*>(kSpare) = 0xd65f03c0; // ret
#endif
    EXPECT_OK(invoke(runtime.vspace, VirtualSpaceLabel::Protect, page, R | X).error);
#if defined(__aarch64__)
    asm volatile("dsb ish\n\tisb" ::: "memory");
#endif
    reinterpret_cast<void (*)()>(kSpare)();
    const FaultReport f = run_expecting_fault(write_to, kSpare);
    EXPECT(f.faulted && f.kind == FaultKind::PageFault);
    return true;
}

bool query() {
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, kSpare, R | W));
    const InvokeResult info = invoke(page, FrameLabel::Info);
    EXPECT_OK(info.error);
    EXPECT(info.words[1] == 1);
    EXPECT(info.words[2] == kSpare);
    const InvokeResult q = invoke(runtime.vspace, VirtualSpaceLabel::Query, kSpare + 0x10);
    EXPECT_OK(q.error);
    EXPECT((q.words[0] & ~(kPageSize - 1)) == info.words[0]);
    EXPECT(q.words[1] == (R | W));
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Query, kSpare + 0x100000).error, Error::NotFound);
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Query, 0xffff'8000'0000'0000).error, Error::OutOfRange);
    return true;
}

bool map_wrong_type() {
    const uint64_t endpoint = make(ObjectType::Endpoint);
    EXPECT_ERROR(map(endpoint, kSpare, R), Error::WrongType);
    const uint64_t page = make(ObjectType::Page, 1);
    // A Call on an endpoint is IPC; on a notification, an invocation with no operations.
    const uint64_t notification = make(ObjectType::Notification);
    EXPECT_ERROR(map(page, kSpare, R, notification), Error::NotSupported);
    return true;
}

bool map_into_other_vspace() {
    const uint64_t vspace = make(ObjectType::VirtualSpace);
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_OK(map(page, 0x1000, R | W, vspace));
    EXPECT_ERROR(invoke(runtime.vspace, VirtualSpaceLabel::Query, 0x1000).error, Error::NotFound);
    EXPECT_OK(invoke(vspace, VirtualSpaceLabel::Query, 0x1000).error);
    return true;
}

bool big_page_run() {
    const uint64_t page = make(ObjectType::Page, 256);
    EXPECT(page != kNoSlot);
    EXPECT_OK(map(page, kSpare + 0x20'0000 - 0x10000, R | W)); // crosses a 2 MiB boundary
    auto* p = reinterpret_cast<volatile uint64_t*>(kSpare + 0x20'0000 - 0x10000);
    for (size_t i = 0; i < 256; ++i) p[i * 512] = i;
    for (size_t i = 0; i < 256; ++i) EXPECT(p[i * 512] == i);
    return true;
}

bool device_memory() {
    uint64_t type = 0;
    if (cap_info(slot::kDevice, &type) != Error::None || type != uint64_t(ObjectType::DeviceMemory))
        return fail("no device memory handed to the runner", __LINE__);
    EXPECT_ERROR(map(slot::kDevice, kSpare, R | X), Error::InvalidArgument);
    EXPECT_OK(map(slot::kDevice, kSpare, R | W));
#if defined(__aarch64__)
    // PL031 peripheral id register 0: 0x31.
    EXPECT((*reinterpret_cast<volatile uint32_t*>(kSpare + 0xfe0) & 0xff) == 0x31);
#endif
    const InvokeResult info = invoke(slot::kDevice, FrameLabel::Info);
    EXPECT_OK(info.error);
    EXPECT(info.words[2] == kSpare);
    EXPECT_ERROR(invoke(slot::kDevice, FrameLabel::Split, 0, 2, kAnySlot, runtime.memory).error, Error::OutOfRange);
    EXPECT_ERROR(invoke(make(ObjectType::Page, 1), FrameLabel::Split, 0, 1, kAnySlot, runtime.memory).error,
                 Error::NotSupported);
    return true;
}

bool vspace_rights() {
    uint64_t read_only = 0;
    EXPECT_OK(copy_cap(runtime.vspace, R, 0, &read_only));
    const uint64_t page = make(ObjectType::Page, 1);
    EXPECT_ERROR(map(page, kSpare, R, read_only), Error::MissingRights);
    EXPECT_ERROR(invoke(read_only, VirtualSpaceLabel::Query, kSpare + 0x800000).error, Error::NotFound);
    return true;
}

} // namespace

extern const Test kVspaceTests[] = {
    {"vspace.map_read_write", map_read_write},
    {"vspace.shared_frame_two_mappings", shared_frame_two_mappings},
    {"vspace.write_and_execute_refused", write_and_execute_refused},
    {"vspace.permissions_must_be_readable", permissions_must_be_readable},
    {"vspace.map_beyond_capability_rights", map_beyond_capability_rights},
    {"vspace.misaligned_address", misaligned_address},
    {"vspace.beyond_user_space", beyond_user_space},
    {"vspace.overlapping_map_refused", overlapping_map_refused},
    {"vspace.same_capability_maps_once", same_capability_maps_once},
    {"vspace.unmap_then_access_faults", unmap_then_access_faults},
    {"vspace.delete_unmaps", delete_unmaps},
    {"vspace.remap_after_unmap", remap_after_unmap},
    {"vspace.unmap_not_mapped", unmap_not_mapped},
    {"vspace.protect_read_only_faults_on_write", protect_read_only_faults_on_write},
    {"vspace.protect_checks", protect_checks},
    {"vspace.execute_data_faults", execute_data_faults},
    {"vspace.write_then_execute_after_protect", write_then_execute_after_protect},
    {"vspace.query", query},
    {"vspace.map_wrong_type", map_wrong_type},
    {"vspace.map_into_other_vspace", map_into_other_vspace},
    {"vspace.big_page_run", big_page_run},
    {"vspace.device_memory", device_memory},
    {"vspace.rights", vspace_rights},
};
extern const size_t kVspaceTestCount = sizeof(kVspaceTests) / sizeof(kVspaceTests[0]);

} // namespace suite
