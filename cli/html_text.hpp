// Text for the HTML report: escaping for element content and attribute values, and the
// numbers the page shows. File names are bytes, not always UTF-8, and may hold markup.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gloss::cli {

// `text` as well-formed UTF-8: each byte of an invalid or overlong sequence (and each C0
// control other than tab and newline) becomes U+FFFD, so the page never shows mojibake
// that hides a name and a browser never meets a byte it must guess about.
std::string valid_utf8(std::string_view text);

// valid_utf8, then & < > " ' as character references: safe in element content and in
// double- or single-quoted attribute values.
std::string html_escape(std::string_view text);

// A level for people: "-14.2", "-inf" for minus infinity, `none` when there is no value.
// Never "-0.0". Fixed decimals, so the same document gives the same bytes.
std::string shown_number(const std::optional<double>& v, int decimals = 1, std::string_view none = "–");

// A coordinate for SVG: one decimal, no "-0.0".
std::string svg_coord(double v);

}  // namespace gloss::cli
