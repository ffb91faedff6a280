#!/usr/bin/env bash
# The grading sandbox's tests on cgroup v2, in a virtual machine.
#
# Our machines (and CI) mount cgroup v1, so `course autograde`'s cgroup v2 modes are checked
# here: a Debian 12 virtual machine boots with systemd and the unified hierarchy only, and runs
# the tests whose limits the kernel enforces, as root. There root makes its groups under
# /sys/fs/cgroup/course-grading, and the ordinary user of `test_without_root.py` grades in a
# real systemd user scope (`systemd-run --user --scope -p Delegate=yes`, see
# tests/grading/ordinary_user.py).
#
#   bash scripts/grading_on_cgroup_v2.sh [pytest arguments]
#
# Needs root and `make install` done. The virtual machine gets a copy of this project with its
# .venv, of the Python that made it and of the system libraries they link to, at the same
# paths, so nothing is installed in it; Debian's base system, its kernel and qemu are the only
# downloads (the base system is kept in $WORK for the next run). It prints the machine's
# console and exits with the tests' status. COMMAND="..." runs that instead of pytest (from the
# project's folder, as root), e.g. COMMAND=".venv/bin/python bench/grading_modes.py".
#
# qemu emulates the processor by default (ACCEL="-accel tcg,thread=multi -cpu max"): it works
# anywhere, about 15x slower than the machine, too slow for the tests that grade whole classes
# under time limits. Where /dev/kvm is real KVM, ACCEL="-enable-kvm -cpu host" runs at full
# speed (our machines' /dev/kvm is PVM, which boots only kernels built for it).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$(pwd)
WORK=${WORK:-/var/tmp/course-cgroup-v2}
PYTHON_PREFIX=$(.venv/bin/python -c 'import sys; print(sys.base_prefix)')
TESTS=("$@")
if [ ${#TESTS[@]} = 0 ]; then
  TESTS=(tests/grading/test_sandbox.py tests/grading/test_without_root.py
         tests/grading/test_cgroup_v2.py -v)
fi

missing=""
for package in qemu-system-x86 debootstrap linux-image-amd64 e2fsprogs; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then apt-get update -q && apt-get install -y -q $missing; fi

mkdir -p "$WORK"
if [ ! -e "$WORK/base/etc/os-release" ]; then
  rm -rf "$WORK/base"
  debootstrap --include=systemd,systemd-sysv,dbus,libpam-systemd,bubblewrap,procps \
    bookworm "$WORK/base" http://deb.debian.org/debian
fi

# The machine's disk: Debian, then this project and its Python at their paths here.
rootfs="$WORK/rootfs"
rm -rf "$rootfs"
cp -a "$WORK/base" "$rootfs"
mkdir -p "$rootfs$PYTHON_PREFIX" "$rootfs$PROJECT"
cp -a "$PYTHON_PREFIX/." "$rootfs$PYTHON_PREFIX/"
cp -a "$PROJECT/." "$rootfs$PROJECT/"
# with the system libraries that Python's and the packages' own libraries link to
find "$PYTHON_PREFIX" "$PROJECT/.venv" -name '*.so*' -type f -print0 | xargs -0 ldd 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u | while read -r library; do
    [ -e "$rootfs$library" ] || cp -L --parents "$library" "$rootfs"
  done
echo "/dev/vda / ext4 rw 0 1" > "$rootfs/etc/fstab"
echo grading-vm > "$rootfs/etc/hostname"
ln -sf /dev/null "$rootfs/etc/systemd/system/serial-getty@ttyS0.service"

# Booted, it runs the tests, prints their status and switches itself off.
cat > "$rootfs/usr/local/bin/grading-check" <<EOF
#!/bin/sh
cd $PROJECT
echo "cgroup: \$(stat -fc %T /sys/fs/cgroup), controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)"
echo "user@.service delegates: \$(systemctl show -P DelegateControllers user@0.service)"
${COMMAND:-OMP_NUM_THREADS=1 .venv/bin/python -m pytest -p no:cacheprovider --durations=10 $(printf '%q ' "${TESTS[@]}")}
echo "grading-check exit status: \$?"
EOF
chmod +x "$rootfs/usr/local/bin/grading-check"
cat > "$rootfs/etc/systemd/system/grading-check.service" <<'EOF'
[Unit]
Description=The grading tests on cgroup v2
After=multi-user.target
[Service]
Type=oneshot
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
ExecStart=/usr/local/bin/grading-check
ExecStopPost=/bin/systemctl poweroff --no-block
EOF
mkdir -p "$rootfs/etc/systemd/system/multi-user.target.wants"
ln -sf ../grading-check.service "$rootfs/etc/systemd/system/multi-user.target.wants/"

disk="$WORK/disk.img"
rm -f "$disk" && truncate -s 32G "$disk"
mkfs.ext4 -q -d "$rootfs" "$disk"
rm -rf "$rootfs"

kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
console="$WORK/console.log"
qemu-system-x86_64 ${ACCEL:--accel tcg,thread=multi -cpu max} -smp "$(nproc)" -m "${MEMORY:-12G}" \
  -nographic -no-reboot -nic none \
  -kernel "$kernel" -initrd "${kernel/vmlinuz/initrd.img}" \
  -append "root=/dev/vda rw console=ttyS0 quiet systemd.unified_cgroup_hierarchy=1" \
  -drive "file=$disk,format=raw,if=virtio" | tee "$console"
status=$(sed -n 's/.*grading-check exit status: \([0-9]*\).*/\1/p' "$console" | tail -1)
exit "${status:-3}"
