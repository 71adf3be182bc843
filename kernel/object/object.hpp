// kernel/object/object.hpp — the header every kernel object starts with.
//
// Lifetime model (docs/capabilities.md, "Object lifetime"):
//   - Capabilities own objects; nothing else does. An object lives while at
//     least one capability names it; `capabilities` lists every one of them.
//     Kernel-internal pointers (a task's cspace, vspace, fault endpoint and IPC
//     buffer; a mapping's vspace; an IRQ handler's notification; a reply's
//     caller or receiver) are bindings: they never keep an object alive, the
//     bound object lists its binders, and its death clears every binding.
//   - A memory pool owns what it paid for: every object is on its pool's
//     `objects` list, and a pool that dies takes every object it paid for with
//     it, whatever capabilities still name them. This is what reclaims
//     capability cycles (a cspace holding a capability to itself).
//   - An object that dies is marked dying (no capability lookup finds it any
//     more) and queued on the kernel's teardown queue, which is drained in
//     steps of bounded work (object/teardown.hpp): no recursion, whatever the
//     object graph.
//   - Boot objects (boot pools, IRQ and I/O-port control, console, system)
//     are permanent.
#pragma once

#include <lib/intrusive_list.hpp>
#include <stddef.h>
#include <stdint.h>
#include <vesta/error.hpp>
#include <vesta/syscall.hpp>

namespace vesta {

class Memory;
struct Capability;
struct Cpu;

struct Object {
    static constexpr uint8_t kPermanent = 1;
    static constexpr uint8_t kDying = 2;

    explicit Object(ObjectType object_type) : type(object_type) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    ObjectType type;
    uint8_t flags = 0;
    uint32_t capability_count = 0;      // length of `capabilities`
    Capability* capabilities = nullptr; // head of the capabilities naming it (Capability::object_link)
    // While alive: in source->objects (objects with a source). While dying:
    // in Kernel::teardown.
    ListLink<Object> link;
    Memory* source = nullptr;      // the pool that paid; null for boot objects
    uint64_t allocation_bytes = 0; // bytes taken from `source` for this object

    bool dying() const { return flags & kDying; }
    bool permanent() const { return flags & kPermanent; }
};

// Typed downcast after a type check (no RTTI): T::kType names the type.
template <class T>
T* object_cast(Object* object) {
    return object && object->type == T::kType ? static_cast<T*>(object) : nullptr;
}

} // namespace vesta
