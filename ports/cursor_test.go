package ports_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/gatehouse/gatehouse/ports"
)

func TestTrimPageKeepsFirstAndTellsOfTheExtraRow(t *testing.T) {
	for _, c := range []struct {
		rows, first int
		want        int
		hasNext     bool
	}{
		{rows: 0, first: 2, want: 0},
		{rows: 2, first: 2, want: 2},
		{rows: 3, first: 2, want: 2, hasNext: true},
	} {
		rows := make([]int, c.rows)
		got, hasNext := ports.TrimPage(rows, c.first)
		assert.Len(t, got, c.want, "%+v", c)
		assert.Equal(t, c.hasNext, hasNext, "%+v", c)
	}
}

func TestPageCursorsAreTheRowsKeys(t *testing.T) {
	type row struct {
		at time.Time
		id uuid.UUID
	}
	key := func(r row) (time.Time, uuid.UUID) { return r.at, r.id }
	rows := []row{{time.Unix(1, 0), uuid.New()}, {time.Unix(2, 0), uuid.New()}}
	assert.Equal(t, []string{ports.EncodeCursor(rows[0].at, rows[0].id), ports.EncodeCursor(rows[1].at, rows[1].id)},
		ports.PageCursors(rows, key))
	assert.Nil(t, ports.PageCursors(nil, key))
}
