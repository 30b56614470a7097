#include "kernel/btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace swaptab::kernel {

namespace {

// libbpf 1.x returns NULL and sets errno; older modes return an encoded error pointer.
bool failed(const struct btf* b) {
  return b == nullptr || libbpf_get_error(b) != 0;
}

int btf_errno(const struct btf* b) {
  if (b == nullptr) {
    return errno != 0 ? errno : ENOENT;
  }
  return static_cast<int>(-libbpf_get_error(b));
}

// Skips typedefs and const/volatile/restrict/type tags.
uint32_t skip_mods(const struct btf* b, uint32_t id) {
  for (int guard = 0; guard < 32; ++guard) {
    const btf_type* t = btf__type_by_id(b, id);
    if (t == nullptr || !(btf_is_mod(t) || btf_is_typedef(t))) {
      return id;
    }
    id = t->type;
  }
  return id;
}

}  // namespace

Btf::Btf(Btf&& other) noexcept : btf_(std::exchange(other.btf_, nullptr)) {}

Btf& Btf::operator=(Btf&& other) noexcept {
  if (this != &other) {
    btf__free(btf_);
    btf_ = std::exchange(other.btf_, nullptr);
  }
  return *this;
}

Btf::~Btf() {
  btf__free(btf_);
}

Result<Btf> Btf::load_vmlinux() {
  errno = 0;
  struct btf* b = btf__load_vmlinux_btf();
  if (failed(b)) {
    return error_from_errno(btf_errno(b), "cannot load the kernel's BTF (/sys/kernel/btf/vmlinux)");
  }
  return Btf(b);
}

Result<Btf> Btf::load_module(const std::string& name, const Btf& base) {
  errno = 0;
  struct btf* b = btf__load_module_btf(name.c_str(), base.btf_);
  if (failed(b)) {
    return error_from_errno(btf_errno(b), "cannot load BTF of module " + name);
  }
  return Btf(b);
}

Result<Btf> Btf::parse_file(const std::string& path) {
  errno = 0;
  struct btf* b = btf__parse(path.c_str(), nullptr);
  if (failed(b)) {
    return error_from_errno(btf_errno(b), "cannot parse BTF from " + path);
  }
  return Btf(b);
}

Result<Btf> Btf::parse_split(const std::string& path, const Btf& base) {
  errno = 0;
  struct btf* b = btf__parse_split(path.c_str(), base.btf_);
  if (failed(b)) {
    return error_from_errno(btf_errno(b), "cannot parse split BTF from " + path);
  }
  return Btf(b);
}

std::optional<uint32_t> Btf::struct_size(const std::string& name) const {
  const __s32 id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_STRUCT);
  if (id <= 0) {
    return std::nullopt;
  }
  return btf__type_by_id(btf_, static_cast<uint32_t>(id))->size;
}

std::optional<uint32_t> Btf::member_type(const std::string& strct,
                                         const std::string& member) const {
  const __s32 id = btf__find_by_name_kind(btf_, strct.c_str(), BTF_KIND_STRUCT);
  if (id <= 0) {
    return std::nullopt;
  }
  const btf_type* t = btf__type_by_id(btf_, static_cast<uint32_t>(id));
  const btf_member* m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
    const char* n = btf__name_by_offset(btf_, m->name_off);
    if (n != nullptr && member == n) {
      return m->type;
    }
  }
  return std::nullopt;
}

bool Btf::has_function(const std::string& name) const {
  return btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_FUNC) > 0;
}

bool Btf::has_member(const std::string& strct, const std::string& member) const {
  return member_type(strct, member).has_value();
}

std::optional<uint32_t> Btf::member_size(const std::string& strct,
                                         const std::string& member) const {
  const auto type = member_type(strct, member);
  if (!type) {
    return std::nullopt;
  }
  const __s64 size = btf__resolve_size(btf_, *type);
  if (size < 0) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(size);
}

std::optional<uint32_t> Btf::member_pointee_size(const std::string& strct,
                                                 const std::string& member) const {
  const auto type = member_type(strct, member);
  if (!type) {
    return std::nullopt;
  }
  const btf_type* t = btf__type_by_id(btf_, skip_mods(btf_, *type));
  if (t == nullptr || !btf_is_ptr(t)) {
    return std::nullopt;
  }
  const __s64 size = btf__resolve_size(btf_, t->type);
  if (size < 0) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(size);
}

std::optional<uint32_t> Btf::member_array_len(const std::string& strct,
                                              const std::string& member) const {
  const auto type = member_type(strct, member);
  if (!type) {
    return std::nullopt;
  }
  const btf_type* t = btf__type_by_id(btf_, skip_mods(btf_, *type));
  if (t == nullptr || !btf_is_array(t)) {
    return std::nullopt;
  }
  return btf_array(t)->nelems;
}

}  // namespace swaptab::kernel
