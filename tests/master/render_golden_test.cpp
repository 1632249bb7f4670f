// The CPU render chain's output, pinned: FNV-1a hashes of renders (delivered samples, PCM,
// limiter statistics, verify readings) computed before the render stages became an interface
// (core/render_stages.hpp) and held since. A change here means a change of delivered bits,
// which every stored master and every CPU-vs-GPU comparison would notice; if it is meant,
// re-pin the table this test prints and say why in the commit.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "render_chain.hpp"
#include "render_fingerprint.hpp"
#include "render_signals.hpp"

namespace gloss {
namespace {

struct Delivery {
  int in_rate;
  int out_rate;
  int bits;
  NoiseShaping shaping;
};

// Every path of every stage: same rate and SRC (down, up, 2:1), 16/24-bit with flat TPDF and
// F-weighted shaping, float output, and a rate whose detector is the plain sample peak.
const std::vector<Delivery> kDeliveries = {
    {44100, 44100, 16, NoiseShaping::none},       {96000, 44100, 16, NoiseShaping::none},
    {44100, 48000, 24, NoiseShaping::f_weighted}, {48000, 48000, 16, NoiseShaping::f_weighted},
    {192000, 96000, 24, NoiseShaping::none},      {44100, 48000, 32, NoiseShaping::none},
};

// kGolden[d][t]: the hash of test::render::render_cases(in_rate, 0.4 s)[t] rendered for
// kDeliveries[d] at 0 dB and at +4 dB (both renders' hashes hashed together).
const std::vector<std::vector<std::uint64_t>> kGolden = {
    {0xc062dfb715de9da3ull, 0x5fcdbad6f5054946ull, 0x2151c4043949eb5dull, 0xd4aafcc65f7db4d6ull, 0xd93d359abac1672full, 0xa9ebc39692641c61ull, 0xbacbc5db9edffa4full, 0xae69f6741024196cull},
    {0xfad2108be8828f8dull, 0x85c02eb4c266c5d3ull, 0xb725512db4a09417ull, 0x6f1e12e4d44e994eull, 0x6af9b9921249d1aaull, 0x5707628cd5d7f051ull, 0x67cde6233408fab2ull, 0xde2e0419386a3168ull},
    {0x3884369cba21380bull, 0x103d4c07c82d638full, 0x420bbeb15c549861ull, 0x5cc565dfa63ca01bull, 0x3d18a5896f6372faull, 0xcb741c12b63ba3b0ull, 0xb065d99df80b6c5cull, 0xd6cef58cc9bc8af9ull},
    {0xdae69a6fca8cf658ull, 0x42161d9fec3603feull, 0x2c7c702229c9138eull, 0x665a1e523a64ecbeull, 0x3b71c066e778936cull, 0x097e874a4201db5bull, 0x16d109779e06616aull, 0x3c43dcc6a5b3a148ull},
    {0x79d58e8d7443ad4dull, 0xee874b4264075a8cull, 0xe2a468d7794a28daull, 0x4600f760546c1fedull, 0xb9eeb57c3b940c98ull, 0x34a6daf771f7a9ebull, 0x6fa69abbcecc3539ull, 0x6f4e1e21a504819eull},
    {0x42c711db7661062dull, 0xd2827f4f48679719ull, 0x4283bccfa50748a7ull, 0xe41c8db220c80871ull, 0x7407b22bfd624760ull, 0x6311c9700360c994ull, 0x9e5d772b5fae26e8ull, 0xa85833b014e36a56ull},
};

std::uint64_t case_hash(const AudioTrack& track, const Delivery& d, std::uint64_t key) {
  RenderSettings settings;
  settings.output_rate = d.out_rate;
  settings.output_bits = d.bits;
  settings.noise_shaping = d.shaping;
  settings.dither_seed = 0x5eed;
  std::string both;
  for (const double gain_db : {0.0, 4.0})
    test::render::append_value(both, test::render::render_hash(render_track(track, gain_db, settings, key)));
  return fnv1a(both);
}

TEST(RenderGolden, CpuRendersKeepTheirPinnedBits) {
  std::vector<std::vector<std::uint64_t>> actual;
  for (const Delivery& d : kDeliveries) {
    std::vector<std::uint64_t> row;
    std::uint64_t key = 100;
    for (const AudioTrack& track : test::render::render_cases(d.in_rate, 0.4)) row.push_back(case_hash(track, d, ++key));
    actual.push_back(row);
  }
  std::string table;
  for (const auto& row : actual) {
    table += "    {";
    for (std::size_t t = 0; t < row.size(); ++t) table += fmt::format("{}0x{:016x}ull", t == 0 ? "" : ", ", row[t]);
    table += "},\n";
  }
  ASSERT_EQ(kGolden.size(), actual.size()) << "the pinned table does not match the deliveries; now:\n" << table;
  for (std::size_t d = 0; d < actual.size(); ++d) {
    ASSERT_EQ(kGolden[d].size(), actual[d].size()) << "delivery " << d << "; now:\n" << table;
    const auto names = test::render::render_cases(kDeliveries[d].in_rate, 0.01);
    for (std::size_t t = 0; t < actual[d].size(); ++t)
      EXPECT_EQ(kGolden[d][t], actual[d][t])
          << names[t].name << " at " << kDeliveries[d].in_rate << " -> " << kDeliveries[d].out_rate << " Hz, "
          << kDeliveries[d].bits << " bit: the delivered bits changed; now:\n" << table;
  }
}

}  // namespace
}  // namespace gloss
