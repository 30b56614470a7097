// A move-only owner of a libbpf BTF object and the few questions the overhead model asks it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/result.h"

struct btf;

namespace swaptab::kernel {

class Btf {
 public:
  // The running kernel's type information (/sys/kernel/btf/vmlinux, via libbpf).
  static Result<Btf> load_vmlinux();
  // A loaded module's split BTF (/sys/kernel/btf/<name>) on top of `base`.
  static Result<Btf> load_module(const std::string& name, const Btf& base);
  // A raw BTF or ELF file (e.g. a capture of /sys/kernel/btf/vmlinux).
  static Result<Btf> parse_file(const std::string& path);
  // A captured module BTF file on top of `base`.
  static Result<Btf> parse_split(const std::string& path, const Btf& base);

  Btf(Btf&& other) noexcept;
  Btf& operator=(Btf&& other) noexcept;
  Btf(const Btf&) = delete;
  Btf& operator=(const Btf&) = delete;
  ~Btf();

  // sizeof(struct name), if the struct is defined (not just declared).
  std::optional<uint32_t> struct_size(const std::string& name) const;
  bool has_member(const std::string& strct, const std::string& member) const;
  // Whether the kernel has a (non-inlined) function of that name.
  bool has_function(const std::string& name) const;
  // sizeof the member itself.
  std::optional<uint32_t> member_size(const std::string& strct, const std::string& member) const;
  // For a pointer member, sizeof what it points to (through typedefs and qualifiers).
  std::optional<uint32_t> member_pointee_size(const std::string& strct,
                                              const std::string& member) const;
  // For an array member, its element count.
  std::optional<uint32_t> member_array_len(const std::string& strct,
                                           const std::string& member) const;

  const struct btf* raw() const { return btf_; }

 private:
  explicit Btf(struct btf* b) : btf_(b) {}
  // Type id of the member's type, or nothing if the struct or member is missing.
  std::optional<uint32_t> member_type(const std::string& strct, const std::string& member) const;
  struct btf* btf_ = nullptr;
};

}  // namespace swaptab::kernel
