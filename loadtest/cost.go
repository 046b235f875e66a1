package loadtest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// cost is what a server process has spent so far: CPU time (user and
// system) and bytes it sent to storage. Per answer, these move little with
// the load of a shared machine, unlike answers a second and p99, so they
// show what a change saves even when the machine is busy.
type cost struct {
	cpuSeconds float64
	diskBytes  float64
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

// costOf reads /proc/pid/stat and /proc/pid/io; zero where unavailable.
func costOf(pid int) cost {
	var c cost
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// Fields after the command name, which ends with the last ')'.
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 12 {
			utime, _ := strconv.ParseFloat(f[11], 64)
			stime, _ := strconv.ParseFloat(f[12], 64)
			c.cpuSeconds = (utime + stime) / clockTicks
		}
	}
	if io, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid)); err == nil {
		for _, line := range strings.Split(string(io), "\n") {
			if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
				c.diskBytes, _ = strconv.ParseFloat(v, 64)
			}
		}
	}
	return c
}

// perAnswer divides the cost spent between before and after over n answers:
// CPU milliseconds and disk kilobytes each.
func perAnswer(before, after cost, n float64) (cpuMS, diskKB float64) {
	if n <= 0 {
		return 0, 0
	}
	return 1000 * (after.cpuSeconds - before.cpuSeconds) / n, (after.diskBytes - before.diskBytes) / 1024 / n
}
