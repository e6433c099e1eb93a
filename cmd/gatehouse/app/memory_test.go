package app_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// The argon2id semaphore is sized to the memory limit: as many 64 MiB runs
// as fit beside the server's own 64 MiB, at most one per CPU.
func TestHashSlotsFitTheMemoryLimit(t *testing.T) {
	cpus := runtime.NumCPU()
	for _, c := range []struct {
		env       map[string]string
		limit     int64
		from      string
		wantSlots int
	}{
		{map[string]string{}, 224 << 20, "GATEHOUSE_MEMORY_LIMIT", min(cpus, 2)},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "1GiB"}, 1 << 30, "GATEHOUSE_MEMORY_LIMIT", min(cpus, 15)},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "192MiB"}, 192 << 20, "GATEHOUSE_MEMORY_LIMIT", min(cpus, 2)},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "160MiB"}, 160 << 20, "GATEHOUSE_MEMORY_LIMIT", 1},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "off"}, 0, "GATEHOUSE_MEMORY_LIMIT", cpus},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "off", "GATEHOUSE_HASH_CONCURRENCY": "64"}, 0, "GATEHOUSE_MEMORY_LIMIT", 64},
		// GOMEMLIMIT, which the runtime has applied, wins and sizes the slots.
		{map[string]string{"GOMEMLIMIT": "3221225472", "GATEHOUSE_MEMORY_LIMIT": "160MiB"}, 3 << 30, "GOMEMLIMIT", min(cpus, 47)},
		{map[string]string{"GATEHOUSE_ARGON2_MEMORY_KIB": "19456"}, 224 << 20, "GATEHOUSE_MEMORY_LIMIT", min(cpus, 8)},
		{map[string]string{"GATEHOUSE_HASH_CONCURRENCY": "1"}, 224 << 20, "GATEHOUSE_MEMORY_LIMIT", 1},
	} {
		kv := map[string]string{"GATEHOUSE_ENV": "dev"}
		for k, v := range c.env {
			kv[k] = v
		}
		cfg, err := app.Load(env(kv))
		if err != nil {
			t.Fatalf("%v: %v", c.env, err)
		}
		must(t, cfg.MemoryLimit == c.limit && cfg.MemoryLimitFrom == c.from && cfg.HashConcurrency == c.wantSlots,
			"%v: limit %d from %s, %d slots; want %d from %s, %d slots", c.env, cfg.MemoryLimit, cfg.MemoryLimitFrom,
			cfg.HashConcurrency, c.limit, c.from, c.wantSlots)
	}
}

// A limit the argon2id runs cannot fit in is refused at start, naming the
// settings, rather than left to make the collector run without end.
func TestMemoryLimitTooSmallIsRefused(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		name string
	}{
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "lots"}, "GATEHOUSE_MEMORY_LIMIT"},
		{map[string]string{"GATEHOUSE_MEMORY_LIMIT": "64MiB"}, "GATEHOUSE_MEMORY_LIMIT"},
		{map[string]string{"GOMEMLIMIT": "-5"}, "GOMEMLIMIT"},
		{map[string]string{"GATEHOUSE_ARGON2_MEMORY_KIB": "262144"}, "GATEHOUSE_ARGON2_MEMORY_KIB"},
		{map[string]string{"GATEHOUSE_HASH_CONCURRENCY": "8"}, "GATEHOUSE_HASH_CONCURRENCY"},
	} {
		kv := map[string]string{"GATEHOUSE_ENV": "dev"}
		for k, v := range c.env {
			kv[k] = v
		}
		_, err := app.Load(env(kv))
		must(t, err != nil && strings.Contains(err.Error(), c.name), "%v: %v", c.env, err)
	}
}
