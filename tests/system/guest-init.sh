#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the hvmfw test initramfs (busybox only). It reports what the guest
# kernel sees on the console (ttyS0) in delimited sections, then powers off
# with reboot(RB_POWER_OFF), which the kernel carries out as ACPI S5.
#
# Format (parsed by tests/system/hvmfw_qemu.py):
#   ===HVMFW-BEGIN===
#   ===HVMFW-SECTION <name>===      ... text ...       ===HVMFW-SECTION-END <name>===
#   ===HVMFW-ACPI <name> <size> <md5>===  od -An -v -tx1 lines  ===HVMFW-ACPI-END <name>===
#   ===HVMFW-END===

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# Keep asynchronous kernel messages off the console while we print, so they
# cannot interleave with the sections; the full log is dumped below anyway.
dmesg -n 1

# Kernel modules named by hvmfw.insmod=NAME[,NAME...] on the command line are
# loaded from /modules/ (tools/fetch-guest.sh packs e1000 and e1000e), each
# after its dependencies (/modules/order: "name [dependency ...]"), so their
# drivers have probed before the report; the modules section then says
# "insmod NAME ok|failed|missing" for each. Without the parameter: nothing.
# The values of hvmfw.NAME=A[,B...] on the kernel command line, one per word.
cmdline_list() {
  local w
  for w in $(cat /proc/cmdline); do
    case "$w" in
      "hvmfw.$1="*) echo "${w#hvmfw.$1=}" | tr ',' ' ' ;;
    esac
  done
}
insmod_want=$(cmdline_list insmod)
insmod_log=""
insmod_one() {
  local m=$1 deps="" found="" n rest d
  [ -d "/sys/module/$m" ] && return 0
  while read -r n rest; do
    [ "$n" = "$m" ] && { found=1; deps=$rest; }
  done < /modules/order 2>/dev/null
  if [ -z "$found" ] || [ ! -f "/modules/$m.ko" ]; then
    insmod_log="${insmod_log}insmod $m missing
"
    return 1
  fi
  for d in $deps; do insmod_one "$d"; done
  if insmod "/modules/$m.ko" 2>/dev/null; then
    insmod_log="${insmod_log}insmod $m ok
"
  else
    insmod_log="${insmod_log}insmod $m failed
"
  fi
}
for m in $insmod_want; do insmod_one "$m"; done

section() {
  echo "===HVMFW-SECTION $1==="
}
# "  resource <index> <start> <end> <flags>" for each used line of a PCI
# function's sysfs resource file: index 0-5 BARs, 6 ROM, 13 and up bridge
# windows; unused (all-zero) entries are left out.
print_resources() {
  local i=0 s e f
  while read -r s e f; do
    case "$f" in
      0x0000000000000000) ;;
      *) echo "  resource $i $s $e $f" ;;
    esac
    i=$((i + 1))
  done < "$1/resource"
}
section_end() {
  echo "===HVMFW-SECTION-END $1==="
}

echo
echo "===HVMFW-BEGIN==="

section cmdline; cat /proc/cmdline; section_end cmdline

if [ -n "$insmod_want" ]; then
  section modules; printf '%s' "$insmod_log"; section_end modules
fi

section dmesg; dmesg; section_end dmesg

section iomem; cat /proc/iomem; section_end iomem

section ioports; cat /proc/ioports; section_end ioports

section memmap
for d in /sys/firmware/memmap/*; do
  [ -d "$d" ] || continue
  echo "$(cat "$d/start") $(cat "$d/end") $(cat "$d/type")"
done
section_end memmap

section cpus
echo "processors $(grep -c '^processor' /proc/cpuinfo)"
echo "online $(cat /sys/devices/system/cpu/online)"
echo "possible $(cat /sys/devices/system/cpu/possible)"
echo "present $(cat /sys/devices/system/cpu/present)"
section_end cpus

section cpuinfo; cat /proc/cpuinfo; section_end cpuinfo

section mtrr; cat /proc/mtrr 2>&1; section_end mtrr

section interrupts; cat /proc/interrupts; section_end interrupts

section pci
for d in /sys/bus/pci/devices/*; do
  [ -e "$d/config" ] || continue
  echo "device $(basename "$d")"
  echo "  vendor $(cat "$d/vendor")"
  echo "  device $(cat "$d/device")"
  echo "  class $(cat "$d/class")"
  echo "  config_size $(stat -c %s "$d/config")"
  echo "  irq $(cat "$d/irq" 2>/dev/null)"
  print_resources "$d"
done
section_end pci

# "<domain:bus:dev.fn> <sysfs path>": the path shows the bridges above each
# function, e.g. /sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0
section pci-tree
for d in /sys/bus/pci/devices/*; do
  [ -e "$d/config" ] || continue
  echo "$(basename "$d") $(readlink -f "$d")"
done
section_end pci-tree

# Expansion ROMs, read through sysfs (the kernel enables the ROM BAR at its
# current address for the read): "before|after <bdf> <start> <end> <flags>" is
# the ROM resource around the read, "bytes <bdf> <hex>" the first 96 bytes,
# "size <bdf> <n>" what the kernel could read, "dmesg <line>" new kernel lines.
section pci-rom
n0=$(dmesg | wc -l)
for d in /sys/bus/pci/devices/*; do
  [ -e "$d/rom" ] || continue
  b=$(basename "$d")
  echo "before $b $(sed -n 7p "$d/resource")"
  echo 1 > "$d/rom"
  echo "bytes $b $(od -An -v -tx1 -N 96 "$d/rom" 2>&1 | tr -s ' \n' '  ')"
  echo "size $b $(wc -c < "$d/rom" 2>/dev/null)"
  echo 0 > "$d/rom"
  echo "after $b $(sed -n 7p "$d/resource")"
done
dmesg | tail -n +$((n0 + 1)) | sed 's/^/dmesg /'
section_end pci-rom

T=/sys/firmware/acpi/tables
section acpi-list
for f in "$T"/* "$T"/dynamic/*; do
  [ -f "$f" ] || continue
  echo "${f#$T/} $(stat -c %s "$f")"
done
section_end acpi-list

for f in "$T"/* "$T"/dynamic/*; do
  [ -f "$f" ] || continue
  n=${f#$T/}
  # Copy first: sysfs reports size 0 for some files and od reads them fine,
  # but a regular file gives a stable size and md5.
  cp "$f" /tmp/acpi.bin
  sz=$(stat -c %s /tmp/acpi.bin)
  sum=$(md5sum /tmp/acpi.bin | cut -d' ' -f1)
  echo "===HVMFW-ACPI $n $sz $sum==="
  od -An -v -tx1 /tmp/acpi.bin
  echo "===HVMFW-ACPI-END $n==="
done

# hvmfw.wait=cpu,pci on the command line: hot-plug steps the harness drives.
# cpu: the guest shows its CPUs and the live MADT, prints "===HVMFW-WAIT cpu===",
# and polls (up to 300 s) until the kernel reports another CPU present; it
# brings each new CPU online and shows the CPUs, the MADT and the kernel's
# messages again. Section hotplug-cpu; "timeout" when nothing came.
# pci: "===HVMFW-WAIT pci===", then polls until a PCI function appears and
# shows it ("added <bdf> <vendor> <device> driver <name>", its resources as
# in the pci section, for edu "id <ID register>" read through BAR0); then
# "===HVMFW-WAIT pci-gone===" and polls until it is
# gone ("removed <bdf>"). Section hotplug-pci; "timeout <what>" on a timeout.
wait_want=$(cmdline_list wait)
cpu_state() {
  echo "$1 present $(cat /sys/devices/system/cpu/present)"
  echo "$1 online $(cat /sys/devices/system/cpu/online)"
  echo "$1 processors $(grep -c '^processor' /proc/cpuinfo)"
  cp /sys/firmware/acpi/tables/APIC /tmp/madt.bin
  echo "$1 madt $(od -An -v -tx1 /tmp/madt.bin | tr -s ' \n' '  ')"
}
for w in $wait_want; do
  case "$w" in
    cpu)
      section hotplug-cpu
      cpu_state before
      p0=$(cat /sys/devices/system/cpu/present)
      n0=$(dmesg | wc -l)
      echo "===HVMFW-WAIT cpu==="
      t=0
      while [ "$(cat /sys/devices/system/cpu/present)" = "$p0" ] && [ $t -lt 300 ]; do
        sleep 1; t=$((t + 1))
      done
      [ $t -ge 300 ] && echo "timeout"
      for c in /sys/devices/system/cpu/cpu[0-9]*; do
        [ -f "$c/online" ] && [ "$(cat "$c/online")" = 0 ] && echo 1 > "$c/online" && \
          echo "onlined $(basename "$c")"
      done
      sleep 1
      cpu_state after
      dmesg | tail -n +$((n0 + 1)) | sed 's/^/dmesg /'
      section_end hotplug-cpu
      ;;
    pci)
      section hotplug-pci
      before=$(ls /sys/bus/pci/devices)
      n0=$(dmesg | wc -l)
      echo "===HVMFW-WAIT pci==="
      new=""
      t=0
      while [ -z "$new" ] && [ $t -lt 300 ]; do
        sleep 1; t=$((t + 1))
        for b in $(ls /sys/bus/pci/devices); do
          case " $(echo $before) " in *" $b "*) ;; *) new=$b ;; esac
        done
      done
      if [ -z "$new" ]; then
        echo "timeout add"
      else
        sleep 2     # let the driver probe
        d=/sys/bus/pci/devices/$new
        drv=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null)
        echo "added $new $(cat "$d/vendor") $(cat "$d/device") driver ${drv:-none}"
        print_resources "$d"
        # edu (1234:11e8) has no driver: turn its decode on and read its ID register
        if [ "$(cat "$d/vendor") $(cat "$d/device")" = "0x1234 0x11e8" ]; then
          echo 1 > "$d/enable"
          read -r rs re rf < "$d/resource"
          echo "id $(devmem "$rs" 32 2>&1)"
        fi
        echo "===HVMFW-WAIT pci-gone==="
        t=0
        while [ -e "$d" ] && [ $t -lt 300 ]; do sleep 1; t=$((t + 1)); done
        if [ -e "$d" ]; then echo "timeout remove"; else echo "removed $new"; fi
        sleep 5     # let the toolstack finish its side before the report and power-off
      fi
      dmesg | tail -n +$((n0 + 1)) | sed 's/^/dmesg /'
      section_end hotplug-pci
      ;;
  esac
done

echo "===HVMFW-END==="

# Let the kernel's power-off messages reach the console again: the harness
# looks for "Preparing to enter system sleep state S5" and "Power down".
dmesg -n 7
sync
poweroff -f
# Not reached when power-off works; if it returns, say so and hang: the
# harness then fails with a timeout instead of seeing a clean exit.
echo "===HVMFW-POWEROFF-FAILED==="
while true; do sleep 1000; done
