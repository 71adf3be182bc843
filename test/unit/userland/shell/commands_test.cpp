// Tests of the shell's command table, texts and tables
// (userland/shell/commands.cpp, tables.cpp).
#include <catch2/catch_test_macros.hpp>
#include <cstring>
#include <dev/console.ipc.hpp>
#include <dev/keyboard.ipc.hpp>
#include <dev/serial.ipc.hpp>
#include <string>
#include <vesta/syscall.hpp>

#include "commands.hpp"
#include "tables.hpp"

using namespace shell;
namespace records = vesta::records;

namespace {

std::string status_text(int64_t status) {
    char text[80];
    vesta::BufferSink sink(text, sizeof(text));
    describe_status(status, sink);
    return std::string(sink.text(), sink.length());
}

} // namespace

TEST_CASE("every command the issue asks for is in the table, with its argument counts", "[shell]") {
    for (const char* name : {"help", "ls", "cat", "stat", "run", "ps", "kill", "caps", "mem", "devices", "log", "echo",
                             "poweroff", "reboot", "history"}) {
        INFO(name);
        REQUIRE(find_command(name) != nullptr);
        CHECK(std::string(find_command(name)->name) == name);
    }
    CHECK(find_command("hello") == nullptr);
    CHECK(find_command("") == nullptr);
    CHECK(arguments_fit(*find_command("ls"), 0));
    CHECK(arguments_fit(*find_command("ls"), 1));
    CHECK_FALSE(arguments_fit(*find_command("ls"), 2));
    CHECK_FALSE(arguments_fit(*find_command("cat"), 0));
    CHECK_FALSE(arguments_fit(*find_command("kill"), 2));
    CHECK_FALSE(arguments_fit(*find_command("help"), 1));
    size_t count = 0;
    const Command* table = commands(&count);
    for (size_t i = 0; i < count; ++i) {
        CHECK(table[i].min_arguments <= table[i].max_arguments);
        CHECK(std::strlen(table[i].summary) > 0);
    }
}

TEST_CASE("numbers, names and statuses", "[shell]") {
    int64_t value = 0;
    CHECK(parse_integer("42", false, &value));
    CHECK(value == 42);
    CHECK(parse_integer("-7", true, &value));
    CHECK(value == -7);
    CHECK_FALSE(parse_integer("-7", false, &value));
    CHECK_FALSE(parse_integer("", false, &value));
    CHECK_FALSE(parse_integer("4x", false, &value));
    CHECK_FALSE(parse_integer("99999999999999999999", false, &value));
    CHECK(std::string(base_name("/drivers/pcserial")) == "pcserial");
    CHECK(std::string(base_name("hello")) == "hello");
    CHECK(std::string(base_name("/")) == "/");
    CHECK(status_text(0) == "exited with status 0");
    CHECK(status_text(3) == "exited with status 3");
    CHECK(status_text(-1) == "stopped by a page fault (status -1)");
    CHECK(status_text(-2) == "stopped by an undefined instruction (status -2)");
    CHECK(status_text(-4) == "stopped by an unknown syscall (status -4)");
    CHECK(status_text(kInterruptedStatus) == "interrupted (Ctrl-C)");
    CHECK(status_text(kKilledStatus) == "killed (status 137)");
    CHECK(status_text(-256) == "could not start (status -256)");
    CHECK(std::string(object_type_name(7)) == "Endpoint");
    CHECK(std::string(object_type_name(15)) == "System");
    CHECK(std::string(object_type_name(16)) == "?");
    char rights[5];
    rights_text(vesta::rights::kRead | vesta::rights::kGrant, rights);
    CHECK(std::string(rights) == "R--G");
    CHECK(std::string(interface_name(vesta::proto::dev::serial::kId)) == "dev::serial");
    CHECK(std::string(interface_name(vesta::proto::dev::console::kId)) == "dev::console");
    CHECK(std::string(interface_name(vesta::proto::dev::keyboard::kId)) == "dev::keyboard");
    CHECK(interface_name(1) == nullptr);
}

TEST_CASE("ps, caps, mem and devices rows keep their columns", "[shell]") {
    char row[kRowSize];
    records::ProcessRecord process{};
    process.pid = 12;
    process.state = static_cast<uint8_t>(records::ProcessState::Running);
    process.restarts = 2;
    process.capabilities = 9;
    process.pool_pages = 1024;
    process.free_pages = 1000;
    std::strcpy(process.name, "pcserial");
    process_row(process, row);
    CHECK(std::string(row) == "   12  pcserial                 running     24     9         2\n");
    CHECK(std::string(row).size() == std::string(kProcessHeader).size());
    process.state = static_cast<uint8_t>(records::ProcessState::Ended);
    process.status = -1;
    process_row(process, row);
    CHECK(std::string(row) == "   12  pcserial                 ended     status -1\n");
    std::memset(process.name, 'n', sizeof(process.name)); // no NUL: cut at the field
    process_row(process, row);
    CHECK(std::string(row).find(std::string(sizeof(process.name), 'n') + " ") != std::string::npos);

    memory_row(process, row);
    CHECK(std::string(row).find("(pid 12)") != std::string::npos);
    CHECK(std::string(row).find("1024") != std::string::npos);
    process.pool_pages = 0;
    memory_row(process, row);
    CHECK(std::string(row).empty());
    records::ProcessRecord self{};
    self.pool_pages = 50000;
    self.free_pages = 40000;
    memory_row(self, row);
    CHECK(std::string(row) == "sysinit (for processes)        50000    40000\n");

    records::CapabilityRecord capability{3, 7, vesta::rights::kWrite | vesta::rights::kGrant, 0, 0, 0x200000005};
    capability_row(capability, row);
    CHECK(std::string(row) == "    3  Endpoint         -W-G    0x200000005\n");
    capability.flags = records::kCapabilityOwner;
    capability.type = 1;
    capability.badge = 0;
    capability_row(capability, row);
    CHECK(std::string(row) == "    3  Memory           -W-G    0x0  owner\n");

    records::DeviceRecord device{vesta::proto::dev::serial::kId, 0, 2, 0};
    device_row(device, "pcserial", row);
    CHECK(std::string(row) == "dev::serial        0  pid 2 (pcserial)\n");
    device.interface_id = 0x1234;
    device_row(device, "", row);
    CHECK(std::string(row) == "0x1234         0  pid 2\n");
}

TEST_CASE("a row never runs past its buffer", "[shell]") {
    char small[8];
    Row(small, sizeof(small)).text("a long text that does not fit").end();
    CHECK(std::string(small) == "a long\n");
}
