package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is this release of Gatehouse (see CHANGELOG.md).
const version = "v0.1.0"

// commit and modified are set by `make build` (-ldflags -X) where go
// build does not stamp the commit itself (GOFLAGS=-buildvcs=false).
var commit, modified string

// buildInfo is what `gatehouse version` tells: the release, and the commit
// and toolchain the binary was built from (stamped by `go build` in a git
// checkout, or by `make build`).
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Modified: modified == "true", Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

// printVersion prints `gatehouse v0.1.0 (commit 1a2b3c4d5e6f, go1.26.8)`,
// or with --json the same as an object.
func printVersion(args []string, out io.Writer) error {
	b := readBuildInfo()
	switch {
	case len(args) == 1 && args[0] == "--json":
		enc := json.NewEncoder(out)
		return enc.Encode(b)
	case len(args) > 0:
		return fmt.Errorf("usage: gatehouse version [--json]")
	}
	commit := "unknown commit"
	if b.Commit != "" {
		commit = "commit " + b.Commit[:min(12, len(b.Commit))]
		if b.Modified {
			commit += " with local changes"
		}
	}
	_, err := fmt.Fprintf(out, "gatehouse %s (%s, %s)\n", b.Version, commit, b.Go)
	return err
}
