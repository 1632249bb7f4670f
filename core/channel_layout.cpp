#include "gloss/channel_layout.hpp"

namespace gloss {

double bs1770_weight(ChannelRole role) {
  switch (role) {
    case ChannelRole::Lfe: return 0.0;
    case ChannelRole::LeftSurround:
    case ChannelRole::RightSurround: return 1.41;
    default: return 1.0;
  }
}

std::string_view role_name(ChannelRole role) {
  switch (role) {
    case ChannelRole::Left: return "L";
    case ChannelRole::Right: return "R";
    case ChannelRole::Center: return "C";
    case ChannelRole::Lfe: return "LFE";
    case ChannelRole::LeftSurround: return "Ls";
    case ChannelRole::RightSurround: return "Rs";
    case ChannelRole::LeftBack: return "Lb";
    case ChannelRole::RightBack: return "Rb";
    case ChannelRole::BackCenter: return "Cb";
    case ChannelRole::Mono: return "M";
    case ChannelRole::Other: return "other";
  }
  return "other";
}

std::vector<ChannelRole> default_layout(int channels) {
  using R = ChannelRole;
  switch (channels) {
    case 1: return {R::Mono};
    case 2: return {R::Left, R::Right};
    case 3: return {R::Left, R::Right, R::Center};
    case 4: return {R::Left, R::Right, R::LeftSurround, R::RightSurround};
    case 5: return {R::Left, R::Right, R::Center, R::LeftSurround, R::RightSurround};
    case 6: return {R::Left, R::Right, R::Center, R::Lfe, R::LeftSurround, R::RightSurround};
    // WAVE 6.1: FL FR FC LFE BC SL SR; 7.1: FL FR FC LFE BL BR SL SR (sides weigh 1.41, backs 1.0)
    case 7: return {R::Left, R::Right, R::Center, R::Lfe, R::BackCenter, R::LeftSurround, R::RightSurround};
    case 8:
      return {R::Left, R::Right, R::Center, R::Lfe, R::LeftBack, R::RightBack, R::LeftSurround, R::RightSurround};
    default: return std::vector<ChannelRole>(static_cast<std::size_t>(channels < 0 ? 0 : channels), R::Other);
  }
}

}  // namespace gloss
