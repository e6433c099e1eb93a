package ports_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPageArgsNameEveryBadArgument(t *testing.T) {
	at, id := time.Unix(1700000000, 5).UTC(), uuid.New()
	gotAt, gotID, ok, err := ports.PageArgs(20, ports.EncodeCursor(at, id))
	if err != nil || !ok || !gotAt.Equal(at) || gotID != id {
		t.Fatalf("a good page: %v %v %v %v", gotAt, gotID, ok, err)
	}
	if _, _, ok, err := ports.PageArgs(100, ""); err != nil || ok {
		t.Fatalf("no cursor: ok %v, err %v", ok, err)
	}
	for _, c := range []struct {
		first  int
		after  string
		fields []string
	}{
		{0, "", []string{"first"}},
		{101, "", []string{"first"}},
		{1, "not-a-cursor", []string{"after"}},
		{-1, "not-a-cursor", []string{"after", "first"}},
	} {
		_, _, ok, err := ports.PageArgs(c.first, c.after)
		errtest.Code(t, err, ports.CodeValidationFailed)
		fields := errtest.Fields(t, err)
		if ok || len(fields) != len(c.fields) {
			t.Fatalf("PageArgs(%d, %q): ok %v, fields %v, want %v", c.first, c.after, ok, fields, c.fields)
		}
		for _, f := range c.fields {
			if _, in := fields[f]; !in {
				t.Fatalf("PageArgs(%d, %q): fields %v, want %v", c.first, c.after, fields, c.fields)
			}
		}
	}
}
