# Shared by scripts/make-guest-initramfs and scripts/make-testhost-initramfs (sourced, not run):
# staging a busybox root, copying kernel modules with their dependencies, packing a newc cpio.
# Callers set `set -euo pipefail` and define die().

# The static busybox from busybox-static (a dynamic one would need its libraries in the image).
# EW_BUSYBOX names another one (the arm64 images use busybox-static:arm64 from
# scripts/fetch-arm64-debs).
ew_busybox() {
  local bb
  for bb in ${EW_BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
    if [ -x "$bb" ] && file -L "$bb" | grep -q 'statically linked'; then
      echo "$bb"
      return
    fi
  done
  die "no statically linked busybox found; install busybox-static (scripts/setup does)"
}

# ew_stage_busybox ROOT: ROOT/bin/busybox plus one symlink per applet, and the usual directories.
ew_stage_busybox() {
  local root=$1 bb applet
  bb=$(ew_busybox)
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,lib/modules}
  cp "$bb" "$root/bin/busybox"
  # A foreign-arch busybox lists its applets through qemu-user (qemu-user-static).
  for applet in $("$bb" --list 2>/dev/null || qemu-aarch64-static "$bb" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  ln -sf bin "$root/sbin"
}

# ew_kernel_moddir KROOT: the lib/modules/<version> directory of an extracted kernel package.
ew_kernel_moddir() {
  local dirs=("$1"/lib/modules/*/)
  [ -d "${dirs[0]}" ] || die "$1 holds no lib/modules/<version>/ (run scripts/fetch-test-kernel)"
  [ ${#dirs[@]} = 1 ] || die "$1 holds several lib/modules/ versions: ${dirs[*]}"
  echo "${dirs[0]%/}"
}

# ew_kernel_arch KROOT: arm64 or amd64, from its kernel image.
ew_kernel_arch() {
  if file -L "$(ew_kernel_image "$1")" | grep -q 'ARM64'; then echo arm64; else echo amd64; fi
}

# ew_arch_busybox ARCH: sets EW_BUSYBOX for an arm64 image (fetching busybox-static:arm64).
ew_arch_busybox() {
  [ "$1" = arm64 ] || return 0
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  "$here/fetch-arm64-debs" busybox-static
  EW_BUSYBOX=${EDGEWARD_CACHE:-$HOME/.cache/edgeward}/arm64/busybox-static/bin/busybox
}

# ew_kernel_image KROOT: its boot/vmlinuz-*.
ew_kernel_image() {
  local imgs=("$1"/boot/vmlinuz-*)
  [ -f "${imgs[0]}" ] || die "$1 holds no boot/vmlinuz-* (run scripts/fetch-test-kernel)"
  echo "${imgs[0]}"
}

# _ew_mod_field KO FIELD: one .modinfo field of a module (the section is NUL-separated key=value).
_ew_mod_field() {
  local ko=$1 field=$2
  case "$ko" in
    *.ko.xz) xz -dc "$ko" ;;
    *.ko.zst) zstd -qdc "$ko" ;;
    *) cat "$ko" ;;
  esac | tr '\0' '\n' | sed -n "s/^$field=//p" | head -n1
}

# ew_copy_modules MODDIR DEST NAME...: copies each named module (and, first, everything it
# depends on) as uncompressed DEST/<name>.ko and appends the names, dependencies first, to
# DEST/load-order. Modules built into the kernel (modules.builtin) are skipped and reported.
# A name whose module is absent is an error unless it is listed as optional: NAME? .
ew_copy_modules() {
  local moddir=$1 dest=$2
  shift 2
  mkdir -p "$dest"
  touch "$dest/load-order"
  local spec
  for spec in "$@"; do
    _ew_copy_module "$moddir" "$dest" "$spec"
  done
}

_ew_copy_module() {
  local moddir=$1 dest=$2 spec=$3 name optional=0 norm ko dep
  name=${spec%\?}
  [ "$name" = "$spec" ] || optional=1
  norm=${name//-/_}
  grep -qx "$norm" "$dest/load-order" && return 0
  if sed 's|.*/||; s|\.ko.*||; s|-|_|g' "$moddir/modules.builtin" | grep -qx "$norm"; then
    echo "  $name: built into the kernel" >&2
    return 0
  fi
  ko=$(find "$moddir/kernel" -regextype posix-extended -regex ".*/(${norm//_/[-_]})\.ko(\.xz|\.zst)?" | head -n1)
  if [ -z "$ko" ]; then
    [ "$optional" = 1 ] && { echo "  $name: not in this kernel (optional, skipped)" >&2; return 0; }
    die "module $name is neither built into nor shipped with the kernel in $moddir"
  fi
  for dep in $(_ew_mod_field "$ko" depends | tr ',' ' '); do
    _ew_copy_module "$moddir" "$dest" "$dep"
  done
  case "$ko" in
    *.ko.xz) xz -dc "$ko" >"$dest/$norm.ko" ;;
    *.ko.zst) zstd -qdc "$ko" >"$dest/$norm.ko" ;;
    *) cp "$ko" "$dest/$norm.ko" ;;
  esac
  echo "$norm" >>"$dest/load-order"
  echo "  $name: module ${ko#"$moddir"/}" >&2
}

# ew_pack_cpio ROOT OUT COMPRESSOR...: a newc archive of ROOT, owned by root, written atomically.
# COMPRESSOR is a command reading stdin (e.g. "gzip -6" or "cat" for an uncompressed archive).
ew_pack_cpio() {
  local root=$1 out=$2
  shift 2
  (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet) | "$@" >"$out.tmp"
  mv "$out.tmp" "$out"
}
