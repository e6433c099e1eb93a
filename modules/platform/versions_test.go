package platform

import "testing"

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.9.0", "1.10.0", -1},
		{"1.10.0", "1.9.0", 1},
		{"1.10", "1.10.0", 0},
		{"1.10.0", "1.10", 0},
		{"2", "1.99.99", 1},
		{"1.0.1", "1.0.0", 1},
		{"1.2.3", "1.2.3", 0},
		{"01.2", "1.2", 0},
		{"1.0.0", "", 1},
		{"", "", 0},
		{"1.2.a", "1.2.b", -1},
		{"1.2.x", "1.10.0", -1},
	}
	for _, tc := range tests {
		t.Run(tc.a+"_vs_"+tc.b, func(t *testing.T) {
			if got := compareVersions(tc.a, tc.b); got != tc.want {
				t.Errorf("compareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}
