// manifest_driver.cpp — the [driver], [services], [provides] and
// [devicetree] sections, and the checks that need a whole [driver] section
// (required keys, the restart policy's consistency).
#include "manifest_internal.hpp"

namespace vesta::manifest::detail {

namespace {

constexpr const char* kDriverKeys[kDriverKeyCount] = {
    "name", "desc", "restart", "restart-delay", "restart-delay-max", "restart-limit", "restart-window",
};

Location& key_location(State& state, DriverKey key) { return state.driver_keys[static_cast<size_t>(key)]; }

// A driver name: a lower-case letter, then lower-case letters, digits, '-' and '_'.
bool valid_driver_name(const Span& name) {
    if (name.empty() || !is_lower(name.data[0])) return false;
    for (size_t i = 1; i < name.length; ++i) {
        const char c = name.data[i];
        if (!is_lower(c) && !is_digit(c) && c != '-' && c != '_') return false;
    }
    return true;
}

// An IDL interface name: identifiers ([A-Za-z_][A-Za-z0-9_]*) joined by "::".
bool valid_interface_name(const Span& name, bool* qualified) {
    *qualified = false;
    bool identifier_start = true;
    for (size_t i = 0; i < name.length; ++i) {
        const char c = name.data[i];
        if (c == ':') {
            if (identifier_start || i + 1 >= name.length || name.data[i + 1] != ':') return false;
            ++i;
            *qualified = true;
            identifier_start = true;
            continue;
        }
        if (!is_letter(c) && c != '_' && (identifier_start || !is_digit(c))) return false;
        identifier_start = false;
    }
    return !name.empty() && !identifier_start;
}

Result<uint32_t> parse_restart_number(State& state, DriverKey key, Line& line, uint64_t lowest, uint64_t highest) {
    const Location at = line.here();
    const char* name = kDriverKeys[static_cast<size_t>(key)];
    const uint64_t value = TRY(line.take_number(*state.report, name));
    if (value < lowest || value > highest)
        return state.report->fail(Error::ValueOutOfRange, at, "{} = {} is out of range ({} to {})", name, value, lowest,
                                  highest);
    TRY(line.expect_done(*state.report, "after the number"));
    return static_cast<uint32_t>(value);
}

Result<void> parse_restart_mode(State& state, Line& line) {
    const Span value = line.take_rest();
    RestartMode& mode = state.manifest->restart.mode;
    if (value.equals("always")) {
        mode = RestartMode::Always;
    } else if (value.equals("on-failure")) {
        mode = RestartMode::OnFailure;
    } else if (value.equals("never")) {
        mode = RestartMode::Never;
    } else {
        const Excerpt shown(value);
        return state.report->fail(Error::BadValue, value.location,
                                  "restart = '{}': expected always, on-failure or never", shown.c_str());
    }
    return {};
}

} // namespace

Result<void> parse_driver_entry(State& state, const Span& key, Line& line) {
    Reporter& report = *state.report;
    Manifest& manifest = *state.manifest;
    size_t index = kDriverKeyCount;
    for (size_t i = 0; i < kDriverKeyCount; ++i) {
        if (key.equals(kDriverKeys[i])) index = i;
    }
    const Excerpt shown(key);
    if (index == kDriverKeyCount)
        return report.fail(Error::UnknownKey, key.location,
                           "unknown key '{}' in [driver] (expected name, desc, restart, restart-delay, "
                           "restart-delay-max, restart-limit or restart-window)",
                           shown.c_str());
    Location& first = state.driver_keys[index];
    if (first.line != 0)
        return report.fail(Error::DuplicateKey, key.location, "key '{}' appears twice in [driver] (first at line {})",
                           shown.c_str(), first.line);
    first = key.location;

    RestartPolicy& restart = manifest.restart;
    switch (static_cast<DriverKey>(index)) {
    case DriverKey::Name: {
        const Span name = line.take_rest();
        if (name.length > kMaxNameLength)
            return report.fail(Error::ValueTooLong, name.location, "driver name is {} bytes; the limit is {}",
                               name.length, kMaxNameLength);
        if (!valid_driver_name(name)) {
            const Excerpt value(name);
            return report.fail(Error::BadValue, name.location,
                               "driver name '{}': expected a lower-case letter, then a-z, 0-9, '-' or '_'",
                               value.c_str());
        }
        copy_span(name, manifest.name, kMaxNameLength);
        manifest.name_location = name.location;
        return {};
    }
    case DriverKey::Desc: {
        Span text;
        if (line.peek() == '"') {
            text = TRY(line.take_string(report));
            TRY(line.expect_done(report, "after the description"));
        } else {
            text = line.take_rest();
        }
        if (!copy_string(text, manifest.description, kMaxDescriptionLength))
            return report.fail(Error::ValueTooLong, text.location, "description is longer than {} bytes",
                               kMaxDescriptionLength);
        return {};
    }
    case DriverKey::Restart: return parse_restart_mode(state, line);
    case DriverKey::RestartDelay:
        restart.delay_ms = TRY(parse_restart_number(state, DriverKey::RestartDelay, line, 0, kMaxRestartMilliseconds));
        return {};
    case DriverKey::RestartDelayMax:
        restart.delay_max_ms =
            TRY(parse_restart_number(state, DriverKey::RestartDelayMax, line, 0, kMaxRestartMilliseconds));
        return {};
    case DriverKey::RestartLimit:
        restart.limit = TRY(parse_restart_number(state, DriverKey::RestartLimit, line, 1, kMaxRestartLimit));
        return {};
    case DriverKey::RestartWindow:
        restart.window_ms =
            TRY(parse_restart_number(state, DriverKey::RestartWindow, line, 1, kMaxRestartMilliseconds));
        return {};
    }
    return {};
}

Result<void> parse_service_entry(State& state, const Span& key, Line& line, bool provides) {
    Reporter& report = *state.report;
    Manifest& manifest = *state.manifest;
    const char* section = provides ? "[provides]" : "[services]";
    const Excerpt shown(key);
    bool qualified = false;
    if (key.length > kMaxInterfaceNameLength)
        return report.fail(Error::ValueTooLong, key.location, "interface name is {} bytes; the limit is {}", key.length,
                           kMaxInterfaceNameLength);
    if (!valid_interface_name(key, &qualified))
        return report.fail(Error::BadInterfaceName, key.location,
                           "'{}' is not an IDL interface name (identifiers joined by '::', e.g. sys::devregistry)",
                           shown.c_str());
    if (provides && !qualified)
        return report.fail(Error::BadInterfaceName, key.location,
                           "provided interface '{}' needs its namespace (e.g. dev::{})", shown.c_str(), shown.c_str());
    if (!line.done()) {
        const Span value = line.take_rest();
        const Excerpt extra(value);
        return report.fail(Error::BadValue, value.location, "'{}' in {} takes no value, found '{}'", shown.c_str(),
                           section, extra.c_str());
    }
    Service* list = provides ? manifest.provides : manifest.services;
    size_t& count = provides ? manifest.provide_count : manifest.service_count;
    const size_t limit = provides ? kMaxProvides : kMaxServices;
    for (size_t i = 0; i < count; ++i) {
        if (key.equals(list[i].name))
            return report.fail(Error::DuplicateKey, key.location, "'{}' appears twice in {} (first at line {})",
                               shown.c_str(), section, list[i].location.line);
    }
    if (count == limit)
        return report.fail(Error::TooManyEntries, key.location, "more than {} entries in {}", limit, section);
    Service& service = list[count++];
    copy_span(key, service.name, kMaxInterfaceNameLength);
    service.qualified = qualified;
    service.location = key.location;
    return {};
}

Result<void> parse_devicetree_entry(State& state, const Span& key, Line& line) {
    Reporter& report = *state.report;
    Manifest& manifest = *state.manifest;
    const Excerpt shown(key);
    if (key.equals("virtio-device")) {
        if (state.virtio_device_key.line != 0)
            return report.fail(Error::DuplicateKey, key.location,
                               "key 'virtio-device' appears twice in [devicetree] (first at line {})",
                               state.virtio_device_key.line);
        state.virtio_device_key = key.location;
        line.skip_blanks();
        const Location at = line.here();
        const uint64_t value = TRY(line.take_number(report, "virtio-device"));
        if (value < 1 || value > kMaxVirtioDevice)
            return report.fail(Error::ValueOutOfRange, at, "virtio-device = {} is out of range (1 to {})", value,
                               kMaxVirtioDevice);
        manifest.virtio_device = static_cast<uint32_t>(value);
        manifest.virtio_device_location = key.location;
        return line.expect_done(report, "after the number");
    }
    if (!key.equals("compatible"))
        return report.fail(Error::UnknownKey, key.location,
                           "unknown key '{}' in [devicetree] (expected compatible or virtio-device)", shown.c_str());
    if (state.compatible_key.line != 0)
        return report.fail(Error::DuplicateKey, key.location,
                           "key 'compatible' appears twice in [devicetree] (first at line {}; list the strings "
                           "in one entry)",
                           state.compatible_key.line);
    state.compatible_key = key.location;
    do {
        line.skip_blanks();
        if (line.peek() != '"')
            return report.fail(Error::Syntax, line.here(), "expected a quoted compatible string, e.g. \"arm,pl011\"");
        const Span value = TRY(line.take_string(report));
        if (value.empty()) return report.fail(Error::BadValue, value.location, "empty compatible string");
        if (manifest.compatible_count == kMaxCompatibles)
            return report.fail(Error::TooManyEntries, value.location, "more than {} compatible strings",
                               kMaxCompatibles);
        Compatible& compatible = manifest.compatibles[manifest.compatible_count];
        if (!copy_string(value, compatible.value, kMaxCompatibleLength))
            return report.fail(Error::ValueTooLong, value.location, "compatible string is longer than {} bytes",
                               kMaxCompatibleLength);
        compatible.location = value.location;
        for (size_t i = 0; i < manifest.compatible_count; ++i) {
            if (strings_equal(manifest.compatibles[i].value, compatible.value))
                return report.fail(Error::BadValue, value.location, "compatible \"{}\" listed twice", compatible.value);
        }
        ++manifest.compatible_count;
        line.skip_blanks();
    } while (line.accept(','));
    return line.expect_done(report, "after the compatible strings");
}

Result<void> check_driver(State& state) {
    Reporter& report = *state.report;
    const Manifest& manifest = *state.manifest;
    if (manifest.driver_location.line == 0)
        return report.fail(Error::MissingSection, {}, "no [driver] section (every manifest names its driver)");
    if (key_location(state, DriverKey::Name).line == 0)
        return report.fail(Error::MissingKey, manifest.driver_location, "[driver] has no 'name' key");
    if (manifest.has_devicetree && state.compatible_key.line == 0)
        return report.fail(Error::MissingKey, manifest.devicetree_location, "[devicetree] has no 'compatible' key");
    if (manifest.virtio_device != 0 && !matches(manifest, "virtio,mmio"))
        return report.fail(Error::BadValue, manifest.virtio_device_location,
                           "virtio-device needs \"virtio,mmio\" among the compatible strings (only virtio-mmio "
                           "transports are probed)");

    const RestartPolicy& restart = manifest.restart;
    if (restart.mode == RestartMode::Never) {
        for (size_t i = static_cast<size_t>(DriverKey::RestartDelay); i < kDriverKeyCount; ++i) {
            if (state.driver_keys[i].line != 0)
                return report.fail(Error::RestartKeyWithoutRestart, state.driver_keys[i],
                                   "'{}' has no effect with restart = never", kDriverKeys[i]);
        }
    }
    if (restart.delay_max_ms < restart.delay_ms) {
        Location at = key_location(state, DriverKey::RestartDelayMax);
        if (at.line == 0) at = key_location(state, DriverKey::RestartDelay);
        return report.fail(Error::ValueOutOfRange, at, "restart-delay-max ({} ms) is below restart-delay ({} ms)",
                           restart.delay_max_ms, restart.delay_ms);
    }
    return {};
}

} // namespace vesta::manifest::detail
