// userland/demo/demo.hpp — pieces of the root task's demonstration.
#pragma once

#include <stdint.h>
#include <vesta/error.hpp>
#include <vesta/root_info.hpp>
#include <vesta/syscall.hpp>

[[noreturn]] void stop(const char* why, vesta::Error error);
uint64_t make(vesta::ObjectType type, uint64_t size = 0);
// A device interrupt delivered to a notification (per architecture).
void irq_demo(const vesta::RootInfo& info);
