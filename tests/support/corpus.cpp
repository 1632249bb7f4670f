#include "support/corpus.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace gloss::test {

namespace fs = std::filesystem;

namespace {

const fs::path kMusic = "/usr/share/games/wesnoth/1.16/data/core/music";

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

fs::path prepare_corpus(std::string& why) {
  const fs::path script = fs::path(GLOSS_SHARED_DIR) / "corpus" / "get-corpus";
  const fs::path dest = fs::path(GLOSS_BINARY_DIR) / "corpus";
  if (!fs::exists(script)) {
    why = script.string() + " not found (no shared/ folder beside this clone)";
    return {};
  }
  const fs::path log = fs::path(GLOSS_BINARY_DIR) / "get-corpus.log";
  std::ostringstream command;  // a stream: GCC 12 warns falsely (-Wrestrict) on chained string +
  command << "flock '" << (fs::path(GLOSS_BINARY_DIR) / "get-corpus.lock").string() << "' '" << script.string()
          << "' '" << dest.string() << "' > '" << log.string() << "' 2>&1";
  const int rc = std::system(command.str().c_str());
  if (rc != 0 || !fs::is_directory(kMusic)) {
    why = "wesnoth-1.16-music is not installed at " + kMusic.string() + " and get-corpus could not install it (exit " +
          std::to_string(rc) + "): " + read_text(log);
    return {};
  }
  return dest;
}

}  // namespace gloss::test
