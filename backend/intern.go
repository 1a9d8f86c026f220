package backend

// Interner stores each distinct string once. Decoders use one per trace (or
// per file) so that service names, operation names and tag keys, which repeat
// on every span, cost one allocation each. Not safe for concurrent use.
type Interner struct {
	m map[string]string
}

// NewInterner returns an empty interner.
func NewInterner() *Interner { return &Interner{m: make(map[string]string, 256)} }

// Bytes returns the interned string equal to b; the map lookup with a
// converted []byte key does not allocate.
func (in *Interner) Bytes(b []byte) string {
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	in.m[s] = s
	return s
}

// String returns the interned copy of s.
func (in *Interner) String(s string) string {
	if v, ok := in.m[s]; ok {
		return v
	}
	in.m[s] = s
	return s
}
