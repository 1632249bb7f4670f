#include "preset.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <toml++/toml.h>

#include "limiter.hpp"

namespace gloss::cli {

namespace {

namespace fs = std::filesystem;

struct Context {
  std::string source;

  std::string where(const toml::node& node) const {
    const toml::source_position& p = node.source().begin;
    if (!p) return source;
    return fmt::format("{}:{}:{}", source, p.line, p.column);
  }
  [[noreturn]] void fail(const toml::node& node, const std::string& path, const std::string& what) const {
    throw PresetError(fmt::format("{}: {}: {}", where(node), path, what));
  }
};

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string join(const std::vector<std::string_view>& keys) {
  std::string s;
  for (std::string_view k : keys) {
    if (!s.empty()) s += ", ";
    s += k;
  }
  return s;
}

// Fails on any key of `table` not in `allowed`.
void check_keys(const Context& cx, const toml::table& table, const std::string& path,
                const std::vector<std::string_view>& allowed, const std::string& owner) {
  for (const auto& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    const toml::source_position& p = key.source().begin;
    const std::string where = p ? fmt::format("{}:{}:{}", cx.source, p.line, p.column) : cx.where(node);
    throw PresetError(fmt::format("{}: {}: unknown key{}; allowed: {}", where,
                                  path.empty() ? std::string(key.str()) : path + "." + std::string(key.str()), owner,
                                  join(allowed)));
  }
}

// A number (float, or an integer written without a decimal point).
double number(const Context& cx, const toml::node& node, const std::string& path, const char* unit) {
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  cx.fail(node, path, fmt::format("must be a number{}, got {}", unit, type_name(node)));
}

std::int64_t integer(const Context& cx, const toml::node& node, const std::string& path) {
  if (const auto* i = node.as_integer()) return i->get();
  cx.fail(node, path, fmt::format("must be an integer, got {}", type_name(node)));
}

struct TypeInfo {
  std::string_view name;
  EqBandType type;
  std::vector<std::string_view> keys;
};

const std::vector<TypeInfo>& band_types() {
  static const std::vector<TypeInfo> types = {
      {"bell", EqBandType::bell, {"type", "freq", "gain", "q"}},
      {"low_shelf", EqBandType::low_shelf, {"type", "freq", "gain", "q", "s"}},
      {"high_shelf", EqBandType::high_shelf, {"type", "freq", "gain", "q", "s"}},
      {"high_pass", EqBandType::high_pass, {"type", "freq", "order", "slope"}},
      {"low_pass", EqBandType::low_pass, {"type", "freq", "order", "slope"}},
      {"tilt", EqBandType::tilt, {"type", "freq", "slope"}},
  };
  return types;
}

EqBand parse_band(const Context& cx, const toml::table& t, const std::string& path, Preset::BandSource& src) {
  src.where = cx.where(t);
  const toml::node* type_node = t.get("type");
  if (!type_node) cx.fail(t, path, "missing key 'type' (bell, low_shelf, high_shelf, high_pass, low_pass or tilt)");
  const auto* type_str = type_node->as_string();
  if (!type_str) cx.fail(*type_node, path + ".type", fmt::format("must be a string, got {}", type_name(*type_node)));
  const TypeInfo* info = nullptr;
  for (const TypeInfo& ti : band_types())
    if (ti.name == type_str->get()) info = &ti;
  if (!info)
    cx.fail(*type_node, path + ".type",
            fmt::format("unknown band type \"{}\"; allowed: bell, low_shelf, high_shelf, high_pass, low_pass, tilt",
                        type_str->get()));
  check_keys(cx, t, path, info->keys, fmt::format(" for a {} band", info->name));

  EqBand b;
  b.type = info->type;
  auto get = [&](std::string_view key) { return t.get(key); };
  auto require = [&](std::string_view key, const char* what) -> const toml::node& {
    const toml::node* n = get(key);
    if (!n) cx.fail(t, path, fmt::format("missing key '{}' ({}) for a {} band", key, what, info->name));
    return *n;
  };
  const std::string p_freq = path + ".freq", p_gain = path + ".gain", p_q = path + ".q", p_s = path + ".s",
                    p_order = path + ".order", p_slope = path + ".slope";

  if (b.type == EqBandType::tilt) {
    b.freq_hz = 1000;
    if (const toml::node* n = get("freq")) {
      b.freq_hz = number(cx, *n, p_freq, " in Hz");
      src.freq_where = cx.where(*n);
      if (!(b.freq_hz >= 20 && b.freq_hz <= 20000))
        cx.fail(*n, p_freq, fmt::format("the tilt pivot must be 20..20000 Hz, got {}", b.freq_hz));
    }
    const toml::node& s = require("slope", "dB/octave");
    b.tilt_db_per_octave = number(cx, s, p_slope, " in dB/octave");
    if (!(std::fabs(b.tilt_db_per_octave) <= kEqMaxTiltDbPerOctave))
      cx.fail(s, p_slope, fmt::format("must be -{0}..{0} dB/octave, got {1}", kEqMaxTiltDbPerOctave,
                                      b.tilt_db_per_octave));
    return b;
  }

  const toml::node& f = require("freq", "Hz");
  b.freq_hz = number(cx, f, p_freq, " in Hz");
  src.freq_where = cx.where(f);
  if (!(b.freq_hz > 0 && std::isfinite(b.freq_hz)))
    cx.fail(f, p_freq, fmt::format("must be > 0 Hz (and below half the sample rate), got {}", b.freq_hz));

  switch (b.type) {
    case EqBandType::bell:
    case EqBandType::low_shelf:
    case EqBandType::high_shelf: {
      const toml::node& g = require("gain", "dB");
      b.gain_db = number(cx, g, p_gain, " in dB");
      if (!(std::fabs(b.gain_db) <= kEqMaxGainDb))
        cx.fail(g, p_gain, fmt::format("must be -{0}..{0} dB, got {1}", kEqMaxGainDb, b.gain_db));
      const toml::node* q = get("q");
      const toml::node* s = get("s");
      if (q && s) cx.fail(*s, p_s, "give either q or s for a shelf, not both");
      if (b.type == EqBandType::bell) b.q = 1.0;
      if (q) {
        b.q = number(cx, *q, p_q, "");
        if (!(b.q > 0 && std::isfinite(b.q))) cx.fail(*q, p_q, fmt::format("must be > 0, got {}", b.q));
      }
      if (s) {
        b.shelf_slope = number(cx, *s, p_s, "");
        if (!(b.shelf_slope > 0 && b.shelf_slope <= 1))
          cx.fail(*s, p_s, fmt::format("the shelf slope S must be > 0 and <= 1, got {}", b.shelf_slope));
      }
      break;
    }
    case EqBandType::high_pass:
    case EqBandType::low_pass: {
      const toml::node* o = get("order");
      const toml::node* s = get("slope");
      if (o && s) cx.fail(*s, p_slope, "give either order or slope, not both");
      if (o) {
        const std::int64_t v = integer(cx, *o, p_order);
        if (v < 1 || v > 8) cx.fail(*o, p_order, fmt::format("must be 1..8, got {}", v));
        b.order = static_cast<int>(v);
      } else if (s) {
        const double v = number(cx, *s, p_slope, " in dB/octave");
        const double order = v / 6;
        if (!(order >= 1 && order <= 8 && order == std::floor(order)))
          cx.fail(*s, p_slope, fmt::format("must be 6, 12, 18, 24, 30, 36, 42 or 48 dB/octave, got {}", v));
        b.order = static_cast<int>(order);
      }
      break;
    }
    case EqBandType::tilt: break;
  }
  return b;
}

// One optional number in [lo, hi].
std::optional<double> ranged(const Context& cx, const toml::table& t, const std::string& section, std::string_view key,
                             double lo, double hi, const char* unit) {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  const std::string path = section + "." + std::string(key);
  const double v = number(cx, *n, path, unit);
  if (!(v >= lo && v <= hi)) cx.fail(*n, path, fmt::format("must be {}..{}{}, got {}", lo, hi, unit, v));
  return v;
}

std::optional<std::string> one_of(const Context& cx, const toml::table& t, const std::string& section,
                                  std::string_view key, const std::vector<std::string_view>& allowed) {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  const std::string path = section + "." + std::string(key);
  const auto* str = n->as_string();
  if (!str) cx.fail(*n, path, fmt::format("must be a string, got {}", type_name(*n)));
  if (std::find(allowed.begin(), allowed.end(), str->get()) == allowed.end())
    cx.fail(*n, path, fmt::format("\"{}\" is not allowed; allowed: {}", str->get(), join(allowed)));
  return str->get();
}

const toml::table* section_table(const Context& cx, const toml::table& root, std::string_view name) {
  const toml::node* n = root.get(name);
  if (!n) return nullptr;
  const toml::table* t = n->as_table();
  if (!t) cx.fail(*n, std::string(name), fmt::format("must be a table ([{}]), got {}", name, type_name(*n)));
  return t;
}

void parse_loudness(const Context& cx, const toml::table& t, MasterPreset& m) {
  check_keys(cx, t, "loudness", {"target", "ceiling", "mode", "max_track_correction", "max_limiting"},
             " in [loudness]");
  m.target_lufs = ranged(cx, t, "loudness", "target", -70, 0, " LUFS");
  m.ceiling_dbtp = ranged(cx, t, "loudness", "ceiling", -20, 0, " dBTP");
  if (auto mode = one_of(cx, t, "loudness", "mode", {"album", "track"}))
    m.mode = *mode == "track" ? GainMode::track : GainMode::album;
  m.max_track_correction_lu = ranged(cx, t, "loudness", "max_track_correction", 0, 20, " LU");
  m.max_limiting_db = ranged(cx, t, "loudness", "max_limiting", 0, 24, " dB");
}

void parse_limiter(const Context& cx, const toml::table& t, MasterPreset& m) {
  check_keys(cx, t, "limiter", {"lookahead", "release"}, " in [limiter]");
  m.lookahead_ms = ranged(cx, t, "limiter", "lookahead", kMinLookaheadMs, kMaxLookaheadMs, " ms");
  m.release_ms = ranged(cx, t, "limiter", "release", kMinReleaseMs, kMaxReleaseMs, " ms");
}

void parse_output(const Context& cx, const toml::table& t, MasterPreset& m) {
  check_keys(cx, t, "output", {"format", "bits", "rate", "dither", "noise_shaping"}, " in [output]");
  m.format = one_of(cx, t, "output", "format", {"wav", "flac", "aiff"});
  if (const toml::node* n = t.get("bits")) {
    const std::int64_t v = integer(cx, *n, "output.bits");
    if (v != 16 && v != 24 && v != 32) cx.fail(*n, "output.bits", fmt::format("must be 16, 24 or 32 (float), got {}", v));
    m.bits = static_cast<int>(v);
  }
  if (const toml::node* n = t.get("rate")) {
    const std::int64_t v = integer(cx, *n, "output.rate");
    if (v < 8000 || v > 384000) cx.fail(*n, "output.rate", fmt::format("must be 8000..384000 Hz, got {}", v));
    m.rate = static_cast<int>(v);
  }
  if (const toml::node* n = t.get("dither")) {
    const auto* b = n->as_boolean();
    if (!b) cx.fail(*n, "output.dither", fmt::format("must be true or false, got {}", type_name(*n)));
    m.dither = b->get();
  }
  if (auto shaping = one_of(cx, t, "output", "noise_shaping", {"none", "f-weighted"}))
    m.noise_shaping = parse_noise_shaping(*shaping);
}

void parse_tone_match(const Context& cx, const toml::table& eq, ToneMatchSettings& t) {
  if (auto mode = one_of(cx, eq, "eq", "tone_match", {"off", "album"})) t.enabled = *mode == "album";
  t.strength = ranged(cx, eq, "eq", "tone_match_strength", 0, 1, "").value_or(t.strength);
  t.max_db = ranged(cx, eq, "eq", "tone_match_max", 0, kToneMaxDbLimit, " dB").value_or(t.max_db);
}

// Presets are ASCII text (a UTF-8 byte order mark may come first). Anything else is refused
// before toml++ sees it: toml++ 3.3 (Debian 12) reaches __builtin_unreachable() when it checks
// some non-ASCII code points for whitespace (upstream issues #190 and #295), i.e. behaviour is
// undefined. Found by fuzz/fuzz_preset, twice: first outside strings, then inside a string
// after input toml++ was recovering from, so no lexical exception (comments, strings) is
// safe. Every key and value gloss reads is ASCII anyway.
void check_characters(std::string_view text, const std::string& source) {
  std::size_t line = 1, column = 0;
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (; i < text.size(); ++i) {
    ++column;
    if (text[i] == '\n') {
      ++line;
      column = 0;
    } else if (static_cast<unsigned char>(text[i]) >= 0x80) {
      throw PresetError(fmt::format("{}:{}:{}: non-ASCII character; presets must be plain ASCII text (comments "
                                    "included): the TOML library gloss uses on Debian 12 is unsafe on them",
                                    source, line, column));
    }
  }
}

}  // namespace

Preset parse_preset(std::string_view text, const std::string& source) {
  Context cx{source};
  check_characters(text, source);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const toml::source_position& p = e.source().begin;
    throw PresetError(fmt::format("{}:{}:{}: TOML syntax error: {}", source, p.line, p.column, e.description()));
  }
  Preset preset;
  preset.source = source;
  check_keys(cx, root, "", {"eq", "loudness", "limiter", "output"}, "");
  if (const toml::table* t = section_table(cx, root, "loudness")) parse_loudness(cx, *t, preset.master);
  if (const toml::table* t = section_table(cx, root, "limiter")) parse_limiter(cx, *t, preset.master);
  if (const toml::table* t = section_table(cx, root, "output")) parse_output(cx, *t, preset.master);
  const toml::node* eq_node = root.get("eq");
  if (!eq_node) return preset;  // no [eq]: flat
  const toml::table* eq = eq_node->as_table();
  if (!eq) cx.fail(*eq_node, "eq", fmt::format("must be a table ([eq]), got {}", type_name(*eq_node)));
  check_keys(cx, *eq, "eq", {"taps", "band", "tone_match", "tone_match_strength", "tone_match_max"}, " in [eq]");
  parse_tone_match(cx, *eq, preset.tone_match);
  if (const toml::node* taps = eq->get("taps")) {
    const std::int64_t v = integer(cx, *taps, "eq.taps");
    if (v != 0 && (v < 1 || v > kEqMaxTaps || v % 2 == 0))
      cx.fail(*taps, "eq.taps", fmt::format("must be 0 (automatic) or an odd count 1..{}, got {}", kEqMaxTaps, v));
    preset.eq.taps = static_cast<int>(v);
    preset.taps_where = cx.where(*taps);
  }
  if (const toml::node* bands = eq->get("band")) {
    const toml::array* arr = bands->as_array();
    if (!arr || !arr->is_array_of_tables())
      cx.fail(*bands, "eq.band", fmt::format("must be an array of tables ([[eq.band]] sections), got {}",
                                             type_name(*bands)));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string path = fmt::format("eq.band[{}]", i + 1);
      Preset::BandSource src;
      preset.eq.bands.push_back(parse_band(cx, *arr->get(i)->as_table(), path, src));
      preset.band_sources.push_back(src);
    }
  }
  return preset;
}

Preset load_preset(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    const bool exists = fs::exists(file, ec);
    throw PresetError(fmt::format("{}: cannot read the preset: {}", file.string(),
                                  exists ? "permission denied or not a file" : "no such file"));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return parse_preset(s.str(), file.string());
}

std::vector<fs::path> preset_dirs() {
  std::vector<fs::path> dirs;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    dirs.push_back(exe.parent_path() / "presets");
    dirs.push_back(exe.parent_path().parent_path() / "share" / "gloss" / "presets");
  }
#ifdef GLOSS_PRESET_DIR
  dirs.emplace_back(GLOSS_PRESET_DIR);
#endif
  return dirs;
}

fs::path resolve_preset(const std::string& name) {
  if (name.size() >= 5 && name.compare(name.size() - 5, 5, ".toml") == 0) return fs::path(name);
  if (name.empty()) throw PresetError("the preset name is empty");
  std::error_code ec;
  std::string searched;
  for (const fs::path& dir : preset_dirs()) {
    if (!fs::is_directory(dir, ec)) continue;
    searched += "\n  " + dir.string();
    const fs::path direct = dir / (name + ".toml");
    if (fs::is_regular_file(direct, ec)) return direct;
    std::vector<fs::path> subdirs;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
      if (e.is_directory(ec)) subdirs.push_back(e.path());
    std::sort(subdirs.begin(), subdirs.end());
    for (const fs::path& sub : subdirs) {
      const fs::path candidate = sub / (name + ".toml");
      if (fs::is_regular_file(candidate, ec)) return candidate;
    }
  }
  if (searched.empty()) searched = "\n  (no preset folder exists)";
  throw PresetError(fmt::format(
      "no preset named \"{}\" (a name without .toml is looked up as NAME.toml in the preset folders and "
      "their subfolders; give a path ending in .toml for a file of your own). Searched:{}",
      name, searched));
}

std::string describe_problem(const Preset& preset, const EqProblem& problem) {
  if (problem.band < 0)
    return fmt::format("{}: eq.{}: {}", preset.taps_where.empty() ? preset.source : preset.taps_where, problem.key,
                       problem.message);
  const auto i = static_cast<std::size_t>(problem.band);
  std::string where = preset.source;
  if (i < preset.band_sources.size()) {
    const Preset::BandSource& s = preset.band_sources[i];
    where = problem.key == "freq" && !s.freq_where.empty() ? s.freq_where : s.where;
  }
  return fmt::format("{}: eq.band[{}].{}: {}", where, i + 1, problem.key, problem.message);
}

}  // namespace gloss::cli
