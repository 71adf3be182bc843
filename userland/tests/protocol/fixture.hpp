// userland/tests/protocol/fixture.hpp — what the protocol tests (the suite's
// `proto.` group, protocol_tests.cpp) and their servers (the
// `protocol-server` program, server_*.cpp) agree on: the servers' roles,
// their fixed data, and copying bytes through page capabilities.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>
#include <vesta/ipc/message.hpp>

namespace protocol_fixture {

using vesta::Error;
using vesta::ipc::CapList;

// argv[1] of protocol-server: which server it runs. It serves on the
// endpoint noted "serve" (Read); servers that wait for a notification find
// it noted "irq"; startup-check reports on the endpoint noted "report".
inline constexpr const char* kFileRole = "file";           // io::file over a fixed 8 KiB store
inline constexpr const char* kSerialRole = "serial";       // dev::serial, a loopback UART
inline constexpr const char* kFsRole = "fs";               // fs::fs, a tiny tree; files speak io::file
inline constexpr const char* kProcmgrRole = "procmgr";     // sys::procmgr over a fake process table
inline constexpr const char* kDevicesRole = "devices";     // sys::devregistry + sys::devmgr, by badge
inline constexpr const char* kDevloaderRole = "devloader"; // sys::devloader checks of an image
inline constexpr const char* kStartupCheckRole = "startup-check";

// The "file" server's store: byte i holds file_byte(i) until written.
inline constexpr size_t kFileSize = 8192;
constexpr uint8_t file_byte(uint64_t i) { return static_cast<uint8_t>(i * 7 + 3); }

// The "serial" server: bytes written come back to readers (loopback); a
// signal on its "irq" notification delivers kIrqBytes. At most
// kSerialPendingReads reads wait at once; one more gets io::busy.
inline constexpr const char* kIrqBytes = "irq!";
inline constexpr size_t kSerialPendingReads = 3;
inline constexpr uint32_t kSerialBauds[] = {9600, 19200, 38400, 57600, 115200};

// The "fs" server's tree: /hello.txt, /dev/ (a directory), /dev/serial0 (a
// device). Files opened from it are served on badges kFileBadgeBase + n.
inline constexpr const char* kHelloText = "hello, world\n";
inline constexpr uint64_t kFileBadgeBase = 100;
inline constexpr size_t kMaxPath = 256;

// The "devices" server: badge kRegistryBadge speaks sys::devregistry,
// kManagerBadge sys::devmgr. kMaxDevices devices at most.
inline constexpr uint64_t kRegistryBadge = 1, kManagerBadge = 2;
inline constexpr size_t kMaxDevices = 4;

// The "procmgr" server: kMaxProcesses slots; pids from 1.
inline constexpr size_t kMaxProcesses = 4;

// The "devloader" server: processes 1…kLoaderProcesses exist, the last is
// already started (bad_state); an image must start with the ELF magic
// (bad_image) and hold kManifestMarker in its first page (bad_manifest).
inline constexpr uint64_t kLoaderProcesses = 3;
inline constexpr const char* kManifestMarker = "[driver]";

// startup-check's expectations of its block (the test grants exactly these).
inline constexpr const char* kCheckArguments[] = {"protocol-server", "startup-check", "alpha", "b=c"};
inline constexpr const char* kCheckEnvironment = "MODE=suite";
inline constexpr uint64_t kCheckServiceSlot = 20;
inline constexpr uint32_t kCheckServiceId = 0x5430284c; // dev::serial::kId

// Copies between memory and a buffer in page capabilities: the buffer
// starts at byte `offset` of the first capability and continues through the
// following ones (each a Page of one or more pages, mapped for the copy and
// unmapped after). Copies min(length, room) bytes and returns that count;
// InvalidArgument for no pages or an offset beyond the first; the errors of
// Page.Info and VirtualSpace.Map (e.g. MissingRights for a read-only page
// written to).
vesta::Result<size_t> copy_to_pages(const CapList& pages, uint64_t offset, const void* data, size_t length);
vesta::Result<size_t> copy_from_pages(const CapList& pages, uint64_t offset, void* data, size_t length);

} // namespace protocol_fixture
