// vesta/ipc/status.hpp — the outcome of a protocol call: success, an ABI
// error (vesta::Error) or a typed protocol error, and Result<T> over it.
//
// Reply-label encoding (docs/idl.md, "Errors"):
//   0                          success
//   1 .. 2^32-1                an ABI error: the vesta::Error value
//   2^32 | code (code < 2^32)  a protocol error: code is the FNV-1a hash of
//                              the error's qualified name (e.g. "io::busy")
//   anything else              malformed; clients report Error::Malformed
#pragma once

#include <stdint.h>
#include <vesta/error.hpp>

namespace vesta::ipc {

inline constexpr uint64_t kProtocolErrorFlag = uint64_t{1} << 32;

// A protocol error declared in an .ipc file (`error busy;`). Generated code
// defines one constant per declared error.
struct ProtocolError {
    uint32_t code;
    friend constexpr bool operator==(ProtocolError, ProtocolError) = default;
};

// Success, an ABI error or a protocol error; carried in a reply's label.
class Status {
public:
    constexpr Status() = default;
    constexpr Status(Error error) : label_(static_cast<uint64_t>(error)) {}
    constexpr Status(ProtocolError error) : label_(kProtocolErrorFlag | error.code) {}

    // The status a reply label denotes; a label outside the encoding becomes
    // Error::Malformed.
    static constexpr Status from_label(uint64_t label) {
        Status status;
        status.label_ = label < (kProtocolErrorFlag << 1) ? label : static_cast<uint64_t>(Error::Malformed);
        return status;
    }

    constexpr uint64_t label() const { return label_; }
    constexpr bool ok() const { return label_ == 0; }
    constexpr bool is_protocol_error() const { return (label_ & kProtocolErrorFlag) != 0; }
    // The ABI error; Error::None for success and for protocol errors.
    constexpr Error abi_error() const { return is_protocol_error() ? Error::None : static_cast<Error>(label_); }
    // The protocol error. Contract: is_protocol_error().
    constexpr ProtocolError protocol_error() const { return ProtocolError{static_cast<uint32_t>(label_)}; }

    friend constexpr bool operator==(Status, Status) = default;

private:
    uint64_t label_ = 0;
};

// A value of type T or a failure Status. T must be default-constructible
// (generated protocol code only uses scalars and plain reply structs).
// Works with TRY() from lib/result.hpp inside functions returning a Result.
template <class T>
class [[nodiscard]] Result {
public:
    constexpr Result(const T& value) : value_(value) {}
    // Contract: !status.ok() (a success Status yields a value-initialised T).
    constexpr Result(Status status) : status_(status) {}
    constexpr Result(Error error) : status_(error) {}
    constexpr Result(ProtocolError error) : status_(error) {}

    constexpr bool ok() const { return status_.ok(); }
    constexpr Status error() const { return status_; }
    constexpr T& value() { return value_; }
    constexpr const T& value() const { return value_; }
    constexpr T take() { return value_; }

private:
    Status status_;
    T value_{};
};

template <>
class [[nodiscard]] Result<void> {
public:
    constexpr Result() = default;
    constexpr Result(Status status) : status_(status) {}
    constexpr Result(Error error) : status_(error) {}
    constexpr Result(ProtocolError error) : status_(error) {}

    constexpr bool ok() const { return status_.ok(); }
    constexpr Status error() const { return status_; }
    constexpr void take() {}

private:
    Status status_;
};

} // namespace vesta::ipc
