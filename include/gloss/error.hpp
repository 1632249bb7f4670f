// The one exception type the library throws: a message a user can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace gloss {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gloss
