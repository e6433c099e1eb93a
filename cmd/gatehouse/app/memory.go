package app

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Memory: the Go runtime's soft limit, and the argon2id slots that fit in
// it. Each argon2id run allocates its whole memory parameter (64 MiB by
// default) at once, so the hashes running together are most of the
// process's memory; the limit makes the garbage collector return their
// blocks before the heap doubles, which it otherwise lets it do.

// memoryReserve is what the server needs beside argon2id: the heap under
// the read load, goroutine stacks, the runtime's own (about 60 MiB of
// peak RSS under `make load`'s reads).
const memoryReserve = 64 << 20

// defaultMemoryLimit leaves two 64 MiB argon2id runs beside the reserve
// with 32 MiB to spare, so 8 concurrent sign-ins stay under 250 MiB.
const defaultMemoryLimit = 224 << 20

// readMemory reads the memory limit (GOMEMLIMIT when set, which the Go
// runtime has applied already, else GATEHOUSE_MEMORY_LIMIT) and sizes the
// argon2id semaphore to it: GATEHOUSE_HASH_CONCURRENCY by default is as
// many hashes as fit beside the reserve, at most the CPU count and at
// least one; a value that cannot fit is refused rather than left to make
// the collector run without end. Call after the argon2id parameters.
func (c *Config) readMemory(r *reader) {
	c.MemoryLimitFrom = "GATEHOUSE_MEMORY_LIMIT"
	raw := r.str("GATEHOUSE_MEMORY_LIMIT", "")
	if g := strings.TrimSpace(r.getenv("GOMEMLIMIT")); g != "" {
		c.MemoryLimitFrom, raw = "GOMEMLIMIT", g
	}
	c.MemoryLimit = defaultMemoryLimit
	if raw != "" {
		v, ok := parseBytes(raw)
		if !ok || (v != 0 && v < 2*memoryReserve) {
			r.fail(c.MemoryLimitFrom, fmt.Sprintf("must be off or a size such as 224MiB or 1GiB (at least %dMiB), got %q",
				2*memoryReserve>>20, raw))
		} else {
			c.MemoryLimit = v
		}
	}
	hash := int64(c.Argon2MemoryKiB) << 10
	slots := runtime.NumCPU()
	if c.MemoryLimit > 0 {
		slots = max(1, min(slots, int((c.MemoryLimit-memoryReserve)/hash)))
		if memoryReserve+hash > c.MemoryLimit {
			r.fail("GATEHOUSE_ARGON2_MEMORY_KIB", fmt.Sprintf("one argon2id run (%d MiB) and the server's %d MiB do not fit in %s (%d MiB); raise it",
				hash>>20, memoryReserve>>20, c.MemoryLimitFrom, c.MemoryLimit>>20))
		}
	}
	c.HashConcurrency = r.intIn("GATEHOUSE_HASH_CONCURRENCY", slots, 1, 1024)
	if need := memoryReserve + int64(c.HashConcurrency)*hash; c.MemoryLimit > 0 && c.HashConcurrency > slots && need > c.MemoryLimit {
		r.fail("GATEHOUSE_HASH_CONCURRENCY", fmt.Sprintf("%d argon2id runs of %d MiB and the server's %d MiB need %d MiB, more than %s (%d MiB); raise it or lower this",
			c.HashConcurrency, hash>>20, memoryReserve>>20, need>>20, c.MemoryLimitFrom, c.MemoryLimit>>20))
	}
}

// ApplyMemoryLimit gives the Go runtime GATEHOUSE_MEMORY_LIMIT as its soft
// limit, unless GOMEMLIMIT set one (the runtime read it at start). The
// "gatehouse listening" log line says what was applied.
func ApplyMemoryLimit(cfg Config) {
	if cfg.MemoryLimitFrom == "GATEHOUSE_MEMORY_LIMIT" && cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
}

// parseBytes reads a size as GOMEMLIMIT writes it: a whole number of
// bytes with an optional unit (B, KiB, MiB, GiB, TiB), or off (0).
func parseBytes(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return 0, true
	}
	shift := 0
	for _, u := range []struct {
		suffix string
		shift  int
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"B", 0}} {
		if strings.HasSuffix(s, u.suffix) {
			s, shift = strings.TrimSuffix(s, u.suffix), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, false
	}
	return n << shift, true
}
