// Package config loads tracetui's YAML config file and resolves, from the
// command line, the environment and that file, which backend to open and how.
//
// Precedence, setting by setting: flags, then environment variables, then
// the profile, then the defaults (the embedded demo for the backend). A
// profile's credentials, headers and TLS settings go only to its own
// server's origin (see Resolve).
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"go.yaml.in/yaml/v3"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/safeio"
)

// Environment variables read by Resolve.
const (
	EnvJaegerURL = "TRACETUI_JAEGER_URL"
	EnvZipkinURL = "TRACETUI_ZIPKIN_URL"
	EnvToken     = "TRACETUI_TOKEN"
)

// File is the config file's shape.
type File struct {
	// Default names the profile used when --profile is not given.
	Default  string             `yaml:"default"`
	Profiles map[string]Profile `yaml:"profiles"`
	// Keys overrides key bindings by name, e.g. "list.refresh": ["ctrl+r"].
	Keys map[string][]string `yaml:"keys"`
	// Links are link templates for every profile (internal/links).
	Links []links.Template `yaml:"links"`
}

// Profile is one named backend.
type Profile struct {
	Jaeger string   `yaml:"jaeger"`
	Zipkin string   `yaml:"zipkin"`
	Files  []string `yaml:"files"`
	Demo   bool     `yaml:"demo"`
	// Token is discouraged (it sits in a file); TokenEnv or TokenFile are better.
	Token     string `yaml:"token"`
	TokenEnv  string `yaml:"token_env"`
	TokenFile string `yaml:"token_file"`
	Username  string `yaml:"username"`
	// Password, like Token, is better given through PasswordEnv or PasswordFile.
	Password           string            `yaml:"password"`
	PasswordEnv        string            `yaml:"password_env"`
	PasswordFile       string            `yaml:"password_file"`
	Headers            map[string]string `yaml:"headers"`
	CACert             string            `yaml:"ca_cert"`
	InsecureSkipVerify bool              `yaml:"insecure_skip_verify"`
	Timeout            string            `yaml:"timeout"`
	MaxResponseBytes   int64             `yaml:"max_response_bytes"`
	CorrelationKeys    []string          `yaml:"correlation_keys"`
	// Logs are application log files (JSON Lines or logfmt, gzip or not).
	Logs []string `yaml:"logs"`
	// Links are this profile's link templates, before the file's.
	Links []links.Template `yaml:"links"`
}

// DefaultPath is $XDG_CONFIG_HOME/tracetui/config.yaml.
func DefaultPath() string {
	return filepath.Join(xdg.ConfigHome, "tracetui", "config.yaml")
}

// Load reads a config file. A missing file at the default path is not an
// error (nil File); a missing file named explicitly is. Warnings (a secret in
// a file others can read) are returned for the caller to print.
func Load(path string, explicit bool) (*File, []string, error) {
	// A limit, so that --config naming /dev/zero or a huge file ends at once.
	data, err := safeio.ReadFile(path, safeio.ConfigLimit)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil, nil, nil
		}
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	var f File
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("config %s: %s", path, parseError(err))
	}
	if err := f.validateLinks(); err != nil {
		return nil, nil, fmt.Errorf("config %s: %s", path, backend.OneLine([]byte(err.Error())))
	}
	var warnings []string
	if f.hasInlineSecret() && readableByOthers(path) {
		warnings = append(warnings, fmt.Sprintf("config %s holds a secret and others can read it (chmod 600 it, or use token_env/token_file)", path))
	}
	return &f, warnings, nil
}

func (f *File) hasInlineSecret() bool {
	for _, p := range f.Profiles {
		if p.Token != "" || p.Password != "" {
			return true
		}
		for k := range p.Headers {
			if isSecretHeader(k) {
				return true
			}
		}
	}
	return false
}

func isSecretHeader(name string) bool {
	n := strings.ToLower(name)
	return n == "authorization" || n == "proxy-authorization" || n == "cookie" ||
		strings.Contains(n, "token") || strings.Contains(n, "key") || strings.Contains(n, "secret")
}

func readableByOthers(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	return st.Mode().Perm()&0o044 != 0
}

// Kind is the kind of backend to open.
type Kind int

const (
	KindDemo Kind = iota
	KindJaeger
	KindZipkin
	KindFile
)

func (k Kind) String() string {
	switch k {
	case KindJaeger:
		return "jaeger"
	case KindZipkin:
		return "zipkin"
	case KindFile:
		return "file"
	}
	return "demo"
}

// Flags are the global command-line flags that bear on the backend.
type Flags struct {
	Jaeger, Zipkin     string
	Files              []string
	Demo               bool
	Profile            string
	Headers            []string // "Key: Value"
	Timeout            time.Duration
	TimeoutSet         bool
	CACert             string
	InsecureSkipVerify bool
	MaxResponseBytes   int64
	// CorrelationKeys (--correlation-key) replace the profile's and the
	// default keys.
	CorrelationKeys []string
	Logs            []string
}

// Resolved says which backend to open and with what options.
type Resolved struct {
	Kind    Kind
	Profile string
	HTTP    backend.HTTPOptions
	Files   []string
	// Explicit is false when nothing chose a backend and the demo is a fallback.
	Explicit        bool
	CorrelationKeys []string
	Keys            map[string][]string
	Warnings        []string
	// Logs are the log files to read (--logs, else the profile's logs).
	Logs []string
	// Links are the user's link templates; LinkTemplates adds the backend's.
	Links []links.Template
}

// UsageError marks a mistake on the command line (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Resolve combines flags, environment and config file, setting by setting:
// a flag wins over the environment, which wins over the profile (--profile,
// else the file's default), which wins over the defaults. getenv is
// os.Getenv in production and a map lookup in tests.
//
// The backend is the one a flag names (--jaeger, --zipkin, --file, --demo,
// --profile), else the environment's, else the default profile's, else the
// demo. The profile's other settings merge under whichever backend that
// is, but its token, user and password, headers, CA and TLS verification
// belong to its server: they apply only when the backend URL has that
// server's origin (scheme, host and port), so that `--jaeger` pointed
// elsewhere never sends them to another server. Its timeout, response limit
// and correlation keys always apply.
func Resolve(fl Flags, f *File, getenv func(string) string) (*Resolved, error) {
	r := &Resolved{CorrelationKeys: backend.DefaultCorrelationKeys()}
	if f != nil {
		r.Keys = f.Keys
	}
	chosen := 0
	for _, set := range []bool{fl.Jaeger != "", fl.Zipkin != "", len(fl.Files) > 0, fl.Demo} {
		if set {
			chosen++
		}
	}
	if chosen > 1 {
		return nil, &UsageError{"choose one of --jaeger, --zipkin, --file and --demo"}
	}
	envURL := getenv(EnvJaegerURL) != "" || getenv(EnvZipkinURL) != ""

	var prof *Profile
	profName, explicitProf := fl.Profile, fl.Profile != ""
	if !explicitProf && f != nil {
		profName = f.Default
	}
	if profName != "" {
		switch p, ok := f.lookup(profName); {
		case ok:
			prof = &p
		case f == nil:
			return nil, &UsageError{fmt.Sprintf("profile %q: no config file", profName)}
		case explicitProf || (chosen == 0 && !envURL):
			return nil, &UsageError{fmt.Sprintf("profile %q is not in the config file", profName)}
		default:
			r.Warnings = append(r.Warnings, fmt.Sprintf("the default profile %q is not in the config file; ignored", profName))
		}
	}
	r.applyLogs(fl, f, prof)

	usesProfile := false
	switch {
	case fl.Jaeger != "":
		r.Kind, r.HTTP.URL = KindJaeger, fl.Jaeger
	case fl.Zipkin != "":
		r.Kind, r.HTTP.URL = KindZipkin, fl.Zipkin
	case len(fl.Files) > 0:
		r.Kind, r.Files = KindFile, fl.Files
	case fl.Demo:
		r.Kind = KindDemo
	case explicitProf && prof != nil:
		usesProfile = true
	case getenv(EnvJaegerURL) != "":
		r.Kind, r.HTTP.URL = KindJaeger, getenv(EnvJaegerURL)
	case getenv(EnvZipkinURL) != "":
		r.Kind, r.HTTP.URL = KindZipkin, getenv(EnvZipkinURL)
	case prof != nil:
		usesProfile = true
	default:
		r.Kind = KindDemo
	}
	r.Explicit = chosen > 0 || usesProfile || envURL
	if usesProfile {
		r.Profile = profName
		if err := r.fromProfile(prof); err != nil {
			return nil, err
		}
	}

	if prof != nil {
		if err := r.applyProfileSettings(profName, prof); err != nil {
			return nil, err
		}
		switch {
		case usesProfile || (r.HTTP.URL != "" && sameOrigin(prof.url(), r.HTTP.URL)):
			r.Profile = profName
			if err := r.applyProfileConnection(prof, getenv); err != nil {
				return nil, err
			}
		case explicitProf && prof.hasConnection():
			r.Warnings = append(r.Warnings, fmt.Sprintf("profile %q's credentials, headers and TLS settings are for %s, so they are not sent to %s",
				profName, origin(prof.url()), origin(r.HTTP.URL)))
		}
	}
	if len(fl.CorrelationKeys) > 0 {
		keys := make([]string, 0, len(fl.CorrelationKeys))
		for _, k := range fl.CorrelationKeys {
			if k = strings.TrimSpace(k); k == "" {
				return nil, &UsageError{"--correlation-key wants a tag key"}
			}
			keys = append(keys, k)
		}
		r.CorrelationKeys = keys
	}
	if r.Kind == KindDemo && !r.Explicit {
		return r, nil
	}

	if tok := getenv(EnvToken); tok != "" {
		r.HTTP.Token = tok
	}
	var flagHeaders []backend.Header
	for _, h := range fl.Headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, &UsageError{"--header wants \"Key: Value\""}
		}
		flagHeaders = append(flagHeaders, backend.Header{Name: name, Value: strings.TrimSpace(value)})
	}
	// A flag's header replaces the profile's of that name.
	r.HTTP.Headers = slices.DeleteFunc(r.HTTP.Headers, func(p backend.Header) bool {
		return slices.ContainsFunc(flagHeaders, func(h backend.Header) bool { return strings.EqualFold(h.Name, p.Name) })
	})
	r.HTTP.Headers = append(r.HTTP.Headers, flagHeaders...)
	if fl.TimeoutSet || r.HTTP.Timeout == 0 {
		r.HTTP.Timeout = fl.Timeout
	}
	if fl.CACert != "" {
		r.HTTP.CACertFile = fl.CACert
	}
	if fl.InsecureSkipVerify {
		r.HTTP.InsecureSkipVerify = true
	}
	if fl.MaxResponseBytes > 0 {
		r.HTTP.MaxResponseBytes = fl.MaxResponseBytes
	}
	if r.Kind == KindJaeger || r.Kind == KindZipkin {
		if err := checkURL(r.HTTP.URL); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// lookup finds a profile; a nil File has none.
func (f *File) lookup(name string) (Profile, bool) {
	if f == nil {
		return Profile{}, false
	}
	p, ok := f.Profiles[name]
	return p, ok
}

// url is the profile's server, or "" for files and the demo.
func (p *Profile) url() string {
	if p.Jaeger != "" {
		return p.Jaeger
	}
	return p.Zipkin
}

// hasConnection reports whether the profile has settings tied to its server.
func (p *Profile) hasConnection() bool {
	return p.Token != "" || p.TokenEnv != "" || p.TokenFile != "" || p.Username != "" ||
		p.Password != "" || p.PasswordEnv != "" || p.PasswordFile != "" || len(p.Headers) > 0 ||
		p.CACert != "" || p.InsecureSkipVerify
}

// sameOrigin compares scheme, host (any case) and port (the scheme's
// default when absent). Anything unparsable is another origin.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ua.Host == "" || ub.Host == "" {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Hostname(), ub.Hostname()) && port(ua) == port(ub)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// origin shows a URL's scheme and host only (never a path, query or user).
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(another server)"
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

func (r *Resolved) fromProfile(p *Profile) error {
	n := 0
	if p.Jaeger != "" {
		r.Kind, r.HTTP.URL = KindJaeger, p.Jaeger
		n++
	}
	if p.Zipkin != "" {
		r.Kind, r.HTTP.URL = KindZipkin, p.Zipkin
		n++
	}
	if len(p.Files) > 0 {
		r.Kind, r.Files = KindFile, p.Files
		n++
	}
	if p.Demo {
		r.Kind = KindDemo
		n++
	}
	if n != 1 {
		return &UsageError{fmt.Sprintf("profile %q must name exactly one of jaeger, zipkin, files, demo", r.Profile)}
	}
	return nil
}

// applyProfileSettings merges what holds for any server: timeout,
// response limit, correlation keys.
func (r *Resolved) applyProfileSettings(name string, p *Profile) error {
	if p.MaxResponseBytes > 0 {
		r.HTTP.MaxResponseBytes = p.MaxResponseBytes
	}
	if p.Timeout != "" {
		d, err := time.ParseDuration(p.Timeout)
		if err != nil || d <= 0 {
			return &UsageError{fmt.Sprintf("profile %q: timeout %q is not a duration", name, p.Timeout)}
		}
		r.HTTP.Timeout = d
	}
	if len(p.CorrelationKeys) > 0 {
		r.CorrelationKeys = p.CorrelationKeys
	}
	return nil
}

// applyProfileConnection merges what belongs to the profile's server:
// credentials (secrets are read only here), headers, CA and TLS checks.
func (r *Resolved) applyProfileConnection(p *Profile, getenv func(string) string) error {
	tok, err := secret(p.Token, p.TokenEnv, p.TokenFile, getenv)
	if err != nil {
		return err
	}
	if tok != "" {
		r.HTTP.Token = tok
	}
	pw, err := secret(p.Password, p.PasswordEnv, p.PasswordFile, getenv)
	if err != nil {
		return err
	}
	r.HTTP.Username, r.HTTP.Password = p.Username, pw
	names := make([]string, 0, len(p.Headers))
	for k := range p.Headers {
		names = append(names, k)
	}
	slices.Sort(names) // map order would send them in a random order
	for _, k := range names {
		r.HTTP.Headers = append(r.HTTP.Headers, backend.Header{Name: k, Value: p.Headers[k]})
	}
	r.HTTP.CACertFile = p.CACert
	r.HTTP.InsecureSkipVerify = p.InsecureSkipVerify
	return nil
}

// secret picks an inline value, an environment variable or a file, in
// reverse order of preference; a file readable by others earns a warning.
func secret(inline, env, file string, getenv func(string) string) (string, error) {
	if env != "" {
		if v := getenv(env); v != "" {
			return v, nil
		}
	}
	if file != "" {
		data, err := safeio.ReadFile(expandHome(file), safeio.SecretLimit)
		if err != nil {
			// The path is the user's own, not a secret; the content never is printed.
			return "", fmt.Errorf("secret file: %w", err)
		}
		return strings.TrimSpace(string(data)), nil
	}
	return inline, nil
}

// SecretFileWarnings lists token or password files of the chosen profile
// that others can read.
func SecretFileWarnings(f *File, profile string) []string {
	if f == nil || profile == "" {
		return nil
	}
	p := f.Profiles[profile]
	var out []string
	for _, file := range []string{p.TokenFile, p.PasswordFile} {
		if file != "" && readableByOthers(expandHome(file)) {
			out = append(out, fmt.Sprintf("secret file %s can be read by others (chmod 600 it)", file))
		}
	}
	return out
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, p[2:])
		}
	}
	return p
}

func checkURL(raw string) error {
	if !strings.HasPrefix(raw, "http://") && !strings.HasPrefix(raw, "https://") {
		return &UsageError{fmt.Sprintf("backend URL %q must start with http:// or https://", backend.RedactURL(raw))}
	}
	if u, err := url.Parse(raw); err != nil || u.Host == "" {
		return &UsageError{fmt.Sprintf("backend URL %q is not a valid URL", backend.RedactURL(raw))}
	}
	return nil
}

// parseError says where a config file fails to parse and what kind of
// mistake it is, never what the file holds: --config may name a file that is
// not a config at all (a password file), and YAML's messages quote keys,
// values and tags ("field root:$6$… not found").
func parseError(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var parts []string
		for i, e := range te.Errors {
			line, rest := lineOf(e)
			var what string
			switch {
			case strings.Contains(rest, " not found in type "):
				what = "not a tracetui setting"
			case strings.Contains(rest, "already defined"):
				what = "a key given twice"
			case strings.HasPrefix(rest, "cannot unmarshal"):
				what = "a value of the wrong kind"
			default:
				what = "a value that cannot be read"
			}
			if line != "" {
				what = "line " + line + ": " + what
			}
			if !slices.Contains(parts, what) {
				parts = append(parts, what)
			}
			if len(parts) == 3 && i < len(te.Errors)-1 {
				parts = append(parts, "…")
				break
			}
		}
		return strings.Join(parts, "; ")
	}
	// A syntax error: "yaml: line 3: did not find expected key". The
	// problem is kept only when it is the parser's own fixed words.
	line, rest := lineOf(strings.TrimPrefix(err.Error(), "yaml: "))
	msg := "not valid YAML"
	if fixedWords(rest) {
		msg += " (" + rest + ")"
	}
	if line != "" {
		msg = "line " + line + ": " + msg
	}
	return msg
}

// lineOf splits "line N: rest" into N and rest; line is "" when s does not
// start so.
func lineOf(s string) (line, rest string) {
	after, ok := strings.CutPrefix(s, "line ")
	if !ok {
		return "", s
	}
	n, rest, ok := strings.Cut(after, ": ")
	if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
		return "", s
	}
	return n, rest
}

// fixedWords reports text made of lowercase letters and spaces only, as the
// parser's own messages are; anything quoted from the file has other bytes
// or is not worth the risk.
func fixedWords(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != ' ' {
			return false
		}
	}
	return true
}
