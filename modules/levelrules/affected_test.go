package levelrules

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// TestAffectedFromCoversEveryUserAChangeMoves checks affectedFrom against
// brute force: for small rule sets and every way of holding their labels,
// a user whose level a change moves is never below the bound.
func TestAffectedFromCoversEveryUserAChangeMoves(t *testing.T) {
	keys := []string{"a", "b", "c"}
	// Every rule set over levels 1..4 with at most one key per level.
	var sets [][]kyc.LevelRule
	for mask := 0; mask < 1<<8; mask++ {
		var rs []kyc.LevelRule
		for l := 1; l <= 4; l++ {
			if k := (mask >> (2 * (l - 1))) & 3; k > 0 {
				rs = append(rs, kyc.LevelRule{Level: l, Key: keys[k-1], Value: "v"})
			}
		}
		sets = append(sets, rs)
	}
	var holdings [][]kyc.Label
	for m := 0; m < 1<<len(keys); m++ {
		var ls []kyc.Label
		for i, k := range keys {
			if m&(1<<i) != 0 {
				ls = append(ls, kyc.Label{Key: k, Value: "v", Scope: kyc.ScopePrivate})
			}
		}
		holdings = append(holdings, ls)
	}
	for _, before := range sets {
		for l := 1; l <= 5; l++ {
			for _, k := range keys {
				after := append(append([]kyc.LevelRule{}, before...), kyc.LevelRule{Level: l, Key: k, Value: "v"})
				from := affectedFrom(l, top(before), top(after))
				for _, h := range holdings {
					was, is := ComputeLevelOf(before, h), ComputeLevelOf(after, h)
					if was != is && was < from {
						t.Fatalf("adding %d/%s to %v moves a user at %d to %d, below the bound %d", l, k, before, was, is, from)
					}
					// Removing it again moves them back.
					if was != is && is < affectedFrom(l, top(after), top(before)) {
						t.Fatalf("removing %d/%s from %v moves a user at %d, below the bound", l, k, after, is)
					}
				}
			}
		}
	}
}

// ComputeLevelOf is kyc.ComputeLevel.
func ComputeLevelOf(rules []kyc.LevelRule, labels []kyc.Label) int {
	return kyc.ComputeLevel(rules, labels)
}
