//go:build !linux

package jaegertest

import (
	"os"
	"os/exec"
)

func setProcAttr(*exec.Cmd) {}

func terminate(p *os.Process) error { return p.Signal(os.Interrupt) }
