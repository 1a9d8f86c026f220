package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// EnvCPUProfile names a file for a CPU profile of the whole run, as
// --cpuprofile does; the flag wins. It lets a user profile the TUI from a
// wrapper script or an alias without changing the command line.
const EnvCPUProfile = "TRACETUI_CPUPROFILE"

// startProfile starts a CPU profile into the file named by --cpuprofile or
// $TRACETUI_CPUPROFILE, if any, and records in g how to stop it. The profile
// covers everything after flag parsing: loading, decoding, analysis, output
// and a TUI session until it quits.
func (g *globals) startProfile(env Env) error {
	path := g.cpuProfile
	if path == "" && env.Getenv != nil {
		path = env.Getenv(EnvCPUProfile)
	}
	if path == "" || g.stopProfile != nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("cpu profile: %w", err)
	}
	g.stopProfile = func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		return nil
	}
	return nil
}

// finishProfile stops a profile that startProfile started; the run's own
// error, if any, matters more than the profile's.
func (g *globals) finishProfile(runErr error) error {
	if g.stopProfile == nil {
		return runErr
	}
	err := g.stopProfile()
	g.stopProfile = nil
	if runErr != nil {
		return runErr
	}
	return err
}
