// make_bad_inputs FOLDER: writes the bad-input corpus (bad_inputs.hpp) into FOLDER and lists
// it, to try gloss on it by hand: `gloss analyze FOLDER`.
#include <cstdio>

#include "bad_inputs.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_bad_inputs FOLDER\n");
    return 2;
  }
  for (const gloss::test::BadInput& b : gloss::test::write_bad_inputs(argv[1]))
    std::printf("%-28s %s: %s\n", b.name.c_str(), b.refused ? "refused" : "measured", b.fault.c_str());
  return 0;
}
