package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/internal/safeio"
)

// TestNotYAMLErrorNamesLineNotContent: --config pointing at a file that is
// not a config (a password file, a key, an INI file) says which line fails
// and what kind of mistake it is, and quotes none of the file.
func TestNotYAMLErrorNamesLineNotContent(t *testing.T) {
	const secret = "S3cretHash"
	for name, tc := range map[string]struct{ body, want string }{
		"shadow": {"root:$6$salt$" + secret + ":19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
			"line 1: not a tracetui setting; line 2: not a tracetui setting"},
		"htpasswd":      {"alice:$apr1$" + secret + "\n", "line 1: a value of the wrong kind"},
		"key value":     {"user: " + secret + "\n", "line 1: not a tracetui setting"},
		"pem":           {"-----BEGIN RSA PRIVATE KEY-----\n" + secret + "\n-----END RSA PRIVATE KEY-----\n", "line 1: a value of the wrong kind"},
		"ini":           {"key = " + secret + "\n[section]\n", "line 1: a value of the wrong kind"},
		"json cut":      {`{"a": "` + secret + `"`, "line 1: not valid YAML"},
		"tag":           {"profiles: !" + secret + " x\n", "line 1: a value of the wrong kind"},
		"anchor":        {"profiles:\n  p: *" + secret + "\n", "not valid YAML"},
		"colons":        {"a: b: c " + secret + "\n", "not valid YAML (mapping values are not allowed in this context)"},
		"binary":        {"\x00\x01" + secret, "not valid YAML (control characters are not allowed)"},
		"duplicate key": {"profiles:\n  p:\n    jaeger: x\n    jaeger: " + secret + "\n", "line 4: a key given twice"},
		"many": {"a" + secret + ": 1\nb" + secret + ": 2\nc" + secret + ": 3\nd" + secret + ": 4\n",
			"line 1: not a tracetui setting; line 2: not a tracetui setting; line 3: not a tracetui setting; …"},
	} {
		_, _, err := Load(writeFile(t, "c.yaml", tc.body, 0o600), true)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, secret[:4]) || strings.Contains(msg, "$") || strings.Contains(msg, "`") {
			t.Errorf("%s: content in %q", name, msg)
		}
		if !strings.HasSuffix(msg, ": "+tc.want) {
			t.Errorf("%s: %q, want it to end in %q", name, msg, tc.want)
		}
	}
}

// TestConfigAndSecretFilesAreBounded: a config or token file that never
// ends (/dev/zero) or is huge fails at once with its size, not its content.
func TestConfigAndSecretFilesAreBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, _, err := Load("/dev/zero", true)
		var tl *safeio.TooLargeError
		if !errors.As(err, &tl) {
			t.Errorf("/dev/zero as config: %v", err)
		}
	}
	big := writeFile(t, "big.yaml", "# "+strings.Repeat("x", safeio.ConfigLimit)+"\n", 0o600)
	if _, _, err := Load(big, true); !errors.As(err, new(*safeio.TooLargeError)) {
		t.Errorf("huge config: %v", err)
	}
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte(strings.Repeat("t", safeio.SecretLimit+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &File{Profiles: map[string]Profile{"p": {Jaeger: "http://j", TokenFile: tok}}}
	_, err := Resolve(Flags{Profile: "p"}, f, env(nil))
	if !errors.As(err, new(*safeio.TooLargeError)) || strings.Contains(err.Error(), "ttt") {
		t.Errorf("huge token file: %v", err)
	}
}
