// The journal of a `gloss master` job: what is finished, so an interrupted job resumes and a
// finished one is a no-op.
//
// It lives in OUTDIR/.gloss/ as append-only JSON lines, one file per shard (shards of one job
// may share OUTDIR, even over a network filesystem, without sharing a file). A line is
// appended and flushed to disk only after the file it records is complete and in place, so a
// kill at any moment loses at most the line being written: a torn last line is ignored when
// the journal is read, and the file it would have recorded is made again (with the same
// bytes: the chain is deterministic).
//
//   {"record":"track", ...}  one finished track: input identity and SHA-256, settings hash,
//                            output path, size, mtime and SHA-256, backend (an audit trail)
//   {"record":"album", ...}  one finished album: its inputs, outputs and its report entry
//
// The unit of resumption is the album: album-mode gain depends on every track of the album,
// so an album interrupted half-way is made again whole (finished tracks are rewritten with
// identical bytes). An album is skipped when the journal has it for the same settings hash,
// with the same input files (path, size, modification time) and its outputs still on disk
// as written (size and modification time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "report_json.hpp"  // Json

namespace gloss::cli {

// Where a file is and what it looked like: cheap to check again on a rerun.
struct FileStamp {
  std::string path;
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// Nothing when the file is missing.
std::optional<FileStamp> stamp_file(const std::filesystem::path& path);

struct JournalTrack {
  std::string album_id;
  std::string settings_hash;
  FileStamp input;
  std::string input_sha256;
  FileStamp output;  // path relative to OUTDIR
  std::string output_sha256;
  std::string backend;
};

struct JournalAlbum {
  std::string album_id;
  std::string settings_hash;
  std::vector<FileStamp> inputs;   // every track of the album, in order
  std::vector<FileStamp> outputs;  // every file written, paths relative to OUTDIR
  Json entry;                      // the album's report entry
};

class Journal {
 public:
  // Reads every journal file in OUTDIR/.gloss/ (unless `ignore_existing`: --force) and
  // prepares this process's own file, journal-`shard_name`.jsonl. Throws std::runtime_error
  // with a message when the folder cannot be created.
  Journal(const std::filesystem::path& output_root, const std::string& shard_name, bool ignore_existing);

  // The report entry of `album_id` when it is finished for these settings and the files on
  // disk are as recorded.
  std::optional<Json> finished(const std::string& album_id, const std::string& settings_hash,
                               const std::vector<std::filesystem::path>& inputs) const;

  // Appends one record and flushes it to disk. Empty on success, else why not (the output is
  // still good; the next run will make it again).
  std::string record(const JournalTrack& track);
  std::string record(const JournalAlbum& album);

  const std::filesystem::path& file() const { return file_; }
  std::size_t albums_known() const { return albums_.size(); }

 private:
  std::string append(const Json& line);

  std::filesystem::path file_;
  std::map<std::pair<std::string, std::string>, JournalAlbum> albums_;  // (album id, settings hash)
  std::mutex mutex_;
};

}  // namespace gloss::cli
