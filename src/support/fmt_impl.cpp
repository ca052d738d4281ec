// fmt's implementation, compiled once from Debian's fmt headers into deployphase itself, in
// place of libfmt.so: Debian ships no static libfmt, and linking the shared one kept libstdc++
// shared too, which is most of every command's start-up (docs/performance.md). Every other
// file includes <fmt/format.h> as usual and finds these definitions at link time.
//
// The explicit instantiations are the ones <fmt/format.h> declares `extern template` (those
// libfmt exports): a newer fmt that declares others fails to link here, never at run time.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view,
                                 basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);

}  // namespace detail
FMT_END_NAMESPACE
