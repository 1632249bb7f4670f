#include "tag_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <taglib/aifffile.h>
#include <taglib/fileref.h>
#include <taglib/flacfile.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4file.h>
#include <taglib/mp4tag.h>
#include <taglib/mpegfile.h>
#include <taglib/oggflacfile.h>
#include <taglib/opusfile.h>
#include <taglib/textidentificationframe.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/xiphcomment.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <system_error>

#include "ascii_case.hpp"
#include "number_format.hpp"

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMp4Prefix = "----:com.apple.iTunes:";

// A tag gloss owns: any ReplayGain or R128 tag (replaced cleanly) and its own settings tag.
bool is_gain_tag(const std::string& name) {
  const std::string u = ascii_upper(name);
  return u.starts_with("REPLAYGAIN_") || u == "R128_TRACK_GAIN" || u == "R128_ALBUM_GAIN" || u == kSettingsTag;
}

std::string errno_text() { return std::strerror(errno); }

// --- Vorbis comments (FLAC, Ogg Vorbis, Ogg FLAC, Opus) ---------------------------------

void apply_xiph(TagLib::Ogg::XiphComment& c, const std::vector<std::pair<std::string, std::string>>& tags) {
  std::vector<TagLib::String> doomed;
  for (const auto& [key, values] : c.fieldListMap())
    if (is_gain_tag(key.to8Bit(true))) doomed.push_back(key);
  for (const TagLib::String& key : doomed) c.removeFields(key);
  for (const auto& [name, value] : tags) c.addField(name, TagLib::String(value, TagLib::String::UTF8), true);
}

void read_xiph(const TagLib::Ogg::XiphComment* c, std::map<std::string, std::string>& out) {
  if (c == nullptr) return;
  for (const auto& [key, values] : c->fieldListMap())
    if (is_gain_tag(key.to8Bit(true))) out[key.to8Bit(true)] = values.toString("\n").to8Bit(true);
}

// --- ID3v2 TXXX frames (MP3, WAV, AIFF) ----------------------------------------------------

void apply_id3v2(TagLib::ID3v2::Tag& tag, const std::vector<std::pair<std::string, std::string>>& tags) {
  const TagLib::ID3v2::FrameList frames = tag.frameList("TXXX");  // a copy: removal edits the tag's list
  for (TagLib::ID3v2::Frame* f : frames) {
    auto* txxx = dynamic_cast<TagLib::ID3v2::UserTextIdentificationFrame*>(f);
    if (txxx != nullptr && is_gain_tag(txxx->description().to8Bit(true))) tag.removeFrame(txxx, true);
  }
  for (const auto& [name, value] : tags) {
    auto* frame = new TagLib::ID3v2::UserTextIdentificationFrame(TagLib::String::Latin1);
    frame->setDescription(TagLib::String(name, TagLib::String::UTF8));
    frame->setText(TagLib::String(value, TagLib::String::UTF8));
    tag.addFrame(frame);
  }
}

void read_id3v2(const TagLib::ID3v2::Tag* tag, std::map<std::string, std::string>& out) {
  if (tag == nullptr) return;
  for (TagLib::ID3v2::Frame* f : tag->frameList("TXXX")) {
    auto* txxx = dynamic_cast<TagLib::ID3v2::UserTextIdentificationFrame*>(f);
    if (txxx == nullptr) continue;
    const std::string name = txxx->description().to8Bit(true);
    if (!is_gain_tag(name)) continue;
    TagLib::StringList values = txxx->fieldList();
    if (!values.isEmpty()) values.erase(values.begin());  // the first field is the description
    std::string& slot = out[name];
    if (!slot.empty()) slot += '\n';
    slot += values.toString(" ").to8Bit(true);
  }
}

// --- MP4 freeform atoms ---------------------------------------------------------------------

void apply_mp4(TagLib::MP4::Tag& tag, const std::vector<std::pair<std::string, std::string>>& tags) {
  std::vector<TagLib::String> doomed;
  const std::string prefix = ascii_upper(kMp4Prefix);
  for (const auto& [key, item] : tag.itemMap()) {
    const std::string k = key.to8Bit(true);
    if (ascii_upper(k).starts_with(prefix) && is_gain_tag(k.substr(prefix.size()))) doomed.push_back(key);
  }
  for (const TagLib::String& key : doomed) tag.removeItem(key);
  for (const auto& [name, value] : tags)
    tag.setItem(TagLib::String(kMp4Prefix + name, TagLib::String::UTF8),
                TagLib::MP4::Item(TagLib::StringList(TagLib::String(value, TagLib::String::UTF8))));
}

void read_mp4(const TagLib::MP4::Tag* tag, std::map<std::string, std::string>& out) {
  if (tag == nullptr) return;
  const std::string prefix = ascii_upper(kMp4Prefix);
  for (const auto& [key, item] : tag->itemMap()) {
    const std::string k = key.to8Bit(true);
    if (!ascii_upper(k).starts_with(prefix) || !is_gain_tag(k.substr(prefix.size()))) continue;
    std::string& slot = out[k.substr(prefix.size())];
    if (!slot.empty()) slot += '\n';
    slot += item.toStringList().toString("\n").to8Bit(true);
  }
}

TagFormat format_of(TagLib::File* f) {
  if (f == nullptr || !f->isValid()) return TagFormat::Unsupported;
  if (dynamic_cast<TagLib::FLAC::File*>(f)) return TagFormat::Flac;
  if (dynamic_cast<TagLib::Ogg::Vorbis::File*>(f)) return TagFormat::OggVorbis;
  if (dynamic_cast<TagLib::Ogg::FLAC::File*>(f)) return TagFormat::OggFlac;
  if (dynamic_cast<TagLib::Ogg::Opus::File*>(f)) return TagFormat::Opus;
  if (dynamic_cast<TagLib::MPEG::File*>(f)) return TagFormat::Mp3;
  if (dynamic_cast<TagLib::MP4::File*>(f)) return TagFormat::Mp4;
  if (dynamic_cast<TagLib::RIFF::WAV::File*>(f)) return TagFormat::Wav;
  if (dynamic_cast<TagLib::RIFF::AIFF::File*>(f)) return TagFormat::Aiff;
  return TagFormat::Unsupported;
}

// Edits the tags of an opened file and saves it; false when TagLib could not save.
bool apply_and_save(TagLib::File* f, TagFormat format, const std::vector<std::pair<std::string, std::string>>& tags) {
  switch (format) {
    case TagFormat::Flac: {
      auto* file = static_cast<TagLib::FLAC::File*>(f);
      apply_xiph(*file->xiphComment(true), tags);
      return file->save();
    }
    case TagFormat::OggVorbis:
    case TagFormat::OggFlac:
    case TagFormat::Opus: {
      auto* comment = dynamic_cast<TagLib::Ogg::XiphComment*>(f->tag());
      if (comment == nullptr) return false;
      apply_xiph(*comment, tags);
      return f->save();
    }
    case TagFormat::Mp3: {
      auto* file = static_cast<TagLib::MPEG::File*>(f);
      apply_id3v2(*file->ID3v2Tag(true), tags);
      return file->save(TagLib::MPEG::File::ID3v2, TagLib::File::StripNone, TagLib::ID3v2::v4,
                        TagLib::File::DoNotDuplicate);
    }
    case TagFormat::Mp4: {
      auto* file = static_cast<TagLib::MP4::File*>(f);
      if (file->tag() == nullptr) return false;
      apply_mp4(*file->tag(), tags);
      return file->save();
    }
    case TagFormat::Wav: {
      auto* file = static_cast<TagLib::RIFF::WAV::File*>(f);
      apply_id3v2(*file->ID3v2Tag(), tags);
      return file->save(TagLib::RIFF::WAV::File::ID3v2, TagLib::File::StripNone, TagLib::ID3v2::v4);
    }
    case TagFormat::Aiff: {
      auto* file = static_cast<TagLib::RIFF::AIFF::File*>(f);
      apply_id3v2(*file->tag(), tags);
      return file->save(TagLib::ID3v2::v4);
    }
    case TagFormat::Unsupported: break;
  }
  return false;
}

// Flushes a file's data to disk.
bool sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace

std::string format_gain(double db) { return fixed(round_to(db, 2), 2) + " dB"; }

std::string format_peak(double linear) { return fixed(round_to(linear, 6), 6); }

int r128_gain_q78(double replaygain_db) {
  const double q = std::round((replaygain_db - 5.0) * 256.0);
  return static_cast<int>(std::clamp(q, -32768.0, 32767.0));
}

TagFormat tag_format_of(const fs::path& path) {
  TagLib::FileRef ref(path.c_str(), false);
  return format_of(ref.file());
}

std::string to_string(TagFormat format) {
  switch (format) {
    case TagFormat::Flac: return "FLAC (Vorbis comments)";
    case TagFormat::OggVorbis: return "Ogg Vorbis (Vorbis comments)";
    case TagFormat::OggFlac: return "Ogg FLAC (Vorbis comments)";
    case TagFormat::Opus: return "Opus (R128 gains)";
    case TagFormat::Mp3: return "MP3 (ID3v2 TXXX)";
    case TagFormat::Mp4: return "MP4 (iTunes freeform atoms)";
    case TagFormat::Wav: return "WAV (ID3v2 chunk)";
    case TagFormat::Aiff: return "AIFF (ID3v2 chunk)";
    case TagFormat::Unsupported: break;
  }
  return "unsupported";
}

std::vector<std::pair<std::string, std::string>> planned_tags(TagFormat format, const GainTags& t, TagCase name_case) {
  std::vector<std::pair<std::string, std::string>> out;
  // Vorbis comment names are case-insensitive and TagLib stores them uppercase.
  const bool xiph = format == TagFormat::Flac || format == TagFormat::OggVorbis || format == TagFormat::OggFlac ||
                    format == TagFormat::Opus;
  auto add = [&](const std::string& name, std::string value) {
    out.emplace_back(name_case == TagCase::Lower && !xiph ? ascii_lower(name) : name, std::move(value));
  };
  if (format == TagFormat::Opus) {
    add("R128_TRACK_GAIN", std::to_string(r128_gain_q78(t.track_gain_db)));
    if (t.album_gain_db) add("R128_ALBUM_GAIN", std::to_string(r128_gain_q78(*t.album_gain_db)));
  } else {
    add("REPLAYGAIN_TRACK_GAIN", format_gain(t.track_gain_db));
    add("REPLAYGAIN_TRACK_PEAK", format_peak(t.track_peak));
    if (t.album_gain_db) add("REPLAYGAIN_ALBUM_GAIN", format_gain(*t.album_gain_db));
    if (t.album_peak) add("REPLAYGAIN_ALBUM_PEAK", format_peak(*t.album_peak));
    add("REPLAYGAIN_REFERENCE_LOUDNESS", fixed(round_to(t.reference_lufs, 2), 2) + " LUFS");
  }
  add(kSettingsTag, t.settings);
  return out;
}

std::string write_gain_tags(const fs::path& path, const std::string& display, const GainTags& tags,
                            TagCase name_case) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fmt::format("{}: cannot read: {}", display, errno_text());
  if (!S_ISREG(st.st_mode)) return fmt::format("{}: not a regular file; nothing was written", display);
  // Checked on the mode bits too: root may write anything, but a read-only file is a request.
  if ((st.st_mode & 0222) == 0 || ::access(path.c_str(), W_OK) != 0)
    return fmt::format("{}: the file is read-only; make it writable (chmod u+w) to tag it; left unchanged", display);
  std::error_code ec;
  const fs::path target = fs::canonical(path, ec);  // a symlink's target is tagged, the link stays
  if (ec) return fmt::format("{}: cannot resolve the path: {}", display, ec.message());

  // The copy keeps the extension: TagLib picks the format by it.
  const std::string ext = target.extension().string();
  std::string temp =
      (target.parent_path() / fmt::format(".{}.gloss-tag-XXXXXX{}", target.stem().string(), ext)).string();
  const int fd = ::mkstemps(temp.data(), static_cast<int>(ext.size()));
  if (fd < 0)
    return fmt::format("{}: cannot create a temporary copy beside it: {}; left unchanged", display, errno_text());
  ::close(fd);
  auto fail = [&](const std::string& why) {
    ::unlink(temp.c_str());
    return fmt::format("{}: {}; left unchanged", display, why);
  };
  fs::copy_file(target, temp, fs::copy_options::overwrite_existing, ec);
  if (ec) return fail("cannot copy the file to tag it: " + ec.message());
  ::chmod(temp.c_str(), st.st_mode & 07777);
  if (::chown(temp.c_str(), st.st_uid, st.st_gid) != 0) {
    // Only the owner's group may differ for a non-root user; the mode was kept, go on.
  }

  {
    TagLib::FileRef ref(temp.c_str(), false);
    const TagFormat format = format_of(ref.file());
    if (format == TagFormat::Unsupported)
      return fail("TagLib cannot write tags to this file (gloss tags FLAC, Ogg Vorbis, Opus, MP3, MP4/M4A, WAV, AIFF)");
    if (ref.file()->readOnly()) return fail("the temporary copy cannot be opened for writing");
    if (!apply_and_save(ref.file(), format, planned_tags(format, tags, name_case)))
      return fail("TagLib could not save the tags");
  }
  if (!sync_file(temp)) return fail("cannot flush the tagged copy to disk: " + errno_text());
  if (std::rename(temp.c_str(), target.c_str()) != 0) return fail("cannot replace the file: " + errno_text());
  return {};
}

std::map<std::string, std::string> read_gain_tags(const fs::path& path) {
  std::map<std::string, std::string> out;
  TagLib::FileRef ref(path.c_str(), false);
  TagLib::File* f = ref.file();
  switch (format_of(f)) {
    case TagFormat::Flac: read_xiph(static_cast<TagLib::FLAC::File*>(f)->xiphComment(false), out); break;
    case TagFormat::OggVorbis:
    case TagFormat::OggFlac:
    case TagFormat::Opus: read_xiph(dynamic_cast<TagLib::Ogg::XiphComment*>(f->tag()), out); break;
    case TagFormat::Mp3: read_id3v2(static_cast<TagLib::MPEG::File*>(f)->ID3v2Tag(false), out); break;
    case TagFormat::Mp4: read_mp4(static_cast<TagLib::MP4::File*>(f)->tag(), out); break;
    case TagFormat::Wav: read_id3v2(static_cast<TagLib::RIFF::WAV::File*>(f)->ID3v2Tag(), out); break;
    case TagFormat::Aiff: read_id3v2(static_cast<TagLib::RIFF::AIFF::File*>(f)->tag(), out); break;
    case TagFormat::Unsupported: break;
  }
  return out;
}

}  // namespace gloss::cli
