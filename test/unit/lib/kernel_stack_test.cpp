// Tests of lib/kernel_stack: guard-page bounds and the painted high-water mark.
#include <catch2/catch_test_macros.hpp>
#include <lib/kernel_stack.hpp>
#include <vector>

using namespace vesta;

TEST_CASE("the guard page is the page just below the stack", "[kernel-stack]") {
    const KernelStack stack{0x20000, 0x30000};
    CHECK(stack.size() == 0x10000);
    CHECK(stack.contains(0x20000));
    CHECK(stack.contains(0x2fff8));
    CHECK_FALSE(stack.contains(0x30000));
    CHECK(stack.guard_contains(0x1f000));
    CHECK(stack.guard_contains(0x1fff8));
    CHECK_FALSE(stack.guard_contains(0x1efff));
    CHECK_FALSE(stack.guard_contains(0x20000));
    const KernelStack at_zero{0x0, 0x1000}; // no page below address 0
    CHECK_FALSE(at_zero.guard_contains(0xfffffffffffff000));
}

TEST_CASE("an overflow is the stack pointer in the guard page, or a fault there from the bottom page",
          "[kernel-stack]") {
    const KernelStack stack{0x20000, 0x30000};
    CHECK(stack.overflowed(0x1fff8, 0x1fff8));       // a push into the guard page
    CHECK(stack.overflowed(0x12345, 0x1f800));       // the CPU's own push faulted (double fault)
    CHECK(stack.overflowed(0x1ffc0, 0x20010));       // a store below SP, SP still in the bottom page
    CHECK_FALSE(stack.overflowed(0x1fff8, 0x2f000)); // a stray pointer into the guard page
    CHECK_FALSE(stack.overflowed(0x30000, 0x2fff0)); // past the top: not an overflow
    CHECK_FALSE(stack.overflowed(0x1000, 0x28000));
}

TEST_CASE("the high-water mark is the deepest word that lost the paint", "[kernel-stack]") {
    std::vector<uint64_t> words(512, kStackPaint);
    const KernelStack stack{reinterpret_cast<uint64_t>(words.data()),
                            reinterpret_cast<uint64_t>(words.data() + words.size())};
    CHECK(painted_stack_used(stack) == 0);
    words[511] = 0; // the top word
    CHECK(painted_stack_used(stack) == 8);
    words[300] = 42; // a deep word; the ones above it that still hold the paint do not matter
    CHECK(painted_stack_used(stack) == (512 - 300) * 8);
    words[0] = 0;
    CHECK(painted_stack_used(stack) == 512 * 8);
}
