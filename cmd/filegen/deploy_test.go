package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// deployDir holds the systemd units and their example configuration.
const deployDir = "../../deploy"

func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatal("systemd-analyze is needed to check the units: apt-get install systemd")
	}

	// Instances of the templates, calling the filegen under test.
	dir := t.TempDir()
	units, err := filepath.Glob(filepath.Join(deployDir, "*@.*"))
	if err != nil || len(units) < 4 {
		t.Fatalf("units in %s: %v, %v; want at least 4", deployDir, units, err)
	}
	var instances []string
	for _, u := range units {
		data, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "/usr/local/bin/filegen", fgBinary)
		template := filepath.Base(u)
		instance := strings.Replace(template, "@.", "@share.", 1)
		for _, name := range []string{template, instance} {
			err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
			if err != nil {
				t.Fatal(err)
			}
		}
		instances = append(instances, filepath.Join(dir, instance))
	}

	cmd := exec.Command(analyze, append([]string{"verify", "--man=no"}, instances...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

func TestSystemdServiceRestarts(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "filegen@.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(data)
	for _, want := range []string{
		"Restart=on-failure",
		"RestartPreventExitStatus=2",
		"ExecStart=/usr/local/bin/filegen run --name %i",
		"WantedBy=multi-user.target",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("filegen@.service lacks %q", want)
		}
	}
	// The exit codes the unit relies on are the command's.
	for code, want := range map[int]int{2: exitUsage, 3: exitInterrupted, 4: exitBusy} {
		if code != want {
			t.Errorf("the unit treats %d as exit code %d", code, want)
		}
	}
}

func TestDeployFlagsExist(t *testing.T) {
	c := newCLI(t)
	help := c.mustRun("run", "--help")
	flag := regexp.MustCompile(`(?m)(?:^|\s)(--[a-z-]+)`)
	for _, f := range []string{"filegen@.service", "share.conf.example"} {
		data, err := os.ReadFile(filepath.Join(deployDir, f))
		if err != nil {
			t.Fatal(err)
		}
		var used []string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "ExecStart=") || strings.HasPrefix(line, "    --") ||
				strings.HasPrefix(line, "FILEGEN_ARGS=") {
				for _, m := range flag.FindAllStringSubmatch(line, -1) {
					used = append(used, m[1])
				}
			}
		}
		if len(used) < 3 {
			t.Errorf("%s: only %v found; the test reads the wrong lines", f, used)
		}
		for _, u := range used {
			if !strings.Contains(help, "   "+u+" ") && !strings.Contains(help, ", "+u+" ") {
				t.Errorf("%s uses %s, which filegen run does not know", f, u)
			}
		}
	}
}
