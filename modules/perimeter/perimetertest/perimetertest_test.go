package perimetertest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
)

func TestFakeStoreContract(t *testing.T) {
	perimetertest.RunStore(t, func(t *testing.T) perimeter.Store { return perimetertest.NewStore() })
}
