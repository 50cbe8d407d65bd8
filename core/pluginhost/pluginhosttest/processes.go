package pluginhosttest

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// proc is a live process as /proc/PID/stat describes it.
type proc struct {
	pid, ppid, pgrp int
	state           byte // 'Z' for a zombie
}

// readProc reads /proc/PID/stat; false if the process is gone.
func readProc(pid int) (proc, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	// The command name is in parentheses and may hold spaces: the fields
	// after it are state, parent pid, process group.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return proc{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 || f[0] == "" {
		return proc{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	pgrp, _ := strconv.Atoi(f[2])
	return proc{pid: pid, ppid: ppid, pgrp: pgrp, state: f[0][0]}, true
}

// procs lists every process that is not a zombie; nil without /proc.
func procs() []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok && p.state != 'Z' {
			out = append(out, p)
		}
	}
	return out
}

// Alive reports whether process pid exists and is not a zombie.
func Alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	if runtime.GOOS != "linux" {
		return true
	}
	p, ok := readProc(pid)
	return ok && p.state != 'Z'
}

// Children lists the live child processes of this process whose
// executable is exe (all children if exe is ""). It reads /proc, so it
// returns nil on systems without it.
func Children(exe string) []int {
	self := os.Getpid()
	var out []int
	for _, p := range procs() {
		if p.ppid != self {
			continue
		}
		if exe != "" {
			if target, err := os.Readlink("/proc/" + strconv.Itoa(p.pid) + "/exe"); err != nil || target != exe {
				continue
			}
		}
		out = append(out, p.pid)
	}
	return out
}

// GroupAlive reports whether a process of process group pgid is alive
// (zombies, left for init to reap, are not).
func GroupAlive(pgid int) bool {
	for _, p := range procs() {
		if p.pgrp == pgid {
			return true
		}
	}
	return false
}
