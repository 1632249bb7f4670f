// Channel roles and their BS.1770 weights.
#pragma once

#include <string_view>
#include <vector>

namespace gloss {

inline constexpr int kMaxChannels = 8;  // mono to 7.1

enum class ChannelRole : unsigned char {
  Left,
  Right,
  Center,
  Lfe,
  LeftSurround,   // side/surround at 60..120 degrees azimuth: weight 1.41
  RightSurround,
  LeftBack,       // rear at 135..150 degrees: weight 1.0
  RightBack,
  BackCenter,
  Mono,
  Other,
};

// BS.1770-4 Table 3 / Annex 3 weights: L, R, C 1.0; surrounds 1.41; LFE excluded (0).
double bs1770_weight(ChannelRole role);

std::string_view role_name(ChannelRole role);

// Layout assumed when a file carries no channel map: the WAVE/SMPTE order that
// libebur128 also assumes (1: mono, 2: L R, 3: L R C, 4: L R Ls Rs, 5: L R C Ls Rs,
// 6: L R C LFE Ls Rs, 7: L R C LFE Cs Ls Rs... see channel_layout.cpp for 7 and 8).
std::vector<ChannelRole> default_layout(int channels);

}  // namespace gloss
