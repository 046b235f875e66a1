package cli

import (
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of this process to the file
// DIGIGAP_CPUPROFILE names, if any, until the returned stop: how
// `digigap loadtest --cpuprofile DIR` profiles the servers it starts.
func startProfile() (stop func()) {
	path := os.Getenv("DIGIGAP_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
