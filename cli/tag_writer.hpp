// Writing ReplayGain 2.0 and R128 tags with TagLib, never touching the audio data.
//
// Formats: FLAC and Ogg Vorbis (Vorbis comments), Opus (R128_TRACK_GAIN/R128_ALBUM_GAIN,
// Q7.8 relative to -23 LUFS; the header output gain is left alone), MP3 (ID3v2.4 TXXX
// frames), MP4/M4A (----:com.apple.iTunes:replaygain_* freeform atoms), WAV and AIFF (their
// ID3v2 chunk). Existing ReplayGain/R128 tags are removed before the new ones are added, so
// a file never carries two values for one tag.
//
// A file is changed only through a temporary copy beside it: the copy is tagged, flushed and
// renamed over the original when TagLib saved it. Any failure leaves the original as it was.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gloss::cli {

enum class TagCase { Upper, Lower };  // tag names for ID3v2 and MP4 (Vorbis comments are case-blind)

// The values for one file, already rounded the way they are written.
struct GainTags {
  double reference_lufs = -18.0;
  double track_gain_db = 0;  // reference - track integrated loudness
  double track_peak = 0;     // linear, 1.0 = full scale
  std::optional<double> album_gain_db;
  std::optional<double> album_peak;
  std::string settings;  // the gloss version/settings tag (GLOSS_TAG_SETTINGS)
};

// The name of the tag that records how the other tags were made.
inline constexpr const char* kSettingsTag = "GLOSS_TAG_SETTINGS";

// "-6.52 dB": two decimals, rounded half away from zero, never "-0.00".
std::string format_gain(double db);
// "0.988553": linear, six decimals.
std::string format_peak(double linear);
// An R128 gain: Q7.8 fixed point (1/256 dB), clamped to int16. R128 gains are relative to
// -23 LUFS, 5 dB below ReplayGain's -18 LUFS, so the value is the ReplayGain gain less 5 dB
// (as loudgain and rsgain write it): -23 - loudness with the default reference, and a
// different --reference moves it by the same amount as the ReplayGain gain.
int r128_gain_q78(double replaygain_db);

// The tag family a file gets, from its contents (TagLib) and extension.
enum class TagFormat { Unsupported, Flac, OggVorbis, OggFlac, Opus, Mp3, Mp4, Wav, Aiff };
TagFormat tag_format_of(const std::filesystem::path& path);
std::string to_string(TagFormat format);

// The (name, value) pairs that would be written to a file of this format, in order.
std::vector<std::pair<std::string, std::string>> planned_tags(TagFormat format, const GainTags& tags, TagCase name_case);

// Writes the tags; empty on success, else "<display>: <reason>" and the file is unchanged.
std::string write_gain_tags(const std::filesystem::path& path, const std::string& display, const GainTags& tags,
                            TagCase name_case);

// The ReplayGain, R128 and gloss tags a file carries now, names uppercased; empty when none
// or when the file can't be read. Several values of one name are joined with "\n".
std::map<std::string, std::string> read_gain_tags(const std::filesystem::path& path);

}  // namespace gloss::cli
