package backend

import "testing"

// TestProgressTotalUnknownWhenAbsurd: a total beyond the accepted size, or
// one the bytes already passed, is reported as unknown.
func TestProgressTotalUnknownWhenAbsurd(t *testing.T) {
	var p Progress
	if p.Total() != 0 {
		t.Fatal("a new Progress has a total")
	}
	p.SetLimit(512 << 20)
	p.SetTotal(100 << 20)
	p.Add(5 << 10)
	if p.Total() != 100<<20 || p.Bytes() != 5<<10 {
		t.Errorf("plausible total: %d of %d", p.Bytes(), p.Total())
	}
	p.SetTotal(8191 << 50) // about 8192 PiB
	if p.Total() != 0 {
		t.Errorf("a total beyond the limit is shown: %d", p.Total())
	}
	p.SetTotal(1 << 10)
	if p.Total() != 0 {
		t.Errorf("a total smaller than what arrived is shown: %d", p.Total())
	}
	p.SetTotal(-1)
	if p.Total() != 0 {
		t.Errorf("a negative total: %d", p.Total())
	}
	p.Restart()
	p.SetTotal(1 << 10)
	if p.Bytes() != 0 || p.Total() != 1<<10 {
		t.Errorf("after Restart: %d of %d", p.Bytes(), p.Total())
	}
}
