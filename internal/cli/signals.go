package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// handleSignals ends the returned context on SIGINT, SIGTERM or SIGHUP;
// caught then reports the signal. Every print command's reads, writes and
// requests look at that context, so a signal stops one within milliseconds.
// With backstop (a print command, not the TUI) and env.Exit set, a command
// still running exitGrace after the signal, or at a second signal, is ended
// with the signal's exit code: a read blocked on a pipe or a long analysis
// cannot keep the user waiting. stop releases the signals.
func handleSignals(env Env, backstop bool) (ctx context.Context, caught func() syscall.Signal, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(context.Background())
	var got atomic.Int32
	done := make(chan struct{})
	go func() {
		var sig syscall.Signal
		select {
		case s := <-sigs:
			sig, _ = s.(syscall.Signal)
			if sig == 0 {
				sig = syscall.SIGINT
			}
			got.Store(int32(sig))
			cancel()
		case <-done:
			return
		}
		if !backstop || env.Exit == nil {
			return
		}
		t := time.NewTimer(exitGrace)
		defer t.Stop()
		select {
		case <-t.C:
		case <-sigs:
		case <-done:
			return
		}
		fmt.Fprintln(env.Stderr, "tracetui: stopped by "+signalName(sig))
		env.Exit(128 + int(sig))
	}()
	return ctx, func() syscall.Signal { return syscall.Signal(got.Load()) }, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

// runsTUI reports whether args run the interactive program (the root
// command) rather than a print command.
func runsTUI(root *cobra.Command, args []string) bool {
	cmd, _, err := root.Find(args)
	return err == nil && cmd == root
}

func signalName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}
