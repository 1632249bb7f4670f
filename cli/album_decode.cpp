#include "album_decode.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fmt/format.h>
#include <new>
#include <system_error>

namespace gloss::cli {

DecodeResult decode_track(const CatalogTrack& t) {
  try {
    return decode_file(t.path, t.display);
  } catch (const std::bad_alloc&) {
    return {std::nullopt, t.display + ": not enough memory to decode this file; close other programs or run it alone"};
  } catch (const std::exception& e) {
    return {std::nullopt, fmt::format("{}: cannot decode: {}", t.display, e.what())};
  }
}

std::vector<std::size_t> largest_first(const CatalogAlbum& album) {
  std::vector<std::uintmax_t> bytes(album.tracks.size(), 0);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(album.tracks[i].path, ec);
    bytes[i] = ec ? 0 : size;
  }
  std::vector<std::size_t> order(bytes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return bytes[a] > bytes[b]; });
  return order;
}

std::vector<DecodeResult> decode_album(const CatalogAlbum& album,
                                       const std::function<void(std::size_t, DecodeResult&)>& each) {
  const std::vector<std::size_t> order = largest_first(album);
  std::vector<DecodeResult> decoded(order.size());
  // Each thread pulls the next track from one shared queue (a plain parallel_for would hand
  // each thread a fixed slice of the list).
  std::atomic<std::size_t> next{0};
  const int pullers = std::max(1, std::min(tbb::this_task_arena::max_concurrency(), static_cast<int>(order.size())));
  tbb::parallel_for(
      0, pullers,
      [&](int) {
        for (std::size_t k = next++; k < order.size(); k = next++) {
          const std::size_t i = order[k];
          decoded[i] = decode_track(album.tracks[i]);
          if (each) each(i, decoded[i]);
        }
      },
      tbb::simple_partitioner());
  return decoded;
}

}  // namespace gloss::cli
