// vesta/startup.hpp — the start-up block: what a process receives from
// whoever starts it (docs/process-startup.md). Portable and freestanding:
// the runtime parses it in the child, the parent builds it, host tests check
// both (test/unit/userland/startup_test.cpp).
//
// The parent maps the block read-only at kAddress in the child and starts
// the child with r0 = kAddress. Layout (every offset from the block's start,
// 8-byte aligned; all numbers little-endian, as the machine stores them):
//
//   Header             magic, version, size, the IPC buffer, table positions
//   Capability[]       capability_count entries: slot, type, rights, role,
//                      interface id (services), note
//   StringRef[]        argument_count entries (argv)
//   StringRef[]        environment_count entries ("NAME=value")
//   strings            NUL-terminated strings the StringRefs point into
//
// Versioned like RootInfo: a reader accepts any version ≥ 1 and reads the
// version-1 fields; later versions append fields to the header (so `size`
// and the table offsets stay where they are).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/result.hpp>
#include <vesta/error.hpp>
#include <vesta/syscall.hpp>

namespace vesta::startup {

inline constexpr uint64_t kMagic = 0x5055'5452'4154'5356; // "VSTARTUP"
inline constexpr uint32_t kVersion = 1;
// Where the block is mapped in the child (read-only) and r0 at its entry;
// the window reserved for it is kMaxSize bytes.
inline constexpr uint64_t kAddress = 0x0000'7fff'd000'0000;
inline constexpr size_t kMaxSize = 64 * 1024;
// A note: a short text tag for a capability (a driver manifest's name for
// it, e.g. "com1"), NUL-terminated inside kNoteSize bytes.
inline constexpr size_t kNoteSize = 32;

// What a capability is for the runtime. Values are part of the format.
enum class Role : uint8_t {
    None = 0,            // described by its note only
    Task = 1,            // the process's own (first) thread
    CapabilitySpace = 2, // its own cspace
    VirtualSpace = 3,    // its own vspace
    Memory = 4,          // the pool that pays for its objects (heap, mappings)
    Console = 5,         // the kernel debug console
    System = 6,          // power off / reboot
    Service = 7,         // an endpoint to a server speaking `interface_id`
    Stdout = 8,          // an endpoint speaking io::file: where the program writes its output (user::out)
};
inline constexpr uint8_t kLastRole = static_cast<uint8_t>(Role::Stdout);

struct Header {
    uint64_t magic;      // kMagic
    uint32_t version;    // kVersion (≥ 1)
    uint32_t size;       // bytes of the whole block
    uint64_t ipc_buffer; // address of the first thread's IPC buffer (registered), 0: none
    uint32_t capability_count;
    uint32_t capability_offset; // Capability[capability_count]
    uint32_t argument_count;
    uint32_t argument_offset; // StringRef[argument_count]
    uint32_t environment_count;
    uint32_t environment_offset; // StringRef[environment_count]
    uint32_t string_offset;      // the string area
    uint32_t string_size;        // its bytes
};
static_assert(sizeof(Header) == 56);

struct Capability {
    uint64_t slot;         // in the process's cspace
    uint8_t type;          // ObjectType
    uint8_t rights;        // the rights it carries (vesta::rights bits)
    uint8_t role;          // Role
    uint8_t reserved;      // 0
    uint32_t interface_id; // IDL interface id of a Service (e.g. dev::serial::kId); 0 otherwise
    char note[kNoteSize];  // NUL-terminated, may be empty
};
static_assert(sizeof(Capability) == 48);

// A string of the string area: `length` bytes at `offset`, then a NUL.
struct StringRef {
    uint32_t offset;
    uint32_t length;
};
static_assert(sizeof(StringRef) == 8);

// Why a block was refused.
enum class ParseError : uint8_t {
    None,
    Misaligned,    // the block does not start 8-byte aligned
    TooSmall,      // fewer bytes than a header
    BadMagic,      // not kMagic
    BadVersion,    // version 0
    BadSize,       // size below a header, beyond the bytes available or beyond kMaxSize
    BadTable,      // a table or the string area outside the block, over the header, or misaligned
    BadCapability, // unknown type or role, rights beyond kAll, reserved byte set, an interface
                   // id on a non-service, a service or Stdout that is not an endpoint
    BadNote,       // a note without its NUL
    BadString,     // a string outside the string area, without its NUL, or with a NUL inside
};
const char* parse_error_message(ParseError error);

// A validated block (a view: the bytes must outlive it). Default-constructed,
// it is empty: no capabilities, arguments or environment.
class Block {
public:
    constexpr Block() = default;

    // Checks everything listed under ParseError; `available` is how many
    // bytes may be read at `data`. Contract: reads only inside them.
    static Result<Block, ParseError> parse(const void* data, size_t available);

    bool empty() const { return header_ == nullptr; }
    uint64_t ipc_buffer() const { return header_ ? header_->ipc_buffer : 0; }
    uint32_t version() const { return header_ ? header_->version : 0; }
    size_t size() const { return header_ ? header_->size : 0; }

    size_t capability_count() const { return header_ ? header_->capability_count : 0; }
    // Contract: index < capability_count().
    const Capability& capability(size_t index) const { return capabilities()[index]; }
    // The slot of the first capability with `role`, or kNoSlot.
    uint64_t slot_of(Role role) const;
    // The slot of the `index`-th service speaking `interface_id`, or kNoSlot.
    uint64_t service(uint32_t interface_id, size_t index = 0) const;
    // The first capability whose note is `note`, or nullptr.
    const Capability* find_note(const char* note) const;

    size_t argument_count() const { return header_ ? header_->argument_count : 0; }
    // argv[index], or nullptr beyond the last.
    const char* argument(size_t index) const;
    size_t environment_count() const { return header_ ? header_->environment_count : 0; }
    // The index-th "NAME=value" entry, or nullptr beyond the last.
    const char* environment_entry(size_t index) const;
    // The value of NAME (the text after "NAME="), or nullptr.
    const char* environment(const char* name) const;

private:
    explicit Block(const Header* header) : header_(header) {}
    const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(header_); }
    const Capability* capabilities() const {
        return reinterpret_cast<const Capability*>(bytes() + header_->capability_offset);
    }
    const char* string(uint32_t table_offset, size_t index) const;

    const Header* header_ = nullptr;
};

// Builds a block (the parent's side; spawn() in the runtime uses it). Fixed
// capacities, no allocation: a Builder is about 4 KiB, and the block it
// writes fits one page.
class Builder {
public:
    static constexpr size_t kMaxCapabilities = 32;
    static constexpr size_t kMaxStrings = 32; // arguments and environment entries together
    static constexpr size_t kMaxStringBytes = 2048;

    void set_ipc_buffer(uint64_t address) { ipc_buffer_ = address; }
    // Errors: OutOfRange (kMaxCapabilities reached), InvalidArgument (note
    // null or of kNoteSize bytes or more, role unknown, type beyond
    // ObjectType::System, rights beyond kAll, an interface id without
    // Role::Service, a service or Stdout that is not an endpoint).
    Error add_capability(uint64_t slot, ObjectType type, uint8_t rights, Role role, uint32_t interface_id,
                         const char* note);
    // Errors: InvalidArgument (null), OutOfRange (kMaxStrings reached),
    // Overflow (kMaxStringBytes reached).
    Error add_argument(const char* text) { return add_string(text, false); }
    // "NAME=value"; errors as add_argument, and InvalidArgument without '='.
    Error add_environment(const char* text);

    // Whether add_argument / add_environment of `text` would succeed for
    // want of room (kMaxStrings and kMaxStringBytes); it checks nothing else.
    bool has_room_for(const char* text) const;

    size_t capability_count() const { return capability_count_; }
    size_t argument_count() const { return count_strings(false); }
    // Bytes write() produces.
    size_t size() const;
    // Writes the block to out[0, size()). Errors: Overflow (capacity < size()).
    Error write(void* out, size_t capacity) const;

private:
    Error add_string(const char* text, bool environment);
    size_t count_strings(bool environment) const;

    uint64_t ipc_buffer_ = 0;
    Capability capabilities_[kMaxCapabilities];
    size_t capability_count_ = 0;
    struct Entry {
        StringRef ref;
        bool environment;
    };
    Entry strings_[kMaxStrings];
    size_t string_count_ = 0;
    char bytes_[kMaxStringBytes];
    size_t byte_count_ = 0;
};

} // namespace vesta::startup
