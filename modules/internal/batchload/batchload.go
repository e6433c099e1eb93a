// Package batchload reads per-key data for one request in batches the data
// decides, not a clock. A resolver that holds a level of a list says which
// keys the level has (Expect); the first Load of any key then fetches every
// key still expected in one call, and the other keys' Loads find the result
// waiting. A key no one announced is fetched with whatever is still
// expected, or alone. Without a timer there is no idle wait on the request
// path, and the number of fetches does not depend on how busy the machine
// is (a time window splits a page into several batches when goroutines are
// slow to start).
package batchload

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// Loader caches one request's values by key; make one per request.
type Loader[K comparable, V any] struct {
	fetch    func(ctx context.Context, keys []K) (map[K]V, error)
	maxBatch int

	mu       sync.Mutex
	expected []K
	queued   map[K]bool
	entries  map[K]*entry[V]
}

type entry[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// New returns a loader over fetch, which returns the values of the keys it
// has (a missing key reads as V's zero value) or one error for them all.
// A fetch is given at most maxBatch keys (no bound when not positive).
func New[K comparable, V any](maxBatch int, fetch func(ctx context.Context, keys []K) (map[K]V, error)) *Loader[K, V] {
	// The maps are made on first use: a request builds the loaders of
	// every field it might ask and uses few of them.
	return &Loader[K, V]{fetch: fetch, maxBatch: maxBatch}
}

// init makes the maps; call it with l.mu held.
func (l *Loader[K, V]) init() {
	if l.entries == nil {
		l.queued, l.entries = map[K]bool{}, map[K]*entry[V]{}
	}
}

// Expect announces keys that are likely to be loaded in this request (the
// rows of a page), so that the first Load fetches them together. Keys
// loaded or announced before are skipped.
func (l *Loader[K, V]) Expect(keys ...K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	for _, k := range keys {
		if l.entries[k] == nil && !l.queued[k] {
			l.queued[k] = true
			l.expected = append(l.expected, k)
		}
	}
}

// Load returns the value of key, fetching it (with the keys still
// expected) unless it was fetched or is being fetched.
func (l *Loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	l.mu.Lock()
	l.init()
	e := l.entries[key]
	if e == nil {
		keys := l.takeBatch(key)
		batch := make(map[K]*entry[V], len(keys))
		for _, k := range keys {
			batch[k] = &entry[V]{done: make(chan struct{})}
			l.entries[k] = batch[k]
		}
		l.mu.Unlock()
		l.run(ctx, keys, batch)
		return batch[key].val, batch[key].err
	}
	l.mu.Unlock()
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// errPanicked is what the keys of a fetch that panicked read.
var errPanicked = errors.New("batchload: the fetch panicked")

// run fetches keys and hands each entry of batch its value; the entries
// are closed even when fetch panics, so that no Load waits forever.
func (l *Loader[K, V]) run(ctx context.Context, keys []K, batch map[K]*entry[V]) {
	vals, err := map[K]V(nil), errPanicked
	defer func() {
		for k, e := range batch {
			e.val, e.err = vals[k], err
			close(e.done)
		}
	}()
	vals, err = l.fetch(ctx, keys)
}

// takeBatch removes from the expected keys those fetched now: key, then
// the expected ones in the order announced, up to maxBatch. Call it with
// l.mu held.
func (l *Loader[K, V]) takeBatch(key K) []K {
	keys := []K{key}
	rest := l.expected[:0]
	for _, k := range l.expected {
		switch {
		case k == key:
		case l.maxBatch <= 0 || len(keys) < l.maxBatch:
			keys = append(keys, k)
		default:
			rest = append(rest, k)
			continue
		}
		delete(l.queued, k)
	}
	delete(l.queued, key)
	l.expected = rest
	return keys
}

// Prime stores val as key's value when key was neither fetched nor is
// being fetched (a read of something else brought it along, e.g. the
// portfolios of accounts read with them), and takes key off the expected
// keys: its Load then fetches nothing.
func (l *Loader[K, V]) Prime(key K, val V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.init()
	if l.entries[key] != nil {
		return
	}
	e := &entry[V]{done: make(chan struct{}), val: val}
	close(e.done)
	l.entries[key] = e
	if l.queued[key] {
		delete(l.queued, key)
		l.expected = slices.DeleteFunc(l.expected, func(k K) bool { return k == key })
	}
}

// Forget drops key's value, so that the next Load fetches it again (after
// a write in the same request).
func (l *Loader[K, V]) Forget(key K) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// One turns a read of rows, at most one per key, into a loader's fetch:
// a key without a row reads as nil.
func One[K comparable, T any](fetch func(context.Context, []K) ([]T, error),
	key func(T) K) func(context.Context, []K) (map[K]*T, error) {
	return func(ctx context.Context, keys []K) (map[K]*T, error) {
		rows, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[K]*T, len(rows))
		for i := range rows {
			out[key(rows[i])] = &rows[i]
		}
		return out, nil
	}
}

// Many turns a read of many rows per key into a loader's fetch: one call,
// the rows split by key in the order read; a key without rows gets an
// empty slice.
func Many[K comparable, T any](fetch func(context.Context, []K) ([]T, error),
	key func(T) K) func(context.Context, []K) (map[K][]T, error) {
	return func(ctx context.Context, keys []K) (map[K][]T, error) {
		rows, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[K][]T, len(keys))
		for _, k := range keys {
			out[k] = []T{}
		}
		for _, r := range rows {
			out[key(r)] = append(out[key(r)], r)
		}
		return out, nil
	}
}

// Lazy is one request's set of loaders (a module's), built the first time
// the request reads through it: every query is given the loaders of every
// per-user field, and most ask few of those fields.
type Lazy[T any] struct {
	once  sync.Once
	build func() *T
	val   *T
}

// NewLazy returns a set that build makes on the first Get.
func NewLazy[T any](build func() *T) *Lazy[T] { return &Lazy[T]{build: build} }

// Get returns the set, built once whoever asks first; nil on a nil Lazy.
func (l *Lazy[T]) Get() *T {
	if l == nil {
		return nil
	}
	l.once.Do(func() { l.val = l.build() })
	return l.val
}

// lazyKey is the context key of a request's set of T: one per set type,
// so each module's loaders have their own.
type lazyKey[T any] struct{}

// With returns ctx carrying a fresh set of T, which build makes the first
// time the request reads through it (From).
func With[T any](ctx context.Context, build func() *T) context.Context {
	return context.WithValue(ctx, lazyKey[T]{}, NewLazy(build))
}

// From returns the set of T ctx carries, built now if this is the first
// read; nil when ctx carries none (a mutation, a test without loaders).
func From[T any](ctx context.Context) *T {
	l, _ := ctx.Value(lazyKey[T]{}).(*Lazy[T])
	return l.Get()
}
