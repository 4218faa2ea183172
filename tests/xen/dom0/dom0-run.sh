#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs inside the test bed's dom0 (started by /sbin/xentb-init from the 9p
# share, which is mounted at /mnt/host). Starts Xen's services, then creates
# every guest listed in plan.txt one after another in this one Xen boot, each
# with a time limit, and writes per-guest logs back into the share:
#   out/<name>/xl-create.log   output of `xl create -F` (shutdown reason code)
#   out/<name>/xl-dmesg.txt    Xen's console ring since the guest's creation
#                              (firmware lines on port 0xE9 appear as "(dN) ...")
#   out/<name>/serial.log      the guest's COM1 (written by qemu-dm, serial="file:")
#   out/<name>/console.log     the guest's PV console hvc0 (xenconsoled's log)
#   out/<name>/qemu-dm.log     the device model's log from /var/log/xen
#   out/<name>/result.txt      how the guest ended: key value lines
# plan.txt lines: NAME FIRST_S STALL_S HARD_S [pci=BDF] [hvmfw=KEY=VALUE ...] [vcpuset=N]
#   hvmfw=KEY=VALUE: created paused, VALUE (no spaces) written to the domain's
#   hvmfw/KEY in xenstore (readable by the guest), then unpaused
#   vcpuset=N: once the guest's console shows ===HVMFW-WAIT cpu===, run
#   `xl vcpu-set NAME N` (out/<name>/vcpu-set.log)
#   pciattach=BDF@SLOT: made assignable first; `xl pci-attach NAME BDF@SLOT`
#   once the console shows ===HVMFW-WAIT pci===, `xl pci-detach NAME BDF`
#   once it shows ===HVMFW-WAIT pci-gone=== (out/<name>/pci-attach.log)
#   newbar=BDF: before BDF is first made assignable, dom0's kernel gives its
#   BAR0 a new host address (decode off, BAR0 cleared through sysfs, the
#   function removed and rescanned: the kernel assigns it from its window's
#   low end; out/<name>/newbar.log shows before and after)
#   hvmfwpin: created paused, then `hvmfw-pin NAME --unpause` (the share's
#   build of the dom0 tool) writes the pins and unpauses (xenstore.log)
#   FIRST_S: destroyed when it has shown no output at all after this long
#   STALL_S: destroyed when none of its serial.log, its PV console log and
#            Xen's console ring (its firmware's port-0xE9 lines) has grown
#            for this long
#   HARD_S:  destroyed when it is still running after this long
# Markers on the console (hvc0 -> Xen's console -> the outer COM1) let the
# host time each step: ===XENTB-...===.
S=/mnt/host
OUT=$S/out
mkdir -p "$OUT"

now() { cut -d' ' -f1 /proc/uptime; }
log() {
  echo "xentb: $*"
  echo "$(now) $*" >>"$OUT/dom0-run.log"
}
# on_marker WHAT LOG CMD...: when the guest's console ($con) shows
# ===HVMFW-WAIT WHAT===, run CMD with its output and status appended to LOG;
# false (nothing run) before that.
on_marker() {
  local what=$1 out=$2
  shift 2
  grep -q "===HVMFW-WAIT $what===" "$con" 2>/dev/null || return 1
  {
    echo "$(now) # $*"
    "$@" 2>&1
    echo "$(now) # status $?"
  } >>"$out"
}
# seconds (integer) between two /proc/uptime readings
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", b - a }'; }

# xenconsoled keeps a log of every guest's PV console (hvc0), where the test
# guests' kernels write: the emulated UART costs an exit to qemu-dm per byte,
# a few hundred bytes per second in this nested setup, far too slow for the
# guest's report.
# The log goes straight into the share, so it can be followed from the host.
CONSOLES=$OUT/consoles
mkdir -p "$CONSOLES"
echo "XENCONSOLED_ARGS=\"--log=guest --log-dir=$CONSOLES\"" >>/etc/default/xen

log "starting Xen services"
if [ -x /etc/init.d/xen ]; then
  /etc/init.d/xen start >"$OUT/xen-start.log" 2>&1
  rc=$?
else
  echo "no /etc/init.d/xen" >"$OUT/xen-start.log"
  rc=127
fi
ls /proc/xen >>"$OUT/xen-start.log" 2>&1
pgrep -a xenstored >>"$OUT/xen-start.log" 2>&1
pgrep -a xenconsoled >>"$OUT/xen-start.log" 2>&1
echo "===XENTB-XEN-STARTED rc=$rc==="
xl info >"$OUT/xl-info.txt" 2>&1
xl list >>"$OUT/xl-info.txt" 2>&1
xl dmesg -c >"$OUT/xl-dmesg-boot.txt" 2>&1
uname -a >"$OUT/dom0-uname.txt"

# Give BDF's BAR0 a new host address, as if the host's firmware had left it for
# the OS: decode off, the register cleared through sysfs, the function removed
# and found again; the kernel then assigns BAR0 from its window.
reassign_bar0() {
  bdf=$1
  cfg=/sys/bus/pci/devices/$bdf/config
  echo "# $bdf BAR0 before: $(head -1 /sys/bus/pci/devices/$bdf/resource)"
  printf '\000\000' | dd of="$cfg" bs=1 seek=4 conv=notrunc 2>/dev/null
  printf '\000\000\000\000' | dd of="$cfg" bs=1 seek=16 conv=notrunc 2>/dev/null
  echo 1 >"/sys/bus/pci/devices/$bdf/remove"
  echo 1 >/sys/bus/pci/rescan
  echo "# $bdf BAR0 after: $(head -1 /sys/bus/pci/devices/$bdf/resource)"
}

pci_ready=""
while read -r name first stall hard flags; do
  case "$name" in ''|'#'*) continue ;; esac
  d=$OUT/$name
  mkdir -p "$d"
  : >"$d/serial.log"
  rm -f "$CONSOLES/guest-$name.log"
  xs=""
  pinrun=""
  vcpuset=""
  attach=""
  detach=""
  for f in $flags; do
    case "$f" in
      hvmfw=*) xs="$xs ${f#hvmfw=}" ;;
      hvmfwpin) pinrun=1 ;;
      newbar=*)
        nb=${f#newbar=}
        case " $pci_ready " in *" $nb "*) ;; *)
          reassign_bar0 "$nb" >"$d/newbar.log" 2>&1 ;;
        esac
        ;;
      vcpuset=*) vcpuset=${f#vcpuset=} ;;
      pciattach=*)
        attach=${f#pciattach=}
        bdf=${attach%@*}
        case " $pci_ready " in *" $bdf "*) ;; *)
          {
            echo "# modprobe xen-pciback"; modprobe xen-pciback
            echo "# xl pci-assignable-add $bdf"; xl pci-assignable-add "$bdf"
          } >"$d/pci-assignable.log" 2>&1
          pci_ready="$pci_ready $bdf" ;;
        esac
        ;;
      pci=*)
        bdf=${f#pci=}
        case " $pci_ready " in *" $bdf "*) continue ;; esac
        {
          echo "# modprobe xen-pciback"; modprobe xen-pciback
          echo "# xl pci-assignable-add $bdf"; xl pci-assignable-add "$bdf"
          echo "# xl pci-assignable-list"; xl pci-assignable-list
        } >"$d/pci-assignable.log" 2>&1
        pci_ready="$pci_ready $bdf"
        ;;
    esac
  done
  xl dmesg -c >/dev/null 2>&1
  log "create $name (first output ${first}s, stall ${stall}s, limit ${hard}s)"
  echo "===XENTB-CREATE $name==="
  t0=$(now)
  if [ -z "$xs" ] && [ -z "$pinrun" ]; then
    xl create -F "$S/cfg/$name.cfg" >"$d/xl-create.log" 2>&1 &
    pid=$!
  else
    # hvmfw's own configuration lives in the domain's xenstore home
    xl create -p -F "$S/cfg/$name.cfg" >"$d/xl-create.log" 2>&1 &
    pid=$!
    # Unpausing before libxl has finished building the domain (device
    # model, passed-through devices) is lost: xl -F prints its "Waiting
    # for domain" line only once the build is complete.
    did=""
    for i in $(seq 240); do
      did=$(sed -n 's/^Waiting for domain .* (domid \([0-9]*\)) to die.*/\1/p' \
            "$d/xl-create.log")
      [ -n "$did" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    {
      [ -n "$did" ] || echo "# no 'Waiting for domain' line from xl create -p"
      if [ -n "$pinrun" ]; then
        echo "# $S/hvmfw-pin $name --dry-run"
        "$S/hvmfw-pin" "$name" --dry-run
        echo "# hvmfw-pin --dry-run: status $?"
        echo "# $S/hvmfw-pin $name --unpause"
        "$S/hvmfw-pin" "$name" --unpause
        echo "# hvmfw-pin: status $?"
      fi
      for kv in $xs; do
        k=${kv%%=*}
        echo "# xenstore-write /local/domain/$did/hvmfw/$k ${kv#*=}"
        xenstore-write "/local/domain/$did/hvmfw/$k" "${kv#*=}"
        xenstore-chmod "/local/domain/$did/hvmfw/$k" "n$did"
      done
      xenstore-ls -p "/local/domain/$did/hvmfw"
      if [ -z "$pinrun" ]; then
        echo "# xl unpause $name"
        xl unpause "$name"
        echo "# xl unpause: status $?"
      fi
    } >"$d/xenstore.log" 2>&1
  fi
  ended=self
  last_size=0
  last_change=0
  last_prog=0
  domid=""
  con="$CONSOLES/guest-$name.log"
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    el=$(secs "$t0" "$(now)")
    if [ -z "$domid" ]; then
      domid=$(xl domid "$name" 2>/dev/null)
      [ -n "$domid" ] && echo "===XENTB-DOMID $name $domid==="
    fi
    # progress: the guest's console or its firmware's port-0xE9 lines
    size=$(( $(stat -c %s "$d/serial.log" 2>/dev/null || echo 0) +
             $(stat -c %s "$CONSOLES/guest-$name.log" 2>/dev/null || echo 0) +
             $(xl dmesg 2>/dev/null | grep '(d[0-9]' | wc -c) ))
    if [ "$size" != "$last_size" ]; then
      last_size=$size
      last_change=$el
    fi
    # The guest waits for a change (tests/system/guest-init.sh hvmfw.wait=):
    # make it the way an admin does, once its marker is on the console.
    if [ -n "$vcpuset" ] && on_marker cpu "$d/vcpu-set.log" xl vcpu-set "$name" "$vcpuset"
    then
      xl vcpu-list "$name" >>"$d/vcpu-set.log" 2>&1
      vcpuset=""
    fi
    if [ -n "$attach" ] && on_marker pci "$d/pci-attach.log" xl pci-attach "$name" "$attach"
    then
      detach=${attach%@*}
      attach=""
    fi
    if [ -n "$detach" ] &&
       on_marker pci-gone "$d/pci-attach.log" xl pci-detach "$name" "$detach"; then
      xl pci-list "$name" >>"$d/pci-attach.log" 2>&1
      detach=""
    fi
    # every ~30 s: the domain's state and CPU time, for the record
    if [ $((el - last_prog)) -ge 30 ]; then
      last_prog=$el
      st=$(xl list "$name" 2>/dev/null | tail -n 1)
      echo "$el s: $st" >>"$d/progress.log"
      [ -n "$domid" ] && /usr/lib/xen-4.17/bin/xenctx "$domid" 2>&1 |
        grep -E '^(cs:eip|rip|eax|rax|ecx|rcx|edx|rdx|esi|rsi|edi|rdi|cr0)' >>"$d/progress.log"
      # a heartbeat on the console: the host stops waiting when it ceases
      echo "xentb: $name at $el s: $st"
    fi
    if [ "$last_change" -eq 0 ] && [ "$el" -ge "$first" ]; then ended=silent; break; fi
    if [ $((el - last_change)) -ge "$stall" ]; then ended=stall; break; fi
    if [ "$el" -ge "$hard" ]; then ended=timeout; break; fi
  done
  if [ "$ended" != self ]; then
    xl list >>"$d/xl-create.log" 2>&1
    # where a stalled guest is spinning: a few register samples per vCPU
    if [ -n "$domid" ]; then
      for i in 1 2 3 4 5; do
        echo "--- sample $i at $(now) ---"
        /usr/lib/xen-4.17/bin/xenctx -a "$domid" 2>&1
        sleep 1
      done >"$d/stall-ctx.txt" 2>&1
      /usr/lib/xen-4.17/bin/xen-hvmctx "$domid" >"$d/stall-hvmctx.txt" 2>&1
    fi
    xl destroy "$name" >>"$d/xl-create.log" 2>&1
    sleep 1
    kill "$pid" 2>/dev/null
  fi
  wait "$pid"
  rc=$?
  t1=$(now)
  still=$(xl domid "$name" 2>/dev/null)
  echo "===XENTB-END $name ended=$ended==="
  xl dmesg -c >"$d/xl-dmesg.txt" 2>&1
  cp "$CONSOLES/guest-$name.log" "$d/console.log" 2>/dev/null || : >"$d/console.log"
  cp "/var/log/xen/qemu-dm-$name.log" "$d/qemu-dm.log" 2>/dev/null
  cp "/var/log/xen/xl-$name.log" "$d/xl.log" 2>/dev/null
  {
    echo "name $name"
    echo "domid ${domid:--}"
    echo "ended $ended"
    echo "xl_rc $rc"
    echo "t_create $t0"
    echo "t_end $t1"
    echo "elapsed $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
    echo "still_listed ${still:+yes}"
  } >"$d/result.txt"
  log "end $name: $ended (xl status $rc) after $(secs "$t0" "$t1") s"
done <"$S/plan.txt"

xl list >"$OUT/xl-list-final.txt" 2>&1
echo "===XENTB-DONE==="
sync
