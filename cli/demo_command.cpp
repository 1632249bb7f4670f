#include "demo_command.hpp"

#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "atomic_file.hpp"
#include "exit_codes.hpp"
#include "gloss/meter.hpp"
#include "signals.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

enum class Kind { Music, Silence, Broken };

struct DemoFile {
  std::string album;
  std::string name;
  Kind kind;
  int format;  // libsndfile major | subtype
  int sample_rate;
  double seconds;
  double target_lufs;  // music only
  double density;      // music only: lower is sparser (a ballad)
};

const std::vector<DemoFile>& demo_files() {
  static const std::vector<DemoFile> files = {
      {"Album One", "01 - Sunrise.wav", Kind::Music, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 14, -14, 1.0},
      {"Album One", "02 - Slow Ballad.flac", Kind::Music, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 48000, 12, -24, 0.15},
      {"Album One", "03 - Finale.flac", Kind::Music, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 48000, 12, -11, 1.0},
      {"Album Two", "01-intro.flac", Kind::Music, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 48000, 8, -18, 0.5},
      {"Album Two", "02-theme.wav", Kind::Music, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 10, -15, 0.9},
      {"Album Two", "03-silence.wav", Kind::Silence, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 4, 0, 0},
      {"Album Two", "05-broken.wav", Kind::Broken, 0, 0, 0, 0, 0},
  };
  return files;
}

std::string describe(const DemoFile& f) {
  if (f.kind == Kind::Broken) return "deliberately broken: its header stops after 26 bytes";
  const bool flac = (f.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC;
  const bool pcm16 = (f.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
  const std::string what = f.kind == Kind::Silence ? "digital silence" : fmt::format("music at about {} LUFS", f.target_lufs);
  return fmt::format("{} {}-bit {} kHz stereo, {:.0f} s, {}", flac ? "FLAC" : "WAV", pcm16 ? 16 : 24,
                     f.sample_rate / 1000.0, f.seconds, what);
}

// Peaks above 0.9 are bent smoothly towards 1.0, like a gentle mastering limiter, so the
// integer formats never clip.
void soft_limit(AudioTrack& t) {
  for (float& s : t.samples) {
    const double a = std::fabs(s);
    if (a <= 0.9) continue;
    const double bent = 0.9 + 0.0999 * std::tanh((a - 0.9) / 0.0999);
    s = static_cast<float>(s < 0 ? -bent : bent);
  }
}

// Music at the file's target loudness: measured with gloss itself, then scaled.
AudioTrack make_demo_music(const DemoFile& f, Backend& backend, std::uint64_t seed) {
  AudioTrack t = make_music(f.sample_rate, 2, f.seconds, 1.0, f.density, seed);
  const double measured = analyze_tracks(backend, {&t}).front().integrated_lufs;
  scale(t, std::pow(10.0, (f.target_lufs - measured) / 20.0));
  soft_limit(t);
  return t;
}

std::vector<float> interleave(const AudioTrack& t) {
  std::vector<float> out(t.samples.size());
  for (int c = 0; c < t.channels; ++c)
    for (std::int64_t i = 0; i < t.frames; ++i)
      out[static_cast<std::size_t>(i * t.channels + c)] = t.channel(c)[static_cast<std::size_t>(i)];
  return out;
}

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

// Encodes with libsndfile into a temporary name beside `path`, then renames it into place.
std::string write_audio(const fs::path& path, const AudioTrack& t, int format) {
  const fs::path temp = path.parent_path() / fmt::format(".{}.tmp", path.filename().string());
  SF_INFO info{};
  info.samplerate = t.sample_rate;
  info.channels = t.channels;
  info.format = format;
  {
    std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(temp.c_str(), SFM_WRITE, &info));
    if (!file) return fmt::format("{}: cannot create: {}", path.string(), sf_strerror(nullptr));
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const std::vector<float> samples = interleave(t);
    if (sf_writef_float(file.get(), samples.data(), t.frames) != t.frames) {
      const std::string why = sf_strerror(file.get());
      file.reset();
      fs::remove(temp);
      return fmt::format("{}: cannot write: {}", path.string(), why);
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fmt::format("{}: cannot rename into place: {}", path.string(), ec.message());
  }
  return {};
}

// The start of a WAV header, cut inside the fmt chunk: no decoder can open it.
std::string broken_wav() {
  const unsigned char bytes[] = {'R', 'I', 'F', 'F', 0x24, 0x10, 0, 0, 'W', 'A', 'V', 'E', 'f',
                                 'm', 't', ' ', 16,   0,    0, 0, 1, 0,   2,   0,   0x44, 0xAC};
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

std::string write_one(const DemoFile& f, const fs::path& path, Backend& backend, std::uint64_t seed) {
  switch (f.kind) {
    case Kind::Broken: return write_file_atomically(path, broken_wav());
    case Kind::Silence: return write_audio(path, make_sine(f.sample_rate, 2, f.seconds, 1000, 0.0), f.format);
    case Kind::Music: return write_audio(path, make_demo_music(f, backend, seed), f.format);
  }
  return {};
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CLI::App* add_demo_command(CLI::App& app, DemoOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Write a small demo catalog into DIR to try gloss on: \"Album One\" (three generated music\n"
      "tracks, WAV 16-bit 44.1 kHz and FLAC 24-bit 48 kHz, at different loudness, one a quiet\n"
      "ballad) and \"Album Two\" (two tracks, a silent one and a deliberately broken file, to show\n"
      "how failures are reported). About a minute of audio. Existing files are never\n"
      "overwritten unless --force is given.");
  cmd->add_option("dir", o.directory, "Folder to write the demo catalog into (created if missing)")->required();
  cmd->add_flag("--force", o.force, "Overwrite demo files that already exist");
  cmd->footer("Example:\n  gloss demo /tmp/gloss-demo && gloss analyze /tmp/gloss-demo --json /tmp/report.json");
  return cmd;
}

int run_demo(const DemoOptions& o) {
  const fs::path root(o.directory);
  if (!o.force) {
    for (const DemoFile& f : demo_files()) {
      std::error_code ec;
      const fs::path path = root / f.album / f.name;
      if (fs::exists(fs::symlink_status(path, ec))) {
        fmt::print(stderr, "gloss demo: {} already exists; nothing was written. Use --force to overwrite the demo files, or pick another folder\n",
                   path.string());
        return kExitOutputFailed;
      }
    }
  }
  std::unique_ptr<Backend> backend = make_backend("cpu");
  std::uint64_t seed = 1;
  for (const DemoFile& f : demo_files()) {
    const fs::path path = root / f.album / f.name;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      fmt::print(stderr, "gloss demo: cannot create folder {}: {}\n", path.parent_path().string(), ec.message());
      return kExitOutputFailed;
    }
    if (const std::string why = write_one(f, path, *backend, seed++); !why.empty()) {
      fmt::print(stderr, "gloss demo: {}\n", why);
      return kExitOutputFailed;
    }
    fmt::print("wrote {}  ({})\n", path.string(), describe(f));
  }
  fmt::print("\nNext, measure it (05-broken.wav will fail on purpose, so the exit status is 1):\n  gloss analyze {} --json report.json\n",
             shell_quote(o.directory));
  return kExitOk;
}

}  // namespace gloss::cli
