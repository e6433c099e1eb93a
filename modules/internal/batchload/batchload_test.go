package batchload_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/modules/internal/batchload"
)

// recorder is a fetch that doubles its keys and remembers each call.
type recorder struct {
	mu    sync.Mutex
	calls [][]int
	err   error
}

func (r *recorder) fetch(_ context.Context, keys []int) (map[int]int, error) {
	r.mu.Lock()
	r.calls = append(r.calls, slices.Clone(keys))
	r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	out := map[int]int{}
	for _, k := range keys {
		if k != 0 {
			out[k] = 2 * k
		}
	}
	return out, nil
}

func TestExpectedKeysAreFetchedTogetherByTheFirstLoad(t *testing.T) {
	r := &recorder{}
	l := batchload.New(0, r.fetch)
	l.Expect(1, 2, 3, 2)
	var wg sync.WaitGroup
	got := make([]int, 4)
	for i, k := range []int{3, 1, 2, 3} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := l.Load(context.Background(), k)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	wg.Wait()
	if !slices.Equal(got, []int{6, 2, 4, 6}) || len(r.calls) != 1 || len(r.calls[0]) != 3 {
		t.Fatalf("values %v from calls %v", got, r.calls)
	}
	// Loaded keys are not fetched again, even when announced again.
	l.Expect(1, 2)
	if v, _ := l.Load(context.Background(), 2); v != 4 || len(r.calls) != 1 {
		t.Fatalf("cached load: %d, calls %v", v, r.calls)
	}
}

func TestAKeyNoOneAnnouncedIsFetchedWithTheExpectedOnes(t *testing.T) {
	r := &recorder{}
	l := batchload.New(0, r.fetch)
	if v, _ := l.Load(context.Background(), 7); v != 14 {
		t.Fatalf("7: %d", v)
	}
	l.Expect(8, 9)
	if v, _ := l.Load(context.Background(), 5); v != 10 {
		t.Fatalf("5: %d", v)
	}
	if v, _ := l.Load(context.Background(), 9); v != 18 {
		t.Fatalf("9: %d", v)
	}
	// A missing key reads as the zero value.
	if v, err := l.Load(context.Background(), 0); v != 0 || err != nil {
		t.Fatalf("0: %d %v", v, err)
	}
	if want := [][]int{{7}, {5, 8, 9}, {0}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
		t.Fatalf("calls %v, want %v", r.calls, want)
	}
}

func TestABatchHoldsAtMostMaxBatchKeys(t *testing.T) {
	r := &recorder{}
	l := batchload.New(2, r.fetch)
	l.Expect(1, 2, 3, 4, 5)
	for _, k := range []int{3, 1, 2, 4, 5} {
		if v, _ := l.Load(context.Background(), k); v != 2*k {
			t.Fatalf("%d: %d", k, v)
		}
	}
	if want := [][]int{{3, 1}, {2, 4}, {5}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
		t.Fatalf("calls %v, want %v", r.calls, want)
	}
}

func TestForgetReadsTheKeyAgainAndAFailedFetchFailsEveryKey(t *testing.T) {
	r := &recorder{}
	l := batchload.New(0, r.fetch)
	_, _ = l.Load(context.Background(), 1)
	l.Forget(1)
	_, _ = l.Load(context.Background(), 1)
	if len(r.calls) != 2 {
		t.Fatalf("calls after Forget: %v", r.calls)
	}
	boom := errors.New("boom")
	r.err = boom
	l.Expect(2, 3)
	if _, err := l.Load(context.Background(), 2); !errors.Is(err, boom) {
		t.Fatalf("2: %v", err)
	}
	if _, err := l.Load(context.Background(), 3); !errors.Is(err, boom) || len(r.calls) != 3 {
		t.Fatalf("3: %v after calls %v", err, r.calls)
	}
}

func TestAFetchThatPanicsReleasesTheOtherKeys(t *testing.T) {
	l := batchload.New(0, func(context.Context, []int) (map[int]int, error) { panic("fetch") })
	l.Expect(1, 2)
	func() {
		defer func() { _ = recover() }()
		_, _ = l.Load(context.Background(), 1)
	}()
	if _, err := l.Load(context.Background(), 2); err == nil {
		t.Fatal("key of a panicked fetch read without an error")
	}
}

func TestAPrimedKeyIsNotFetchedNorFetchedWithOthers(t *testing.T) {
	r := &recorder{}
	l := batchload.New(0, r.fetch)
	l.Expect(1, 2, 3)
	l.Prime(2, 40)
	if v, _ := l.Load(context.Background(), 2); v != 40 || len(r.calls) != 0 {
		t.Fatalf("primed 2: %d after calls %v", v, r.calls)
	}
	if v, _ := l.Load(context.Background(), 1); v != 2 {
		t.Fatalf("1: %d", v)
	}
	// A fetched key keeps its value: Prime does not overwrite it.
	l.Prime(1, 99)
	if v, _ := l.Load(context.Background(), 1); v != 2 {
		t.Fatalf("1 after Prime: %d", v)
	}
	if want := [][]int{{1, 3}}; !slices.EqualFunc(r.calls, want, slices.Equal) {
		t.Fatalf("calls %v, want %v", r.calls, want)
	}
}

func TestALazySetIsBuiltOnceAndOnlyWhenAsked(t *testing.T) {
	builds := 0
	build := func() *batchload.Loader[int, int] {
		builds++
		return batchload.New(0, (&recorder{}).fetch)
	}
	_ = batchload.NewLazy(build) // never asked: never built
	if builds != 0 {
		t.Fatalf("built %d times unasked", builds)
	}
	l := batchload.NewLazy(build)
	got := make([]*batchload.Loader[int, int], 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = l.Get()
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g == nil || g != got[0] {
			t.Fatalf("Get gave different sets: %v", got)
		}
	}
	if builds != 1 {
		t.Fatalf("built %d times", builds)
	}
	var none *batchload.Lazy[batchload.Loader[int, int]]
	if none.Get() != nil {
		t.Fatal("a nil Lazy gave a set")
	}
}

// A request carries each module's set under a key of its own type: one
// module's set never answers for another's, and a context without a set
// gives nil (reads go straight to the store).
func TestEachSetTypeHasItsOwnPlaceInTheRequest(t *testing.T) {
	type setA struct{ n int }
	type setB struct{ n int }
	ctx := context.Background()
	if batchload.From[setA](ctx) != nil {
		t.Fatal("a set without With")
	}
	builds := 0
	ctx = batchload.With(ctx, func() *setA { builds++; return &setA{n: 1} })
	if batchload.From[setB](ctx) != nil {
		t.Fatal("setB answered by setA's place")
	}
	if builds != 0 {
		t.Fatal("built before the first read")
	}
	a := batchload.From[setA](ctx)
	if a == nil || a.n != 1 || batchload.From[setA](ctx) != a || builds != 1 {
		t.Fatalf("got %v after %d builds, want one set built once", a, builds)
	}
}
