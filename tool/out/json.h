// A small JSON value with insertion-ordered objects, enough for stable machine output.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace swaptab::out {

class Json {
 public:
  using Object = std::vector<std::pair<std::string, Json>>;
  using Array = std::vector<Json>;

  Json() = default;                                   // null
  Json(bool v) : v_(v) {}                             // NOLINT(google-explicit-constructor)
  Json(int v) : v_(static_cast<int64_t>(v)) {}        // NOLINT(google-explicit-constructor)
  Json(int64_t v) : v_(v) {}                          // NOLINT(google-explicit-constructor)
  Json(uint32_t v) : v_(static_cast<uint64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Json(uint64_t v) : v_(v) {}                         // NOLINT(google-explicit-constructor)
  Json(double v) : v_(v) {}                           // NOLINT(google-explicit-constructor)
  Json(const char* v) : v_(std::string(v)) {}         // NOLINT(google-explicit-constructor)
  Json(std::string v) : v_(std::move(v)) {}           // NOLINT(google-explicit-constructor)
  Json(Array v) : v_(std::make_shared<Array>(std::move(v))) {}    // NOLINT
  Json(Object v) : v_(std::make_shared<Object>(std::move(v))) {}  // NOLINT

  static Json object() { return {Object{}}; }
  static Json array() { return {Array{}}; }

  // Appends to an object (keys keep insertion order) or an array.
  Json& set(std::string key, Json value);
  Json& push(Json value);

  // Two-space indented when pretty, one line otherwise.
  void write(std::ostream& os, bool pretty = true) const;
  std::string dump(bool pretty = true) const;

 private:
  void write_at(std::ostream& os, bool pretty, int depth) const;
  std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v_{nullptr};
};

std::string json_escape(const std::string& s);

}  // namespace swaptab::out
