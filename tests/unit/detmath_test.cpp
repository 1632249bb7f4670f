// Tests for core/detmath: accuracy against the platform libm on dense grids,
// exact values, special values, and golden bit patterns that pin down every
// last bit (the whole point of detmath is bit-identical results everywhere).

#include "detmath.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>

namespace dm = gloss::detmath;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kGrid = 100000;
// detmath is < 0.87 ulp and libm < ~0.6 ulp, so they may differ by one ulp,
// i.e. at most 2^-52 = 2.2e-16 relative.
constexpr double kRelTol = 4e-16;

// Long double is a better reference where it has more precision than double
// (x86 80-bit, aarch64 binary128); on MSVC it is just double.
constexpr bool kWideLongDouble = std::numeric_limits<long double>::digits >= 64;

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

std::string hex(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(bits(x)));
    return buf;
}

// x_i, i = 0..n-1, evenly spaced over [a, b].
double lin(double a, double b, int i, int n = kGrid) {
    return a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1);
}

// Log-spaced grid over [a, b] (a, b > 0). Uses libm only to make inputs.
double logspace(double a, double b, int i, int n = kGrid) {
    return std::exp(lin(std::log(a), std::log(b), i, n));
}

// Check f(x_i) against ref(x_i) for all grid points; reports the worst case.
void check_grid(const char* name, const std::function<double(int)>& input,
                const std::function<double(double)>& f, const std::function<double(double)>& ref,
                double rel_tol = kRelTol, double abs_tol = 0.0) {
    int failures = 0;
    double worst = 0.0;
    double worst_x = 0.0;
    for (int i = 0; i < kGrid; ++i) {
        const double x = input(i);
        const double got = f(x);
        const double want = ref(x);
        const double err = std::fabs(got - want);
        const double tol = rel_tol * std::fabs(want) + abs_tol;
        if (!(err <= tol)) {
            if (++failures <= 5) {
                ADD_FAILURE() << name << "(" << std::hexfloat << x << ") = " << got << ", want " << want
                              << std::defaultfloat;
            }
        }
        const double rel = want != 0.0 ? err / std::fabs(want) : err;
        if (rel > worst) {
            worst = rel;
            worst_x = x;
        }
    }
    EXPECT_EQ(failures, 0) << name << ": worst relative error " << worst << " at x = " << worst_x;
}

}  // namespace

// ---------------------------------------------------------------------------
// Accuracy against libm on dense grids

TEST(DetMath, ExpMatchesLibm) {
    check_grid("exp", [](int i) { return lin(-708.0, 709.7, i); }, dm::exp,
               [](double x) { return std::exp(x); });
    check_grid("exp small", [](int i) { return lin(-1.0, 1.0, i); }, dm::exp,
               [](double x) { return std::exp(x); });
}

TEST(DetMath, ExpSubnormalRange) {
    // Results are subnormal, so only an absolute error of ~1 subnormal ulp is meaningful.
    check_grid("exp subnormal", [](int i) { return lin(-745.0, -708.5, i); }, dm::exp,
               [](double x) { return std::exp(x); }, kRelTol, 0x1p-1074);
}

TEST(DetMath, LogMatchesLibm) {
    check_grid("log", [](int i) { return logspace(1e-300, 1e300, i); }, dm::log,
               [](double x) { return std::log(x); });
    check_grid("log near 1", [](int i) { return lin(0.5, 2.0, i); }, dm::log,
               [](double x) { return std::log(x); });
    check_grid("log subnormal", [](int i) { return logspace(5e-324, 2e-308, i); }, dm::log,
               [](double x) { return std::log(x); });
}

TEST(DetMath, Log2MatchesLibm) {
    check_grid("log2", [](int i) { return logspace(1e-300, 1e300, i); }, dm::log2,
               [](double x) { return std::log2(x); });
    check_grid("log2 near 1", [](int i) { return lin(0.5, 2.0, i); }, dm::log2,
               [](double x) { return std::log2(x); });
}

TEST(DetMath, Log10MatchesLibm) {
    // glibc's log10 itself is up to ~1.6 ulp off, so use the wide reference when we can.
    const double tol = kWideLongDouble ? kRelTol : 6e-16;
    auto ref = [](double x) {
        if constexpr (kWideLongDouble) return static_cast<double>(std::log10(static_cast<long double>(x)));
        return std::log10(x);
    };
    check_grid("log10", [](int i) { return logspace(1e-300, 1e300, i); }, dm::log10, ref, tol);
    check_grid("log10 near 1", [](int i) { return lin(0.5, 2.0, i); }, dm::log10, ref, tol);
}

TEST(DetMath, PowMatchesLibm) {
    for (double y : {0.5, 1.0 / 3.0, 2.5, -1.7, 37.3, -0.25}) {
        check_grid(("pow y=" + std::to_string(y)).c_str(), [](int i) { return logspace(1e-3, 1e3, i); },
                   [y](double x) { return dm::pow(x, y); }, [y](double x) { return std::pow(x, y); });
    }
    // Large |y * log x|: pow must not lose accuracy to the size of the exponent.
    check_grid("pow(1.0001, y)", [](int i) { return lin(-7e6, 7e6, i); },
               [](double y) { return dm::pow(1.0001, y); }, [](double y) { return std::pow(1.0001, y); });
    check_grid("pow(x, 300.1)", [](int i) { return logspace(0.1, 10.0, i); },
               [](double x) { return dm::pow(x, 300.1); }, [](double x) { return std::pow(x, 300.1); });
}

TEST(DetMath, SinCosMatchLibm) {
    // Both sides are ulp-accurate even near zeros; the absolute floor only
    // guards against a weaker libm there.
    const double abs_tol = 1e-300;
    for (double r : {3.5, 1e5}) {
        auto in = [r](int i) { return lin(-r, r, i); };
        check_grid("sin", in, dm::sin, [](double x) { return std::sin(x); }, kRelTol, abs_tol);
        check_grid("cos", in, dm::cos, [](double x) { return std::cos(x); }, kRelTol, abs_tol);
    }
    // Nearest doubles to k*pi/2: the hardest inputs for the argument reduction.
    auto kpio2 = [](int i) {
        return static_cast<double>((i + 1) * static_cast<long double>(1.57079632679489661923132169163975144L));
    };
    check_grid("sin(k pi/2)", kpio2, dm::sin, [](double x) { return std::sin(x); }, kRelTol, abs_tol);
    check_grid("cos(k pi/2)", kpio2, dm::cos, [](double x) { return std::cos(x); }, kRelTol, abs_tol);
}

TEST(DetMath, TanMatchesLibm) {
    check_grid("tan", [](int i) { return lin(-1.5, 1.5, i); }, dm::tan, [](double x) { return std::tan(x); });
    check_grid("tan wide", [](int i) { return lin(-1e5, 1e5, i); }, dm::tan,
               [](double x) { return std::tan(x); });
}

TEST(DetMath, DbConversionsMatchLibm) {
    // db = 20*q with q a multiple of 2^-12 keeps db/20 exact, so std::pow(10, q)
    // is a clean (< 1 ulp) reference for 10^(db/20).
    auto q_grid = [](int i) { return std::ldexp(static_cast<double>(i - kGrid / 2), -12); };  // [-12.2, 12.2]
    check_grid("db_to_amplitude", q_grid, [](double q) { return dm::db_to_amplitude(20.0 * q); },
               [](double q) { return std::pow(10.0, q); });
    check_grid("db_to_power", q_grid, [](double q) { return dm::db_to_power(10.0 * q); },
               [](double q) { return std::pow(10.0, q); });

    const double tol = kWideLongDouble ? kRelTol : 8e-16;
    check_grid("amplitude_to_db", [](int i) { return logspace(1e-15, 1e15, i); }, dm::amplitude_to_db,
               [](double a) { return static_cast<double>(20.0L * std::log10(static_cast<long double>(a))); },
               tol, 1e-300);
    check_grid("power_to_db", [](int i) { return logspace(1e-30, 1e30, i); }, dm::power_to_db,
               [](double p) { return static_cast<double>(10.0L * std::log10(static_cast<long double>(p))); },
               tol, 1e-300);
}

// ---------------------------------------------------------------------------
// Exact values

TEST(DetMath, ExactValues) {
    EXPECT_EQ(dm::exp(0.0), 1.0);
    EXPECT_EQ(dm::log(1.0), 0.0);
    EXPECT_EQ(dm::log2(1.0), 0.0);
    EXPECT_EQ(dm::log10(1.0), 0.0);
    EXPECT_EQ(dm::log10(1000.0), 3.0);
    EXPECT_EQ(dm::pow(2.0, 10.0), 1024.0);
    EXPECT_EQ(dm::pow(2.0, -3.0), 0.125);
    EXPECT_EQ(dm::pow(3.0, 4.0), 81.0);
    EXPECT_EQ(dm::pow(-3.0, 3.0), -27.0);
    EXPECT_EQ(dm::pow(9.0, 0.5), 3.0);
    EXPECT_EQ(dm::db_to_amplitude(0.0), 1.0);
    EXPECT_EQ(dm::db_to_amplitude(20.0), 10.0);
    EXPECT_EQ(dm::db_to_amplitude(-40.0), 0.01);
    EXPECT_EQ(dm::db_to_power(0.0), 1.0);
    EXPECT_EQ(dm::db_to_power(30.0), 1000.0);
    EXPECT_EQ(dm::amplitude_to_db(1.0), 0.0);
    EXPECT_EQ(dm::amplitude_to_db(10.0), 20.0);
    EXPECT_EQ(dm::power_to_db(1.0), 0.0);
    EXPECT_EQ(dm::power_to_db(100.0), 20.0);
    EXPECT_EQ(dm::sin(0.0), 0.0);
    EXPECT_EQ(dm::cos(0.0), 1.0);
    EXPECT_EQ(dm::tan(0.0), 0.0);
    EXPECT_EQ(dm::exp(1.0), 2.718281828459045);  // correctly rounded e
    EXPECT_EQ(dm::log(2.0), 0.6931471805599453);
}

TEST(DetMath, PowersOfTenAndTwoAreExact) {
    double p = 1.0;
    for (int n = 0; n <= 22; ++n) {  // 10^n exactly representable
        EXPECT_EQ(dm::log10(p), n) << "n=" << n;
        EXPECT_EQ(dm::pow(10.0, n), p) << "n=" << n;
        EXPECT_EQ(dm::amplitude_to_db(p), 20.0 * n) << "n=" << n;
        EXPECT_EQ(dm::power_to_db(p), 10.0 * n) << "n=" << n;
        p *= 10.0;
    }
    for (int n = 1; n <= 20; ++n) {  // nearest doubles to 10^-n
        const double x = std::stod("1e-" + std::to_string(n));
        EXPECT_EQ(dm::log10(x), -n) << "n=" << n;
        EXPECT_EQ(dm::db_to_amplitude(-20.0 * n), x) << "n=" << n;
        EXPECT_EQ(dm::db_to_power(-10.0 * n), x) << "n=" << n;
    }
    for (int n = -1074; n <= 1023; ++n) {
        EXPECT_EQ(dm::log2(std::ldexp(1.0, n)), n) << "n=" << n;
        if (n >= -1022) {
            EXPECT_EQ(dm::pow(2.0, n), std::ldexp(1.0, n)) << "n=" << n;
        }
    }
}

TEST(DetMath, Symmetries) {
    for (int i = 0; i < 1000; ++i) {
        const double x = lin(0.0, 1e4, i, 1000);
        EXPECT_EQ(bits(dm::sin(-x)), bits(-dm::sin(x)));
        EXPECT_EQ(bits(dm::cos(-x)), bits(dm::cos(x)));
        EXPECT_EQ(bits(dm::tan(-x)), bits(-dm::tan(x)));
    }
}

// ---------------------------------------------------------------------------
// Special values

TEST(DetMath, SpecialValues) {
    EXPECT_EQ(dm::log(0.0), -kInf);
    EXPECT_EQ(dm::log(-0.0), -kInf);
    EXPECT_TRUE(std::isnan(dm::log(-1.0)));
    EXPECT_TRUE(std::isnan(dm::log(-kInf)));
    EXPECT_EQ(dm::log(kInf), kInf);
    EXPECT_TRUE(std::isnan(dm::log(kNaN)));
    EXPECT_EQ(dm::log2(0.0), -kInf);
    EXPECT_EQ(dm::log10(0.0), -kInf);
    EXPECT_TRUE(std::isnan(dm::log10(-2.0)));
    EXPECT_EQ(dm::log10(kInf), kInf);
    EXPECT_EQ(dm::log(std::numeric_limits<double>::denorm_min()), -744.4400719213812);

    EXPECT_EQ(dm::exp(710.0), kInf);
    EXPECT_EQ(dm::exp(1e300), kInf);
    EXPECT_EQ(dm::exp(kInf), kInf);
    EXPECT_EQ(dm::exp(-746.0), 0.0);
    EXPECT_EQ(dm::exp(-kInf), 0.0);
    EXPECT_TRUE(std::isnan(dm::exp(kNaN)));
    EXPECT_EQ(dm::exp(709.7), std::exp(709.7));  // largest finite region
    EXPECT_EQ(dm::exp(-745.0), std::numeric_limits<double>::denorm_min());

    EXPECT_EQ(dm::pow(0.0, 2.0), 0.0);
    EXPECT_EQ(dm::pow(0.0, 0.5), 0.0);
    EXPECT_EQ(dm::pow(0.0, 0.0), 1.0);
    EXPECT_EQ(dm::pow(0.0, -1.0), kInf);
    EXPECT_EQ(bits(dm::pow(-0.0, 3.0)), bits(-0.0));
    EXPECT_EQ(dm::pow(-0.0, -3.0), -kInf);
    EXPECT_TRUE(std::isnan(dm::pow(-2.0, 0.5)));
    EXPECT_EQ(dm::pow(-2.0, 2.0), 4.0);
    EXPECT_EQ(dm::pow(kNaN, 0.0), 1.0);
    EXPECT_EQ(dm::pow(1.0, kNaN), 1.0);
    EXPECT_TRUE(std::isnan(dm::pow(2.0, kNaN)));
    EXPECT_EQ(dm::pow(2.0, 1e6), kInf);
    EXPECT_EQ(dm::pow(2.0, -1e6), 0.0);
    EXPECT_EQ(dm::pow(0.5, kInf), 0.0);
    EXPECT_EQ(dm::pow(kInf, 2.0), kInf);
    EXPECT_EQ(dm::pow(kInf, -2.0), 0.0);

    EXPECT_TRUE(std::isnan(dm::sin(kInf)));
    EXPECT_TRUE(std::isnan(dm::cos(-kInf)));
    EXPECT_TRUE(std::isnan(dm::tan(kNaN)));
    EXPECT_TRUE(std::isnan(dm::sin(1e22)));  // beyond the supported range: NaN, not garbage
    EXPECT_EQ(bits(dm::sin(-0.0)), bits(-0.0));
    EXPECT_EQ(bits(dm::tan(-0.0)), bits(-0.0));
    EXPECT_EQ(dm::sin(1e-300), 1e-300);

    EXPECT_EQ(dm::amplitude_to_db(0.0), -kInf);
    EXPECT_EQ(dm::amplitude_to_db(-1.0), -kInf);
    EXPECT_EQ(dm::power_to_db(0.0), -kInf);
    EXPECT_EQ(dm::power_to_db(-0.5), -kInf);
    EXPECT_EQ(dm::db_to_amplitude(-kInf), 0.0);
    EXPECT_EQ(dm::db_to_amplitude(kInf), kInf);
    EXPECT_EQ(dm::db_to_power(-1e4), 0.0);
    EXPECT_TRUE(std::isnan(dm::db_to_amplitude(kNaN)));
    EXPECT_TRUE(std::isnan(dm::amplitude_to_db(kNaN)));
}

// ---------------------------------------------------------------------------
// Golden bits: these values must never change on any machine or compiler.
// If an intentional algorithm change moves them, re-bless: run the test, and
// copy the "got" hex values printed in the failure messages into this table
// (and note the change in the changelog, since output bits change with it).

TEST(DetMath, GoldenBits) {
    struct Case {
        const char* what;
        double got;
        std::uint64_t want;
    };
    const Case cases[] = {
        {"exp(1)", dm::exp(1.0), 0x4005bf0a8b145769ULL},
        {"exp(-10.5)", dm::exp(-10.5), 0x3efcdfc263f6a0baULL},
        {"log(10)", dm::log(10.0), 0x40026bb1bbb55516ULL},
        {"log2(10)", dm::log2(10.0), 0x400a934f0979a371ULL},
        {"log10(2)", dm::log10(2.0), 0x3fd34413509f79ffULL},
        {"pow(2,0.5)", dm::pow(2.0, 0.5), 0x3ff6a09e667f3bcdULL},
        {"pow(10,-0.3)", dm::pow(10.0, -0.3), 0x3fe009b9cf334252ULL},
        {"sin(1)", dm::sin(1.0), 0x3feaed548f090ceeULL},
        {"cos(1)", dm::cos(1.0), 0x3fe14a280fb5068cULL},
        {"tan(1)", dm::tan(1.0), 0x3ff8eb245cbee3a6ULL},
        {"sin(1e5)", dm::sin(1e5), 0x3fa24daa9c527e96ULL},
        {"tan(2*pi*1000/48000)", dm::tan(2.0 * dm::pi * 1000.0 / 48000.0), 0x3fc0d9fd31c98bf8ULL},
        {"db_to_amplitude(-3)", dm::db_to_amplitude(-3.0), 0x3fe6a77deae8ab8aULL},
        {"db_to_power(-0.691)", dm::db_to_power(-0.691), 0x3feb4afcb4ea697dULL},
        {"amplitude_to_db(0.5)", dm::amplitude_to_db(0.5), 0xc018151824c7587fULL},
        {"power_to_db(2)", dm::power_to_db(2.0), 0x4008151824c7587fULL},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(bits(c.got), c.want) << c.what << ": got " << hex(c.got) << " (" << c.got << ")";
    }
}

// Hash of every bit of each function over a fixed grid (inputs built with
// exact arithmetic only), so a one-ulp change anywhere is caught. Re-bless as
// above from the printed value.
TEST(DetMath, GoldenGridHash) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
    auto mix = [&h](double v) {
        std::uint64_t b = bits(v);
        for (int k = 0; k < 8; ++k) {
            h ^= (b >> (8 * k)) & 0xff;
            h *= 1099511628211ULL;
        }
    };
    for (int i = 0; i < 20000; ++i) {
        const double t = lin(0.0, 1.0, i, 20000);
        mix(dm::exp(-700.0 + 1400.0 * t));
        mix(dm::log(1e-3 + 1e3 * t));
        mix(dm::log10(1e-3 + 1e3 * t));
        mix(dm::pow(0.01 + 100.0 * t, 2.345));
        mix(dm::sin(-2e4 + 4e4 * t));
        mix(dm::cos(-2e4 + 4e4 * t));
        mix(dm::tan(-1.5 + 3.0 * t));
        mix(dm::db_to_amplitude(-150.0 + 300.0 * t));
        mix(dm::amplitude_to_db(1e-6 + t));
    }
    EXPECT_EQ(h, 0xc2d1725dfa5ac11cULL) << "got " << std::hex << "0x" << h;
}
