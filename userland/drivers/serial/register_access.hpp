// userland/drivers/serial/register_access.hpp — the two ways a driver
// reaches its UART's registers (serial::Registers): I/O ports through an
// IoPort capability (x86_64), or device memory the driver has mapped.
#pragma once

#include <user/runtime.hpp>

#include "registers.hpp"

namespace vesta::serial {

// Byte registers at `base` + offset through IoPort.In/Out (one invocation
// per access). A refused access reads as 0xff, like an absent port.
class PortRegisters final : public Registers {
public:
    PortRegisters(uint64_t io_port, uint16_t base) : io_port_(io_port), base_(base) {}
    uint32_t read(uint32_t offset) override {
        const user::InvokeResult in = user::invoke(io_port_, IoPortLabel::In, base_ + offset, 1);
        return in.error == Error::None ? static_cast<uint32_t>(in.words[0]) : 0xff;
    }
    void write(uint32_t offset, uint32_t value) override {
        user::invoke(io_port_, IoPortLabel::Out, base_ + offset, 1, value & 0xff);
    }

private:
    uint64_t io_port_;
    uint16_t base_;
};

// 32-bit registers in mapped device memory.
class MmioRegisters final : public Registers {
public:
    explicit MmioRegisters(uintptr_t address) : base_(reinterpret_cast<volatile uint32_t*>(address)) {}
    uint32_t read(uint32_t offset) override { return base_[offset / 4]; }
    void write(uint32_t offset, uint32_t value) override { base_[offset / 4] = value; }

private:
    volatile uint32_t* base_;
};

} // namespace vesta::serial
