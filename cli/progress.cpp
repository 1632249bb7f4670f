#include "progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <stdexcept>

#include "report_json.hpp"  // Json

namespace gloss::cli {

namespace {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string duration_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const auto total = static_cast<long long>(std::llround(s));
  if (total >= 3600) return fmt::format("{}h{:02}m", total / 3600, total / 60 % 60);
  return fmt::format("{}m{:02}s", total / 60, total % 60);
}

std::string shorten(const std::string& text, std::size_t width) {
  return text.size() <= width ? text : "..." + text.substr(text.size() - (width - 3));
}

}  // namespace

ProgressMode parse_progress_mode(const std::string& word) {
  if (word == "auto") return ProgressMode::automatic;
  if (word == "bar") return ProgressMode::bar;
  if (word == "lines") return ProgressMode::lines;
  if (word == "json") return ProgressMode::json;
  if (word == "quiet") return ProgressMode::quiet;
  throw std::invalid_argument("progress must be auto, bar, lines, json or quiet");
}

Progress::Progress(ProgressMode mode, const ProgressTotals& totals) : mode_(mode), totals_(totals) {
  if (mode_ == ProgressMode::automatic) mode_ = stderr_is_terminal() ? ProgressMode::bar : ProgressMode::lines;
}

Progress::Progress(std::size_t tracks, bool quiet)
    : Progress(quiet || !stderr_is_terminal() ? ProgressMode::quiet : ProgressMode::bar, {0, tracks, 0}) {}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double Progress::realtime_factor() const {
  const double t = elapsed_s();
  return t > 0 ? audio_seconds_ / t : 0;
}

std::string Progress::eta_text() const {
  // Resumed albums cost nothing, so they say nothing about the rate.
  const std::uint64_t worked = bytes_done_ - bytes_resumed_;
  if (totals_.input_bytes == 0 || worked == 0) return "?";
  const double remaining = static_cast<double>(totals_.input_bytes - std::min(totals_.input_bytes, bytes_done_));
  return duration_text(remaining * elapsed_s() / static_cast<double>(worked));
}

void Progress::draw_bar(const std::string& what, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && line_shown_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  std::string line = totals_.albums > 0 ? fmt::format("albums {}/{}  ", albums_done_, totals_.albums) : "";
  line += fmt::format("tracks {}/{}", tracks_done_, totals_.tracks);
  if (failed_ > 0) line += fmt::format("  {} failed", failed_);
  if (audio_seconds_ > 0) line += fmt::format("  {:.1f}x realtime", realtime_factor());
  if (totals_.input_bytes > 0) line += fmt::format("  ETA {}", eta_text());
  line += "  " + shorten(what, 40);
  // "\r" + erase-line (a cursor control, not a colour, so NO_COLOR does not apply).
  fmt::print(stderr, "\r\x1b[2K{}", line);
  std::fflush(stderr);
  line_shown_ = true;
}

void Progress::track_done(const std::string& what, double audio_seconds, bool failed) {
  std::lock_guard lock(mutex_);
  ++tracks_done_;
  audio_seconds_ += audio_seconds;
  failed_ += failed ? 1 : 0;
  if (mode_ == ProgressMode::bar) draw_bar(what, false);
}

void Progress::album_done(const std::string& album, std::size_t tracks, std::size_t failed, std::uint64_t bytes,
                          bool resumed) {
  std::lock_guard lock(mutex_);
  ++albums_done_;
  bytes_done_ += bytes;
  if (resumed) {
    ++resumed_;
    bytes_resumed_ += bytes;
    tracks_done_ += tracks;
  }
  switch (mode_) {
    case ProgressMode::bar:
      draw_bar(album, true);
      break;
    case ProgressMode::lines:
      fmt::print(stderr, "gloss: [{}/{}] {}: {} track{}{}{}; {:.1f}x realtime, ETA {}\n", albums_done_, totals_.albums,
                 album, tracks, tracks == 1 ? "" : "s", failed > 0 ? fmt::format(", {} failed", failed) : "",
                 resumed ? ", already done (journal)" : "", realtime_factor(), eta_text());
      break;
    case ProgressMode::json: {
      const Json event{{"event", "album"},      {"album", album},
                       {"tracks", tracks},      {"failed", failed},
                       {"resumed", resumed},    {"albums_done", albums_done_},
                       {"albums_total", totals_.albums}, {"tracks_done", tracks_done_},
                       {"tracks_total", totals_.tracks}, {"failed_total", failed_},
                       {"realtime", json_number(realtime_factor(), 2)}, {"elapsed_s", json_number(elapsed_s(), 2)}};
      fmt::print(stderr, "{}\n", event.dump(-1, ' ', false, Json::error_handler_t::replace));
      break;
    }
    default:
      break;
  }
  std::fflush(stderr);
}

void Progress::clear() {
  std::lock_guard lock(mutex_);
  if (!line_shown_) return;
  fmt::print(stderr, "\r\x1b[2K");
  std::fflush(stderr);
  line_shown_ = false;
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (line_shown_) fmt::print(stderr, "\r\x1b[2K");
  line_shown_ = false;
  if (mode_ == ProgressMode::json) {
    const Json event{{"event", "done"},        {"albums_done", albums_done_}, {"albums_resumed", resumed_},
                     {"tracks_done", tracks_done_}, {"failed_total", failed_},   {"elapsed_s", json_number(elapsed_s(), 2)},
                     {"realtime", json_number(realtime_factor(), 2)}};
    fmt::print(stderr, "{}\n", event.dump());
  }
  std::fflush(stderr);
}

}  // namespace gloss::cli
