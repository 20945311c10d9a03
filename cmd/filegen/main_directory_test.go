package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/urfave/cli/v2"
)

// configFrom runs a throwaway app whose action captures ldapConfig.
func configFrom(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var pw string
	var cerr error
	app := &cli.App{
		Flags: ldapFlags(),
		Action: func(c *cli.Context) error {
			cfg, err := ldapConfig(c)
			pw, cerr = cfg.Password, err
			return nil
		},
	}
	if err := app.RunContext(context.Background(),
		append([]string{"filegen"}, args...)); err != nil {
		t.Fatalf("run: %v", err)
	}
	return pw, cerr
}

func TestLDAPConfigPassword(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	base := []string{"--ldap-url", "ldap://127.0.0.1:1",
		"--ldap-base", "dc=x", "--ldap-bind-dn", "cn=a,dc=x"}
	tests := []struct {
		name    string
		env     string // "" leaves the variable unset
		args    []string
		want    string
		wantErr bool
	}{
		{"env", "from-env", nil, "from-env", false},
		{"file", "", []string{"--ldap-password-file", file},
			"from-file", false},
		{"env wins", "from-env", []string{"--ldap-password-file", file},
			"from-env", false},
		{"none", "", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv(passwordEnv, tt.env)
			} else {
				t.Setenv(passwordEnv, "")
				os.Unsetenv(passwordEnv)
			}
			got, err := configFrom(t, append(base, tt.args...)...)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("password = %q, %v; want %q, error %v",
					got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNoPasswordFlag(t *testing.T) {
	for _, f := range ldapFlags() {
		for _, n := range f.Names() {
			if n == "ldap-password" || n == "password" {
				t.Errorf("flag --%s takes a password on the command line", n)
			}
		}
	}
	if got, want := len(directoryCommand().Subcommands), 3; got != want {
		t.Errorf("subcommands = %d, want %d", got, want)
	}
}
