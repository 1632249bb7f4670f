#include "bad_inputs.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace gloss::test {

namespace fs = std::filesystem;

namespace {

// Little- and big-endian fields, appended to a byte string.
struct Bytes {
  std::string data;
  Bytes& text(const char* s) {
    data.append(s, std::strlen(s));
    return *this;
  }
  Bytes& le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) data.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return *this;
  }
  Bytes& be(std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) data.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    return *this;
  }
  Bytes& raw(const std::string& s) {
    data += s;
    return *this;
  }
};

struct Format {
  int tag = 1;  // 1 PCM, 3 IEEE float
  std::uint32_t channels = 2;
  std::uint32_t rate = 48000;
  std::uint32_t bits = 16;
};

std::string fmt_chunk(const Format& f, std::uint32_t chunk_size = 16) {
  const std::uint32_t block = f.channels * f.bits / 8;
  Bytes b;
  b.text("fmt ").le(chunk_size, 4).le(static_cast<std::uint64_t>(f.tag), 2).le(f.channels, 2).le(f.rate, 4);
  b.le(static_cast<std::uint64_t>(f.rate) * block, 4).le(block, 2).le(f.bits, 2);
  return b.data;
}

// A RIFF/WAVE file whose data chunk claims `claimed` bytes and holds `payload`.
std::string wav(const Format& f, const std::string& payload, std::uint64_t claimed) {
  Bytes b;
  b.text("RIFF").le(4 + 24 + 8 + payload.size(), 4).text("WAVE").raw(fmt_chunk(f));
  b.text("data").le(claimed, 4).raw(payload);
  return b.data;
}
std::string wav(const Format& f, const std::string& payload) { return wav(f, payload, payload.size()); }

// RF64 (EBU Tech 3306): the real sizes are 64-bit fields of the ds64 chunk.
std::string rf64_header(const Format& f, std::uint64_t data_bytes, std::uint64_t frames) {
  Bytes b;
  b.text("RF64").le(0xFFFFFFFFu, 4).text("WAVE");
  b.text("ds64").le(28, 4).le(4 + 36 + 24 + 8 + data_bytes, 8).le(data_bytes, 8).le(frames, 8).le(0, 4);
  b.raw(fmt_chunk(f)).text("data").le(0xFFFFFFFFu, 4);
  return b.data;
}

// AIFF whose COMM chunk claims `frames` frames of 16-bit audio at 44.1 kHz.
std::string aiff(std::uint32_t channels, std::uint64_t frames, const std::string& payload) {
  Bytes b;
  b.text("FORM").be(4 + 26 + 16 + payload.size(), 4).text("AIFF");
  b.text("COMM").be(18, 4).be(channels, 2).be(frames, 4).be(16, 2);
  b.be(0x400E, 2).be(0xAC44000000000000ull, 8);  // 44100 as an 80-bit extended float
  b.text("SSND").be(8 + payload.size(), 4).be(0, 4).be(0, 4).raw(payload);
  return b.data;
}

std::string pcm16(const std::vector<std::int16_t>& samples) {
  Bytes b;
  for (std::int16_t s : samples) b.le(static_cast<std::uint16_t>(s), 2);
  return b.data;
}

std::string float32(const std::vector<float>& samples) {
  Bytes b;
  for (float s : samples) {
    std::uint32_t u = 0;
    std::memcpy(&u, &s, 4);
    b.le(u, 4);
  }
  return b.data;
}

// Interleaved stereo sine, `seconds` long, at `amplitude` (full scale 1).
std::vector<float> stereo_sine(int rate, double seconds, double amplitude) {
  const auto frames = static_cast<std::size_t>(rate * seconds);
  std::vector<float> s(2 * frames);
  for (std::size_t n = 0; n < frames; ++n)
    s[2 * n] = s[2 * n + 1] = static_cast<float>(amplitude * std::sin(2 * M_PI * 997.0 * static_cast<double>(n) / rate));
  return s;
}

std::vector<std::int16_t> to_pcm16(const std::vector<float>& s) {
  std::vector<std::int16_t> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = static_cast<std::int16_t>(std::lrint(s[i] * 32767.0f));
  return out;
}

void put(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// FLAC bytes (a -20 dBFS stereo sine, 3 s) written by libsndfile.
void put_flac(const fs::path& path) {
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 2;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  const fs::path temp = path.string() + ".flac";
  SNDFILE* f = sf_open(temp.c_str(), SFM_WRITE, &info);
  if (f == nullptr) throw std::runtime_error("cannot write " + temp.string());
  const std::vector<float> s = stereo_sine(44100, 3, 0.1);
  sf_writef_float(f, s.data(), static_cast<sf_count_t>(s.size() / 2));
  sf_close(f);
  fs::rename(temp, path);
}

// Ten hours of 44.1 kHz stereo float silence (12.7 GB decoded) as a sparse RF64 file: the
// header is written and the rest is a hole, so it takes no disk space and no time to make.
void put_ten_hours_of_silence(const fs::path& path) {
  const Format f{3, 2, 44100, 32};
  const std::uint64_t frames = 44100ull * 3600 * 10, data_bytes = frames * 8;
  const std::string header = rf64_header(f, data_bytes, frames);
  put(path, header);
  if (::truncate(path.c_str(), static_cast<off_t>(header.size() + data_bytes)) != 0)
    throw std::runtime_error("cannot extend " + path.string());
}

}  // namespace

std::vector<BadInput> write_bad_inputs(const fs::path& folder) {
  fs::create_directories(folder);
  std::vector<BadInput> list;
  auto add = [&](const std::string& name, const std::string& bytes, const std::string& fault, bool refused,
                 const std::string& reason) {
    put(folder / name, bytes);
    list.push_back({name, fault, refused, reason});
  };
  const Format stereo16{1, 2, 48000, 16}, stereo_float{3, 2, 48000, 32};
  const std::string good = wav(stereo16, pcm16(to_pcm16(stereo_sine(48000, 1, 0.1))));

  // Truncated and empty files.
  add("empty.wav", "", "zero-length file", true, "file is empty");
  add("cut-in-header.wav", good.substr(0, 30), "truncated inside the header", true, "cannot decode");
  add("cut-in-data.wav", wav(stereo16, pcm16(std::vector<std::int16_t>(2 * 12000, 1000)), 4u * 48000),
      "data chunk claims 1 s, holds 0.25 s", true, "truncated");

  // Wrong extensions.
  put_flac(folder / "flac-bytes.wav");
  list.push_back({"flac-bytes.wav", "FLAC audio named .wav", false, ""});
  add("text.flac", "This is not audio: a text file named .flac\n", "text named .flac", true, "cannot decode");
  add("wav-bytes.mp3", good, "WAV audio named .mp3", false, "");

  // Headers that lie about the size: refused before anything is allocated.
  add("claims-2g-frames.wav", wav({1, 1, 44100, 8}, std::string(1000, '\x80'), 0x80000000u),
      "WAV header claims 2^31 frames, holds 1000", true, "2147483648 frames");
  add("claims-2g-frames-rf64.wav", rf64_header(stereo_float, 8ull << 31, 1ull << 31) + std::string(4000, '\0'),
      "RF64 header claims 2^31 stereo float frames (16 GiB), holds 500", true, "2147483648 frames");
  add("claims-2g-frames.aif", aiff(2, 1ull << 31, std::string(4000, '\0')),
      "AIFF COMM claims 2^31 frames, SSND holds 1000", true, "2147483648 frames");
  add("65535-channels.wav", wav({1, 65535, 48000, 16}, std::string(65535 * 2 * 4, '\0')),
      "header claims 65,535 channels", true, "channels");
  add("huge-fmt-chunk.wav", [&] {
        Bytes b;
        b.text("RIFF").le(1000, 4).text("WAVE").raw(fmt_chunk(stereo16, 0xFFFFFFF0u)).text("data").le(400, 4);
        return b.data + std::string(400, '\0');
      }(),
      "fmt chunk claims 4 GiB", true, "'fmt ' chunk");

  // Absurd sample rates.
  const std::string second = pcm16(std::vector<std::int16_t>(2 * 4800, 1000));
  add("rate-0hz.wav", wav({1, 2, 0, 16}, second), "sample rate 0 Hz", true, "sample rate");
  add("rate-1hz.wav", wav({1, 2, 1, 16}, second), "sample rate 1 Hz", true, "1 Hz is outside");
  add("rate-4ghz.wav", wav({1, 2, 4000000000u, 16}, second), "sample rate 4 GHz", true, "sample rate");

  // Float samples that are not numbers, and ones that are barely numbers.
  std::vector<float> nan = stereo_sine(48000, 1, 0.1);
  nan[2 * 1000 + 1] = std::numeric_limits<float>::quiet_NaN();
  add("nan-sample.wav", wav(stereo_float, float32(nan)), "one NaN float sample", true, "NaN");
  std::vector<float> inf = stereo_sine(48000, 1, 0.1);
  inf[0] = std::numeric_limits<float>::infinity();
  add("inf-sample.wav", wav(stereo_float, float32(inf)), "one +Inf float sample", true, "Inf");
  std::vector<float> denormal(2 * 48000 * 3);
  for (std::size_t i = 0; i < denormal.size(); ++i) denormal[i] = (i % 2 ? -1.0f : 1.0f) * 1e-40f;
  add("denormal.wav", wav(stereo_float, float32(denormal)), "3 s of denormal floats (1e-40)", false, "");

  // Degenerate but honest signals: measured.
  add("dc-only.wav", wav(stereo16, pcm16(std::vector<std::int16_t>(2 * 48000 * 3, 16384))),
      "3 s of DC at half scale", false, "");
  add("one-sample.wav", wav({1, 1, 48000, 16}, pcm16({16384})), "a single sample", false, "");
  add("silence.wav", wav(stereo16, pcm16(std::vector<std::int16_t>(2 * 48000 * 3, 0))), "3 s of digital silence", false,
      "");
  put_ten_hours_of_silence(folder / "ten-hours-silence.wav");
  list.push_back({"ten-hours-silence.wav", "10 h of 44.1 kHz stereo float silence (12.7 GB decoded, sparse)", true,
                  "of memory"});
  return list;
}

}  // namespace gloss::test
