// decode_album: every track decoded once, results by album position whatever the order the
// threads took them in, largest file first, broken files reported by name, the same on one
// thread as on several.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <fmt/format.h>
#include <fstream>
#include <mutex>
#include <vector>

#include "album_decode.hpp"
#include "support/signals.hpp"
#include "support/temp_folder.hpp"
#include "support/wav_file.hpp"

namespace {

namespace fs = std::filesystem;
using gloss::cli::CatalogAlbum;

// Five tracks of different lengths (not in length order) and a broken one in the middle.
CatalogAlbum make_album(const fs::path& folder) {
  CatalogAlbum album;
  const double seconds[] = {1.0, 4.0, 0.5, 3.0, 2.0};
  for (int k = 0; k < 5; ++k) {
    const fs::path path = folder / fmt::format("t{}.wav", k);
    gloss::test::write_wav(path, gloss::test::programme(44100, 2, seconds[k], 10u + static_cast<unsigned>(k)), 0.5f);
    album.tracks.push_back({path, path.filename().string()});
    if (k == 2) {
      const fs::path broken = folder / "broken.wav";
      std::ofstream(broken) << "not a wav file at all";
      album.tracks.push_back({broken, "broken.wav"});
    }
  }
  return album;
}

TEST(AlbumDecode, TakesTheLargestFilesFirst) {
  gloss::test::TempFolder folder("gloss-album-decode");
  const CatalogAlbum album = make_album(folder.path());
  // Album positions: t0 1 s, t1 4 s, t2 0.5 s, broken (21 bytes), t3 3 s, t4 2 s.
  EXPECT_EQ(gloss::cli::largest_first(album), (std::vector<std::size_t>{1, 4, 5, 0, 2, 3}));
}

TEST(AlbumDecode, ResultsLandByAlbumPositionAndEachRunsOncePerTrack) {
  gloss::test::TempFolder folder("gloss-album-decode");
  const CatalogAlbum album = make_album(folder.path());
  std::mutex mutex;
  std::vector<int> calls(album.tracks.size(), 0);
  std::vector<gloss::cli::DecodeResult> decoded;
  tbb::task_arena(2).execute([&] {
    decoded = gloss::cli::decode_album(album, [&](std::size_t i, const gloss::cli::DecodeResult&) {
      std::lock_guard lock(mutex);
      ++calls[i];
    });
  });
  ASSERT_EQ(decoded.size(), album.tracks.size());
  EXPECT_EQ(calls, std::vector<int>(album.tracks.size(), 1));
  const std::int64_t frames[] = {44100, 4 * 44100, 22050, 0, 3 * 44100, 2 * 44100};
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    if (i == 3) {
      EXPECT_FALSE(decoded[i].ok());
      EXPECT_EQ(decoded[i].error.rfind("broken.wav: ", 0), 0u) << decoded[i].error;
      continue;
    }
    ASSERT_TRUE(decoded[i].ok()) << decoded[i].error;
    EXPECT_EQ(decoded[i].track->frames, frames[i]) << album.tracks[i].display;
  }
}

TEST(AlbumDecode, OneThreadDecodesTheSameSamplesAsSeveral) {
  gloss::test::TempFolder folder("gloss-album-decode");
  const CatalogAlbum album = make_album(folder.path());
  std::vector<gloss::cli::DecodeResult> one, several;
  tbb::task_arena(1).execute([&] { one = gloss::cli::decode_album(album); });
  tbb::task_arena(3).execute([&] { several = gloss::cli::decode_album(album); });
  ASSERT_EQ(one.size(), several.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].ok(), several[i].ok());
    EXPECT_EQ(one[i].error, several[i].error);
    if (one[i].ok() && several[i].ok()) {
      EXPECT_EQ(one[i].track->samples, several[i].track->samples);
    }
  }
}

}  // namespace
