#pragma once
// Numeric formats of matrix math and their sizes.
#include <array>
#include <string_view>

namespace chipdse::spec {

enum class Precision { kFp32, kTf32, kBf16, kFp16, kFp8, kInt8, kFp4 };

inline constexpr std::array<Precision, 7> kAllPrecisions{Precision::kFp32, Precision::kTf32, Precision::kBf16,
                                                         Precision::kFp16, Precision::kFp8,  Precision::kInt8,
                                                         Precision::kFp4};

constexpr std::string_view precision_name(Precision p) {
    switch (p) {
        case Precision::kFp32: return "fp32";
        case Precision::kTf32: return "tf32";
        case Precision::kBf16: return "bf16";
        case Precision::kFp16: return "fp16";
        case Precision::kFp8: return "fp8";
        case Precision::kInt8: return "int8";
        case Precision::kFp4: return "fp4";
    }
    return "?";
}

// Storage size of one element in bytes (tf32 is stored as fp32).
constexpr double precision_bytes(Precision p) {
    switch (p) {
        case Precision::kFp32:
        case Precision::kTf32: return 4.0;
        case Precision::kBf16:
        case Precision::kFp16: return 2.0;
        case Precision::kFp8:
        case Precision::kInt8: return 1.0;
        case Precision::kFp4: return 0.5;
    }
    return 0.0;
}

// A value per precision (MAC rates, energies); zero means "not supported".
template <class V>
struct PerPrecision {
    V fp32{}, tf32{}, bf16{}, fp16{}, fp8{}, int8{}, fp4{};

    constexpr const V& operator[](Precision p) const {
        switch (p) {
            case Precision::kFp32: return fp32;
            case Precision::kTf32: return tf32;
            case Precision::kBf16: return bf16;
            case Precision::kFp16: return fp16;
            case Precision::kFp8: return fp8;
            case Precision::kInt8: return int8;
            case Precision::kFp4: return fp4;
        }
        return fp32;
    }
};

}  // namespace chipdse::spec
