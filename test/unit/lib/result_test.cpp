#include <catch2/catch_test_macros.hpp>
#include <lib/result.hpp>

using namespace vesta;

namespace {
Result<int> half(int value) {
    if (value % 2) return Error::InvalidArgument;
    return value / 2;
}
Result<int> quarter(int value) {
    int h = TRY(half(value));
    return TRY(half(h));
}
} // namespace

TEST_CASE("Result carries a value or an error, and TRY propagates", "[lib][result]") {
    auto ok = quarter(8);
    REQUIRE(ok.ok());
    CHECK(ok.value() == 2);
    auto odd = quarter(6);
    REQUIRE_FALSE(odd.ok());
    CHECK(odd.error() == Error::InvalidArgument);
    CHECK(Result<void>{}.ok());
    CHECK(Result<void>{Error::Busy}.error() == Error::Busy);
}

namespace {
enum class OtherError { None, Broken };
}

TEST_CASE("Result works with another error enum and can be reassigned", "[lib][result]") {
    Result<int, OtherError> r = 5;
    CHECK(r.ok());
    r = OtherError::Broken;
    CHECK(r.error() == OtherError::Broken);
    r = Result<int, OtherError>(7);
    REQUIRE(r.ok());
    CHECK(r.value() == 7);
    Result<void, OtherError> v = OtherError::Broken;
    CHECK_FALSE(v.ok());
}
