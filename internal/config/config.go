// Package config loads tracetui's YAML config file and resolves, from the
// command line, the environment and that file, which backend to open and how.
//
// Precedence: flags, then environment variables, then the config file, then
// the embedded demo.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
	"go.yaml.in/yaml/v3"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/links"
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
	data, err := os.ReadFile(path)
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
		return nil, nil, fmt.Errorf("config %s: %s", path, unquoteValues(oneLine(err.Error())))
	}
	if err := f.validateLinks(); err != nil {
		return nil, nil, fmt.Errorf("config %s: %s", path, oneLine(err.Error()))
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
	Logs               []string
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

// Resolve combines flags, environment and config file. getenv is os.Getenv
// in production and a map lookup in tests.
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

	var prof *Profile
	profName := fl.Profile
	if profName == "" && f != nil && chosen == 0 && getenv(EnvJaegerURL) == "" && getenv(EnvZipkinURL) == "" {
		profName = f.Default
	}
	if profName != "" {
		if f == nil {
			return nil, &UsageError{fmt.Sprintf("profile %q: no config file", profName)}
		}
		p, ok := f.Profiles[profName]
		if !ok {
			return nil, &UsageError{fmt.Sprintf("profile %q is not in the config file", profName)}
		}
		prof = &p
		r.Profile = profName
	}
	r.applyLogs(fl, f, prof)

	switch {
	case fl.Jaeger != "":
		r.Kind, r.HTTP.URL = KindJaeger, fl.Jaeger
	case fl.Zipkin != "":
		r.Kind, r.HTTP.URL = KindZipkin, fl.Zipkin
	case len(fl.Files) > 0:
		r.Kind, r.Files = KindFile, fl.Files
	case fl.Demo:
		r.Kind = KindDemo
	case fl.Profile != "":
		if err := r.fromProfile(prof); err != nil {
			return nil, err
		}
	case getenv(EnvJaegerURL) != "":
		r.Kind, r.HTTP.URL = KindJaeger, getenv(EnvJaegerURL)
	case getenv(EnvZipkinURL) != "":
		r.Kind, r.HTTP.URL = KindZipkin, getenv(EnvZipkinURL)
	case prof != nil:
		if err := r.fromProfile(prof); err != nil {
			return nil, err
		}
	default:
		r.Kind = KindDemo
		return r, nil
	}
	r.Explicit = true

	if prof != nil {
		if err := r.applyProfileOptions(prof, getenv); err != nil {
			return nil, err
		}
	}
	if tok := getenv(EnvToken); tok != "" {
		r.HTTP.Token = tok
	}
	for _, h := range fl.Headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, &UsageError{"--header wants \"Key: Value\""}
		}
		r.HTTP.Headers = append(r.HTTP.Headers, backend.Header{Name: name, Value: strings.TrimSpace(value)})
	}
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

func (r *Resolved) applyProfileOptions(p *Profile, getenv func(string) string) error {
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
	for k, v := range p.Headers {
		r.HTTP.Headers = append(r.HTTP.Headers, backend.Header{Name: k, Value: v})
	}
	r.HTTP.CACertFile = p.CACert
	r.HTTP.InsecureSkipVerify = p.InsecureSkipVerify
	r.HTTP.MaxResponseBytes = p.MaxResponseBytes
	if p.Timeout != "" {
		d, err := time.ParseDuration(p.Timeout)
		if err != nil || d <= 0 {
			return &UsageError{fmt.Sprintf("profile %q: timeout %q is not a duration", r.Profile, p.Timeout)}
		}
		r.HTTP.Timeout = d
	}
	if len(p.CorrelationKeys) > 0 {
		r.CorrelationKeys = p.CorrelationKeys
	}
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
		data, err := os.ReadFile(expandHome(file))
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// unquoteValues hides the values a YAML error quotes in backquotes (the
// first characters of a mistyped token are still part of the token); the
// line number says where to look.
func unquoteValues(s string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '`')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open+1:], '`')
		if end < 0 {
			break
		}
		b.WriteString(s[:open])
		b.WriteString("a value")
		s = s[open+1+end+1:]
	}
	b.WriteString(s)
	return b.String()
}
