// Tests of lib/acpi: RSDP, XSDT/RSDT, table lookup and the MADT, on tables
// built in a buffer that poses as physical memory.
#include <catch2/catch_test_macros.hpp>
#include <lib/acpi.hpp>

#include <string.h>

#include <vector>

using namespace vesta::acpi;

namespace {

constexpr uint64_t kBase = 0xe0000;

// "Physical memory" [kBase, kBase + size) and a writer of ACPI structures.
struct Firmware {
    std::vector<uint8_t> memory = std::vector<uint8_t>(0x4000, 0);

    static const uint8_t* bytes(void* context, uint64_t physical, uint64_t length) {
        auto* self = static_cast<Firmware*>(context);
        if (physical < kBase || length > self->memory.size() || physical - kBase > self->memory.size() - length)
            return nullptr;
        return self->memory.data() + (physical - kBase);
    }
    PhysicalReader reader() { return PhysicalReader{this, bytes}; }
    uint8_t* at(uint64_t physical) { return memory.data() + (physical - kBase); }

    void put(uint64_t physical, uint64_t value, size_t size) {
        for (size_t i = 0; i < size; ++i) at(physical)[i] = static_cast<uint8_t>(value >> (8 * i));
    }
    static void fix_checksum(uint8_t* bytes, size_t length, size_t checksum_offset) {
        bytes[checksum_offset] = 0;
        uint8_t sum = 0;
        for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[i]);
        bytes[checksum_offset] = static_cast<uint8_t>(-sum);
    }
    // A table with `signature` and `body` after the 36-byte header.
    void table(uint64_t physical, const char* signature, const std::vector<uint8_t>& body) {
        memcpy(at(physical), signature, 4);
        put(physical + 4, 36 + body.size(), 4);
        at(physical)[8] = 1; // revision
        memcpy(at(physical) + 36, body.data(), body.size());
        fix_checksum(at(physical), 36 + body.size(), 9);
    }
    // An RSDP of `revision` naming an RSDT (revision 0) or an XSDT (2).
    void rsdp(uint64_t physical, uint8_t revision, uint64_t root) {
        memcpy(at(physical), "RSD PTR ", 8);
        at(physical)[15] = revision;
        if (revision < 2) {
            put(physical + 16, root, 4);
            fix_checksum(at(physical), 20, 8);
        } else { // the 1.0 checksum first: the extended one covers it
            put(physical + 20, 36, 4);
            put(physical + 24, root, 8);
            fix_checksum(at(physical), 20, 8);
            fix_checksum(at(physical), 36, 32);
        }
    }
};

std::vector<uint8_t> words(std::initializer_list<uint64_t> values, size_t size) {
    std::vector<uint8_t> out;
    for (uint64_t v : values)
        for (size_t i = 0; i < size; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return out;
}

// A MADT as QEMU's q35 makes it: LAPIC at 0xfee00000, an IOAPIC, two overrides.
std::vector<uint8_t> madt_body() {
    std::vector<uint8_t> body = words({0xfee00000, 1}, 4);
    const uint8_t lapic[] = {0, 8, 0, 0, 1, 0, 0, 0};
    const uint8_t ioapic[] = {1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0};
    const uint8_t override0[] = {2, 10, 0, 0, 2, 0, 0, 0, 0, 0};    // IRQ 0 -> GSI 2
    const uint8_t override9[] = {2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0}; // IRQ 9 level, active high
    for (auto* entry : {lapic, ioapic, override0, override9}) body.insert(body.end(), entry, entry + entry[1]);
    return body;
}

} // namespace

TEST_CASE("the MADT is found through the XSDT and through the RSDT", "[lib][acpi]") {
    Firmware firmware;
    firmware.table(0xe1000, "FACP", std::vector<uint8_t>(80, 0));
    firmware.table(0xe2000, "APIC", madt_body());
    SECTION("XSDT (revision 2)") {
        firmware.table(0xe0100, "XSDT", words({0xe1000, 0xe2000}, 8));
        firmware.rsdp(kBase, 2, 0xe0100);
    }
    SECTION("RSDT (revision 0)") {
        firmware.table(0xe0100, "RSDT", words({0xe1000, 0xe2000}, 4));
        firmware.rsdp(kBase, 0, 0xe0100);
    }
    auto table = find_table(firmware.reader(), kBase, "APIC");
    REQUIRE(table.ok());
    CHECK(table.value().physical == 0xe2000);
    auto madt = parse_madt(table.value());
    REQUIRE(madt.ok());
    CHECK(madt.value().local_apic == 0xfee00000);
    CHECK(madt.value().has_ioapic);
    CHECK(madt.value().ioapic == 0xfec00000);
    CHECK(madt.value().ioapic_gsi_base == 0);
    REQUIRE(madt.value().override_count == 2);
    CHECK(madt.value().overrides[0].source == 0);
    CHECK(madt.value().overrides[0].gsi == 2);
    CHECK(madt.value().overrides[1].gsi == 9);
    CHECK(madt.value().overrides[1].flags == 0x0d);
    CHECK_FALSE(madt.value().truncated);
    REQUIRE(madt.value().processor_count == 1); // q35 at -smp 1
    CHECK(madt.value().processors[0].apic_id == 0);
    CHECK_FALSE(madt.value().processors[0].x2apic);
    CHECK(find_table(firmware.reader(), kBase, "HPET").error() == Error::TableNotFound);
}

TEST_CASE("broken RSDPs, root tables and tables are refused with their reason", "[lib][acpi]") {
    Firmware firmware;
    firmware.table(0xe2000, "APIC", madt_body());
    firmware.table(0xe0100, "XSDT", words({0xe2000}, 8));
    firmware.rsdp(kBase, 2, 0xe0100);
    REQUIRE(find_table(firmware.reader(), kBase, "APIC").ok());
    const std::vector<uint8_t> good = firmware.memory;
    auto error = [&] { return find_table(firmware.reader(), kBase, "APIC").error(); };

    CHECK(find_table(firmware.reader(), 0, "APIC").error() == Error::NoRsdp);
    CHECK(find_table(firmware.reader(), 0x100000, "APIC").error() == Error::RsdpUnreadable);
    firmware.at(kBase)[0] = 'X';
    CHECK(error() == Error::RsdpBadSignature);
    firmware.memory = good;
    firmware.at(kBase)[16] ^= 1; // inside the first 20 bytes
    CHECK(error() == Error::RsdpBadChecksum);
    firmware.memory = good;
    firmware.at(kBase)[24] ^= 1; // the XSDT address: extended checksum only
    CHECK(error() == Error::RsdpBadExtendedChecksum);
    firmware.memory = good;
    firmware.put(0xe0100, 0, 1); // root signature
    Firmware::fix_checksum(firmware.at(0xe0100), 44, 9);
    CHECK(error() == Error::RootBadSignature);
    firmware.memory = good;
    firmware.put(0xe0100 + 4, 0x200000, 4); // root length beyond the limit
    CHECK(error() == Error::TableBadLength);
    firmware.memory = good;
    firmware.put(0xe0100 + 4, 0x3f01, 4); // root length one byte past readable memory
    CHECK(error() == Error::RootUnreadable);
    firmware.memory = good;
    firmware.at(0xe2000)[40] ^= 1; // the MADT's checksum: skipped, so not found
    CHECK(error() == Error::TableNotFound);
    firmware.memory = good;
    firmware.put(0xe0100 + 36, 0x7fff'ffff'0000, 8); // the entry points nowhere
    Firmware::fix_checksum(firmware.at(0xe0100), 44, 9);
    CHECK(error() == Error::TableNotFound);
    CHECK(strlen(message(Error::TableBadChecksum)) > 0);
}

TEST_CASE("MADT entries stop at the first impossible length, keeping the ones before", "[lib][acpi]") {
    Firmware firmware;
    std::vector<uint8_t> body = madt_body();
    body[8 + 8 + 1] = 0; // the IOAPIC entry's length: 0
    firmware.table(0xe2000, "APIC", body);
    auto madt = parse_madt(Table{0xe2000, firmware.at(0xe2000), static_cast<uint32_t>(36 + body.size())});
    REQUIRE(madt.ok());
    CHECK(madt.value().truncated);
    CHECK_FALSE(madt.value().has_ioapic);
    CHECK(madt.value().override_count == 0);
    CHECK(parse_madt(Table{0xe2000, firmware.at(0xe2000), 40}).error() == Error::MadtTooShort);
    // A local APIC address override wins over the 32-bit field.
    const uint8_t address_override[] = {5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0};
    std::vector<uint8_t> with_override = words({0xfee00000, 1}, 4);
    with_override.insert(with_override.end(), address_override, address_override + 12);
    firmware.table(0xe3000, "APIC", with_override);
    madt = parse_madt(Table{0xe3000, firmware.at(0xe3000), static_cast<uint32_t>(36 + with_override.size())});
    REQUIRE(madt.ok());
    CHECK(madt.value().local_apic == 0x1'fee0'0000);
}

TEST_CASE("MADT processors: enabled local APIC and x2APIC entries, once each, bounded", "[lib][acpi]") {
    Firmware firmware;
    std::vector<uint8_t> body = words({0xfee00000, 1}, 4);
    auto add = [&](std::initializer_list<uint8_t> entry) { body.insert(body.end(), entry.begin(), entry.end()); };
    add({0, 8, 0, 0, 1, 0, 0, 0});                                      // UID 0, APIC 0, enabled
    add({0, 8, 1, 2, 1, 0, 0, 0});                                      // UID 1, APIC 2, enabled
    add({0, 8, 2, 4, 0, 0, 0, 0});                                      // disabled
    add({0, 8, 3, 6, 2, 0, 0, 0});                                      // online capable only: not started
    add({9, 16, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0});             // x2APIC 2 again: counted once
    add({9, 16, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0});             // x2APIC 256, UID 7
    add({9, 16, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 8, 0, 0, 0}); // 0xffffffff: no processor
    add({0, 7, 4, 8, 1, 0, 0});                                         // too short for a processor: skipped
    firmware.table(0xe2000, "APIC", body);
    auto madt = parse_madt(Table{0xe2000, firmware.at(0xe2000), static_cast<uint32_t>(36 + body.size())});
    REQUIRE(madt.ok());
    const Madt& m = madt.value();
    REQUIRE(m.processor_count == 3);
    CHECK(m.processors[0].apic_id == 0);
    CHECK(m.processors[1].apic_id == 2);
    CHECK(m.processors[1].uid == 1);
    CHECK(m.processors[2].apic_id == 256);
    CHECK(m.processors[2].uid == 7);
    CHECK(m.processors[2].x2apic);
    CHECK(m.processors_disabled == 2);
    CHECK(m.processors_ignored == 0);
    CHECK_FALSE(m.truncated);

    std::vector<uint8_t> many = words({0xfee00000, 1}, 4);
    for (uint32_t id = 0; id < Madt::kMaxProcessors + 5; ++id) {
        const uint8_t entry[] = {9, 16, 0, 0, static_cast<uint8_t>(id), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        many.insert(many.end(), entry, entry + 16);
    }
    firmware.table(0xe3000, "APIC", many);
    madt = parse_madt(Table{0xe3000, firmware.at(0xe3000), static_cast<uint32_t>(36 + many.size())});
    REQUIRE(madt.ok());
    CHECK(madt.value().processor_count == Madt::kMaxProcessors);
    CHECK(madt.value().processors_ignored == 5);
}
