#include "job_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace gloss::cli {

namespace fs = std::filesystem;

namespace {

Json stamp_json(const FileStamp& s) { return Json{{"path", s.path}, {"size", s.size}, {"mtime_ns", s.mtime_ns}}; }

FileStamp stamp_from(const Json& j) {
  return {j.at("path").get<std::string>(), j.at("size").get<std::uintmax_t>(), j.at("mtime_ns").get<std::int64_t>()};
}

std::vector<FileStamp> stamps_from(const Json& array) {
  std::vector<FileStamp> out;
  for (const Json& j : array) out.push_back(stamp_from(j));
  return out;
}

// Paths in the journal: inputs absolute (the job may be rerun from another folder), outputs
// relative to OUTDIR (the output folder may be moved whole).
std::string absolute_text(const fs::path& p) {
  std::error_code ec;
  return fs::absolute(p, ec).lexically_normal().string();
}

}  // namespace

std::optional<FileStamp> stamp_file(const fs::path& path) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  const fs::file_time_type mtime = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  return FileStamp{path.string(), size, static_cast<std::int64_t>(ns)};
}

Journal::Journal(const fs::path& output_root, const std::string& shard_name, bool ignore_existing)
    : file_(output_root / ".gloss" / fmt::format("journal-{}.jsonl", shard_name)) {
  std::error_code ec, created;
  fs::create_directories(file_.parent_path(), created);
  if (!fs::is_directory(file_.parent_path(), ec))  // the cause is creation's ("Read-only file system")
    throw std::runtime_error(fmt::format("{}: cannot create the journal folder{}", file_.parent_path().string(),
                                         created ? ": " + created.message() : ""));
  if (ignore_existing) return;
  for (const fs::directory_entry& entry : fs::directory_iterator(file_.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("journal-") || entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      // A torn last line (a kill while appending) or anything unreadable is skipped: what it
      // recorded is simply made again.
      const Json j = Json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || j.value("record", "") != "album") continue;
      try {
        JournalAlbum a{j.at("album_id").get<std::string>(), j.at("settings_hash").get<std::string>(),
                       stamps_from(j.at("inputs")), stamps_from(j.at("outputs")), j.at("entry")};
        for (FileStamp& out : a.outputs) out.path = (output_root / out.path).string();
        albums_[{a.album_id, a.settings_hash}] = std::move(a);  // the latest record wins
      } catch (const Json::exception&) {
        continue;
      }
    }
  }
}

std::optional<Json> Journal::finished(const std::string& album_id, const std::string& settings_hash,
                                      const std::vector<fs::path>& inputs) const {
  const auto it = albums_.find({album_id, settings_hash});
  if (it == albums_.end()) return std::nullopt;
  const JournalAlbum& a = it->second;
  if (a.inputs.size() != inputs.size()) return std::nullopt;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::optional<FileStamp> now = stamp_file(inputs[i]);
    if (!now) return std::nullopt;
    now->path = absolute_text(inputs[i]);
    if (!(*now == a.inputs[i])) return std::nullopt;
  }
  for (const FileStamp& out : a.outputs) {
    const std::optional<FileStamp> now = stamp_file(out.path);
    if (!now || now->size != out.size || now->mtime_ns != out.mtime_ns) return std::nullopt;
  }
  return a.entry;
}

std::string Journal::record(const JournalTrack& t) {
  FileStamp input = t.input;
  input.path = absolute_text(input.path);
  Json line{{"record", "track"},         {"album_id", t.album_id},          {"settings_hash", t.settings_hash},
            {"input", stamp_json(input)}, {"input_sha256", t.input_sha256}, {"output", stamp_json(t.output)},
            {"output_sha256", t.output_sha256}, {"backend", t.backend}};
  return append(line);
}

std::string Journal::record(const JournalAlbum& a) {
  Json inputs = Json::array(), outputs = Json::array();
  for (FileStamp s : a.inputs) {
    s.path = absolute_text(s.path);
    inputs.push_back(stamp_json(s));
  }
  for (const FileStamp& s : a.outputs) outputs.push_back(stamp_json(s));
  return append(Json{{"record", "album"}, {"album_id", a.album_id}, {"settings_hash", a.settings_hash},
                     {"inputs", inputs}, {"outputs", outputs}, {"entry", a.entry}});
}

std::string Journal::append(const Json& line) {
  const std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  const int fd = ::open(file_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return fmt::format("{}: cannot open the journal: {}", file_.string(), std::strerror(errno));
  // A kill while appending can leave a torn last line; start on a fresh line so the torn one
  // stays the only casualty.
  std::string pending = text;
  if (const off_t end = ::lseek(fd, 0, SEEK_END); end > 0) {
    char last = '\n';
    if (::pread(fd, &last, 1, end - 1) == 1 && last != '\n') pending = "\n" + text;
  }
  std::size_t done = 0;
  while (done < pending.size()) {
    const ssize_t n = ::write(fd, pending.data() + done, pending.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return fmt::format("{}: cannot append to the journal: {}", file_.string(), why);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced ? "" : fmt::format("{}: cannot flush the journal: {}", file_.string(), std::strerror(errno));
}

}  // namespace gloss::cli
