// lib/result.hpp — Result<T>: a value or a vesta::Error, without exceptions.
// Result<T, E> is the same for another error type E: an enumeration whose
// E::None means success (fdt::Error, elf::Error, tar::Error, acpi::Error), or
// a struct whose value-initialised E{} means success and that compares with
// == (platform::DiscoveryFailure, which carries where discovery failed).
// Each error type has one message() in its namespace. This is the one error
// style of the code under kernel/ and bootloader/ (docs/design.md "Errors").
//
// Usage:
//   Result<Page*> allocate();                       // returns a value or an Error
//   Page* page = TRY(allocate());                   // propagates the error
//   Result<void> check() { if (bad) return Error::OutOfRange; return {}; }
//
// Contract: value() and take() may only be called when ok() (VESTA_ASSERT,
// lib/assert.hpp: a broken contract panics instead of reading garbage).
#pragma once

#include <lib/assert.hpp>
#include <lib/new.hpp>
#include <lib/utility.hpp>
#include <vesta/error.hpp>

namespace vesta {

// The "no error" value of an error type (see above).
template <class E>
constexpr E no_error() {
    if constexpr (__is_enum(E))
        return E::None;
    else
        return E{};
}

template <class T, class E = Error>
class [[nodiscard]] Result {
public:
    Result(E error) : error_(error) {}
    Result(const T& value) : error_(no_error<E>()) { new (&value_) T(value); }
    Result(T&& value) : error_(no_error<E>()) { new (&value_) T(move(value)); }
    Result(const Result& other) : error_(other.error_) {
        if (ok()) new (&value_) T(other.value_);
    }
    Result& operator=(const Result& other) {
        if (this == &other) return *this;
        if (ok()) value_.~T();
        error_ = other.error_;
        if (ok()) new (&value_) T(other.value_);
        return *this;
    }
    ~Result() {
        if (ok()) value_.~T();
    }

    bool ok() const { return error_ == no_error<E>(); }
    E error() const { return error_; }
    T& value() {
        VESTA_ASSERT(ok());
        return value_;
    }
    const T& value() const {
        VESTA_ASSERT(ok());
        return value_;
    }
    T take() {
        VESTA_ASSERT(ok());
        return move(value_);
    }

private:
    E error_;
    union {
        T value_;
    };
};

template <class E>
class [[nodiscard]] Result<void, E> {
public:
    Result() : error_(no_error<E>()) {}
    Result(E error) : error_(error) {}
    bool ok() const { return error_ == no_error<E>(); }
    E error() const { return error_; }
    void take() { VESTA_ASSERT(ok()); }

private:
    E error_;
};

} // namespace vesta

// TRY(expr): evaluate a Result; on error return the error from the enclosing
// function (which must return a Result or an Error), else yield the value.
#define TRY(expr)                                                                                                      \
    __extension__({                                                                                                    \
        auto try_result_ = (expr);                                                                                     \
        if (!try_result_.ok()) return try_result_.error();                                                             \
        try_result_.take();                                                                                            \
    })
