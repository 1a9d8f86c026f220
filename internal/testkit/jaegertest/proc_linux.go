package jaegertest

import (
	"os"
	"os/exec"
	"syscall"
)

// setProcAttr makes the kernel kill Jaeger when the test binary dies
// without stopping it (a panic or a test timeout).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }
