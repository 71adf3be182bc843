// kernel/object/object.hpp — the header every kernel object starts with.
//
// Lifetime model: reference counting. `references` counts every capability
// naming the object plus every kernel-internal pointer that keeps it alive
// (a task's cspace/vspace/fault endpoint/IPC buffer, a mapping's vspace, an
// IRQ handler's notification, and each object's reference on the memory pool
// that paid for it). release() of the last reference destroys the object:
// its type-specific teardown runs, then its bytes go back to `source`, and
// the reference on `source` is dropped in turn. Objects made at boot have no
// source and hold a permanent reference: they are never destroyed.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <vesta/error.hpp>
#include <vesta/syscall.hpp>

namespace vesta {

class Memory;
struct Cpu;

struct Object {
    explicit Object(ObjectType object_type) : type(object_type) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    ObjectType type;
    uint32_t references = 0;
    uint64_t allocation_bytes = 0; // bytes taken from `source` for this object
    Memory* source = nullptr;      // the pool that paid; null for boot objects
};

inline void retain(Object& object) { ++object.references; }

// Drop one reference; at zero, destroy the object (may wake threads, unmap
// pages and recursively release what the object referenced). `cpu` is the
// CPU doing the work (threads woken are made ready there).
void release(Cpu& cpu, Object& object);

// Typed downcast after a type check (no RTTI): T::kType names the type.
template <class T>
T* object_cast(Object* object) {
    return object && object->type == T::kType ? static_cast<T*>(object) : nullptr;
}

} // namespace vesta
