package backend

import (
	"encoding/hex"
	"math"
	"strings"
)

func float64bits(f float64) uint64     { return math.Float64bits(f) }
func float64frombits(b uint64) float64 { return math.Float64frombits(b) }
func hexString(s string) string        { return hex.EncodeToString([]byte(s)) }

func lowerASCII(s string) string { return strings.ToLower(s) }

func trimPrefixFold(s, prefix string) string {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):]
	}
	return s
}
